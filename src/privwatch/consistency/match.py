"""Match flows to policy statements with the ontology in ``data/ontology.yaml``."""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass
from functools import cache
from typing import Any, TypedDict

from privwatch.attribution import Organisation, Registry, registrable_domain
from privwatch.extract.lexicon import PhraseList, Phrases, lexicon
from privwatch.models import Document, Evidence, Fact
from privwatch.traffic.scan import Flow
from privwatch.yamlfile import packaged

CLASSES = ("clear", "vague", "omitted", "incorrect")
MAX_FLOW_EVIDENCE = 5


@dataclass(frozen=True, slots=True)
class Consistency:
    """One observed (data type, organisation, country) and what the policy says of it."""

    entry_index: int  # the first request showing it
    entries: tuple[int, ...]
    host: str
    data_type: str
    organization: str | None
    country: str | None
    party: str
    cls: str  # clear, vague, omitted or incorrect
    policy_evidence: tuple[Evidence, ...]


class DataTypeEntry(TypedDict):
    items: list[str]
    broader: list[str]


class RecipientCategory(TypedDict):
    terms: PhraseList
    covers: list[str]


class OntologyData(TypedDict):
    """``data/ontology.yaml``."""

    data_types: dict[str, DataTypeEntry]
    broader_terms: dict[str, PhraseList]
    recipient_categories: list[RecipientCategory]


@dataclass(frozen=True)
class Ontology:
    exact: dict[str, set[str]]  # data type -> item categories naming it
    broader: dict[str, Phrases]  # data type -> words of its broader classes
    categories: list[tuple[Phrases, set[str]]]  # recipient words -> org categories


@cache
def ontology() -> Ontology:
    data = packaged("privwatch.consistency", "data/ontology.yaml", OntologyData)
    terms = {
        k: [*v.get("en", []), *v.get("ko", [])]
        for k, v in data["broader_terms"].items()
    }
    exact = {k: set(v["items"]) for k, v in data["data_types"].items()}
    broader = {
        k: Phrases.build(
            ((t, c) for c in v["broader"] for t in terms.get(c, [])), prefix=True
        )
        for k, v in data["data_types"].items()
    }
    categories = [
        (
            Phrases.build(
                (t, "c") for t in [*c["terms"].get("en", []), *c["terms"].get("ko", [])]
            ),
            set(c["covers"]),
        )
        for c in data["recipient_categories"]
    ]
    return Ontology(exact, broader, categories)


GENERIC = {
    "inc",
    "ltd",
    "llc",
    "corp",
    "corporation",
    "company",
    "limited",
    "group",
    "holding",
    "holdings",
    "the",
    "pte",
    "private",
    "plc",
    "gmbh",
    "주식회사",
    "platforms",
    "technologies",
    "technology",
    "services",
    "service",
    "cloud",
    "data",
    "digital",
    "global",
    "korea",
    "online",
    "media",
    "network",
    "networks",
    "systems",
    "solutions",
    "software",
    "international",
    "commerce",
    "hosting",
    "and",
}


def _tokens(name: str) -> set[str]:
    words = re.findall(r"[A-Za-z]{3,}|[가-힣]{2,}", name)
    return {w.lower() for w in words} - GENERIC


def _names_org(text: str, org: Organisation | None, host: str) -> bool:
    """Whether a recipient named in the policy is this flow's organisation:
    a distinctive word of its name, its id, its group's id or its domain."""
    wanted = {registrable_domain(host).split(".")[0]}
    if org is not None:
        wanted |= {org.id, org.root} | _tokens(org.name)
    return bool(_tokens(text) & {w for w in wanted if len(w) >= 3})


def _covers(categories: set[str], org: Organisation | None) -> bool:
    """A recipient category covers a third party's organisation ("same-group"
    never does: the site's own group is the first party)."""
    return "any" in categories or (org is not None and org.category in categories)


def _denied(document: Document, data_type: str) -> list[Evidence]:
    """Sentences denying that this data type is shared or collected."""
    lex = lexicon()
    onto = ontology()
    found = []
    for clause in document.clauses:
        for span in clause.sentences:
            words = document.text[span.start : span.end]
            if not lex.has("negation", words):
                continue
            items = {lex.items.label(m) for m in lex.items.finditer(words)}
            if items & onto.exact.get(data_type, set()):
                found.append(Evidence(span.start, span.end, words, clause.id))
    return found


def _group(flows: Iterable[Flow]) -> dict[tuple[str, str, str, str], list[Flow]]:
    groups: dict[tuple[str, str, str, str], list[Flow]] = {}
    for flow in flows:
        key = (
            flow.data_type,
            flow.organization or flow.host,
            flow.country or "",
            flow.party,
        )
        groups.setdefault(key, []).append(flow)
    return groups


def classify(
    document: Document,
    facts: list[Fact],
    flows: Iterable[Flow],
    registry: Registry,
) -> list[Consistency]:
    """One consistency record per (data type, organisation, country, party)."""
    onto = ontology()
    recipients = [f for f in facts if f.kind == "recipient"]
    records = {
        f.evidence for f in facts if f.kind in ("transfer", "provision", "outsourcing")
    }
    out = []
    for (data_type, _, country, party), group in _group(flows).items():
        flow = group[0]
        org = _organisation(flow, registry)
        exact = onto.exact.get(data_type, {data_type})
        broader = onto.broader.get(data_type)
        cls, evidence = "omitted", []
        denied = _denied(document, data_type)
        if denied:
            cls, evidence = "incorrect", denied
        elif party == "first":
            collected = [f for f in facts if f.kind == "item" and f.value in exact]
            if collected:
                cls, evidence = "clear", [e for f in collected[:2] for e in f.evidence]
            elif broader and (match := broader.search(document.text)):
                cls, evidence = "vague", [_quote(document, match.start())]
        else:
            cls, evidence = _third_party(  # a cloaked host's name is the site's
                recipients,
                records,
                exact,
                broader,
                org,
                "" if flow.cloaked else flow.host,
            )
        out.append(
            Consistency(
                entry_index=flow.entry_index,
                entries=tuple(sorted({f.entry_index for f in group})),
                host=flow.host,
                data_type=data_type,
                organization=flow.organization,
                country=country or None,
                party=party,
                cls=cls,
                policy_evidence=tuple(evidence[:3]),
            )
        )
    return out


def _organisation(flow: Flow, registry: Registry) -> Organisation | None:
    """The flow's organisation: a cloaked first-party host's is the tracker's
    (its evidence names it), any other host's its registrable domain's."""
    if flow.cloaked:
        from privwatch.attribution.cloak import organisation_of

        org_id = organisation_of(flow.cloaked)
        try:
            return registry.organisation(org_id) if org_id else None
        except KeyError:
            return None
    return registry.lookup(flow.host)


def _third_party(
    recipients: list[Fact],
    records: set[tuple[Evidence, ...]],
    exact: set[str],
    broader: Phrases | None,
    org: Organisation | None,
    host: str,
) -> tuple[str, list[Evidence]]:
    """Clear when a named recipient is this organisation and its disclosure
    names this data; vague when only the organisation, or only a category
    covering both it and the data, is named; else omitted."""
    named = [
        r for r in recipients if r.get("named") and _names_org(r.value or "", org, host)
    ]
    for recipient in named:
        record = next(
            (r for r in records if recipient.evidence[0] in r), recipient.evidence
        )
        said = " ".join(e.text for e in record)
        lex = lexicon()
        if {lex.items.label(m) for m in lex.items.finditer(said)} & exact:
            return "clear", list(recipient.evidence)
    if named:
        return "vague", list(named[0].evidence)  # the organisation, but not this data
    for recipient in recipients:
        if recipient.get("named") or recipient.get("tabled"):
            continue  # tabled: a table lists the recipients, matched above
        said = " ".join(e.text for e in recipient.evidence)
        if not _data_covered(said, exact, broader):
            continue  # the statement is about other data
        for words, covers in ontology().categories:
            if words.search(recipient.value or "") and _covers(covers, org):
                return "vague", list(recipient.evidence)
    return "omitted", []


def _data_covered(text: str, exact: set[str], broader: Phrases | None) -> bool:
    """The data a statement names cover this data type: exactly, by a broader
    term ("개인정보", "contact information"), or it names no data at all."""
    lex = lexicon()
    named = {lex.items.label(m) for m in lex.items.finditer(text)}
    if named & exact or (broader is not None and broader.search(text)):
        return True
    return not named


def _quote(document: Document, offset: int) -> Evidence:
    clause = next((c for c in document.clauses if c.start <= offset < c.end), None)
    if clause is None:
        return Evidence(offset, offset, "", None)
    for span in clause.sentences:
        if span.start <= offset < span.end:
            return Evidence(
                span.start, span.end, document.text[span.start : span.end], clause.id
            )
    return Evidence(
        clause.start, clause.end, document.text[clause.start : clause.end], clause.id
    )


def flow_facts(
    consistency: list[Consistency],
    facts: list[Fact],
    *,
    user_country: str,
) -> list[Fact]:
    """Facts about observed flows for the rule pack: one per consistency record
    (the destination's country profile is worded at the edge:
    ``rules.words.country_note``)."""
    disclosed: dict[str, list[Fact]] = {}
    for fact in facts:
        if fact.kind == "transfer":
            for code in str(fact.get("country") or "").split(","):
                disclosed.setdefault(code, []).append(fact)
    out = []
    for record in consistency:
        country = record.country
        cross = bool(country) and country != user_country
        transfers = disclosed.get(country or "", [])
        evidence = tuple(
            Evidence(-1, -1, "", None, entry_index=index, host=record.host)
            for index in record.entries[:MAX_FLOW_EVIDENCE]
        )
        attrs = {
            "data_type": record.data_type,
            "organization": record.organization or record.host,
            "country": country,
            "party": record.party,
            "cross_border": cross,
            "country_disclosed": bool(transfers),
            "disclosure_complete": any(t.get("complete") for t in transfers),
            "class": record.cls,
        }
        value = f"{record.data_type} → {attrs['organization']} ({country or '?'})"
        out.append(Fact("flow", value, tuple(sorted(attrs.items())), evidence))
    return out


def country_note(profile: dict[str, Any], lang: str) -> str:
    """A neutral line on why a destination matters: equivalence, adequacy, access laws."""
    if not profile:
        return ""
    pick = "ko" if lang == "ko" else "en"
    name = (profile.get("name") or {}).get(pick, "")
    parts = []
    recognition = profile.get("pipc_equivalence") or {}
    pipc = recognition.get("recognised")
    adequacy = profile.get("eu_adequacy") or {}
    eu = adequacy.get("decided")
    words = {
        "en": {True: "yes", False: "no", None: "not recorded"},
        "ko": {True: "있음", False: "없음", None: "기록 없음"},
    }[pick]
    if lang == "ko":
        parts.append(
            f"개인정보보호위원회 동등성 인정: {_said(words, pipc, recognition, pick)}"
        )
        parts.append(f"EU 적정성 결정: {_said(words, eu, adequacy, pick)}")
    else:
        parts.append(
            f"PIPC equivalence recognition: {_said(words, pipc, recognition, pick)}"
        )
        parts.append(f"EU adequacy decision: {_said(words, eu, adequacy, pick)}")
    laws = [
        f"{(law.get('name') or {}).get(pick, '')} {law.get('provisions', '')}".strip()
        for law in profile.get("state_access_laws") or []
    ]
    if laws:
        label = "정부 접근 관련 법률" if lang == "ko" else "laws on state access"
        parts.append(f"{label}: " + "; ".join(laws))
    return f"{name}: " + ", ".join(parts) if name else ", ".join(parts)


def _said(
    words: dict[bool | None, str], value: bool | None, entry: dict[str, Any], pick: str
) -> str:
    """yes/no (flagging a decision with limits, such as the US one for certified
    companies only), or the entry's note where no decision applies."""
    note = (entry.get("note") or {}).get(pick)
    if value is None and note:
        return str(note)
    limited = {"en": " (limited scope)", "ko": " (적용 범위 제한)"}[pick]
    return words[value] + (limited if value and entry.get("scope") else "")
