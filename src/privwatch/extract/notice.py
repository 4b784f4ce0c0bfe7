"""Facts a policy states about itself and about where to turn (docs/facts.md):
its effective date and how it changes, the place that receives access
requests, outside remedies, children under 14, automated decisions and the
right to have one's data transmitted. Vocabulary: extract/data/notice.yaml."""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from functools import cache
from typing import TypedDict

from privwatch.extract.context import EMAIL, PHONE, Context
from privwatch.extract.lexicon import PhraseList, Phrases, _both, _grouped, data
from privwatch.models import Attr, Clause, Evidence, Fact, Span

_GAP = r"[\s*_]*"  # spaces or Markdown emphasis inside a date: "_2022_년 _8_월"
_MONTHS = r"(?:jan|feb|mar|apr|may|jun|jul|aug|sep|sept|oct|nov|dec)[a-z]*\.?"
DATE = re.compile(
    rf"(?<!\d)(?:19|20)\d{{2}}{_GAP}(?:년|[.\-/]){_GAP}(?:0?[1-9]|1[0-2])(?!\d)"
    rf"(?:{_GAP}(?:월|[.\-/])?{_GAP}(?:0?[1-9]|[12]\d|3[01])(?!\d)(?:{_GAP}일)?)?"
    rf"|\b{_MONTHS}\s+\d{{1,2}}(?:st|nd|rd|th)?,?\s+(?:19|20)\d{{2}}\b"
    rf"|\b\d{{1,2}}(?:st|nd|rd|th)?\s+(?:of\s+)?{_MONTHS},?\s+(?:19|20)\d{{2}}\b"
    rf"|\b{_MONTHS}\s+(?:19|20)\d{{2}}\b"  # "January 2026"
    r"|(?<![\d.])\d{1,2}[./-]\d{1,2}[./-](?:19|20)\d{2}\b",  # "15.01.2026"
    re.I,
)
# what may stand beside a date on a line of its own under the title
DATE_LINE_REST = re.compile(
    r"[\s*_#.,:()\[\]]|일|[월화수목금토]요일|\{:[^}]*\}|"
    r"\b(?:mon|tues|wednes|thurs|fri|satur|sun)day\b",
    re.I,
)
URL = re.compile(r"https?://|www\.|\.(?:com|kr|org|net)\b", re.I)
CHILD = re.compile(
    r"아동|어린이|1[34]\s?세\s?미만|미성년|\bchild|\bminors?\b|\bkids?\b"
    r"|\bunder\s+(?:the\s+age\s+of\s+)?1[3-8]\b",
    re.I,
)
# sentences that call for an outside body: reporting, counselling, remedies
REMEDY_CONTEXT = re.compile(
    r"신고|상담|구제|침해|민원|분쟁|문의|complain|report|infring|remed|dispute|contact",
    re.I,
)
# markup a site's build fills in: "{% data variables.contact.privacy %}", "{{ x }}"
TEMPLATE_MARKUP = re.compile(r"\{%.*?%\}|\{\{.*?\}\}")
ATTRIBUTES = re.compile(r"^\s*\{:[^}]*\}\s*$")  # a kramdown attribute list
# sections whose changes are not the policy's: "수탁자가 변경되는 경우 …"
OTHER_CHANGES = frozenset({"outsourcing", "provision", "overseas", "purposes"})
UNAMBIGUOUS = ("dispute_committee", "kisa", "appeal", "generic")
LABEL_GAP = 30  # characters between "시행일자" and its date
FOLLOWING = 5  # clauses after "아래로 보내 주십시오" where its contact may stand
HEAD = 3  # clauses at the top of a text where a date alone is the version's


class NoticeWords(TypedDict):
    """``data/notice.yaml``."""

    topics: dict[str, PhraseList]
    cues: dict[str, PhraseList]
    remedies: dict[str, PhraseList]
    children: dict[str, PhraseList]
    automated: dict[str, PhraseList]
    portability: dict[str, PhraseList]


@dataclass(frozen=True)
class Vocabulary:
    topics: dict[str, Phrases]
    cues: dict[str, Phrases]
    remedies: Phrases
    children: dict[str, Phrases]
    automated: dict[str, Phrases]
    portability: dict[str, Phrases]


@cache
def vocabulary() -> Vocabulary:
    lists = data("notice.yaml", NoticeWords)
    return Vocabulary(
        topics=_grouped(lists["topics"]),
        cues=_grouped(lists["cues"]),
        remedies=Phrases.build(
            (
                (p, body)
                for body, entry in lists["remedies"].items()
                for p in _both(entry)
            ),
            prefix=True,
        ),
        children=_grouped(lists["children"]),
        automated=_grouped(lists["automated"]),
        portability=_grouped(lists["portability"]),
    )


def _fact(
    kind: str, evidence: Iterable[Evidence], value: str | None = None, /, **attrs: Attr
) -> Fact:
    return Fact(kind, value, tuple(sorted(attrs.items())), tuple(evidence))


def notice_facts(ctx: Context) -> Iterator[Fact]:
    """Every fact of this module, for ``extract.facts.find_facts``."""
    voc = vocabulary()
    reading = _Reading(ctx, voc)
    yield from effective_date(reading)
    yield from policy_changes(reading)
    yield from access_department(reading)
    yield from remedies(reading)
    yield from children(reading)
    yield from automated_decision(reading)
    yield from portability(reading)
    yield from template_markup(reading)


class _Reading:
    """The document's sentences (of clauses that apply to Korean users) and
    the topics of this module each clause's section headings name."""

    def __init__(self, ctx: Context, voc: Vocabulary) -> None:
        self.ctx, self.voc = ctx, voc
        self._headings: dict[str, str] = {}
        self.sentences: list[tuple[Clause, Evidence]] = [
            (clause, Evidence(s.start, s.end, ctx.text[s.start : s.end], clause.id))
            for clause in ctx.document.clauses
            for s in clause.sentences or (Span(clause.start, clause.end),)
        ]

    def has(self, group: dict[str, Phrases], name: str, text: str) -> bool:
        return group[name].search(text) is not None

    def headings(self, clause: Clause) -> str:
        """The headings over ``clause``, innermost first."""
        key = clause.section or ""
        if key not in self._headings:
            found = []
            section_id = key
            while section_id:
                section = self.ctx.sections.get(section_id)
                if section is not None:
                    found.append(section.heading)
                section_id = section_id.rpartition(".")[0]
            self._headings[key] = " ".join(found)
        return self._headings[key]

    def under(self, clause: Clause, topic: str) -> bool:
        return self.has(self.voc.topics, topic, self.headings(clause))


def effective_date(r: _Reading) -> Iterator[Fact]:
    """The date this version takes effect or was last changed, best place
    first: a date just after 시행일자, "Effective", "Last updated"...; a
    date with 적용됩니다, 시행합니다, "version"... in a sentence naming the
    policy; a date in a sentence with the first kind of label; a date standing
    alone on one of the first lines (a heading or a clause)."""
    ctx, cues = r.ctx, r.voc.cues
    places = [e for _, e in r.sentences]
    places += [ctx.section_evidence(s) for s in ctx.sections.values()]
    heads = [ctx.evidence(c) for c in ctx.document.clauses[:HEAD]]
    heads += [ctx.section_evidence(s) for s in list(ctx.sections.values())[:HEAD]]

    def labelled(text: str) -> re.Match[str] | None:
        for label in cues["effective"].finditer(text):
            match = DATE.search(text, label.end(), label.end() + LABEL_GAP)
            if match:
                return match
        return None

    def named(text: str) -> re.Match[str] | None:
        weak = r.has(cues, "effective_weak", text) and r.has(cues, "this_policy", text)
        return DATE.search(text) if weak else None

    def anywhere(text: str) -> re.Match[str] | None:
        return DATE.search(text) if r.has(cues, "effective", text) else None

    def alone(text: str) -> re.Match[str] | None:
        match = DATE.search(text)
        rest = DATE_LINE_REST.sub("", DATE.sub("", text)).strip()
        return match if match and not rest else None

    for find, where in (
        (labelled, places),
        (named, places),
        (anywhere, places),
        (alone, heads),
    ):
        for place in where:
            match = find(place.text)
            if match:
                yield _fact("effective_date", [place], match.group())
                return


def policy_changes(r: _Reading) -> Iterator[Fact]:
    """How the policy changes: users are told of changes (notice), or the
    changes or earlier versions are listed or pointed to (history). Read in
    a section on changes, and in sentences that speak of the policy and its
    changes or its earlier versions."""
    cues = r.voc.cues
    notice: list[Evidence] = []
    history: list[Evidence] = []
    for clause, sentence in r.sentences:
        text = sentence.text
        headed = r.under(clause, "changes")
        if ATTRIBUTES.match(text) or (
            not headed and r.ctx.topics(clause) & OTHER_CHANGES
        ):
            continue  # "{: #changes }"; "수탁자가 변경되면 이 방침으로 공개합니다"
        policy = r.has(cues, "this_policy", text)
        in_clause = r.has(cues, "this_policy", r.ctx.quote(clause))
        changes = r.has(cues, "change_verbs", text)
        if r.has(cues, "change_history", text) and (headed or policy):
            history.append(sentence)
        elif policy and changes and DATE.search(text):
            history.append(sentence)  # "이 방침은 2013. 1. 변경되었으며 …"
        elif headed and r.has(cues, "change_history", r.headings(clause)):
            history.append(sentence)  # a dated line under "변경 이력"
        if (
            changes
            and (headed or in_clause)
            and (headed or r.has(cues, "change_notice", text))
        ):
            notice.append(sentence)  # under "Changes", "we update it; the date changes"
    if notice or history:
        found = notice + history
        found.sort(key=lambda e: not r.under(_clause(r, e), "changes"))
        yield _fact(
            "policy_changes",
            found[:2],
            notice=bool(notice),
            history=bool(history),
        )


def _clause(r: _Reading, evidence: Evidence) -> Clause:
    return next(c for c, e in r.sentences if e is evidence)


def _reachable(text: str) -> bool:
    return bool(EMAIL.search(text) or PHONE.search(text) or URL.search(text))


def access_department(r: _Reading) -> Iterator[Fact]:
    """Where access requests (or requests to exercise rights) go: a section on
    the department receiving access requests that names a unit or a contact,
    or a sentence on the rights that sends requests to a unit, the privacy
    officer, a team or a contact (``requests``); "the department below" or
    "send requests below" counts only when a phone or e-mail follows, and a
    template's blank fields name nothing. Failing those, a contact for
    privacy questions in general, not said to take requests."""
    ctx, cues = r.ctx, r.voc.cues
    rights = {c.id for c in ctx.content_topics.get("rights", [])}
    clauses = list(ctx.document.clauses)
    index = {c.id: i for i, c in enumerate(clauses)}
    pointer = cues["request_pointer"]

    def filled(clause: Clause) -> bool:
        return not r.has(cues, "blank_fields", ctx.quote(clause))

    def follows(clause: Clause) -> bool:
        after = clauses[index[clause.id] + 1 : index[clause.id] + 1 + FOLLOWING]
        return any(
            (EMAIL.search(ctx.quote(c)) or PHONE.search(ctx.quote(c))) and filled(c)
            for c in after
            if c.section == clause.section
        )

    found: list[tuple[int, Evidence]] = []  # (rank, sentence): 0 best
    contact = False
    for clause, sentence in r.sentences:
        text = sentence.text
        if not filled(clause) or r.has(cues, "national_portal", text):
            continue  # a blank form; PIPC's portal is not the business's unit
        reachable = _reachable(text)
        bare = pointer.sub(" ", text)
        pointed = pointer.search(text) is not None and follows(clause)
        place = r.has(cues, "request_place", bare) or pointed
        if (r.under(clause, "access_department") and (reachable or place)) or (
            r.has(r.voc.topics, "access_department", text) and reachable
        ):  # its section, or a line "열람청구 접수·처리 부서: …, 02-…"
            found.append((0, sentence))
        elif (
            (reachable or place)
            and ("rights" in ctx.topics(clause) or clause.id in rights)
            and r.has(cues, "request_acts", text)
        ):
            found.append((1, sentence))
        elif (
            (EMAIL.search(text) or PHONE.search(text))
            and r.has(cues, "privacy_contact", text)
            and r.has(cues, "inquiry", text)
        ):
            found.append((2, sentence))  # "questions about your privacy: …"
            continue
        else:
            continue
        contact |= reachable or pointed
    if found:
        found.sort(key=lambda pair: pair[0])
        best = found[0][0]
        yield _fact(
            "access_department",
            [e for _, e in found[:2]],
            contact=contact or best == 2,
            dedicated=best == 0,
            requests=best < 2,
        )


def remedies(r: _Reading) -> Iterator[Fact]:
    """Each outside body named for an infringement: Korean ones by name
    (분쟁조정위원회, KISA 118, 대검찰청, 경찰청, PIPC, 행정심판) and a data
    protection authority in general (``generic``). Police and prosecutors
    count where the sentence or its section is about reporting or remedies,
    not where they receive data."""
    seen: dict[str, Evidence] = {}
    for clause, sentence in r.sentences:
        for match in r.voc.remedies.finditer(sentence.text):
            body = r.voc.remedies.label(match)
            if body in seen:
                continue
            if body not in UNAMBIGUOUS and not (
                REMEDY_CONTEXT.search(sentence.text) or r.under(clause, "remedies")
            ):
                continue
            seen[body] = sentence
    for body, evidence in seen.items():
        yield _fact("remedy", [evidence], body)


def children(r: _Reading) -> Iterator[Fact]:
    """What the policy says of children under 14: the legal representative's
    consent or role, that children are not served, or that their data are
    collected or the service is for them; and whether it addresses adults or
    businesses only (job applicants, business members). One fact when any of
    these is said."""
    group = r.voc.children
    mentions: list[Evidence] = []
    attrs = {"consent": False, "barred": False, "collects": False, "adults": False}
    for clause, sentence in r.sentences:
        text = sentence.text
        if r.has(group, "adults", text):
            attrs["adults"] = True
            mentions.append(sentence)
        if not (CHILD.search(text) or r.under(clause, "children")):
            continue
        mentions.append(sentence)
        consent = r.has(group, "consent", text) or r.has(group, "representative", text)
        barred = r.has(group, "barred", text)
        attrs["consent"] |= consent
        attrs["barred"] |= barred
        attrs["collects"] |= (
            r.has(group, "collects", text)
            and not barred
            and not r.ctx.lex.has("negation", text)
        )
    if mentions:
        yield _fact("children", mentions[:2], **attrs)


def automated_decision(r: _Reading) -> Iterator[Fact]:
    """Decisions the business makes by automated means (not personalised
    recommendations or ads alone, not a denial); whether the policy gives
    the right to refuse or to an explanation, and the criteria and procedure
    (read over the clauses that speak of such decisions, or stand under a
    heading that does). The fact is a review item unless the decision is
    plainly fully automated and affects the user's rights (Art. 37-2(1))."""
    group = r.voc.automated
    described: list[Evidence] = []
    flags = {"fully": False, "significant": False, "rights": False, "criteria": False}
    for clause in r.ctx.document.clauses:
        text = r.ctx.quote(clause)
        if not r.has(group, "decision", f"{text} {r.headings(clause)}"):
            continue
        flags["rights"] |= r.has(group, "rights", text)
        flags["criteria"] |= r.has(group, "criteria", text)
        for sentence in clause.sentences:
            words = r.ctx.text[sentence.start : sentence.end]
            if not r.has(group, "decision", words) or r.has(group, "none", words):
                continue  # "does not result in decisions that produce legal effects"
            significant = r.has(group, "significant", words)
            if r.has(group, "personalisation", words) and not significant:
                continue  # recommendations and ads are not Art. 37-2 decisions
            described.append(Evidence(sentence.start, sentence.end, words, clause.id))
            flags["fully"] |= r.has(group, "fully", words)
            flags["significant"] |= significant
    if described:
        plain = flags["fully"] and flags["significant"]
        yield _fact(
            "automated_decision",
            described[:2],
            **flags,
            **({} if plain else {"review": "reading"}),
        )


def portability(r: _Reading) -> Iterator[Fact]:
    """The right to have one's data transmitted (전송요구권, "portability"),
    whether the policy says the business is a designated transmitter, and
    whether it names a designated sector (health care, telecoms, energy)."""
    group = r.voc.portability
    found: dict[str, list[Evidence]] = {"right": [], "covered": [], "sector": []}
    for _, sentence in r.sentences:
        for name, places in found.items():
            if r.has(group, name, sentence.text):
                places.append(sentence)
        if found["covered"] and found["covered"][-1] is sentence:
            found["right"] = [e for e in found["right"] if e is not sentence]
    if any(found.values()):
        evidence = found["right"] or found["covered"] or found["sector"]
        yield _fact(
            "portability",
            evidence[:2],
            **{name: bool(places) for name, places in found.items()},
        )


def template_markup(r: _Reading) -> Iterator[Fact]:
    """Template markup the site's build fills in ("{% data variables.… %}"),
    or a template's placeholders ("시행일: [날짜]"): the copy may lack
    content the live page shows (a date, a contact, a section)."""
    places = [e for _, e in r.sentences]
    places += [r.ctx.section_evidence(s) for s in r.ctx.sections.values()]
    found = [
        e
        for e in places
        if TEMPLATE_MARKUP.search(e.text) or r.has(r.voc.cues, "placeholders", e.text)
    ]
    if found:
        yield _fact("template_markup", found[:2])
