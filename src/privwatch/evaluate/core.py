"""Score one policy in PIPC's three areas (see the package docstring)."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

import httpx

from privwatch import extract
from privwatch.errors import FetchError, TooLargeError
from privwatch.evaluate import site as web
from privwatch.evaluate.config import Config, Indicator, load_config
from privwatch.evaluate.model import (
    AreaResult,
    IndicatorResult,
    Note,
    PageCheck,
    PolicyEvaluation,
    SiteCheck,
    note,
)
from privwatch.evaluate.readability import MEASURES, linear
from privwatch.evaluate.requirements import Reason, Result, assess, requirement_title
from privwatch.i18n import LANGUAGES
from privwatch.ingest.source import (
    DEFAULT_MAX_BYTES,
    DEFAULT_TIMEOUT,
    RawSource,
    is_url,
    now_iso,
    read_source,
)
from privwatch.models import Document, Evidence, Severity, walk_sections
from privwatch.pipeline import document_from_raw
from privwatch.rules import load_pack
from privwatch.rules.guideline import ItemResult, assess_items, load_guideline
from privwatch.rules.schema import Pack
from privwatch.segment.headings import MAX_TITLE, reads_like_sentence

__all__ = ["evaluate_document", "evaluate_policy", "linear"]


def evaluate_policy(
    source: str,
    *,
    home: str | None = None,
    foreign: bool | None = None,
    max_bytes: int = DEFAULT_MAX_BYTES,
    timeout: float = DEFAULT_TIMEOUT,
    config: Config | None = None,
    delay: float | None = None,
) -> PolicyEvaluation:
    """Evaluate the policy at ``source`` (a file or an http(s) URL); with
    ``home``, crawl the site from its home page for the accessibility checks.

    A URL is fetched as a visitor without an account: a policy behind a login
    is an accessibility result, and its text cannot then be evaluated."""
    config = config or load_config()
    document: Document | None = None
    html: str | None = None
    page: PageCheck | None = None
    targets: set[str] = set()
    with web.client(timeout) as http:
        if is_url(source):
            fetched = web.get(http, source, max_bytes + 1)
            if len(fetched.data) > max_bytes:
                raise TooLargeError(
                    "input.too_large",
                    source=source,
                    size=len(fetched.data),
                    limit=max_bytes,
                )
            page = web.check_page(fetched, config)
            targets = {source, fetched.final_url}
            if page.wall is None:
                if not 200 <= fetched.status < 300:
                    raise FetchError(
                        "fetch.status",
                        url=source,
                        status=fetched.status,
                        reason=httpx.codes.get_reason_phrase(fetched.status),
                    )
                document = document_from_raw(
                    RawSource(
                        data=fetched.data,
                        uri=fetched.final_url,
                        kind="url",
                        fetched_at=now_iso(),
                        content_type=fetched.content_type,
                        http_status=fetched.status,
                        headers=fetched.headers,
                    )
                )
                html = fetched.html() if fetched.is_html else None
        else:
            raw = read_source(source, max_bytes=max_bytes)
            document = document_from_raw(raw)
            if document.source.media_type == "text/html":
                html = web.Page(
                    raw.uri, raw.uri, 200, (), "text/html", {}, raw.data
                ).html()
        crawled: SiteCheck | None = None
        if home:
            crawled = web.crawl(home, targets, config, delay=delay, session=http)
            if page is None and crawled.found and crawled.url:
                page = web.check_page(
                    web.get(http, crawled.url, config.crawl.max_page_bytes), config
                )
    return evaluate_document(
        document,
        source=source,
        html=html,
        page=page,
        site=crawled,
        home=home,
        foreign=foreign,
        config=config,
    )


def evaluate_document(
    document: Document | None,
    *,
    source: str,
    html: str | None = None,
    page: PageCheck | None = None,
    site: SiteCheck | None = None,
    home: str | None = None,
    foreign: bool | None = None,
    config: Config | None = None,
) -> PolicyEvaluation:
    """Score what was read: the Document (None when its text could not be read),
    the policy page's check and the crawl's, when there were any."""
    config = config or load_config()
    pack = load_pack("kr-pipa")
    results: dict[str, Result] = {}
    items: tuple[ItemResult, ...] = ()
    context_foreign: bool | None = None
    if document is not None:
        context_foreign = document.language != "ko" if foreign is None else foreign
        facts = extract.find_facts(document)
        korea_facing = extract.document_scope(document).audience != "other"
        context = {"foreign": context_foreign, "korea_facing": korea_facing}
        results = assess(pack, facts, context)
        items = assess_items(load_guideline(pack), results)
    areas = []
    for area in config.areas:
        indicators = []
        for indicator in area.indicators:
            indicators.append(
                _indicator(indicator, config, pack, results, document, html, page, site)
            )
        areas.append(
            AreaResult(
                id=area.id,
                name=area.name.model_dump(),
                points=area.points,
                indicators=tuple(indicators),
            )
        )
    counts = {s.value: 0 for s in Severity}
    for result in results.values():
        for finding in result.findings:
            counts[finding.severity] += 1
    return PolicyEvaluation(
        source=source,
        evaluated_at=now_iso(),
        areas=tuple(areas),
        config_version=config.version,
        title=document.title if document else (page.title if page else None),
        language=document.language if document else None,
        sha256=document.sha256 if document else None,
        home=home,
        foreign=context_foreign,
        site=site,
        page=page,
        findings=counts,
        guideline=items,
    )


def _plain(
    indicator: Indicator, status: str, explain: Note, **more: object
) -> IndicatorResult:
    return _result(indicator, status, explain, measures=dict(more))


def _result(
    indicator: Indicator,
    status: str,
    note: Note,
    *,
    score: float | None = None,
    measures: Mapping[str, Any] | None = None,
    evidence: tuple[Evidence, ...] = (),
) -> IndicatorResult:
    return IndicatorResult(
        id=indicator.id,
        name=indicator.name.model_dump(),
        weight=indicator.weight,
        status=status,
        score=score,
        note=note,
        measures=measures or {},
        evidence=evidence,
    )


def _indicator(
    indicator: Indicator,
    config: Config,
    pack: Pack,
    results: Mapping[str, Result],
    document: Document | None,
    html: str | None,
    page: PageCheck | None,
    site: SiteCheck | None,
) -> IndicatorResult:
    if indicator.review is not None:
        hints: dict[str, object] = {}
        if indicator.id == "mobile" and page is not None:
            hints["viewport_declared"] = page.viewport
        return _plain(
            indicator,
            "needs_review",
            Note(text=indicator.review.model_dump()),
            **hints,
        )
    measure = indicator.measure
    if measure in ("exact_title", "reachable", "no_login"):
        return _access(indicator, config, document, page, site)
    if document is None:
        return _plain(indicator, "not_measured", note("evaluate.not_measured.no_text"))
    if indicator.rules:
        return _from_rules(indicator, config, pack, results)
    assert measure is not None
    return MEASURES[measure](indicator, document, html)


@dataclass
class _Tally:
    """An indicator's rules counted: met earn their weight, unmet none (or a
    share when graded), review and not applicable ones are left out."""

    earned: float = 0.0
    possible: float = 0.0
    met: list[str] = field(default_factory=list)
    unmet: dict[str, int] = field(default_factory=dict)
    review: list[str] = field(default_factory=list)
    inapplicable: list[str] = field(default_factory=list)
    evidence: list[Evidence] = field(default_factory=list)

    def add(
        self, rule_id: str, result: Result, weight: float, tolerance: int | None
    ) -> None:
        if result.status == "not_applicable":
            self.inapplicable.append(rule_id)
            return
        if result.status == "review":  # a person must judge: neither met nor unmet
            self.review.append(rule_id)
            return
        self.possible += weight
        if result.status == "met":
            self.met.append(rule_id)
            self.earned += weight
            return
        self.unmet[rule_id] = len(result.findings)
        if tolerance:
            self.earned += weight * max(0.0, 1 - len(result.findings) / tolerance)
        for finding in result.findings:
            self.evidence.extend(
                e for e in finding.evidence[:1] if e.entry_index is None
            )


def _from_rules(
    indicator: Indicator, config: Config, pack: Pack, results: Mapping[str, Result]
) -> IndicatorResult:
    """The indicator's rules: met earn their severity's weight, unmet earn none
    (or lose a share per finding when graded); not applicable ones are left out."""
    rules = {rule.id: rule for rule in pack.rules}
    tally = _Tally()
    for rule_id in indicator.rules:
        weight = config.severity_weights.get(rules[rule_id].severity, 1.0)
        tally.add(rule_id, results[rule_id], weight, indicator.graded.get(rule_id))
    earned, possible, evidence = tally.earned, tally.possible, tally.evidence
    met, unmet, review = tally.met, tally.unmet, tally.review
    inapplicable = tally.inapplicable
    measures = {
        "met": met,
        "unmet": unmet,
        "review": review,
        "not_applicable": inapplicable,
    }
    review_titles = Note(
        parts=tuple(
            Note(text={lang: requirement_title(rules[r])[lang] for lang in LANGUAGES})
            for r in review
        )
    )
    if not possible and review:
        return _result(
            indicator,
            status="needs_review",
            note=note("evaluate.explain.rules_review", rules=review_titles),
            measures=measures,
        )
    if not possible:
        return _result(
            indicator,
            status="not_applicable",
            note=_reasons_note(inapplicable, results),
            measures=measures,
        )
    applicable = len(met) + len(unmet)
    if unmet:
        titles = Note(
            parts=tuple(
                Note(
                    text={
                        lang: f"{requirement_title(rules[r])[lang]} ({n})"
                        for lang in LANGUAGES
                    }
                )
                for r, n in unmet.items()
            )
        )
        explain = note(
            "evaluate.explain.rules_unmet",
            met=len(met),
            applicable=applicable,
            unmet=titles,
        )
    else:
        explain = note("evaluate.explain.rules_met", applicable=applicable)
    if review:
        explain = note(
            "evaluate.explain.rules_review_also", explain=explain, rules=review_titles
        )
    return _result(
        indicator,
        status="scored",
        score=round(earned / possible, 3),
        note=explain,
        measures=measures,
        evidence=tuple(evidence[:5]),
    )


def _reasons_note(inapplicable: list[str], results: Mapping[str, Result]) -> Note:
    """Why none of an indicator's rules applies: each distinct reason once."""
    unique: dict[str, Reason] = {}
    for rule_id in inapplicable:
        reason = results[rule_id].reason
        if reason is not None:
            unique.setdefault(reason.text("en"), reason)
    why = Note(
        parts=tuple(
            Note(text={lang: reason.text(lang) for lang in LANGUAGES})
            for reason in unique.values()
        )
    )
    return note("evaluate.explain.rules_na", reason=why)


def _document_title(document: Document, config: Config) -> str | None:
    """What a document read from a file calls itself: its title; when that does
    not use the accepted name (a file's first line, a crawl's navigation), the
    first unnumbered heading or short line near the top that does, else one
    that names the policy otherwise ("1. 개인정보처리방침의 의의" is a section,
    not a title)."""
    limit = max(2000, len(document.text) // 5)
    candidates = [document.title or ""]
    candidates += [
        s.heading
        for s in walk_sections(document.sections)
        if s.start <= limit and s.numbering is None
    ]
    candidates += [
        line.strip()
        for line in document.text[:limit].splitlines()
        if 0 < len(line.strip()) <= MAX_TITLE and not reads_like_sentence(line)
    ]
    for wanted in ("accepted", "other"):
        for text in candidates:
            if text and web.names_policy(text, config.policy_names) == wanted:
                return text
    return document.title


def _access(
    indicator: Indicator,
    config: Config,
    document: Document | None,
    page: PageCheck | None,
    site: SiteCheck | None,
) -> IndicatorResult:
    measure = indicator.measure
    if measure == "exact_title":
        return _exact_title(indicator, config, document, page, site)
    if measure == "reachable":
        if site is None:
            return _plain(indicator, "not_measured", note("evaluate.not_measured.home"))
        measures: dict[str, object] = {
            "found": site.found,
            "depth": site.depth,
            "url": site.url,
            "pages_read": site.pages,
            "capped": site.capped,
            "skipped_by_robots": site.skipped_by_robots,
            "trail": [{"url": u, "text": t} for u, t in site.trail],
        }
        if site.found and site.depth is not None:
            score = indicator.depth_scores.get(site.depth, 0.0)
            trail = " → ".join([site.home, *(f"“{t}”" for _, t in site.trail)])
            explain = note("evaluate.explain.reachable", depth=site.depth, trail=trail)
        else:
            score = 0.0
            explain = note(
                "evaluate.explain.unreachable",
                depth=config.crawl.max_depth,
                pages=site.pages,
            )
            if site.capped:
                explain = Note(parts=(explain, note("evaluate.explain.capped")))
        return _result(
            indicator,
            status="scored",
            score=score,
            note=explain,
            measures=measures,
        )
    # no_login
    if page is None:
        return _plain(indicator, "not_measured", note("evaluate.not_measured.page"))
    measures = {
        "url": page.url,
        "final_url": page.final_url,
        "status": page.status,
        "redirects": list(page.redirects),
        "password_form": page.password_form,
        "behind_login": page.wall is not None,
    }
    if page.wall is not None:
        explain = note("evaluate.explain.walled", why=page.wall)
        score = 0.0
    else:
        explain = note("evaluate.explain.open", url=page.final_url)
        if page.password_form:
            explain = Note(parts=(explain, note("evaluate.explain.open_with_form")))
        score = 1.0
    return _result(
        indicator,
        status="scored",
        score=score,
        note=explain,
        measures=measures,
    )


def _exact_title(
    indicator: Indicator,
    config: Config,
    document: Document | None,
    page: PageCheck | None,
    site: SiteCheck | None,
) -> IndicatorResult:
    checked: list[tuple[str, str]] = []  # (where, text)
    if site is not None and site.found and site.trail:
        checked.append(("link", site.trail[-1][1]))
    if page is not None and page.wall is None and page.title:
        checked.append(("page_title", page.title))
    elif document is not None:
        title = _document_title(document, config)
        if title:
            checked.append(("document_title", title))
    if not checked:
        return _plain(indicator, "not_measured", note("evaluate.not_measured.title"))
    verdicts = [
        (where, text, web.names_policy(text, config.policy_names))
        for where, text in checked
    ]
    score = sum(kind == "accepted" for _, _, kind in verdicts) / len(verdicts)
    parts = tuple(
        note(
            "evaluate.title.item",
            where=note(f"evaluate.title.{where}"),
            text=text,
            verdict=note(f"evaluate.title.{kind or 'none'}"),
        )
        for where, text, kind in verdicts
    )
    return _result(
        indicator,
        status="scored",
        score=round(score, 3),
        note=Note(parts=parts),
        measures={
            where: {"text": text, "name": kind} for where, text, kind in verdicts
        },
    )
