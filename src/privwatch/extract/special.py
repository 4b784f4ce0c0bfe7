"""Facts about special kinds of processing (docs/facts.md; cues in data/special.yaml).

Information users publish (Art. 23(3)), unique identifiers other than resident
registration numbers (Art. 24(1)), marketing among the purposes (Art. 22(1)7),
pseudonymised information (Art. 28-2, 30(1)4의2), additional use without
consent (Art. 15(3), 17(4), Decree 14-2), behavioural advertising (PIPC's
guidance), where data collected from Korean users are processed (Decree
31(1)4) and video devices (Art. 25, 25-2). Where the text cannot settle a
point, the fact carries ``review`` or an attribute the rule's review reads.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from functools import cache

from privwatch.extract.context import Context
from privwatch.extract.lexicon import DataItems, PhraseList, Phrases, data
from privwatch.models import Attr, Clause, Evidence, Fact

# a period such as "30일", "6 months" (recordings kept, Decree Art. 25)
PERIOD = re.compile(r"\d+\s*(?:년|개월|일|시간|years?|months?|days?|hours?)", re.I)
# "label : value" on one line
LABELLED = re.compile(r"^(?P<label>[^:：\n]{1,60})[:：](?P<value>.*)$")
# what is left of a value that says nothing: "대", "시간", "촬영시부터", bullets
FILLER = re.compile(r"[\s*•·\-_.,()<>]|대|시간|명|부터")
# a statute named, not only a "regulation" or a "code": 법, law, Act
LAW = re.compile(r"법|\blaws?\b|\bAct\b")
NEAR = 3  # clauses after a mention read as part of its passage
CRITERIA = ("relation", "foreseeability", "harm", "safeguards")
MATTERS = ("purpose", "places", "manager", "retention", "access")
ADS = ("info", "tools", "refusal")
ADS_NEAR = 8  # clauses after a mention of behavioural ads read with it
LEAD_LINE = 80  # characters: a line that heads a list or table


def fact(
    kind: str, evidence: Iterable[Evidence], value: str | None = None, /, **attrs: Attr
) -> Fact:
    return Fact(kind, value, tuple(sorted(attrs.items())), tuple(evidence))


@dataclass(frozen=True)
class Words:
    """The phrase lists of special.yaml, one matcher per ``group.name``."""

    lists: dict[str, Phrases]

    def has(self, name: str, text: str) -> bool:
        return self.lists[name].search(text) is not None


@cache
def words() -> Words:
    lists_by_group = data("special.yaml", dict[str, dict[str, PhraseList]])
    return Words(
        {
            f"{group}.{name}": Phrases.build(
                ((p, name) for p in [*entry.get("en", []), *entry.get("ko", [])]),
                prefix=True,
            )
            for group, lists in lists_by_group.items()
            for name, entry in lists.items()
        }
    )


def special_facts(
    ctx: Context, facts: list[Fact], outline: dict[str, str]
) -> Iterator[Fact]:
    """The facts of this module; ``facts`` are those found so far (data items,
    transfers, countries), ``outline`` each clause's governing lines."""
    yield from public_posting(ctx)
    yield from unique_ids(ctx, facts, outline)
    yield from marketing(ctx)
    yield from pseudonymised(ctx)
    yield from additional_use(ctx)
    yield from behavioural_ads(ctx)
    yield from processing_place(ctx, facts)
    yield from video_devices(ctx)


# --- helpers -------------------------------------------------------------------


def _statement(ctx: Context, clause: Clause) -> bool:
    """A clause that says something, not a heading or a table-of-contents line."""
    text = ctx.quote(clause).strip().rstrip("*_ ")
    return len(text) >= 60 or text.endswith((".", "다", "요", ":", "："))


@dataclass(frozen=True)
class Passage:
    """The clauses about a matter: ``headed``, those of a section whose own
    heading names it; ``named``, each clause elsewhere that names it, with the
    few after it in its section."""

    headed: list[Clause]
    named: list[Clause]

    @property
    def clauses(self) -> list[Clause]:
        seen = {c.id for c in self.headed}
        return self.headed + [c for c in self.named if c.id not in seen]


def _passage(ctx: Context, name: str, *, near: int = NEAR) -> Passage:
    w = words()
    clauses = ctx.document.clauses
    headed_ids = {
        sid for sid, section in ctx.sections.items() if w.has(name, section.heading)
    }
    headed: list[Clause] = []
    named: dict[str, Clause] = {}
    for index, clause in enumerate(clauses):
        section = clause.section or ""
        if any(section == s or section.startswith(s + ".") for s in headed_ids):
            headed.append(clause)
        elif w.has(name, ctx.quote(clause)):
            for later in clauses[index : index + 1 + near]:
                if later.section == clause.section:
                    named[later.id] = later
    return Passage(headed, [c for c in clauses if c.id in named])


def _evidence(ctx: Context, name: str, passage: Passage) -> list[Evidence]:
    """Where a passage names its matter: in its own section first (not in a
    table of contents elsewhere), then its section's heading, then elsewhere."""
    found = _mentions(ctx, name, passage.headed)
    if not found and passage.headed:
        first = passage.headed[0].section or ""
        found = [
            ctx.section_evidence(section)
            for sid, section in ctx.sections.items()
            if (first == sid or first.startswith(sid + "."))
            and words().has(name, section.heading)
        ][:1]
    return found or _mentions(ctx, name, passage.named)


def _mentions(ctx: Context, name: str, clauses: Iterable[Clause]) -> list[Evidence]:
    """The sentences of ``clauses`` that name ``name`` and are not negated."""
    found = []
    for clause in clauses:
        for match in words().lists[name].finditer(ctx.text, clause.start, clause.end):
            sentence = ctx.sentence_text(clause, match.start())
            if ctx.lex.has("negation", sentence):
                continue
            found.append(ctx.evidence(clause, match.start()))
            break
    return found


def _said(ctx: Context, clauses: Iterable[Clause]) -> str:
    """The clauses' text without labelled lines left blank ("설치위치 :")."""
    lines = []
    for clause in clauses:
        for line in ctx.quote(clause).splitlines():
            labelled = LABELLED.match(line.strip())
            if labelled and not FILLER.sub("", labelled["value"]):
                continue
            lines.append(line)
    return "\n".join(lines)


# --- Art. 23(3): information made public ---------------------------------------


def public_posting(ctx: Context) -> Iterator[Fact]:
    """One fact when the text shows users' information is shown to others
    (``explicit``) or only that users post or review; whether the passage
    speaks of sensitive information becoming known, or how to keep it private."""
    w = words()
    clauses = ctx.document.clauses
    strong = _mentions(ctx, "public_posting.public", clauses)
    own = [  # not an outsourcee's task ("상품 리뷰 작성" in a table of processors)
        c
        for c in clauses
        if not ctx.nearest_topics(c) & {"provision", "outsourcing", "overseas"}
    ]
    weak = [] if strong else _mentions(ctx, "public_posting.feature", own)
    shown = strong or weak
    if not shown:
        return
    name = "public_posting.public" if strong else "public_posting.feature"
    said = " ".join(ctx.quote(c) for c in _passage(ctx, name).clauses)
    sensitive = w.has("public_posting.sensitive", said)
    choice = w.has("public_posting.choice", said)
    yield fact(
        "public_posting",
        shown[:2],
        explicit=bool(strong),
        sensitive_notice=sensitive,
        choice=choice,
        # either answers the point: reviewers of real policies judged a
        # way to hide what is shown, or a warning on sensitive data, enough
        addressed=sensitive or choice,
    )


# --- Art. 24(1): passport, driver's licence, foreigner registration numbers -------


def unique_ids(
    ctx: Context, facts: list[Fact], outline: dict[str, str]
) -> Iterator[Fact]:
    """One fact per clause that names a unique identifier (not the RRN) as
    collected, unless a statute or separate consent covers it there or at
    another place naming the same identifier (as for ``rrn``)."""
    wanted = _unique_ids()
    by_id = {c.id: c for c in ctx.document.clauses}
    # a public body lists each personal-data file twice, its legal basis in one
    # table and its items in another: a row names the file in its first cell
    basis_of_file: dict[str, bool] = {}
    for clause in ctx.document.clauses:
        if clause.cells:
            name = ctx.document.quote(clause.cells[0]).strip()
            if name and ctx.lex.has("statute", ctx.quote(clause)):
                basis_of_file[name] = True
    places: dict[str, list[tuple[Evidence, bool, bool]]] = {}
    for item in facts:
        if item.kind != "item" or item.value not in wanted or not item.evidence:
            continue
        said = item.evidence[0]
        row = by_id.get(said.clause or "")
        if row is None:
            continue
        governing = f"{said.text} {' '.join(row.headers)} {outline.get(row.id, '')}"
        statute = ctx.lex.has("statute", governing) and bool(LAW.search(governing))
        if not statute and row.cells and row.table is not None:
            name = ctx.document.quote(row.cells[0]).strip()
            statute = basis_of_file.get(name, False) and any(
                c.table not in (None, row.table)
                and c.cells
                and ctx.document.quote(c.cells[0]).strip() == name
                for c in ctx.document.clauses
            )
        consent = ctx.lex.has("separate_consent", f"{ctx.quote(row)} {governing}")
        places.setdefault(str(item.value), []).append((said, statute, consent))
    for category, found in sorted(places.items()):
        if any(statute or consent for _, statute, consent in found):
            continue
        for evidence, statute, consent in found:
            yield fact(
                "unique_id",
                [evidence],
                category,
                basis=statute,
                separate_consent=consent,
            )


@cache
def _unique_ids() -> frozenset[str]:
    """Unique identifiers (data_items.yaml) other than the RRN (Art. 24-2's rule)."""
    listed = data("data_items.yaml", DataItems).get("unique_identifiers", ())
    return frozenset(str(c) for c in listed) - {"id.rrn"}


# --- Art. 22(1)7: marketing among the purposes ----------------------------------


OTHER_TOPICS = frozenset(
    {
        "items",
        "provision",
        "outsourcing",
        "overseas",
        "retention",
        "rights",
        "safeguards",
    }
)


def marketing(ctx: Context) -> Iterator[Fact]:
    """One fact per clause that lists marketing or advertising to the user
    among the purposes; ``consent``: the same disclosure (the clause, its
    table's headers, the lines that govern it) rests it on the user's choice.
    A purposes section headed by it ("4. 마케팅 및 광고에의 활용") whose clauses
    do not name it is quoted by its heading."""
    w = words()
    lex = ctx.lex
    quoted: set[str | None] = set()
    # "direct marketing is not sent to you unless you have given your prior
    # consent": said once for the whole policy, a point of reading elsewhere
    general = any(
        w.has("marketing.purpose", said) and w.has("marketing.general", said)
        for clause in ctx.document.clauses
        for said in (ctx.text[s.start : s.end] for s in clause.sentences)
    )
    for index, clause in enumerate(ctx.document.clauses):
        nearest = ctx.nearest_topics(clause)
        topics = nearest | ctx.topics(clause)
        if nearest & OTHER_TOPICS and not nearest & {"purposes", "cookies"}:
            continue  # what is collected, a recipient's task, rights, retention
        if "items" in topics and not topics & {"purposes", "cookies"}:
            continue
        # what cookies are used for are purposes too
        in_purposes = bool(ctx.topics(clause) & {"purposes", "cookies"})
        matches = [
            m
            for m in w.lists["marketing.purpose"].finditer(
                ctx.text, clause.start, clause.end
            )
            if _marketing_sentence(ctx, clause, m.start(), in_purposes)
        ]
        text = ctx.quote(clause)
        governing = _disclosure_lead(ctx, clause, index)
        if not matches:
            section = ctx.sections.get(clause.section or "")
            if (
                section is None
                or clause.section in quoted
                or not (in_purposes or lex.has("purpose_words", text))
                or not w.has("marketing.purpose", section.heading)
            ):
                continue
            evidence = ctx.section_evidence(section)
            # the section is the disclosure: any of its lines may make it optional
            text = ctx.text[section.start : section.end]
            heading = True
        else:
            evidence = ctx.evidence(clause, matches[0].start())
            heading = False
            if not clause.cells:  # a table row is one disclosure; prose, its sentences
                text = " ".join(ctx.sentence_text(clause, m.start()) for m in matches)
        quoted.add(clause.section)
        consent = w.has("marketing.consent", f"{text} {governing}")
        # a heading alone ("4. 마케팅 및 광고에의 활용") does not say what
        # under it is marketing to the user
        unsure = not consent and (heading or general)
        yield fact(
            "marketing_purpose",
            [evidence],
            consent=consent,
            **({"review": "reading"} if unsure else {}),
        )


def _disclosure_lead(ctx: Context, clause: Clause, index: int) -> str:
    """What heads the disclosure a clause belongs to: its table's headers, its
    sections' headings, and, for a list item or a table row, the paragraph
    that leads the list or table in ("③ 개인정보 수집 및 활용 동의(선택사항)")."""
    parts = [" ".join(clause.headers)]
    section_id = clause.section or ""
    while section_id:
        if section_id in ctx.sections:
            parts.append(ctx.sections[section_id].heading)
        section_id = section_id.rpartition(".")[0]
    if clause.kind == "item" or clause.table is not None:
        for earlier in reversed(ctx.document.clauses[max(0, index - 20) : index]):
            if earlier.section != clause.section:
                break
            if (clause.table is not None and earlier.table != clause.table) or (
                clause.table is None and earlier.kind != "item"
            ):
                lead = ctx.quote(earlier)  # the line before the table or list
                if len(lead) <= LEAD_LINE:  # a label, not a paragraph on something else
                    parts.append(lead)
                break
    return " ".join(parts)


def _marketing_sentence(
    ctx: Context, clause: Clause, offset: int, in_purposes: bool
) -> bool:
    """Marketing to the user stated as a purpose: in a purposes section, or
    in a sentence with purpose words; not measuring the company's own
    campaigns, not how to refuse it, not a provision to advertisers, not a
    denial."""
    sentence = ctx.sentence_text(clause, offset)
    w = words()
    if (
        w.has("marketing.not_to_user", sentence)
        or w.has("marketing.opt_out", sentence)  # how to refuse, not a purpose
        or w.has("marketing.sharing", sentence)  # a provision to advertisers
        or w.has("marketing.pointer", sentence)  # "Click here for …"
        or ctx.lex.has("negation", sentence)
    ):
        return False
    return (
        in_purposes
        or ctx.lex.has("purpose_words", sentence)
        or w.has("marketing.use", sentence)
    )


# --- Art. 28-2, 30(1)4의2: pseudonymised information ------------------------------


def pseudonymised(ctx: Context) -> Iterator[Fact]:
    """One fact when the policy processes or provides pseudonymised
    information: whether its passage gives a purpose and the items (or
    points to a page that does)."""
    w = words()
    passage = _passage(ctx, "pseudonymised.mention")
    if not passage.clauses:
        return
    said = _said(ctx, passage.clauses)
    purpose = w.has("pseudonymised.purpose", said)
    items = ctx.lex.items.search(said) is not None
    missing = [n for n, ok in (("purpose", purpose), ("items", items)) if not ok]
    if missing and w.has("pseudonymised.elsewhere", said):
        missing = []  # a page the text points to ("가명정보 처리현황 보기") gives them
    evidence = _evidence(ctx, "pseudonymised.mention", passage)
    yield fact(
        "pseudonymised",
        evidence[:2],
        purpose=purpose,
        items=items,
        complete=not missing,
        missing=", ".join(missing),
    )


# --- Art. 15(3), 17(4), Decree 14-2: additional use -------------------------------


def additional_use(ctx: Context) -> Iterator[Fact]:
    """One fact when the policy says it may use or provide data without
    consent within the original purposes; ``criteria``: at least three of
    the four considerations of Decree Art. 14-2(1) are given. The GDPR's
    "compatible purposes" in a passage for Korean users (or everyone) is
    such a claim too; passages for users elsewhere are already left out."""
    w = words()
    passage = _passage(ctx, "additional_use.claim", near=8)
    korean_law = bool(passage.clauses)
    if not korean_law:
        passage = _passage(ctx, "additional_use.compatible", near=2)
    if not passage.clauses:
        return
    said = " ".join(ctx.quote(c) for c in passage.clauses)
    given = [n for n in CRITERIA if w.has(f"additional_use.{n}", said)]
    name = "additional_use.claim" if korean_law else "additional_use.compatible"
    evidence = _evidence(ctx, name, passage)
    yield fact("additional_use", evidence[:1], criteria=len(given) >= 3)


# --- PIPC guidance: behavioural information for targeted advertising ---------------


def behavioural_ads(ctx: Context) -> Iterator[Fact]:
    """One fact when behavioural information serves targeted advertising:
    whether the passage on it (the sections that say so or are headed so,
    and any clause that says so) says which
    information, the businesses collecting it, and how to refuse. A page
    the text points to for the particulars is a point of reading."""
    w = words()
    mentions = []
    for clause in ctx.document.clauses:
        if not _statement(ctx, clause):
            continue  # a heading such as "행태정보의 수집·이용·제공 및 거부"
        for sentence in clause.sentences:
            said = ctx.text[sentence.start : sentence.end]
            if w.has("behavioural_ads.mention", said) and not (
                w.has("behavioural_ads.none", said) or ctx.lex.has("negation", said)
            ):
                mentions.append(Evidence(sentence.start, sentence.end, said, clause.id))
                break
    if not mentions:
        return
    named = {e.clause for e in mentions}
    headed = {
        sid
        for sid, section in ctx.sections.items()
        if w.has("behavioural_ads.mention", section.heading)
        or w.has("behavioural_ads.heading", section.heading)
    }
    clauses = ctx.document.clauses
    chosen = {c.id for c in clauses if c.section in headed}
    for index, clause in enumerate(clauses):
        if clause.id in named or w.has("behavioural_ads.mention", ctx.quote(clause)):
            chosen |= {
                c.id
                for c in clauses[index : index + 1 + ADS_NEAR]
                if c.section == clause.section
            }
    passage = [c for c in clauses if c.id in chosen]
    given = _ads_parts(ctx, passage)
    missing = [n for n in ADS if not given[n]]
    said = " ".join(ctx.quote(c) for c in passage)
    unsure = bool(missing) and w.has("behavioural_ads.elsewhere", said)
    yield fact(
        "behavioural_ads",
        mentions[:2],
        complete=not missing,
        missing=", ".join(missing),
        **given,
        **({"review": "reading"} if unsure else {}),
    )


def _ads_parts(ctx: Context, passage: list[Clause]) -> dict[str, bool]:
    """Which of the three parts the passage gives. The businesses: named
    ones (not only in a line on how to opt out), or, where no third party
    is mentioned, the tools the business itself uses (its own cookies)."""
    w = words()
    lex = ctx.lex
    sentences = [ctx.text[s.start : s.end] for c in passage for s in c.sentences] or [
        ctx.quote(c) for c in passage
    ]
    said = " ".join(sentences)
    by_sentence = [
        (ctx.text[s.start : s.end], ctx.nearest_topics(c))
        for c in passage
        for s in c.sentences
    ]
    businesses = any(
        (w.has("behavioural_ads.businesses", s) or lex.entity_markers.search(s))
        and not lex.has("refusal", s)
        and "rights" not in topics  # "Change Facebook ad selections" under choices
        for s, topics in by_sentence
    )
    first_party = not w.has("behavioural_ads.third_party", said) and w.has(
        "behavioural_ads.tools", said
    )
    return {
        "info": w.has("behavioural_ads.info", said),
        "tools": businesses or first_party,
        "refusal": any(
            lex.has("refusal", s) and w.has("behavioural_ads.subject", s)
            for s in sentences
        ),
    }


# --- Decree Art. 31(1)4: the country where data are processed -----------------------

# a sentence about whose data ("Temu's U.S. users", "users in the EEA")
ADDRESSEE = re.compile(
    r"(?:[A-Z][\w.'’]*\s+){1,3}(?:users|residents|customers|consumers)\b"
    r"|\b(?:users|residents|customers|consumers)\s+(?:located\s+)?(?:in|of|from)\s+(?:the\s+)?[A-Z]"
    r"|[가-힣]+\s?(?:이용자|거주자|회원)(?:의|는|에게)"
)


# a country as where data go: "미국으로의 이전", "transferred to the United States"
TOWARDS_KO = re.compile(r"\s?(?:으로|로)(?:의)?\s")
TOWARDS_EN = re.compile(r"\bto\s+(?:the\s+)?$", re.I)


def _destinations(ctx: Context, said: str) -> set[str]:
    """Countries ``said`` names as where data go (not "U.S. laws")."""
    found = set()
    for match in ctx.lex.countries.finditer(said):
        if TOWARDS_KO.match(said, match.end()) or TOWARDS_EN.search(
            said[max(0, match.start() - 12) : match.start()]
        ):
            found.add(ctx.lex.countries.label(match))
    return found


def processing_place(ctx: Context, facts: list[Fact]) -> Iterator[Fact]:
    """One fact when the business is foreign or says it processes data
    abroad (not an app that runs no server): the countries named as where
    data are processed (a transfer's destination, "stored on servers in
    Singapore", a cloud region in a table). A country named only for users
    elsewhere ("Data of U.S. users are stored in the U.S.") does not count;
    one named only as where some data go ("미국으로의 데이터 이전") is a point
    of reading."""
    w = words()
    lex = ctx.lex
    if any(f.kind == "local_only" for f in facts):
        return
    abroad: list[Evidence] = []
    named: set[str] = set()
    hinted: set[str] = set()
    places: list[Evidence] = []
    for clause in ctx.document.clauses:
        # a table row is read whole: the country in one cell, "데이터 저장" in another
        spans = [clause] if clause.cells or not clause.sentences else clause.sentences
        for sentence in spans:
            said = ctx.text[sentence.start : sentence.end]
            evidence = Evidence(sentence.start, sentence.end, said, clause.id)
            outside = w.has("processing_place.abroad", said) and not lex.has(
                "negation", said
            )
            if outside:
                abroad.append(evidence)
            codes = lex.countries.labels_in(said) - {"unspecified"}
            if w.has("processing_place.korea", said):
                codes.add("KR")
            if outside:
                codes -= {"KR"}  # "servers outside Korea" names no place
            if not codes:
                continue
            if ADDRESSEE.search(said) and "KR" not in codes:
                continue  # where the data of users elsewhere are kept
            if outside or w.has("processing_place.stored", said):
                named |= codes
                places.append(evidence)
            elif lex.has("transfer_verbs", said):
                hinted |= _destinations(ctx, said) - {"KR"}
    for found in facts:
        if found.kind == "transfer":
            codes = set(str(found.get("country") or "").split(",")) - {""}
            said = " ".join(e.text for e in found.evidence)
            if ADDRESSEE.search(said) and "KR" not in codes:
                continue
            if codes == {"unspecified"}:
                abroad.extend(found.evidence[:1])
            named |= codes - {"unspecified"}
            places.extend(found.evidence[:1])
    if not (ctx.foreign or abroad):
        return
    yield fact(
        "processing_place",
        places[:1] if named else abroad[:1],
        ",".join(sorted(named)) or None,
        abroad=bool(abroad),
        country_named=bool(named),
        **({"review": "reading"} if hinted and not named else {}),
    )


# --- Art. 25, 25-2: video devices -----------------------------------------------


def video_devices(ctx: Context) -> Iterator[Fact]:
    """One fact when the policy says the business operates video devices:
    which operating matters (Decree Art. 25) its passage gives, filled in;
    four of the five, or a separate operating policy referred to, meet it,
    three are a point of reading. Video information among the purposes
    ("개인영상정보 … 목적으로") or a section listed only in the table of
    contents counts as operating them (``devices`` false)."""
    w = words()
    found = _passage(ctx, "video_devices.operates", near=12)
    passage = found.clauses
    strong = [c for c in passage if w.has("video_devices.operates", ctx.quote(c))]
    stated = [c for c in strong if _statement(ctx, c)]
    if not passage:
        weak = [
            c
            for c in ctx.document.clauses
            if w.has("video_devices.weak", ctx.quote(c)) and _statement(ctx, c)
        ]
        if weak:
            yield fact(
                "video_devices",
                _mentions(ctx, "video_devices.weak", weak)[:1],
                matters=False,
                missing=", ".join(MATTERS),
                devices=False,
            )
        return
    said = _said(ctx, passage)
    given = {
        "purpose": w.has("video_devices.purpose", said),
        "places": w.has("video_devices.places", said),
        "manager": w.has("video_devices.manager", said),
        "retention": PERIOD.search(said) is not None,
        "access": w.has("video_devices.access", said),
    }
    separate = w.has("video_devices.separate_policy", said)
    missing = [n for n in MATTERS if not given[n]]
    unsure = len(missing) == 2  # three of the five: a person weighs them
    evidence = _mentions(ctx, "video_devices.operates", stated) or _evidence(
        ctx, "video_devices.operates", found
    )
    yield fact(
        "video_devices",
        evidence[:1],
        matters=separate or len(missing) <= 1,
        missing=", ".join(missing),
        devices=bool(stated),
        **({"review": "reading"} if unsure else {}),
    )
