"""A loopback Korean shop for the recording tests (our own pages): a consent
banner with Korean reject/accept buttons, a search box, a product link, a
sign-up form whose e-mail field a script sends key by key to a tracker, a
canvas fingerprinting script, a WebSocket, and a tracker served under its real
host name (mapped to loopback by PRIVWATCH_HOST_RULES)."""

# ruff: noqa
import base64, hashlib, http.server, threading

SHOP = """<!doctype html><html lang="ko"><head><meta charset="utf-8"><title>하늘상점</title>
<script src="http://www.google-analytics.com/analytics.js"></script>
<script src="/fp.js"></script></head>
<body><div id="cookie-banner" style="position:fixed;bottom:0;left:0;right:0;background:#eee;padding:8px">
이 사이트는 쿠키를 사용합니다. <button id="no">모두 거부</button> <button id="yes">모두 동의</button></div>
<h1>하늘상점</h1><form action="/search"><input type="search" name="keyword" placeholder="상품 검색"></form>
<a href="/goods/1">상품 보기: 면 티셔츠</a> <a href="/member/join">회원가입</a>
<div style="height:1500px"></div>
<script>
document.getElementById('no').onclick=()=>{document.cookie='consent=no; path=/'; document.getElementById('cookie-banner').remove();};
document.getElementById('yes').onclick=()=>{document.cookie='consent=yes; path=/'; document.getElementById('cookie-banner').remove(); fetch('http://www.google-analytics.com/collect?ev=consent');};
try{const ws=new WebSocket('ws://'+location.host+'/ws'); ws.onopen=()=>ws.send('hello '+location.pathname);}catch(e){}
</script></body></html>"""
JOIN = """<!doctype html><html lang="ko"><head><meta charset="utf-8"><title>회원가입</title></head><body>
<form id="join" action="/member/join_ok" method="post">
<label>이름 <input name="user_name"></label>
<label>이메일 <input name="user_email" type="email"></label>
<label>휴대폰 <input name="mobile"></label>
<label>연락처 <select name="hp1"><option>010</option></select> - <input name="hp2" size="4"> - <input name="hp3" size="4"></label>
<label>비밀번호 <input name="pw" type="password"></label>
<button type="submit">가입하기</button></form>
<script>document.querySelector('input[name=user_email]').addEventListener('input', e =>
  navigator.sendBeacon('http://www.google-analytics.com/keys', e.target.value));</script>
</body></html>"""
GOODS = """<!doctype html><html lang="ko"><head><meta charset="utf-8"><title>면 티셔츠</title></head><body><h1>면 티셔츠</h1><p>19,900원</p></body></html>"""
FP = """(function(){var c=document.createElement('canvas');var x=c.getContext('2d');x.fillText('하늘 fingerprint',2,2);x.measureText('a');c.toDataURL();
var n=navigator.plugins.length;
var a=new OfflineAudioContext(1,44100,44100);a.createOscillator();
var g=document.createElement('canvas').getContext('webgl');if(g){g.getParameter(g.VERSION);g.getExtension('WEBGL_debug_renderer_info');}
window.__webgl=!!g;})();"""
GA = "window.ga=function(){};"


CLEAN = """<!doctype html><html lang="ko"><head><meta charset="utf-8"><title>맑은상점</title></head>
<body><h1>맑은상점</h1><p>쿠키도 추적도 없는 가게입니다.</p>
<form action="/search"><input type="search" name="q" placeholder="검색"></form>
<a href="/clean/join">회원가입</a></body></html>"""
CLEAN_JOIN = """<!doctype html><html lang="ko"><head><meta charset="utf-8"><title>가입</title></head>
<body><form action="/join_ok" method="post"><label>이름 <input name="name"></label>
<label>이메일 <input name="email" type="email"></label></form></body></html>"""

FRAMED = """<!doctype html><html lang="en"><head><meta charset="utf-8"><title>Framed</title></head>
<body><h1>A shop whose banner is a frame</h1><iframe src="/cmp" style="width:600px;height:120px"></iframe></body></html>"""
CMP = """<!doctype html><html lang="en"><body><p>We use cookies.</p>
<button onclick="document.cookie='cmp=rejected; path=/'">Reject All</button>
<button onclick="document.cookie='cmp=accepted; path=/'">Accept All Cookies</button></body></html>"""


class Handler(http.server.BaseHTTPRequestHandler):
    log = []

    def _send(self, body, ctype, extra=()):
        data = body.encode() if isinstance(body, str) else body
        self.send_response(200)
        self.send_header("Content-Type", ctype)
        for k, v in extra:
            self.send_header(k, v)
        self.send_header("Content-Length", str(len(data)))
        self.end_headers()
        self.wfile.write(data)

    def do_GET(self):
        Handler.log.append(("GET", self.headers.get("Host"), self.path))
        path = self.path.split("?")[0]
        if path == "/ws" and self.headers.get("Upgrade", "").lower() == "websocket":
            return self._ws()
        pages = {
            "/": (SHOP, "text/html; charset=utf-8"),
            "/member/join": (JOIN, "text/html; charset=utf-8"),
            "/goods/1": (GOODS, "text/html; charset=utf-8"),
            "/fp.js": (FP, "application/javascript"),
            "/analytics.js": (GA, "application/javascript"),
            "/clean": (CLEAN, "text/html; charset=utf-8"),
            "/framed": (FRAMED, "text/html; charset=utf-8"),
            "/cmp": (CMP, "text/html; charset=utf-8"),
            "/clean/join": (CLEAN_JOIN, "text/html; charset=utf-8"),
        }
        if path in pages:
            extra = (
                [("Set-Cookie", "_ga=GA1.1.123; Path=/; Max-Age=3600")]
                if path == "/analytics.js"
                else []
            )
            return self._send(*pages[path], extra)
        if path in ("/collect",):
            return self._send("", "text/plain")
        self.send_error(404)

    def do_POST(self):
        n = int(self.headers.get("Content-Length", 0))
        body = self.rfile.read(n)
        Handler.log.append(("POST", self.headers.get("Host"), self.path, body))
        self._send("ok", "text/plain")

    def _ws(self):
        key = self.headers["Sec-WebSocket-Key"]
        accept = base64.b64encode(
            hashlib.sha1(
                (key + "258EAFA5-E914-47DA-95CA-C5AB0DC85B11").encode()
            ).digest()
        ).decode()
        self.send_response(101)
        self.send_header("Upgrade", "websocket")
        self.send_header("Connection", "Upgrade")
        self.send_header("Sec-WebSocket-Accept", accept)
        self.end_headers()
        self.wfile.flush()
        try:
            head = self.rfile.read(2)
            length = head[1] & 0x7F
            if length == 126:
                length = int.from_bytes(self.rfile.read(2), "big")
            mask = self.rfile.read(4)
            data = bytes(b ^ mask[i % 4] for i, b in enumerate(self.rfile.read(length)))
            Handler.log.append(("WS", data))
            reply = b"welcome"
            self.wfile.write(bytes([0x81, len(reply)]) + reply)
            self.wfile.flush()
            self.rfile.read(2)
        except OSError:
            pass
        self.close_connection = True

    def log_message(self, *a):
        pass


def start():
    s = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    s.daemon_threads = True
    threading.Thread(target=s.serve_forever, daemon=True).start()
    return s
