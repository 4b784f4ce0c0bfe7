"""privwatch batch on a real Dask LocalCluster of 2 worker processes: results in
the store (SQLite and PostgreSQL), failures recorded without stopping the
batch, a worker killed mid-batch, and a rerun that does no repeated work."""

from __future__ import annotations

import os
import signal
from collections import Counter
from collections.abc import Iterator
from pathlib import Path

import pytest
from distributed import Client

from privwatch.batch import dask_client, load_manifest, run_batch
from privwatch.store import Store
from tests.hars import planted_entries, write_har, write_persona

SECTION = """
## 제{n}조({title})

회사는 {purpose}을(를) 위하여 이름, 이메일, 휴대전화번호를 수집합니다.
수집한 정보는 회원 탈퇴 후 {years}년간 보관한 뒤 지체 없이 파기합니다.
"""
TITLES = ["처리 목적", "수집 항목", "보유 기간", "제3자 제공", "처리 위탁", "파기 절차"]


def _policy(index: int) -> str:
    """A Korean policy of its own for each index (about 40 clauses)."""
    parts = [f"# 가게{index} 개인정보 처리방침\n"]
    for n in range(1, 13):
        parts.append(
            SECTION.format(
                n=n,
                title=TITLES[(n + index) % len(TITLES)],
                purpose=f"서비스 {index}-{n} 제공",
                years=1 + (index + n) % 5,
            )
        )
    return "".join(parts)


def _manifest(folder: Path, count: int) -> Path:
    lines = [
        "platforms:",
        "  - {name: 한빛마켓, country: KR, category: marketplace}",
        "  - {name: Faraway, country: SG, foreign: true}",
        "documents:",
    ]
    for index in range(count):
        (folder / f"policy{index}.md").write_text(_policy(index), encoding="utf-8")
        platform = "한빛마켓" if index % 2 else "Faraway"
        lines.append(f"  - {{platform: {platform}, source: policy{index}.md}}")
    lines.append("  - {platform: Faraway, source: missing.md}")
    write_har(folder / "session.har", planted_entries())
    write_persona(folder / "persona.yaml")
    lines += [
        "traffic:",
        "  - {platform: 한빛마켓, har: session.har, site: shop.example.kr,"
        " persona: persona.yaml}",
    ]
    path = folder / "manifest.yaml"
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


@pytest.fixture
def client() -> Iterator[Client]:
    with dask_client(workers=2) as found:
        yield found


def _versions(store: Store) -> Counter[str]:
    return Counter(d.url for d in store.documents() for _ in store.versions(d.id))


def test_a_batch_stores_everything_once_and_a_rerun_does_nothing(
    db_url: str, client: Client, tmp_path: Path
) -> None:
    manifest = load_manifest(_manifest(tmp_path, 12))
    report = run_batch(manifest, db_url, client)
    assert report.counts == Counter(done=13, failed=1)  # 12 policies, 1 HAR
    (failed,) = [r for r in report.results if r.status == "failed"]
    assert failed.task.source.endswith("missing.md") and "no such file" in (
        failed.error or ""
    )
    assert len({r.worker for r in report.results}) == 2  # both workers worked
    assert 0 < report.planned < report.seconds
    assert all(r.wall["store"] > 0 for r in report.results)  # timed by phase
    with Store(db_url) as store:
        versions = _versions(store)
        assert len(versions) == 12 and set(versions.values()) == {1}
        (scan,) = store.scans("한빛마켓")
        assert scan.result["flows"] and scan.har_sha256 == manifest_har_sha(tmp_path)
        (failure,) = store.failures()
        assert failure.platform.name == "Faraway" and failure.item == "document"
        foreign = {p.name: p.foreign for p in store.platforms()}
        assert foreign == {"Faraway": True, "한빛마켓": False}
        audited = store.latest(store.documents("Faraway")[0].id)
        assert audited is not None and audited.audit_json is not None
        assert audited.audit_json["context"]["foreign"] is True

    # rules, models and registries were loaded once per worker, not per task
    misses = client.run(_pack_loads)
    assert list(misses.values()) == [2, 2]  # kr-pipa and kr-terms
    # each worker keeps to its core: one Kiwi thread, no sampling profiler
    if "PRIVWATCH_KIWI_WORKERS" not in os.environ:
        assert list(client.run(_kiwi_threads_and_profiler).values()) == [(1, False)] * 2

    again = run_batch(manifest, db_url, client)
    assert again.stored_before == 13
    assert again.counts == Counter(failed=1)  # only the missing file is tried again
    with Store(db_url) as store:
        assert _versions(store) == versions and len(store.scans("한빛마켓")) == 1

    (tmp_path / "missing.md").write_text(_policy(99), encoding="utf-8")
    fixed = run_batch(manifest, db_url, client)
    assert fixed.counts == Counter(done=1)
    with Store(db_url) as store:
        assert store.failures() == []


def manifest_har_sha(folder: Path) -> str:
    import hashlib

    return hashlib.sha256((folder / "session.har").read_bytes()).hexdigest()


def _pack_loads() -> int:
    from privwatch.rules.schema import _builtin_pack

    return _builtin_pack.cache_info().misses


def _kiwi_threads_and_profiler() -> tuple[int, bool]:
    import dask

    from privwatch.segment.sentences import _kiwi

    enabled = dask.config.get("distributed.worker.profile.enabled")
    return int(_kiwi().num_workers), bool(enabled)


def test_a_worker_killed_mid_batch(client: Client, tmp_path: Path) -> None:
    """SIGKILL one of the two workers after the first results: Dask runs its
    tasks again on the other (and on the restarted one), and the batch
    completes with every document stored exactly once."""
    db_url = f"sqlite:///{tmp_path / 'store.db'}"
    manifest = load_manifest(_manifest(tmp_path, 24))
    killed: list[int] = []

    def kill_one(done: int, total: int, counts: Counter[str]) -> None:
        if done == 3 and not killed:
            pids = client.run(os.getpid)
            victim = sorted(pids.values())[0]
            os.kill(victim, signal.SIGKILL)
            killed.append(victim)

    report = run_batch(manifest, db_url, client, progress=kill_one)
    assert killed and killed[0] not in client.run(os.getpid).values()
    # a task whose worker died after storing its version, before reporting,
    # runs again and finds the version stored: skipped, not stored twice
    counts = report.counts
    assert counts["done"] + counts["skipped"] == 25 and counts["failed"] == 1
    with Store(db_url) as store:
        versions = _versions(store)
        assert len(versions) == 24 and set(versions.values()) == {1}


def test_a_task_reports_its_time_by_phase(tmp_path: Path) -> None:
    """Each result carries wall and CPU seconds per phase (the bench's split
    into read, parse, audit and store), in this process, without Dask."""
    from privwatch.batch import plan
    from privwatch.batch.work import PHASES, run_task

    db_url = f"sqlite:///{tmp_path / 'store.db'}"
    manifest = load_manifest(_manifest(tmp_path, 1))
    with Store(db_url) as store:
        tasks, stored = plan(store, manifest)
    assert stored == 0 and [t.item for t in tasks] == ["document"] * 2 + ["traffic"]
    with Store(db_url) as store:  # the task carries its document, as stored
        assert [t.document for t in tasks[:2]] == store.documents("Faraway")
    policy, missing, traffic = (run_task(task, db_url) for task in tasks)
    assert [policy.status, missing.status, traffic.status] == ["done", "failed", "done"]
    assert set(policy.wall) == set(policy.cpu) == {"read", "parse", "audit", "store"}
    assert set(missing.wall) == {"read", "store"}  # the failure was recorded
    assert set(traffic.wall) == {"read", "scan", "store"}
    for result in (policy, missing, traffic):
        assert set(result.wall) <= set(PHASES)
        assert all(seconds >= 0 for seconds in result.wall.values())
        assert all(seconds >= 0 for seconds in result.cpu.values())
        assert sum(result.wall.values()) <= result.seconds
    assert policy.wall["audit"] > 0 and policy.cpu["parse"] > 0
    again = run_task(tasks[0], db_url)  # stored already: no parse, no audit
    assert again.status == "skipped" and set(again.wall) == {"read", "store"}


def test_batch_command_errors_are_one_line(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    from tests.test_cli import assert_one_line_error, run

    bad = tmp_path / "manifest.yaml"
    bad.write_text("documents: [{platform: X}]\n")
    code, _, err = run(["batch", str(bad)], capsys)
    assert_one_line_error(code, err, "documents.0.source")
    code, _, err = run(
        ["batch", str(bad), "--workers", "2", "--scheduler", "x"], capsys
    )
    assert_one_line_error(code, err, "not both")
    good = tmp_path / "good.yaml"
    good.write_text("documents: []\n")
    code, _, err = run(
        ["--lang", "ko", "batch", str(good), "--scheduler", "tcp://127.0.0.1:1"],
        capsys,
    )
    assert_one_line_error(code, err, "Dask 스케줄러에 연결할 수 없습니다")


def test_batch_command_end_to_end(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    from tests.test_cli import run

    manifest = _manifest(tmp_path, 4)
    db = ["--db", f"sqlite:///{tmp_path / 'store.db'}"]
    code, out, err = run(["batch", str(manifest), "--workers", "2", *db], capsys)
    assert code == 1  # one item failed
    assert out.startswith("5 stored, 0 already in the store, 1 failed")
    assert err.count("\n") == 1 and "missing.md" in err
    code, out, _ = run(["watch", "history", "Faraway", *db], capsys)
    assert out.count("\tv1\t") == 2
