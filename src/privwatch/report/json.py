"""The audit JSON contract (``privwatch.audit/1``, documented in the README)."""

from __future__ import annotations

import json
from dataclasses import asdict
from typing import Any

from privwatch import __version__
from privwatch.models import Audit, Evidence, Fact, Severity
from privwatch.report.labels import labels_json

SCHEMA = "privwatch.audit/1"


def _fact(fact: Fact) -> dict[str, Any]:
    return {
        "kind": fact.kind,
        "value": fact.value,
        "attrs": dict(fact.attrs),
        "evidence": [evidence_dict(e) for e in fact.evidence],
    }


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


def audit_to_dict(audit: Audit) -> dict[str, Any]:
    document = audit.document
    facts = audit.facts
    countries = sorted({f.value for f in facts if f.kind == "country" and f.value})
    recipients = [
        {"name": f.value, "named": f.get("named"), "role": f.get("role")}
        for f in facts
        if f.kind == "recipient"
    ]
    items = sorted({f.value for f in facts if f.kind == "item" and f.value})
    summary = {s.value: 0 for s in Severity}
    for finding in audit.findings:
        summary[finding.severity] += 1
    return {
        "schema": SCHEMA,
        "privwatch": __version__,
        "packs": [{"pack": name, "version": version} for name, version in audit.packs],
        "context": dict(audit.context),
        "document": {
            "source": asdict(document.source),
            "fetched_at": document.fetched_at,
            "title": document.title,
            "language": document.language,
            "sha256": document.sha256,
            "text": document.text,
            "scope": {
                "audience": audit.scope.audience,
                "where": audit.scope.where,
                "evidence": [evidence_dict(e) for e in audit.scope.evidence],
                "left_out": [
                    {"where": place, "clauses": list(ids)}
                    for place, ids in audit.scope.left_out
                ],
            },
        },
        "facts": {
            "countries": countries,
            "recipients": recipients,
            "items": items,
            "all": [_fact(f) for f in facts],
        },
        "summary": summary,
        "certainty": {
            "certain": sum(f.certainty != "review" for f in audit.findings),
            "review": sum(f.certainty == "review" for f in audit.findings),
        },
        "findings": [
            asdict(f)
            | {
                "evidence": [evidence_dict(e) for e in f.evidence],
                "more": list(f.more),
            }
            for f in audit.findings
        ],
        "consistency": [
            {
                "entry_index": c.entry_index,
                "entries": list(c.entries),
                "host": c.host,
                "data_type": c.data_type,
                "organization": c.organization,
                "country": c.country,
                "party": c.party,
                "class": c.cls,
                "policy_evidence": [evidence_dict(e) for e in c.policy_evidence],
            }
            for c in audit.consistency
        ],
        "practices": [labels_json(item) for item in audit.practices],
    }


def render_json(audit: Audit) -> str:
    return json.dumps(audit_to_dict(audit), ensure_ascii=False, indent=2)
