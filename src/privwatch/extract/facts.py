"""Facts a policy states (docs/facts.md), each with the spans that state them."""

from __future__ import annotations

import itertools
import re
from bisect import bisect_left
from collections import Counter
from collections.abc import Iterable, Iterator
from dataclasses import dataclass

from privwatch.extract.context import ADDRESS, EMAIL, PHONE, Context
from privwatch.extract.lists import (
    Label,
    Unit,
    labelled_list,
    line_labels,
    opens_list,
    rank,
    units,
)
from privwatch.extract.notice import notice_facts
from privwatch.extract.scope import words as scope_words
from privwatch.extract.special import special_facts
from privwatch.extract.tables import (
    REPRESENTATIVES,
    Record,
    fields_of,
    table_head,
    table_records,
)
from privwatch.ingest.markers import CLAUSE_MARKER
from privwatch.models import Attr, Clause, Evidence, Fact

PERIOD = re.compile(
    r"(?<![\d.])\d+(?:\.\d+)?\s*(?:년|개월|달|주|일|시간|years?|months?|weeks?|days?|hours?)"
    r"(?![A-Za-z])(?!\s+(?:of age|old)\b)",  # not an age: "under 18 years of age"
    re.I,
)
# a bare 등 closing a list ("이름, 연락처 등"), not 등 inside a word (등록, 평등)
BARE_DEUNG = re.compile(
    r"(?<=[\w)\]」’'\"])\s?등(?=$|[\s,.)\]」·]|(?:의|을|를|이|은|과|에|으로|도)(?![가-힣]))"
)
# 등 inside a law's name: "전자상거래 등에서의 소비자보호에 관한 법률"
LAW_NAME_DEUNG = re.compile(r"\s?등(?:에서의|에 관한)")
# 기타 closing a list: "…, 기타 정보", "…, 기타 필요한 사항", "…, 기타."
CLOSING_OTHER = re.compile(
    r"(?:기타|그 밖의)\s*(?:$|[.,)]|(?:정보|사항|항목|내용|필요한|등))"
)
# a line that is an article's heading ("*제10조(행태정보의 … 등에 관한 사항)")
ARTICLE_HEADING = re.compile(r"[\s*_#]*제\s?\d+\s?조(?:의\s?\d+)?\s?\(")
# rights and remedies wording: text of another topic under a mis-read heading
OTHER_CONTENT = re.compile(
    r"열람[·ㆍ,\s]*(?:정정|등)|처리정지|분쟁조정|침해신고|권리를 행사|right to (?:access|request)"
)
# a form field left blank in a filled-in template: "< >", "_ _년 _ _월", "제공받는 자 : *"
BLANK_FIELD = re.compile(r"<\s*>|_\s+_|[:：]\s*\*\s+[^\s*]{1,12}\s*[:：]\s*\*")
# a statement whose point is where the list is: "The types of recipients … are
# described in Section 2", "이전받는 자는 제5조에 기재된 바와 같습니다"
POINTS_ELSEWHERE = re.compile(
    r"\b(?:recipients|categories|types)\b[^.]{0,160}?\b(?:are|is)\s+"
    r"(?:described|listed|set out|identified|specified)\s+(?:in|at|on)\b"
    r"|(?:는|은)\s[^.]{0,80}?(?:에 기재된|에서 확인|을 참고|를 참고|을 참조|를 참조)",
    re.I,
)
# a public body's registered personal-data files (PIPA Art. 32), listed on
# privacy.go.kr with each file's legal basis: "당진시 개인정보파일 목록"
REGISTERED_FILES = re.compile(
    r"개인정보\s?파일\s?(?:목록|등록|현황)|개인정보파일을 등록"
)
BASIS_COLUMN = re.compile(
    r"(?:법적|처리|운영|수집|이용)\s?근거|근거\s?법령|legal basis|lawful basis|legal ground",
    re.I,
)
NONE_USED = re.compile(
    r"없음|없습니다|사용하지 않|does not use|do not use|no cookies", re.I
)
# "advertising partners, such as Orbit Ads Ltd.", "광고 제휴사(예: 주식회사 오르빗애드)"
EXAMPLES = re.compile(
    r"such as|for example|e\.g\.|including|예:|예를 들어|예컨대|\(예", re.I
)
WITHDRAWAL = re.compile(r"철회|withdraw", re.I)
# open-list words that are vague only when they close a list ("이름, 연락처, 기타")
LIST_CLOSERS = {"기타", "그 밖의", "그 밖에", "other information", "etc.", "etc"}
TRANSFER_DETAILS = ("items", "time_method", "contact", "purpose", "retention")
RIGHTS = ("access", "correction", "deletion", "suspension", "withdrawal")
CONCEPT = re.compile(r"\s?(?:제공|공유)(?:에|을|를|의|\s?동의|\s?거부|\s및|$)")
POSSESSIVE = re.compile(r"의|['’]s\b|\s+(?:in danger|at risk)")
PROVISION_FIELDS = ("recipient", "purpose", "items", "retention")
# the head of a list item, where a recipient per item is named ("Acme Inc.: …")
LEAD = 80
LEAD_END = re.compile(r"[:：(;]")
# words that close an English list item's head, after which come the
# recipient's examples, purposes or whom it serves
HEAD_WORDS = re.compile(r"\s(?:such as|for|to|that|who|which|where)\s")
# a company's own group: whether its affiliates receive data by provision or
# by outsourcing depends on what they do with it, not on the heading
GROUP = re.compile(r"affiliat|subsidiar|group compan|계열|관계사|자회사|그룹", re.I)
# a form's field with nothing after it ("제공받는 자 :"), one per line or
# between the asterisks of a flattened list
BLANK_PIECES = re.compile(r"[*\n]")
BLANK_LABEL = re.compile(r"([^:：]{2,30}?)\s*[:：]")
# the recipient's own processors ("their service providers"), not the company's
OWNED = re.compile(r"\b(?:their|its)\s+$", re.I)
# a Korean topic or subject particle after a company's name: the one speaking
SUBJECT = re.compile(r"(?:은|는|이|가)\s")


def fact(
    kind: str, evidence: Iterable[Evidence], value: str | None = None, /, **attrs: Attr
) -> Fact:
    return Fact(kind, value, tuple(sorted(attrs.items())), tuple(evidence))


def find_facts(ctx: Context) -> list[Fact]:
    facts: list[Fact] = []
    for step in (
        sections,
        items,
        purposes_and_vague_wording,
        disclosures,
        retention,
        consent,
        presence,
        notice_facts,
    ):
        facts.extend(step(ctx))
    facts.extend(special_facts(ctx, facts, _outline(ctx)))
    return facts


def sections(ctx: Context) -> Iterator[Fact]:
    """A topic the policy covers: a heading names it, or, whatever the headings
    look like, sentences carry its content (a purpose, a way of destruction, a
    clause naming two or more data items)."""
    headed = ctx.heading_topics()
    for topic, found in sorted(headed.items()):
        yield fact("section", [ctx.section_evidence(s) for s in found[:3]], topic)
    content = dict(ctx.content_topics)
    content["items"] = [c for c in ctx.document.clauses if ctx.lists_items(c)]
    for topic, clauses in sorted(content.items()):
        if topic not in headed and clauses:
            yield fact("section", [ctx.evidence(c) for c in clauses[:3]], topic)


def _negated(ctx: Context, clause: Clause, offset: int) -> bool:
    return ctx.lex.has("negation", ctx.sentence_text(clause, offset))


def items(ctx: Context) -> Iterator[Fact]:
    lex = ctx.lex
    seen: set[tuple[str, str]] = set()
    guarded: dict[str, list[_Named]] = {}
    above = _outline(ctx)
    for clause in ctx.document.clauses:
        text = ctx.quote(clause)
        topics = ctx.topics(clause)
        collected = bool(
            topics & {"items", "provision", "overseas", "outsourcing"}
            or lex.has("collection", text)
            # a label line above it: "(1) 수집하는 개인정보의 항목" not taken for a heading
            or lex.topics["items"].search(above[clause.id])
        )
        if clause.cells and all(cell.header for cell in clause.cells):
            continue  # a header row names columns, not data collected
        for match in lex.items.finditer(ctx.text, clause.start, clause.end):
            category = lex.items.label(match)
            if not collected and category != "id.rrn" and category not in lex.sensitive:
                continue  # elsewhere only the basis of RRN and sensitive data counts
            if _negated(ctx, clause, match.start()):
                continue
            sentence = ctx.sentence_text(clause, match.start())
            if lex.has("see_other", sentence):
                continue  # "To learn more about health data, see our …"
            evidence = ctx.evidence(clause, match.start())
            mandatory = _mandatory(ctx, clause, match.start(), match.end())
            if collected and (category, clause.id) not in seen:
                seen.add((category, clause.id))
                yield fact(
                    "item",
                    [evidence],
                    category,
                    term=match.group(),
                    mandatory=mandatory,
                )
            # a statute named by the sentence, the table's headers or the
            # lines that lead the list in (Art. 23(1)2, 24(1)2, 24-2(1)1)
            governing = f"{sentence} {' '.join(clause.headers)} {above[clause.id]}"
            statute = lex.has("statute", governing) and (
                "법" in governing or "law" in governing.lower()
            )
            special = "rrn" if category == "id.rrn" else None
            if category in lex.sensitive:
                special = category
            if special is not None:
                consent = lex.has("separate_consent", text)
                guarded.setdefault(special, []).append(
                    _Named(evidence, statute, consent, collected)
                )
    # one fact per kind, judged on every place that names it: a summary table
    # ("라벨링") may list health data whose statute the body gives further on
    for special, places in guarded.items():
        if not any(p.collected for p in places):
            continue
        statute = any(p.statute for p in places)
        consent = any(p.consent for p in places)
        bare = [
            p.evidence for p in places if p.collected and not (p.statute or p.consent)
        ] or [places[0].evidence]
        if special == "rrn":
            # a public body's policy pointing to its registered files (Art. 32),
            # whose entries record each file's legal basis
            registered = not statute and REGISTERED_FILES.search(ctx.text)
            yield fact(
                "rrn",
                bare[:1],
                basis=statute,
                **({"review": "reading"} if registered else {}),
            )
        else:
            yield fact(
                "sensitive",
                bare[:1],
                special,
                separate_consent=consent,
                statute=statute,
            )


@dataclass(frozen=True)
class _Named:
    """A place that names RRNs or sensitive data: whether a statute or separate
    consent covers it there, and whether it says the data are collected."""

    evidence: Evidence
    statute: bool
    consent: bool
    collected: bool


def _mandatory(ctx: Context, clause: Clause, start: int, end: int) -> bool | None:
    """Required (True), optional (False) or not said (None): the nearest 필수/선택
    (required/optional) before the item on its line ("필수항목: 이름, 선택항목:
    생년월일"), else just after it ("이름(필수)"), else the column's header."""
    lex = ctx.lex
    line_start = ctx.text.rfind("\n", clause.start, start) + 1 or clause.start
    line_end = ctx.text.find("\n", end, clause.end)
    line_end = clause.end if line_end == -1 else line_end
    markers = [
        (m.start(), label == "mandatory")
        for label in ("mandatory", "optional")
        for m in lex.cues[label].finditer(ctx.text, line_start, line_end)
    ]
    before = [m for m in markers if m[0] < start]
    if before:
        return max(before)[1]
    after = [m for m in markers if m[0] <= end + 6]
    if after:
        return min(after)[1]
    header = ctx.cell_header(clause, start)
    if lex.has("mandatory", header):
        return True
    if lex.has("optional", header):
        return False
    return None


def purposes_and_vague_wording(ctx: Context) -> Iterator[Fact]:
    """Purposes, and open-ended wording where PIPC's evaluation looks for it:
    in the purposes, items and retention the clause's own section states (a
    bare 등 or 기타 closing a list; a retention period left to "관련 법령" with
    no law named, or to "필요한 기간")."""
    lex = ctx.lex
    above = _outline(ctx)
    wanted = {"purposes", "items", "retention"}
    for clause in ctx.document.clauses:
        text = ctx.quote(clause)
        topics = ctx.topics(clause) & wanted
        own = ctx.nearest_topics(clause) & wanted
        if not own and not ctx.nearest_topics(clause):
            # under a heading not taken for one ("1. 개인정보의 처리 목적" as a
            # line): the label lines above it, or its own list of data items
            own = frozenset(
                name for name in wanted if lex.topics[name].search(above[clause.id])
            )
            if ctx.lists_items(clause):
                own |= {"items"}
            if lex.topics["cookies"].search(above[clause.id]) or lex.topics[
                "safeguards"
            ].search(above[clause.id]):
                # under "개인정보 자동수집 장치에 의한 수집" or "보호를 위한 기술
                # 및 관리적 대책": the browsers or the passwords it names are
                # examples, not the policy's list of items
                own = frozenset()
        # a sentence that keeps data outside a retention section ("당사는 …
        # 법에서 요구하는 경우에만 보관합니다" under "정보 관리"): its vague
        # period counts too, as for the retention fact it sets
        loose = (
            "retention" not in own
            and lex.content["retention"].search(text) is not None
            and not ctx.nearest_topics(clause) & {"safeguards", "destruction"}
            and not ARTICLE_HEADING.match(text)
            and not OTHER_CONTENT.search(text)
        )
        if not (topics or own or loose):
            continue
        if ARTICLE_HEADING.match(text) or OTHER_CONTENT.search(text):
            own = frozenset()  # a heading line, or rights or remedies text
        vague_here = []
        for topic in sorted(own | ({"retention"} if loose else set())):
            group = "retention" if topic == "retention" else "purposes_items"
            for match in lex.vague[group].finditer(ctx.text, clause.start, clause.end):
                if match.group().strip() in ("등", "등의", "등을", "등이"):
                    continue  # handled by BARE_DEUNG with word boundaries
                if (
                    group == "purposes_items"
                    and match.group().strip() in LIST_CLOSERS
                    and not _closes_a_list(ctx.text, clause.start, match.start())
                ):
                    continue  # "기타 문의", "other information we receive"
                if group == "retention" and not _vague_retention(
                    ctx, clause, match, topical=topic in own
                ):
                    continue
                vague_here.append((match, topic))
            if group == "purposes_items":
                vague_here += [
                    (m, topic)
                    for m in BARE_DEUNG.finditer(ctx.text, clause.start, clause.end)
                    if _closes_a_list(ctx.text, clause.start, m.start())
                    and not _deung_settled(ctx.text, clause.start, m)
                    # an items list names data ("웹페이지, 메일, 전화 등" are channels)
                    and (
                        topic != "items"
                        or lex.items.search(
                            ctx.text[max(clause.start, m.start() - 60) : m.start()]
                        )
                        is not None
                    )
                ]
        for match, topic in vague_here:
            if _negated(ctx, clause, match.start()):
                continue  # "사상·신념 … 등은 수집하지 않습니다": nothing left open
            yield fact(
                "vague_wording",
                [ctx.evidence(clause, match.start())],
                match.group().strip(),
                topic=topic,
            )
        if "purposes" in topics and lex.has("purpose_words", text):
            yield fact("purpose", [ctx.evidence(clause)], vague=bool(vague_here))


def _vague_retention(
    ctx: Context, clause: Clause, match: re.Match[str], *, topical: bool = False
) -> bool:
    """A vague retention phrase counts in a sentence about keeping data (or any
    line of a retention section, ``topical``: "상담 기록: 목적 달성 시까지")
    that names no law ("관련 법령에 따라 보관합니다", not "「전자상거래법」에 따라")."""
    sentence = ctx.sentence_text(clause, match.start())
    if not ctx.lex.has("retention_words", sentence) and (
        not topical or ctx.lex.has("collecting_only", sentence)
    ):
        return (
            False  # "관련 법령에 따라 … 수집·이용합니다": why collected, not how long
        )
    if ctx.lex.has("list_opener", sentence) or sentence.rstrip().endswith((":", "：")):
        return False  # "관련 법령에 따라 아래 기간 동안 보관합니다": the list says how long
    named_law = re.search(r"「[^」]+」|[가-힣]+법(?:률)?(?:\s|에|제|\)|$)", sentence)
    return not (named_law and "법령" in match.group())


# "… 등 아래의 목적으로만": the list that follows says them all
LIST_FOLLOWS = re.compile(r"(?:의)?\s*(?:아래|다음)(?:의|과|와)?\s")
# "… 상법, 국세기본법 등 법령의 규정에 의하여": a list of laws, not of data
LAW_LISTED = re.compile(r"(?:[가-힣]법|법률|법령|시행령)\s*$")


def _deung_settled(text: str, floor: int, match: re.Match[str]) -> bool:
    """A 등 that leaves nothing open: the full list follows it, or it closes a
    list of laws."""
    after = text[match.end() : match.end() + 12]
    before = text[max(floor, match.start() - 20) : match.start()]
    return bool(LIST_FOLLOWS.match(after) or LAW_LISTED.search(before))


def _closes_a_list(text: str, floor: int, at: int) -> bool:
    """'이름, 연락처 등' closes a list; '동의를 받는 등 필요한 조치' does not,
    nor 등 in a law's name ('전자상거래 등에서의 소비자보호에 관한 법률'),
    nor 'other' inside a list ('아티클, 비디오 또는 기타 콘텐츠를 공유')."""
    before = text[max(floor, at - 40) : at]
    after = text[at : at + 12]
    if LAW_NAME_DEUNG.match(after):
        return False
    if (
        after.startswith(("기타", "그 밖의"))
        and not CLOSING_OTHER.match(after)
        and not before.rstrip().endswith(
            ("등", ",")
        )  # "주소 등 기타 …", "주소, 기타 …"
    ):
        return False
    if after[:1].isascii() and after[:1].isalpha():  # "and other information"
        return bool(re.search(r",[^,]*\b(?:and|or)\s*$", before))
    return "," in before or "·" in before or "ㆍ" in before


def _named(ctx: Context, name: str) -> bool:
    """A recipient cell names an organisation unless it is mostly a category
    ("partners", "제휴사")."""
    if ctx.lex.entity_markers.search(name):
        return True
    category = ctx.lex.categories.search(name)
    return not (category and len(category.group()) >= len(name.strip()) * 0.5)


def disclosures(ctx: Context) -> Iterator[Fact]:
    records = table_records(ctx)
    tabled = {c.section for r in records if r.role == "transfer" for c in r.clauses}
    roles: dict[str | None, set[str]] = {}
    for record in records:
        roles.setdefault(record.clauses[0].section, set()).add(record.role)
    pointed = _Pointers(ctx, records)
    prose: dict[str | None, str] = {}

    def section_prose(section: str | None) -> str:
        """The section's text outside tables: where a disclosure's legal basis
        and the way to refuse it are often given, once for all its transfers."""
        if section not in prose:
            prose[section] = _without_deemed_consent(
                ctx,
                [
                    c
                    for c in ctx.document.clauses
                    if c.section == section and c.table is None
                ],
            )
        return prose[section]

    plan = _plan(ctx)
    records += _list_disclosures(ctx, plan)
    yield from _blank_provisions(ctx, plan)
    for record in records:
        text = section_prose(record.clauses[0].section)
        yield from _record_facts(
            ctx,
            record,
            ctx.lex.has("transfer_basis", text),
            ctx.lex.has("refusal", text),
        )
    drafts = [
        [] if unit.statement.section in tabled else _prose_transfers(ctx, unit, pointed)
        for unit in plan
    ]
    located = {
        unit.statement.section
        for unit, found in zip(plan, drafts, strict=True)
        if any(draft.located for draft in found)
    }
    for index, unit in enumerate(plan):
        # "이용자는 국외 이전을 거부할 수 있습니다" beside the disclosure that
        # names the country: part of that disclosure, not another transfer
        if unit.statement.section in located:
            drafts[index] = [d for d in drafts[index] if not d.weak]
    disclosing = Counter(
        unit.statement.section
        for unit, found in zip(plan, drafts, strict=True)
        if found
    )
    for index, unit in enumerate(plan):
        section = unit.statement.section
        if (
            drafts[index]
            and disclosing[section] == 1
            and "overseas" in ctx.topics(unit.statement)
        ):
            # an overseas-transfer section holding one disclosure is that
            # disclosure: its basis and the way to refuse may stand in any of
            # its paragraphs (② 거부 방법, ③ 이전 근거), as they may for a table
            drafts[index] = _prose_transfers(ctx, unit, pointed, section_prose(section))
    resumed = _resumed_leads(ctx, plan)
    for unit, found in zip(plan, drafts, strict=True):
        for clause in unit.clauses:
            lead = (
                ctx.quote(unit.statement)
                if clause != unit.statement
                else resumed.get(clause.id, "")
            )
            yield from _category_recipients(
                ctx,
                clause,
                roles.get(clause.section, set()),
                pointed,
                lead,
                head_only=clause.id in resumed,
            )
        for draft in found:
            yield from draft.facts


def _resumed_leads(ctx: Context, plan: list[Unit]) -> dict[str, str]:
    """List items cut off from their lead-in by a paragraph between them ("We
    share … with the following recipients:", three items, a note, more items
    of the same kind): each such item, by clause id, with the lead-in that
    still governs it, the last paragraph of its section that opened a list of
    items of the same depth and marker."""
    leads: dict[str, str] = {}
    opener: tuple[str | None, int, int | None, str] | None = None
    for unit in plan:
        statement = unit.statement
        if opener is not None and opener[0] != statement.section:
            opener = None
        if statement.kind != "item":
            if unit.items and opens_list(ctx, statement):
                first = unit.items[0]
                opener = (
                    statement.section,
                    first.depth,
                    rank(first.marker),
                    ctx.quote(statement),
                )
            continue
        if (
            opener is not None
            and statement.depth == opener[1]
            and rank(statement.marker) == opener[2]
        ):
            leads[statement.id] = opener[3]
    return leads


def _blank_provisions(ctx: Context, plan: list[Unit]) -> Iterator[Fact]:
    """A provision announced with the form of its disclosure left blank
    ("다음과 같이 제공하고 있습니다." then "제공받는 자 :", "이용목적 :" with
    nothing after them): a provision that gives none of Art. 17(2)'s items."""
    for unit in plan:
        statement = unit.statement
        if _section_role(ctx, statement) != "provision" or not opens_list(
            ctx, statement
        ):
            continue
        if ctx.lex.has("negation", ctx.quote(statement)):
            continue
        blank: list[Clause] = []
        named: set[str] = set()
        for clause in unit.clauses:
            for piece in BLANK_PIECES.split(ctx.quote(clause)):
                label = BLANK_LABEL.fullmatch(piece.strip(" _\t"))
                if label is None:
                    continue
                fields = set(fields_of(ctx, label.group(1))) & set(PROVISION_FIELDS)
                if fields:
                    named |= fields
                    if clause not in blank:
                        blank.append(clause)
        if "recipient" not in named or len(named) < 2:
            continue
        clauses = [statement, *(c for c in blank if c != statement)]
        yield fact(
            "provision",
            [ctx.evidence(c) for c in clauses],
            complete=False,
            missing=", ".join(PROVISION_FIELDS),
        )


def _list_disclosures(ctx: Context, plan: list[Unit]) -> list[Record]:
    """Provision and outsourcing disclosed as a lead-in and the labelled lines
    that complete it ("다음과 같이 제공합니다:" then "- 제공받는 자: …",
    "- 제공 목적: …"), read as the records a table would give; a repeated
    label starts the next recipient's record."""
    records = []
    for unit in plan:
        role = _section_role(ctx, unit.statement)
        if role not in ("provision", "outsourcing"):
            continue  # transfers abroad are read by _prose_transfers
        items = unit.items
        labels = labelled_list(ctx, items)
        pairs = [(labels[c.id], c) for c in items if c.id in labels]
        if not pairs and opens_list(ctx, unit.statement):
            pairs = [
                (label, unit.statement) for label in line_labels(ctx, unit.statement)
            ]
        if len(pairs) < 2 or not any("recipient" in label.fields for label, _ in pairs):
            continue
        fields: dict[str, Evidence] = {}
        clauses = [unit.statement]
        for label, clause in pairs:
            if "recipient" in label.fields and "recipient" in fields:
                records.append(Record(role, fields, clauses))
                fields, clauses = {}, [unit.statement]
            for name in label.fields:
                fields.setdefault(name, label.value)
            if clause not in clauses:
                clauses.append(clause)
        records.append(Record(role, fields, clauses))
    return records


def _record_facts(
    ctx: Context, record: Record, basis: bool, refusal: bool
) -> Iterator[Fact]:
    fields = record.fields
    evidence = list(fields.values())
    recipient = fields.get("recipient")
    named = recipient is not None and _named(ctx, recipient.text)
    if recipient is not None:
        yield fact(
            "recipient",
            [recipient],
            recipient.text,
            named=named,
            role=record.role,
            with_consent=False,
            tabled=False,
        )
    country = fields.get("country")
    codes = _countries(ctx, country.text) if country else set()
    if country is None and record.role == "transfer":
        codes, country = _implied_countries(ctx, record)
    if record.role == "transfer" and codes == {"KR"}:
        record = Record(
            "outsourcing", fields, record.clauses
        )  # a domestic row of the table
    if record.role == "transfer":
        for code in sorted(codes) or (["unspecified"] if country else []):
            yield fact(
                "country", [country] if country else [], code, context="transfer"
            )
        country_code = ",".join(sorted(codes)) or "unspecified"
        present = {name: name in fields for name in TRANSFER_DETAILS}
        if recipient is not None and (  # "Cloudnine Inc. (privacy@cloudnine.example)"
            EMAIL.search(recipient.text) or PHONE.search(recipient.text)
        ):
            present["contact"] = True
        refusal = refusal or "refusal" in fields
        yield _transfer(
            evidence,
            recipient.text if recipient else None,
            country_code,
            named,
            basis,
            {**present, "refusal": refusal},
        )
    elif record.role == "provision":
        missing = [name for name in PROVISION_FIELDS if name not in fields]
        yield fact(
            "provision", evidence, complete=not missing, missing=", ".join(missing)
        )
    else:
        yield fact("outsourcing", evidence, outsourcee=named, task="purpose" in fields)


def _implied_countries(
    ctx: Context, record: Record
) -> tuple[set[str], Evidence | None]:
    """For a transfer record with no country field: the countries its recipient's
    cell names beside the name ("Heaan Inc. (미국 델라웨어)"), else those its
    section's heading names ("8.2 국외 이전 (미국)"), with where they are said."""
    recipient = record.fields.get("recipient")
    if recipient is not None:
        codes = _countries(ctx, recipient.text) - {"unspecified"}
        if codes:
            return codes, recipient
    for clause in record.clauses:
        section = ctx.sections.get(clause.section or "")
        if section is None:
            continue
        codes = _countries(ctx, section.heading) - {"unspecified"}
        if codes:
            heading = Evidence(
                section.heading_start, section.heading_end, section.heading
            )
            return codes, heading
    return set(), None


def _details(ctx: Context, text: str) -> dict[str, bool]:
    """Which 28-8(2) items (TRANSFER_DETAILS) ``text`` gives."""
    lex = ctx.lex
    return {
        "items": lex.items.search(text) is not None,
        "time_method": lex.has("time_method", text),
        "contact": bool(EMAIL.search(text) or PHONE.search(text)),
        "purpose": lex.has("purpose_words", text),
        "retention": bool(PERIOD.search(text)) or lex.has("retention_words", text),
    }


def _without_deemed_consent(ctx: Context, clauses: list[Clause]) -> str:
    """The clauses' text minus deemed-consent sentences, which neither disclose
    a transfer nor give it a legal basis."""
    sentences = (ctx.text[s.start : s.end] for c in clauses for s in c.sentences)
    return " ".join(s for s in sentences if not ctx.lex.has("deemed_consent", s))


def _countries(ctx: Context, text: str) -> set[str]:
    """ISO codes named in ``text``, plus ``unspecified`` for "worldwide" or
    "other countries", or for "해외"/"overseas" where no country is named
    (those words also stand beside named countries). A country inside a
    company's name ("Alipay Singapore E-Commerce Private Limited") or a law's
    ("U.S. state privacy laws") is no destination."""
    text = _without_names(ctx, text)
    codes = ctx.lex.countries.labels_in(text)
    if ctx.lex.unspecified.search(text) or (
        not codes and ctx.lex.unspecified_weak.search(text)
    ):
        codes.add("unspecified")  # "China and other regions" names some, not all
    return codes


# a place that says whose data or whose law, not where data go: "the Privacy
# Policy Addendum for U.S. Residents", "users in the EEA"
ADDRESSEE_PLACE = re.compile(
    r"\b(?:for|of|to)\s+(?:the\s+)?(?:[A-Z][\w.]*\s+){1,3}(?:[Rr]esidents|[Uu]sers|[Cc]onsumers|[Cc]ustomers)\b"
    r"|\b(?:[Rr]esidents|[Uu]sers|[Cc]onsumers|[Cc]ustomers|[Vv]isitors)\s+(?:of|in|from|located in)\s+(?:the\s+)?(?:[A-Z][\w./]*\s?){1,3}"
)
# a company in capitals: "ALIBABA.COM CHINA LIMITED"
CAPS_NAME = re.compile(
    r"\b(?:[A-Z0-9][A-Z0-9.&'-]+\s+){1,5}(?:LIMITED|LTD\.?|INC\.?|CORPORATION|CORP\.?|COMPANY|LLC)(?![A-Za-z])"
)
NAME_WORD = re.compile(r"(?:[A-Z][\w.&'’-]*|\(?주\)?|&)$")


def _without_names(ctx: Context, text: str) -> str:
    """``text`` with organisations' names (capitalised words up to a legal
    entity marker) and laws of a place ("U.S. state privacy laws") blanked."""
    spans = []
    for marker in ctx.lex.entity_markers.finditer(text):
        start = marker.start()
        for _ in range(6):  # the words of the name, leftwards, within a phrase
            before = text[:start].rstrip()
            word = before.rsplit(None, 1)[-1] if before.split() else ""
            if not word or not NAME_WORD.search(word) or word.endswith((",", ";", ":")):
                break
            start = len(before) - len(word)
        spans.append((start, marker.end()))
    for match in scope_words().regions.finditer(text):
        if scope_words().regions.label(match) == "US-STATE":
            spans.append((match.start(), match.end()))
    spans += [(m.start(), m.end()) for m in ADDRESSEE_PLACE.finditer(text)]
    spans += [(m.start(), m.end()) for m in CAPS_NAME.finditer(text)]
    for start, end in spans:
        text = text[:start] + " " * (end - start) + text[end:]
    return text


def _section_role(ctx: Context, clause: Clause) -> str | None:
    """The disclosure a clause belongs to: its section's topic, or, under a
    heading of another topic ("Data Security and Retention"), its own words
    when they transfer data abroad ("When we transfer your personal
    information outside the country …")."""
    topics = ctx.topics(clause)
    role = next(
        (t for t in ("overseas", "outsourcing", "provision") if t in topics), None
    )
    said = ctx.quote(clause)
    if role is None and ctx.lex.has("transfer_abroad", said):
        return "overseas"
    return role


def _heading_role(ctx: Context, clause: Clause) -> str | None:
    """The role a section's heading gives its recipients when the heading is
    a kind of recipient ("Advertising and analytics partners", "Merchandise
    partners", under a sharing section whose subsections the text does not
    nest): provision when it names any recipient who uses data for its own
    ends, outsourcing when it names only processors; None for other headings
    ("Other users", "Business transferees")."""
    section = ctx.sections.get(clause.section or "")
    if section is None:
        return None
    kinds = ctx.lex.categories.labels_in(section.heading) & {"provision", "outsourcing"}
    if not kinds or GROUP.search(section.heading):
        return None
    return "provision" if "provision" in kinds else "outsourcing"


def _processor_role(ctx: Context, clause: Clause) -> str | None:
    """Outsourcing, for a clause outside the sections on sharing whose own
    words have a processor category do the work ("결제는 타사 결제 프로세서가
    처리합니다"); its other categories are then left alone (see below)."""
    lex = ctx.lex
    for sentence in clause.sentences:
        words = ctx.text[sentence.start : sentence.end]
        if not lex.has("processed_by", words) or lex.has("negation", words):
            continue
        kinds = {lex.categories.label(m) for m in lex.categories.finditer(words)}
        if "outsourcing" in kinds:
            return "outsourcing"
    return None


def _category_recipients(
    ctx: Context,
    clause: Clause,
    tabled_roles: set[str],
    pointed: _Pointers,
    lead: str = "",
    head_only: bool = False,
) -> Iterator[Fact]:
    """Recipients named only by category, one fact per sentence; ``lead`` is
    the statement whose list the clause is an item of ("We share personal
    information with the following recipients:"), which says the handing over."""
    lex = ctx.lex
    section_role = _section_role(ctx, clause)
    topics = ctx.topics(clause)
    heading_role = None
    processors_only = False
    if section_role is None:
        heading_role = _heading_role(ctx, clause)
        if heading_role is None:
            heading_role = _processor_role(ctx, clause)
            processors_only = True
        if heading_role is None:
            return
        section_role, topics = heading_role, frozenset({heading_role})
    for number, sentence in enumerate(clause.sentences):
        if head_only and number == 1:
            lead = ""  # a resumed lead-in governs the item's head, not its notes
        words = ctx.text[sentence.start : sentence.end]
        found = [
            m
            for m in lex.categories.finditer(ctx.text, sentence.start, sentence.end)
            # 제3자의 생명 (a person), 제3자 제공 (the act): not a recipient
            if not POSSESSIVE.match(ctx.text, m.end())
            and not CONCEPT.match(ctx.text, m.end())
            # "… and provide it to their service providers": the recipient's own
            and not OWNED.search(
                ctx.text, max(sentence.start, m.start() - 8), m.start()
            )
        ]
        hands_over = any(
            lex.has("disclosure_strict", said) or lex.has("outsourcing_acts", said)
            for said in (words, lead)
        ) or (  # "타사 결제 프로세서가 … 처리합니다": a processor at work
            lex.has("processed_by", words)
            and any(lex.categories.label(m) == "outsourcing" for m in found)
        )  # not "provide" alone: "provide our Service"
        if not found or not hands_over or lex.has("negation", words):
            continue
        if lex.has("without_consent", words) and lex.has("emergency", words):
            continue  # the statute's own exception for a third party in danger
        named_here = _other_entity(ctx, words)
        if named_here and not _only_examples(words, named_here.start()):
            continue  # the sentence names the organisation
        if lex.has("not_provision", words):
            continue  # no provision to judge
        if len(words.strip()) < 30 and not words.rstrip().endswith((".", "다")):
            continue  # a label or a heading line, not a statement
        if all(_generic(m.group()) for m in found) and (
            opens_list(ctx, clause) or lex.has("principle", words)
        ):
            # "다음과 같이 제3자에게 제공합니다": the list under it says who;
            # "동의가 있는 경우에만 제3자에게 제공합니다": a principle
            continue
        head_end = _lead_end(ctx, clause)
        if head_end is not None and any(m.start() < head_end for m in found):
            # "· Customs agents, to support Buyers and Sellers": the item's
            # recipient leads it; later categories are whom it serves
            found = [m for m in found if m.start() < head_end]
        by_role: dict[str, list[str]] = {}
        for match in found:
            kind = lex.categories.label(match)
            if processors_only and kind != "outsourcing":
                continue  # a processor's clause outside the sharing sections
            if kind in ("provision", "outsourcing"):  # not legal, transaction, users
                by_role.setdefault(kind, []).append(match.group())
        base = (
            "transfer"
            if section_role == "overseas"
            else _sentence_role(ctx, words, topics)
        )
        said_outsourcing = lex.has("outsourcing_acts", words)
        evidence = Evidence(sentence.start, sentence.end, words, clause.id)
        for kind, names in by_role.items():
            # an outsourcing section's "third parties" are outsourcees; its
            # "제휴사" or "sellers" still receive data by provision
            generic = all(_generic(n) for n in names)
            role = heading_role or (
                base
                if base == "transfer"
                or (base == "outsourcing" and (generic or said_outsourcing))
                else kind
            )
            # "…제휴사에 제공할 수 있습니다. 이 경우 사전에 … 동의를 받습니다."
            with_consent = lex.has("with_consent", f"{ctx.quote(clause)} {lead}")
            tabled = role in pointed.roles(words) or (
                role in tabled_roles and all(_generic(n) for n in names)
            )
            foreseen = with_consent and lex.has("hypothetical", words)
            yield fact(
                "recipient",
                [evidence],
                ", ".join(dict.fromkeys(names)),
                named=False,
                role=role,
                with_consent=with_consent,
                # a table the sentence points to names them, or a table in the
                # section does and the sentence only says "third parties"
                tabled=tabled,
                **({"review": "reading"} if foreseen else {}),
            )
            if role == "provision" and not (with_consent or tabled):
                # a provision disclosed in prose is judged as a table row is:
                # which of recipient, purpose, items, retention it gives
                said = f"{words} {lead}"
                missing = ["recipient"] + [
                    name
                    for name, ok in (
                        ("purpose", lex.has("purpose_words", said)),
                        ("items", lex.items.search(said) is not None),
                        ("retention", bool(PERIOD.search(said))),
                    )
                    if not ok
                ]
                yield fact(
                    "provision", [evidence], complete=False, missing=", ".join(missing)
                )


@dataclass(frozen=True)
class _Draft:
    """A transfer read from prose, before its section is known in full.

    ``located``: it names a destination country. ``weak``: its only
    destination is "국외"/"overseas" and it names or describes no recipient,
    as a sentence on refusing "the transfer abroad" does.
    """

    facts: tuple[Fact, ...]
    located: bool
    weak: bool


def _prose_transfers(
    ctx: Context, unit: Unit, pointed: _Pointers, context: str = ""
) -> list[_Draft]:
    """Transfers abroad described in prose, unless a table discloses them (one
    the statement points to: "listed in section 9"; one in the section is
    checked by the caller).

    A statement and the list completing it are one disclosure: a list of
    labelled fields ("이전받는 자: …", "이전되는 국가: …") is one transfer (one
    per recipient if the labels repeat); a list naming a recipient per item
    ("Acme Inc., Japan: …", "logistics partners in China") is one transfer per
    such item, each read with the statement and the other items; any other
    list (countries, purposes, safeguards) adds its details to the statement.
    ``context`` is more text of the same disclosure, read for its legal basis
    and the way to refuse it.
    """
    lex = ctx.lex
    statement = unit.statement
    if _section_role(ctx, statement) is None:
        return []
    # a deemed-consent sentence ("agreeing is consenting to transfers") is not a
    # disclosure of a transfer, nor its legal basis
    head = _without_deemed_consent(ctx, [statement])
    if lex.has("negation", head):
        return []
    if lex.has("with_consent", head) and lex.has("conditional", head):
        return []  # "국외의 제3자에게 제공할 때에는 동의를 받습니다": a promise
    if not unit.items and POINTS_ELSEWHERE.search(head):
        return []  # "the recipients outside the EEA are described in Section 2"
    if lex.has("statutory_exception", ctx.quote(statement)):
        return []  # "조약, 그 밖의 국제협정의 이행을 위하여 …": the Act's own words
    items = tuple(c for c in unit.items if not lex.has("negation", ctx.quote(c)))
    labels = labelled_list(ctx, items)
    drafts = []
    records, shared = _list_records(ctx, items, labels)
    for record in records:
        draft = _prose_transfer(
            ctx, statement, head, shared, record, labels, pointed, context
        )
        if draft is not None:
            drafts.append(draft)
    return drafts


def _list_records(
    ctx: Context, items: tuple[Clause, ...], labels: dict[str, Label]
) -> tuple[list[list[Clause]], list[Clause]]:
    """The items split into transfers (each a list of items) and the items
    shared by all; one transfer with no items of its own when none stands out."""
    if labels:
        records: list[list[Clause]] = [[]]
        seen: set[str] = set()
        shared = []
        for item in items:
            label = labels.get(item.id)
            if label is None:
                shared.append(item)
                continue
            if seen & set(label.fields):  # a second "이전받는 자:": the next recipient
                records.append([])
                seen = set()
            records[-1].append(item)
            seen |= set(label.fields)
        return records, shared
    own = [c for c in items if _names_recipient(ctx, c)]
    return [[c] for c in own] or [[]], [c for c in items if c not in own]


QUOTE = 400  # characters: a longer clause is quoted by the sentences that matter


def _focus(ctx: Context, clause: Clause) -> Evidence:
    """A clause as evidence of a transfer: the span of its sentences that
    speak of sending data abroad (the whole clause when it is one sentence or
    none does, the first sentence when that is too long)."""
    if len(clause.sentences) <= 1:
        return ctx.evidence(clause)
    lex = ctx.lex
    telling = [
        s
        for s in clause.sentences
        if lex.has("transfer_verbs", said := ctx.text[s.start : s.end])
        and (
            lex.has("overseas_words", said)
            or lex.countries.search(said)
            or lex.unspecified.search(said)
        )
    ]
    if not telling:
        if clause.end - clause.start <= QUOTE:
            return ctx.evidence(clause)
        telling = [clause.sentences[0]]
    start, end = telling[0].start, telling[0].end
    for sentence in telling[1:]:
        if sentence.end - start > QUOTE:
            break
        end = sentence.end
    return Evidence(start, end, ctx.text[start:end], clause.id)


def _other_entity(ctx: Context, words: str) -> re.Match[str] | None:
    """The first organisation a sentence names other than its subject: in
    "정성종합관리 주식회사는 … 비즈니스 파트너와 공유합니다" the company that
    speaks is no recipient."""
    for match in ctx.lex.entity_markers.finditer(words):
        if not SUBJECT.match(words, match.end()):
            return match
    return None


def _only_examples(words: str, named_at: int) -> bool:
    """The organisation named at ``named_at`` (an offset into ``words``) is an
    example of a category ("partners, such as Acme Ltd."): it names some
    recipients, not all."""
    example = EXAMPLES.search(words, 0, named_at)
    return example is not None and named_at - example.end() < 60


def _lead_end(ctx: Context, clause: Clause) -> int | None:
    """Where the head of a list item ends ("· Logistics partners, to …"):
    the first comma, colon or parenthesis within its first words; None for
    a clause that is no list item."""
    if clause.kind != "item":
        return None
    start = clause.start
    marker = CLAUSE_MARKER.match(ctx.text, start, clause.end)
    if marker:
        start = marker.end()
    head = re.search(r"[,:：(;]", ctx.text[start : min(clause.end, start + LEAD)])
    if head is None:  # "· Logistics partners such as Acme Co. for … Sellers"
        head = HEAD_WORDS.search(ctx.text, start, min(clause.end, start + 2 * LEAD))
        return head.start() if head else None
    return start + head.start()


def _names_recipient(ctx: Context, clause: Clause) -> bool:
    """An item that leads with a recipient of its own: "Acme Inc., Japan: …",
    "Logistics partners in China, to deliver …" (not "Standard contractual
    clauses. … companies in the EEA …", which is about something else)."""
    start = clause.start
    marker = CLAUSE_MARKER.match(ctx.text, start, clause.end)
    if marker:
        start = marker.end()
    first = next((s.end for s in clause.sentences if s.end > start), clause.end)
    lead = LEAD_END.split(ctx.text[start : min(first, start + LEAD)], maxsplit=1)[0]
    return bool(ctx.lex.entity_markers.search(lead) or ctx.lex.categories.search(lead))


def _destination(ctx: Context, clause: Clause, labels: dict[str, Label]) -> str:
    """Where an item says the data go: the value of "For users in the EU:
    Germany and Singapore" (the label is whose data, not where they go), the
    whole item otherwise."""
    if clause.id in labels:
        return labels[clause.id].value.text
    text = ctx.quote(clause)
    head, colon, value = text.partition(":")
    if colon and "\n" not in head and ctx.lex.countries.search(value):
        return value
    return text


def _prose_transfer(
    ctx: Context,
    statement: Clause,
    head: str,
    shared: list[Clause],
    record: list[Clause],
    labels: dict[str, Label],
    pointed: _Pointers,
    context: str,
) -> _Draft | None:
    lex = ctx.lex
    fields = {name: c for c in record if c.id in labels for name in labels[c.id].fields}
    own = " ".join(
        labels[c.id].value.text if c.id in labels else _without_deemed_consent(ctx, [c])
        for c in record
    )
    # what the disclosure says: labels left out ("이전 일시 및 방법: -" says no method)
    said = " ".join([head, *(_without_deemed_consent(ctx, [c]) for c in shared), own])
    if not lex.has("transfer_verbs", " ".join([said, *map(ctx.quote, record)])):
        return None
    if "transfer" in pointed.roles(said):
        return None
    country = fields.get("country")
    if country is not None:
        codes, where = _countries(ctx, labels[country.id].value.text), [country]
    else:
        codes = _countries(ctx, " ".join(_destination(ctx, c, labels) for c in record))
        where = record
        if not codes - {"unspecified", "KR"}:
            whole = [statement, *shared, *record]
            codes = _countries(
                ctx,
                " ".join([head, *(_destination(ctx, c, labels) for c in whole[1:])]),
            )
            where = whole
    codes -= {"KR"}
    if not codes:
        return None
    evidence = sorted(
        (_focus(ctx, c) for c in (statement, *shared, *record)),
        key=lambda e: e.start,
    )
    found = [
        fact(
            "country",
            [ctx.evidence(c) for c in where],
            code,
            context="transfer",
        )
        for code in sorted(codes)
    ]
    recipient = fields.get("recipient")
    name = labels[recipient.id].value.text if recipient else None
    named = (
        _named(ctx, name)
        if name is not None
        else lex.entity_markers.search(said) is not None
    )
    if recipient is not None and named:
        found.append(
            fact(
                "recipient",
                [ctx.evidence(recipient)],
                name,
                named=True,
                role="transfer",
                with_consent=False,
                tabled=False,
            )
        )
    details = {key: key in fields or ok for key, ok in _details(ctx, said).items()}
    # a business established abroad keeping data on its own servers: whether
    # Art. 28-8 applies to it (no one else receives them) is a point of reading
    own_servers = (
        ctx.foreign
        and not named
        and recipient is None
        and lex.has("self_storage", said)
        and lex.categories.search(said) is None
    )
    found.append(
        _transfer(
            evidence,
            name,
            ",".join(sorted(codes)),
            named,
            lex.has("transfer_basis", f"{said} {context}"),
            {
                **details,
                "refusal": "refusal" in fields
                or lex.has("refusal", f"{said} {context}"),
            },
            review="reading" if own_servers else None,
        )
    )
    weak = (
        codes == {"unspecified"}
        and not named
        and recipient is None
        and lex.unspecified.search(said) is None
        and lex.categories.search(said) is None
    )
    return _Draft(tuple(found), located=bool(codes - {"unspecified"}), weak=weak)


class _Pointers:
    """Which disclosure tables a sentence points to: "the providers listed in
    section 9", "아래 표와 같이", "제5조에 기재된"."""

    REFERENCE = re.compile(
        r"(?:section|sec\.|article|제)\s*(\d{1,2}|[A-Z])(?:조|\b)", re.I
    )
    TABLE = re.compile(r"table|표", re.I)

    def __init__(self, ctx: Context, records: list[Record]) -> None:
        self.ctx = ctx
        self.by_section: dict[str, set[str]] = {}
        for record in records:
            self.by_section.setdefault(record.clauses[0].section or "", set()).add(
                record.role
            )

    def roles(self, words: str) -> set[str]:
        if not self.ctx.lex.has("pointer", words):
            return set()
        found: set[str] = set()
        targets = [m.group(1).upper() for m in self.REFERENCE.finditer(words)]
        for section in self.ctx.sections.values():
            label = (
                (section.numbering or section.heading.split(" ")[0]).rstrip(".").upper()
            )
            label = label.removeprefix("제").removesuffix("조")
            if label in targets:
                for section_id, roles in self.by_section.items():
                    if section_id == section.id or section_id.startswith(
                        section.id + "."
                    ):
                        found |= roles
        if not targets and self.TABLE.search(words):
            found = {role for roles in self.by_section.values() for role in roles}
        return found


GENERIC_RECIPIENTS = {
    "제3자",
    "외부 업체",
    "외부업체",
    "third parties",
    "third party",
    "third-party",
}


def _generic(category: str) -> bool:
    return " ".join(category.lower().split()) in GENERIC_RECIPIENTS


def _sentence_role(ctx: Context, words: str, topics: frozenset[str]) -> str:
    """Provision, outsourcing or transfer: the section's topic, unless the
    sentence's own words say outsourcing in a section on both."""
    if "overseas" in topics:
        return "transfer"
    if ctx.lex.has("outsourcing_words", words) or "provision" not in topics:
        return "outsourcing"
    return "provision"


def _transfer(
    evidence: list[Evidence],
    recipient: str | None,
    country: str,
    named: bool,
    basis: bool,
    details: dict[str, bool],
    review: str | None = None,
) -> Fact:
    """A transfer fact; ``missing`` names the 28-8(2) items not disclosed;
    ``review`` is why a person must judge it, if the text cannot settle it."""
    missing = [name for name, ok in details.items() if not ok]
    unspecified = "unspecified" in country.split(",")
    if unspecified:
        missing.insert(0, "country")
    if not named:
        missing.insert(0, "recipient")
    if not missing and not basis and review is None:
        # every 28-8(2) item disclosed is itself a ground for outsourcing or
        # storage abroad (28-8(1)3); whether that is the ground relied on, the
        # text rarely says
        review = "reading"
    return fact(
        "transfer",
        evidence,
        recipient,
        country=country,
        unspecified=unspecified,
        recipient_named=named,
        basis=basis,
        complete=not missing,
        missing=", ".join(missing),
        **details,
        **({"review": review} if review else {}),
    )


def retention(ctx: Context) -> Iterator[Fact]:
    """One fact per sentence that sets a retention period; a table row also
    reads its column headers ("보유 기간", "Starting from", "근거 법령"), and a
    list item the lines that lead it in: a statute or start point named in a
    heading or parent line governs the items under it."""
    lex = ctx.lex
    above = _outline(ctx)
    tables: dict[int, str] = {}
    for clause in ctx.document.clauses:
        if clause.table is not None:
            tables[clause.table] = f"{tables.get(clause.table, '')} {ctx.quote(clause)}"
    for clause in ctx.document.clauses:
        headers = " ".join(clause.headers)
        in_section = "retention" in ctx.topics(clause) or lex.has(
            "retention_words", headers
        )
        nearest = ctx.nearest_topics(clause)
        if nearest & {"safeguards", "destruction"} and "retention" not in nearest:
            continue  # access logs kept as a safeguard, the destruction procedure
        # a table row by its cells: the period stands in one, the items in another
        spans = clause.cells or clause.sentences
        for sentence in spans:
            words = ctx.text[sentence.start : sentence.end]
            if not in_section and not lex.has("retention_words", words + headers):
                continue
            concrete = bool(PERIOD.search(words))
            vague = any(
                _vague_retention(ctx, clause, m, topical=in_section)
                for m in lex.vague["retention"].finditer(
                    ctx.text, sentence.start, sentence.end
                )
            )
            if not concrete and not (
                vague and (in_section or lex.has("retention_words", words))
            ):
                continue  # a vague phrase says little where nothing is kept
            context = f"{words} {headers} {above.get(clause.id, '')}"
            # a table row names its law in a cell of its own ("통신비밀보호법 |
            # 서비스 이용 기록 | 3개월")
            row = ctx.quote(clause) if clause.cells else ""
            statute = lex.has("statute", f"{context} {row}") or _names_a_law(
                f"{context} {row}"
            )
            # a table by column ("근거 | 부패방지권익위법 …", "보유기간 | 1년"):
            # a law named in another row may or may not set this period
            elsewhere = (
                not statute
                and clause.table is not None
                and (
                    lex.has("statute", tables.get(clause.table, ""))
                    or _names_a_law(tables.get(clause.table, ""))
                )
            )
            yield fact(
                "retention",
                [Evidence(sentence.start, sentence.end, words, clause.id)],
                concrete=concrete,
                vague=vague,
                statute=statute,
                start_point=lex.has(
                    "start_point",
                    f"{_period_part(words)} {headers} {above.get(clause.id, '')}",
                ),
                **({"review": "reading"} if elsewhere else {}),
            )


# a law by its bare name ("5) 전자금융거래법", "통신비밀보호법 | 3개월"), not a
# word that only ends in 법 (방법, 불법, 위법)
LAW_NAME = re.compile(r"[가-힣]{2,}법(?=$|[\s,.)」·:|]|에|상|시행|제)")
NOT_A_LAW = (
    "방법",
    "불법",
    "위법",
    "적법",
    "편법",
    "수법",
    "기법",
    "문법",
    "용법",
    "해법",
)


def _names_a_law(text: str) -> bool:
    return any(not m.group().endswith(NOT_A_LAW) for m in LAW_NAME.finditer(text))


# a cell or sentence that settles two things ("영상 정보는 통화 종료 시 즉시
# 파기, 식별자 1년 보관"): each statement ends with what is done to the data
SETTLED = re.compile(
    r"(?:파기|삭제|보관|보존|보유)(?:합니다|됩니다|하며|되며)?\s*[,;，]"
    r"|\b(?:deleted|destroyed|erased)\b[^,;.]{0,40};",
    re.I,
)


def _period_part(words: str) -> str:
    """The statement of ``words`` that holds its period: a start point named
    for another item's destruction does not start this period."""
    if PERIOD.search(words) is None:
        return words
    cuts = [0, *(m.end() for m in SETTLED.finditer(words)), len(words)]
    for start, end in itertools.pairwise(cuts):
        if PERIOD.search(words[start:end]):
            return words[start:end]
    return words


def _outline(ctx: Context) -> dict[str, str]:
    """For each clause, the text of the lines that govern it: its section's
    headings, the label lines and parent items just above it ("4) 부가가치세법",
    "① 상법에 따른 기록") and the line that leads its list in ("전자상거래법에
    따라 다음과 같이 보관합니다:", or the paragraph the list follows)."""
    if "outline" not in ctx.memo:
        ctx.memo["outline"] = _governing_lines(ctx)
    result: dict[str, str] = ctx.memo["outline"]
    return result


def _plan(ctx: Context) -> list[Unit]:
    """The document's statements with the list items that complete them."""
    if "units" not in ctx.memo:
        ctx.memo["units"] = units(ctx)
    result: list[Unit] = ctx.memo["units"]
    return result


def _governing_lines(ctx: Context) -> dict[str, str]:
    clauses = ctx.document.clauses
    out: dict[str, str] = {}
    for index, clause in enumerate(clauses):
        lines = []
        section_id = clause.section or ""
        while section_id:
            if section_id in ctx.sections:
                lines.append(ctx.sections[section_id].heading)
            section_id = section_id.rpartition(".")[0]
        current = clause
        for earlier in reversed(clauses[max(0, index - 12) : index]):
            if earlier.section != clause.section:
                break
            text = ctx.quote(earlier)
            if opens_list(ctx, earlier) or (
                earlier.kind == "paragraph" and len(text) > 40
            ):
                lines.append(text)
                break
            parent = earlier.kind == "item" and (
                earlier.depth < current.depth
                or (
                    earlier.depth == current.depth
                    and (rank(earlier.marker) or 0) < (rank(current.marker) or 0)
                )
            )
            if parent or len(text) <= 40:
                lines.append(text)
                current = earlier if parent else current
        out[clause.id] = " ".join(lines)
    return out


def consent(ctx: Context) -> Iterator[Fact]:
    lex = ctx.lex
    # an item's list lead-in ("보호의무자가 아래의 경우 … 동의하는 경우"):
    # its consent wording covers the items under it
    leads = {
        item.id: ctx.quote(unit.statement) for unit in _plan(ctx) for item in unit.items
    }
    for clause in ctx.document.clauses:
        lead = leads.get(clause.id, "")
        for sentence in clause.sentences:
            text = ctx.text[sentence.start : sentence.end]
            evidence = [Evidence(sentence.start, sentence.end, text, clause.id)]
            emergency, company = (
                lex.has("emergency", text),
                lex.has("company_interest", text),
            )
            discloses = lex.has("disclosure_strict", text) or "provision" in ctx.topics(
                clause
            )
            # explicit, or implied: a disclosure to protect someone's safety or
            # the company's own rights needs no consent by its nature
            without = lex.has("without_consent", text) or (
                (
                    company
                    and discloses
                    or lex.has("emergency_implied", text)
                    and lex.has("disclosure_strict", text)
                )
                and not lex.has("with_consent", f"{text} {lead}")
                and not lex.has("transaction", text)
            )
            if without and not lex.has("negation", text):
                manifest, imminent = (
                    lex.has("manifest", text),
                    lex.has("imminent", text),
                )
                yield fact(
                    "consent_exception",
                    evidence,
                    emergency=emergency,
                    manifest=manifest,
                    imminent=imminent,
                    narrow=imminent,
                    company_interest=company,
                )
            if lex.has("deemed_consent", text) and not WITHDRAWAL.search(text):
                if not lex.has("active_consent", text):
                    yield fact("deemed_consent", evidence)
                elif lex.has("bundled", text):
                    # "약관 등에 동의 버튼을 클릭하면 동의한 것으로 봅니다": a click,
                    # but one for the policy and the terms together
                    yield fact("deemed_consent", evidence, review="reading")
            if _refusal_limits_service(ctx, clause, text):
                following = _next_sentence(ctx, clause, sentence.end)
                yield fact(
                    "refusal_blocks_service",
                    evidence,
                    basis=lex.has("reason", f"{text} {following}"),
                )


def _refusal_limits_service(ctx: Context, clause: Clause, text: str) -> bool:
    """Refusing a transfer abroad (not cookies, not a provision whose
    consequence 17(2) asks to state) limits the service."""
    lex = ctx.lex
    about_transfer = (
        "overseas" in ctx.topics(clause)
        or lex.has("overseas_words", text)
        or lex.has("transfer_noun", text)
    )
    return bool(
        about_transfer
        and not lex.topics["cookies"].search(text)
        and lex.has("refusal", text)
        and lex.has("refusal_limits_service", text)
    )


def _next_sentence(ctx: Context, clause: Clause, after: int) -> str:
    following = [s for s in clause.sentences if s.start >= after]
    return ctx.text[following[0].start : following[0].end] if following else ""


def presence(ctx: Context) -> Iterator[Fact]:
    """Cookies, officer, agent, rights: one fact each, from their sections or cues."""
    lex = ctx.lex
    by_topic: dict[str, list[Clause]] = {}
    for clause in ctx.document.clauses:
        said = ctx.quote(clause)
        cue_topics = {
            n
            for n in ("cookies", "officer", "agent")
            if lex.topics[n].search(said)
            # "자체 쿠키 … 없음", "we do not use cookies": none used
            and not (lex.has("negation", said) or NONE_USED.search(said))
        }
        for topic in ctx.topics(clause) | cue_topics:
            by_topic.setdefault(topic, []).append(clause)
    for clause in ctx.document.clauses:
        # "Korea | Name: … | address | phone": the representative for Korea
        if (
            clause.cells
            and REPRESENTATIVES.search(table_head(ctx.document, clause))
            and "KR" in lex.countries.labels_in(ctx.document.quote(clause.cells[0]))
        ):
            by_topic.setdefault("agent", []).append(clause)
    for clause in ctx.document.clauses:
        # a table with a column for each row's legal basis ("운영근거", "Legal
        # basis"), or a row for it ("처리근거 | …법률"): what is processed on
        # which ground, consent or statute
        if clause.cells and (
            BASIS_COLUMN.search(table_head(ctx.document, clause))
            or BASIS_COLUMN.fullmatch(ctx.document.quote(clause.cells[0]).strip())
        ):
            by_topic.setdefault("no_consent", []).append(clause)
    for clause in ctx.content_topics.get("rights", []):
        if clause not in by_topic.setdefault("rights", []):
            by_topic["rights"].append(clause)

    def joined(topic: str) -> str:
        return " ".join(ctx.quote(c) for c in by_topic.get(topic, []))

    def evidence(topic: str) -> list[Evidence]:
        """The topic's own section first, then mentions elsewhere."""
        found = by_topic.get(topic, [])
        ranked = sorted(found, key=lambda c: topic not in ctx.topics(c))
        return [ctx.evidence(c) for c in ranked[:2]]

    if "cookies" in by_topic:
        yield fact(
            "cookies",
            evidence("cookies"),
            refusal=lex.has("refusal", joined("cookies")),
        )
    if "officer" in by_topic:
        # contacts often follow in a table, the lines just below or further
        # down the same section (a postal address before the e-mail)
        clauses = ctx.document.clauses
        index = ctx.clause_index
        in_section: dict[str | None, list[int]] = {}
        for j, clause in enumerate(clauses):
            in_section.setdefault(clause.section, []).append(j)
        near = {}
        for c in by_topic["officer"]:  # the next 8 clauses, the rest of its section
            first, same = index[c.id], in_section[c.section]
            later = same[bisect_left(same, first) :]
            for j in sorted({*range(first, min(first + 8, len(clauses))), *later}):
                near[clauses[j].id] = clauses[j]
        text = " ".join(ctx.quote(c) for c in near.values())
        yield fact(
            "officer",
            evidence("officer"),
            contact=bool(EMAIL.search(text) or PHONE.search(text)),
        )
    if "agent" in by_topic:
        text = joined("agent")
        attrs = {
            "name": lex.has("agent_name", text)
            or bool(lex.entity_markers.search(text)),
            "address": lex.has("agent_address", text) or bool(ADDRESS.search(text)),
            "phone": bool(PHONE.search(text)),
            "email": bool(EMAIL.search(text)),
        }
        missing = [name for name, ok in attrs.items() if not ok]
        yield fact(
            "agent",
            evidence("agent"),
            complete=not missing,
            missing=", ".join(missing),
            **attrs,
        )
    if "rights" in by_topic:
        text = joined("rights")
        rights = {name: lex.has(f"rights_{name}", text) for name in RIGHTS}
        missing = [name for name, ok in rights.items() if not ok]
        yield fact(
            "rights",
            evidence("rights"),
            complete=not missing,
            missing=", ".join(missing),
            **rights,
        )
        foreign_only = ctx.document.language != "ko" and not lex.has(
            "korean_language", text
        )
        # a global text may come with a Korean version or channel elsewhere
        global_text = foreign_only and ctx.scope.audience != "korea"
        yield fact(
            "rights_channel",
            evidence("rights"),
            foreign_only=foreign_only,
            **({"review": "global"} if global_text else {}),
        )
    unfilled = [
        ctx.evidence(c)
        for c in ctx.document.clauses
        if lex.has("unfilled", ctx.quote(c)) or BLANK_FIELD.search(ctx.quote(c))
    ]
    if unfilled:
        yield fact("unfilled", unfilled[:3])
    local = [
        ctx.evidence(c)
        for c in ctx.document.clauses
        if lex.has("local_only", ctx.quote(c))
    ]
    if local:
        yield fact("local_only", local[:2])
    registered = [
        ctx.evidence(c)
        for c in ctx.document.clauses
        if REGISTERED_FILES.search(ctx.quote(c))
    ]
    if registered:
        yield fact("registered_files", registered[:2])
    if "no_consent" in by_topic:
        yield fact(
            "no_consent_list",
            evidence("no_consent"),
            basis=lex.has("statute", joined("no_consent")),
        )
