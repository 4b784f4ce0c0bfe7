"""One recording: a fresh browser context runs a journey and leaves a HAR, the
page record (``<name>.record.json``, schema ``privwatch.record/1``) and one
screenshot per step beside it."""

from __future__ import annotations

import contextlib
import hashlib
import json
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import TYPE_CHECKING, Any
from urllib.parse import urlsplit

from privwatch.attribution.hosts import registrable_domain
from privwatch.errors import FetchError
from privwatch.ingest.render import _first_line
from privwatch.ingest.source import MAX_REDIRECTS, USER_AGENT
from privwatch.record import browser as chrome
from privwatch.record import pageops
from privwatch.record.instrument import BINDING, SCRIPT
from privwatch.record.journey import Journey, Step
from privwatch.record.vocab import consent_buttons, journey_words

if TYPE_CHECKING:
    from playwright.sync_api import Browser, BrowserContext, Page, Playwright

    from privwatch.traffic.persona import Persona

SCHEMA = "privwatch.record/1"
#: milliseconds an action (a click, a field) may take before it counts as failed
ACTION_MS = 10_000
#: milliseconds between two characters typed
KEY_DELAY_MS = 40
VIEWPORT = {"width": 1280, "height": 900}
RECORD_ACTIONS = {"follow": "click"}


def now() -> str:
    return chrome.iso_ms(datetime.now(UTC))


class StepFailed(Exception):
    """A step that could not be done (its reason goes in the record)."""


@dataclass
class Run:
    """What one context produced, before its files get their final names."""

    url: str
    consent_run: str | None
    har: Path
    started_at: str
    ended_at: str = ""
    banner: bool = False
    steps: list[dict[str, Any]] = field(default_factory=list)
    events: list[dict[str, Any]] = field(default_factory=list)
    cookies: list[dict[str, Any]] = field(default_factory=list)
    persona_keys: list[str] = field(default_factory=list)
    shots: dict[int, Path] = field(default_factory=dict)

    def finish(self, base: Path) -> Path:
        """Move the files to ``base`` (``dir/session`` or ``dir/session.none``)
        and write the record beside them; returns the record's path."""
        har = base.with_name(base.name + ".har")
        if self.har != har:
            self.har.replace(har)
            self.har = har
        for index, shot in sorted(self.shots.items()):
            moved = base.with_name(f"{base.name}.step{index:02d}.png")
            if shot != moved:
                shot.replace(moved)
            self.shots[index] = moved
        for step in self.steps:
            taken = self.shots.get(step["index"])
            step["screenshot"] = taken.name if taken else None
        record = {
            "schema": SCHEMA,
            "url": self.url,
            "started_at": self.started_at,
            "ended_at": self.ended_at,
            "consent_run": self.consent_run,
            "har": har.name,
            "har_sha256": hashlib.sha256(har.read_bytes()).hexdigest(),
            "persona_keys": self.persona_keys,
            "steps": self.steps,
            "events": sorted(self.events, key=lambda e: e["t"]),
            "cookies": self.cookies,
        }
        path = base.with_name(base.name + ".record.json")
        path.write_text(
            json.dumps(record, ensure_ascii=False, indent=1) + "\n", "utf-8"
        )
        return path


class _Recorder:
    """Runs the steps of one journey in one context."""

    def __init__(
        self,
        context: BrowserContext,
        page: Page,
        police: chrome.Police,
        run: Run,
        persona: Persona,
        deadline: float,
    ) -> None:
        self.context = context
        self.page = page
        self.police = police
        self.run = run
        self.values = {k: v for k, v in persona.values()}
        self.deadline = deadline
        self.step = 0
        self.calls: dict[tuple[str, str], dict[str, Any]] = {}

    # what the page tells through the binding
    def report(self, _source: Any, payload: Any) -> None:
        if not isinstance(payload, dict):
            return
        kind = payload.get("kind")
        if kind == "api_call":
            key = (str(payload.get("api")), str(payload.get("script")))
            if key not in self.calls:
                event = {
                    "t": _from_ms(payload.get("t")),
                    "kind": "api_call",
                    "api": key[0],
                    "script": key[1],
                    "count": 0,
                }
                self.calls[key] = event
                self.run.events.append(event)
            self.calls[key]["count"] += 1
        elif kind == "counts":
            for item in payload.get("items") or []:
                key = (str(item.get("api")), str(item.get("script")))
                if key in self.calls:
                    self.calls[key]["count"] += int(item.get("n") or 0)
        elif kind == "submit":
            self.run.events.append(
                {
                    "t": _from_ms(payload.get("t")),
                    "kind": "submit",
                    "selector": str(payload.get("selector") or ""),
                    "step": self.step,
                }
            )

    def flush(self) -> None:
        from playwright.sync_api import Error as PlaywrightError

        with contextlib.suppress(PlaywrightError):
            self.page.evaluate("() => window.__privwatchFlush && __privwatchFlush()")

    def remaining_ms(self) -> float:
        return max(1.0, (self.deadline - time.monotonic()) * 1000)

    def do(self, index: int, step: Step, consent: str | None) -> None:
        from playwright.sync_api import Error as PlaywrightError

        self.step = index
        action = step.action
        started = now()
        ok, error, target = True, "", ""
        if time.monotonic() >= self.deadline:
            ok, error = False, "not run: the journey's time limit passed"
        else:
            self.context.set_default_timeout(min(ACTION_MS, self.remaining_ms()))
            try:
                target = getattr(self, f"_{action}")(step, consent)
            except (PlaywrightError, StepFailed) as exc:
                ok, error = False, _first_line(exc)
                if index == 1 and action == "goto":
                    raise self._unreachable(step.goto or "", exc) from None
        self.run.steps.append(
            {
                "index": index,
                "action": RECORD_ACTIONS.get(action, action),
                "target": target or _target(step),
                "started_at": started,
                "ended_at": now(),
                "ok": ok,
                "error": error,
                "screenshot": None,
            }
        )
        if ok or time.monotonic() < self.deadline:
            self._screenshot(index)

    def _screenshot(self, index: int) -> None:
        from playwright.sync_api import Error as PlaywrightError

        path = self.run.har.with_name(f"{self.run.har.stem}.step{index:02d}.png")
        with contextlib.suppress(PlaywrightError):
            self.page.screenshot(path=str(path), timeout=min(5000, self.remaining_ms()))
            self.run.shots[index] = path

    def _unreachable(self, url: str, exc: Exception) -> FetchError:
        if self.police.refused:
            return self.police.refused[0]
        reason = _first_line(self.police.failure or exc)
        return FetchError("fetch.unreachable", url=url, reason=reason)

    # the actions: each returns the step's target as the record shows it
    def _goto(self, step: Step, consent: str | None) -> str:
        target = step.goto or ""
        for _ in range(MAX_REDIRECTS + 1):
            self.police.redirect = None
            self.flush()
            try:
                response = self.page.goto(
                    target, wait_until="load", timeout=self.remaining_ms()
                )
                break
            except Exception:
                if self.police.redirect is None or self.police.refused:
                    raise
                target = self.police.redirect
        else:
            raise StepFailed(f"more than {MAX_REDIRECTS} redirects")
        if response is not None and response.status >= 400:
            raise StepFailed(f"HTTP {response.status}")
        pageops.settle(self.page, self.remaining_ms())
        return step.goto or ""

    def _consent(self, step: Step, consent: str | None) -> str:
        buttons = pageops.consent_candidates(self.page, consent_buttons())
        self.run.banner = bool(buttons)
        action, text = "none", ""
        found = " | ".join(t for _, _, t in buttons.values())
        target = f"banner: {found}" if buttons else "no banner"
        wanted = consent if consent in ("reject", "accept") else None
        failure = ""
        # the choice's time is the click's, before what it sets off: a request
        # the page starts in the button's own handler is after the choice
        clicked = now()
        if wanted is not None:
            if wanted in buttons:
                frame, index, text = buttons[wanted]
                clicked = now()
                pageops.click_nth(frame, pageops.CLICKABLE, index)
                action = wanted
                pageops.settle(self.page, min(2000, self.remaining_ms()))
            else:
                failure = f"no {wanted} button on the banner"
        self.run.events.append(
            {
                "t": clicked,
                "kind": "consent",
                "banner": self.run.banner,
                "action": action,
                "button_text": text,
            }
        )
        if failure:
            raise StepFailed(failure)
        return f"{target} -> {text}" if text else target

    def _scroll(self, step: Step, consent: str | None) -> str:
        pageops.scroll(self.page)
        return "page"

    def _type(self, step: Step, consent: str | None) -> str:
        typed = []
        for index, kind, label in pageops.typeable(self.page, journey_words()):
            whole = self.values.get(kind.persona_key)
            value = kind.value(whole) if whole else None
            if not value:
                continue
            self._type_into(pageops.INPUTS, index, label, kind.persona_key, value)
            typed.append(label)
        if not typed:
            raise StepFailed("no visible input to type into")
        return ", ".join(typed)

    def _type_into(
        self, selector: str, index: int, label: str, key: str, value: str
    ) -> None:
        self.run.events.append(
            {
                "t": now(),
                "kind": "input",
                "field": label,
                "persona_key": key,
                "step": self.step,
            }
        )
        if key and key not in self.run.persona_keys:
            self.run.persona_keys.append(key)
        pageops.type_slowly(self.page, selector, index, value, KEY_DELAY_MS)

    def _fill(self, step: Step, consent: str | None) -> str:
        fill = step.fill
        assert fill is not None
        key = fill.persona_key or ""
        value = fill.value if fill.value is not None else self.values.get(key)
        if not value:
            raise StepFailed(f"the persona has no {key}")
        if fill.selector:
            self._type_into(fill.selector, 0, fill.selector, key, value)
            return fill.selector
        for index, kind, label in pageops.typeable(self.page, journey_words()):
            if kind.kind == fill.field and kind.part is None:
                self._type_into(pageops.INPUTS, index, label, key, value)
                return label
        raise StepFailed(f"no visible {fill.field} field")

    def _wait(self, step: Step, consent: str | None) -> str:
        seconds = min(step.wait or 0.0, self.remaining_ms() / 1000)
        self.page.wait_for_timeout(seconds * 1000)
        return f"{step.wait:g}s"

    def _follow(self, step: Step, consent: str | None) -> str:
        assert step.follow is not None
        kind = step.follow.link
        found = pageops.same_site_link(self.page, journey_words(), kind)
        if found is None:
            raise StepFailed(f"no {kind} link on the same site")
        index, text, href = found
        self.flush()
        pageops.click_nth(self.page, "a[href]", index, navigates=True)
        pageops.settle(self.page, self.remaining_ms())
        return f"{text} <{href}>" if text else href

    def _click(self, step: Step, consent: str | None) -> str:
        assert step.click is not None
        self.flush()
        if step.click.text:
            self.page.get_by_text(step.click.text).first.click()
        else:
            self.page.locator(step.click.selector or "").first.click()
        pageops.settle(self.page, min(5000, self.remaining_ms()))
        return step.click.text or step.click.selector or ""

    def _submit(self, step: Step, consent: str | None) -> str:
        selector = step.submit or ""
        before = sum(1 for e in self.run.events if e["kind"] == "submit")
        self.flush()
        pageops.submit(self.page, selector)
        pageops.settle(self.page, min(5000, self.remaining_ms()))
        after = sum(1 for e in self.run.events if e["kind"] == "submit")
        if after == before:  # the page navigated before its listener told us
            self.run.events.append(
                {"t": now(), "kind": "submit", "selector": selector, "step": self.step}
            )
        return selector


def run_journey(
    browser: Browser,
    url: str,
    journey: Journey,
    persona: Persona,
    har: Path,
    *,
    consent: str | None,
    rules: dict[str, chrome.HostRule],
    timeout: float,
    playwright: Playwright | None = None,
) -> Run:
    """Run ``journey`` in a fresh context recording into ``har``."""
    run = Run(url=url, consent_run=consent, har=har, started_at=now())
    deadline = time.monotonic() + timeout
    context = browser.new_context(
        user_agent=USER_AGENT,
        service_workers="block",  # they would fetch beyond the police's reach
        record_har_path=str(har),
        record_har_content="embed",
        viewport=VIEWPORT,  # type: ignore[arg-type]
        locale="ko-KR",
    )
    police = chrome.Police(
        lambda: max(1.0, (deadline - time.monotonic()) * 1000),
        rules,
        playwright,
        context,
    )
    sockets = chrome.SocketLog(time.time)
    done = False
    try:
        page = context.new_page()
        police.page = page
        recorder = _Recorder(context, page, police, run, persona, deadline)
        context.expose_binding(BINDING, recorder.report)
        context.add_init_script(SCRIPT)
        context.route("**/*", police)
        context.route_web_socket("**/*", chrome.police_web_socket(rules, sockets))
        for index, step in enumerate(journey.steps, 1):
            recorder.do(index, step, consent)
        recorder.flush()
        page.wait_for_timeout(300)  # the last counts reach the binding
        run.cookies = _cookies(context.cookies(), url)
        done = True
    finally:
        run.ended_at = now()
        chrome.close_quietly(context)
        if not done:  # the page never opened: no half recording left behind
            for path in (har, *run.shots.values()):
                path.unlink(missing_ok=True)
    if har.is_file():
        data = json.loads(har.read_text("utf-8"))
        chrome.complete_har(data, sockets, police.addresses)
        har.write_text(json.dumps(data, ensure_ascii=False), "utf-8")
    return run


def _cookies(cookies: list[Any], url: str) -> list[dict[str, Any]]:
    site = registrable_domain(urlsplit(url).hostname or "")
    out = []
    for cookie in cookies:
        domain = str(cookie.get("domain") or "")
        expires = cookie.get("expires")
        out.append(
            {
                "name": str(cookie.get("name") or ""),
                "domain": domain,
                "path": str(cookie.get("path") or "/"),
                "third_party": registrable_domain(domain.lstrip(".")) != site,
                "expires": expires
                if isinstance(expires, int | float) and expires >= 0
                else None,
            }
        )
    return out


def _from_ms(value: Any) -> str:
    if isinstance(value, int | float):
        return chrome.iso_ms(datetime.fromtimestamp(value / 1000, UTC))
    return now()


def _target(step: Step) -> str:
    value = getattr(step, step.action)
    if isinstance(value, str | float | int):
        return str(value)
    return ""


Progress = Callable[[str], None]
