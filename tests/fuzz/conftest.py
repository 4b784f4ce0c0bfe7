"""Hypothesis profiles for the fuzz tests.

``ci`` (the default) keeps the whole fuzz run near a minute; ``long`` is for a
deliberate search::

    PRIVWATCH_FUZZ=long .venv/bin/pytest -q tests/fuzz -p no:cacheprovider
"""

from __future__ import annotations

import os

from hypothesis import HealthCheck, settings

_SLOW = [HealthCheck.too_slow, HealthCheck.data_too_large, HealthCheck.filter_too_much]

settings.register_profile(
    "ci",
    max_examples=50,
    deadline=3000,  # ms per example: a parse that takes longer is a hang
    suppress_health_check=_SLOW,
    database=None,
    derandomize=True,  # the same examples on every CI run
)
settings.register_profile(
    "long",
    max_examples=3000,
    deadline=10_000,
    suppress_health_check=_SLOW,
    database=None,
)
settings.load_profile("long" if os.environ.get("PRIVWATCH_FUZZ") == "long" else "ci")
