"""``DetectorRegistry``: the detectors a scan runs, and how their findings merge.

Built by the caller (CLI, web app, test), never at import time::

    registry = DetectorRegistry.builtin()            # the detectors shipped here
    registry = DetectorRegistry.from_entry_points()  # plus installed plug-ins
    registry.detect(text)                            # sorted, overlaps resolved

Plug-ins are entry points in the group ``privwatch.detectors`` whose object is
a ``Detector`` class (called with no arguments) or instance.
"""

from __future__ import annotations

import bisect
from collections.abc import Iterable, Iterator, Mapping
from importlib import metadata

from privwatch.detectors.base import Detection, Detector, Validation
from privwatch.detectors.card import CardDetector
from privwatch.detectors.customs_code import KrCustomsCodeDetector
from privwatch.detectors.device_id import DeviceIdDetector
from privwatch.detectors.driver_license import KrDriverLicenseDetector
from privwatch.detectors.email import EmailDetector
from privwatch.detectors.kr_brn import KrBrnDetector
from privwatch.detectors.kr_frn import KrFrnDetector
from privwatch.detectors.kr_rrn import KrRrnDetector
from privwatch.detectors.location import LocationDetector
from privwatch.detectors.passport import KrPassportDetector
from privwatch.detectors.phone import PhoneDetector

ENTRY_POINT_GROUP = "privwatch.detectors"

#: the built-in detectors by name; pyproject lists the same under
#: ``[project.entry-points."privwatch.detectors"]`` (a test keeps them equal)
BUILTIN: Mapping[str, type[Detector]] = {
    "email": EmailDetector,
    "phone": PhoneDetector,
    "rrn": KrRrnDetector,
    "frn": KrFrnDetector,
    "brn": KrBrnDetector,
    "card": CardDetector,
    "passport": KrPassportDetector,
    "driver_license": KrDriverLicenseDetector,
    "device_id": DeviceIdDetector,
    "location": LocationDetector,
    "customs_code": KrCustomsCodeDetector,
}


class DetectorLoadError(Exception):
    """An entry point of ``privwatch.detectors`` cannot be loaded as a detector."""

    def __init__(self, name: str, value: str, reason: str) -> None:
        self.name = name
        self.value = value
        self.reason = reason
        super().__init__(f"detector {name!r} ({value}): {reason}")


class DetectorRegistry:
    """Named detectors, run together over one text."""

    def __init__(self, detectors: Mapping[str, Detector]) -> None:
        self._detectors = dict(detectors)

    @classmethod
    def builtin(cls) -> DetectorRegistry:
        """A registry of every detector shipped with privwatch."""
        return cls({name: detector() for name, detector in BUILTIN.items()})

    @classmethod
    def from_entry_points(
        cls,
        group: str = ENTRY_POINT_GROUP,
        *,
        entry_points: Iterable[metadata.EntryPoint] | None = None,
    ) -> DetectorRegistry:
        """The built-ins plus every detector installed under ``group``.

        An entry point named like a built-in replaces it. ``entry_points``
        stands in for the installed ones (tests).
        """
        found = (
            metadata.entry_points(group=group) if entry_points is None else entry_points
        )
        detectors: dict[str, Detector] = {}
        loaded = {ep.name: ep for ep in sorted(found, key=lambda ep: ep.name)}
        for name, detector in BUILTIN.items():
            ep = loaded.pop(name, None)
            detectors[name] = _load(ep) if ep is not None else detector()
        for name, ep in loaded.items():
            detectors[name] = _load(ep)
        return cls(detectors)

    def names(self) -> list[str]:
        """The detectors' names, in the order they run."""
        return list(self._detectors)

    def select(self, names: Iterable[str]) -> DetectorRegistry:
        """A registry of the named detectors only (KeyError for an unknown name)."""
        return DetectorRegistry({name: self._detectors[name] for name in names})

    def __getitem__(self, name: str) -> Detector:
        return self._detectors[name]

    def __iter__(self) -> Iterator[Detector]:
        return iter(self._detectors.values())

    def __len__(self) -> int:
        return len(self._detectors)

    def __repr__(self) -> str:
        return f"DetectorRegistry({self.names()!r})"

    def detect(self, text: str, *, min_score: float = 0.0) -> list[Detection]:
        """Every detection in ``text`` sorted by start, without overlaps.

        ``INVALID`` and zero-score detections are left out, as are those under
        ``min_score``. Of overlapping detections the higher score is kept (on a
        tie, the longer one, then the earlier detector).
        """
        found = [
            detection
            for detector in self._detectors.values()
            for detection in detector.detect(text)
            if detection.validation is not Validation.INVALID
            and detection.score > 0
            and detection.score >= min_score
        ]
        return resolve_overlaps(found)


def resolve_overlaps(detections: list[Detection]) -> list[Detection]:
    """Of overlapping detections keep the best; return them sorted by start.

    Best is the higher score, then the longer span, then the earlier in the
    list (the registry's order).
    """
    order = sorted(
        range(len(detections)),
        key=lambda i: (
            -detections[i].score,
            detections[i].start - detections[i].end,
            i,
        ),
    )
    starts: list[int] = []
    kept: list[Detection] = []
    for i in order:
        detection = detections[i]
        at = bisect.bisect_right(starts, detection.start)
        if at > 0 and kept[at - 1].end > detection.start:
            continue
        if at < len(kept) and kept[at].start < detection.end:
            continue
        starts.insert(at, detection.start)
        kept.insert(at, detection)
    return kept


def _load(ep: metadata.EntryPoint) -> Detector:
    try:
        obj = ep.load()
    except Exception as exc:  # an import error of any kind in the plug-in
        raise DetectorLoadError(ep.name, ep.value, f"cannot import: {exc}") from exc
    if isinstance(obj, type):
        try:
            obj = obj()
        except Exception as exc:
            raise DetectorLoadError(ep.name, ep.value, f"cannot create: {exc}") from exc
    if not isinstance(obj, Detector) or not isinstance(obj.entity, str):
        raise DetectorLoadError(
            ep.name, ep.value, "not a detector (needs an 'entity' and 'detect(text)')"
        )
    return obj
