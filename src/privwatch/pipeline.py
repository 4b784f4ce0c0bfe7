"""The stages, in order. Each is a pure function over ``models`` types."""

from __future__ import annotations

import hashlib
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from privwatch import extract, ingest, rules, segment
from privwatch.attribution import Registry
from privwatch.classify import classify_document, document_kind, unfair_term_facts
from privwatch.consistency import Consistency, flow_facts
from privwatch.consistency.match import classify
from privwatch.ingest.source import Progress, RawSource, now_iso
from privwatch.models import Audit, Clause, Document, Section
from privwatch.rules.conditions import kinds
from privwatch.segment.title import title_of
from privwatch.traffic.scan import Flow, ScanResult


def ingest_document(
    source: str,
    *,
    max_bytes: int = ingest.DEFAULT_MAX_BYTES,
    timeout: float = ingest.DEFAULT_TIMEOUT,
    progress: Progress | None = None,
) -> Document:
    """Read ``source`` (file path or http(s) URL) into a segmented Document."""
    loaded = ingest.load(
        source, max_bytes=max_bytes, timeout=timeout, progress=progress
    )
    return _segmented(loaded, progress)


def document_from_bytes(
    data: bytes, name: str, *, content_type: str | None = None
) -> Document:
    """Segment a document already in memory; ``name`` (a file name or URL) and
    ``content_type`` help tell its format."""
    raw = RawSource(
        data=data,
        uri=name,
        kind="bytes",
        fetched_at=now_iso(),
        content_type=content_type,
    )
    return document_from_raw(raw)


def document_from_raw(raw: RawSource, *, selector: str | None = None) -> Document:
    """Segment bytes already read or fetched (``ingest.source``); ``selector`` is a
    CSS selector for the element of an HTML page that holds the document."""
    return _segmented(ingest.parse(raw, selector=selector), None)


def _segmented(loaded: ingest.Loaded, progress: Progress | None) -> Document:
    sections, clauses = segment.split(
        loaded.text, loaded.blocks, progress=progress, source=loaded.source.uri
    )
    title = _title(loaded.text, loaded.title, sections, clauses)
    return Document(
        source=loaded.source,
        fetched_at=loaded.fetched_at,
        sha256=hashlib.sha256(loaded.text.encode("utf-8")).hexdigest(),
        language=segment.detect_language(loaded.text),
        title=title,
        text=loaded.text,
        sections=sections,
        clauses=clauses,
    )


def _title(
    text: str,
    given: str | None,
    sections: tuple[Section, ...],
    clauses: tuple[Clause, ...],
) -> str | None:
    """The document's title (``segment.title``): the reader's (the page's
    ``<title>``, the first heading) when it names the document, never a site's
    navigation."""
    first = sections[0].start if sections else len(text)
    return title_of(
        text,
        given,
        [(c.start, c.end, c.kind) for c in clauses if c.end <= first],
        [(s.heading, s.numbering is not None) for s in sections],
    )


def audit_document(
    document: Document,
    packs: Sequence[rules.Pack],
    *,
    foreign: bool | None = None,
    traffic: TrafficEvidence | None = None,
    practices: bool = False,
    agent_required: bool | None = None,
    progress: Progress | None = None,
) -> Audit:
    """Extract the facts of ``document`` and evaluate ``packs`` over them.

    ``foreign`` says whether the business is foreign to Korea; when None it is
    inferred from the policy not being written in Korean. ``agent_required``
    says the business meets Art. 31-2's thresholds or is designated (None: not
    known, so findings resting on it are review items). Packs with rules on
    ``unfair_term`` facts run the unfair-terms classifier; ``practices`` adds
    each clause's privacy-practice labels to the audit. ``progress`` hears of
    the clauses the classifiers embed.
    """
    report = progress or _silent  # "facts": its 4 steps, the last the rules
    report("facts", 0, 4)
    is_foreign = document.language != "ko" if foreign is None else foreign
    scope = extract.document_scope(document)
    report("facts", 1, 4)
    facts = extract.find_facts(document, foreign=is_foreign, scope=scope)
    report("facts", 2, 4)
    if any("unfair_term" in kinds(rule.when) for pack in packs for rule in pack.rules):
        kept = extract.applicable(document, scope=scope)  # passages for Korean users
        read = extract.rule_facts(kept)  # once: it also says what to classify
        classified = unfair_term_facts(
            document, wanted=extract.quotable(kept, read), progress=progress
        )
        facts += extract.unfair_terms(kept, classified, read)
    report("facts", 3, 4)
    records: list[Consistency] = []
    if traffic is not None:  # say versus do
        records = classify(document, facts, traffic.flows, traffic.registry)
        facts += flow_facts(
            records,
            facts,
            user_country=traffic.user_country,
        )
        if traffic.behaviour is not None:  # what the page did (page record)
            facts += traffic.behaviour.facts()
    inferred = foreign is None
    context = {
        "foreign": is_foreign,
        "korea_facing": scope.audience != "other",
        "agent_required": bool(agent_required),
    }
    findings = [
        finding
        for pack in packs
        for finding in rules.evaluate(pack, facts, context=context)
    ]
    report("facts", 4, 4)
    return Audit(
        document=document,
        facts=tuple(facts),
        findings=tuple(findings),
        packs=tuple((pack.pack, pack.version) for pack in packs),
        context=(*context.items(), ("foreign_inferred", inferred)),
        consistency=tuple(records),
        practices=(
            tuple(classify_document(document, "practices", progress))
            if practices
            else ()
        ),
        scope=scope,
        traffic=traffic.provenance if traffic is not None else None,
    )


def _silent(stage: str, done: int, total: int | None) -> None:
    """No progress reported."""


def audit_packs(
    document: Document, named: Sequence[rules.Pack], *, auto: bool
) -> list[rules.Pack]:
    """The packs to audit ``document`` with: ``named``, after the built-in pack
    for the document's kind when ``auto``."""
    if not auto:
        return list(named)
    return [rules.load_pack(rules.pack_for(document_kind(document))), *named]


@dataclass(frozen=True)
class TrafficEvidence:
    """What a recorded session showed, for auditing a policy against it."""

    flows: list[Flow]
    registry: Registry
    user_country: str = "KR"
    provenance: dict[str, Any] | None = None  # ScanResult.provenance
    #: what the page did (``traffic.behaviour.Behaviour``), with a page record
    behaviour: Any = None

    @classmethod
    def from_scan(cls, scan: ScanResult, user_country: str) -> TrafficEvidence:
        """A scan's flows, owners from the built-in registry."""
        return cls(
            scan.flows,
            Registry.builtin(),
            user_country,
            scan.provenance(user_country),
            scan.behaviour,
        )
