"""Every user-facing message exists in English and Korean with the same fields."""

from __future__ import annotations

import re
import string
from pathlib import Path

import privwatch
from privwatch.i18n import _catalog, default_language, message

SOURCE = Path(privwatch.__file__).parent


def fields(template: str) -> set[str]:
    return {name for _, name, _, _ in string.Formatter().parse(template) if name}


def test_each_message_has_both_languages_with_the_same_fields() -> None:
    for key, entry in _catalog().items():
        assert set(entry) == {"en", "ko"}, key
        assert fields(entry["en"]) == fields(entry["ko"]), key
        assert re.search("[가-힣]", entry["ko"]), key


def test_every_key_used_in_the_code_exists() -> None:
    used: set[str] = set()
    for path in SOURCE.rglob("*.py"):
        code = path.read_text("utf-8")
        used |= set(re.findall(r"""Error\(\s*["']([a-z_]+\.[a-z_.]+)["']""", code))
        used |= set(
            re.findall(r"""message\(\s*["']([a-z_]+(?:\.[a-z_.]+)?)["']""", code)
        )
    assert used, "no message keys found: the pattern is stale"
    assert used <= set(_catalog()), used - set(_catalog())


def test_language_follows_the_environment(monkeypatch) -> None:
    for var in ("PRIVWATCH_LANG", "LC_ALL", "LC_MESSAGES", "LANG"):
        monkeypatch.delenv(var, raising=False)
    assert default_language() == "en"
    monkeypatch.setenv("LANG", "ko_KR.UTF-8")
    assert default_language() == "ko"
    monkeypatch.setenv("PRIVWATCH_LANG", "en")
    assert default_language() == "en"
    assert message("input.not_found", "ko", path="a.html") == "파일이 없습니다: a.html"


def test_english_counts_one_in_the_singular() -> None:
    """'1 finding', '1 entry', never '1 findings'; other counts and other
    words after a field unchanged; Korean untouched."""
    from privwatch.i18n import message

    one = message("audit.summary", "en", total=1, high=1, medium=0, low=0)
    assert one == "1 finding: 1 high, 0 medium, 0 low"
    two = message("audit.summary", "en", total=2, high=1, medium=1, low=0)
    assert two.startswith("2 findings: ")
    removed = message(
        "watch.removed",
        "en",
        platform="Naver",
        documents=1,
        versions=2,
        scans=0,
        evaluations=1,
    )
    assert removed == "removed Naver: 1 document, 2 versions, 0 scans, 1 evaluation"
    assert message("audit.summary", "ko", total=1, high=1, medium=0, low=0).startswith(
        "발견 사항 1건"
    )
