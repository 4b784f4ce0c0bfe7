"""The checks of what a platform or a watched document may hold
(``privwatch.fields``), at the store (SQLite and PostgreSQL) and at the CLI
(``watch add``, ``watch import-dir``, ``batch``), and names stored before the
checks printed with their escape codes made visible."""

from __future__ import annotations

from pathlib import Path

import pytest
from sqlalchemy import insert

from privwatch import fields
from privwatch.fields import FieldError
from privwatch.store import Store
from privwatch.store.schema import Platform, WatchedDocument
from tests.test_cli import assert_one_line_error, run

ANSI_NAME = "\x1b[31mRed\x1b[0m Mall"
TZDATA = Path("/usr/share/zoneinfo/iso3166.tab")


def test_the_country_list_is_iso_3166_as_tzdata_has_it() -> None:
    codes = fields.countries()
    assert {"KR", "US", "SG", "CN", "JP", "DE", "GB"} <= codes
    assert not {"ZZ", "UK", "EU", "XX", "AA"} & codes  # UK is GB; EU no country
    if TZDATA.exists():
        listed = {
            line.split("\t")[0]
            for line in TZDATA.read_text("utf-8").splitlines()
            if line and not line.startswith("#")
        }
        assert codes == listed


@pytest.mark.parametrize(
    ("check", "value", "problem"),
    [
        (fields.name, "x" * 5000, "too_long"),
        (fields.name, "   ", "empty"),
        (fields.name, ANSI_NAME, "control"),
        (fields.name, "Shop\u202egnp.exe", "control"),  # a right-to-left override
        (fields.name, "two\nlines", "control"),
        (fields.country, "ZZ", "country"),
        (fields.country, "KOR", "country"),
        (fields.url, "https://example.com/" + "a" * 3000, "too_long"),
        (fields.url, "ftp://example.com/privacy", "url_scheme"),
        (fields.url, "javascript:alert(1)", "url_scheme"),
        (fields.url, "https:///privacy", "url_host"),
        (fields.url, "https://exa mple.com/", "url_spaces"),
        (fields.url, "https://example.com:99999/", "url"),
        (fields.selector, "div >", "selector"),
        (fields.selector, "[[", "selector"),
        (fields.selector, "#a" * 300, "too_long"),
        (fields.language, "korean language", "language"),
        (fields.category, "c" * 101, "too_long"),
        (fields.kind, "blog", "kind"),
    ],
)
def test_refused_values(check: object, value: str, problem: str) -> None:
    with pytest.raises(FieldError) as error:
        check(value)  # type: ignore[operator]
    assert error.value.key == f"valid.{problem}"
    for lang in ("en", "ko"):
        text = error.value.render(lang)
        assert not value.strip() or value.strip() not in text  # never told back
        assert "\x1b" not in text


def test_accepted_values_are_tidied() -> None:
    assert fields.name("  누리쇼핑  ") == "누리쇼핑"
    assert fields.name("x" * fields.NAME_MAX) == "x" * 200
    assert fields.country("kr") == "KR" and fields.country(" ") is None
    assert (
        fields.url("https://쇼핑.example/개인정보") == "https://쇼핑.example/개인정보"
    )
    assert fields.selector("main article.policy > div:nth-child(2)")
    assert fields.language("zh-Hant") == "zh-Hant"
    assert fields.category("") is None


def test_messages_in_korean_name_the_field_in_korean() -> None:
    with pytest.raises(FieldError) as error:
        fields.name("y" * 201)
    assert error.value.render("ko") == "플랫폼 이름: 200자 이하로 입력하세요"
    assert error.value.render("en") == "Platform name: at most 200 characters"


def test_shown_escapes_control_characters() -> None:
    assert fields.shown(ANSI_NAME) == "\\x1b[31mRed\\x1b[0m Mall"
    assert fields.shown("a\u202eb\tc\x9bd") == "a\\u202eb\\x09c\\x9bd"
    assert fields.shown("누리쇼핑 (KR)") == "누리쇼핑 (KR)"


def test_the_store_refuses_what_the_fields_refuse(db_url: str) -> None:
    with Store(db_url) as store:
        refused = [
            lambda: store.add_platform("x" * 5000),
            lambda: store.add_platform(ANSI_NAME),
            lambda: store.add_platform("Shop", country="ZZ"),
            lambda: store.add_platforms([("Shop", "ZZ", False, None)]),
        ]
        for attempt in refused:
            with pytest.raises(FieldError):
                attempt()
        assert store.platforms() == []
        store.add_platform("Shop", country="sg")
        assert store.platforms()[0].country == "SG"
        for attempt in [
            lambda: store.add_document(
                "Shop", "privacy", "https://x.test/" + "p" * 3000
            ),
            lambda: store.add_document("Shop", "privacy", "https://x.test/\x1b[2J"),
            lambda: store.add_document("Shop", "blog", "https://x.test/"),
            lambda: store.add_document(
                "Shop", "privacy", "https://x.test/", selector="div >"
            ),
        ]:
            with pytest.raises(FieldError):
                attempt()
        assert store.documents() == []
        # imports store file: URIs, a batch its sources' paths
        store.add_document("Shop", "privacy", "file:///srv/policies/shop%20v1")
        store.add_documents([("Shop", "terms", "policies/shop terms.md")])
        assert len(store.documents()) == 2


def _write(path: Path, text: str) -> Path:
    path.write_text(text, "utf-8")
    return path


def test_cli_refuses_bad_fields_in_one_line(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    db = ["--db", f"sqlite:///{tmp_path / 'watch.db'}"]
    doc = "documents: [{type: privacy, url: 'https://shop.test/privacy'}]"
    cases = {
        f"platforms: [{{name: '{'n' * 5000}', {doc}}}]": (
            "Platform name: at most 200 characters",
            "플랫폼 이름: 200자 이하로 입력하세요",
        ),
        f"platforms: [{{name: Shop, country: ZZ, {doc}}}]": (
            "Country: not an ISO 3166-1",
            "국가: ISO 3166-1 두 글자 국가 코드가 아닙니다",
        ),
        'platforms: [{name: "\\e[31mRed", ' + doc + "}]": (
            "control characters",
            "제어 문자",
        ),
        "platforms: [{name: Shop, documents: [{type: privacy, url: 'https://s.test/"
        + "u" * 3000
        + "'}]}]": ("Address: at most 2000 characters", "주소: 2000자 이하"),
        "platforms: [{name: Shop, documents: [{type: privacy, url: 'https://s.test/',"
        " selector: 'div >'}]}]": ("CSS selector: not a CSS selector", "CSS 선택자:"),
    }
    for index, (text, (english, korean)) in enumerate(cases.items()):
        path = _write(tmp_path / f"bad{index}.yaml", text + "\n")
        code, _, err = run(["--lang", "en", "watch", "add", str(path), *db], capsys)
        assert_one_line_error(code, err, english)
        code, _, err = run(["--lang", "ko", "watch", "add", str(path), *db], capsys)
        assert_one_line_error(code, err, korean)
        assert "\x1b" not in err and "n" * 300 not in err
    folder = tmp_path / "dated"
    folder.mkdir()
    _write(
        folder / "2024-01-01.md",
        "# 개인정보 처리방침\n\n회사는 개인정보를 처리합니다.\n",
    )
    code, _, err = run(["watch", "import-dir", ANSI_NAME, str(folder), *db], capsys)
    assert_one_line_error(code, err, "control characters")
    with Store(db[1]) as store:
        assert store.platforms() == []


def test_cli_shows_stored_escape_codes_escaped(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """A name stored before the checks (written here past them, in SQL)."""
    url = f"sqlite:///{tmp_path / 'watch.db'}"
    with Store(url) as store, store.session() as session:
        from datetime import datetime

        found = session.execute(
            insert(Platform).values(
                name=ANSI_NAME, foreign=False, created_at=datetime(2024, 1, 1)
            )
        )
        session.execute(
            insert(WatchedDocument).values(
                platform_id=found.inserted_primary_key[0],
                kind="privacy",
                url="https://shop.test/\x1b]0;owned\x07",
                status="failing",
                last_error="refused\x1b[2J",
                render=False,
            )
        )
    code, out, err = run(["watch", "list", "--db", url], capsys)
    assert code == 0 and err == ""
    assert "\x1b" not in out and "\x07" not in out
    assert out.startswith("\\x1b[31mRed\\x1b[0m Mall\tprivacy\tfailing\t")
    assert "\\x1b]0;owned\\x07" in out and out.rstrip().endswith("refused\\x1b[2J")
    code, _, err = run(["watch", "remove", "\x1b[2Jgone", "--db", url], capsys)
    assert_one_line_error(code, err, "no platform named \\x1b[2Jgone")
    # the scorecard's terminal table names the platform escaped too
    folder = tmp_path / "dated"
    folder.mkdir()
    _write(
        folder / "2024-01-01.md", "# 개인정보 처리방침\n\n회사는 이름을 수집합니다.\n"
    )
    code, _, err = run(
        ["watch", "import-dir", ANSI_NAME, str(folder), "--db", url], capsys
    )
    assert code == 0, err
    code, out, err = run(["report", "compare", "--db", url], capsys)
    assert code == 0 and "\x1b" not in out and "\\x1b[31mRed" in out


def test_the_message_catalogue_names_no_key_twice() -> None:
    """YAML keeps the last of two equal keys: a new message must not replace
    one of the same name (``field.country`` is a rule's word)."""
    from collections import Counter

    catalogue = Path(fields.__file__).parent / "data" / "messages.yaml"
    keys = Counter(
        line[:-1]
        for line in catalogue.read_text("utf-8").splitlines()
        if line.endswith(":") and not line.startswith((" ", "#"))
    )
    assert [key for key, count in keys.items() if count > 1] == []


def test_a_batch_manifest_is_checked_before_anything_is_stored(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    _write(tmp_path / "p.md", "# 개인정보 처리방침\n\n회사는 이름을 수집합니다.\n")
    url = f"sqlite:///{tmp_path / 'batch.db'}"
    for platform, english in (
        ("{name: Shop, country: ZZ}", "Country: not an ISO 3166-1"),
        ('{name: "\\e[31mShop"}', "Platform name: control characters"),
    ):
        manifest = _write(
            tmp_path / "manifest.yaml",
            f"platforms:\n  - {platform}\ndocuments:\n  - {{platform: Shop, source: p.md}}\n",
        )
        code, _, err = run(
            ["batch", str(manifest), "--workers", "1", "--db", url], capsys
        )
        assert_one_line_error(code, err, english)
    with Store(url) as store:
        assert store.platforms() == []
