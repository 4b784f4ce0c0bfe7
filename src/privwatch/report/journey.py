"""The recorded journey in the audit's HTML page: each step, what it did and
its screenshot, embedded as a ``data:`` URI (the page stays one file that
fetches nothing)."""

from __future__ import annotations

import base64
from collections.abc import Sequence
from dataclasses import dataclass

from privwatch.i18n import message
from privwatch.report.page import esc

CSS = """
.journey{display:grid;grid-template-columns:repeat(auto-fill,minmax(min(100%,36rem),1fr));gap:1rem;margin:.6rem 0}
.journey figure{margin:0;border:1px solid var(--line);border-radius:6px;padding:.5rem;background:#fff;break-inside:avoid}
.journey figure.failed{border-color:var(--high);background:var(--high-bg)}
.journey img{display:block;width:100%;height:auto;border:1px solid var(--line)}
.journey figcaption{font-size:.82rem;margin-top:.35rem;word-break:break-word}
"""


@dataclass(frozen=True)
class JourneyStep:
    """One step of a recorded journey, as the page record tells it."""

    index: int
    action: str
    target: str
    ok: bool
    error: str
    png: bytes | None


#: (the recorded URL, the HAR's file name, the steps)
JourneyRecord = tuple[str, str, Sequence[JourneyStep]]


def journey_section(url: str, har: str, steps: Sequence[JourneyStep], lang: str) -> str:
    """The section's markup: a line naming the recording, then the steps."""
    intro = message("html.journey.intro", lang, url=url, har=har, steps=len(steps))
    figures = []
    for step in steps:
        image = ""
        if step.png is not None:
            data = base64.b64encode(step.png).decode("ascii")
            alt = message("html.journey.alt", lang, index=step.index)
            image = f'<img src="data:image/png;base64,{data}" alt="{esc(alt)}">'
        state = (
            message("html.journey.ok", lang)
            if step.ok
            else message("html.journey.failed", lang, error=step.error)
        )
        figures.append(
            f'<figure class="{"" if step.ok else "failed"}">{image}<figcaption>'
            f"<b>{step.index}. {esc(step.action)}</b> "
            f'<span class="mono">{esc(step.target)}</span><br>'
            f'<span class="muted">{esc(state)}</span></figcaption></figure>'
        )
    return (
        f"<style>{CSS}</style>"
        f'<p class="small muted">{esc(intro)}</p>'
        f'<div class="journey">{"".join(figures)}</div>'
    )
