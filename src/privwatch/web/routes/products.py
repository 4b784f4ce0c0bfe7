"""Recalled or hazardous products found listed (``products watch``), per
platform: by agency list and notice date, domestic and foreign side by side;
the page and its JSON."""

from __future__ import annotations

from fastapi import APIRouter, Request
from fastapi.responses import JSONResponse, Response

from privwatch.i18n import message
from privwatch.report.scorecard.products import cell_text, matrix, products_to_list
from privwatch.store.products import listed_by_platform
from privwatch.web.deps import Board, Viewer, language, render

router = APIRouter()
HEADS = ("platform", "notice", "date", "title", "certainty", "seen", "now")
NOW = {True: "products.watch.now_listed", False: "products.watch.now_gone"}


@router.get("/products")
def products_page(request: Request, auth: Viewer, board: Board) -> Response:
    lang = language(request)
    listed = listed_by_platform(board.store)
    grid = matrix(listed)
    rows = [
        (source, [cell_text(grid.cells.get((source, p)), lang) for p in grid.platforms])
        for source in grid.lists
    ]
    ordered = sorted(listed, key=lambda r: (r.hazard_source, r.hazard_date, r.platform))
    found = [
        {
            "r": r,
            "certainty": message(f"products.certainty.{r.certainty}", lang),
            "now": message(NOW[r.listed_now], lang),
        }
        for r in ordered
    ]
    heads = [message(f"products.view.col.{h}", lang) for h in HEADS]
    return render(
        request,
        "products.html",
        {"grid": grid, "rows": rows, "found": found, "heads": heads},
        auth=auth,
    )


@router.get("/api/products")
def products_api(request: Request, auth: Viewer, board: Board) -> Response:
    return JSONResponse({"products": products_to_list(listed_by_platform(board.store))})
