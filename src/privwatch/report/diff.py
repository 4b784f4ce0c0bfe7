"""Show a diff between two versions: in the terminal, or as one HTML page."""

from __future__ import annotations

from dataclasses import dataclass
from html import escape

from rich.cells import cell_len
from rich.console import Console
from rich.text import Text

from privwatch import __version__
from privwatch.diff import ClauseChange, FindingDelta, summary
from privwatch.i18n import message
from privwatch.models import Finding
from privwatch.report.page import document, esc, meta_list, now_iso, terminal_word
from privwatch.report.terminal import hanging, plain
from privwatch.rules.words import finding_words

COLOUR = {"added": "green", "removed": "red", "moved": "dim"}
STYLE = {"delete": "red strike", "insert": "green bold", "equal": ""}
#: the widest severity word (``MEDIUM``; ``높음`` is four columns)
SEVERITY_WIDTH = 6
MARK = {"added": "+", "removed": "-", "changed": "~", "moved": "↕"}


def render_diff_table(
    title: str,
    changes: list[ClauseChange],
    delta: FindingDelta,
    console: Console,
    *,
    lang: str,
) -> None:
    hanging(console, Text(title, style="bold"))
    hanging(console, message("diff.clauses", lang, **summary(changes)))
    for change in changes:
        line = Text(f"{MARK[change.kind]} ", style="bold")
        if change.kind == "changed":
            for piece in change.pieces:
                if piece.op != "equal" and plain(console):
                    line.append(f"[{'-' if piece.op == 'delete' else '+'}{piece.text}]")
                else:
                    line.append(piece.text, style=STYLE[piece.op])
        else:
            text = change.old if change.kind == "removed" else change.new
            line.append(text or "", style=COLOUR[change.kind])
        hanging(console, line, hang=2)
    for name in ("new", "resolved"):
        findings = getattr(delta, name)
        console.print()
        hanging(
            console,
            Text(
                message(f"diff.findings_{name}", lang, count=len(findings)),
                style="bold underline",
            ),
        )
        for finding in findings:
            _finding_line(console, finding, lang)
    _evidence_changed(console, delta, lang)


def _finding_line(console: Console, finding: Finding, lang: str) -> None:
    """A finding's severity, padded to one display width (Korean words take two
    columns a character), its title and rule."""
    title = finding_words(finding, lang).title
    severity = terminal_word("severity", finding.severity, lang)
    pad = " " * max(SEVERITY_WIDTH - cell_len(severity), 0)
    hanging(console, f"  {severity}{pad} {title}  ({finding.rule})", hang=2)


def _evidence_changed(console: Console, delta: FindingDelta, lang: str) -> None:
    """The findings in both versions whose quote changed: each with the new
    quote (and the old one, struck), then how many stayed as they were."""
    changed = delta.evidence_changed
    console.print()
    hanging(
        console,
        Text(
            message("diff.findings_evidence", lang, count=len(changed)),
            style="bold underline",
        ),
    )
    for old, new in changed:
        _finding_line(console, new, lang)
        for mark, quote in changed_quotes(old, new):
            line = Text(f"    {mark} ", style="bold")
            line.append(f"“{quote}”", style="red" if mark == "-" else "green")
            hanging(console, line, hang=3)
    same = len(delta.unchanged) - len(changed)
    hanging(console, message("diff.findings_same", lang, count=same))


@dataclass(frozen=True)
class Side:
    """One of the two stored versions compared, as the page names it."""

    number: int
    fetched_at: str
    url: str
    sha256: str


def provenance(
    platform: str, kind: str, sides: tuple[Side, ...], lang: str, generated_at: str
) -> str:
    """Where the two texts came from, as the other pages say it: platform,
    document, each version's number, time, address and SHA-256, privwatch."""
    rows = [
        (message("diff.meta.platform", lang), esc(platform)),
        (message("diff.meta.kind", lang), esc(terminal_word("document", kind, lang))),
    ]
    for name, side in zip(("from", "to"), sides, strict=False):
        value = message(
            "diff.meta.version_value",
            lang,
            number=side.number,
            fetched=side.fetched_at,
            url=side.url,
            sha256=side.sha256,
        )
        rows.append((message(f"diff.meta.{name}", lang), esc(value)))
    rows += [
        (message("html.meta.version", lang), esc(f"privwatch {__version__}")),
        (message("html.meta.generated", lang), esc(generated_at)),
    ]
    return meta_list(rows)


CSS = """body{font-family:system-ui,'Noto Sans KR',sans-serif;max-width:60rem;margin:2rem auto;line-height:1.5}
del{background:#fdd;color:#900}ins{background:#dfd;color:#060;text-decoration:none}
.added{border-left:4px solid #2a2;padding-left:.5rem}.removed{border-left:4px solid #c22;padding-left:.5rem;color:#900}
.changed{border-left:4px solid #c90;padding-left:.5rem}.moved{border-left:4px solid #888;padding-left:.5rem;color:#555}
dl.meta{display:grid;grid-template-columns:max-content 1fr;gap:.2rem 1rem;font-size:.9rem;color:#444}
dl.meta dt{font-weight:600}dl.meta dd{margin:0;overflow-wrap:anywhere}footer{margin-top:2rem;font-size:.85rem;color:#666}"""


TAGS = {"-": "del", "+": "ins"}


def changed_quotes(old: Finding, new: Finding) -> list[tuple[str, str]]:
    """The quotes of a finding that changed between two versions: ``-`` for
    each the old one had and the new one has not, then ``+`` the reverse."""
    before = [" ".join(e.text.split()) for e in old.evidence]
    after = [" ".join(e.text.split()) for e in new.evidence]
    return [("-", q) for q in before if q not in after] + [
        ("+", q) for q in after if q not in before
    ]


def _evidence_html(delta: FindingDelta, lang: str) -> str:
    """The findings in both versions whose quote changed, old quote struck."""
    changed = delta.evidence_changed
    items = []
    for old, new in changed:
        quotes = "".join(
            f"<br><{TAGS[mark]}>{escape(quote)}</{TAGS[mark]}>"
            for mark, quote in changed_quotes(old, new)
        )
        items.append(
            f"<li>{escape(message(f'html.severity.{new.severity}', lang))}: "
            f"{escape(finding_words(new, lang).title)} ({escape(new.rule)}){quotes}</li>"
        )
    same = len(delta.unchanged) - len(changed)
    return (
        f"<h2>{escape(message('diff.findings_evidence', lang, count=len(changed)))}</h2>"
        f"<ul>{''.join(items)}</ul>"
        f"<p>{escape(message('diff.findings_same', lang, count=same))}</p>"
    )


def render_diff_html(
    title: str,
    changes: list[ClauseChange],
    delta: FindingDelta,
    *,
    lang: str,
    platform: str = "",
    kind: str = "",
    sides: tuple[Side, ...] = (),
    generated_at: str | None = None,
) -> str:
    """One self-contained page with its provenance; every text from the
    documents is escaped."""
    parts = [
        f"<h1>{escape(title)}</h1>",
        provenance(platform, kind, sides, lang, generated_at or now_iso()),
        f"<p>{escape(message('diff.clauses', lang, **summary(changes)))}</p>",
    ]
    for change in changes:
        if change.kind == "changed":
            body = "".join(
                escape(p.text)
                if p.op == "equal"
                else f"<{'del' if p.op == 'delete' else 'ins'}>{escape(p.text)}</{'del' if p.op == 'delete' else 'ins'}>"
                for p in change.pieces
            )
        else:
            body = escape(
                (change.old if change.kind == "removed" else change.new) or ""
            )
        parts.append(f"<p class={change.kind}>{body}</p>")
    for name in ("new", "resolved"):
        findings = getattr(delta, name)
        parts.append(
            f"<h2>{escape(message(f'diff.findings_{name}', lang, count=len(findings)))}</h2><ul>"
        )
        parts.extend(
            f"<li>{escape(message(f'html.severity.{f.severity}', lang))}: {escape(finding_words(f, lang).title)} ({escape(f.rule)})</li>"
            for f in findings
        )
        parts.append("</ul>")
    parts.append(_evidence_html(delta, lang))
    footer = message("html.footer", lang, version=__version__)
    parts.append(f"<footer>{escape(footer)}</footer>")
    return document(lang=lang, title=title, style=CSS, body="\n".join(parts) + "\n")
