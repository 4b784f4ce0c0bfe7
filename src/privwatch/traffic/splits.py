"""Where values split over several inputs (hp1/hp2/hp3) and a name's parts
(first_name, 성) sit: the key-value pairs of each JSON object, JSON written
inside a JSON string included, and of a form string, wherever a request
carries them (a body, a form value, a base64 or JWT payload opened by
``decode.expand``). ``fields`` joins and names them (``korean.joined``,
``korean.name_field``)."""

from __future__ import annotations

from collections import deque
from collections.abc import Iterable, Iterator

from privwatch.traffic.decode import json_value
from privwatch.traffic.korean import form_pairs

JSON_OBJECTS = 256  # objects of one JSON text looked at for split values
#: a decoded text longer than this is not read again for its pairs
MAX_CONTAINER = 1 << 20


def json_objects(parsed: object) -> Iterator[list[tuple[str, str]]]:
    """The (key, text) pairs of each JSON object holding a scalar, breadth
    first, JSON inside a string value opened too (``{"data": "{\\"hp1\\":
    …}"}``), up to JSON_OBJECTS objects."""
    queue: deque[object] = deque([parsed])
    seen = 0
    while queue and seen < JSON_OBJECTS:
        item = queue.popleft()
        if isinstance(item, str):
            item = json_value(item) if len(item) <= MAX_CONTAINER else None
        if isinstance(item, dict):
            seen += 1
            pairs = [
                (str(key), str(value))
                for key, value in item.items()
                if isinstance(value, str | int) and not isinstance(value, bool)
            ]
            if pairs:
                yield pairs
            queue.extend(_inner(item.values()))
        elif isinstance(item, list):
            queue.extend(_inner(item))


def _inner(values: Iterable[object]) -> Iterator[object]:
    """The values to look into: objects, lists, and strings holding JSON."""
    for value in values:
        if isinstance(value, dict | list) or (
            isinstance(value, str) and value[:1] in ("{", "[")
        ):
            yield value


def container_pairs(text: str) -> list[list[tuple[str, str]]]:
    """The pairs of a decoded text: each JSON object's, or a form string's
    (``hp1=010&hp2=2345&hp3=6789`` inside base64); none of other text."""
    if len(text) > MAX_CONTAINER:
        return []
    head = text.lstrip()[:1]
    if head in ("{", "["):
        parsed = json_value(text.strip())
        return list(json_objects(parsed)) if parsed is not None else []
    if "=" in text and "&" in text and " " not in text[:200]:
        return [[(name, value) for name, value, _ in form_pairs(text)]]
    return []
