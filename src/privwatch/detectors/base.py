"""The detector contract: a ``Detection`` per match, a ``Detector`` protocol, and
``PatternDetector``, a compiled regex with optional validation and context words.

Offsets are character offsets into the text given to ``detect()``, so
``text[d.start:d.end] == d.value``.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass
from enum import StrEnum
from functools import cache
from typing import ClassVar, Protocol, runtime_checkable

from privwatch.detectors.context import Field, field_of, label_start

#: a value starts and ends where no ASCII letter or digit touches it; ``\b``
#: would not do, since Hangul is ``\w`` and ``번호960121`` has no word boundary
BEFORE = r"(?<![0-9A-Za-z])"
AFTER = r"(?![0-9A-Za-z])"


class Validation(StrEnum):
    """What a checksum or library check said about a match."""

    VALID = "valid"  # the check ran and passed
    INVALID = "invalid"  # the check ran and failed
    UNCHECKED = "unchecked"  # no check exists, or it cannot decide


@dataclass(frozen=True, slots=True)
class Detection:
    """One piece of personal data found in a text."""

    entity: str
    start: int
    end: int
    value: str
    score: float
    validation: Validation


@runtime_checkable
class Detector(Protocol):
    """Finds one kind of personal data (``entity``) in a text."""

    entity: str

    def detect(self, text: str) -> Iterator[Detection]:
        """Yield every detection in ``text``, in any order."""
        ...


def has_context(text: str, start: int, words: tuple[str, ...], window: int) -> bool:
    """True when one of ``words`` occurs in the value's own label: the
    ``window`` characters before ``start``, cut at the end of the field before
    it (``pccc=P1&coupon=P2``: ``pccc`` is not the second value's label).

    Case, ``_`` and ``-`` are ignored, so ``advertising_id`` also matches
    ``advertisingId`` and ``Advertising-ID``; ``words`` must already be folded
    (see ``fold_all``).
    """
    before = fold(text[label_start(text, start, window) : start])
    return any(word in before for word in words)


def fold(text: str) -> str:
    """Lower-case ``text`` and drop ``_`` and ``-`` (for context words)."""
    return text.lower().replace("_", "").replace("-", "")


@cache
def fold_all(words: tuple[str, ...]) -> tuple[str, ...]:
    """``words`` folded, computed once per tuple."""
    return tuple(fold(word) for word in words)


class PatternDetector:
    """A detector made of one compiled regex and a few class attributes.

    Subclasses set ``entity`` and ``pattern`` and may override ``validate``
    (checksums) and ``prior`` (the score before context). A match is reported
    with ``prior``, raised by ``context_boost`` when a word of ``context``
    appears in the ``context_window`` characters before it (capped at 1.0).
    ``INVALID`` matches are dropped unless ``keep_invalid`` is set, in which
    case they are reported with score 0.

    A match ``is_bare`` says is ambiguous (a digit run with no separator) is
    judged by its field (``context.field_of``): in an order number, SKU or
    timestamp field it is dropped; in a field of its kind, or after a context
    word, it gets ``prior`` raised by ``context_boost``; otherwise it scores
    at most ``unsure_score``, under what a traffic scan reports.
    """

    entity: str = ""
    pattern: ClassVar[re.Pattern[str]]
    base_score: ClassVar[float] = 0.5
    valid_score: ClassVar[float] = 0.9
    context: ClassVar[tuple[str, ...]] = ()
    context_boost: ClassVar[float] = 0.2
    context_window: ClassVar[int] = 40
    keep_invalid: ClassVar[bool] = False
    unsure_score: ClassVar[float] = 0.3

    def detect(self, text: str) -> Iterator[Detection]:
        """Yield a detection for every match that is not ``INVALID``."""
        for match in self.pattern.finditer(text):
            detection = self.judge(match)
            if detection is not None:
                yield detection

    def judge(self, match: re.Match[str]) -> Detection | None:
        """Turn one regex match into a detection, or ``None`` to drop it."""
        start, end = match.span()
        validation = self.validate(match)
        if validation is Validation.INVALID:
            if not self.keep_invalid:
                return None
            score = 0.0
        elif self.is_bare(match):
            field = self.field(match.string, start, end)
            if field is Field.NOT_PERSONAL:
                return None
            score = self.bare_score(match, validation, field)
        else:
            score = self.boosted(
                match.string, match.start(), self.prior(match, validation)
            )
        return Detection(
            self.entity, start, end, match.string[start:end], score, validation
        )

    def boosted(self, text: str, start: int, score: float) -> float:
        """``score`` raised by ``context_boost`` when a context word precedes
        ``start``."""
        if self.context and has_context(
            text, start, fold_all(self.context), self.context_window
        ):
            score = min(1.0, score + self.context_boost)
        return round(score, 3)

    def is_bare(self, match: re.Match[str]) -> bool:
        """Whether the match needs its field to be told from an identifier
        (a digit run without separators); False by default."""
        return False

    def field(self, text: str, start: int, end: int) -> Field:
        """What the value's field says of it; a context word in the window
        before it counts as a field of its kind."""
        said = field_of(text, start, end, self.entity)
        if said is Field.NONE and (
            self.context
            and has_context(text, start, fold_all(self.context), self.context_window)
        ):
            return Field.KIND
        return said

    def bare_score(
        self, match: re.Match[str], validation: Validation, field: Field
    ) -> float:
        """A bare match's score: ``prior`` raised by ``context_boost`` in a
        field of its kind, else at most ``unsure_score``."""
        score = self.prior(match, validation)
        if field is Field.KIND:
            return round(min(1.0, score + self.context_boost), 3)
        return round(min(score, self.unsure_score), 3)

    def validate(self, match: re.Match[str]) -> Validation:
        """Check the match (checksum, date, range); ``UNCHECKED`` by default."""
        return Validation.UNCHECKED

    def prior(self, match: re.Match[str], validation: Validation) -> float:
        """The score before context: ``valid_score`` if valid, else ``base_score``."""
        return self.valid_score if validation is Validation.VALID else self.base_score
