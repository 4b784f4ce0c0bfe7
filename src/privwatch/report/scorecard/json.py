"""The scorecard as JSON (``privwatch.scorecard/1``, documented in the README)."""

from __future__ import annotations

import json
from datetime import datetime
from typing import Any

from privwatch import __version__
from privwatch.evaluate.scorecard import PlatformCard, Scorecard
from privwatch.i18n import LANGUAGES
from privwatch.report import guideline as pipc
from privwatch.report.scorecard.products import products_to_list
from privwatch.report.table import article_label
from privwatch.rules.guideline import Guideline, counts
from privwatch.store.records import evidence_dict

SCHEMA = "privwatch.scorecard/1"


def iso_time(value: datetime | None) -> str | None:
    """A time as ISO 8601, None for none."""
    return None if value is None else value.isoformat()


def scorecard_to_dict(card: Scorecard) -> dict[str, Any]:
    """The ``privwatch.scorecard/1`` object (documented in the README)."""
    requirements = card.requirements
    return {
        "schema": SCHEMA,
        "privwatch": __version__,
        "generated_at": iso_time(card.generated_at),
        "kind": card.kind,
        "pack": {"pack": card.pack[0], "version": card.pack[1]},
        "articles": [
            {
                "law": law,
                "article": article,
                "title": {lang: article_label(article, lang) for lang in LANGUAGES},
                "requirements": [
                    {
                        "rule": requirements[i].rule,
                        "article": requirements[i].article,
                        "severity": requirements[i].severity,
                        "title": dict(requirements[i].title),
                    }
                    for i in indices
                ],
            }
            for law, article, indices in card.articles()
        ],
        "platforms": [_platform_dict(p, card.guideline) for p in card.platforms],
        "guideline": None
        if card.guideline is None
        else pipc.guideline_to_dict(card.guideline),
        "products": products_to_list(card.products),
    }


def _platform_dict(
    platform: PlatformCard, guideline: Guideline | None
) -> dict[str, Any]:
    evaluation = platform.evaluation
    return {
        "name": platform.name,
        "country": platform.country,
        "foreign": platform.foreign,
        "category": platform.category,
        "document": None
        if platform.version is None
        else {
            "url": platform.url,
            "version": platform.version,
            "audience": platform.audience,
            "audience_where": platform.audience_where,
            "fetched_at": iso_time(platform.fetched_at),
            "text_sha256": platform.text_sha256,
            "audit_packs": [
                {"pack": name, "version": version}
                for name, version in platform.audit_packs
            ],
        },
        "counts": platform.counts(),
        "met_share": platform.met_share(),
        "evaluation": None
        if evaluation is None
        else {
            "evaluated_at": iso_time(evaluation.evaluated_at),
            "source": evaluation.source,
            "score": evaluation.score,
            "areas": dict(evaluation.areas),
        },
        "notes": [note.to_dict() for note in platform.notes],
        "results": [
            {
                "rule": result.rule,
                "status": result.status,
                "reason": None if result.reason is None else result.reason.to_dict(),
                "findings": [
                    {
                        "severity": finding.severity,
                        "title": dict(finding.title),
                        "evidence": [evidence_dict(e) for e in finding.evidence],
                        "reason": None
                        if finding.reason is None
                        else dict(finding.reason),
                    }
                    for finding in result.findings
                ],
            }
            for result in platform.results
        ],
        "guideline": None
        if guideline is None
        else {
            "counts": counts(platform.items),
            "items": [pipc.item_result_to_dict(i) for i in platform.items],
        },
    }


def render_scorecard_json(card: Scorecard) -> str:
    return json.dumps(scorecard_to_dict(card), ensure_ascii=False, indent=2)
