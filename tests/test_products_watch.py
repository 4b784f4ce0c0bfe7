"""``products watch``: listing sources served on loopback across runs, stored
in real SQLite and PostgreSQL; a product matched, taken down (404, or a page
without the product) and listed again is an ALERT and a webhook POST; a
source that fails (500) concludes nothing."""

from __future__ import annotations

import json
import threading
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

import pytest
from click.testing import CliRunner, Result

from privwatch.store import Store
from privwatch.store.products import add_source, listed_by_platform, matches, runs
from privwatch.watch.products import alert_payload, run_watch
from tests.conftest import FIXTURES, LocalServer, Route

CHECK = FIXTURES / "products_check"
KCA = FIXTURES / "hazards" / "kca-overseas.csv"
TUBE_LIST = FIXTURES / "hazards" / "consumer24.json"
PAGE = (CHECK / "hanbit-tube.html").read_bytes()
NO_PRODUCT = (FIXTURES / "listings" / "no_product.html").read_bytes()


class Hooks:
    """A webhook receiver on loopback: the JSON bodies POSTed to it."""

    def __init__(self) -> None:
        self.bodies: list[dict[str, Any]] = []
        bodies = self.bodies

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self) -> None:  # noqa: N802
                size = int(self.headers.get("Content-Length", "0"))
                bodies.append(json.loads(self.rfile.read(size)))
                self.send_response(204)
                self.end_headers()

            def log_message(self, format: str, *args: object) -> None:
                pass

        self.httpd = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.thread = threading.Thread(target=self.httpd.serve_forever, daemon=True)
        self.thread.start()

    @property
    def url(self) -> str:
        host, port = self.httpd.server_address[:2]
        return f"http://{host}:{port}/hook"


@pytest.fixture
def hooks() -> Iterator[Hooks]:
    receiver = Hooks()
    yield receiver
    receiver.httpd.shutdown()
    receiver.httpd.server_close()


def _serve(server: LocalServer, path: str, body: bytes, status: int = 200) -> str:
    return server.add(
        path,
        Route(
            body=body,
            status=status,
            headers={"Content-Type": "text/html; charset=utf-8"},
        ),
    )


def test_matched_gone_and_listed_again_is_an_alert(
    db_url: str, server: LocalServer, hooks: Hooks
) -> None:
    url = _serve(server, "/products/4400012345", PAGE)
    with Store(db_url) as store:
        store.add_platform("11번가", country="KR", foreign=False)
        add_source(store, "11번가", url)
        first = run_watch(store, [TUBE_LIST], webhooks=[hooks.url])
        assert first.run.counts["certain"] == 1 and not first.run.relisted
        # a server error says nothing: not gone
        _serve(server, "/products/4400012345", b"oops", status=500)
        failed = run_watch(store, [TUBE_LIST], webhooks=[hooks.url])
        assert [f.status for f in failed.fetches] == ["failed"]
        _serve(server, "/products/4400012345", PAGE)
        back = run_watch(store, [TUBE_LIST], webhooks=[hooks.url])
        assert not back.run.relisted and hooks.bodies == []
        # taken down (404), then listed again: an alert
        _serve(server, "/products/4400012345", b"", status=404)
        gone = run_watch(store, [TUBE_LIST], webhooks=[hooks.url])
        assert [f.status for f in gone.fetches] == ["gone"]
        _serve(server, "/products/4400012345", PAGE)
        again = run_watch(store, [TUBE_LIST], webhooks=[hooks.url])
        assert [m.hazard_record_id for m in again.run.relisted] == ["2026110001"]
        assert len(hooks.bodies) == 1
        body = hooks.bodies[0]
        assert body["schema"] == "privwatch.products-alert/1"
        assert body["relisted"][0]["platform"] == "11번가"
        assert body["relisted"][0]["match"]["certainty"] == "certain"
        assert body == json.loads(json.dumps(alert_payload(again.run)))
        assert [r.id for r in runs(store)] == [
            first.run.id,
            failed.run.id,
            back.run.id,
            gone.run.id,
            again.run.id,
        ]
        stored = matches(store, platform="11번가")
        assert len(stored) == 3 and [m.relisted for m in stored] == [False, False, True]
        (pair,) = listed_by_platform(store)
        assert pair.relisted and pair.listed_now and not pair.foreign
        assert pair.first_seen < pair.last_seen


def test_a_page_showing_no_product_is_gone_and_a_search_page_without_it_too(
    db_url: str, server: LocalServer
) -> None:
    url = _serve(server, "/item/1", PAGE)
    with Store(db_url) as store:
        store.add_platform("AliExpress", country="SG", foreign=True)
        add_source(store, "AliExpress", url)
        run_watch(store, [TUBE_LIST])
        _serve(server, "/item/1", NO_PRODUCT)
        gone = run_watch(store, [TUBE_LIST])
        assert [f.status for f in gone.fetches] == ["gone"]
        (pair,) = listed_by_platform(store)
        assert not pair.listed_now and not pair.relisted and pair.foreign
        _serve(server, "/item/1", PAGE)
        assert run_watch(store, [TUBE_LIST]).run.relisted


def _cli(args: list[str], lang: str = "en") -> Result:
    from privwatch.cli import build_cli

    return CliRunner().invoke(build_cli(lang), args, env={"COLUMNS": "250"})


def test_the_commands_add_run_and_list(
    db_url: str, server: LocalServer, tmp_path: Any
) -> None:
    url = _serve(server, "/vp/products/1", PAGE)
    export = tmp_path / "market.csv"
    export.write_bytes((CHECK / "market.csv").read_bytes())
    added = _cli(
        [
            "products", "watch", "add", "Coupang", url, str(export),
            "--country", "KR", "--domestic", "--db", db_url,
        ]
    )  # fmt: skip
    assert added.exit_code == 0, added.output
    assert "2 source(s) watched for Coupang" in added.stdout
    hazards = ["--hazards", str(TUBE_LIST), "--hazards", str(KCA)]
    first = _cli(["products", "watch", "run", *hazards, "--db", db_url])
    assert first.exit_code == 0, first.output
    assert "run 1: 2 source(s) (2 read, 0 gone, 0 failed)" in first.stdout
    _serve(server, "/vp/products/1", b"", status=410)
    export.write_text("title,url\nSomething else,https://x.test/1\n", encoding="utf-8")
    gone = _cli(["products", "watch", "run", *hazards, "--db", db_url], lang="ko")
    assert gone.exit_code == 0, gone.output
    assert "내려감" in gone.stdout
    _serve(server, "/vp/products/1", PAGE)
    export.write_bytes((CHECK / "market.csv").read_bytes())
    again = _cli(["products", "watch", "run", *hazards, "--db", db_url])
    assert again.exit_code == 1  # relisted products: an alert
    alerts = [line for line in again.stdout.splitlines() if line.startswith("ALERT")]
    assert len(alerts) >= 2  # the served page's tube and the export's Maglo toy
    assert any("2026110001" in a for a in alerts)
    assert any("KCA-2026-0457" in a for a in alerts)
    listed = _cli(["products", "watch", "list", "--db", db_url], lang="ko")
    assert listed.exit_code == 0
    assert "재등록" in listed.stdout and "국내" in listed.stdout
    empty = _cli(["products", "watch", "list", "--platform", "nosuch", "--db", db_url])
    assert empty.exit_code == 0 and "no product matched yet" in empty.stderr


def test_run_with_an_unreadable_hazard_list_stores_nothing(
    db_url: str, capsys: pytest.CaptureFixture[str]
) -> None:
    from tests.test_cli import assert_one_line_error, run

    argv = ["products", "watch", "run", "--hazards", "nosuch.json", "--db", db_url]
    code, out, err = run(argv, capsys)
    assert_one_line_error(code, err, "nosuch.json")
    code, out, err = run(["--lang", "ko", *argv], capsys)
    assert code == 2 and len(err.strip().splitlines()) == 1
    with Store(db_url) as store:
        assert runs(store) == []
