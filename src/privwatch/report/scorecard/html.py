"""The scorecard as one self-contained HTML page."""

from __future__ import annotations

from datetime import datetime

from privwatch import __version__
from privwatch.evaluate.requirements import STATUSES
from privwatch.evaluate.scorecard import PlatformCard, Scorecard
from privwatch.i18n import message
from privwatch.report import guideline as pipc
from privwatch.report.page import document, esc
from privwatch.report.scorecard.json import iso_time
from privwatch.report.scorecard.products import products_html
from privwatch.report.table import article_label
from privwatch.rules.guideline import Guideline, ItemResult

CSS = """
body{font:14px/1.5 system-ui,"Noto Sans KR","Apple SD Gothic Neo","Malgun Gothic",sans-serif;color:#1d2433;margin:0}
main{max-width:90rem;margin:0 auto;padding:1rem 1.5rem 3rem}
h1{font-size:1.45rem;margin:.4rem 0}h2{font-size:1.15rem;margin:2rem 0 .6rem;border-bottom:2px solid #1f3a5f;color:#1f3a5f}
h3{font-size:1rem;margin:1.2rem 0 .4rem}
.meta,.muted{color:#5b6475;font-size:.85rem}
.warn{color:#8a4b00;font-size:.8rem;font-weight:600}
.legend span{margin-right:1.2rem}
.wide{overflow-x:auto}
table.card{border-collapse:collapse;font-size:.85rem}
table.card th,table.card td{border:1px solid #d9dee7;padding:.3rem .45rem;vertical-align:top}
table.card thead th{background:#f5f7fa;text-align:center}
table.card th.req{text-align:left;font-weight:400;min-width:18rem;max-width:28rem}
table.card tr.art th{background:#eef2f8;text-align:left;font-weight:700}
table.card td.s{text-align:center;white-space:nowrap;min-width:4.5rem}
td.met{background:#e8f5ee;color:#1e7a46}td.unmet{background:#fdecea;color:#b42318;font-weight:700}
td.not_applicable{background:#f5f7fa;color:#8a93a3}td.unknown{background:#fff;color:#8a93a3}
td.unmet a{color:#b42318}td.review{background:#fef4e6;color:#a15c07}td.review a{color:#a15c07}
.sev{font-size:.7rem;text-transform:uppercase;font-weight:700;margin-left:.3rem}
.sev.high{color:#b42318}.sev.medium{color:#a15c07}.sev.low{color:#175cd3}
.rule{color:#8a93a3;font-size:.75rem;font-family:ui-monospace,monospace}
th.dom{background:#e8f5ee!important}th.for{background:#eaf2ff!important}
.item{border-left:4px solid #b42318;padding:.3rem .8rem;margin:.7rem 0}
.item:target{box-shadow:0 0 0 3px #93c5fd}
blockquote{margin:.3rem 0;padding:.35rem .6rem;background:#f5f7fa;white-space:pre-wrap}
.off{color:#8a93a3;font-size:.75rem;font-family:ui-monospace,monospace}
"""

SYMBOL = {
    "met": "✓",
    "unmet": "✗",
    "review": "!",
    "not_applicable": "–",
    "unknown": "?",
}


def day(value: datetime | None) -> str:
    return "" if value is None else value.strftime("%Y-%m-%d")


def _anchor(platform_index: int, requirement_index: int) -> str:
    return f"u{platform_index}-{requirement_index}"


def score_text(value: float | None) -> str:
    return "–" if value is None else f"{value:.1f}"


def render_scorecard_html(card: Scorecard, *, lang: str) -> str:
    """One self-contained page (no script, no fetch; every text escaped): the
    requirements by article down the side, domestic and foreign platforms across,
    then the quoted words behind every unmet requirement."""
    groups = [
        (g, ps)
        for g, ps in (("domestic", card.domestic), ("foreign", card.foreign))
        if ps
    ]
    columns = [p for _, ps in groups for p in ps]
    title = page_title(card.kind, lang)
    parts = [
        f"<h1>{esc(title)}</h1>",
        *_intro(card, lang),
        "<div class=wide><table class=card><thead>",
        *_head_rows(groups, columns, lang),
        *_requirement_rows(card, columns, lang),
        "</tbody></table></div>",
    ]
    if card.guideline is not None:
        parts.append(_guideline_html(card, card.guideline, columns, lang))
    parts.append(products_html(card.products, lang))
    parts.append(_details(card, lang))
    body = "<main>\n" + "\n".join(parts) + "\n</main>\n"
    return document(lang=lang, title=title, style=CSS, body=body)


def _intro(card: Scorecard, lang: str) -> list[str]:
    """What the page measured (pack, when, how many platforms) and its legend."""
    meta = message(
        "scorecard.meta",
        lang,
        pack=card.pack[0],
        version=card.pack[1],
        generated=card.generated_at.isoformat(),
        privwatch=__version__,
        platforms=len(card.platforms),
    )
    legend = "".join(
        f"<span>{SYMBOL[s]} {esc(message(f'scorecard.status.{s}', lang))}</span>"
        for s in STATUSES
    )
    return [
        f"<p class=meta>{esc(meta)}</p>",
        f"<p class='legend meta'>{legend}</p>",
        f"<p class=meta>{esc(message('scorecard.explain', lang))}</p>",
    ]


def _head_rows(
    groups: list[tuple[str, list[PlatformCard]]],
    columns: list[PlatformCard],
    lang: str,
) -> list[str]:
    """The table's head: group, names, version, evaluation, counts."""
    label = esc(message("scorecard.requirement", lang))
    group_cells = "".join(
        f"<th colspan={len(ps)} class={'dom' if g == 'domestic' else 'for'}>"
        f"{esc(message(f'scorecard.group.{g}', lang))} ({len(ps)})</th>"
        for g, ps in groups
    )
    return [
        f"<tr><th class=req rowspan=5>{label}</th>{group_cells}</tr>",
        "<tr>" + "".join(_name_cell(p, lang) for p in columns) + "</tr>",
        "<tr>" + "".join(_version_cell(p, lang) for p in columns) + "</tr>",
        "<tr>" + "".join(_evaluation_cell(p, lang) for p in columns) + "</tr>",
        "<tr>"
        + "".join(_counts_cell(p, lang) for p in columns)
        + "</tr></thead><tbody>",
    ]


def _name_cell(platform: PlatformCard, lang: str) -> str:
    category = f" · {esc(platform.category)}" if platform.category else ""
    warning = ""
    if platform.audience == "other":
        where = platform.audience_where or "?"
        text = message("scorecard.audience_other", lang, where=where)
        warning = f"<br><span class=warn>{esc(text)}</span>"
    return (
        f"<th>{esc(platform.name)}<br><span class=muted>{esc(platform.country or '')}"
        f"{category}</span>{warning}</th>"
    )


def _version_cell(platform: PlatformCard, lang: str) -> str:
    if platform.version is None:
        return f"<td class=s>{esc(message('scorecard.no_version', lang))}</td>"
    text = message(
        "scorecard.version",
        lang,
        number=platform.version,
        date=day(platform.fetched_at),
    )
    return f"<td class=s>{esc(text)}</td>"


def _counts_cell(platform: PlatformCard, lang: str) -> str:
    share = platform.met_share()
    shown = "–" if share is None else f"{100 * share:.0f}%"
    text = message("scorecard.counts", lang, share=shown, **platform.counts())
    return f"<td class=s>{esc(text)}</td>"


def _requirement_rows(
    card: Scorecard, columns: list[PlatformCard], lang: str
) -> list[str]:
    """Each article's heading, then a row per requirement: a cell per platform."""
    index_of = {id(p): i for i, p in enumerate(card.platforms)}
    rows = []
    for law, article, indices in card.articles():
        heading = f"{message(f'law.{law}', lang)} {article_label(article, lang)}"
        rows.append(
            f"<tr class=art><th colspan={len(columns) + 1}>{esc(heading)}</th></tr>"
        )
        for index in indices:
            requirement = card.requirements[index]
            row = [
                f"<tr><th class=req>{esc(article_label(requirement.article, lang))} · "
                f"{esc(requirement.title[lang])}"
                f"<span class='sev {esc(requirement.severity)}'>"
                f"{esc(message(f'scorecard.severity.{requirement.severity}', lang))}</span>"
                f"<br><span class=rule>{esc(requirement.rule)}</span></th>"
            ]
            for platform in columns:
                row.append(_cell(platform, index_of[id(platform)], index, lang))
            rows.append("".join(row) + "</tr>")
    return rows


def _guideline_html(
    card: Scorecard, guideline: Guideline, columns: list[PlatformCard], lang: str
) -> str:
    """The guideline's items per platform; an unmet item (or one with only
    review items) links to its first such rule's quotes below."""
    index_of = {id(p): i for i, p in enumerate(card.platforms)}
    rule_index = {r.rule: i for i, r in enumerate(card.requirements)}

    def link(column: int, result: ItemResult) -> str | None:
        for rule, status in result.rules:
            if status in ("unmet", "review"):
                return _anchor(index_of[id(columns[column])], rule_index[rule])
        return None

    table = [(p.name, p.items) for p in columns]
    return pipc.html_table(guideline, table, lang, link=link)


def page_title(kind: str, lang: str) -> str:
    known = kind if kind in ("privacy", "terms", "trackers") else "privacy"
    return message(f"scorecard.title.{known}", lang)


def _evaluation_cell(platform: PlatformCard, lang: str) -> str:
    evaluation = platform.evaluation
    if evaluation is None:
        return (
            f"<td class='s muted'>{esc(message('scorecard.no_evaluation', lang))}</td>"
        )
    areas = "<br>".join(
        f"{esc(evaluation.names.get(area, {}).get(lang) or area)} {esc(score_text(score))}"
        for area, score in evaluation.areas.items()
    )
    return (
        f"<td class=s title='{esc(evaluation.source)}'>"
        f"{esc(message('scorecard.evaluation', lang, score=score_text(evaluation.score), date=day(evaluation.evaluated_at)))}"
        f"<br><span class=muted>{areas}</span></td>"
    )


def _cell(platform: PlatformCard, p_index: int, r_index: int, lang: str) -> str:
    result = platform.results[r_index]
    symbol = SYMBOL[result.status]
    name = message(f"scorecard.status.{result.status}", lang)
    if result.status in ("unmet", "review"):
        tip = "; ".join(f.title[lang] for f in result.findings)
        count = f" {len(result.findings)}" if len(result.findings) > 1 else ""
        return (
            f"<td class='s {result.status}'><a href='#{_anchor(p_index, r_index)}' title='{esc(tip)}'>"
            f"{symbol}{count}</a></td>"
        )
    tip = result.reason.text(lang) if result.reason else name
    return f"<td class='s {result.status}' title='{esc(tip)}'>{symbol}</td>"


def _details(card: Scorecard, lang: str) -> str:
    """Per platform: notes, then each unmet requirement with its quotes."""
    parts = [f"<h2>{esc(message('scorecard.evidence', lang))}</h2>"]
    order = [i for _, _, indices in card.articles() for i in indices]
    for p_index, platform in enumerate(card.platforms):
        unmet = [i for i in order if platform.results[i].status in ("unmet", "review")]
        parts.append(f"<h3>{esc(platform.name)}</h3>")
        if platform.url:
            parts.append(
                f"<p class=meta>{esc(platform.url)} · v{esc(platform.version)} · "
                f"{esc(iso_time(platform.fetched_at) or '')} · sha256 {esc(platform.text_sha256 or '')}</p>"
            )
        for note in platform.notes:
            parts.append(f"<p class=meta>{esc(note.text(lang))}</p>")
        if not unmet:
            parts.append(
                f"<p class=muted>{esc(message('scorecard.none_unmet', lang))}</p>"
            )
        for r_index in unmet:
            requirement = card.requirements[r_index]
            result = platform.results[r_index]
            parts.append(
                f"<div class=item id='{_anchor(p_index, r_index)}'>"
                f"<strong>{esc(article_label(requirement.article, lang))} · "
                f"{esc(requirement.title[lang])}</strong> <span class=rule>{esc(requirement.rule)}</span>"
            )
            for finding in result.findings:
                parts.append(
                    f"<p>{esc(finding.title[lang])}"
                    f"<span class='sev {esc(finding.severity)}'>"
                    f"{esc(message(f'scorecard.severity.{finding.severity}', lang))}</span></p>"
                )
                if finding.reason is not None:
                    why = message(
                        "audit.review_reason", lang, reason=finding.reason[lang]
                    )
                    parts.append(f"<p class=muted><em>{esc(why)}</em></p>")
                quotes = [e for e in finding.evidence if e.entry_index is None]
                requests = [e for e in finding.evidence if e.entry_index is not None]
                for evidence in quotes:
                    parts.append(
                        f"<blockquote>{esc(evidence.text)} "
                        f"<span class=off>[{evidence.start}:{evidence.end}]</span></blockquote>"
                    )
                for evidence in requests:
                    parts.append(
                        f"<p class=meta>{esc(message('audit.request', lang, index=evidence.entry_index, host=evidence.host))}</p>"
                    )
                if not finding.evidence:
                    parts.append(
                        f"<p class=muted>{esc(message('scorecard.nothing_to_quote', lang))}</p>"
                    )
            parts.append("</div>")
    return "\n".join(parts)
