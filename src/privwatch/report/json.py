"""The audit JSON contract (``privwatch.audit/1``, documented in the README).

An output in the reader's language, not what is stored (``store.records``)."""

from __future__ import annotations

import json
from dataclasses import asdict
from typing import Any

from privwatch import __version__
from privwatch.models import Audit, Fact, Finding
from privwatch.report.labels import labels_json
from privwatch.rules.words import country_note, finding_words
from privwatch.store.records import evidence_dict

SCHEMA = "privwatch.audit/1"


def _fact(fact: Fact, lang: str) -> dict[str, Any]:
    attrs = dict(fact.attrs)
    if fact.kind == "flow":
        country = fact.get("country")
        attrs["country_note"] = country_note(str(country) if country else None, lang)
        attrs = dict(sorted(attrs.items()))
    return {
        "kind": fact.kind,
        "value": fact.value,
        "attrs": attrs,
        "evidence": [evidence_dict(e) for e in fact.evidence],
    }


def _finding(finding: Finding, lang: str) -> dict[str, Any]:
    words = finding_words(finding, lang)
    return {
        "rule": finding.rule,
        "law": finding.law,
        "article": finding.article,
        "severity": finding.severity,
        "title": words.title,
        "explanation": words.explanation,
        "remediation": words.remediation,
        "evidence": [evidence_dict(e) for e in finding.evidence],
        "certainty": finding.certainty,
        "reason": words.reason,
        "more": list(finding.more),
    }


def audit_to_dict(audit: Audit, lang: str = "en") -> dict[str, Any]:
    document = audit.document
    facts = audit.facts
    countries = sorted({f.value for f in facts if f.kind == "country" and f.value})
    recipients = [
        {"name": f.value, "named": f.get("named"), "role": f.get("role")}
        for f in facts
        if f.kind == "recipient"
    ]
    items = sorted({f.value for f in facts if f.kind == "item" and f.value})
    summary = {level: 0 for level in ("high", "medium", "low")}
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
            "all": [_fact(f, lang) for f in facts],
        },
        "summary": summary,
        "certainty": {
            "certain": sum(f.certainty != "review" for f in audit.findings),
            "review": sum(f.certainty == "review" for f in audit.findings),
        },
        "findings": [_finding(f, lang) for f in audit.findings],
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


def render_json(audit: Audit, lang: str = "en") -> str:
    return json.dumps(audit_to_dict(audit, lang), ensure_ascii=False, indent=2)
