"""DetectorRegistry: built-ins, entry points, overlaps, the whole set on mixed
traffic-like text."""

from __future__ import annotations

import json
import tomllib
from collections.abc import Iterator
from importlib import metadata
from pathlib import Path

import pytest

import privwatch.detectors as detectors_package
from privwatch.detectors import (
    ENTRY_POINT_GROUP,
    Detection,
    DetectorLoadError,
    DetectorRegistry,
    Validation,
    resolve_overlaps,
)
from privwatch.detectors.registry import BUILTIN
from tests.unit.detectors.numbers import brn, grouped, luhn, rrn

ROOT = Path(__file__).resolve().parents[3]
BUILTIN_NAMES = [
    "email",
    "phone",
    "rrn",
    "frn",
    "brn",
    "card",
    "passport",
    "driver_license",
    "device_id",
    "location",
    "customs_code",
]


class FakeDetector:
    """Reports every 'secret' as a 'fake' entity (a plug-in stand-in)."""

    entity = "fake"

    def detect(self, text: str) -> Iterator[Detection]:
        at = text.find("secret")
        while at != -1:
            yield Detection(
                self.entity, at, at + 6, "secret", 0.7, Validation.UNCHECKED
            )
            at = text.find("secret", at + 1)


class Spans:
    """Reports fixed spans (for overlap tests)."""

    def __init__(self, entity: str, *spans: tuple[int, int, float]) -> None:
        self.entity = entity
        self.spans = spans

    def detect(self, text: str) -> Iterator[Detection]:
        for start, end, score in self.spans:
            yield Detection(
                self.entity, start, end, text[start:end], score, Validation.UNCHECKED
            )


class Broken:
    def __init__(self) -> None:
        raise RuntimeError("no")


NOT_A_DETECTOR = object()


def entry_point(name: str, value: str) -> metadata.EntryPoint:
    return metadata.EntryPoint(name=name, value=value, group=ENTRY_POINT_GROUP)


def test_builtin_names() -> None:
    assert DetectorRegistry.builtin().names() == BUILTIN_NAMES
    assert [d.entity for d in DetectorRegistry.builtin()] == BUILTIN_NAMES


def test_builtin_builds_new_detectors_each_time() -> None:
    first, second = DetectorRegistry.builtin(), DetectorRegistry.builtin()
    assert all(a is not b for a, b in zip(first, second, strict=True))


def test_import_builds_no_registry() -> None:
    modules = [detectors_package] + [
        getattr(detectors_package, name)
        for name in dir(detectors_package)
        if isinstance(getattr(detectors_package, name), type(detectors_package))
    ]
    for module in modules:
        assert not any(isinstance(v, DetectorRegistry) for v in vars(module).values())


def test_entry_points_add_plugins_to_the_builtins() -> None:
    registry = DetectorRegistry.from_entry_points(
        entry_points=[
            entry_point("fake", "tests.unit.detectors.test_registry:FakeDetector"),
            entry_point("email", "privwatch.detectors.email:EmailDetector"),
        ]
    )
    assert registry.names() == [*BUILTIN_NAMES, "fake"]
    assert [d.entity for d in registry.detect("a secret for kim@example.com")] == [
        "fake",
        "email",
    ]


def test_an_entry_point_replaces_the_builtin_of_its_name() -> None:
    registry = DetectorRegistry.from_entry_points(
        entry_points=[
            entry_point("email", "tests.unit.detectors.test_registry:FakeDetector")
        ]
    )
    assert registry.names() == BUILTIN_NAMES
    assert isinstance(registry["email"], FakeDetector)


def test_installed_entry_points_include_the_builtins() -> None:
    assert (
        DetectorRegistry.from_entry_points().names()[: len(BUILTIN_NAMES)]
        == BUILTIN_NAMES
    )


@pytest.mark.parametrize(
    "value, reason",
    [
        pytest.param(
            "tests.unit.detectors.no_such_module:X", "cannot import", id="no module"
        ),
        pytest.param(
            "tests.unit.detectors.test_registry:Nothing",
            "cannot import",
            id="no object",
        ),
        pytest.param(
            "tests.unit.detectors.test_registry:Broken",
            "cannot create",
            id="init fails",
        ),
        pytest.param(
            "tests.unit.detectors.test_registry:NOT_A_DETECTOR",
            "not a detector",
            id="wrong object",
        ),
    ],
)
def test_a_bad_entry_point_names_itself(value: str, reason: str) -> None:
    with pytest.raises(DetectorLoadError, match=reason) as error:
        DetectorRegistry.from_entry_points(entry_points=[entry_point("bad", value)])
    assert error.value.name == "bad" and error.value.value == value


def test_pyproject_lists_every_builtin_as_an_entry_point() -> None:
    project = tomllib.loads((ROOT / "pyproject.toml").read_text("utf-8"))["project"]
    table = project.get("entry-points", {}).get(ENTRY_POINT_GROUP)
    if table is None:
        pytest.skip(
            f'pyproject.toml has no [project.entry-points."{ENTRY_POINT_GROUP}"] yet'
        )
    expected = {
        name: f"{cls.__module__}:{cls.__qualname__}" for name, cls in BUILTIN.items()
    }
    assert table == expected


def test_repr_names_the_detectors() -> None:
    assert (
        repr(DetectorRegistry.builtin().select(["rrn"])) == "DetectorRegistry(['rrn'])"
    )


def test_select() -> None:
    registry = DetectorRegistry.builtin().select(["rrn", "email"])
    assert registry.names() == ["rrn", "email"]
    assert len(registry) == 2
    with pytest.raises(KeyError):
        DetectorRegistry.builtin().select(["nope"])


@pytest.mark.parametrize(
    "detectors, kept",
    [
        pytest.param(
            [Spans("a", (0, 10, 0.5)), Spans("b", (5, 15, 0.9))],
            [("b", 5, 15)],
            id="higher score wins",
        ),
        pytest.param(
            [Spans("a", (0, 10, 0.5)), Spans("b", (2, 6, 0.5))],
            [("a", 0, 10)],
            id="tie: longer wins",
        ),
        pytest.param(
            [Spans("a", (0, 10, 0.5)), Spans("b", (0, 10, 0.5))],
            [("a", 0, 10)],
            id="tie: first detector wins",
        ),
        pytest.param(
            [Spans("a", (0, 5, 0.5), (5, 10, 0.5)), Spans("b", (3, 7, 0.4))],
            [("a", 0, 5), ("a", 5, 10)],
            id="touching spans do not overlap",
        ),
        pytest.param(
            [Spans("a", (20, 30, 0.5), (0, 10, 0.5)), Spans("b", (12, 14, 0.1))],
            [("a", 0, 10), ("b", 12, 14), ("a", 20, 30)],
            id="sorted by start",
        ),
        pytest.param(
            [
                Spans("a", (0, 30, 0.9)),
                Spans("b", (2, 4, 0.5), (10, 12, 0.5), (28, 35, 0.95)),
            ],
            [("b", 2, 4), ("b", 10, 12), ("b", 28, 35)],
            id="a long span loses to a better one it overlaps, others fill in",
        ),
        pytest.param([Spans("a", (0, 4, 0.0))], [], id="score zero left out"),
    ],
)
def test_overlaps(detectors: list[Spans], kept: list[tuple[str, int, int]]) -> None:
    registry = DetectorRegistry({f"d{i}": d for i, d in enumerate(detectors)})
    text = "x" * 40
    assert [(d.entity, d.start, d.end) for d in registry.detect(text)] == kept


def test_min_score() -> None:
    registry = DetectorRegistry({"a": Spans("a", (0, 2, 0.2), (3, 5, 0.6))})
    assert [d.start for d in registry.detect("x" * 9, min_score=0.5)] == [3]


def test_resolve_overlaps_many() -> None:
    spans = [
        Detection("a", i * 3, i * 3 + 2, "xx", 0.5, Validation.UNCHECKED)
        for i in range(5000)
    ]
    assert resolve_overlaps(list(reversed(spans))) == spans


RRN = rrn("900101", "123456")
CARD = grouped(luhn("4123", 16))
BRN = brn("123456789")
IDFA = "6D92078A-8246-4BA4-AE5B-76104861E7DC"


def test_mixed_request_body() -> None:
    body = json.dumps(
        {
            "rrn": RRN,
            "card": CARD,
            "tel": "02-2345-6789",
            "mobile": "010-2345-6789",
            "email": "kim.haneul@example.com",
            "idfa": IDFA,
            "lat": 37.5665,
            "lng": 126.978,
            "biz": BRN,
            "passport": "M123A4567",
            "order_id": "9901023456789123",
            "ts": 1732861234567,
            "ver": "1.2.3.4",
            "request_id": "123e4567-e89b-12d3-a456-426614174000",
        },
        ensure_ascii=False,
    )
    detections = DetectorRegistry.builtin().detect(body)
    by_entity = {d.entity: d.value for d in detections if d.score >= 0.5}
    assert by_entity == {
        "rrn": RRN,
        "card": CARD,
        "phone": "010-2345-6789",
        "email": "kim.haneul@example.com",
        "device_id": IDFA,
        "location": '37.5665, "lng": 126.978',
        "brn": BRN,
        "passport": "M123A4567",
    }
    phones = [d.value for d in detections if d.entity == "phone"]
    assert phones == ["02-2345-6789", "010-2345-6789"]
    low = {d.entity for d in detections if d.score < 0.5}
    assert low == {"device_id"}  # the request id
    assert [d.start for d in detections] == sorted(d.start for d in detections)
    for d in detections:
        assert body[d.start : d.end] == d.value


def test_a_card_number_is_not_also_a_phone_or_an_id() -> None:
    text = f"card {CARD} / {CARD.replace(' ', '')} / {CARD.replace(' ', '-')}"
    assert {d.entity for d in DetectorRegistry.builtin().detect(text)} == {"card"}


def test_text_without_personal_data() -> None:
    text = (
        "GET /v1/items?page=2&sort=price&sid=9f86d081884c7d659a2feaa0c55ad015 "
        "Mozilla/5.0 (Linux; Android 14) Chrome/120.0.6099.144 "
        '{"ts": 1732861234567, "order": 20240115123456, "price": 12900.50} '
        "상품 상세 페이지 버전 3.2.1 2024-01-15T10:23:45Z "
    ) * 50
    assert DetectorRegistry.builtin().detect(text) == []
