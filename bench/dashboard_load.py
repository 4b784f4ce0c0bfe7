"""Load on the dashboard's findings page: 10,000 findings, 20 concurrent clients.

    python bench/dashboard_load.py [--findings 10000] [--requests 2000]
                                   [--concurrency 20] [--postgres URL]
                                   [--flood-clients 200] [--flood-seconds 30]
                                   [--flood-only]

Fills a fresh store (a SQLite file in a temp dir, or with ``--postgres`` a
database made for the run on that server and dropped after it) with generated
privacy policies: platforms, Korean and English, each with dated versions that
differ a little (periods, recipients, countries, clauses present or not), every
version ingested and audited for real with kr-pipa and stored with its audit,
so the findings table holds real findings, until there are ``--findings``.
Then starts ``privwatch serve`` as its own process, signs in as a viewer, and
has ``--concurrency`` clients (httpx, asyncio) load the findings page
``--requests`` times in two runs: the first page as it opens, and a mix of what
people do with it (later pages, filters by severity, rule and platform, latest
versions only; the htmx partial for half of them), after 300 requests from a
single client for the latency without queueing. Prints p50/p95/p99 latency,
requests/s, and the machine (with its load average: on a shared machine other
work skews the figures).

The login flood (before the page loads; ``--flood-only`` for it alone):
``--flood-clients`` (200) clients send wrong sign-ins for ``--flood-seconds``
(30), each with a new form token and a new address (claimed in
X-Forwarded-For: the server trusts 127.0.0.1 as a proxy, so this is a flood
from everywhere, which no per-address limit stops), half for the real account
and half for names that do not exist; meanwhile a signed-in client loads the
findings page one request after another. Prints the server process's RSS
before and at its peak (VmHWM), the page's p50/p95 before and during the
flood, and the statuses of the wrong sign-ins (401 checked, 503 refused as
every check was busy, 429 refused by a limit).
"""

from __future__ import annotations

import argparse
import asyncio
import multiprocessing
import os
import random
import re
import statistics
import subprocess
import sys
import tempfile
import threading
import time
import uuid
from collections.abc import Callable
from datetime import datetime, timedelta
from pathlib import Path
from typing import Any

import httpx
from sqlalchemy import create_engine, func, select, text

from machine import describe
from privwatch.accounts import add_user
from privwatch.pipeline import audit_document, document_from_bytes
from privwatch.rules import load_pack
from privwatch.store import NewVersion, Store
from privwatch.store.records import AuditRecord
from privwatch.store.schema import StoredFinding

os.environ.setdefault("PRIVWATCH_ALLOW_NETWORKS", "loopback")  # servers on 127.0.0.1

PASSWORD = "bench password 1234"
#: the login floods' lines for the README
FLOODS: list[str] = []

# -- generated policies --------------------------------------------------------

KO_NAMES = [
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
]
KO_TAILS = ["마켓", "쇼핑", "몰", "스토어", "장터"]
EN_NAMES = ["Global", "Orient", "Pacific", "Swift", "Blue", "Bright", "Nova"]
EN_TAILS = ["Bazaar", "Mart", "Shop", "Express", "Deals"]


def korean_policy(name: str, rng: random.Random) -> str:
    years = rng.choice([1, 3, 5])
    days = rng.choice([5, 10, 30])
    partners = rng.choice(
        ["판매자 및 제휴사", "광고 파트너", "주식회사 다온물류", "협력업체"]
    )
    country = rng.choice(
        ["전 세계의 협력업체", "미국의 Amazon Web Services, Inc.", "중국의 판매자"]
    )
    parts = [
        f"# {name} 개인정보 처리방침",
        f"{name} 주식회사(이하 '회사')는 「개인정보 보호법」 제30조에 따라 다음과 같이 개인정보 처리방침을 공개합니다.",
        "## 제1조(개인정보의 처리 목적)",
        "① 회사는 회원 가입 및 관리, 상품 배송, 대금 결제"
        + rng.choice([", 고객 상담 등을", ", 고객 상담을", "을"])
        + " 위하여 개인정보를 처리합니다.",
        "## 제2조(처리하는 개인정보의 항목)",
        "1. 필수항목: 이름, 휴대전화번호, 이메일 주소, 배송지 주소",
        "2. 선택항목: " + rng.choice(["생년월일, 성별", "생년월일", "관심 분야 등"]),
        "3. 자동 수집 항목: 접속 IP 주소, 쿠키, 광고 식별자",
        "## 제3조(개인정보의 처리 및 보유 기간)",
        rng.choice(
            [
                "① 회사는 회원 탈퇴 시까지 개인정보를 보유하며, 관계 법령에 따라 필요한 기간 동안 보관할 수 있습니다.",
                f"① 회사는 회원 탈퇴 후 {days}일 이내에 개인정보를 파기합니다. 다만 「전자상거래 등에서의 소비자보호에 관한 법률」에 따라 계약 기록은 {years}년간 보관합니다.",
            ]
        ),
        "## 제4조(개인정보의 제3자 제공)",
        f"① 회사는 상품 배송을 위하여 {partners}에 이름, 휴대전화번호, 배송지 주소를 제공합니다.",
    ]
    if rng.random() < 0.5:
        parts.append(
            "② 회사는 이용자의 생명, 신체, 재산의 이익을 위하여 필요하다고 인정되는 경우 동의 없이 개인정보를 제3자에게 제공할 수 있습니다."
        )
    if rng.random() < 0.7:
        parts += [
            "## 제5조(개인정보의 국외 이전)",
            f"① 회사는 서비스 운영을 위하여 이용자의 개인정보를 {country}에 이전할 수 있습니다.",
        ]
    if rng.random() < 0.5:
        parts += [
            "## 제6조(개인정보의 파기)",
            "① 회사는 보유 기간이 지난 개인정보를 지체 없이 파기합니다.",
        ]
    parts += [
        "## 제7조(개인정보 보호책임자)",
        f"① 개인정보 보호책임자: 김{name[:1]}리 (privacy@example.kr, 02-{rng.randint(1000, 9999)}-5678)",
    ]
    return "\n\n".join(parts) + "\n"


def english_policy(name: str, rng: random.Random) -> str:
    parts = [
        f"# {name} Privacy Policy",
        f'{name} Pte. Ltd. ("we") explains here how we process the personal information of our users in Korea.',
        "## 1. What we collect",
        "1. Account data: name, email address, phone number, delivery address.",
        "2. Device data: IP address, cookies, advertising identifier.",
    ]
    if rng.random() < 0.4:
        parts.append(
            "3. Identity data: resident registration number, for identity verification."
        )
    parts += [
        "## 2. Why we use it",
        "We use your information to provide the service"
        + rng.choice(
            [", including but not limited to order fulfilment and marketing.", "."]
        ),
        "## 3. Sharing",
        "We may share your information with "
        + rng.choice(
            [
                "business partners, sellers and other third parties.",
                "sellers.",
                "Daon Logistics Co., Ltd.",
            ]
        ),
    ]
    if rng.random() < 0.5:
        parts.append(
            f"We may provide your information to third parties without your consent where necessary to protect the rights or property of {name}."
        )
    parts += [
        "## 4. International transfers",
        "Your information may be transferred to "
        + rng.choice(
            [
                "servers worldwide.",
                "China and Singapore.",
                "Amazon Web Services, Inc. in the United States.",
            ]
        ),
        "## 5. Retention",
        rng.choice(
            [
                "We keep your information for as long as necessary.",
                f"We delete your information within {rng.choice([5, 30])} days after you close your account.",
            ]
        ),
    ]
    return "\n\n".join(parts) + "\n"


def fill(store: Store, wanted: int, seed: int = 7) -> tuple[int, int, float]:
    """Platforms and audited versions until the store holds ``wanted`` findings.
    Returns (platforms, versions, seconds)."""
    rng = random.Random(seed)
    pack = load_pack("kr-pipa")
    started = time.perf_counter()
    platforms = versions = 0
    findings = 0
    while findings < wanted:
        foreign = platforms % 3 == 2
        heads, tails = (EN_NAMES, EN_TAILS) if foreign else (KO_NAMES, KO_TAILS)
        name = f"{rng.choice(heads)}{rng.choice(tails)} {platforms + 1}"
        store.add_platform(
            name,
            country="SG" if foreign else "KR",
            foreign=foreign,
            category="marketplace",
        )
        url = f"https://policy.example/{platforms + 1}/privacy"
        document = store.add_document(name, "privacy", url)
        when = datetime(2022, 1, 1) + timedelta(days=rng.randint(0, 60))
        for _ in range(rng.randint(4, 14)):
            body = (english_policy if foreign else korean_policy)(name, rng)
            parsed = document_from_bytes(body.encode(), "policy.md")
            audit = audit_document(parsed, [pack], foreign=foreign)
            stored, new = store.record_version(
                document.id,
                NewVersion(
                    fetched_at=when,
                    url=url,
                    http_status=200,
                    headers={},
                    raw_sha256=parsed.source.bytes_sha256,
                    text_sha256=parsed.sha256,
                    text=parsed.text,
                    document_json=parsed.to_dict(),
                    audit=AuditRecord.of(audit),
                ),
            )
            if new:
                versions += 1
                findings += len(audit.findings)
            when += timedelta(days=rng.randint(20, 120))
        platforms += 1
    return platforms, versions, time.perf_counter() - started


# -- the server and the clients -------------------------------------------------


def start_server(
    db: str, extra: tuple[str, ...] = ()
) -> tuple[subprocess.Popen[str], str]:
    process = subprocess.Popen(
        [sys.executable, "-m", "privwatch", "serve", "--port", "0", "--db", db, *extra],
        stdout=subprocess.DEVNULL,  # uvicorn's access log
        stderr=subprocess.PIPE,
        text=True,
        env={**os.environ, "PRIVWATCH_LANG": "en"},
    )
    assert process.stderr is not None
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        line = process.stderr.readline()
        if not line:
            break
        found = re.search(r"dashboard on (http://\S+:\d+)/", line)
        if found:
            base = found.group(1)
            drain = threading.Thread(target=process.stderr.read, daemon=True)
            drain.start()  # the rest of stderr, so the server never blocks on it
            for _ in range(300):
                try:
                    httpx.get(base + "/login", timeout=2)
                    return process, base
                except httpx.TransportError:
                    time.sleep(0.1)
    process.kill()
    raise SystemExit("the server did not start")


async def sign_in(client: httpx.AsyncClient) -> None:
    page = await client.get("/login")
    token = re.search(r'name="csrf_token" value="([^"]+)"', page.text)
    assert token
    answer = await client.post(
        "/login", data={"name": "bench", "password": PASSWORD, "csrf_token": token[1]}
    )
    assert answer.status_code == 303, answer.status_code


async def load(
    base: str, paths: list[tuple[str, bool]], concurrency: int
) -> tuple[list[float], float]:
    """GET every path (with the htmx header when marked) from ``concurrency``
    clients sharing one signed-in session; the latencies and the wall time."""
    limits = httpx.Limits(
        max_connections=concurrency, max_keepalive_connections=concurrency
    )
    async with httpx.AsyncClient(base_url=base, limits=limits, timeout=60) as client:
        await sign_in(client)
        for path, _ in paths[:20]:  # warm-up
            (await client.get(path)).raise_for_status()
        queue = list(reversed(paths))
        latencies: list[float] = []

        async def worker() -> None:
            while queue:
                path, partial = queue.pop()
                headers = {"HX-Request": "true"} if partial else {}
                started = time.perf_counter()
                answer = await client.get(path, headers=headers)
                latencies.append(time.perf_counter() - started)
                if answer.status_code != 200 or "findings · page" not in answer.text:
                    raise SystemExit(f"{path}: {answer.status_code}")

        started = time.perf_counter()
        await asyncio.gather(*(worker() for _ in range(concurrency)))
        return latencies, time.perf_counter() - started


def mixed_paths(store: Store, count: int, rng: random.Random) -> list[tuple[str, bool]]:
    with store.session() as session:
        rules = list(session.scalars(select(StoredFinding.rule).distinct()))
        total = session.scalar(select(func.count(StoredFinding.id))) or 0
    platform_ids = [p.id for p in store.platforms()]
    pages = max(1, total // 50)
    paths = []
    for _ in range(count):
        choice = rng.random()
        if choice < 0.3:
            path = f"/findings?page={rng.randint(1, pages)}"
        elif choice < 0.5:
            path = f"/findings?severity={rng.choice(['high', 'medium', 'low'])}&page={rng.randint(1, 20)}"
        elif choice < 0.7:
            path = f"/findings?rule={rng.choice(rules)}"
        elif choice < 0.9:
            path = f"/findings?platform={rng.choice(platform_ids)}"
        else:
            path = "/findings?latest=1"
        paths.append((path, rng.random() < 0.5))
    return paths


def percentile(values: list[float], share: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(round(share * (len(ordered) - 1))))]


def report(name: str, latencies: list[float], wall: float) -> dict[str, float]:
    figures = {
        "requests": len(latencies),
        "p50": percentile(latencies, 0.50) * 1000,
        "p95": percentile(latencies, 0.95) * 1000,
        "p99": percentile(latencies, 0.99) * 1000,
        "mean": statistics.fmean(latencies) * 1000,
        "rps": len(latencies) / wall,
    }
    load = ", ".join(f"{x:.2f}" for x in os.getloadavg())
    print(
        f"{name} (load average {load}): "
        f"{figures['requests']:.0f} requests, p50 {figures['p50']:.1f} ms, "
        f"p95 {figures['p95']:.1f} ms, p99 {figures['p99']:.1f} ms, "
        f"mean {figures['mean']:.1f} ms, {figures['rps']:.1f} requests/s"
    )
    return figures


# -- the login flood ---------------------------------------------------------------

TOKEN = re.compile(r'name="csrf_token" value="([^"]+)"')


async def _flood_worker(
    client: httpx.AsyncClient,
    stop_at: float,
    rng: random.Random,
    counts: dict[str, int],
) -> None:
    """Wrong sign-ins until ``stop_at``, each from a new (claimed) address and
    with a new form token; half for the bench's real account, half for names
    that do not exist."""
    while time.monotonic() < stop_at:
        address = (
            f"10.{rng.randrange(256)}.{rng.randrange(256)}.{rng.randrange(1, 255)}"
        )
        headers = {"X-Forwarded-For": address}
        name = "bench" if rng.random() < 0.5 else f"guess{rng.randrange(10**9)}"
        try:
            page = await client.get("/login", headers=headers)
            token = TOKEN.search(page.text)
            answer = await client.post(
                "/login",
                data={
                    "name": name,
                    "password": "wrong password 1234",
                    "csrf_token": token[1] if token else "",
                },
                headers=headers,
            )
            key = str(answer.status_code)
        except httpx.HTTPError as exc:
            key = type(exc).__name__
        counts[key] = counts.get(key, 0) + 1


def flood(base: str, clients: int, seconds: float, out: Any) -> None:
    """``clients`` parallel wrong sign-ins for ``seconds`` (run in its own
    process, so the page timings below are not the flood's own event loop);
    puts the answers' statuses on ``out``."""
    counts: dict[str, int] = {}
    stop_at = time.monotonic() + seconds

    async def main() -> None:
        # one transport (connection pool) for all, so that 200 clients do not
        # each build an SSL context; each client keeps its own cookies
        limits = httpx.Limits(
            max_connections=clients, max_keepalive_connections=clients
        )
        async with httpx.AsyncHTTPTransport(limits=limits) as transport:
            workers = [
                httpx.AsyncClient(base_url=base, timeout=120, transport=transport)
                for _ in range(clients)
            ]
            await asyncio.gather(
                *(
                    _flood_worker(client, stop_at, random.Random(i), counts)
                    for i, client in enumerate(workers)
                )
            )

    started = time.monotonic()
    asyncio.run(main())
    out.put((counts, time.monotonic() - started))


def rss_mib(pid: int, field: str = "VmRSS") -> float:
    """The resident memory (``VmRSS``) or its peak (``VmHWM``) of a process."""
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith(field + ":"):
            return int(line.split()[1]) / 1024
    return 0.0


def page_latencies(
    client: httpx.Client, pid: int, until: Callable[[], bool]
) -> tuple[list[float], float]:
    """A signed-in page, one request after another, until ``until()``; the
    latencies, and the highest RSS of the server seen between them."""
    latencies, peak = [], 0.0
    while not until():
        started = time.perf_counter()
        answer = client.get("/findings")
        latencies.append(time.perf_counter() - started)
        if answer.status_code != 200 or "findings · page" not in answer.text:
            raise SystemExit(f"/findings during the flood: {answer.status_code}")
        peak = max(peak, rss_mib(pid))
        time.sleep(0.05)
    return latencies, peak


def login_flood(
    process: subprocess.Popen[str], base: str, kind: str, args: argparse.Namespace
) -> str:
    """The server's memory and a signed-in page's latency before and during
    ``--flood-clients`` parallel wrong sign-ins; one line for the README."""
    with httpx.Client(base_url=base, timeout=120) as client:
        page = client.get("/login")
        token = TOKEN.search(page.text)
        assert token
        signed = client.post(
            "/login",
            data={"name": "bench", "password": PASSWORD, "csrf_token": token[1]},
        )
        assert signed.status_code == 303, signed.status_code
        count = [0]

        def hundred() -> bool:
            count[0] += 1
            return count[0] > 100

        before, _ = page_latencies(client, process.pid, hundred)
        rss_before = rss_mib(process.pid)
        context = multiprocessing.get_context("spawn")
        out = context.Queue()
        flooding = context.Process(
            target=flood, args=(base, args.flood_clients, args.flood_seconds, out)
        )
        flooding.start()
        time.sleep(2)  # the flood's clients connect
        during, peak_seen = page_latencies(
            client, process.pid, lambda: not flooding.is_alive() or not out.empty()
        )
        counts, wall = out.get(timeout=300)
        flooding.join(60)
        peak = max(peak_seen, rss_mib(process.pid, "VmHWM"))
    attempts = sum(counts.values())
    shown = ", ".join(f"{k}: {v}" for k, v in sorted(counts.items()))
    load = ", ".join(f"{x:.2f}" for x in os.getloadavg())
    p50, p95 = percentile(during, 0.5) * 1000, percentile(during, 0.95) * 1000
    print(
        f"{kind} login flood (load average {load}): {args.flood_clients} clients, "
        f"{wall:.0f} s, {attempts} wrong sign-ins ({shown}); server RSS "
        f"{rss_before:.0f} MiB before, peak {peak:.0f} MiB; /findings p50/p95 "
        f"{percentile(before, 0.5) * 1000:.0f}/{percentile(before, 0.95) * 1000:.0f} ms "
        f"before, {p50:.0f}/{p95:.0f} ms during ({len(during)} requests)"
    )
    today = datetime.now().strftime("%Y-%m-%d")
    return (
        f"| {today} | {describe()} | {kind} | {args.flood_clients} | {attempts} ({shown}) | "
        f"{rss_before:.0f} MiB | {peak:.0f} MiB | {percentile(before, 0.95) * 1000:.0f} ms | "
        f"{p50:.0f} ms | {p95:.0f} ms |"
    )


def run(db: str, kind: str, args: argparse.Namespace) -> list[str]:
    rng = random.Random(11)
    with Store(db) as store:
        add_user(store, "bench", PASSWORD, "viewer")
        platforms, versions, seconds = fill(store, args.findings)
        with store.session() as session:
            total = session.scalar(select(func.count(StoredFinding.id))) or 0
        print(
            f"{kind}: {platforms} platforms, {versions} versions, {total:,} findings "
            f"(audited and stored in {seconds:.1f} s)"
        )
        mixed = mixed_paths(store, args.requests, rng)
    # the flood comes from many (claimed) addresses through a trusted proxy
    process, base = start_server(db, ("--trusted-proxy", "127.0.0.1"))
    try:
        if args.flood_clients:
            FLOODS.append(login_flood(process, base, kind, args))
        if args.flood_only:
            return []
        alone = asyncio.run(load(base, [("/findings", False)] * 300, 1))
        single = report(f"{kind} first page, one client", *alone)
        first = asyncio.run(
            load(base, [("/findings", False)] * args.requests, args.concurrency)
        )
        front = report(f"{kind} first page", *first)
        second = asyncio.run(load(base, mixed, args.concurrency))
        mix = report(f"{kind} mixed pages and filters", *second)
    finally:
        process.terminate()
        process.wait(30)
        if process.stderr is not None:
            process.stderr.close()
    today = datetime.now().strftime("%Y-%m-%d")
    return [
        f"| {today} | {describe()} | {kind} | {total:,} | {args.concurrency} | {label} | "
        f"{f['requests']:.0f} | {f['p50']:.0f} ms | {f['p95']:.0f} ms | {f['p99']:.0f} ms | "
        f"{f['rps']:.0f} |"
        for label, f in (("first page", front), ("mixed", mix))
    ] + [
        f"| {today} | {describe()} | {kind} | {total:,} | 1 | first page | "
        f"{single['requests']:.0f} | {single['p50']:.0f} ms | {single['p95']:.0f} ms | "
        f"{single['p99']:.0f} ms | {single['rps']:.0f} |"
    ]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--findings", type=int, default=10_000)
    parser.add_argument("--requests", type=int, default=2_000)
    parser.add_argument("--concurrency", type=int, default=20)
    parser.add_argument(
        "--postgres", help="a PostgreSQL server URL (a database is made for the run)"
    )
    parser.add_argument(
        "--flood-clients",
        type=int,
        default=200,
        help="parallel wrong sign-ins in the login flood (0: no flood)",
    )
    parser.add_argument("--flood-seconds", type=float, default=30.0)
    parser.add_argument(
        "--flood-only", action="store_true", help="the login flood, not the page loads"
    )
    args = parser.parse_args()
    print(f"machine: {describe()}")
    lines = []
    with tempfile.TemporaryDirectory() as folder:
        lines += run(f"sqlite:///{Path(folder) / 'bench.db'}", "SQLite", args)
    if args.postgres:
        name = f"privwatch_bench_{uuid.uuid4().hex[:8]}"
        admin = create_engine(
            args.postgres.replace("postgresql://", "postgresql+psycopg://"),
            isolation_level="AUTOCOMMIT",
        )
        with admin.connect() as connection:
            connection.execute(text(f'CREATE DATABASE "{name}"'))
        try:
            lines += run(
                f"{args.postgres.rpartition('/')[0]}/{name}", "PostgreSQL", args
            )
        finally:
            with admin.connect() as connection:
                connection.execute(text(f'DROP DATABASE "{name}" WITH (FORCE)'))
            admin.dispose()
    print()
    print(
        "| date | machine | store | findings | clients | page | requests | p50 | p95 | p99 | requests/s |"
    )
    print("|---|---|---|---|---|---|---|---|---|---|---|")
    for line in lines:
        print(line)
    if FLOODS:
        print()
        print(
            "| date | machine | store | flood clients | wrong sign-ins (statuses) | "
            "RSS before | peak RSS | page p95 before | p50 during | p95 during |"
        )
        print("|---|---|---|---|---|---|---|---|---|---|")
        for line in FLOODS:
            print(line)


if __name__ == "__main__":
    main()
