"""The scorecard: every platform against every rule of the privacy pack."""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter, Request
from fastapi.responses import Response

from privwatch.evaluate.scorecard import build_scorecard
from privwatch.report.scorecard import scorecard_to_dict
from privwatch.store import Store
from privwatch.store.platforms import platform_rows
from privwatch.web.deps import Board, Viewer, language, render
from privwatch.web.scoreview import STATUS_SYMBOL, evaluation_view, scorecard_view

router = APIRouter()


def _scorecard(store: Store, lang: str) -> tuple[dict[str, Any], dict[str, Any]]:
    """The scorecard of privacy policies (``privwatch.scorecard/1``) and each
    platform's saved evaluation by name, as ``report compare`` shows them."""
    built = build_scorecard(store, kind="privacy")
    evaluations = {p.name: evaluation_view(p.evaluation, lang) for p in built.platforms}
    return scorecard_to_dict(built), evaluations


@router.get("/scorecard")
def scorecard(request: Request, auth: Viewer, board: Board) -> Response:
    lang = language(request)
    card, evaluations = _scorecard(board.store, lang)
    ids = {row.name: row.id for row in platform_rows(board.store)}
    columns, groups = scorecard_view(card, lang, ids, evaluations)
    return render(
        request,
        "scorecard.html",
        {
            "card": card,
            "columns": columns,
            "groups": groups,
            "symbols": STATUS_SYMBOL,
        },
        auth=auth,
    )
