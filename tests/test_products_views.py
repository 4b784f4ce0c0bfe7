"""The per-platform product view: the scorecard (HTML and JSON) and the
dashboard's /products page and API, over runs of ``products watch`` stored in
real SQLite and PostgreSQL, a domestic and a foreign platform side by side."""

from __future__ import annotations

import json
import re

import httpx

from privwatch.evaluate.scorecard import build_scorecard
from privwatch.report.scorecard import render_scorecard_html, scorecard_to_dict
from privwatch.store import Store
from privwatch.store.products import add_source
from privwatch.watch.products import run_watch
from tests.conftest import FIXTURES, LocalServer, Route
from tests.test_web import VIEWER_PASSWORD, dashboard, signed_in_client

CHECK = FIXTURES / "products_check"
LISTS = [
    FIXTURES / "hazards" / "consumer24.json",
    FIXTURES / "hazards" / "kca-overseas.csv",
]
PAGE = (CHECK / "hanbit-tube.html").read_bytes()
EXPORT = (CHECK / "market.csv").read_bytes()


def _stored(store: Store, server: LocalServer) -> None:
    """11번가 (domestic) lists the tube; AliExpress (foreign) exports the Maglo
    toy and look-alikes; the tube is taken down once and comes back."""
    page = server.add("/p/1", Route(body=PAGE, headers={"Content-Type": "text/html"}))
    export = server.add(
        "/feed.csv", Route(body=EXPORT, headers={"Content-Type": "text/csv"})
    )
    store.add_platform("11번가", country="KR", foreign=False)
    store.add_platform("AliExpress", country="SG", foreign=True)
    add_source(store, "11번가", page)
    add_source(store, "AliExpress", export)
    run_watch(store, LISTS)
    server.add("/p/1", Route(status=404))
    run_watch(store, LISTS)
    server.add("/p/1", Route(body=PAGE, headers={"Content-Type": "text/html"}))
    run_watch(store, LISTS)


def test_scorecard_shows_products_by_list_domestic_and_foreign(
    db_url: str, server: LocalServer
) -> None:
    with Store(db_url) as store:
        _stored(store, server)
        card = build_scorecard(store)
    data = json.loads(json.dumps(scorecard_to_dict(card)))
    by_platform = {(p["platform"], p["hazard_record_id"]): p for p in data["products"]}
    tube = by_platform[("11번가", "2026110001")]
    assert tube["relisted"] and tube["listed_now"] and not tube["foreign"]
    assert tube["hazard_date"] == "2026-11-04" and tube["certainty"] == "certain"
    maglo = by_platform[("AliExpress", "KCA-2026-0457")]
    assert maglo["foreign"] and not maglo["relisted"] and maglo["listed_now"]
    html = render_scorecard_html(card, lang="ko")
    section = html.split("id=products>", 1)[1]
    assert "판매 중 발견된 리콜·위해 제품" in html
    # domestic columns before foreign ones, one row per agency list
    assert section.index("국내") < section.index("국외")
    assert section.index("11번가") < section.index("AliExpress")
    assert "kr-consumer24-recalls" in section and "kr-kca-overseas" in section
    assert "재등록 1" in section
    assert "<탁상용>" not in html  # a listing's title is escaped


def test_an_empty_store_says_so_in_the_scorecard(db_url: str) -> None:
    with Store(db_url) as store:
        card = build_scorecard(store)
    assert scorecard_to_dict(card)["products"] == []
    assert "No product watch stored yet" in render_scorecard_html(card, lang="en")


def test_dashboard_products_page_and_api(db_url: str, server: LocalServer) -> None:
    with dashboard(db_url) as (store, base, _):
        with httpx.Client(base_url=base, timeout=30) as anonymous:
            assert anonymous.get("/products").status_code in (303, 401)
        _stored(store, server)
        with signed_in_client(base, "viewer", VIEWER_PASSWORD) as client:
            page = client.get("/products?lang=ko")
            assert page.status_code == 200
            text = page.text
            assert "판매 중 발견된 리콜·위해 제품" in text
            assert 'href="/products" aria-current="page"' in text
            head = text.split("<tbody>", 1)[0]
            assert head.index("국내") < head.index("국외")
            assert re.search(r"재등록</strong>", text)
            api = client.get("/api/products").json()["products"]
            assert {(p["platform"], p["foreign"]) for p in api} == {
                ("11번가", False),
                ("AliExpress", True),
            }
            english = client.get("/products?lang=en").text
            assert "Recalled and hazardous products found listed" in english
