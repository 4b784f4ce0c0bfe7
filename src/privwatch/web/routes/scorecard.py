"""The scorecard: every platform against every rule of the privacy pack."""

from __future__ import annotations

import importlib
from typing import Any

from fastapi import APIRouter, Request
from fastapi.responses import Response

from privwatch.store import Store
from privwatch.store.platforms import platform_rows
from privwatch.web.deps import Board, Viewer, language, render
from privwatch.web.present import STATUS_SYMBOL, ScoreColumn, ScoreGroup, scorecard_view

router = APIRouter()


def _scorecard(store: Store) -> dict[str, Any] | None:
    """The scorecard (``privwatch.scorecard/1``), or None where this build has
    no ``privwatch.report.scorecard``."""
    try:
        module = importlib.import_module("privwatch.report.scorecard")
        card = module.build_scorecard(store, kind="privacy")
    except ImportError:
        return None
    result: dict[str, Any] = module.scorecard_to_dict(card)
    return result


@router.get("/scorecard")
def scorecard(request: Request, auth: Viewer, board: Board) -> Response:
    card = _scorecard(board.store)
    columns: list[ScoreColumn] = []
    groups: list[ScoreGroup] = []
    if card is not None:
        ids = {row.name: row.id for row in platform_rows(board.store)}
        columns, groups = scorecard_view(card, language(request), ids)
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
