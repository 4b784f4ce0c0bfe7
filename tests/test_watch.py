"""privwatch watch, one cycle at a time, against a loopback server whose documents
change, on SQLite and on PostgreSQL: conditional requests, a version only when the
text changed, and a failing target marked as such without stopping the others."""

from __future__ import annotations

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

        watched = {d.platform.name: d for d in store.documents()}
        assert watched["Broken Shop"].status == "failing"
        assert "404" in (watched["Broken Shop"].last_error or "")
        assert watched["한빛마켓"].status == "ok" and watched["한빛마켓"].etag

        versions = store.versions(watched["한빛마켓"].id)
        assert [v.text.count("제2조") for v in versions] == [0, 1]
        assert versions[1].http_status == 200
        assert versions[1].headers["etag"] == watched["한빛마켓"].etag
        assert versions[1].document_json["sha256"] == versions[1].text_sha256
        rules = {f["rule"] for f in versions[1].audit_json["findings"]}
        assert "kr-pipa.15.retention_vague" in rules  # "필요한 기간" in version 2


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
    code, out, _ = run(["watch", "run", "--once", *db], capsys)
    assert code == 0
    assert f"new version: 한빛마켓 privacy {policy_url}" in out
    assert "failed: Broken Shop" in out and "404" in out
    code, out, _ = run(["watch", "list", *db], capsys)
    assert "한빛마켓\tprivacy\tok" in out and "Broken Shop\tprivacy\tfailing" in out
    code, out, _ = run(["--lang", "ko", "watch", "run", "--once", *db], capsys)
    assert "변경 없음: 한빛마켓" in out
    code, out, _ = run(["watch", "history", "한빛마켓", *db], capsys)
    assert code == 0 and out.count("\n") == 1 and "medium=" in out
    code, _, _ = run(["watch", "remove", "Broken Shop", *db], capsys)
    assert code == 0

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
    assert "1 clauses added, 0 removed, 1 changed" in out
    assert "[-관리를][+관리와 <script>alert(1)</script> 배송을]" in out
    assert "New findings: " in out and "kr-pipa.15.retention_vague" in out
    code, out, _ = run(
        ["--lang", "ko", "watch", "diff", "한빛마켓", "-f", "html", *db], capsys
    )
    assert "<ins>" in out and "&lt;script&gt;" in out and "<script>" not in out
    assert "새 발견 사항" in out
    code, _, err = run(["watch", "diff", "한빛마켓", "--from", "999", *db], capsys)
    assert_one_line_error(code, err, "no stored version #999")


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
    assert "1 clauses added, 0 removed, 0 changed" in out
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
