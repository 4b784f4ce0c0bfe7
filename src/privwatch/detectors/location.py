"""Geographic coordinates: a latitude and longitude pair.

A bare pair (``37.5665,126.9780``, either order, at least four decimals each)
or key-value pairs (``lat=37.5665&lng=126.978``, JSON ``"latitude": 37.5665,
"longitude": 126.978``, Kakao-style ``x=126.9780&y=37.5665``) with at least
three decimals (four for x/y), in valid ranges. Bare and x/y pairs score higher
inside Korea's bounding box. Version strings (1.2.3.4) and timestamps do not
match. Reference: ISO 6709; WGS 84 decimal degrees.
"""

from __future__ import annotations

import re
from collections.abc import Iterator

from privwatch.detectors.base import Detection, PatternDetector, Validation

_NUMBER = r"-?\d{1,3}\.\d{%d,15}"
_START = r"(?<![0-9A-Za-z.\-])"
_END = r"(?![0-9A-Za-z]|\.\d)"
_PLAIN = re.compile(_START + f"(?P<a>{_NUMBER % 4}) ?, ?(?P<b>{_NUMBER % 4})" + _END)
_LAT = r"(?:lat|latitude|위도)"
_LNG = r"(?:lng|lon|long|longitude|경도)"
_KV = r"""["']?\s*[=:]\s*["']?"""
_GAP = r"""[^0-9]{1,40}?"""
_Q = r"""\s*["']?"""
_Q0 = r"""["']?"""
_KEY = r"(?<![A-Za-z0-9_])(?i:"
_KEYED = re.compile(
    _KEY
    + f"{_LAT}{_KV}(?P<lat>{_NUMBER % 3}){_GAP}(?<![A-Za-z0-9_]){_LNG}{_KV}(?P<lng>{_NUMBER % 3})"
    + f"|{_LNG}{_KV}(?P<lng2>{_NUMBER % 3}){_GAP}(?<![A-Za-z0-9_]){_LAT}{_KV}(?P<lat2>{_NUMBER % 3})"
    + f"|x{_KV}(?P<lng3>{_NUMBER % 4}){_Q0}[&,;]{_Q}y{_KV}(?P<lat3>{_NUMBER % 4})"
    + ")"
    + _END
)
#: every candidate holds a decimal point and three digits: a literal-led search
#: for it, then a look back for a key or an integer part, is many times faster
#: than running the patterns above at every position
_DECIMAL = re.compile(r"\.\d{3}")
_KEY_BEFORE = re.compile(_KEY + f"{_LAT}|{_LNG}|x){_KV}-?\\d{{1,3}}\\Z")
_INT_BEFORE = re.compile(r"-?\d{1,3}\Z")
#: south-west and north-east corners of a box around South Korea (lat, lng)
KOREA = ((33.0, 124.5), (38.7, 131.9))


def in_range(lat: float, lng: float) -> bool:
    """True for a real position, other than 0,0 ("null island")."""
    return -90 <= lat <= 90 and -180 <= lng <= 180 and (lat, lng) != (0.0, 0.0)


def in_korea(lat: float, lng: float) -> bool:
    """True inside the box around South Korea."""
    (south, west), (north, east) = KOREA
    return south <= lat <= north and west <= lng <= east


class LocationDetector(PatternDetector):
    """Latitude/longitude pairs; ``UNCHECKED`` (ranges only)."""

    entity = "location"
    pattern = _KEYED
    keyed_score = 0.85
    base_score = 0.4
    korea_score = 0.6
    context = ("location", "coord", "latlng", "geo", "gps", "위치", "좌표", "ll=")
    context_boost = 0.3

    def detect(self, text: str) -> Iterator[Detection]:
        """Keyed pairs, else bare pairs, found from their decimal points."""
        done = 0  # the end of the last pair found
        for hit in _DECIMAL.finditer(text):
            at = hit.start()
            if at < done:
                continue
            detection = None
            key = _KEY_BEFORE.search(text, max(done, at - 24), at)
            if key is not None:
                match = _KEYED.match(text, key.start())
                detection = self._keyed(match) if match else None
            if detection is None:
                whole = _INT_BEFORE.search(text, max(done, at - 4), at)
                match = _PLAIN.match(text, whole.start()) if whole else None
                detection = self._plain(match) if match else None
            if detection is not None:
                done = detection.end
                yield detection

    def _keyed(self, match: re.Match[str]) -> Detection | None:
        for lat_key, lng_key in (("lat", "lng"), ("lat2", "lng2"), ("lat3", "lng3")):
            if match[lat_key] is not None:
                lat, lng = float(match[lat_key]), float(match[lng_key])
                break
        else:  # pragma: no cover - one alternative always matched
            return None
        if not in_range(lat, lng):
            return None
        start = min(match.start(lat_key), match.start(lng_key))
        end = max(match.end(lat_key), match.end(lng_key))
        if lat_key == "lat3":  # x and y also name screen positions
            score = self.korea_score if in_korea(lat, lng) else self.base_score
        else:
            score = self.keyed_score
        return self._detection(match.string, start, end, score)

    def _plain(self, match: re.Match[str]) -> Detection | None:
        a, b = float(match["a"]), float(match["b"])
        if abs(a) < 1 and abs(b) < 1:
            return None  # two fractions (ratios, probabilities), not a place
        for lat, lng in ((a, b), (b, a)):
            if in_range(lat, lng):
                score = self.korea_score if in_korea(lat, lng) else self.base_score
                return self._detection(match.string, match.start(), match.end(), score)
        return None

    def _detection(self, text: str, start: int, end: int, score: float) -> Detection:
        return Detection(
            self.entity,
            start,
            end,
            text[start:end],
            self.boosted(text, start, score),
            Validation.UNCHECKED,
        )
