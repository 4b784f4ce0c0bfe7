"""The store on SQLite and on a real PostgreSQL server (.ci/postgres starts one and
sets PRIVWATCH_TEST_POSTGRES): migrations, platforms, documents, versions, and two
writers storing the same version at once."""

from __future__ import annotations

import dataclasses
import multiprocessing
from datetime import datetime
from pathlib import Path

import pytest
from sqlalchemy import create_engine, inspect

from privwatch.errors import PrivwatchError
from privwatch.store import NewVersion, Store, upgrade
from privwatch.store.records import AuditRecord


def _version(text_value: str, when: datetime) -> NewVersion:
    return NewVersion(
        fetched_at=when,
        url="https://platform.test/privacy",
        http_status=200,
        headers={"etag": '"v1"', "content-type": "text/html"},
        raw_sha256="0" * 64,
        text_sha256=text_value.encode().hex()[:64].ljust(64, "0"),
        text=text_value,
        document_json={"title": "개인정보 처리방침", "clauses": []},
    )


def test_migrations_create_the_schema_once(db_url: str) -> None:
    Store(db_url).close()
    with Store(db_url) as store:  # at head already: nothing to do
        tables = set(inspect(store.engine).get_table_names())
    assert {"platforms", "documents", "versions", "alembic_version"} <= tables


def test_migrations_run_only_when_the_store_is_behind(
    db_url: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Opening a store at the latest revision migrates nothing; a store brought
    to an earlier revision is upgraded when opened, and ``upgrade`` does it too."""
    from alembic import command

    from privwatch.store import migrate

    upgrade(db_url)  # a new store: the whole schema
    upgrades: list[object] = []
    real = migrate.upgrade
    monkeypatch.setattr(
        migrate, "upgrade", lambda engine: (upgrades.append(engine), real(engine))
    )
    Store(db_url).close()
    assert upgrades == []
    with Store(db_url) as store, store.engine.begin() as connection:
        config = migrate.config()
        config.attributes["connection"] = connection
        command.downgrade(config, "0003")
    with Store(db_url) as store:
        assert len(upgrades) == 1
        assert "certainty" in {
            c["name"] for c in inspect(store.engine).get_columns("findings")
        }
    upgrade(db_url)  # at the latest already: nothing to do
    with Store(db_url) as store:
        assert migrate.revision(store.engine) == migrate.head()


def test_db_upgrade_command_migrates_a_store_behind(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """``privwatch db upgrade`` brings a store stepped back to 0003 to the
    latest revision, says so without the password, and runs again harmlessly."""
    from alembic import command

    from privwatch.store import migrate
    from tests.test_cli import run

    url = f"sqlite:///{tmp_path / 'old.db'}"
    with Store(url) as store, store.engine.begin() as connection:
        config = migrate.config()
        config.attributes["connection"] = connection
        command.downgrade(config, "0003")
    engine = create_engine(url)
    assert migrate.revision(engine) == "0003"
    for _ in range(2):
        code, out, err = run(["db", "upgrade", "--db", url], capsys)
        assert (code, err) == (0, "")
        assert out.strip() == f"The store is up to date: {url}"
    assert migrate.revision(engine) == migrate.head()
    engine.dispose()
    code, out, err = run(["db", "upgrade", "--db", str(tmp_path / "plain.db")], capsys)
    assert code == 0 and (tmp_path / "plain.db").is_file()  # a path is a SQLite file
    code, out, err = run(["--lang", "ko", "db", "upgrade", "--db", "mysql://x"], capsys)
    assert code == 2 and "Traceback" not in err and len(err.strip().splitlines()) == 1
    assert "mysql은(는) 지원하지 않습니다" in err


def test_the_migrations_match_the_tables_in_code(db_url: str) -> None:
    """Alembic's comparison of the migrated database with ``store.schema`` finds
    nothing to add, drop or alter."""
    from alembic.autogenerate import compare_metadata
    from alembic.migration import MigrationContext

    from privwatch.store.schema import Base

    with Store(db_url) as store, store.engine.connect() as connection:
        context = MigrationContext.configure(
            connection, opts={"compare_type": True, "compare_server_default": False}
        )
        assert compare_metadata(context, Base.metadata) == []


def test_platforms_documents_and_versions(db_url: str) -> None:
    with Store(db_url) as store:
        _platforms_documents_and_versions(store)


def _platforms_documents_and_versions(store: Store) -> None:
    store.add_platform("AliExpress", country="HK", foreign=True, category="marketplace")
    store.add_platform("한빛마켓", country="KR")
    store.add_platform("AliExpress", country="SG", foreign=True)  # an update
    assert [(p.name, p.country) for p in store.platforms()] == [
        ("AliExpress", "SG"),
        ("한빛마켓", "KR"),
    ]
    document = store.add_document(
        "AliExpress", "privacy", "https://platform.test/privacy"
    )
    again = store.add_document("AliExpress", "privacy", "https://platform.test/privacy")
    assert again.id == document.id
    store.add_document(
        "AliExpress", "terms", "https://platform.test/terms", language="en"
    )
    assert [d.kind for d in store.documents("AliExpress")] == ["privacy", "terms"]

    first, created = store.record_version(
        document.id, _version("첫 판", datetime(2026, 1, 1))
    )
    assert created
    same, created = store.record_version(
        document.id, _version("첫 판", datetime(2026, 2, 1))
    )
    assert not created and same.id == first.id
    audited = _version("둘째 판", datetime(2026, 3, 1))
    audit = {
        "schema": "privwatch.audit/1",  # as stored before records: read as such
        "findings": [
            {
                "rule": "kr-pipa.28-8.country_not_specified",
                "severity": "high",
                "law": "PIPA",
                "article": "28-8(2)",
                "title": "Destination country not specified",
                "evidence": [
                    {"start": 4, "end": 9, "text": "해외 이전", "clause": "c2"}
                ],
            },
            {
                "rule": "kr-pipa.31.officer_missing",
                "severity": "high",
                "law": "PIPA",
                "article": "31",
                "title": "No privacy officer",
                "evidence": [],
            },
        ],
    }
    second, _ = store.record_version(
        document.id, dataclasses.replace(audited, audit=AuditRecord.from_dict(audit))
    )
    rows = store.findings(second.id)
    assert [(r.rule, r.quote, r.start) for r in rows] == [
        ("kr-pipa.28-8.country_not_specified", "해외 이전", 4),
        ("kr-pipa.31.officer_missing", None, None),
    ]
    assert store.findings(first.id) == []
    scan = store.add_scan("AliExpress", "visit.har", "a" * 64, {"flows": []})
    assert [s.id for s in store.scans("AliExpress")] == [scan.id]
    versions = store.versions(document.id)
    assert [v.text for v in versions] == ["첫 판", "둘째 판"]
    assert versions[0].headers["etag"] == '"v1"'
    assert versions[0].document_json["title"] == "개인정보 처리방침"

    with pytest.raises(PrivwatchError) as error:
        store.add_document("Nobody", "privacy", "https://nobody.test/")
    assert error.value.key == "store.no_platform"
    assert store.remove_platform("AliExpress")
    assert not store.remove_platform("AliExpress")
    assert store.versions(document.id) == [] and store.findings(second.id) == []
    with pytest.raises(PrivwatchError):
        store.scans("AliExpress")
    assert [p.name for p in store.platforms()] == ["한빛마켓"]


def test_platforms_and_documents_in_one_transaction(db_url: str) -> None:
    """``add_platforms`` and ``add_documents`` (a batch's plan) leave the store
    as ``add_platform`` and ``add_document`` one by one do, ids in order."""

    def _fields(store: Store) -> list[tuple[object, ...]]:
        return [
            (d.id, d.platform.name, d.platform.country, d.platform.foreign)
            + (d.kind, d.url, d.selector, d.language, d.render, d.status)
            for d in store.documents()
        ]

    platforms = [("A", "KR", False, None), ("B", None, True, "shop")]
    platforms.append(("A", "SG", True, "market"))  # an update, as add_platform
    items = [("A", "privacy", "a.md"), ("B", "terms", "b.md"), ("A", "terms", "c")]
    items.append(("A", "privacy", "a.md"))  # the same document again
    with Store(db_url) as one:
        for name, country, foreign, category in platforms:
            one.add_platform(name, country=country, foreign=foreign, category=category)
        one.add_document("B", "terms", "b.md", selector="main", language="ko")
        ids = [one.add_document(*item).id for item in items]
        expected = _fields(one)
    bulk_url = db_url.replace("store.db", "bulk.db")
    if bulk_url == db_url:  # PostgreSQL: a second store in the same database
        with Store(db_url) as one:
            for name in ("A", "B"):
                one.remove_platform(name)
        bulk_url = db_url
    with Store(bulk_url) as bulk:
        bulk.add_platforms(platforms)
        bulk.add_document("B", "terms", "b.md", selector="main", language="ko")
        added = bulk.add_documents(items)
        offset = added[0].id - ids[0]
        assert [d.id - offset for d in added] == ids
        assert [(f[0] - offset, *f[1:]) for f in _fields(bulk)] == expected
        assert bulk.add_documents(items) == added  # a rerun adds nothing
        with pytest.raises(PrivwatchError) as error:
            bulk.add_documents([("A", "privacy", "new.md"), ("Nobody", "privacy", "x")])
        assert error.value.key == "store.no_platform"
        assert len(bulk.documents()) == 3  # nothing of the failed call was kept


def _store_once(url: str, document_id: int) -> bool:
    with Store(url) as store:
        return store.record_version(
            document_id, _version("같은 판", datetime(2026, 5, 1))
        )[1]


def test_the_store_hands_out_frozen_copies_not_rows(db_url: str) -> None:
    with Store(db_url) as store:
        store.add_platform("Orbit", country="KR")
        document = store.add_document("Orbit", "privacy", "https://platform.test/p")
        version, _ = store.record_version(
            document.id, _version("본문", datetime(2026, 1, 1))
        )
        (listed,) = store.documents()
        assert listed.platform.name == "Orbit" and document.platform.country == "KR"
        for value in (store.platforms()[0], listed, version, store.latest(document.id)):
            with pytest.raises(dataclasses.FrozenInstanceError):
                value.id = 0  # type: ignore[misc, union-attr]


def test_two_writers_store_one_version(db_url: str) -> None:
    with Store(db_url) as store:
        store.add_platform("Temu", country="IE", foreign=True)
        document = store.add_document("Temu", "privacy", "https://platform.test/temu")
        with multiprocessing.get_context("spawn").Pool(4) as pool:
            created = pool.starmap(_store_once, [(db_url, document.id)] * 8)
        assert sorted(created) == [False] * 7 + [True]
        assert len(store.versions(document.id)) == 1


def test_an_unreachable_database_is_one_clear_error() -> None:
    with pytest.raises(PrivwatchError) as error:
        Store("postgresql://privwatch:secret-password@127.0.0.1:1/none")
    message = error.value.render()
    assert "cannot open the database" in message and "secret-password" not in message
    assert "\n" not in message


def test_several_scans_are_stored_all_or_none(db_url: str) -> None:
    from sqlalchemy.exc import StatementError

    with Store(db_url) as store:
        store.add_platform("하늘상점", country="KR")
        runs = [
            (f"session.{run}.har", run[0] * 64, {"flows": [], "record": {"run": run}})
            for run in ("none", "reject", "accept")
        ]
        store.add_scans("하늘상점", runs)
        scans = store.scans("하늘상점")
        assert [(s.source, s.result["record"]["run"]) for s in scans] == [
            ("session.none.har", "none"),
            ("session.reject.har", "reject"),
            ("session.accept.har", "accept"),
        ]
        broken = [runs[0], ("x.har", "b" * 64, {"flows": {1, 2}})]  # not JSON
        with pytest.raises((StatementError, TypeError)):  # SQLite, PostgreSQL
            store.add_scans("하늘상점", broken)
        assert len(store.scans("하늘상점")) == 3  # the first one not kept either
