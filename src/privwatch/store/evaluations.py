"""Evaluations kept in the store (the ``evaluations`` table): one row per
evaluation, its JSON (``privwatch.evaluation/1``) in ``result``."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

from sqlalchemy import select

from privwatch.errors import PrivwatchError
from privwatch.store import Store
from privwatch.store.schema import Evaluation, Platform


@dataclass(frozen=True)
class EvaluationRecord:
    """A stored evaluation of a platform's policy."""

    id: int
    platform_id: int
    evaluated_at: datetime
    source: str
    result: dict[str, Any]


def _record(row: Evaluation) -> EvaluationRecord:
    return EvaluationRecord(
        row.id, row.platform_id, row.evaluated_at, row.source, row.result
    )


def save_evaluation(
    store: Store,
    platform: str,
    result: dict[str, Any],
    *,
    source: str,
    evaluated_at: datetime | None = None,
) -> EvaluationRecord:
    """Keep ``result`` as the platform's evaluation; the platform must exist."""
    when = evaluated_at or datetime.now(UTC)
    if when.tzinfo is not None:
        when = when.astimezone(UTC).replace(tzinfo=None)
    with store.session() as session:
        owner = session.scalar(select(Platform.id).where(Platform.name == platform))
        if owner is None:
            raise PrivwatchError("store.no_platform", name=platform)
        row = Evaluation(
            platform_id=owner, evaluated_at=when, source=source[:2000], result=result
        )
        session.add(row)
        session.flush()
        return _record(row)


def evaluations(store: Store, platform: str) -> list[EvaluationRecord]:
    """A platform's evaluations, oldest first."""
    with store.session() as session:
        owner = session.scalar(select(Platform.id).where(Platform.name == platform))
        if owner is None:
            raise PrivwatchError("store.no_platform", name=platform)
        return [
            _record(row)
            for row in session.scalars(
                select(Evaluation)
                .where(Evaluation.platform_id == owner)
                .order_by(Evaluation.evaluated_at, Evaluation.id)
            )
        ]


def latest_evaluations(store: Store) -> dict[int, EvaluationRecord]:
    """Each platform's latest evaluation, by platform id."""
    latest: dict[int, EvaluationRecord] = {}
    with store.session() as session:
        rows = session.scalars(
            select(Evaluation).order_by(
                Evaluation.platform_id,
                Evaluation.evaluated_at.desc(),
                Evaluation.id.desc(),
            )
        )
        for row in rows:
            if row.platform_id not in latest:
                latest[row.platform_id] = _record(row)
    return latest
