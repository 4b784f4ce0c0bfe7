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
from privwatch.web.present import STATUS_SYMBOL, scorecard_view

router = APIRouter()


def _scorecard(store: Store) -> dict[str, Any]:
    """The scorecard of privacy policies (``privwatch.scorecard/1``)."""
    return scorecard_to_dict(build_scorecard(store, kind="privacy"))


@router.get("/scorecard")
def scorecard(request: Request, auth: Viewer, board: Board) -> Response:
    card = _scorecard(board.store)
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
