"""Every HTML file privwatch writes has the one skeleton: the same
Content-Security-Policy (no script, no fetch), charset and language."""

from __future__ import annotations

import re
from datetime import datetime

import pytest

from privwatch.diff import diff_clauses, finding_delta
from privwatch.evaluate import evaluate_document
from privwatch.evaluate.scorecard import Scorecard
from privwatch.pipeline import audit_document, document_from_bytes
from privwatch.report import render_html
from privwatch.report.diff import render_diff_html
from privwatch.report.evaluation import render_evaluation_html
from privwatch.report.page import CSP
from privwatch.report.scorecard import render_scorecard_html
from privwatch.rules import load_pack
from privwatch.store.records import AuditRecord

POLICY = "# 개인정보 처리방침\n\n회사는 이름과 <script>alert(1)</script> 이메일을 수집합니다.\n"


def _pages(lang: str) -> dict[str, str]:
    document = document_from_bytes(POLICY.encode(), "p.md")
    audit = audit_document(document, [load_pack("kr-pipa")], foreign=False)
    empty = Scorecard(
        kind="privacy",
        pack=("kr-pipa", "1"),
        requirements=(),
        platforms=(),
        generated_at=datetime(2026, 1, 1),
    )
    return {
        "audit": render_html(audit, lang=lang),
        "diff": render_diff_html(
            "<i>diff</i>",
            diff_clauses(["a <script>", "b"], ["a <script>", "c"]),
            finding_delta(None, AuditRecord.of(audit)),
            lang=lang,
        ),
        "evaluation": render_evaluation_html(
            evaluate_document(document, source="p.md"), lang=lang
        ),
        "scorecard": render_scorecard_html(empty, lang=lang),
    }


@pytest.mark.parametrize("lang", ["en", "ko"])
def test_every_html_output_has_the_one_head(lang: str) -> None:
    for name, html in _pages(lang).items():
        assert html.startswith(f'<!DOCTYPE html>\n<html lang="{lang}">\n<head>\n'), name
        policies = re.findall(
            r'<meta http-equiv="Content-Security-Policy" content="([^"]*)">', html
        )
        assert policies == [CSP], name
        assert "<script" not in html and html.endswith("</body>\n</html>\n"), name
