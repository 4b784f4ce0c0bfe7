"""What the store keeps, as typed and versioned records, and their JSON codec.

Every reader of a stored audit decodes it here; renderers (``report/json.py``)
never define what is stored. A stored audit carries no words: its findings are
rule ids and template parameters, worded at the edge (``rules.words``).

Old stores open as they are: an audit stored before records were versioned is
the audit report's JSON (``privwatch.audit/1``, English words, no parameters).
It is converted when read, its schema telling which it is: the parameters are
read back from the stored words through the rule's templates (rules no pack in
reach defines keep no parameters). On-read rather than an Alembic migration:
rewriting every stored audit (each holds the document's text) in one upgrade
is slow on a large store, the rows stay readable by the privwatch that wrote
them, and the conversion needs the rule packs, which a migration must not
depend on (they change after the migration is written).
"""

from __future__ import annotations

import re
import string
from collections import Counter
from collections.abc import Iterable, Iterator, Mapping
from dataclasses import asdict, dataclass, field, fields
from functools import cache
from typing import TYPE_CHECKING, Any

from privwatch import __version__
from privwatch.i18n import LANGUAGES, _catalog, message
from privwatch.models import (
    SEVERITIES,
    Audit,
    Evidence,
    Fact,
    Finding,
    Labelled,
    Scope,
    SourceInfo,
)
from privwatch.rules.engine import REVIEW_REF
from privwatch.rules.schema import Rule, known_rule

if TYPE_CHECKING:
    from privwatch.consistency.match import Consistency
    from privwatch.traffic.scan import Flow, ScanResult

AUDIT_SCHEMA = "privwatch.audit-record/3"  # /3: the traffic's provenance
AUDIT_SCHEMA_2 = "privwatch.audit-record/2"
LEGACY_AUDIT_SCHEMA = "privwatch.audit/1"
SCAN_SCHEMA = "privwatch.scan/2"  # /2: what the page did (``behaviour``), when recorded
SCAN_SCHEMA_1 = "privwatch.scan/1"
EVALUATION_SCHEMA = "privwatch.evaluation/1"


# --- the records -----------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class StoredDocument:
    """The audited document: its source, text and metadata (no sections)."""

    source: SourceInfo
    fetched_at: str
    title: str | None
    language: str
    sha256: str
    text: str


@dataclass(frozen=True, slots=True)
class AuditRecord:
    """A stored audit: the document, facts, findings (without words) and the
    packs and context they were found with."""

    document: StoredDocument
    scope: Scope | None  # None: stored before scope was read
    facts: tuple[Fact, ...]
    findings: tuple[Finding, ...]
    packs: tuple[tuple[str, str], ...]
    context: tuple[tuple[str, bool], ...] = ()
    consistency: tuple[Consistency, ...] = ()
    practices: tuple[Labelled, ...] = ()
    privwatch: str = __version__
    schema: str = AUDIT_SCHEMA
    traffic: dict[str, Any] | None = None  # ScanResult.provenance; None before /3

    @property
    def summary(self) -> dict[str, int]:
        """Findings per severity."""
        return {s: sum(f.severity == s for f in self.findings) for s in SEVERITIES}

    @property
    def examined(self) -> frozenset[str]:
        """The evidence besides the text the audit examined: ``traffic`` when it
        was run with a recorded session."""
        traffic = bool(self.consistency) or any(f.kind == "flow" for f in self.facts)
        return frozenset({"traffic"}) if traffic else frozenset()

    @classmethod
    def of(cls, audit: Audit) -> AuditRecord:
        document = audit.document
        return cls(
            document=StoredDocument(
                document.source,
                document.fetched_at,
                document.title,
                document.language,
                document.sha256,
                document.text,
            ),
            scope=audit.scope,
            facts=audit.facts,
            findings=audit.findings,
            packs=audit.packs,
            context=audit.context,
            consistency=audit.consistency,
            practices=audit.practices,
            traffic=audit.traffic,
        )

    def to_dict(self) -> dict[str, Any]:
        return {
            "schema": self.schema,
            "privwatch": self.privwatch,
            "packs": [{"pack": name, "version": v} for name, v in self.packs],
            "context": dict(self.context),
            "document": asdict(self.document)
            | ({} if self.scope is None else {"scope": _scope_dict(self.scope)}),
            "facts": {"all": [_fact_dict(f) for f in self.facts]},
            "summary": self.summary,
            "findings": [_finding_dict(f) for f in self.findings],
            "consistency": [_flow_dict(c) for c in self.consistency],
            "practices": [labelled_dict(p) for p in self.practices],
            "traffic": self.traffic,
        }

    @classmethod
    def from_dict(cls, data: Mapping[str, Any]) -> AuditRecord:
        """A stored audit of either schema (ValueError for neither)."""
        schema = data.get("schema")
        if schema not in (AUDIT_SCHEMA, AUDIT_SCHEMA_2, LEGACY_AUDIT_SCHEMA):
            raise ValueError(f"not a stored audit: schema {schema!r}")
        decode = _legacy_finding if schema == LEGACY_AUDIT_SCHEMA else _finding
        traffic = data.get("traffic")
        document = data.get("document") or {}
        facts = data.get("facts") or {}
        return cls(
            document=StoredDocument(
                _source(document.get("source") or {}),
                str(document.get("fetched_at", "")),
                document.get("title"),
                str(document.get("language", "")),
                str(document.get("sha256", "")),
                str(document.get("text", "")),
            ),
            scope=_scope(document["scope"]) if document.get("scope") else None,
            facts=tuple(_fact(f) for f in facts.get("all", [])),
            findings=tuple(decode(f) for f in data.get("findings", [])),
            packs=tuple(
                (str(p.get("pack")), str(p.get("version")))
                for p in data.get("packs", [])
            ),
            context=tuple(
                (str(k), bool(v)) for k, v in (data.get("context") or {}).items()
            ),
            consistency=tuple(_flow(c) for c in data.get("consistency", [])),
            practices=tuple(_labelled(p) for p in data.get("practices", [])),
            privwatch=str(data.get("privwatch", "")),
            schema=AUDIT_SCHEMA,
            traffic=dict(traffic) if isinstance(traffic, Mapping) else None,
        )


@dataclass(frozen=True, slots=True)
class ScanRecord:
    """A stored traffic scan: the flows of personal data a recorded session
    showed (``privwatch.scan/2``: the scan JSON output holds no words, so the
    stored record and the output are the same object). ``behaviour`` is what
    the page did (``traffic.behaviour``'s object, ``privwatch.behaviour/1``)
    when a page record was read beside the HAR, else None and no key; a
    ``privwatch.scan/1`` scan (stored before it) is read with none."""

    site: str
    user_country: str
    har_path: str
    har_sha256: str
    entries: int
    flows: tuple[Flow, ...]
    hosts: int
    unknown_hosts: tuple[str, ...] = ()
    warnings: tuple[tuple[str, tuple[tuple[str, str], ...]], ...] = ()
    #: the published address-range snapshots the server countries came from
    address_ranges: tuple[Mapping[str, Any], ...] = ()
    privwatch: str = __version__
    schema: str = SCAN_SCHEMA
    #: the persona's fields the scan looked for, values masked
    persona: Mapping[str, list[str]] = field(default_factory=dict)
    #: what the page did (the scan JSON's ``behaviour`` object), or None
    behaviour: Mapping[str, Any] | None = None

    @classmethod
    def of(cls, result: ScanResult, user_country: str = "KR") -> ScanRecord:
        from privwatch.traffic.scan import unknown_hosts

        return cls(
            site=result.site,
            user_country=user_country,
            har_path=result.path,
            har_sha256=result.sha256,
            entries=result.entries,
            flows=tuple(result.flows),
            hosts=len(result.hosts),
            unknown_hosts=tuple(unknown_hosts(result)),
            warnings=tuple(
                (key, tuple((k, str(v)) for k, v in params.items()))
                for key, params in result.warnings
            ),
            address_ranges=tuple(result.address_ranges),
            persona=dict(result.persona),
            behaviour=(
                None if result.behaviour is None else result.behaviour.to_dict()
            ),
        )

    def crosses(self, flow: Flow) -> bool:
        """Whether the flow leaves the user's country."""
        return any(
            c and c != self.user_country for c in (flow.org_country, flow.ip_country)
        )

    def to_dict(self) -> dict[str, Any]:
        flows = self.flows
        return {
            "schema": self.schema,
            "privwatch": self.privwatch,
            "site": self.site,
            "user_country": self.user_country,
            "har": {
                "path": self.har_path,
                "sha256": self.har_sha256,
                "entries": self.entries,
            },
            "flows": [
                asdict(f) | {"country": f.country, "cross_border": self.crosses(f)}
                for f in flows
            ],
            "summary": {
                "flows": len(flows),
                "by_data_type": dict(Counter(f.data_type for f in flows)),
                "third_party_organizations": sorted(
                    {
                        f.organization
                        for f in flows
                        if f.party == "third" and f.organization
                    }
                ),
                "cross_border": sum(self.crosses(f) for f in flows),
                "hosts": self.hosts,
                "unknown_hosts": list(self.unknown_hosts),
            },
            "warnings": [
                {"warning": key, **dict(params)} for key, params in self.warnings
            ],
            "address_ranges": [dict(r) for r in self.address_ranges],
            "persona": {k: list(v) for k, v in self.persona.items()},
        } | ({} if self.behaviour is None else {"behaviour": dict(self.behaviour)})

    @classmethod
    def from_dict(cls, data: Mapping[str, Any]) -> ScanRecord:
        from privwatch.traffic.scan import Flow

        if data.get("schema") not in (SCAN_SCHEMA, SCAN_SCHEMA_1):
            raise ValueError(f"not a stored scan: schema {data.get('schema')!r}")
        behaviour = data.get("behaviour")
        names = {f.name for f in fields(Flow)}
        har = data.get("har") or {}
        summary = data.get("summary") or {}
        return cls(
            site=str(data.get("site", "")),
            user_country=str(data.get("user_country", "KR")),
            har_path=str(har.get("path", "")),
            har_sha256=str(har.get("sha256", "")),
            entries=int(har.get("entries") or 0),
            flows=tuple(
                Flow(**{k: v for k, v in flow.items() if k in names})
                for flow in data.get("flows", [])
            ),
            hosts=int(summary.get("hosts") or 0),
            unknown_hosts=tuple(summary.get("unknown_hosts") or ()),
            warnings=tuple(
                (
                    str(w.get("warning")),
                    tuple((k, str(v)) for k, v in w.items() if k != "warning"),
                )
                for w in data.get("warnings", [])
            ),
            address_ranges=tuple(data.get("address_ranges") or ()),
            privwatch=str(data.get("privwatch", "")),
            persona=dict(data.get("persona") or {}),
            behaviour=dict(behaviour) if isinstance(behaviour, Mapping) else None,
        )


@dataclass(frozen=True, slots=True)
class AreaScore:
    """An area of a stored evaluation: its id, name (by language) and score."""

    area: str
    name: tuple[tuple[str, str], ...]
    score: float | None


@dataclass(frozen=True, slots=True)
class EvaluationRecord:
    """What readers of a stored evaluation (``privwatch.evaluation/1``, as
    ``evaluate`` writes it) use: the score and each area's score."""

    score: float | None
    areas: tuple[AreaScore, ...] = ()
    schema: str = EVALUATION_SCHEMA

    @classmethod
    def from_dict(cls, data: Mapping[str, Any]) -> EvaluationRecord:
        return cls(
            score=_number(data.get("score")),
            areas=tuple(
                AreaScore(
                    str(area["area"]),
                    tuple((area.get("name") or {}).items())
                    if isinstance(area.get("name"), Mapping)
                    else (),
                    _number(area.get("score")),
                )
                for area in data.get("areas", [])
                if isinstance(area, Mapping) and "area" in area
            ),
        )


def _number(value: Any) -> float | None:
    return float(value) if isinstance(value, int | float) else None


def encode_scan(result: ScanResult, user_country: str = "KR") -> dict[str, Any]:
    """What the store keeps of a traffic scan (``privwatch.scan/2``)."""
    return ScanRecord.of(result, user_country).to_dict()


def decode_scan(data: Mapping[str, Any]) -> ScanRecord:
    return ScanRecord.from_dict(data)


def encode_audit(audit: Audit) -> dict[str, Any]:
    """What the store keeps of ``audit`` (``privwatch.audit-record/2``)."""
    return AuditRecord.of(audit).to_dict()


def decode_audit(data: Mapping[str, Any] | None) -> AuditRecord | None:
    """A stored audit, or None when the version has none."""
    return None if not data else AuditRecord.from_dict(data)


# --- encoding --------------------------------------------------------------------


def evidence_dict(evidence: Evidence) -> dict[str, Any]:
    """A text span, or an observed request (entry_index, host)."""
    if evidence.entry_index is not None:
        return {"entry_index": evidence.entry_index, "host": evidence.host}
    return {
        "start": evidence.start,
        "end": evidence.end,
        "text": evidence.text,
        "clause": evidence.clause,
    }


def _scope_dict(scope: Scope) -> dict[str, Any]:
    return {
        "audience": scope.audience,
        "where": scope.where,
        "evidence": [evidence_dict(e) for e in scope.evidence],
        "left_out": [
            {"where": place, "clauses": list(ids)} for place, ids in scope.left_out
        ],
    }


def _fact_dict(fact: Fact) -> dict[str, Any]:
    return {
        "kind": fact.kind,
        "value": fact.value,
        "attrs": dict(fact.attrs),
        "evidence": [evidence_dict(e) for e in fact.evidence],
    }


def _finding_dict(finding: Finding) -> dict[str, Any]:
    return {
        "rule": finding.rule,
        "law": finding.law,
        "article": finding.article,
        "severity": finding.severity,
        "params": dict(finding.params),
        "evidence": [evidence_dict(e) for e in finding.evidence],
        "certainty": finding.certainty,
        "reason": finding.reason,
        "more": list(finding.more),
    }


def _flow_dict(flow: Consistency) -> dict[str, Any]:
    return {
        "entry_index": flow.entry_index,
        "entries": list(flow.entries),
        "host": flow.host,
        "data_type": flow.data_type,
        "organization": flow.organization,
        "country": flow.country,
        "party": flow.party,
        "class": flow.cls,
        "policy_evidence": [evidence_dict(e) for e in flow.policy_evidence],
    }


def labelled_dict(item: Labelled) -> dict[str, Any]:
    entry: dict[str, Any] = {
        "text": item.text,
        "labels": list(item.labels),
        "scores": item.scores,
    }
    if item.clause is not None:
        entry["clause"] = item.clause
    return entry


def raw_spans(data: Mapping[str, Any]) -> Iterator[tuple[str, Any]]:
    """``(owner, span)`` for every evidence item of a stored audit (or an audit
    report) as it is, not decoded: for checking a store that may be tampered
    with. Findings' and facts' evidence, consistency records' policy evidence."""
    for finding in data.get("findings") or []:
        if isinstance(finding, dict):
            for span in finding.get("evidence") or []:
                yield str(finding.get("rule", "?")), span
    facts = data.get("facts")
    for fact in (facts.get("all") or []) if isinstance(facts, dict) else []:
        if isinstance(fact, dict):
            for span in fact.get("evidence") or []:
                yield f"fact {fact.get('kind', '?')}", span
    for record in data.get("consistency") or []:
        if isinstance(record, dict):
            for span in record.get("policy_evidence") or []:
                yield f"consistency {record.get('data_type', '?')}", span


# --- decoding --------------------------------------------------------------------


def evidence(data: Mapping[str, Any]) -> Evidence:
    if data.get("entry_index") is not None:
        return Evidence(-1, -1, "", None, int(data["entry_index"]), data.get("host"))
    return Evidence(
        int(data["start"]), int(data["end"]), str(data["text"]), data.get("clause")
    )


def _evidence_list(items: Iterable[Mapping[str, Any]] | None) -> tuple[Evidence, ...]:
    return tuple(evidence(e) for e in items or ())


def _source(data: Mapping[str, Any]) -> SourceInfo:
    return SourceInfo(
        uri=str(data.get("uri", "")),
        kind=str(data.get("kind", "")),
        media_type=str(data.get("media_type", "")),
        encoding=data.get("encoding"),
        size=int(data.get("size", 0)),
        bytes_sha256=str(data.get("bytes_sha256", "")),
        http_status=data.get("http_status"),
    )


def _scope(data: Mapping[str, Any]) -> Scope:
    return Scope(
        audience=str(data.get("audience") or "general"),
        where=data.get("where"),
        evidence=_evidence_list(data.get("evidence")),
        left_out=tuple(
            (str(item.get("where")), tuple(item.get("clauses", [])))
            for item in data.get("left_out", [])
        ),
    )


def _fact(data: Mapping[str, Any]) -> Fact:
    attrs = data.get("attrs") or {}
    return Fact(
        kind=data["kind"],
        value=data.get("value"),
        # a flow's country note is worded at the edge (older audits kept it)
        attrs=tuple((k, v) for k, v in attrs.items() if k != "country_note"),
        evidence=_evidence_list(data.get("evidence")),
    )


def _finding(data: Mapping[str, Any]) -> Finding:
    return Finding(
        rule=str(data["rule"]),
        law=str(data["law"]),
        article=str(data["article"]),
        severity=str(data["severity"]),
        params=tuple((str(k), str(v)) for k, v in (data.get("params") or {}).items()),
        evidence=_evidence_list(data.get("evidence")),
        certainty=str(data.get("certainty") or "certain"),
        reason=data.get("reason"),
        more=tuple(data.get("more") or ()),
    )


def _flow(data: Mapping[str, Any]) -> Consistency:
    from privwatch.consistency.match import Consistency

    return Consistency(
        entry_index=int(data["entry_index"]),
        entries=tuple(data.get("entries", [])),
        host=str(data.get("host", "")),
        data_type=str(data.get("data_type", "")),
        organization=data.get("organization"),
        country=data.get("country"),
        party=str(data.get("party", "")),
        cls=str(data.get("class", "")),
        policy_evidence=_evidence_list(data.get("policy_evidence")),
    )


def _labelled(data: Mapping[str, Any]) -> Labelled:
    return Labelled(
        text=str(data.get("text", "")),
        labels=tuple(data.get("labels", [])),
        scores=dict(data.get("scores") or {}),
        clause=data.get("clause"),
    )


# --- audits stored before records (privwatch.audit/1) ----------------------------

_WORDS = ("title", "explanation", "remediation")


def _legacy_finding(data: Mapping[str, Any]) -> Finding:
    """A finding of an audit report stored as it was rendered: its parameters
    read back from its words through the rule's templates."""
    rule = known_rule(str(data["rule"]))
    params: dict[str, str] = {}
    if rule is not None:
        for field in _WORDS:
            params |= _read_back(rule, field, str(data.get(field) or ""))
    params.pop("country_note", None)  # worded at the edge, from the country
    return _finding(
        {**data, "params": params, "reason": _legacy_reason(rule, data.get("reason"))}
    )


def _read_back(rule: Rule, field: str, words: str) -> dict[str, str]:
    """The template fields that make ``words`` from the rule's ``field``, in
    whichever language it was stored (``missing`` back to field keys)."""
    for lang in LANGUAGES:
        matched = _pattern(getattr(rule, field).pick(lang)).fullmatch(words)
        if matched:
            values = matched.groupdict()
            missing = values.get("missing")
            if missing:
                keys = [_field_keys()[lang].get(n) for n in missing.split(", ")]
                values["missing"] = ", ".join(k for k in keys if k)
            return values
    return {}


def _legacy_reason(rule: Rule | None, reason: object) -> str | None:
    """The reference of a stored review reason: the rule's review condition or
    catalogue message with those words, else the words as they are."""
    if not reason:
        return None
    text = str(reason)
    for index, review in enumerate(rule.review if rule else ()):
        if text in (review.reason.pick(lang) for lang in LANGUAGES):
            return f"{REVIEW_REF}{index}"
    for key in _catalog():
        if key.startswith("review.") and text in (
            message(key, lang) for lang in LANGUAGES
        ):
            return key
    return text


@cache
def _pattern(template: str) -> re.Pattern[str]:
    parts: list[str] = []
    seen: set[str] = set()
    for literal, name, _, _ in string.Formatter().parse(template):
        parts.append(re.escape(literal))
        if name is None:
            continue
        parts.append(f"(?P={name})" if name in seen else f"(?P<{name}>.*?)")
        seen.add(name)
    return re.compile("".join(parts), re.S)


@cache
def _field_keys() -> dict[str, dict[str, str]]:
    """language -> {a field's shown name: its key (without ``field.``)}."""
    return {
        lang: {
            message(key, lang): key.removeprefix("field.")
            for key in _catalog()
            if key.startswith("field.")
        }
        for lang in LANGUAGES
    }


def finding_row(
    rule: str,
    law: str,
    article: str,
    severity: str,
    params: Mapping[str, str] | None,
    title: str,
) -> Finding:
    """A finding of the store's findings table (no evidence): its parameters,
    or, in a row older than revision 0005, those read back from its title."""
    row = {"rule": rule, "law": law, "article": article, "severity": severity}
    if params is None:
        return _legacy_finding(row | {"title": title})
    return _finding(row | {"params": params})
