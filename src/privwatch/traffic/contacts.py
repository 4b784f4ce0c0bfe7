"""The site's own contact data, which is not the user's: its customer-centre
phone, e-mail and business registration number.

Known two ways: the persona file's ``site_contacts`` (what the analyst knows),
and the first party's own HTML pages in the HAR (the footer a Korean shop must
print, or a value after a label such as 고객센터; ``data/site_contacts.yaml``).
A detector finding whose value is a site contact is dropped; a persona match
never is (the persona is the user), and a persona value is never taken for the
site's. A contact learnt from a page drops the findings of the requests after
it as they are read, and those of the requests before it when the scan ends
(``settle``): the detector findings of these kinds are noted, with their values,
until then.
"""

from __future__ import annotations

import html
import re
from collections import defaultdict
from functools import cache
from typing import TYPE_CHECKING, TypedDict

from privwatch.detectors.context import key_before, key_parts, name_says
from privwatch.yamlfile import packaged

if TYPE_CHECKING:
    from privwatch.detectors import Detector
    from privwatch.traffic.persona import Persona
    from privwatch.traffic.scan import Flow

#: the detector entities a site publishes as its contacts
KINDS = frozenset({"phone", "email", "brn"})
_SKIPPED = re.compile(r"(?i)<(script|style)\b")
_TAG = re.compile(r"<[^<>]*>")
_SPACE = re.compile(r"\s+")
#: detector findings of the contact kinds noted for ``settle``; past it, a
#: contact learnt late applies to the requests after its page only
MAX_NOTED = 200_000


class _Owner(TypedDict):
    words: list[str]
    names: list[str]
    hangul: list[str]


class _Rules(TypedDict):
    window: int
    footer: str
    cues: list[str]
    owner_fields: _Owner


@cache
def _rules() -> _Rules:
    return packaged("privwatch", "data/site_contacts.yaml", _Rules)


@cache
def _footer() -> re.Pattern[str]:
    return re.compile(_rules()["footer"], re.IGNORECASE)


@cache
def _owner() -> tuple[frozenset[str], frozenset[str], tuple[str, ...]]:
    owner = _rules()["owner_fields"]
    return (
        frozenset(w.lower() for w in owner["words"]),
        frozenset(n.lower() for n in owner["names"]),
        tuple(owner["hangul"]),
    )


@cache
def owner_field(key: str) -> bool:
    """True when a field named ``key`` holds the shop's or a company's own
    contact (``shopTel``, ``cs_phone``, ``store.tel``, 판매자연락처)."""
    return any(name_says(part, *_owner()) for part in key_parts(key)[-2:])


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
    shown: list[str] = []
    at = 0
    lowered = page.lower()
    for opened in _SKIPPED.finditer(page):
        if opened.start() < at:
            continue  # inside a script already skipped
        shown.append(page[at : opened.start()])
        close = lowered.find(f"</{opened[1].lower()}", opened.end())
        at = len(page) if close < 0 else close
    shown.append(page[at:])
    text = _TAG.sub(" ", " ".join(shown))
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
        self._noted: dict[int, str] = {}  # id(flow) -> its value as compared
        # a scan keeps one flow per (entry, type, location, name, encoding,
        # source): the others of each, should the kept one be a contact
        self._groups: defaultdict[tuple[object, ...], list[Flow]] = defaultdict(list)

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

    def note(self, flow: Flow, entity: str, value: str) -> None:
        """Remember a detector flow's value, for a contact learnt later."""
        if entity not in KINDS or len(self._noted) >= MAX_NOTED:
            return
        key = contact_key(value)
        if key is not None:
            self._noted[id(flow)] = key
            self._groups[_group(flow)].append(flow)

    def settle(self, flows: list[Flow]) -> list[Flow]:
        """``flows`` without those whose value turned out a site contact (each
        replaced by the best other value of its field, if any)."""
        if not self._noted or not self.known:
            return flows
        kept: list[Flow] = []
        for flow in flows:
            if self._noted.get(id(flow)) not in self.known:
                kept.append(flow)
                continue
            self.dropped.add(
                (flow.entry_index, flow.location, flow.name, flow.data_type)
            )
            others = [
                other
                for other in self._groups[_group(flow)]
                if self._noted.get(id(other)) not in self.known
            ]
            if others:
                kept.append(max(others, key=lambda other: other.confidence))
        return kept

    def drops(
        self, entity: str, value: str, where: tuple[int, str, str], text: str, at: int
    ) -> bool:
        """True (and counted) when a finding's value is a site contact, or
        sits in a field named as the shop's (``text[at:]`` starts with it)."""
        if entity not in KINDS:
            return False
        key = key_before(text, at)
        owned = key is not None and owner_field(key)
        if not owned and contact_key(value) not in self.known:
            return False
        self.dropped.add((*where, entity))
        return True


def _group(flow: Flow) -> tuple[object, ...]:
    return (
        flow.entry_index,
        flow.data_type,
        flow.location,
        flow.name,
        flow.encoding,
        flow.source,
    )
