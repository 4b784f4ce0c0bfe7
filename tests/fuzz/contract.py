"""The fuzz contract: a call succeeds or raises a PrivwatchError with a message
in both languages; anything else (a traceback) fails the test."""

from __future__ import annotations

from collections.abc import Callable
from typing import TypeVar

from hypothesis import strategies as st

from privwatch.errors import PrivwatchError

T = TypeVar("T")

#: any JSON value, nested a little
json_values = st.recursive(
    st.none()
    | st.booleans()
    | st.integers()
    | st.floats(allow_nan=False, allow_infinity=False)
    | st.text(max_size=30),
    lambda inner: (
        st.lists(inner, max_size=4)
        | st.dictionaries(st.text(max_size=10), inner, max_size=4)
    ),
    max_leaves=15,
)


def survives(call: Callable[[], T]) -> T | PrivwatchError:
    """``call()``'s result, or the PrivwatchError it raised (its message renders)."""
    try:
        return call()
    except PrivwatchError as exc:
        for lang in ("en", "ko"):
            line = exc.render(lang)
            assert line and "\n" not in line, (exc.key, line)
            assert not line.startswith(exc.key), f"no {lang} message for {exc.key}"
        return exc
