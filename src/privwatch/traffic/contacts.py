"""The site's own contact data, which is not the user's: its customer-centre
phone, e-mail and business registration number.

Known two ways: the persona file's ``site_contacts`` (what the analyst knows),
and the first party's own HTML pages in the HAR (the footer a Korean shop must
print, or a value after a label such as 고객센터; ``data/site_contacts.yaml``).
A detector finding whose value is a site contact is dropped; a persona match
never is (the persona is the user), and a persona value is never taken for the
site's. Pages count from the entry that loaded them on: a request before the
page that shows a contact is judged without it.
"""

from __future__ import annotations

import html
import re
from functools import cache
from typing import TYPE_CHECKING, TypedDict

from privwatch.yamlfile import packaged

if TYPE_CHECKING:
    from privwatch.detectors import Detector
    from privwatch.traffic.persona import Persona

#: the detector entities a site publishes as its contacts
KINDS = frozenset({"phone", "email", "brn"})
_SKIPPED = re.compile(r"(?is)<(script|style)\b.*?</\1\s*>")
_TAG = re.compile(r"<[^>]*>")
_SPACE = re.compile(r"\s+")


class _Rules(TypedDict):
    window: int
    footer: str
    cues: list[str]


@cache
def _rules() -> _Rules:
    return packaged("privwatch", "data/site_contacts.yaml", _Rules)


@cache
def _footer() -> re.Pattern[str]:
    return re.compile(_rules()["footer"], re.IGNORECASE)


def contact_key(value: str) -> str | None:
    """``value`` as compared: an e-mail lower-cased, a number by its digits
    (``+82 2-...`` as ``02...``); None when it is neither."""
    value = value.strip()
    if "@" in value:
        return value.lower()
    digits = "".join(ch for ch in value if ch.isdigit())
    if value.startswith("+82") or (digits.startswith("82") and len(digits) >= 11):
        digits = "0" + digits[2:].lstrip("0")
    return digits if len(digits) >= 7 else None


def page_text(page: str) -> str:
    """An HTML page's visible text: scripts and styles dropped, tags made
    spaces, entities undone."""
    text = _TAG.sub(" ", _SKIPPED.sub(" ", page))
    return _SPACE.sub(" ", html.unescape(text))


class SiteContacts:
    """The contacts of the audited site, and how many findings they dropped."""

    def __init__(
        self, persona: Persona | None, detectors: list[Detector] | None = None
    ) -> None:
        pairs = persona.values() if persona is not None else []
        self._user = {k for _, v in pairs if (k := contact_key(v))}
        given = persona.site_contacts if persona is not None else []
        self.known = {k for v in given if (k := contact_key(v)) and k not in self._user}
        self.detectors = [d for d in detectors or [] if d.entity in KINDS]
        self.from_pages = 0  # contacts found on the first party's pages
        self.dropped: set[tuple[int, str, str, str]] = set()

    def read_page(self, page: str) -> None:
        """Take the contacts a first-party HTML page publishes."""
        if not self.detectors or not page:
            return
        found = _footer().search(page)
        parts = (
            ((page, False),)
            if found is None
            else (
                (page[: found.start()], False),
                (page[found.start() :], True),
            )
        )
        cues = tuple(c.lower() for c in _rules()["cues"])
        window = _rules()["window"]
        for part, footer in parts:
            text = page_text(part)
            lowered = text.lower()
            for detector in self.detectors:
                for d in detector.detect(text):
                    if d.score <= 0:
                        continue
                    key = contact_key(d.value)
                    if key is None or key in self._user or key in self.known:
                        continue
                    before = lowered[max(0, d.start - window) : d.start]
                    if footer or any(cue in before for cue in cues):
                        self.known.add(key)
                        self.from_pages += 1

    def drops(self, entity: str, value: str, where: tuple[int, str, str]) -> bool:
        """True (and counted) when a finding's value is a site contact."""
        if entity not in KINDS or not self.known:
            return False
        if contact_key(value) not in self.known:
            return False
        self.dropped.add((*where, entity))
        return True
