"""One document per (platform, kind), imports that say what the platform is,
and one set of numbers: the platform list, the timeline, the findings page and
the scorecard count the same findings, also after a platform's flag changes
(issue 20, "Numbers that disagree"). Real policy texts (Naver, ../shared), real
SQLite and PostgreSQL stores."""

from __future__ import annotations

import re
import shutil
from collections import Counter
from pathlib import Path

import pytest

from privwatch.store import Store
from privwatch.store.findings import FindingFilter, finding_page
from privwatch.store.platforms import platform_rows, platform_view
from privwatch.store.records import decode_audit
from tests.test_cli import assert_one_line_error, run

#: two Naver versions (a real history in ../shared)
DAYS = ("2019-08-28", "2019-11-01")
WEB = "https://policy.naver.com/policy/privacy.html"


@pytest.fixture
def naver(shared: Path, tmp_path: Path) -> Path:
    folder = tmp_path / "naver"
    folder.mkdir()
    for day in DAYS:
        source = shared / "corpus" / "history" / "naver_privacy_ko" / f"{day}.md"
        shutil.copy(source, folder / f"{day}.md")
    return folder


def _numbers(store: Store, name: str) -> dict[str, object]:
    """What each page shows of the platform's findings: the list's counts by
    severity, the timeline's latest version, the findings page filtered to
    the platform's latest versions, and the scorecard's unmet and review
    requirements (rule and severity of each finding it shows)."""
    from privwatch.evaluate.scorecard import build_scorecard

    (row,) = [r for r in platform_rows(store) if r.name == name]
    view = platform_view(store, row.id)
    assert view is not None
    (document,) = [d for d in view.documents if d.kind == "privacy"]
    timeline = dict(document.versions[-1].counts)
    page = finding_page(store, FindingFilter(platform=row.id, latest=True), 1, 1000)
    listed = Counter(r.severity for r in page.rows)
    stored = store.findings(document.versions[-1].id)
    (card,) = [c for c in build_scorecard(store).platforms if c.name == name]
    unmet = Counter(
        (result.rule, finding.severity)
        for result in card.results
        if result.status == "unmet"
        for finding in result.findings
    )
    certain = Counter((f.rule, f.severity) for f in stored if f.certainty != "review")
    review_rules = {f.rule for f in stored} - {rule for rule, _ in certain}
    return {
        "list": dict(row.counts),
        "timeline": timeline,
        "findings": {s: listed.get(s, 0) for s in row.counts},
        "scorecard_unmet": unmet,
        "stored_certain": certain,
        "scorecard_review": {r.rule for r in card.results if r.status == "review"},
        "stored_review": review_rules,
        "notes": [n.code for n in card.notes],
    }


def _agree(numbers: dict[str, object]) -> None:
    assert numbers["list"] == numbers["timeline"] == numbers["findings"]
    assert numbers["scorecard_unmet"] == numbers["stored_certain"]
    assert numbers["scorecard_review"] == numbers["stored_review"]
    assert "context_changed" not in numbers["notes"]  # type: ignore[operator]


def test_numbers_agree_when_the_platforms_flag_changes(
    db_url: str, naver: Path
) -> None:
    from privwatch.watch import import_dir

    with Store(db_url) as store:
        import_dir(store, "Naver", "privacy", naver)
        domestic = _numbers(store, "Naver")
        _agree(domestic)
        store.add_platform("Naver", foreign=True)  # the record changes
        foreign = _numbers(store, "Naver")
        _agree(foreign)
        # a foreign business must name a domestic agent (art. 31-2): Naver's
        # policy names none
        assert foreign["list"] != domestic["list"]
        # (a review item: whether it meets art. 31-2's thresholds is a person's
        # question), so the stored findings changed, on every page
        assert foreign["stored_review"] - domestic["stored_review"] == {  # type: ignore[operator]
            "kr-pipa.31-2.domestic_agent_missing"
        }
        # every stored audit was evaluated again, not only the latest
        (document,) = store.documents("Naver")
        for version in store.versions(document.id):
            audit = decode_audit(version.audit_json)
            assert audit is not None and dict(audit.context)["foreign"] is True
            assert sorted(f.rule for f in audit.findings) == sorted(
                f.rule for f in store.findings(version.id)
            )
        # the country alone, and blank fields, keep the flag; back to domestic
        store.add_platform("Naver", country="KR")
        assert _numbers(store, "Naver")["list"] == foreign["list"]
        store.add_platform("Naver", foreign=False)
        back = _numbers(store, "Naver")
        _agree(back)
        assert back["list"] == domestic["list"]
        assert back["stored_certain"] == domestic["stored_certain"]
        (platform,) = store.platforms()
        assert (platform.country, platform.foreign) == ("KR", False)


def test_import_dir_then_add_keeps_one_document(
    db_url: str, naver: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    db = ["--db", db_url]
    code, _, err = run(["watch", "import-dir", "Naver", str(naver), *db], capsys)
    assert code == 0, err
    with Store(db_url) as store:
        (imported,) = store.documents("Naver")
        before = _numbers(store, "Naver")
    targets = tmp_path / "targets.yaml"
    targets.write_text(
        "platforms:\n  - name: Naver\n    country: KR\n"
        f"    documents: [{{type: privacy, url: '{WEB}'}}]\n"
    )
    code, _, err = run(["watch", "add", str(targets), *db], capsys)
    assert code == 0, err
    with Store(db_url) as store:
        (document,) = store.documents("Naver")  # the history, now watched
        assert (document.id, document.url) == (imported.id, WEB)
        assert len(store.versions(document.id)) == len(DAYS)
        after = _numbers(store, "Naver")
        _agree(after)
        assert after["list"] == before["list"]  # not added up across two
        (row,) = platform_rows(store)
        assert row.documents == 1
    # adding it again changes nothing; another address is refused, naming it
    assert run(["watch", "add", str(targets), *db], capsys)[0] == 0
    other = tmp_path / "other.yaml"
    other.write_text(
        "platforms:\n  - name: Naver\n    foreign: true\n"
        "    documents: [{type: privacy, url: 'https://naver.example/p'}]\n"
    )
    code, _, err = run(["watch", "add", str(other), *db], capsys)
    assert_one_line_error(code, err, f"already has a privacy document: {imported.id}")
    assert WEB in err
    with Store(db_url) as store:
        assert len(store.documents("Naver")) == 1
        assert store.platforms()[0].foreign is False  # refused as a whole
    # the import, run again, goes into the watched document
    code, _, err = run(["watch", "import-dir", "Naver", str(naver), *db], capsys)
    assert code == 0, err
    with Store(db_url) as store:
        assert [d.id for d in store.documents("Naver")] == [imported.id]


def test_a_second_document_only_when_asked_and_duplicates_are_reported(
    db_url: str, naver: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    from privwatch.watch import import_dir

    with Store(db_url) as store:
        import_dir(store, "Naver", "privacy", naver)
        one = _numbers(store, "Naver")["list"]
        # a store from before the rule: a second document with the same text
        second = store.add_document(
            "Naver", "privacy", "https://naver.example/p", another=True
        )
        import_dir(store, "Naver", "privacy", naver, document=second.id)
        assert len(store.documents("Naver")) == 2
        (row,) = platform_rows(store)
        assert dict(row.counts) == one  # counted once, as the scorecard scores
        page = finding_page(store, FindingFilter(platform=row.id, latest=True), 1)
        assert page.total == sum(one.values())  # type: ignore[attr-defined]
    db = ["--db", db_url]
    code, out, err = run(["watch", "list", *db], capsys)
    assert code == 0 and len(out.splitlines()) == 2  # both kept
    assert "Naver has 2 privacy documents" in err
    # with two, an import must be told which one
    code, _, err = run(["watch", "import-dir", "Naver", str(naver), *db], capsys)
    assert_one_line_error(code, err, "--document")
    code, _, err = run(
        ["watch", "import-dir", "Other", str(naver), "--document", "1", *db], capsys
    )
    assert_one_line_error(code, err, "belongs to Naver")


def test_import_dir_foreign_and_country_set_the_platform(
    db_url: str, naver: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    db = ["--db", db_url]
    argv = ["watch", "import-dir", "Naver", str(naver), "--foreign", "--country"]
    code, _, err = run([*argv, "kr", "--url", WEB, *db], capsys)
    assert code == 0, err
    with Store(db_url) as store:
        (platform,) = store.platforms()
        assert (platform.country, platform.foreign) == ("KR", True)
        (document,) = store.documents("Naver")
        assert document.url == WEB
        for version in store.versions(document.id):
            audit = decode_audit(version.audit_json)
            assert audit is not None and dict(audit.context)["foreign"] is True
        foreign = _numbers(store, "Naver")
        _agree(foreign)
    # --domestic on a later import re-evaluates what was stored
    code, _, err = run(
        ["watch", "import-dir", "Naver", str(naver), "--domestic", *db], capsys
    )
    assert code == 0, err
    with Store(db_url) as store:
        (platform,) = store.platforms()
        assert (platform.country, platform.foreign) == ("KR", False)
        domestic = _numbers(store, "Naver")
        _agree(domestic)
        assert domestic["list"] != foreign["list"]
    code, _, err = run([*argv, "Korea", *db], capsys)
    assert code == 2 and "not a country code: Korea" in err


def test_blank_fields_keep_the_stored_values_in_the_store(db_url: str) -> None:
    with Store(db_url) as store:
        store.add_platform("A", country="SG", foreign=True, category="shop")
        store.add_document("A", "privacy", "https://a.example/p", selector="#p")
        store.add_platform("A")
        store.add_document("A", "privacy", "https://a.example/p", render=None)
        (platform,) = store.platforms()
        assert (platform.country, platform.foreign, platform.category) == (
            "SG",
            True,
            "shop",
        )
        (document,) = store.documents("A")
        assert (document.selector, document.render) == ("#p", False)
        store.add_document("A", "privacy", "https://a.example/p", render=True)
        assert store.documents("A")[0].render is True


def test_a_history_imported_into_a_watched_document_is_not_its_latest(
    db_url: str, naver: Path, tmp_path: Path
) -> None:
    """Watched first (the newer text), its past imported after: the older
    versions are numbered after it, and the newest by date stays the latest on
    every page."""
    from privwatch.evaluate.scorecard import build_scorecard
    from privwatch.watch import import_dir

    newer, older = tmp_path / "newer", tmp_path / "older"
    for folder, day in ((newer, DAYS[1]), (older, DAYS[0])):
        folder.mkdir()
        shutil.copy(naver / f"{day}.md", folder / f"{day}.md")
    with Store(db_url) as store:
        import_dir(store, "Naver", "privacy", newer, url=WEB)
        (outcome,) = import_dir(store, "Naver", "privacy", older)
        assert outcome.result == "new" and outcome.version == 2
        (document,) = store.documents("Naver")
        latest = store.latest(document.id)
        assert latest is not None and latest.number == 1
        assert latest.fetched_at.strftime("%Y-%m-%d") == DAYS[1]
        numbers = _numbers(store, "Naver")
        _agree(numbers)
        counts = Counter(f.severity for f in store.findings(latest.id))
        assert numbers["list"] == {s: counts.get(s, 0) for s in numbers["list"]}  # type: ignore[attr-defined]
        (card,) = build_scorecard(store).platforms
        assert card.version == 1
        # importing it again stores nothing
        (again,) = import_dir(store, "Naver", "privacy", older)
        assert again.result == "unchanged"


def test_import_git_takes_the_platforms_record_and_attaches(
    db_url: str, naver: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    from tests.test_watch import _git

    repo = tmp_path / "versions"
    (repo / "Naver").mkdir(parents=True)
    _git(repo, "init", "-q", "-b", "main")
    for day in DAYS:
        shutil.copy(naver / f"{day}.md", repo / "Naver" / "Privacy Policy.md")
        _git(repo, "add", "-A")
        _git(repo, "commit", "-qm", day, date=f"{day}T09:00:00+09:00")
    db = ["--db", db_url]
    args = ["watch", "import-git", "Naver", str(repo), "Naver/Privacy Policy.md"]
    code, _, err = run(
        [*args, "--foreign", "--country", "KR", "--url", WEB, *db], capsys
    )
    assert code == 0, err
    with Store(db_url) as store:
        (platform,) = store.platforms()
        assert (platform.country, platform.foreign) == ("KR", True)
        (document,) = store.documents("Naver")
        assert document.url == WEB and len(store.versions(document.id)) == 2
        _agree(_numbers(store, "Naver"))
    # the same history as dated files goes into the same document
    code, out, err = run(["watch", "import-dir", "Naver", str(naver), *db], capsys)
    assert code == 0, err
    assert out.count("unchanged") == len(DAYS)
    with Store(db_url) as store:
        assert [d.id for d in store.documents("Naver")] == [document.id]
        assert store.platforms()[0].foreign is True  # not given: kept


_BADGE = re.compile(r'class="badge sev-(high|medium|low)[^"]*"[^>]*>[^<]*?(\d+)</span>')


def _badges(html: str) -> list[dict[str, int]]:
    """Each run of high, medium, low badges in a page, as counts."""
    found = [(s, int(n)) for s, n in _BADGE.findall(html)]
    return [dict(found[i : i + 3]) for i in range(0, len(found), 3)]


def test_the_dashboards_pages_agree_after_the_form_makes_a_platform_foreign(
    db_url: str, naver: Path
) -> None:
    """Through the real dashboard: the form (prefilled) makes Naver foreign
    with every other field blank; the platform list, the timeline's latest
    version and the findings API then count what the scorecard scores."""
    from privwatch.evaluate.scorecard import build_scorecard
    from privwatch.watch import import_dir
    from tests.test_web import csrf_of, dashboard, signed_in_client

    with dashboard(db_url) as (store, base, _), signed_in_client(base) as client:
        import_dir(store, "Naver", "privacy", naver, country="KR")
        (platform,) = store.platforms()
        before = _numbers(store, "Naver")
        form = client.get(f"/targets/new?platform={platform.id}").text
        assert 'value="KR"' in form and '<option value="0" selected>' in form
        added = client.post(
            "/targets",
            data={
                "csrf_token": csrf_of(form),
                "name": "Naver",
                "foreign": "1",
                "type": "privacy",
                "url": "",
                "country": "",
            },
        )
        assert added.status_code == 303, added.text
        after = _numbers(store, "Naver")
        _agree(after)
        assert after["list"] != before["list"]
        listed = _badges(client.get("/platforms").text)
        assert listed == [after["list"]]
        timeline = _badges(client.get(f"/platforms/{platform.id}").text)
        assert timeline[0] == after["list"]  # the newest version first
        api = client.get(
            "/api/findings", params={"platform": platform.id, "latest": "1"}
        ).json()
        counts = Counter(f["severity"] for f in api["findings"])
        assert {s: counts.get(s, 0) for s in after["list"]} == after["list"]  # type: ignore[attr-defined]
        (card,) = build_scorecard(store).platforms
        assert card.foreign and card.country == "KR" and not card.notes


def test_the_platform_page_reports_two_documents_of_a_kind(db_url: str) -> None:
    from tests.test_web import dashboard, signed_in_client

    with dashboard(db_url) as (store, base, _), signed_in_client(base) as client:
        store.add_platform("Old")
        store.add_document("Old", "privacy", "https://old.example/a")
        store.add_document("Old", "privacy", "https://old.example/b", another=True)
        store.add_document("Old", "terms", "https://old.example/t")
        (platform,) = store.platforms()
        page = client.get(f"/platforms/{platform.id}")
        assert page.text.count('role="note"') == 1
        assert "This platform has 2 Privacy policy documents" in page.text
        korean = client.get(
            f"/platforms/{platform.id}", headers={"Accept-Language": "ko-KR"}
        )
        assert "개인정보 처리방침 문서가 2개 있습니다" in korean.text


def test_watch_reevaluate_brings_audits_of_an_older_pack_to_the_scorecards(
    db_url: str, naver: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """An audit stored by an older privwatch (another pack version, one
    finding fewer): the scorecard measures it with today's pack, the list
    counts the stored rows, until ``watch reevaluate`` evaluates it again."""
    from sqlalchemy import delete, select

    from privwatch.store import schema as orm
    from privwatch.watch import import_dir

    with Store(db_url) as store:
        import_dir(store, "Naver", "privacy", naver)
        today = _numbers(store, "Naver")
        with store.session() as session:
            for version in session.scalars(select(orm.Version)):
                audit = dict(version.audit_json or {})
                audit["packs"] = [{"pack": "kr-pipa", "version": "0.1"}]
                dropped = audit["findings"][0]
                audit["findings"] = audit["findings"][1:]
                version.audit_json = audit
                first = session.scalar(
                    select(orm.StoredFinding.id)
                    .where(
                        orm.StoredFinding.version_id == version.id,
                        orm.StoredFinding.rule == dropped["rule"],
                    )
                    .order_by(orm.StoredFinding.id)
                    .limit(1)
                )
                session.execute(
                    delete(orm.StoredFinding).where(orm.StoredFinding.id == first)
                )
        older = _numbers(store, "Naver")
        assert "pack_changed" in older["notes"]  # type: ignore[operator]
        assert older["list"] != today["list"]
    code, out, err = run(["watch", "reevaluate", "--db", db_url], capsys)
    assert code == 0, err
    assert out.strip() == f"{len(DAYS)} stored versions have new findings"
    with Store(db_url) as store:
        again = _numbers(store, "Naver")
        _agree(again)
        assert again["list"] == today["list"] and again["notes"] == []
    code, _, err = run(["watch", "reevaluate", "Nobody", "--db", db_url], capsys)
    assert_one_line_error(code, err, "no platform named Nobody")
