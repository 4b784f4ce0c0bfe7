"""The audit JSON contract (``privwatch.audit/1``, documented in the README).

An output in the reader's language, not what is stored (``store.records``)."""

from __future__ import annotations

import json
from typing import Any

from privwatch import __version__
from privwatch.models import Audit, Fact, Finding
from privwatch.rules.words import country_note, finding_words
from privwatch.store.records import AuditRecord, evidence_dict

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
    """The stored record of ``audit`` with its findings worded in ``lang`` and
    the facts summed up (countries, recipients, items)."""
    stored = AuditRecord.of(audit).to_dict()
    facts = audit.facts
    countries = sorted({f.value for f in facts if f.kind == "country" and f.value})
    recipients = [
        {"name": f.value, "named": f.get("named"), "role": f.get("role")}
        for f in facts
        if f.kind == "recipient"
    ]
    items = sorted({f.value for f in facts if f.kind == "item" and f.value})
    return {
        "schema": SCHEMA,
        "privwatch": __version__,
        "packs": stored["packs"],
        "context": stored["context"],
        "document": stored["document"],
        "facts": {
            "countries": countries,
            "recipients": recipients,
            "items": items,
            "all": [_fact(f, lang) for f in facts],
        },
        "summary": stored["summary"],
        "certainty": {
            "certain": sum(f.certainty != "review" for f in audit.findings),
            "review": sum(f.certainty == "review" for f in audit.findings),
        },
        "findings": [_finding(f, lang) for f in audit.findings],
        "consistency": stored["consistency"],
        "practices": stored["practices"],
        "traffic": stored["traffic"],
    }


def render_json(audit: Audit, lang: str = "en") -> str:
    return json.dumps(audit_to_dict(audit, lang), ensure_ascii=False, indent=2)
