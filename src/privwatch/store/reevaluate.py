"""Stored audits evaluated again when their platform's record changes.

A stored audit keeps the facts its text states; its findings are the rules
evaluated over those facts with the platform's record as context. When the
record changes (``foreign``, ``country``), the findings are evaluated again
from the stored facts, exactly as the scorecard measures a platform
(``evaluate/scorecard.py`` takes its context from ``evaluation_context``):
today's packs, ``foreign`` from the record, ``korea_facing`` and
``agent_required`` as the audit stored them. The audit's JSON and its finding
rows are replaced together, so the platform list, the timeline, the findings
page and the scorecard count the same findings. The facts, the text and
everything else the audit holds are kept as they were.
"""

from __future__ import annotations

from dataclasses import replace

from sqlalchemy import delete, select
from sqlalchemy.orm import Session

from privwatch import rules
from privwatch.rules.schema import is_builtin
from privwatch.store import schema as orm
from privwatch.store.records import AuditRecord, decode_audit


def evaluation_context(audit: AuditRecord, foreign: bool) -> dict[str, bool]:
    """The context a stored audit is measured in for a platform whose record
    says ``foreign``: the scorecard's and the re-evaluation's one definition."""
    stored = dict(audit.context)
    return {
        "foreign": bool(foreign),
        # audits stored before scope was read were all taken as Korea-facing
        "korea_facing": bool(stored.get("korea_facing", True)),
        "agent_required": bool(stored.get("agent_required", False)),
    }


def reevaluated(audit: AuditRecord, foreign: bool) -> AuditRecord | None:
    """``audit`` with its findings evaluated again over its stored facts for a
    platform that is ``foreign`` (or not), with today's version of each pack it
    named; None when one of its packs is not built in (a pack file given to one
    audit cannot be read again), so the stored audit stays as it is."""
    if not audit.packs or not all(is_builtin(name) for name, _ in audit.packs):
        return None
    packs = [rules.load_pack(name) for name, _ in audit.packs]
    context = evaluation_context(audit, foreign)
    facts = list(audit.facts)
    findings = [
        f for pack in packs for f in rules.evaluate(pack, facts, context=context)
    ]
    return replace(
        audit,
        findings=tuple(findings),
        packs=tuple((pack.pack, pack.version) for pack in packs),
        context=(*context.items(), ("foreign_inferred", False)),
    )


def reevaluate_platform(session: Session, platform_id: int, foreign: bool) -> int:
    """Evaluate again every stored audit of the platform's documents (see the
    module docstring) inside ``session``'s transaction; returns the versions
    whose findings or context changed."""
    ids = list(
        session.scalars(
            select(orm.Version.id)
            .join(
                orm.WatchedDocument, orm.WatchedDocument.id == orm.Version.document_id
            )
            .where(
                orm.WatchedDocument.platform_id == platform_id,
                orm.Version.audit_json.is_not(None),
            )
            .order_by(orm.Version.id)
        )
    )
    changed = 0
    for version_id in ids:
        version = session.get(orm.Version, version_id)
        if version is None:
            continue
        audit = decode_audit(version.audit_json)
        fresh = None if audit is None else reevaluated(audit, foreign)
        if fresh is None or fresh == audit:
            continue
        version.audit_json = fresh.to_dict()
        session.execute(
            delete(orm.StoredFinding).where(orm.StoredFinding.version_id == version_id)
        )
        session.add_all(finding_rows(version_id, fresh))
        session.flush()
        session.expunge(version)  # one audit's text at a time in memory
        changed += 1
    return changed


def finding_rows(version_id: int, audit: AuditRecord | None) -> list[orm.StoredFinding]:
    """The finding rows of a version's audit (the audit JSON holds them in full)."""
    rows = []
    for finding in audit.findings if audit else ():
        quoted = [e for e in finding.evidence if e.entry_index is None]
        rows.append(
            orm.StoredFinding(
                version_id=version_id,
                rule=finding.rule,
                severity=finding.severity,
                law=finding.law,
                article=finding.article,
                title="",
                params=dict(finding.params),
                quote=quoted[0].text if quoted else None,
                start=quoted[0].start if quoted else None,
                certainty=finding.certainty,
            )
        )
    return rows
