"""render_url drives the system Chromium against a loopback server: no mocks.

CI installs Chromium (.ci/run); without it these tests fail and say so.
"""

from __future__ import annotations

import re
import time
from http.server import BaseHTTPRequestHandler

import pytest

from privwatch.errors import FetchError, TooLargeError
from privwatch.ingest.render import find_chromium, render_url
from privwatch.ingest.source import fetch_url
from privwatch.pipeline import document_from_raw
from tests.conftest import LocalServer, Route

KOREAN = "개인정보를 국외로 이전합니다"
ENGLISH = "We transfer your personal data to servers abroad"
HTML = "text/html; charset=utf-8"


def js_string(text: str) -> str:
    """``text`` as a JS string literal of \\u escapes, so the served HTML never
    holds the sentence itself: only running the script produces it."""
    return '"' + "".join(f"\\u{ord(char):04x}" for char in text) + '"'


SCRIPTED_PAGE = f"""<!doctype html>
<html lang="ko"><head><meta charset="utf-8"><title>개인정보 처리방침</title></head>
<body><main id="policy"></main>
<script>
  for (const sentence of [{js_string(KOREAN)}, {js_string(ENGLISH)}]) {{
    const p = document.createElement("p");
    p.textContent = sentence + ".";
    document.getElementById("policy").appendChild(p);
  }}
</script>
</body></html>
""".encode()


@pytest.fixture(scope="module")
def chromium() -> str:
    path = find_chromium()
    if path is None:
        pytest.fail(
            "no Chromium found: install it (apt-get install -y chromium, as .ci/run"
            " does) or set PRIVWATCH_CHROMIUM to its path"
        )
    return path


@pytest.fixture
def scripted(server: LocalServer) -> str:
    return server.add(
        "/policy", Route(body=SCRIPTED_PAGE, headers={"Content-Type": HTML})
    )


@pytest.mark.usefixtures("chromium")
def test_render_runs_the_page_script(scripted: str) -> None:
    raw = render_url(scripted, timeout=20)
    assert raw.kind == "url"
    assert raw.uri == scripted
    assert raw.http_status == 200
    assert raw.content_type == HTML
    assert raw.headers is not None
    assert raw.headers["content-type"] == HTML
    assert all(name == name.lower() for name in raw.headers)
    html = raw.data.decode("utf-8")
    assert KOREAN in html
    assert ENGLISH in html

    plain = fetch_url(scripted).data.decode("utf-8")
    assert KOREAN not in plain
    assert ENGLISH not in plain

    document = document_from_raw(raw)
    clauses = [document.quote(clause) for clause in document.clauses]
    assert any(KOREAN in text for text in clauses), clauses
    assert any(ENGLISH in text for text in clauses), clauses


@pytest.mark.usefixtures("chromium")
def test_render_reports_a_non_2xx_answer(server: LocalServer) -> None:
    url = server.url("/missing")
    with pytest.raises(FetchError) as caught:
        render_url(url, timeout=20)
    assert caught.value.key == "fetch.status"
    assert caught.value.params["status"] == 404
    assert caught.value.params["url"] == url


@pytest.mark.usefixtures("chromium")
def test_render_enforces_the_size_limit(scripted: str) -> None:
    with pytest.raises(TooLargeError) as caught:
        render_url(scripted, timeout=20, max_bytes=100)
    assert caught.value.key == "input.too_large"


@pytest.mark.usefixtures("chromium")
def test_render_times_out(server: LocalServer) -> None:
    def stall(handler: BaseHTTPRequestHandler) -> None:
        time.sleep(5)
        try:
            handler.send_response(200)
            handler.end_headers()
        except OSError:
            pass  # the browser has given up and closed the connection

    url = server.add("/slow", Route(handler=stall))
    with pytest.raises(FetchError) as caught:
        render_url(url, timeout=1.5)
    assert caught.value.key == "fetch.timeout"
    assert caught.value.params == {"url": url, "seconds": 1.5}


def test_render_unavailable_without_chromium(
    monkeypatch: pytest.MonkeyPatch, scripted: str, tmp_path
) -> None:
    monkeypatch.setenv("PRIVWATCH_CHROMIUM", str(tmp_path / "no-such-chromium"))
    with pytest.raises(FetchError) as caught:
        render_url(scripted)
    assert caught.value.key == "fetch.render_unavailable"
    message = caught.value.render("ko")
    assert "\n" not in message
    assert re.search("[가-힣]", message)
    assert "no-such-chromium" in message
