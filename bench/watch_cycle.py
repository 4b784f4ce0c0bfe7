"""One watch cycle over N targets on a loopback server: first fetch, unchanged, changed.

    python bench/watch_cycle.py [--targets 1000] [--postgres URL]

Serves N generated privacy policies (Korean, every tenth in English; 1.3-6 KB of
HTML each, with an ETag and a Last-Modified that answer conditional requests
with 304) from a thread of this process, and watches them with ``run_once``:
cycle 1 fetches, audits (kr-pipa) and stores every document; cycle 2 finds them
all unchanged by conditional GET; then every document changes a little (a
retention period and one added sentence) and cycle 3 stores N new versions.
Each cycle is timed, its outcomes counted and checked, and the database size
read after it, on SQLite (a file in a temp dir, with its -wal) and, given
``--postgres`` or PRIVWATCH_TEST_POSTGRES, on PostgreSQL (a fresh database made
for the run through that server and dropped after it). The politeness delay is
0: every target is on one host, which would otherwise cost N seconds a cycle.
"""

from __future__ import annotations

import argparse
import hashlib
import os
import random
import sys
import tempfile
import threading
import time
from collections import Counter
from collections.abc import Callable
from email.utils import formatdate, parsedate_to_datetime
from html import escape
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any

from machine import describe
from privwatch.ingest.source import fetch_url
from privwatch.models import Document
from privwatch.pipeline import audit_document, document_from_raw
from privwatch.rules import load_pack
from privwatch.store import Store
from privwatch.watch import Politeness, run_once

os.environ.setdefault("PRIVWATCH_ALLOW_NETWORKS", "loopback")  # servers on 127.0.0.1

# -- the documents ----------------------------------------------------------

NAME_HEADS = [
    "한빛",
    "푸른",
    "새솔",
    "다온",
    "미리내",
    "가람",
    "누리",
    "별빛",
    "하늘",
    "온새",
    "바름",
    "도담",
    "솔잎",
    "여울",
]
NAME_TAILS = [
    "마켓",
    "페이",
    "톡",
    "북스",
    "헬스",
    "여행",
    "배달",
    "뱅크",
    "클라우드",
    "게임즈",
    "러닝",
    "모빌리티",
]
EN_HEADS = [
    "Bluebird",
    "Harbor",
    "Maple",
    "Orbit",
    "Pebble",
    "Lantern",
    "Cedar",
    "Nimbus",
]
EN_TAILS = ["Shop", "Pay", "Chat", "Books", "Travel", "Games", "Cloud", "Fitness"]

ITEMS_KO = [
    "이름",
    "휴대전화번호",
    "이메일 주소",
    "생년월일",
    "성별",
    "배송지 주소",
    "결제 카드의 앞 여섯 자리와 유효기간",
    "환불 계좌번호",
    "접속 IP 주소",
    "쿠키",
    "광고 식별자(ADID, IDFA)",
    "서비스 이용 기록",
    "단말기 모델명과 운영체제 버전",
    "대략적인 위치 정보",
    "프로필 사진",
    "닉네임",
]
PURPOSES_KO = [
    "회원으로 가입하려는 의사를 확인하고 본인을 식별하기 위하여",
    "주문한 상품을 배송하고 대금을 정산하기 위하여",
    "부정하게 이용하는 계정을 찾아 이용을 제한하기 위하여",
    "문의와 불만에 답하고 처리 결과를 알려 드리기 위하여",
    "동의하신 분께 새 서비스와 할인 행사를 안내하기 위하여",
    "서비스가 어떻게 쓰이는지 통계로 분석하여 품질을 높이기 위하여",
    "법령에서 정한 의무를 지키기 위하여",
]
LAW_RETENTION_KO = [
    (
        "계약 또는 청약철회에 관한 기록",
        "5년",
        "전자상거래 등에서의 소비자보호에 관한 법률",
    ),
    (
        "대금 결제와 재화 공급에 관한 기록",
        "5년",
        "전자상거래 등에서의 소비자보호에 관한 법률",
    ),
    (
        "소비자의 불만 또는 분쟁 처리에 관한 기록",
        "3년",
        "전자상거래 등에서의 소비자보호에 관한 법률",
    ),
    ("웹사이트 방문에 관한 접속 기록", "3개월", "통신비밀보호법"),
    ("표시·광고에 관한 기록", "6개월", "전자상거래 등에서의 소비자보호에 관한 법률"),
]
PROCESSORS_KO = [
    ("한결물류 주식회사", "상품 배송"),
    ("이음결제 주식회사", "결제 처리와 본인 확인"),
    ("소리알림 주식회사", "문자 메시지와 알림 발송"),
    ("맑은상담 주식회사", "고객 상담 센터 운영"),
    ("구름데이터 주식회사", "서버 운영과 데이터 보관"),
]
TRANSFERS = [
    ("Amazon Web Services, Inc.", "미국", "United States"),
    ("Google LLC", "미국", "United States"),
    ("Microsoft Ireland Operations Ltd.", "아일랜드", "Ireland"),
    ("Salesforce Japan Co., Ltd.", "일본", "Japan"),
    ("Alibaba Cloud (Singapore) Pte. Ltd.", "싱가포르", "Singapore"),
]
ITEMS_EN = [
    "your name",
    "email address",
    "mobile phone number",
    "date of birth",
    "shipping address",
    "payment card details",
    "IP address",
    "cookies and similar identifiers",
    "advertising ID",
    "device model and operating system",
    "approximate location",
    "records of how you use the service",
]
PURPOSES_EN = [
    "to create and manage your account",
    "to deliver what you order and take payment",
    "to detect fraud and keep the service secure",
    "to answer your questions and complaints",
    "to send you offers, where you agreed to receive them",
    "to measure and improve the service",
]

BASE_TIME = 1_700_000_000  # Last-Modified of generation 0 (Nov 2023)


def platform_name(i: int) -> str:
    if english(i):
        return f"{EN_HEADS[i % len(EN_HEADS)]} {EN_TAILS[i // 8 % len(EN_TAILS)]} {i}"
    heads, tails = NAME_HEADS, NAME_TAILS
    return f"{heads[i % len(heads)]}{tails[i // len(heads) % len(tails)]} {i}"


def english(i: int) -> bool:
    return i % 10 == 7


def foreign_transfer(i: int) -> bool:
    return i % 3 == 0


def _ul(items: list[str]) -> str:
    return "<ul>" + "".join(f"<li>{escape(item)}</li>" for item in items) + "</ul>"


def page_ko(i: int, generation: int) -> str:
    rng = random.Random(i)
    name = platform_name(i)
    company = f"주식회사 {name.split()[0]}"
    required = rng.sample(ITEMS_KO[:8], rng.randint(3, 6))
    automatic = rng.sample(ITEMS_KO[8:], rng.randint(2, 5))
    purposes = rng.sample(PURPOSES_KO, rng.randint(3, len(PURPOSES_KO)))
    laws = rng.sample(LAW_RETENTION_KO, rng.randint(2, len(LAW_RETENTION_KO)))
    processors = rng.sample(PROCESSORS_KO, rng.randint(1, len(PROCESSORS_KO)))
    days = 30 + 30 * ((i + generation) % 12)  # what changes between generations
    article = iter(range(1, 100))
    parts = [
        f"<h1>{escape(name)} 개인정보 처리방침</h1>",
        f"<p>{escape(company)}(이하 '회사')는 「개인정보 보호법」 제30조에 따라 "
        f"{escape(name)} 서비스를 이용하는 분의 개인정보를 어떻게 처리하는지 알려 드리고, "
        "이에 관한 고충을 빠르게 처리할 수 있도록 이 처리방침을 정하여 공개합니다.</p>",
        f"<h2>제{next(article)}조(처리하는 개인정보의 항목)</h2>",
        "<p>① 회사는 회원 가입과 서비스 제공을 위하여 다음 개인정보를 필수로 수집합니다.</p>",
        _ul(required),
        "<p>② 서비스를 이용하는 과정에서 다음 정보가 자동으로 생성되어 수집될 수 있습니다.</p>",
        _ul(automatic),
    ]
    if rng.random() < 0.5:
        parts.append(
            "<p>③ 만 14세 미만 아동의 개인정보를 처리하려면 법정대리인의 동의를 받으며, "
            "동의를 확인하는 데 필요한 최소한의 정보만 법정대리인에게 받습니다.</p>"
        )
    parts += [
        f"<h2>제{next(article)}조(개인정보의 처리 목적)</h2>",
        "<p>회사는 다음 목적에 필요한 범위에서만 개인정보를 처리하며, "
        "목적이 바뀌면 미리 알리고 다시 동의를 받습니다.</p>",
        _ul([f"{p} 처리합니다." for p in purposes]),
        f"<h2>제{next(article)}조(개인정보의 처리 및 보유 기간)</h2>",
        f"<p>① 회원 정보는 회원 탈퇴를 신청한 날부터 {days}일 동안 보관한 뒤 지체 없이 파기합니다. "
        "부정 이용을 조사하는 중이면 조사가 끝날 때까지 보관합니다.</p>",
        "<p>② 관계 법령에 따라 보존해야 하는 정보는 다음 기간 동안 보관합니다.</p>",
        _ul([f"{what}: {period} ({law})" for what, period, law in laws]),
        f"<h2>제{next(article)}조(개인정보 처리의 위탁)</h2>",
        "<p>회사는 원활한 서비스 제공을 위하여 다음과 같이 개인정보 처리 업무를 위탁하고, "
        "수탁자가 개인정보를 안전하게 처리하는지 감독합니다.</p>",
        _ul([f"{who}: {task}" for who, task in processors]),
    ]
    if foreign_transfer(i):
        who, country, _ = TRANSFERS[i % len(TRANSFERS)]
        parts += [
            f"<h2>제{next(article)}조(개인정보의 국외 이전)</h2>",
            "<p>회사는 서비스 제공에 필요한 데이터 보관을 위하여 다음과 같이 개인정보를 "
            "국외로 이전합니다. 이전을 원하지 않으시면 고객센터로 거부 의사를 밝히실 수 있으나, "
            "이 경우 서비스 이용이 제한될 수 있습니다.</p>",
            _ul(
                [
                    f"이전받는 자: {who}",
                    f"이전되는 국가: {country}",
                    "이전 일시와 방법: 서비스를 이용할 때마다 암호화된 네트워크로 전송",
                    "이전 항목: " + ", ".join(required[:3]),
                    "보유 및 이용 기간: 회원 탈퇴 시 또는 위탁 계약 종료 시까지",
                ]
            ),
        ]
    parts += [
        f"<h2>제{next(article)}조(정보주체의 권리와 행사 방법)</h2>",
        "<p>정보주체는 언제든지 자신의 개인정보를 열람하거나 정정·삭제를 요구할 수 있고, "
        "처리 정지를 요구하거나 동의를 철회할 수 있습니다. 요구는 서면, 전자우편 또는 "
        "앱의 설정 화면으로 하실 수 있으며 회사는 10일 안에 조치합니다.</p>",
        f"<h2>제{next(article)}조(개인정보의 파기)</h2>",
        "<p>보유 기간이 지나거나 처리 목적을 이룬 개인정보는 지체 없이 파기합니다. "
        "전자 파일은 다시 살릴 수 없는 방법으로 지우고, 종이 문서는 분쇄하거나 소각합니다.</p>",
        f"<h2>제{next(article)}조(안전성 확보 조치)</h2>",
        "<p>회사는 개인정보에 접근할 수 있는 직원을 최소한으로 정하고, 중요한 정보는 "
        "암호화하여 저장하며, 접속 기록을 1년 이상 보관하고 정기적으로 점검합니다.</p>",
    ]
    if rng.random() < 0.6:
        parts += [
            f"<h2>제{next(article)}조(쿠키의 설치·운영 및 거부)</h2>",
            "<p>회사는 이용자에게 맞춘 화면을 보여 드리기 위하여 쿠키를 사용합니다. "
            "브라우저의 설정에서 쿠키 저장을 거부할 수 있으나, 그러면 로그인이 필요한 "
            "일부 서비스를 이용하기 어려울 수 있습니다.</p>",
        ]
    parts += [
        f"<h2>제{next(article)}조(개인정보 보호책임자)</h2>",
        f"<p>개인정보 보호책임자: 정보보호실장, 전화 02-{1000 + i % 9000}-{2000 + i % 7000}, "
        f"전자우편 privacy{i}@example.kr</p>",
        f"<h2>제{next(article)}조(처리방침의 변경)</h2>",
        "<p>이 처리방침은 2024년 1월 1일부터 적용됩니다.</p>",
    ]
    for g in range(1, generation + 1):
        parts.append(
            f"<p>{g}차 개정: 회원 정보의 보관 기간을 {days}일로 조정하였으며, "
            "바뀐 내용은 시행 7일 전부터 공지사항으로 알려 드렸습니다.</p>"
        )
    return _html("ko", f"{name} 개인정보 처리방침", parts)


def page_en(i: int, generation: int) -> str:
    rng = random.Random(i)
    name = platform_name(i)
    items = rng.sample(ITEMS_EN, rng.randint(4, 9))
    purposes = rng.sample(PURPOSES_EN, rng.randint(3, len(PURPOSES_EN)))
    days = 30 + 30 * ((i + generation) % 12)
    parts = [
        f"<h1>{escape(name)} Privacy Policy</h1>",
        f'<p>This policy explains how {escape(name)} Ltd. ("we") handles personal '
        "information of people in Korea who use our service, as the Personal "
        "Information Protection Act requires.</p>",
        "<h2>1. Information we collect</h2>",
        "<p>When you sign up and use the service we collect:</p>",
        _ul(items),
        "<h2>2. Why we use it</h2>",
        _ul(purposes),
        "<h2>3. How long we keep it</h2>",
        f"<p>We keep your account information for {days} days after you close your "
        "account, then delete it. Records that the law requires us to keep, such as "
        "payment records (5 years) and access logs (3 months), are kept for that period.</p>",
    ]
    if foreign_transfer(i):
        who, _, country = TRANSFERS[i % len(TRANSFERS)]
        parts += [
            "<h2>4. Transfers abroad</h2>",
            f"<p>Your information is stored by {escape(who)} in {country}. It is sent "
            "over an encrypted connection whenever you use the service and kept until "
            "you close your account. You may refuse the transfer by contacting us, but "
            "parts of the service may then be unavailable.</p>",
        ]
    parts += [
        "<h2>5. Your rights</h2>",
        "<p>You may ask to see, correct or delete your information, or to stop its "
        "processing, at any time by writing to us; we answer within 10 days.</p>",
        "<h2>6. Contact</h2>",
        f"<p>Privacy officer: privacy{i}@example.com</p>",
    ]
    for g in range(1, generation + 1):
        parts.append(
            f"<p>Revision {g}: the retention period of account information is now {days} days.</p>"
        )
    return _html("en", f"{name} Privacy Policy", parts)


def _html(lang: str, title: str, parts: list[str]) -> str:
    return (
        f'<!DOCTYPE html>\n<html lang="{lang}"><head><meta charset="utf-8">'
        f"<title>{escape(title)}</title></head><body>\n"
        '<header><nav><a href="/">Home</a> <a href="/help">Help</a></nav></header>\n<main>\n'
        + "\n".join(parts)
        + "\n</main>\n<footer>© example</footer>\n</body></html>\n"
    )


class Site:
    """Pages /p/0 .. /p/N-1 at the current generation, with their validators."""

    def __init__(self, count: int) -> None:
        self.count = count
        self.generation = 0
        self.pages: dict[int, tuple[bytes, str, str]] = {}
        self.requests: Counter[int] = Counter()
        self.lock = threading.Lock()
        self.bump(0)

    def bump(self, generation: int) -> None:
        pages = {}
        for i in range(self.count):
            html = page_en(i, generation) if english(i) else page_ko(i, generation)
            data = html.encode("utf-8")
            etag = '"' + hashlib.sha256(data).hexdigest()[:20] + '"'
            modified = formatdate(BASE_TIME + generation * 86400, usegmt=True)
            pages[i] = (data, etag, modified)
        self.pages, self.generation = pages, generation


class Handler(BaseHTTPRequestHandler):
    site: Site

    def do_GET(self) -> None:  # noqa: N802 (http.server's name)
        head, _, number = self.path.partition("/p/")
        page = self.site.pages.get(int(number)) if number.isdigit() else None
        if head or page is None:
            self.send_error(404)
            return
        data, etag, modified = page
        status = 200
        if "If-None-Match" in self.headers:
            if self.headers["If-None-Match"] == etag:
                status = 304
        elif "If-Modified-Since" in self.headers:
            try:
                since = parsedate_to_datetime(self.headers["If-Modified-Since"])
                if parsedate_to_datetime(modified) <= since:
                    status = 304
            except (TypeError, ValueError):
                pass
        with self.site.lock:
            self.site.requests[status] += 1
        self.send_response(status)
        self.send_header("ETag", etag)
        self.send_header("Last-Modified", modified)
        if status == 304:
            self.end_headers()
            return
        self.send_header("Content-Type", "text/html; charset=utf-8")
        self.send_header("Content-Length", str(len(data)))
        self.end_headers()
        self.wfile.write(data)

    def log_message(self, *_: Any) -> None:
        pass


# -- where the time goes ----------------------------------------------------


class Stopwatch:
    """Time spent in the library's steps, by wrapping the names that the module
    of ``run_once`` calls them by (a name it no longer has is left out)."""

    def __init__(self) -> None:
        cycle = sys.modules[run_once.__module__]
        steps = {
            "fetch": (cycle, "fetch_url"),
            "parse": (cycle, "document_from_raw"),
            "rule pack load": (cycle, "load_pack"),
            "audit": (cycle, "audit_document"),
            "audit record": (cycle.AuditRecord, "of"),
            "document json": (Document, "to_dict"),
            "store: latest": (Store, "latest"),
            "store: record": (Store, "record_version"),
            "store: update": (Store, "update_document"),
            "store: list": (Store, "documents"),
        }
        self.seconds: Counter[str] = Counter()
        for step, (owner, name) in steps.items():
            if hasattr(owner, name):
                setattr(owner, name, self._timed(step, getattr(owner, name)))

    def _timed(self, step: str, function: Callable[..., Any]) -> Callable[..., Any]:
        def timed(*args: Any, **kwargs: Any) -> Any:
            start = time.perf_counter()
            try:
                return function(*args, **kwargs)
            finally:
                self.seconds[step] += time.perf_counter() - start

        return timed

    def take(self) -> Counter[str]:
        taken, self.seconds = self.seconds, Counter()
        return taken


# -- the databases ----------------------------------------------------------


class Sqlite:
    name = "SQLite"

    def __init__(self, folder: Path) -> None:
        self.path = folder / "watch.db"
        self.url = f"sqlite:///{self.path}"

    def size(self, store: Store) -> int:
        files = [self.path, self.path.with_name(self.path.name + "-wal")]
        return sum(f.stat().st_size for f in files if f.exists())

    def drop(self) -> None:
        pass


class Postgres:
    name = "PostgreSQL"

    def __init__(self, server: str) -> None:
        from sqlalchemy import create_engine, text
        from sqlalchemy.pool import NullPool

        server = server.replace("postgresql://", "postgresql+psycopg://", 1)
        self.database = f"privwatch_bench_{os.getpid()}"
        self.admin = create_engine(
            server, poolclass=NullPool, isolation_level="AUTOCOMMIT"
        )
        with self.admin.connect() as connection:
            connection.execute(text(f"DROP DATABASE IF EXISTS {self.database}"))
            connection.execute(text(f"CREATE DATABASE {self.database}"))
        self.url = server.rpartition("/")[0] + "/" + self.database

    def size(self, store: Store) -> int:
        from sqlalchemy import text

        with store.engine.connect() as connection:
            return int(
                connection.scalar(text("SELECT pg_database_size(current_database())"))
            )

    def drop(self) -> None:
        from sqlalchemy import text

        with self.admin.connect() as connection:
            connection.execute(text(f"DROP DATABASE IF EXISTS {self.database}"))
        self.admin.dispose()


# -- the bench --------------------------------------------------------------

CYCLES = [
    ("1 first fetch", "new"),
    ("2 unchanged", "unchanged"),
    ("3 changed", "new"),
]


def bench(
    backend: Sqlite | Postgres, site: Site, base: str, stopwatch: Stopwatch
) -> list[dict[str, Any]]:
    rows = []
    site.bump(0)
    start = time.perf_counter()
    store = Store(backend.url)
    try:
        for i in range(site.count):
            name = platform_name(i)
            store.add_platform(
                name,
                country="US" if foreign_transfer(i) else "KR",
                foreign=english(i),
                category="bench",
            )
            store.add_document(name, "privacy", f"{base}/p/{i}")
        seconds = time.perf_counter() - start
        stopwatch.take()
        rows.append(
            _row(backend, "0 add targets", site.count, Counter(), seconds, store)
        )
        for cycle, expected in CYCLES:
            if cycle.startswith("3"):
                site.bump(1)
            before = site.requests.copy()
            start = time.perf_counter()
            outcomes = run_once(store, politeness=Politeness(delay=0.0), retries=0)
            seconds = time.perf_counter() - start
            results = Counter(o.result for o in outcomes)
            row = _row(backend, cycle, len(outcomes), results, seconds, store)
            row["steps"] = stopwatch.take()
            row["http"] = site.requests - before
            rows.append(row)
            _print_row(row)
            if results[expected] != site.count or len(outcomes) != site.count:
                failed = [o for o in outcomes if o.result != expected][:3]
                raise SystemExit(
                    f"{backend.name} cycle {cycle}: expected {site.count} {expected}, "
                    f"got {dict(results)}; e.g. {failed}"
                )
        print("  " + _version_bytes(store), flush=True)
    finally:
        store.close()
    return rows


def _version_bytes(store: Store) -> str:
    """Mean bytes a stored version takes in each of its big columns."""
    from sqlalchemy import text

    columns = ["text", "document_json", "audit_json", "headers"]
    if store.engine.dialect.name == "sqlite":
        sizes = [f"avg(length(CAST({c} AS BLOB)))" for c in columns]
    else:
        sizes = [f"avg(octet_length({c}::text))" for c in columns]
    with store.engine.connect() as connection:
        count = connection.scalar(text("SELECT count(*) FROM versions"))
        means = connection.execute(
            text(f"SELECT {', '.join(sizes)} FROM versions")
        ).one()
    return f"{count} versions, mean bytes per version: " + ", ".join(
        f"{c} {float(m or 0) / 1024:.1f} KB"
        for c, m in zip(columns, means, strict=True)
    )


def _row(
    backend: Sqlite | Postgres,
    cycle: str,
    targets: int,
    results: Counter[str],
    seconds: float,
    store: Store,
) -> dict[str, Any]:
    return {
        "backend": backend.name,
        "cycle": cycle,
        "targets": targets,
        "new": results["new"],
        "unchanged": results["unchanged"],
        "failed": results["failed"],
        "seconds": seconds,
        "ms": seconds * 1000 / max(targets, 1),
        "mb": backend.size(store) / 1e6,
    }


HEAD = ["backend", "cycle", "targets", "new", "unchanged", "failed", "seconds"]
HEAD += ["ms per target", "DB size MB"]


def _cells(row: dict[str, Any]) -> list[str]:
    setup = row["cycle"].startswith("0")
    counts = (
        ["-"] * 3 if setup else [str(row[k]) for k in ("new", "unchanged", "failed")]
    )
    return [
        row["backend"],
        row["cycle"],
        str(row["targets"]),
        *counts,
        f"{row['seconds']:.1f}",
        f"{row['ms']:.1f}",
        f"{row['mb']:.1f}",
    ]


def _print_row(row: dict[str, Any]) -> None:
    steps = row["steps"]
    other = row["seconds"] - sum(steps.values())
    spent = ", ".join(
        f"{step} {seconds * 1000 / row['targets']:.1f}"
        for step, seconds in steps.most_common()
        if seconds >= 0.0005 * row["targets"]
    )
    http = ", ".join(
        f"{status}: {count}" for status, count in sorted(row["http"].items())
    )
    print(
        f"  {row['backend']} {row['cycle']}: {row['seconds']:.1f} s, HTTP {http}; "
        f"ms per target: {spent}, rest {other * 1000 / row['targets']:.1f}",
        flush=True,
    )


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--targets", type=int, default=1000)
    parser.add_argument(
        "--postgres",
        default=os.environ.get("PRIVWATCH_TEST_POSTGRES"),
        help="a PostgreSQL server URL (default: PRIVWATCH_TEST_POSTGRES); "
        "a database of the bench's own is made there and dropped",
    )
    args = parser.parse_args()
    site = Site(args.targets)
    sizes = [len(site.pages[i][0]) for i in range(args.targets)]
    Handler.site = site
    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    base = f"http://127.0.0.1:{server.server_address[1]}"

    print(f"machine: {describe()}")
    print(
        f"{args.targets} targets on {base} (one thread of this process): "
        f"{sum(not english(i) for i in range(args.targets))} Korean, "
        f"{sum(english(i) for i in range(args.targets))} English, "
        f"{sum(foreign_transfer(i) for i in range(args.targets))} with a cross-border transfer; "
        f"{min(sizes) / 1024:.1f}-{max(sizes) / 1024:.1f} KB, mean {sum(sizes) / len(sizes) / 1024:.1f} KB"
    )
    print(
        "politeness delay 0 (every target is on one host), retries 0; "
        "one document per platform, audited with kr-pipa when new"
    )
    start = time.perf_counter()
    audit_document(document_from_raw(fetch_url(f"{base}/p/0")), [load_pack("kr-pipa")])
    print(
        f"warm-up (Kiwi, lexicons, rule pack; outside the timings): {time.perf_counter() - start:.1f} s"
    )
    stopwatch = Stopwatch()
    rows: list[dict[str, Any]] = []
    total = time.perf_counter()
    with tempfile.TemporaryDirectory() as folder:
        backends: list[Sqlite | Postgres] = [Sqlite(Path(folder))]
        if args.postgres:
            backends.append(Postgres(args.postgres))
        else:
            print("PostgreSQL: not run (no --postgres and no PRIVWATCH_TEST_POSTGRES)")
        try:
            for backend in backends:
                print(f"{backend.name}:", flush=True)
                rows += bench(backend, site, base, stopwatch)
        finally:
            for backend in backends:
                backend.drop()
    server.shutdown()
    print(f"total {time.perf_counter() - total:.0f} s")
    print()
    cells = [HEAD] + [_cells(row) for row in rows]
    widths = [max(len(line[k]) for line in cells) for k in range(len(HEAD))]
    for line in cells:
        print(
            "  ".join(
                cell.ljust(width) if k < 2 else cell.rjust(width)
                for k, (cell, width) in enumerate(zip(line, widths, strict=True))
            )
        )
    print()
    print("| " + " | ".join(HEAD) + " |")
    print("|" + "|".join(["---"] * 2 + ["---:"] * (len(HEAD) - 2)) + "|")
    for line in cells[1:]:
        print("| " + " | ".join(line) + " |")
    return 0


if __name__ == "__main__":
    sys.exit(main())
