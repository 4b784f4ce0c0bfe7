"""Whom each passage and the whole document address (extract/data/jurisdictions.yaml).

A global policy holds passages for one place ("J. VISITORS FROM THE EUROPEAN
ECONOMIC AREA", "California residents", "For users in Brazil: …"). Under PIPA
only what Korean users are told counts, so passages addressed elsewhere are
left out of the audit both ways: they neither carry a defect nor disclose
anything. A heading that names a place opens its passage; the passage lasts
until a heading of the same numbering style and rank ("K." after "J."), so
unnumbered sub-headings ("Legal Basis for Data Processing") stay inside it.
"""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass, replace
from functools import cache
from typing import TypedDict

from privwatch.extract.lexicon import Lexicon, PhraseList, Phrases, data, lexicon
from privwatch.extract.tables import REPRESENTATIVES, table_head
from privwatch.models import Clause, Document, Evidence, Scope, Section

STYLES = (
    ("article", re.compile(r"제\s?\d+\s?조")),
    ("chapter", re.compile(r"제\s?\d+\s?[장절편]")),
    ("roman", re.compile(r"[ⅠⅡⅢⅣⅤⅥⅦⅧⅨⅩ]|[IVX]+\.")),
    ("letter", re.compile(r"[A-Z]\.")),
    ("number", re.compile(r"\d+(?:\.\d+)*\.?")),
)
HEAD = re.compile(r"^[\s*_#>•·\-–(\[]*((?:[A-Z]|\d+(?:\.\d+)*|[IVX]+)\.)?\s*")
# "When we transfer your information outside of the EEA, …", "If you are in Brazil, …"
OPENER = re.compile(
    r"\s*(?:when|where|if) (?:we|you)\b[^,.:]{0,60}?\b(?:out of|outside(?: of)?|from|in)"
    r" (?:the )?([^,.:;]{2,80})",
    re.I,
)
TITLE_WORDS = re.compile(r"privacy|policy|notice|개인정보", re.I)
SUPPLEMENT = re.compile(
    r"addendum|supplement|additional (?:privacy )?(?:rights|notice)", re.I
)
# "For users located in South Korea:", "California residents -", "(EEA users only)"
LEAD = re.compile(r"[\s*_(\[•·\-]*([^:：\n]{3,120}?)[*_)\]]*\s*[:：]")


class Jurisdictions(TypedDict):
    """``data/jurisdictions.yaml``."""

    members: dict[str, list[str]]
    addressees: PhraseList
    regions: dict[str, PhraseList]
    about: PhraseList
    regime: dict[str, PhraseList]


@dataclass(frozen=True)
class Words:
    regions: Phrases
    addressees: Phrases
    about: Phrases
    regime: Phrases
    members: dict[str, frozenset[str]]  # a region's code -> the countries it covers


@cache
def words() -> Words:
    lists = data("jurisdictions.yaml", Jurisdictions)

    def pairs(table: dict[str, PhraseList]) -> list[tuple[str, str]]:
        return [
            (phrase, code)
            for code, entry in table.items()
            for phrase in [*entry.get("en", []), *entry.get("ko", [])]
        ]

    return Words(
        regions=Phrases.build(pairs(lists["regions"])),
        addressees=Phrases.build(
            (p, "addressee")
            for p in [*lists["addressees"]["en"], *lists["addressees"]["ko"]]
        ),
        about=Phrases.build(
            (p, "about") for p in [*lists["about"]["en"], *lists["about"]["ko"]]
        ),
        regime=Phrases.build(pairs(lists["regime"])),
        members={
            code: frozenset(str(c) for c in countries)
            for code, countries in lists["members"].items()
        },
    )


def places(text: str, lex: Lexicon) -> set[str]:
    """Codes of the places ``text`` names (countries and regions)."""
    found = words().regions.labels_in(text) | lex.countries.labels_in(text)
    for region, members in words().members.items():
        if region in found:  # "the EEA and UK": one region
            found -= members
    return found


def addressed(text: str, lex: Lexicon, *, whole: bool = False) -> set[str]:
    """The places ``text`` (a heading or a lead) addresses: it names a place and
    people there ("VISITORS FROM BRAZIL", "California residents"), or, for a
    heading (``whole``), it is little more than the place's name ("Türkiye") and
    does not speak about data going there ("국외 이전 (미국)")."""
    named = places(text, lex)
    if not named:
        return set()
    if _beside(text, lex):
        return named
    if whole and not words().about.search(text):
        bare = HEAD.sub("", text, count=1)
        for finder in (words().regions, lex.countries):
            bare = finder.sub("", bare)
        if len(re.sub(r"[\W_]+", "", bare)) <= 12:
            return named
    return set()


NEAR_PLACE = 12  # characters between a place and the Korean word for its people
HANGUL = re.compile(r"[가-힣]")


def _beside(text: str, lex: Lexicon) -> bool:
    """Whether people of a place are named. English names them around the place,
    often far from it ("users located in North and South America, including …
    the United States"); Korean puts the place just before them ("미국 거주
    고객", "EU 회원"), and "회원" or "이용자" elsewhere in the sentence is only
    the contract's party ("분쟁은 싱가포르 중재로 해결하며, 회원은 …")."""
    spots = [
        (m.start(), m.end())
        for finder in (words().regions, lex.countries)
        for m in finder.finditer(text)
    ]
    for found in words().addressees.finditer(text):
        if not HANGUL.search(found.group()):
            return True
        if any(
            found.start() - NEAR_PLACE <= end <= found.start() + 1
            or found.end() <= start <= found.end() + 2
            for start, end in spots
        ):
            return True
    return False


def _style(section: Section) -> str:
    numbering = section.numbering or ""
    head = HEAD.match(section.heading)
    numbering = numbering or (head.group(1) if head and head.group(1) else "")
    for name, pattern in STYLES:
        if numbering and pattern.match(numbering):
            return name
    return "none"


def _scope_code(named: set[str]) -> str | None:
    """One code for a passage: None when it addresses Korea (among others)."""
    if not named or "KR" in named:
        return None
    return ",".join(sorted(named))


def passages(document: Document, lex: Lexicon) -> dict[str, str | None]:
    """Each clause id to the place its passage addresses, None for Korea or none."""
    stack: list[tuple[str, int, str | None]] = []  # (style, level, code)
    heads: list[tuple[int, str | None]] = []  # (heading start, code in force after)
    for section in sorted(document.iter_sections(), key=lambda s: s.heading_start):
        style = _style(section)
        while (
            stack
            and stack[-1][0] == style
            and (style != "none" or section.level <= stack[-1][1])
        ):
            stack.pop()
        named = addressed(section.heading, lex, whole=True)
        if named:
            code = _scope_code(named)
            if code and SUPPLEMENT.search(section.heading):
                code += "-SUPPLEMENT"  # a state-law addendum inside a US text
            stack.append((style, section.level, code))
        code = stack[-1][2] if stack else None
        heads.append((section.heading_start, code))
    out: dict[str, str | None] = {}
    index = -1
    carried: str | None = None  # the place of a statement whose list follows
    for clause in document.clauses:
        while index + 1 < len(heads) and heads[index + 1][0] <= clause.start:
            index += 1
        code = heads[index][1] if index >= 0 else None
        if clause.kind == "item" and carried is not None:
            out[clause.id] = carried
            continue
        carried = None
        own = _own_address(document, clause, lex) or _representative_of(
            document, clause, lex
        )
        if own:
            code = _scope_code(own)
            if document.quote(clause).rstrip().endswith((":", "：")):
                carried = code
        out[clause.id] = code
    return out


def _representative_of(document: Document, clause: Clause, lex: Lexicon) -> set[str]:
    """A row of a table of representatives per place ("Türkiye | KST …"):
    the place it serves."""
    if not clause.cells or not REPRESENTATIVES.search(table_head(document, clause)):
        return set()
    return places(document.quote(clause.cells[0]), lex)


def _own_address(document: Document, clause: Clause, lex: Lexicon) -> set[str]:
    """Places a clause's own lead addresses: "For users in Brazil: …",
    "When we transfer your data outside of the EEA, …"."""
    lead = LEAD.match(document.text, clause.start, clause.end)
    if lead:
        named = addressed(lead.group(1), lex)
        if named:
            return named
    opener = OPENER.match(document.text, clause.start, clause.end)
    if opener and words().regions.search(opener.group(1)):
        return places(opener.group(1), lex)
    return set()


def applicable(
    document: Document, lex: Lexicon | None = None, scope: Scope | None = None
) -> Document:
    """The document with only the clauses that apply to Korean users: those of
    passages addressed to Korea or to no one place (``Scope.left_out`` names
    the others)."""
    scope = scope or document_scope(document, lex)
    left = {c for _, ids in scope.left_out for c in ids}
    return replace(
        document, clauses=tuple(c for c in document.clauses if c.id not in left)
    )


def document_scope(document: Document, lex: Lexicon | None = None) -> Scope:
    """Whom the text addresses (``_audience``) and the passages the audit leaves
    out because they address users elsewhere, by place. In a text addressed
    only to users elsewhere (a US policy), its own place's passages stay, and
    those for narrower or other places (one US state, the EEA) are left out."""
    lex = lex or lexicon()
    scoped = passages(document, lex)
    scope = _audience(document, lex, scoped)
    keep = {None, scope.where} if scope.audience == "other" else {None}
    by_place: dict[str, list[str]] = {}
    for clause_id, place in scoped.items():
        if place not in keep and place is not None:
            by_place.setdefault(place, []).append(clause_id)
    return replace(
        scope, left_out=tuple((place, tuple(ids)) for place, ids in by_place.items())
    )


def _audience(document: Document, lex: Lexicon, scoped: dict[str, str | None]) -> Scope:
    """Korea for a Korean text or one addressed to Korean users; ``other`` for
    a text whose title or opening addresses another place, or which is written
    under one other place's law throughout (``scoped``: each clause's passage);
    ``general`` otherwise."""
    text = document.text

    opening = [document.title or ""] + [document.quote(c) for c in document.clauses[:2]]

    def where(line: str) -> tuple[Evidence, ...]:
        found = text.find(line) if line else -1
        return (Evidence(found, found + len(line), line),) if found >= 0 else ()

    said: dict[str, list[Evidence]] = {}  # the opening lines naming whom they address
    for line in opening:
        if len(line) > 200:
            continue
        named = places(line, lex)
        if "KR" in addressed(
            line, lex, whole=True
        ):  # "Privacy Policy for Users in Korea"
            said.setdefault("KR", []).extend(where(line))
            continue
        # "Temu | U.S. | Privacy Policy", "미국 거주 고객을 위한 고지"
        named -= {"KR"}
        if named and (addressed(line, lex, whole=True) or _is_title(line)):
            said.setdefault(",".join(sorted(named)), []).extend(where(line))
    if said:
        code, evidence = next(iter(said.items()))
        audience = "korea" if code == "KR" else "other"
        return Scope(audience, code, tuple(evidence))
    if document.language == "ko":
        return Scope("korea")
    korean = _korea_addressed(document, lex)
    if korean:
        return Scope("general", "KR", tuple(korean[:3]))
    regime: Counter[str] = Counter()
    first: dict[str, list[Evidence]] = {}
    spans = [(c.start, c.end) for c in document.clauses if scoped.get(c.id) is not None]
    for match in words().regime.finditer(text):
        if any(start <= match.start() < end for start, end in spans):
            continue  # a passage for the EEA inside a global text
        code = words().regime.label(match)
        regime[code] += 1
        first.setdefault(code, []).append(
            Evidence(match.start(), match.end(), match.group())
        )
    if regime:
        (code, count), *rest = regime.most_common()
        runner_up = rest[0][1] if rest else 0
        if count >= 3 and count >= 3 * runner_up:
            return Scope("other", code, tuple(first[code][:3]))
    return Scope("general")


def _is_title(line: str) -> bool:
    """A short line naming the document ("Temu | U.S. | Privacy Policy",
    "EEA Privacy Notice"): a place in it is the audience."""
    return len(line) <= 80 and bool(TITLE_WORDS.search(line))


def _korea_addressed(document: Document, lex: Lexicon) -> list[Evidence]:
    """Spans where the text addresses Korean users: a heading or a lead that
    names Korea and its users, or Korean law's own terms (PIPA, 국내대리인)."""
    found = []
    for section in document.iter_sections():
        if "KR" in addressed(section.heading, lex, whole=True):
            found.append(
                Evidence(section.heading_start, section.heading_end, section.heading)
            )
    for clause in document.clauses:
        lead = LEAD.match(document.text, clause.start, clause.end)
        if lead and "KR" in addressed(lead.group(1), lex):
            found.append(Evidence(lead.start(1), lead.end(1), lead.group(1), clause.id))
    for match in words().regions.finditer(document.text):
        if words().regions.label(match) == "KR":
            found.append(Evidence(match.start(), match.end(), match.group(), None))
    return sorted(found, key=lambda e: e.start)
