"""Loopback sites for the batch recording tests and bench (our own pages),
told apart by the Host header, every host mapped to one loopback server by
PRIVWATCH_HOST_RULES (as Chromium's host-resolver rules map them):

- SHOP (하늘상점, tests/record_shop.py): consent banner, canvas and audio
  fingerprinting, a sign-up form a script sends key by key to a tracker
  served under its real name (www.google-analytics.com), a third-party cookie;
- CLEAN (맑은상점): no banner, no script, no cookie, no other host;
- STUCK: a page whose script never yields once it has loaded (the browser
  hangs: only the time limit ends the recording);
- BROKEN: answers 500 while ``Sites.broken`` is true, the clean page after.

``shop-N.example.kr`` (any N) is a copy of the clean site with a search box
and a product page: the bench's many sites.
"""

# ruff: noqa
from __future__ import annotations

import http.server
import threading

from tests import record_shop

SHOP = "haneul-shop.kr"
CLEAN = "malgeun.example.kr"
STUCK = "stuck.example.kr"
BROKEN = "broken.example.kr"
TRACKER = "www.google-analytics.com"

STUCK_PAGE = """<!doctype html><html lang="ko"><head><meta charset="utf-8"><title>멈춘 가게</title></head>
<body><h1>멈춘 가게</h1><input name="q" type="search">
<script>addEventListener('load', () => setTimeout(() => { for (;;) {} }, 50));</script></body></html>"""

MANY = """<!doctype html><html lang="ko"><head><meta charset="utf-8"><title>가게 {n}</title></head>
<body><h1>가게 {n}</h1><form action="/search"><input type="search" name="q" placeholder="상품 검색"></form>
<a href="/goods/{n}">상품 보기: 양말 {n}</a> <a href="/join">회원가입</a></body></html>"""
MANY_GOODS = """<!doctype html><html lang="ko"><head><meta charset="utf-8"><title>양말</title></head>
<body><h1>양말</h1><p>3,900원</p></body></html>"""
MANY_JOIN = """<!doctype html><html lang="ko"><head><meta charset="utf-8"><title>가입</title></head>
<body><form action="/join_ok" method="post"><label>이름 <input name="name"></label>
<label>이메일 <input name="email" type="email"></label></form></body></html>"""


class Sites(record_shop.Handler):
    broken = True

    def do_GET(self):
        host = (self.headers.get("Host") or "").split(":")[0].lower()
        path = self.path.split("?")[0]
        if host == STUCK:
            return self._send(STUCK_PAGE, "text/html; charset=utf-8")
        if host == BROKEN:
            if Sites.broken:
                return self._send("broken", "text/plain", status=500)
            return self._send(record_shop.CLEAN, "text/html; charset=utf-8")
        if host == CLEAN and path == "/":
            return self._send(record_shop.CLEAN, "text/html; charset=utf-8")
        if host.startswith("shop-") and host.endswith(".example.kr"):
            n = host[len("shop-") : -len(".example.kr")]
            pages = {"/": MANY.format(n=n), "/join": MANY_JOIN}
            if path in pages:
                return self._send(pages[path], "text/html; charset=utf-8")
            if path.startswith("/goods/"):
                return self._send(MANY_GOODS, "text/html; charset=utf-8")
            return self.send_error(404)
        return super().do_GET()

    def _send(self, body, ctype, extra=(), status=200):
        if status == 200:
            return super()._send(body, ctype, extra)
        data = body.encode()
        self.send_response(status)
        self.send_header("Content-Type", ctype)
        self.send_header("Content-Length", str(len(data)))
        self.end_headers()
        self.wfile.write(data)


def start():
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Sites)
    server.daemon_threads = True
    threading.Thread(target=server.serve_forever, daemon=True).start()
    return server


def host_rules(port: int, hosts: list[str]) -> str:
    """PRIVWATCH_HOST_RULES mapping ``hosts`` (and the tracker) to the server."""
    return ", ".join(f"MAP {h} 127.0.0.1:{port}" for h in [*hosts, TRACKER])
