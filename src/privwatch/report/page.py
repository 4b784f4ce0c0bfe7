"""The skeleton every HTML file privwatch writes shares (``document``): one
file, styles inline, no scripts, no fetches, and one Content-Security-Policy
that forbids them even if something slipped through escaping.

Everything shown that came from a policy, a HAR or a registry goes through
``esc``; markup is built only from our own strings.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from datetime import UTC, datetime
from html import escape

from privwatch import __version__
from privwatch.extract.lexicon import country_names
from privwatch.i18n import message

#: no script, no fetch, no form, no plug-in; only the inline <style> applies,
#: and images embedded in the page itself (a recorded journey's screenshots)
CSP = (
    "default-src 'none'; style-src 'unsafe-inline'; img-src data:; "
    "font-src 'none'; connect-src 'none'; form-action 'none'; base-uri 'none'"
)

FONTS = (
    'system-ui,-apple-system,"Segoe UI","Noto Sans KR","Noto Sans CJK KR",'
    '"Apple SD Gothic Neo","Malgun Gothic",Roboto,"Helvetica Neue",Arial,sans-serif'
)
MONO = 'ui-monospace,"SFMono-Regular","Noto Sans Mono CJK KR",Menlo,Consolas,monospace'

CSS = f"""
:root{{--ink:#1d2433;--muted:#5b6475;--line:#d9dee7;--soft:#f5f7fa;--accent:#1f3a5f;
--high:#b42318;--high-bg:#fdecea;--medium:#a15c07;--medium-bg:#fef4e6;--low:#175cd3;--low-bg:#eaf2ff;
--ok:#1e7a46;--ok-bg:#e8f5ee;--mark:#fff0a8;--said:#dff3ff}}
*{{box-sizing:border-box}}
html{{-webkit-text-size-adjust:100%}}
body{{font:15px/1.6 {FONTS};color:var(--ink);background:#fff;margin:0}}
.wrap{{max-width:74rem;margin:0 auto;padding:0 1.5rem 3rem}}
header.top{{background:var(--accent);color:#fff;padding:1.4rem 0 1.2rem;margin-bottom:1.5rem}}
header.top .wrap{{padding-bottom:0}}
header.top .kind{{font-size:.8rem;letter-spacing:.06em;text-transform:uppercase;opacity:.85}}
header.top h1{{margin:.2rem 0 0;font-size:1.55rem;line-height:1.3;word-break:break-word}}
header.top .sub{{opacity:.9;font-size:.9rem;margin-top:.3rem;word-break:break-all}}
h2{{font-size:1.2rem;margin:2.4rem 0 .8rem;padding-bottom:.3rem;border-bottom:2px solid var(--accent);color:var(--accent)}}
h3{{font-size:1.02rem;margin:1.6rem 0 .5rem}}
a{{color:#1d4ed8}}
nav.toc ol{{margin:.2rem 0;padding-left:1.3rem;columns:2;column-gap:2rem}}
nav.toc{{background:var(--soft);border:1px solid var(--line);border-radius:6px;padding:.6rem 1rem;font-size:.9rem}}
dl.meta{{display:grid;grid-template-columns:max-content 1fr;gap:.15rem 1.2rem;margin:0;font-size:.88rem}}
dl.meta dt{{color:var(--muted)}}dl.meta dd{{margin:0;word-break:break-all}}
.mono,code{{font-family:{MONO};font-size:.86em}}
.muted{{color:var(--muted)}}.small{{font-size:.85rem}}
.stats{{display:flex;flex-wrap:wrap;gap:.8rem;margin:.6rem 0 1rem}}
.stat{{border:1px solid var(--line);border-radius:8px;padding:.55rem .9rem;min-width:8.5rem;background:#fff}}
.stat b{{display:block;font-size:1.6rem;line-height:1.2}}
.stat span{{font-size:.82rem;color:var(--muted)}}
.stat.high{{border-color:var(--high);background:var(--high-bg)}}.stat.high b{{color:var(--high)}}
.stat.medium{{border-color:var(--medium);background:var(--medium-bg)}}.stat.medium b{{color:var(--medium)}}
.stat.low{{border-color:var(--low);background:var(--low-bg)}}.stat.low b{{color:var(--low)}}
.stat.x{{border-color:var(--high);background:var(--high-bg)}}.stat.x b{{color:var(--high)}}
table.grid{{border-collapse:collapse;width:100%;font-size:.88rem;margin:.4rem 0 1rem}}
table.grid th,table.grid td{{border:1px solid var(--line);padding:.35rem .55rem;vertical-align:top;text-align:left}}
table.grid thead th{{background:var(--soft);font-weight:600}}
table.grid td.n,table.grid th.n{{text-align:right;font-variant-numeric:tabular-nums;white-space:nowrap}}
table.grid tfoot td{{font-weight:600;background:var(--soft)}}
.badge{{display:inline-block;border-radius:999px;padding:0 .55rem;font-size:.75rem;font-weight:700;
letter-spacing:.03em;line-height:1.55rem;white-space:nowrap;border:1px solid transparent}}
.badge.high{{background:var(--high-bg);color:var(--high);border-color:var(--high)}}
.badge.medium{{background:var(--medium-bg);color:var(--medium);border-color:var(--medium)}}
.badge.low{{background:var(--low-bg);color:var(--low);border-color:var(--low)}}
.badge.xb{{background:var(--high);color:#fff}}
.badge.dom{{background:var(--ok-bg);color:var(--ok);border-color:var(--ok)}}
.badge.unk{{background:#f3f0fa;color:#5b3fa6;border-color:#8e7cc3}}
.badge.party{{background:var(--soft);color:var(--muted);border-color:var(--line)}}
.badge.clear{{background:var(--ok-bg);color:var(--ok)}}
.badge.vague{{background:var(--medium-bg);color:var(--medium)}}
.badge.omitted,.badge.incorrect{{background:var(--high-bg);color:var(--high)}}
tr.xb td{{background:#fff6f5}}tr.xb td:first-child{{box-shadow:inset 4px 0 0 var(--high)}}
.finding{{border:1px solid var(--line);border-left:5px solid var(--muted);border-radius:6px;padding:.7rem 1rem;margin:.9rem 0;break-inside:avoid}}
.finding.high{{border-left-color:var(--high)}}.finding.medium{{border-left-color:var(--medium)}}.finding.low{{border-left-color:var(--low)}}
.finding:target{{box-shadow:0 0 0 3px #93c5fd}}
.finding .head{{display:flex;flex-wrap:wrap;gap:.5rem;align-items:baseline}}
.finding .num{{font-weight:700;color:var(--muted)}}
.finding .title{{font-weight:700}}
.finding .rule{{color:var(--muted);font-size:.78rem;font-family:{MONO}}}
.finding p{{margin:.4rem 0}}
.finding .label{{font-weight:600;color:var(--muted);font-size:.85rem}}
blockquote.q{{margin:.35rem 0;padding:.4rem .7rem;background:var(--soft);border-left:3px solid var(--line);font-size:.92rem}}
blockquote.q .off{{color:var(--muted);font-size:.78rem;font-family:{MONO};white-space:nowrap}}
blockquote.statute{{margin:.4rem 0;padding:.45rem .8rem;border-left:3px solid var(--accent);background:#f3f6fb;font-size:.9rem;white-space:pre-wrap}}
details summary{{cursor:pointer;color:var(--muted);font-size:.85rem}}
mark{{background:var(--mark);color:inherit;padding:0;border-radius:2px}}
.policy{{border:1px solid var(--line);border-radius:6px;background:#fcfcfd;padding:.8rem .8rem .8rem 0;font-size:.93rem;line-height:1.75}}
.policy .l{{display:block;position:relative;padding-left:4.6rem;white-space:pre-wrap;word-break:break-word}}
.policy .l::before{{content:attr(data-o);position:absolute;left:0;width:3.8rem;text-align:right;color:#9aa3b2;font:11px/2.1 {MONO};user-select:none}}
.policy .l.h{{font-weight:700;margin-top:.5rem}}
.policy a.hl{{color:inherit;text-decoration:none}}
.policy mark{{border-bottom:2px solid #d4a800}}
.policy mark.high{{background:#fddcd8;border-bottom-color:var(--high)}}
.policy mark.medium{{background:#fde9c8;border-bottom-color:var(--medium)}}
.policy mark.low{{background:#dbe8ff;border-bottom-color:var(--low)}}
.policy mark.said{{background:var(--said);border-bottom:2px dotted #0c74b5}}
.policy mark.multi{{outline:1px dashed #7a5d00}}
.policy mark:target,.policy .anchor:target+a mark{{outline:3px solid #2563eb}}
a.ref{{text-decoration:none;font-size:.68rem;vertical-align:super;line-height:0;font-weight:700;margin:0 1px}}
a.ref::after{{content:"[" attr(data-n) "]"}}
a.ref.said::after{{content:"[" attr(data-n) "]";color:#0c74b5}}
.legend{{display:flex;flex-wrap:wrap;gap:.4rem 1.2rem;font-size:.82rem;color:var(--muted);margin:.3rem 0 .6rem}}
.legend i{{display:inline-block;width:1.6rem;height:.8rem;border-radius:2px;vertical-align:middle;margin-right:.3rem}}
.chart{{border:1px solid var(--line);border-radius:6px;padding:.6rem;background:#fff;overflow-x:auto}}
.chart svg{{display:block;width:100%;height:auto;min-width:44rem}}
.bar{{display:inline-block;vertical-align:middle}}
.banner{{background:var(--high-bg);border:1px solid var(--high);border-radius:6px;padding:.6rem .9rem;font-weight:600;margin:.4rem 0 1rem}}
.finding.review{{border-style:dashed}}
.finding .why{{font-style:italic}}
.note{{background:var(--soft);border:1px solid var(--line);border-radius:6px;padding:.5rem .8rem;font-size:.85rem;color:var(--muted)}}
footer{{margin-top:3rem;padding-top:.8rem;border-top:1px solid var(--line);font-size:.8rem;color:var(--muted)}}
@media print{{
body{{font-size:11pt}}header.top{{background:#fff;color:var(--ink);border-bottom:3px solid var(--accent)}}
nav.toc{{display:none}}a{{color:inherit;text-decoration:none}}
.finding,.stat,tr{{break-inside:avoid}}h2,h3{{break-after:avoid}}
.chart svg{{min-width:0}}
}}
@page{{margin:16mm 14mm}}
"""


def esc(value: object) -> str:
    """Text or attribute value, escaped for HTML (quotes included)."""
    return escape(str(value), quote=True)


def safe_id(*parts: object) -> str:
    """A fragment identifier made of ASCII letters, digits and dashes."""
    raw = "-".join(str(p) for p in parts)
    return re.sub(r"[^A-Za-z0-9]+", "-", raw).strip("-") or "x"


def now_iso() -> str:
    return datetime.now(UTC).replace(microsecond=0).isoformat()


def document(*, lang: str, title: str, style: str, body: str) -> str:
    """Every HTML file privwatch writes (audit, scan, scorecard, evaluation,
    diff): one head with the one ``CSP``; ``title`` is plain text (escaped
    here), ``style`` the page's own CSS, ``body`` markup."""
    return (
        f'<!DOCTYPE html>\n<html lang="{esc(lang)}">\n<head>\n<meta charset="utf-8">\n'
        f'<meta http-equiv="Content-Security-Policy" content="{CSP}">\n'
        '<meta name="viewport" content="width=device-width, initial-scale=1">\n'
        f'<meta name="generator" content="privwatch {esc(__version__)}">\n'
        '<meta name="referrer" content="no-referrer">\n'
        f"<title>{esc(title)}</title>\n<style>{style}</style>\n</head>\n<body>\n"
        f"{body}</body>\n</html>\n"
    )


def page(*, lang: str, title: str, kind: str, heading: str, sub: str, body: str) -> str:
    """A report page (audit, scan): ``title``, ``kind``, ``heading`` and ``sub``
    are plain text (escaped here); ``body`` is markup."""
    return document(
        lang=lang,
        title=title,
        style=CSS,
        body=(
            f'<header class="top"><div class="wrap"><div class="kind">{esc(kind)}</div>'
            f"<h1>{esc(heading)}</h1>"
            + (f'<div class="sub">{esc(sub)}</div>' if sub else "")
            + f'</div></header>\n<main class="wrap">\n{body}\n'
            f"<footer>{esc(message('html.footer', lang, version=__version__))}</footer>\n"
            "</main>\n"
        ),
    )


def meta_list(rows: list[tuple[str, str]]) -> str:
    """A definition list; labels are plain text, values markup."""
    items = "".join(f"<dt>{esc(label)}</dt><dd>{value}</dd>" for label, value in rows)
    return f'<dl class="meta">{items}</dl>'


def toc(entries: list[tuple[str, str]], lang: str) -> str:
    """Contents: (fragment id, title) pairs."""
    items = "".join(f'<li><a href="#{esc(i)}">{esc(t)}</a></li>' for i, t in entries)
    return (
        f'<nav class="toc" aria-label="{esc(message("html.contents", lang))}">'
        f"<strong>{esc(message('html.contents', lang))}</strong><ol>{items}</ol></nav>"
    )


def stat(value: object, label: str, cls: str = "") -> str:
    return f'<div class="stat {esc(cls)}"><b>{esc(value)}</b><span>{esc(label)}</span></div>'


def severity_label(severity: str, lang: str) -> str:
    return message(f"html.severity.{severity}", lang)


def country_name(code: str | None, lang: str) -> str:
    """``미국 (US)`` / ``United States (US)``; the code alone when unknown."""
    if not code:
        return message("html.country_unknown", lang)
    entry = country_names().get(code, {})
    names = (entry.get("ko") if lang == "ko" else entry.get("en")) or []
    return f"{names[0]} ({code})" if names else code


DATA_TYPES = (
    "email",
    "phone",
    "rrn",
    "name",
    "address",
    "device_id",
    "card",
    "passport",
    "driver_license",
    "customs_code",
    "brn",
    "location",
    "birth_date",
    "user_id",
)


def data_label(data_type: str, lang: str) -> str:
    """A data type as a reader names it (``이메일``), the code for others."""
    if data_type in DATA_TYPES:
        return message(f"html.data.{data_type}", lang)
    return data_type


#: the kinds of document a store follows, with words in ``web.kind.<kind>``
DOCUMENT_KINDS = ("privacy", "terms", "trackers")


def terminal_word(kind: str, code: str, lang: str) -> str:
    """A severity, party, data type or document kind in a terminal line: the code in English
    (``HIGH``, ``third``, ``phone``), the reader's word in Korean (``높음``)."""
    if kind == "party" and code == "cloaked":
        return message("scan.party_cloaked", lang)
    if lang != "ko":
        return code.upper() if kind == "severity" else code
    if kind == "data":
        return data_label(code, lang)
    if kind == "document":  # privacy, terms, trackers
        return message(f"web.kind.{code}", lang) if code in DOCUMENT_KINDS else code
    try:
        return message(f"html.{kind}.{code}", lang)
    except KeyError:
        return message("terminal.unknown", lang) if code == "unknown" else code


def terminal_words(kind: str, codes: Iterable[str], lang: str) -> str:
    """Codes in a terminal cell, sorted, each as ``terminal_word`` shows it."""
    return ", ".join(terminal_word(kind, code, lang) for code in sorted(codes))


def cloak_words(host: str, evidence: str, lang: str | None = None) -> str:
    """Why ``host``, a name of the site's own, is a tracker's: in words when
    ``lang`` is given (HTML), else "host: Tracker (protocol)" (the table)."""
    from privwatch.attribution.cloak import signatures

    signature = signatures().get(evidence)
    if lang is None:
        shown = f"{signature.tracker} ({signature.shown})" if signature else evidence
        return f"{host}: {shown}"
    if signature is None:
        return message("html.flows.cloaked_other", lang, host=host, evidence=evidence)
    return message(
        "html.flows.cloaked",
        lang,
        host=host,
        tracker=signature.tracker,
        shown=signature.shown,
    )
