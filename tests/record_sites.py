"""Loopback sites that imitate real ones, for the end-to-end tests of
``privwatch record`` with the behaviour checks (our own pages and scripts).

One server answers for every host by its Host header; the hosts are real
names mapped to 127.0.0.1 with PRIVWATCH_HOST_RULES (``host_rules``):

- ``www.haneulmall.co.kr``, a Korean shop, plants every behaviour:
  a consent banner (모두 거부 / 모두 동의) whose "reject" is ignored (the ad
  tag fires on either button: ``ad.doubleclick.net``); a Meta pixel PageView
  on load (before any consent); Google Analytics setting ``_ga`` (a
  third-party cookie); a session recorder of our own, rrweb-like (a full
  snapshot of the DOM, then its mutations), served by ``static.hotjar.com``
  and uploading to ``in.hotjar.com``, and the same recorder served by the shop
  uploading to ``rec.pagelens-cdn.net``, a host nobody lists (judged by the
  upload's structure); a form script on the sign-up page sending each field's
  value as it is typed (``cdn.formtrack.net``), before any submit; a
  fingerprinting script (``fpnpmcdn.net``): text drawn on a canvas and read
  back, WebGL's UNMASKED vendor and renderer, an OfflineAudioContext with an
  oscillator.
- ``www.malgeun.co.kr``, the control: the same pages' shape (a banner whose
  reject is honoured, a search box, a product, a sign-up form, a first-party
  cookie and a first-party image), nothing else.
"""

# ruff: noqa
import http.server, threading

SHOP_HOST = "www.haneulmall.co.kr"
CLEAN_HOST = "www.malgeun.co.kr"
THIRD = [
    "www.google-analytics.com",
    "static.hotjar.com",
    "in.hotjar.com",
    "rec.pagelens-cdn.net",
    "cdn.formtrack.net",
    "fpnpmcdn.net",
    "ad.doubleclick.net",
    "www.facebook.com",
]
HOSTS = [SHOP_HOST, CLEAN_HOST, *THIRD]

PAGE = """<!doctype html><html lang="ko"><head><meta charset="utf-8"><title>{title}</title>
<style>body{{font-family:sans-serif;margin:0}} header{{background:#0a4;color:#fff;padding:12px 20px}}
main{{padding:20px}} #cookie-banner{{position:fixed;bottom:0;left:0;right:0;background:#f4f4f4;
border-top:1px solid #ccc;padding:12px 20px}} .goods{{display:inline-block;border:1px solid #ddd;padding:10px;margin:6px}}</style>
{head}</head><body><header><b>{title}</b></header><main>{body}</main>{tail}</body></html>"""

BANNER = """<div id="cookie-banner">이 사이트는 서비스 개선과 맞춤형 광고를 위해 쿠키를 사용합니다.
<button id="reject">모두 거부</button> <button id="accept">모두 동의</button></div>"""

SHOP_HEAD = """<script>window.__pl={site:'hm',endpoint:'http://rec.pagelens-cdn.net/v1/upload'};</script>
<script src="http://www.google-analytics.com/analytics.js"></script>
<script src="http://static.hotjar.com/c/hotjar-3801.js?sv=7"></script>
<script src="/js/pagelens.js"></script>
<script src="http://fpnpmcdn.net/v3/agent.js"></script>"""

SHOP_BODY = """<form action="/search"><input type="search" name="keyword" placeholder="상품 검색"></form>
<h2>오늘의 추천</h2>
<div class="goods"><a href="/goods/1001">면 티셔츠</a><br>19,900원</div>
<div class="goods"><a href="/goods/1002">린넨 셔츠</a><br>39,000원</div>
<p><a href="/member/join">회원가입</a></p><div id="recent"></div>
<div style="height:1200px"></div>"""

# the tag manager: a Meta pixel PageView at once, the ad tag on EITHER button
SHOP_TAIL = (
    BANNER
    + """<script>
new Image().src='http://www.facebook.com/tr/?id=880011&ev=PageView&dl='+encodeURIComponent(location.href);
function tags(){new Image().src='http://ad.doubleclick.net/ddm/activity/src=4711;type=visit;cat=home;ord='+Date.now()+'?uid=hm-'+Math.floor(Math.random()*1e6);}
document.getElementById('reject').onclick=()=>{document.cookie='consent=rejected; path=/'; document.getElementById('cookie-banner').remove(); tags();};
document.getElementById('accept').onclick=()=>{document.cookie='consent=accepted; path=/'; document.getElementById('cookie-banner').remove(); tags();};
setTimeout(()=>{document.getElementById('recent').innerHTML='<h3>최근 본 상품</h3><ul><li>면 티셔츠</li><li>린넨 셔츠</li></ul>';},400);
</script>"""
)

JOIN_BODY = """<h2>회원가입</h2><form id="join" action="/member/join_ok" method="post">
<p><label>이름 <input name="user_name"></label></p>
<p><label>이메일 <input name="user_email" type="email"></label></p>
<p><label>휴대폰 <input name="mobile" type="tel"></label></p>
<p><label>비밀번호 <input name="passwd" type="password"></label></p>
<button type="submit">가입하기</button></form>"""

GOODS_BODY = """<h2>{name}</h2><p>19,900원</p><button>장바구니</button>"""

# the form script: each field's value, as it is typed, before any submit
FORMTRACK = """(function(){var timers={};
document.addEventListener('input',function(e){var f=e.target;if(!f||!f.name||f.type==='password')return;
clearTimeout(timers[f.name]);timers[f.name]=setTimeout(function(){
fetch('http://cdn.formtrack.net/v2/fields',{method:'POST',headers:{'Content-Type':'application/json'},
body:JSON.stringify({site:location.host,form:(f.form&&f.form.id)||'',field:f.name,value:f.value})});},300);},true);})();"""

# an rrweb-like recorder: Meta (4), FullSnapshot (2) with the node tree, then
# IncrementalSnapshot (3) mutations and scrolls; inputs masked
RECORDER = """(function(){var cfg=window.__CFG__;if(!cfg)return;var id=1,map=new WeakMap(),queue=[];
function nid(n){if(!map.has(n))map.set(n,id++);return map.get(n);}
function ser(n){if(n.nodeType===3)return{type:3,id:nid(n),textContent:n.textContent.slice(0,200)};
if(n.nodeType!==1)return null;var a={};for(var i=0;i<n.attributes.length;i++){var at=n.attributes[i];a[at.name]=at.value;}
if(n.tagName==='INPUT')a.value='*'.repeat((n.value||'').length);
var c=[];for(var k=n.firstChild;k;k=k.nextSibling){var s=ser(k);if(s)c.push(s);}
return{type:2,id:nid(n),tagName:n.tagName.toLowerCase(),attributes:a,childNodes:c};}
function push(type,data){queue.push({type:type,data:data,timestamp:Date.now()});}
function send(beacon){if(!queue.length)return;var body=JSON.stringify({sid:'s'+cfg.site,events:queue});queue=[];
if(beacon&&navigator.sendBeacon){navigator.sendBeacon(cfg.endpoint,body);return;}
fetch(cfg.endpoint,{method:'POST',headers:{'Content-Type':'application/json'},body:body,keepalive:true});}
function start(){push(4,{href:location.href,width:innerWidth,height:innerHeight});
push(2,{node:{type:0,id:nid(document),childNodes:[ser(document.documentElement)]},initialOffset:{top:0,left:0}});
new MutationObserver(function(ms){var adds=[],removes=[],texts=[],attrs=[];ms.forEach(function(m){
m.addedNodes.forEach(function(n){var s=ser(n);if(s)adds.push({parentId:nid(m.target),node:s});});
m.removedNodes.forEach(function(n){removes.push({parentId:nid(m.target),id:nid(n)});});
if(m.type==='characterData')texts.push({id:nid(m.target),value:m.target.textContent});
if(m.type==='attributes')attrs.push({id:nid(m.target),attributes:{}});});
push(3,{source:0,adds:adds,removes:removes,texts:texts,attributes:attrs});}).observe(document,{childList:true,subtree:true,characterData:true,attributes:true});
addEventListener('scroll',function(){push(3,{source:3,id:1,x:scrollX,y:scrollY});},{passive:true});
setInterval(function(){send(false);},1000);addEventListener('pagehide',function(){send(true);});}
if(document.readyState==='loading')document.addEventListener('DOMContentLoaded',start);else start();})();"""

HOTJAR = (
    "window.__hjcfg={site:3801,endpoint:'http://in.hotjar.com/api/v2/client/sites/3801/recordings/content'};\n"
    + RECORDER.replace("__CFG__", "__hjcfg")
)
PAGELENS = RECORDER.replace("__CFG__", "__pl")

# canvas text drawn then read back; WebGL's unmasked vendor/renderer; audio
FINGERPRINT = """(function(){var out={};
try{var c=document.createElement('canvas');c.width=240;c.height=60;var x=c.getContext('2d');
x.textBaseline='top';x.font='14px Arial';x.fillStyle='#f60';x.fillRect(100,1,62,20);x.fillStyle='#069';
x.fillText('하늘몰 Cwm fjordbank glyphs vext quiz 😃',2,15);out.canvas=c.toDataURL().length;}catch(e){}
try{var g=document.createElement('canvas').getContext('webgl');if(g){var d=g.getExtension('WEBGL_debug_renderer_info');
if(d){out.v=g.getParameter(d.UNMASKED_VENDOR_WEBGL);out.r=g.getParameter(d.UNMASKED_RENDERER_WEBGL);}
else{out.v=g.getParameter(0x9245);out.r=g.getParameter(0x9246);}}}catch(e){}
try{var a=new OfflineAudioContext(1,5000,44100);var o=a.createOscillator();o.type='triangle';o.frequency.value=10000;
var k=a.createDynamicsCompressor();o.connect(k);k.connect(a.destination);o.start(0);a.startRendering();}catch(e){}
window.__fp=out;})();"""

GA = "window.ga=window.ga||function(){};"

CLEAN_BANNER = """<div id="cookie-banner">필수 쿠키만 사용합니다. 선택 쿠키에 동의하시겠습니까?
<button id="reject">모두 거부</button> <button id="accept">모두 동의</button></div>"""
CLEAN_BODY = """<form action="/search"><input type="search" name="q" placeholder="검색"></form>
<h2>맑은 상품</h2><div class="goods"><a href="/goods/7">유기농 수건</a><br>9,900원<br><img src="/img/towel.svg" width="40" height="40" alt=""></div>
<p><a href="/member/join">회원가입</a></p><div style="height:1200px"></div>"""
CLEAN_TAIL = (
    CLEAN_BANNER
    + """<script>
document.cookie='cart=empty; path=/';
document.getElementById('reject').onclick=()=>{document.cookie='consent=rejected; path=/'; document.getElementById('cookie-banner').remove();};
document.getElementById('accept').onclick=()=>{document.cookie='consent=accepted; path=/'; document.getElementById('cookie-banner').remove();};
</script>"""
)
SVG = """<svg xmlns="http://www.w3.org/2000/svg" width="40" height="40"><rect width="40" height="40" fill="#8cf"/></svg>"""


def page(title, body, head="", tail=""):
    return PAGE.format(title=title, head=head, body=body, tail=tail)


class Handler(http.server.BaseHTTPRequestHandler):
    log = []

    def _send(self, body, ctype="text/html; charset=utf-8", extra=()):
        data = body.encode() if isinstance(body, str) else body
        self.send_response(200)
        self.send_header("Content-Type", ctype)
        for k, v in extra:
            self.send_header(k, v)
        self.send_header("Content-Length", str(len(data)))
        self.end_headers()
        self.wfile.write(data)

    def _host(self):
        return (self.headers.get("Host") or "").split(":")[0].lower()

    def do_GET(self):
        host, path = self._host(), self.path.split("?")[0]
        Handler.log.append(("GET", host, self.path))
        js = "application/javascript"
        if host == SHOP_HOST:
            if path == "/":
                return self._send(page("하늘몰", SHOP_BODY, SHOP_HEAD, SHOP_TAIL))
            if path == "/member/join":
                head = (
                    SHOP_HEAD + '<script src="http://cdn.formtrack.net/ft.js"></script>'
                )
                return self._send(page("하늘몰 회원가입", JOIN_BODY, head))
            if path.startswith("/goods/"):
                return self._send(
                    page("하늘몰", GOODS_BODY.format(name="면 티셔츠"), SHOP_HEAD)
                )
            if path == "/js/pagelens.js":
                return self._send(PAGELENS, js)
        elif host == CLEAN_HOST:
            if path == "/":
                return self._send(page("맑은상점", CLEAN_BODY, tail=CLEAN_TAIL))
            if path == "/member/join":
                return self._send(
                    page("맑은상점 가입", JOIN_BODY.replace("회원가입", "가입"))
                )
            if path.startswith("/goods/"):
                return self._send(
                    page("맑은상점", GOODS_BODY.format(name="유기농 수건"))
                )
            if path == "/img/towel.svg":
                return self._send(SVG, "image/svg+xml")
        elif host == "www.google-analytics.com" and path == "/analytics.js":
            return self._send(
                GA,
                js,
                [
                    (
                        "Set-Cookie",
                        "_ga=GA1.1.55501.1765000000; Path=/; Max-Age=63072000",
                    )
                ],
            )
        elif host == "static.hotjar.com" and path.startswith("/c/hotjar-"):
            return self._send(HOTJAR, js)
        elif host == "cdn.formtrack.net" and path == "/ft.js":
            return self._send(FORMTRACK, js)
        elif host == "fpnpmcdn.net" and path == "/v3/agent.js":
            return self._send(FINGERPRINT, js)
        elif host in ("ad.doubleclick.net", "www.facebook.com"):
            extra = (
                [("Set-Cookie", "IDE=AHWqTUk; Path=/; Max-Age=33696000")]
                if host == "ad.doubleclick.net"
                else []
            )
            return self._send(
                b"GIF89a\x01\x00\x01\x00\x00\x00\x00;", "image/gif", extra
            )
        self.send_error(404)

    def do_POST(self):
        n = int(self.headers.get("Content-Length", 0))
        body = self.rfile.read(n)
        Handler.log.append(("POST", self._host(), self.path, body))
        self._send("", "text/plain")

    def log_message(self, *a):
        pass


def host_rules(port):
    """PRIVWATCH_HOST_RULES for every host of these sites."""
    return ", ".join(f"MAP {h} 127.0.0.1:{port}" for h in HOSTS)


def start():
    s = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    s.daemon_threads = True
    threading.Thread(target=s.serve_forever, daemon=True).start()
    return s
