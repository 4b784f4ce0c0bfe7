"""Record what a site does: headless Chromium (the system one, as
``ingest/render.py`` launches it, every request checked by the address
policy) runs a journey with a test persona and leaves, per run, a HAR (with
WebSocket messages), a page record (``<name>.record.json``, schema
``privwatch.record/1``) and one PNG screenshot per step.

Consent runs: where the first run finds a consent banner, two more fresh
contexts run the same journey clicking "reject all" then "accept all"; the
three runs are ``<name>.none.*``, ``<name>.reject.*`` and ``<name>.accept.*``.
Without a banner (or with ``consent_runs=False``) there is one run,
``<name>.*``, whose ``consent_run`` is null.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from privwatch.errors import FetchError

if TYPE_CHECKING:
    from privwatch.record.journey import Journey
    from privwatch.traffic.persona import Persona

#: seconds one journey (one consent run) may take
DEFAULT_TIMEOUT = 60.0
CONSENT_RUNS = ("none", "reject", "accept")


@dataclass(frozen=True)
class Recorded:
    """One run's files."""

    consent_run: str | None
    har: Path
    record: Path
    screenshots: tuple[Path, ...]
    banner: bool
    steps_failed: int


def record_site(
    url: str,
    persona: Persona,
    out: Path,
    *,
    journey: Journey | None = None,
    consent_runs: bool = True,
    timeout: float = DEFAULT_TIMEOUT,
    progress: Callable[[str], None] | None = None,
) -> list[Recorded]:
    """Record ``url``; ``out`` is the HAR's path (``session.har``): the
    other files are named after it, in its folder."""
    from privwatch.ingest.source import is_url

    if not is_url(url):
        raise FetchError("fetch.invalid_url", url=url, reason="not an http(s) URL")
    try:
        from playwright.sync_api import sync_playwright
    except ImportError:
        raise FetchError(
            "fetch.render_unavailable", url=url, reason="install privwatch[render]"
        ) from None
    from privwatch.record import browser as chrome
    from privwatch.record.journey import default_journey
    from privwatch.record.session import run_journey

    rules = chrome.host_rules()
    steps = journey or default_journey(url)
    out.parent.mkdir(parents=True, exist_ok=True)
    stem = out.name[:-4] if out.name.lower().endswith(".har") else out.name
    base = out.with_name(stem)
    recorded: list[Recorded] = []
    with sync_playwright() as playwright:
        browser = chrome.launch(playwright, url, rules)
        try:
            first_consent = "none" if consent_runs else None
            runs = [first_consent]
            index = 0
            while index < len(runs):
                consent = runs[index]
                named = base.with_name(f"{stem}.{consent}") if consent else base
                if progress:
                    progress(consent or "")
                run = run_journey(
                    browser,
                    url,
                    steps,
                    persona,
                    named.with_name(named.name + ".har"),
                    consent=consent,
                    rules=rules,
                    timeout=timeout,
                    playwright=playwright,
                )
                if index == 0 and consent_runs:
                    if run.banner:
                        runs += ["reject", "accept"]
                    else:  # no banner: one run, no consent run
                        run.consent_run = None
                        named = base
                record = run.finish(named)
                recorded.append(
                    Recorded(
                        consent_run=run.consent_run,
                        har=run.har,
                        record=record,
                        screenshots=tuple(p for _, p in sorted(run.shots.items())),
                        banner=run.banner,
                        steps_failed=sum(1 for s in run.steps if not s["ok"]),
                    )
                )
                index += 1
        finally:
            chrome.close_quietly(browser)
    return recorded
