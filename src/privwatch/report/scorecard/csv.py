"""The scorecard as CSV: one row per platform and requirement, then one per
guideline item."""

from __future__ import annotations

import csv
import io
import re
from collections.abc import Iterator
from typing import Any

from privwatch.evaluate.scorecard import PlatformCard, Scorecard
from privwatch.report.scorecard.json import iso_time

CSV_COLUMNS = (
    "platform",
    "country",
    "foreign",
    "category",
    "kind",
    "version",
    "audience",
    "fetched_at",
    "law",
    "article",
    "rule",
    "severity",
    "requirement",
    "requirement_ko",
    "status",
    "reason",
    "findings",
    "quote",
    "quote_start",
    "quote_end",
)


_FORMULA = re.compile(r"^(?:[=+@\t\r]|-(?=\S))")


def _cell_text(value: str) -> str:
    """A text a spreadsheet would run as a formula (``=``, ``+``, ``@``, ``-1``)
    starts with an apostrophe; any other text is written as it is."""
    return f"'{value}" if _FORMULA.match(value) else value


def render_scorecard_csv(card: Scorecard) -> str:
    """One row per platform and requirement (RFC 4180, UTF-8): the first quoted
    words of an unmet requirement (``quote_start``/``quote_end`` locate them in
    the version's text), the English reason of a not applicable one. Texts
    from policies or the store that a spreadsheet would run as a formula start
    with an apostrophe."""
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerow(CSV_COLUMNS)
    order = [i for _, _, indices in card.articles() for i in indices]
    for platform in card.platforms:
        for index in order:
            requirement = card.requirements[index]
            result = platform.results[index]
            quoted = next(
                (
                    e
                    for f in result.findings
                    for e in f.evidence
                    if e.entry_index is None
                ),
                None,
            )
            writer.writerow(
                (
                    *_platform_cells(card, platform),
                    requirement.law,
                    requirement.article,
                    requirement.rule,
                    requirement.severity,
                    requirement.title["en"],
                    requirement.title["ko"],
                    result.status,
                    result.reason.text("en") if result.reason else "",
                    len(result.findings),
                    _cell_text(quoted.text) if quoted else "",
                    quoted.start if quoted else "",
                    quoted.end if quoted else "",
                )
            )
        writer.writerows(_item_rows(card, platform))
    return buffer.getvalue()


def _platform_cells(card: Scorecard, platform: PlatformCard) -> tuple[Any, ...]:
    """The columns that say whose row it is, at the start of every CSV row."""
    return (
        _cell_text(platform.name),
        platform.country or "",
        "yes" if platform.foreign else "no",
        _cell_text(platform.category or ""),
        card.kind,
        platform.version or "",
        ":".join(x for x in (platform.audience, platform.audience_where) if x),
        iso_time(platform.fetched_at) or "",
    )


def _item_rows(card: Scorecard, platform: PlatformCard) -> Iterator[tuple[Any, ...]]:
    """One row per guideline item: law ``PIPC``, article the item's group, rule
    ``pipc-2025.<item>``, severity its level, findings its unmet rules."""
    if card.guideline is None:
        return
    items = {item.id: item for item in card.guideline.items}
    for result in platform.items:
        item = items[result.item]
        unmet = sum(status == "unmet" for _, status in result.rules)
        yield (
            *_platform_cells(card, platform),
            "PIPC",
            item.group,
            f"{card.guideline.guideline}.{item.id}",
            card.guideline.group(item.group).level,
            item.name.en,
            item.name.ko,
            result.status,
            result.reason["en"] if result.reason else "",
            unmet,
            "",
            "",
            "",
        )
