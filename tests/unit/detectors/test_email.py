"""Email addresses: cut at the characters around them; asset names and near
misses left alone."""

from __future__ import annotations

import pytest

from privwatch.detectors import EmailDetector, Validation
from tests.unit.detectors.numbers import found, score_of

UNCHECKED = Validation.UNCHECKED


@pytest.fixture(scope="module")
def detector() -> EmailDetector:
    return EmailDetector()


def one(value: str) -> list[tuple[str, Validation]]:
    return [(value, UNCHECKED)]


@pytest.mark.parametrize(
    "text, expected",
    [
        pytest.param(
            "kim.haneul@example.com", one("kim.haneul@example.com"), id="plain"
        ),
        pytest.param(
            "a.b+tag@mail.example.co.kr",
            one("a.b+tag@mail.example.co.kr"),
            id="tag, subdomains",
        ),
        pytest.param(
            "mailto:Kim_H@Example.ORG", one("Kim_H@Example.ORG"), id="mailto, case kept"
        ),
        pytest.param(
            "email=kim@example.com&agree=1", one("kim@example.com"), id="query"
        ),
        pytest.param("<kim@example.com>", one("kim@example.com"), id="angle brackets"),
        pytest.param(
            "uid=abc|john.doe@example.com|x",
            one("john.doe@example.com"),
            id="cut inside a longer token",
        ),
        pytest.param(
            "이메일:hong@example.co.kr입니다",
            one("hong@example.co.kr"),
            id="hangul around",
        ),
        pytest.param(
            "홍길동hong@example.com", one("hong@example.com"), id="hangul glued before"
        ),
        pytest.param(
            "write to kim@example.com.", one("kim@example.com"), id="sentence full stop"
        ),
        pytest.param(
            ".kim@example.com", one("kim@example.com"), id="leading dot dropped"
        ),
        pytest.param("x@ex-ample.io", one("x@ex-ample.io"), id="hyphen in domain"),
        pytest.param(
            "a@example.com,b@example.org",
            [("a@example.com", UNCHECKED), ("b@example.org", UNCHECKED)],
            id="two",
        ),
    ],
)
def test_finds(detector: EmailDetector, text: str, expected: list[object]) -> None:
    assert found(detector, text) == expected


@pytest.mark.parametrize(
    "text",
    [
        pytest.param("icon@2x.png", id="retina asset"),
        pytest.param("/img/logo@3x.webp", id="asset path"),
        pytest.param("bundle@1.2.3.js", id="versioned script"),
        pytest.param("package@1.2.3", id="npm version"),
        pytest.param("user@localhost", id="no top-level domain"),
        pytest.param("kim@example.c", id="one-letter top-level domain"),
        pytest.param("kim@example.c0m", id="digit in top-level domain"),
        pytest.param("@example.com", id="no local part"),
        pytest.param("kim@", id="no domain"),
        pytest.param("kim.@example.com", id="dot before the at sign"),
        pytest.param("a..b@example.com", id="two dots"),
        pytest.param("kim@-example.com", id="domain label starts with a hyphen"),
        pytest.param("x" * 65 + "@example.com", id="local part over 64 characters"),
        pytest.param("@@@", id="only at signs"),
    ],
)
def test_ignores(detector: EmailDetector, text: str) -> None:
    assert found(detector, text) == []


def test_score(detector: EmailDetector) -> None:
    assert score_of(detector, "kim@example.com") == 0.9
