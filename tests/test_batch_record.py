"""A manifest's ``record:`` items on a real 2-worker Dask LocalCluster: each
site recorded by the system Chromium (``privwatch record`` in a child process
per item) from a real loopback HTTP server, the host names mapped to it with
PRIVWATCH_HOST_RULES; the scans with their behaviour checks in the store; a
site that hangs the browser stopped at its time limit and recorded as
failed, with no browser left running; a site that errors recorded as failed
and retried by the next run."""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from privwatch.ingest.render import find_chromium
from privwatch.store import Store
from privwatch.store.records import decode_scan
from tests import batch_sites

PERSONA = """name: 김하늘
email: haneul.kim@example.com
phone: 010-2345-6789
"""
JOURNEY = """steps:
  - goto: http://{shop}/member/join
  - type: {{}}
  - wait: 1
"""


@pytest.fixture(scope="module")
def sites() -> Iterator[int]:
    if find_chromium() is None:
        pytest.fail("no Chromium found: install it or set PRIVWATCH_CHROMIUM")
    server = batch_sites.start()
    port = server.server_address[1]
    hosts = [batch_sites.SHOP, batch_sites.CLEAN, batch_sites.STUCK, batch_sites.BROKEN]
    with pytest.MonkeyPatch.context() as patch:
        # set before the cluster starts: its workers and their children inherit it
        patch.setenv("PRIVWATCH_HOST_RULES", batch_sites.host_rules(port, hosts))
        yield port
    server.shutdown()
    server.server_close()


def _manifest(folder: Path) -> Path:
    (folder / "persona.yaml").write_text(PERSONA, "utf-8")
    (folder / "join.yaml").write_text(JOURNEY.format(shop=batch_sites.SHOP), "utf-8")
    text = f"""platforms:
  - {{name: 하늘상점, country: KR}}
record:
  - {{platform: 하늘상점, url: "http://{batch_sites.SHOP}/", persona: persona.yaml}}
  - {{platform: 하늘상점, url: "http://{batch_sites.SHOP}/", persona: persona.yaml,
      journey: join.yaml, consent_runs: false}}
  - {{platform: 맑은상점, url: "http://{batch_sites.CLEAN}/", persona: persona.yaml}}
  - {{platform: 멈춘상점, url: "http://{batch_sites.STUCK}/", persona: persona.yaml,
      time_limit: 15}}
  - {{platform: 고장상점, url: "http://{batch_sites.BROKEN}/", persona: persona.yaml}}
recordings: out
"""
    path = folder / "manifest.yaml"
    path.write_text(text, "utf-8")
    return path


def _browsers() -> int:
    """Chromium processes under this process (run on each worker)."""
    import psutil

    return sum(
        1
        for child in psutil.Process().children(recursive=True)
        if "chrom" in child.name().lower()
    )


def _by_run(scans: list[Any]) -> dict[Any, dict[str, Any]]:
    return {
        (
            s.result["record"]["journey"] is not None,
            s.result["record"]["consent_run"],
        ): s
        for s in scans
    }


def test_record_items_on_a_cluster(sites: int, tmp_path: Path) -> None:
    from privwatch.batch import dask_client, load_manifest, plan, run_batch

    db_url = f"sqlite:///{tmp_path / 'store.db'}"
    manifest = load_manifest(_manifest(tmp_path))
    assert manifest.recordings == str(tmp_path / "out")
    with dask_client(workers=2) as client:
        report = run_batch(manifest, db_url, client)
        assert report.counts == Counter(done=3, failed=2)
        assert set(client.run(_browsers).values()) == {0}  # none left behind
        stuck = next(r for r in report.results if "stuck" in r.task.source)
        # stopped at its limit (15 s), not at the default (240 s)
        assert 15 <= stuck.seconds < 40
        assert len({r.worker for r in report.results}) == 2

        with Store(db_url) as store:
            failures = {f.platform.name: f for f in store.failures()}
            assert set(failures) == {"멈춘상점", "고장상점"}
            assert failures["멈춘상점"].item == "record"
            assert failures["멈춘상점"].error == (
                "recording failed: time limit of 15 s passed: the recording "
                "and its browser were stopped"
            )
            assert failures["고장상점"].error.startswith(
                f"recording failed: could not fetch http://{batch_sites.BROKEN}/: "
            )

            shop = _by_run(store.scans("하늘상점"))
            assert set(shop) == {
                (False, "none"),
                (False, "reject"),
                (False, "accept"),
                (True, None),
            }
            for scan in shop.values():
                assert Path(scan.source).is_file()  # the HAR, kept
                assert scan.result["schema"] == "privwatch.scan/2"
                assert decode_scan(scan.result).har_sha256 == scan.har_sha256
                made = scan.result["record"]
                assert made["url"] == f"http://{batch_sites.SHOP}/"
                assert Path(made["record_file"]).is_file()
                assert made["screenshots"] >= 1
                assert Path(scan.source).is_relative_to(tmp_path / "out")
            none = shop[(False, "none")].result["behaviour"]["counts"]
            assert none["keylogging"] >= 1  # the e-mail sent key by key
            assert none["fingerprinting"] >= 1  # canvas, audio, WebGL calls
            assert none["third_party_cookie"] >= 1
            reject = shop[(False, "reject")].result["behaviour"]
            assert reject["record"]["consent_run"] == "reject"
            joined = shop[(True, None)].result["behaviour"]["counts"]
            assert joined["keylogging"] >= 1  # the journey file's page
            assert shop[(True, None)].result["record"]["steps"] == 3
            persona = shop[(False, "none")].result["persona"]
            assert "haneul.kim@example.com" not in str(persona)  # masked

            (clean,) = store.scans("맑은상점")
            assert clean.result["record"]["consent_run"] is None
            assert set(clean.result["behaviour"]["counts"].values()) == {0}
            assert clean.result["flows"] == []
            assert not store.scans("멈춘상점") and not store.scans("고장상점")

        # the next run: the stored ones are not recorded again, the failed
        # ones are tried again; the broken site works now and is stored
        batch_sites.Sites.broken = False
        try:
            again = run_batch(manifest, db_url, client)
        finally:
            batch_sites.Sites.broken = True
        assert again.stored_before == 3
        assert again.counts == Counter(done=1, failed=1)
        assert set(client.run(_browsers).values()) == {0}
    with Store(db_url) as store:
        assert [f.platform.name for f in store.failures()] == ["멈춘상점"]
        assert len(store.scans("고장상점")) == 1
        # a new survey name records every site again
        tasks, stored = plan(store, manifest)
        assert (len(tasks), stored) == (1, 4)
        manifest.survey = "2027-01"
        tasks, stored = plan(store, manifest)
        assert (len(tasks), stored) == (5, 0)
        assert {t.survey for t in tasks} == {"2027-01"}
        assert len({t.folder for t in tasks}) == 5
    attempts = list((tmp_path / "out").glob(f"{batch_sites.STUCK}-*/*"))
    assert len(attempts) == 2  # one folder per attempt, the first one kept


def test_bad_record_items_are_one_line(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    from tests.test_cli import assert_one_line_error, run

    bad = tmp_path / "manifest.yaml"
    bad.write_text("record: [{platform: X, url: shop.example.kr, persona: p.yaml}]\n")
    code, _, err = run(["batch", str(bad)], capsys)
    assert_one_line_error(code, err, "not an http(s) URL")
    bad.write_text(
        "record: [{platform: X, url: 'http://a.kr/', persona: p.yaml, time_limit: 0}]\n"
    )
    code, _, err = run(["batch", str(bad)], capsys)
    assert_one_line_error(code, err, "time_limit")


PARENT = """
import sys
from pathlib import Path
from privwatch.batch.recording import record
from privwatch.batch.work import Task
task = Task("record", "X", sys.argv[1], persona=sys.argv[2], time_limit=300,
            folder=sys.argv[3])
record(task, Path(sys.argv[3]) / "attempt")
"""


def test_a_recording_does_not_outlive_its_worker(sites: int, tmp_path: Path) -> None:
    """A worker killed while its recording hangs takes the recording, the
    Playwright driver and Chromium with it (PR_SET_PDEATHSIG)."""
    import signal
    import subprocess
    import sys
    import time

    import psutil

    persona = tmp_path / "persona.yaml"
    persona.write_text(PERSONA, "utf-8")
    url = f"http://{batch_sites.STUCK}/"
    worker = subprocess.Popen(
        [sys.executable, "-c", PARENT, url, str(persona), str(tmp_path)]
    )
    try:
        deadline = time.monotonic() + 90
        tree: list[psutil.Process] = []
        while time.monotonic() < deadline:
            tree = psutil.Process(worker.pid).children(recursive=True)
            if any("chrom" in p.name().lower() for p in tree):
                break
            time.sleep(0.5)
        assert any("chrom" in p.name().lower() for p in tree)
        time.sleep(2)  # the page loaded and its script hangs
        tree = psutil.Process(worker.pid).children(recursive=True)
    finally:
        worker.send_signal(signal.SIGKILL)
        worker.wait()

    def running(process: psutil.Process) -> bool:  # a zombie has ended
        try:
            return process.status() != psutil.STATUS_ZOMBIE
        except psutil.NoSuchProcess:
            return False

    deadline = time.monotonic() + 20
    while any(running(p) for p in tree) and time.monotonic() < deadline:
        time.sleep(0.5)
    left = [p for p in tree if running(p)]
    for process in left:
        process.kill()
    assert left == []


def test_batch_command_with_record_items(
    sites: int, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """Through ``privwatch batch``: the failed site is one line on stderr
    (in Korean under --lang ko, the stored reason in English), exit 1."""
    from tests.test_cli import run

    (tmp_path / "persona.yaml").write_text(PERSONA, "utf-8")
    manifest = tmp_path / "manifest.yaml"
    manifest.write_text(
        f"""record:
  - {{platform: 맑은상점, url: "http://{batch_sites.CLEAN}/", persona: persona.yaml,
      consent_runs: false}}
  - {{platform: 고장상점, url: "http://{batch_sites.BROKEN}/", persona: persona.yaml}}
""",
        "utf-8",
    )
    db = ["--db", f"sqlite:///{tmp_path / 'store.db'}"]
    code, out, err = run(
        ["--lang", "ko", "batch", str(manifest), "--workers", "2", *db], capsys
    )
    assert code == 1
    assert out.startswith("1건 저장, 0건은 이미 저장됨, 1건 실패")
    (line,) = [e for e in err.splitlines() if e.startswith("privwatch: 실패:")]
    assert line.startswith(
        f"privwatch: 실패: 고장상점 http://{batch_sites.BROKEN}/: recording failed: "
    )
    assert "Traceback" not in err
    with Store(db[1]) as store:
        (scan,) = store.scans("맑은상점")
        assert scan.result["record"]["consent_run"] is None
