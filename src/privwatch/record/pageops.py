"""What the journey does on a page: find the consent buttons, the inputs and
the links (the page lists them, the vocabularies in ``vocab`` judge them),
scroll, type, click, submit."""

from __future__ import annotations

import contextlib
import re
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any
from urllib.parse import urlsplit

from privwatch.attribution.hosts import registrable_domain

if TYPE_CHECKING:
    from playwright.sync_api import Frame, Page

    from privwatch.record.vocab import ConsentButtons, JourneyWords

#: what a consent banner's buttons are made of
CLICKABLE = "button, a, [role=button], input[type=button], input[type=submit]"
#: inputs the journey may type into (never password, hidden, file, checkbox...)
INPUTS = (
    "input:not([type]), input[type=text], input[type=email], input[type=tel],"
    " input[type=search], input[type=url], input[type=number], textarea"
)
#: milliseconds the page may take to go quiet after a load
IDLE_MS = 2500

_VISIBLE = """
const visible = (el) => {
  const box = el.getBoundingClientRect();
  if (box.width < 1 || box.height < 1) return false;
  const style = getComputedStyle(el);
  return style.visibility !== "hidden" && style.display !== "none" && style.opacity !== "0";
};
"""

_LIST_CLICKABLE = (
    "(selector) => {"
    + _VISIBLE
    + """
  return [...document.querySelectorAll(selector)].map((el, i) => [i,
    visible(el) ? (el.innerText || el.value || el.getAttribute("aria-label") || "").trim() : ""]);
}"""
)

_LIST_INPUTS = (
    "(selector) => {"
    + _VISIBLE
    + """
  return [...document.querySelectorAll(selector)].map((el, i) => {
    if (!visible(el) || el.disabled || el.readOnly) return null;
    const labels = el.labels ? [...el.labels].map((l) => l.innerText) : [];
    const text = [...labels, el.placeholder || "", el.getAttribute("aria-label") || "",
                  el.title || ""].join(" ").trim();
    return {i, name: el.name || "", id: el.id || "", type: el.type || "",
            autocomplete: el.getAttribute("autocomplete") || "", text};
  }).filter(Boolean);
}"""
)

_LIST_LINKS = (
    "() => {"
    + _VISIBLE
    + """
  return [...document.querySelectorAll("a[href]")].map((el, i) =>
    [i, visible(el) ? (el.innerText || el.title || "").trim() : null, el.href]);
}"""
)

_SCROLL = """async () => {
  for (let i = 0; i < 5; i++) {
    window.scrollBy(0, Math.max(200, window.innerHeight * 0.8));
    await new Promise((done) => setTimeout(done, 150));
  }
  window.scrollTo(0, 0);
}"""

_SUBMIT = """(el) => {
  if (el.tagName === "FORM") { el.requestSubmit ? el.requestSubmit() : el.submit(); }
  else { el.click(); }
}"""


def settle(page: Page, budget_ms: float) -> None:
    """Wait (a little) for the page's network to go quiet."""
    from playwright.sync_api import Error as PlaywrightError

    with contextlib.suppress(PlaywrightError):
        page.wait_for_load_state(
            "networkidle", timeout=max(1.0, min(IDLE_MS, budget_ms))
        )


def consent_candidates(
    page: Page, buttons: ConsentButtons
) -> dict[str, tuple[Frame, int, str]]:
    """The first visible reject and accept buttons, in the page or one of its
    frames (consent platforms often draw the banner in a frame of their own):
    kind -> (frame, index among ``CLICKABLE``, text)."""
    from playwright.sync_api import Error as PlaywrightError

    found: dict[str, tuple[Frame, int, str]] = {}
    for frame in page.frames:  # the main frame first
        try:
            listed = frame.evaluate(_LIST_CLICKABLE, CLICKABLE)
        except PlaywrightError:  # detached meanwhile
            continue
        for index, text in listed:
            kind = buttons.kind(text) if text else None
            if kind is not None and kind not in found:
                found[kind] = (frame, index, " ".join(text.split()))
    return found


def click_nth(
    page: Page | Frame, selector: str, index: int, navigates: bool = False
) -> None:
    element = page.locator(selector).nth(index)
    if navigates:  # a new tab would leave the journey's page behind
        element.evaluate("(el) => el.removeAttribute('target')")
    element.scroll_into_view_if_needed()
    element.click()


def scroll(page: Page) -> None:
    page.evaluate(_SCROLL)


def typeable(page: Page, words: JourneyWords) -> list[tuple[int, Typed, str]]:
    """Visible inputs the journey types into: (index among ``INPUTS``, what
    goes there, the field as the record names it). A part of a value Korean
    forms split (``hp1``/``hp2``/``hp3``, ``email1``/``email2``: the groups
    of ``data/korean_forms.yaml``) gets its part; another input the kind the
    vocabulary gives it."""
    out = []
    for described in page.evaluate(_LIST_INPUTS, INPUTS):
        typed = split_part(described["name"] or described["id"])
        if typed is None:
            kind = words.field_kind(described)
            if kind is None:
                continue
            typed = Typed(kind.kind, kind.persona_key, None)
        label = (
            described["name"]
            or described["id"]
            or " ".join(described["text"].split())[:80]
            or f"{INPUTS.split(',')[0]}:nth({described['i']})"
        )
        out.append((int(described["i"]), typed, label))
    return out


@dataclass(frozen=True)
class Typed:
    """What goes into an input: the field kind, the persona key whose value
    is typed, and which part of it (None: all of it)."""

    kind: str
    persona_key: str
    part: tuple[int, int] | None  # (position, of how many)

    def value(self, whole: str) -> str | None:
        """The part of ``whole`` this input takes, or None when it does not
        split so."""
        if self.part is None:
            return whole
        position, count = self.part
        if self.kind == "email":
            pieces = whole.split("@")
        else:
            pieces = [p for p in re.split(r"\D+", whole) if p]
            digits = "".join(pieces)
            if len(pieces) != count and count == 3 and len(digits) in (10, 11):
                pieces = [digits[:3], digits[3:-4], digits[-4:]]
        return pieces[position] if len(pieces) == count else None


#: the split groups the journey types parts of (persona keys it can split)
SPLIT_KINDS = ("phone", "email")


def split_part(name: str) -> Typed | None:
    from privwatch.traffic.korean import _groups, field_key

    key = field_key(name)
    if not key:
        return None
    for kind, _joiner, parts in _groups():
        if kind not in SPLIT_KINDS:
            continue
        for position, names in enumerate(parts):
            if key in names:
                return Typed(kind, kind, (position, len(parts)))
    return None


def type_slowly(page: Page, selector: str, index: int, value: str, delay: int) -> None:
    """Type ``value`` key by key, never pressing Enter."""
    element = page.locator(selector).nth(index)
    element.scroll_into_view_if_needed()
    element.click()
    element.fill("")
    element.press_sequentially(value, delay=delay)


def same_site_link(
    page: Page, words: JourneyWords, kind: str
) -> tuple[int, str, str] | None:
    """The first visible link of ``kind`` (product, signup) to the page's own
    site, other than the page itself: (index, text, address)."""
    here = urlsplit(page.url)
    site = registrable_domain(here.hostname or "")
    links: list[Any] = page.evaluate(_LIST_LINKS)
    for index, text, href in links:
        if text is None:
            continue
        parts = urlsplit(href)
        if parts.scheme not in ("http", "https"):
            continue
        if registrable_domain(parts.hostname or "") != site:
            continue
        if parts._replace(fragment="") == here._replace(fragment=""):
            continue
        if words.link_kind(text, href) == kind:
            return int(index), " ".join(text.split())[:120], href
    return None


def submit(page: Page, selector: str) -> None:
    page.locator(selector).first.evaluate(_SUBMIT)
