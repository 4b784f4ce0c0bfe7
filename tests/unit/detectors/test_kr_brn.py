"""사업자등록번호: NNN-NN-NNNNN with its check digit; bare ten digits only when
the check digit holds."""

from __future__ import annotations

import pytest

from privwatch.detectors import KrBrnDetector, Validation
from tests.unit.detectors.numbers import brn, found, score_of

VALID = Validation.VALID
A = brn("123456789")
B = brn("605812345")
BARE = brn("214870001").replace("-", "")
WRONG = brn("123456789", valid=False)


@pytest.fixture(scope="module")
def detector() -> KrBrnDetector:
    return KrBrnDetector()


@pytest.mark.parametrize(
    "text, expected",
    [
        pytest.param(A, [(A, VALID)], id="hyphenated"),
        pytest.param(BARE, [(BARE, VALID)], id="bare ten digits"),
        pytest.param(f"사업자등록번호:{B}(주)", [(B, VALID)], id="hangul around"),
        pytest.param(f"biz_no={A}&", [(A, VALID)], id="query"),
    ],
)
def test_finds(detector: KrBrnDetector, text: str, expected: list[object]) -> None:
    assert found(detector, text) == expected


@pytest.mark.parametrize(
    "text",
    [
        pytest.param(WRONG, id="hyphenated, check digit fails"),
        pytest.param(WRONG.replace("-", ""), id="bare, check digit fails"),
        pytest.param(A[:6] + A[7:], id="one hyphen of two"),
        pytest.param(A.replace("-", " "), id="spaces"),
        pytest.param("012-34-56789", id="tax office cannot start with 0"),
        pytest.param("9" + BARE, id="inside an eleven-digit run"),
        pytest.param(BARE + "123456", id="start of a longer id"),
        pytest.param("A" + A, id="glued to a letter"),
    ],
)
def test_ignores(detector: KrBrnDetector, text: str) -> None:
    assert found(detector, text) == []


@pytest.mark.parametrize(
    "text, low, high",
    [
        pytest.param(A, 0.85, 0.95, id="hyphenated"),
        pytest.param(BARE, 0.15, 0.25, id="bare"),
        pytest.param(f"사업자번호 {BARE}", 0.35, 0.45, id="bare after context"),
    ],
)
def test_scores(detector: KrBrnDetector, text: str, low: float, high: float) -> None:
    assert low <= score_of(detector, text) <= high
