"""privwatch watch, one cycle at a time, against a loopback server whose documents
change, on SQLite and on PostgreSQL: conditional requests, a version only when the
text changed, and a failing target marked as such without stopping the others."""

from __future__ import annotations

from collections.abc import Callable
from http.server import BaseHTTPRequestHandler
from pathlib import Path

import pytest

from privwatch.errors import InputError
from privwatch.store import Store
from privwatch.watch import Politeness, add_targets, load_targets, run_once
from tests.conftest import LocalServer, Route

POLICY_V1 = "# 개인정보 처리방침\n\n## 제1조(처리 목적)\n\n회사는 회원 관리를 위하여 개인정보를 처리합니다.\n"
POLICY_V2 = (
    POLICY_V1 + "\n## 제2조(보유 기간)\n\n회원 정보는 필요한 기간 동안 보관합니다.\n"
)


class Changing:
    """A document with an ETag that answers If-None-Match with 304."""

    def __init__(self, body: str) -> None:
        self.body = body
        self.requests: list[dict[str, str]] = []

    def __call__(self, handler: BaseHTTPRequestHandler) -> None:
        self.requests.append(dict(handler.headers))
        tag = f'"{hash(self.body) & 0xFFFFFFFF:x}"'
        if handler.headers.get("If-None-Match") == tag:
            handler.send_response(304)
            handler.send_header("ETag", tag)
            handler.end_headers()
            return
        data = self.body.encode()
        handler.send_response(200)
        handler.send_header("Content-Type", "text/markdown; charset=utf-8")
        handler.send_header("ETag", tag)
        handler.send_header("Content-Length", str(len(data)))
        handler.end_headers()
        handler.wfile.write(data)


def _targets(tmp_path: Path, policy_url: str, broken_url: str) -> Path:
    path = tmp_path / "targets.yaml"
    path.write_text(
        f"""platforms:
  - name: 한빛마켓
    country: KR
    category: marketplace
    documents:
      - {{type: privacy, url: "{policy_url}", language: ko}}
  - name: Broken Shop
    country: SG
    foreign: true
    documents:
      - {{type: privacy, url: "{broken_url}"}}
""",
        encoding="utf-8",
    )
    return path


def test_a_watch_cycle_stores_only_changes(
    db_url: str, server: LocalServer, tmp_path: Path
) -> None:
    document = Changing(POLICY_V1)
    policy_url = server.add("/privacy.md", Route(handler=document))
    broken_url = server.url("/gone")  # 404
    polite = Politeness(delay=0.0)
    with Store(db_url) as store:
        assert (
            add_targets(store, load_targets(_targets(tmp_path, policy_url, broken_url)))
            == 2
        )

        first = {o.platform: o for o in run_once(store, politeness=polite, retries=0)}
        assert first["한빛마켓"].result == "new"
        assert first["Broken Shop"].result == "failed"
        assert "404" in (first["Broken Shop"].error or "")

        second = {o.platform: o for o in run_once(store, politeness=polite, retries=0)}
        assert second["한빛마켓"].result == "unchanged"
        assert document.requests[-1].get(
            "If-None-Match"
        )  # a conditional GET, answered 304

        document.body = POLICY_V2
        third = {o.platform: o for o in run_once(store, politeness=polite, retries=0)}
        assert third["한빛마켓"].result == "new"

        document.body = POLICY_V1  # a change taken back is a version too
        fourth = {o.platform: o for o in run_once(store, politeness=polite, retries=0)}
        assert (fourth["한빛마켓"].result, fourth["한빛마켓"].version) == ("new", 3)

        watched = {d.platform.name: d for d in store.documents()}
        assert watched["Broken Shop"].status == "failing"
        assert "404" in (watched["Broken Shop"].last_error or "")
        assert watched["한빛마켓"].status == "ok" and watched["한빛마켓"].etag

        versions = store.versions(watched["한빛마켓"].id)
        assert [v.text.count("제2조") for v in versions] == [0, 1, 0]
        assert [v.number for v in versions] == [1, 2, 3]
        assert versions[1].http_status == 200
        assert versions[2].headers["etag"] == watched["한빛마켓"].etag
        assert versions[1].document_json["sha256"] == versions[1].text_sha256
        rules = {f["rule"] for f in versions[1].audit_json["findings"]}
        assert "kr-pipa.15.retention_vague" in rules  # "필요한 기간" in version 2


SCRIPTED = """<!doctype html><html><head><meta charset="utf-8"><title>약관</title>
<script>document.addEventListener("DOMContentLoaded", () => {
  document.getElementById("policy").innerHTML =
    "<h2>제1조(국외 이전)</h2><p>회사는 회원의 개인정보를 해외 협력사에 이전합니다.</p>";
});</script></head><body>
<div id="banner"><p>쿠키 배너: 모두 동의하시겠습니까?</p></div>
<div id="policy"></div></body></html>"""


def test_a_selector_and_a_headless_browser(server: LocalServer, tmp_path: Path) -> None:
    """A page filled in by JavaScript, read through Chromium; the selector keeps
    the policy and leaves the cookie banner out. A selector that matches nothing
    (the page changed) marks the document failing."""
    url = server.add(
        "/scripted",
        Route(SCRIPTED.encode(), headers={"Content-Type": "text/html; charset=utf-8"}),
    )
    with Store(f"sqlite:///{tmp_path / 'watch.db'}") as store:
        store.add_platform("한빛마켓")
        store.add_document("한빛마켓", "privacy", url, selector="#policy", render=True)
        store.add_document("한빛마켓", "terms", url, selector="#terms")
        outcomes = run_once(store, politeness=Politeness(delay=0), retries=0)
        assert [o.result for o in outcomes] == ["new", "failed"]
        assert "#terms" in (outcomes[1].error or "")
        rendered, plain = store.documents()
        version = store.latest(rendered.id)
        assert version is not None
        assert "해외 협력사에 이전합니다" in version.text
        assert "쿠키 배너" not in version.text
        assert plain.status == "failing" and "no element" in (plain.last_error or "")


def test_targets_file_errors_are_one_line(tmp_path: Path) -> None:
    path = tmp_path / "targets.yaml"
    path.write_text(
        "platforms:\n  - name: X\n    documents:\n      - {type: blog, url: 'https://x.test'}\n"
    )
    with pytest.raises(InputError) as error:
        load_targets(path)
    assert "platforms.0.documents.0.type" in error.value.render()


def test_watch_commands(
    server: LocalServer, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    from tests.test_cli import assert_one_line_error, run

    policy_url = server.add("/privacy.md", Route(handler=Changing(POLICY_V1)))
    targets = _targets(tmp_path, policy_url, server.url("/gone"))
    db = ["--db", f"sqlite:///{tmp_path / 'watch.db'}"]

    code, out, _ = run(["watch", "add", str(targets), *db], capsys)
    assert code == 0 and "2 documents of 2 platforms" in out
    code, out, err = run(["watch", "run", "--once", *db], capsys)
    assert code == 1  # a document failed: cron and CI notice
    assert err.strip() == "privwatch: 1 of 2 documents failed"
    assert f"new version: 한빛마켓 privacy {policy_url}" in out
    assert "failed: Broken Shop" in out and "404" in out
    code, out, _ = run(["watch", "list", *db], capsys)
    assert "한빛마켓\tprivacy\tok" in out and "Broken Shop\tprivacy\tfailing" in out
    code, out, err = run(["--lang", "ko", "watch", "run", "--once", *db], capsys)
    assert code == 1 and "변경 없음: 한빛마켓" in out
    assert err.strip() == "privwatch: 문서 2개 중 1개 실패"
    code, out, _ = run(["watch", "history", "한빛마켓", *db], capsys)
    assert code == 0 and out.count("\n") == 1 and "medium=" in out
    code, out, _ = run(["watch", "remove", "Broken Shop", "--yes", *db], capsys)
    assert code == 0 and out.startswith("removed Broken Shop: 1 document, 0 versions")
    code, out, err = run(["watch", "run", "--once", *db], capsys)
    assert (code, err) == (0, "")  # all unchanged: success
    assert "unchanged: 한빛마켓" in out

    code, _, err = run(["watch", "remove", "Nobody", *db], capsys)
    assert_one_line_error(code, err, "no platform named Nobody")
    bad = tmp_path / "bad.yaml"
    bad.write_text("platforms: [{name: X}]\n")
    code, _, err = run(["watch", "add", str(bad), *db], capsys)
    assert_one_line_error(code, err, "platforms.0.documents")
    code, _, err = run(
        ["watch", "list", "--db", "postgresql://u:pw@127.0.0.1:1/x"], capsys
    )
    assert_one_line_error(code, err, "cannot open the database")


def test_watch_diff_command(
    server: LocalServer, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    from tests.test_cli import assert_one_line_error, run

    document = Changing(POLICY_V1)
    policy_url = server.add("/privacy.md", Route(handler=document))
    targets = _targets(tmp_path, policy_url, server.url("/gone"))
    db = ["--db", f"sqlite:///{tmp_path / 'watch.db'}"]
    run(["watch", "add", str(targets), *db], capsys)
    run(["watch", "run", "--once", *db], capsys)
    code, _, err = run(["watch", "diff", "한빛마켓", *db], capsys)
    assert_one_line_error(code, err, "fewer than two stored versions")

    document.body = POLICY_V2.replace(
        "관리를", "관리와 `<script>alert(1)</script>` 배송을"
    )
    run(["watch", "run", "--once", *db], capsys)
    code, out, _ = run(["watch", "diff", "한빛마켓", *db], capsys)
    assert code == 0
    assert "clauses: 1 added, 0 removed, 1 changed, 0 moved" in out
    assert "[-관리를][+관리와 <script>alert(1)</script> 배송을]" in out
    assert "New findings: " in out and "kr-pipa.15.retention_vague" in out
    code, out, _ = run(
        ["--lang", "ko", "watch", "diff", "한빛마켓", "-f", "html", *db], capsys
    )
    assert "<ins>" in out and "&lt;script&gt;" in out and "<script>" not in out
    assert "새 발견 사항" in out
    code, _, err = run(["watch", "diff", "한빛마켓", "--from", "999", *db], capsys)
    assert_one_line_error(code, err, "no stored version v999")


def test_import_a_folder_of_dated_versions(
    db_url: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    from tests.test_cli import assert_one_line_error, run

    folder = tmp_path / "history"
    folder.mkdir()
    (folder / "2024-01-01.md").write_text(POLICY_V1, encoding="utf-8")
    (folder / "2024-06-01.md").write_text(
        POLICY_V1 + "\n", encoding="utf-8"
    )  # same text
    (folder / "2025-01-01.md").write_text(POLICY_V2, encoding="utf-8")
    (folder / "notes.txt").write_text("not a version")
    db = ["--db", db_url]
    code, out, _ = run(["watch", "import-dir", "한빛마켓", str(folder), *db], capsys)
    assert code == 0
    assert [line.split(":")[0] for line in out.splitlines()] == [
        "new version",
        "unchanged",
        "new version",
    ]
    code, out, _ = run(["watch", "history", "한빛마켓", *db], capsys)
    assert [line.split("\t")[2][:10] for line in out.splitlines()] == [
        "2024-01-01",
        "2025-01-01",
    ]
    code, out, _ = run(["watch", "diff", "한빛마켓", *db], capsys)
    assert "clauses: 1 added, 0 removed, 0 changed, 0 moved" in out
    code, out, _ = run(["watch", "run", "--once", *db], capsys)
    assert (code, out) == (0, "")  # an imported history is not fetched
    empty = tmp_path / "empty"
    empty.mkdir()
    code, _, err = run(["watch", "import-dir", "X", str(empty), *db], capsys)
    assert_one_line_error(code, err, "named by a date")


@pytest.mark.corpus
def test_import_naver_history(shared: Path, tmp_path: Path) -> None:
    from privwatch.diff import clause_texts, diff_clauses
    from privwatch.watch import import_dir

    folder = shared / "corpus" / "history" / "naver_privacy_ko"
    with Store(f"sqlite:///{tmp_path / 'naver.db'}") as store:
        outcomes = import_dir(store, "Naver", "privacy", folder)
        assert len(outcomes) == len(list(folder.glob("*.md")))
        (document,) = store.documents("Naver")
        versions = store.versions(document.id)
        assert len(versions) == sum(o.result == "new" for o in outcomes) >= 40
        assert [v.fetched_at for v in versions] == sorted(
            v.fetched_at for v in versions
        )
        old, new = versions[-2], versions[-1]
        changes = diff_clauses(
            clause_texts(old.document_json), clause_texts(new.document_json)
        )
        assert changes  # consecutive stored versions differ
        assert all(v.audit_json and "findings" in v.audit_json for v in versions)


def _git(repo: Path, *args: str, date: str | None = None) -> None:
    import os
    import subprocess

    dated = {"GIT_AUTHOR_DATE": date, "GIT_COMMITTER_DATE": date} if date else {}
    subprocess.run(
        ["git", "-C", str(repo), *args],
        check=True,
        capture_output=True,
        env=os.environ
        | dated
        | {
            "GIT_AUTHOR_NAME": "recorder",
            "GIT_AUTHOR_EMAIL": "recorder@ota.test",
            "GIT_COMMITTER_NAME": "recorder",
            "GIT_COMMITTER_EMAIL": "recorder@ota.test",
        },
    )


def test_import_an_open_terms_archive_repository(
    db_url: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """A versions repository laid out as Open Terms Archive's (service folder,
    one Markdown file per document type, one commit per recorded change): each
    commit of the file is a version dated by the commit, renames followed,
    other files' commits ignored, and a second import stores nothing."""
    from tests.test_cli import assert_one_line_error, run

    repo = tmp_path / "versions"
    (repo / "Hanbit Market").mkdir(parents=True)
    _git(repo, "init", "-q", "-b", "main")
    old_name = repo / "Hanbit Market" / "Privacy.md"
    old_name.write_text(POLICY_V1, encoding="utf-8")
    _git(repo, "add", "-A")
    _git(repo, "commit", "-qm", "Start tracking", date="2023-03-01T09:00:00+09:00")
    (repo / "Hanbit Market" / "Terms of Service.md").write_text("# 이용약관\n")
    _git(repo, "add", "-A")
    _git(repo, "commit", "-qm", "Track terms", date="2023-05-01T09:00:00+09:00")
    _git(repo, "mv", "Hanbit Market/Privacy.md", "Hanbit Market/Privacy Policy.md")
    _git(repo, "commit", "-qm", "Rename", date="2023-06-01T09:00:00+09:00")
    (repo / "Hanbit Market" / "Privacy Policy.md").write_text(
        POLICY_V2, encoding="utf-8"
    )
    _git(repo, "commit", "-qam", "Record changes", date="2024-02-01T09:00:00+09:00")

    db = ["--db", db_url]
    args = [
        "watch",
        "import-git",
        "한빛마켓",
        str(repo),
        "Hanbit Market/Privacy Policy.md",
    ]
    code, out, _ = run([*args, *db], capsys)
    assert code == 0
    # the rename commit has the same text as the first: no version of its own
    assert [line.split(":")[0] for line in out.splitlines()] == [
        "new version",
        "unchanged",
        "new version",
    ]
    code, out, _ = run([*args, *db], capsys)
    assert [line.split(":")[0] for line in out.splitlines()] == ["unchanged"] * 3
    code, out, _ = run(["watch", "history", "한빛마켓", *db], capsys)
    assert [line.split("\t")[1:3] for line in out.splitlines()] == [
        ["v1", "2023-03-01 00:00"],  # 09:00 in Seoul, stored in UTC
        ["v2", "2024-02-01 00:00"],
    ]
    code, out, _ = run(["watch", "diff", "한빛마켓", *db], capsys)
    assert "clauses: 1 added, 0 removed, 0 changed, 0 moved" in out
    assert "kr-pipa.15.retention_vague" in out

    code, _, err = run(["watch", "import-git", "X", str(repo), "Nope.md", *db], capsys)
    assert_one_line_error(code, err, "no commit of")
    code, _, err = run(["watch", "import-git", "X", str(tmp_path), "a.md", *db], capsys)
    assert_one_line_error(code, err, "git could not read")


def test_a_watcher_killed_mid_cycle_loses_nothing_and_resumes(
    db_url: str, server: LocalServer, tmp_path: Path
) -> None:
    """SIGKILL a real ``privwatch watch run`` while it stores versions: what it
    had committed is intact, and the next run completes the cycle without
    storing anything twice."""
    import hashlib
    import signal
    import subprocess
    import sys
    import time

    def slow(body: str) -> Callable[[BaseHTTPRequestHandler], None]:
        def answer(handler: BaseHTTPRequestHandler) -> None:
            time.sleep(0.1)
            data = body.encode()
            handler.send_response(200)
            handler.send_header("Content-Type", "text/markdown; charset=utf-8")
            handler.send_header("Content-Length", str(len(data)))
            handler.end_headers()
            handler.wfile.write(data)

        return answer

    count = 12
    with Store(db_url) as store:
        store.add_platform("한빛마켓")
        for i in range(count):
            body = POLICY_V1.replace("회원 관리", f"회원 관리(서비스 {i})")
            url = server.add(f"/p{i}.md", Route(handler=slow(body)))
            store.add_document("한빛마켓", "privacy", url, another=True)
        ids = [d.id for d in store.documents()]

        def stored() -> dict[int, str]:
            return {v.id: v.text_sha256 for i in ids for v in store.versions(i)}

        command = [sys.executable, "-m", "privwatch", "watch", "run", "--once"]
        watcher = subprocess.Popen(
            [*command, "--delay", "0", "--db", db_url],
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        deadline = time.monotonic() + 120
        while len(before := stored()) < 3 and time.monotonic() < deadline:
            time.sleep(0.05)
        watcher.send_signal(signal.SIGKILL)
        watcher.wait()
        assert watcher.returncode == -signal.SIGKILL
        before = stored()
        assert 3 <= len(before) < count, "killed too late to test anything"

        after = {i: store.versions(i) for i in ids}
        kept = {v.id: v.text_sha256 for versions in after.values() for v in versions}
        assert kept == before
        for versions in after.values():
            for version in versions:
                text = version.text.encode("utf-8")
                assert hashlib.sha256(text).hexdigest() == version.text_sha256
                assert (
                    version.audit_json and version.document_json["text"] == version.text
                )

        resumed = subprocess.run(
            [*command, "--delay", "0", "--db", db_url], capture_output=True, text=True
        )
        assert resumed.returncode == 0, resumed.stderr
        assert resumed.stdout.count("new version") == count - len(before)
        assert resumed.stdout.count("unchanged") == len(before)
        assert all(len(store.versions(i)) == 1 for i in ids)
        assert {d.status for d in store.documents()} == {"ok"}


@pytest.mark.corpus
def test_aliexpress_privacy_versions_and_their_finding_deltas(
    shared: Path, tmp_path: Path
) -> None:
    """The three AliExpress privacy policies of 2025-2026, imported as one
    history: the 2026-07 version adds a table of representatives whose Korea
    row names the domestic agent, so the 2025 version's missing-agent finding
    is resolved."""
    from privwatch.watch import compare, import_dir

    folder = tmp_path / "aliexpress"
    folder.mkdir()
    for path in (shared / "corpus" / "policies").glob("aliexpress_privacy_en_*.md"):
        (folder / path.name).symlink_to(path)
    with Store(f"sqlite:///{tmp_path / 'ali.db'}") as store:
        store.add_platform("AliExpress", country="SG", foreign=True)
        outcomes = import_dir(store, "AliExpress", "privacy", folder)
        assert [o.result for o in outcomes] == ["new"] * 3
        found = compare(store, "AliExpress", "privacy", 1, 3)
        assert found.title.endswith("v1 2025-12-10 → v3 2026-07-30")
        resolved = {f.rule for f in found.delta.resolved}
        assert "kr-pipa.31-2.domestic_agent_missing" in resolved
        assert "kr-pipa.31-2.domestic_agent_missing" not in {
            f.rule for f in found.delta.new
        }
        keys = [(f.rule, f.evidence) for f in found.delta.new]
        gone = [(f.rule, f.evidence) for f in found.delta.resolved]
        assert not set(keys) & set(gone)
        assert {c.kind for c in found.changes} >= {"added", "changed"}
