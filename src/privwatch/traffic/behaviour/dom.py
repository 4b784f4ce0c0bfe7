"""Is a request body a recorded page? Judged by the structure of its JSON,
never by a keyword: an rrweb-style event stream (events with an integer type,
a timestamp and data, among them a snapshot holding a node tree or a
mutation), or a serialized node tree (tags with child lists, nested).

A body that only names these things ("rrweb", "childNodes" in a string) or
an analytics batch of events with types and timestamps but no page in them
is not a recorded page."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

#: keys of a serialized element's tag and of its children
TAGS = ("tagName", "nodeName", "tag")
CHILDREN = ("childNodes", "children")
#: keys of an rrweb incremental mutation's lists
MUTATIONS = ("adds", "removes", "texts", "attributes")


@dataclass(frozen=True)
class Limits:
    html_tags: frozenset[str] = frozenset()
    min_events: int = 3
    min_nodes: int = 8
    min_depth: int = 3
    max_depth: int = 40
    max_visits: int = 200_000


@dataclass(frozen=True)
class DomUpload:
    """What made the body a recorded page."""

    shape: str  # "event-stream" or "node-tree"
    events: int  # replay events in it (0 for a bare node tree)
    nodes: int  # serialized elements found
    depth: int  # deepest element nesting
    mutations: int  # incremental mutations


def judge(value: Any, limits: Limits) -> DomUpload | None:
    """The recorded page in ``value`` (parsed JSON), or None."""
    visits = [0]
    best: DomUpload | None = None
    for events in _event_lists(value, limits, visits, 0):
        nodes, depth, mutations = 0, 0, 0
        for event in events:
            tree = _tree(event.get("data"), limits, visits, 0)
            nodes, depth = nodes + tree[0], max(depth, tree[1])
            data = event.get("data")
            if isinstance(data, dict) and any(
                isinstance(data.get(k), list) for k in MUTATIONS
            ):
                mutations += 1
        snapshot = nodes >= limits.min_nodes and depth >= limits.min_depth
        if len(events) >= limits.min_events and (snapshot or mutations >= 1):
            found = DomUpload("event-stream", len(events), nodes, depth, mutations)
            best = best if best and best.events >= found.events else found
    if best is not None:
        return best
    nodes, depth = _tree(value, limits, visits, 0)
    if nodes >= limits.min_nodes and depth >= limits.min_depth:
        return DomUpload("node-tree", 0, nodes, depth, 0)
    return None


def _is_event(item: Any) -> bool:
    return (
        isinstance(item, dict)
        and isinstance(item.get("type"), int)
        and not isinstance(item.get("type"), bool)
        and isinstance(item.get("timestamp"), int | float)
        and isinstance(item.get("data"), dict)
    )


def _event_lists(
    value: Any, limits: Limits, visits: list[int], depth: int
) -> Iterator[list[dict[str, Any]]]:
    """Lists in ``value`` whose items are mostly replay-shaped events."""
    visits[0] += 1
    if depth > limits.max_depth or visits[0] > limits.max_visits:
        return
    if isinstance(value, list):
        events = [item for item in value if _is_event(item)]
        if events and len(events) * 2 >= len(value):
            yield events
            return
        for item in value:
            yield from _event_lists(item, limits, visits, depth + 1)
    elif isinstance(value, dict):
        for item in value.values():
            yield from _event_lists(item, limits, visits, depth + 1)


def _is_node(item: Any, tags: frozenset[str]) -> bool:
    """A serialized HTML element: an HTML tag name and a list of children."""
    if not isinstance(item, dict):
        return False
    if not any(isinstance(item.get(k), list) for k in CHILDREN):
        return False
    return any(isinstance(item.get(k), str) and item[k].lower() in tags for k in TAGS)


def _tree(value: Any, limits: Limits, visits: list[int], depth: int) -> tuple[int, int]:
    """(elements, deepest element nesting) of the node trees in ``value``."""
    visits[0] += 1
    if depth > limits.max_depth or visits[0] > limits.max_visits:
        return 0, 0
    if isinstance(value, list):
        nodes, deepest = 0, 0
        for item in value:
            n, d = _tree(item, limits, visits, depth + 1)
            nodes, deepest = nodes + n, max(deepest, d)
        return nodes, deepest
    if not isinstance(value, dict):
        return 0, 0
    own = 1 if _is_node(value, limits.html_tags) else 0
    nodes, deepest = 0, 0
    for item in value.values():
        if isinstance(item, dict | list):
            n, d = _tree(item, limits, visits, depth + 1)
            nodes, deepest = nodes + n, max(deepest, d)
    return own + nodes, (deepest + own)
