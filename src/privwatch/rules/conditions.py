"""Rule conditions as a typed model: a closed set of operators, never code.

    exists:  {fact: KIND, where: {ATTR: VALUE, ATTR: {in: [..]}, ATTR: {not: VALUE}}}
    missing: {fact: KIND, where: {...}}
    all: [COND, ...]    any: [COND, ...]    not: COND
    context: {foreign: true, korea_facing: false, agent_required: true}

``parse`` reads the YAML data into these models and checks every fact kind,
attribute, value type and context key against the declaration in
``rules.facts``; anything else is refused with a message naming the field
(``missing.fact: unknown fact kind 'offcer'``).
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from typing import Any, Generic, TypeAlias, TypeVar

from pydantic import BaseModel, ConfigDict

from privwatch.models import Attr, Fact
from privwatch.rules.facts import CONTEXT_KEYS, KIND_BY_NAME, Type

OPERATORS = ("exists", "missing", "all", "any", "not", "context")
Scalar: TypeAlias = bool | str | None


class _Model(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class Test(_Model):
    """A test on one attribute: one of ``choices`` (``in``) and/or not ``exclude``
    (``not``)."""

    choices: tuple[Scalar, ...] | None = None
    exclude: Scalar = None
    has_exclude: bool = False

    def accepts(self, actual: Attr) -> bool:
        if self.choices is not None and actual not in self.choices:
            return False
        return not (self.has_exclude and actual == self.exclude)

    def to_data(self) -> dict[str, Any]:
        data: dict[str, Any] = {}
        if self.choices is not None:
            data["in"] = list(self.choices)
        if self.has_exclude:
            data["not"] = self.exclude
        return data


class Query(_Model):
    """The facts of kind ``fact`` whose attributes (and ``value``) pass ``where``."""

    fact: str
    where: tuple[tuple[str, Scalar | Test], ...] = ()

    def matches(self, fact: Fact) -> bool:
        if fact.kind != self.fact:
            return False
        for name, wanted in self.where:
            actual = fact.value if name == "value" else fact.get(name)
            if isinstance(wanted, Test):
                if not wanted.accepts(actual):
                    return False
            elif actual != wanted:
                return False
        return True

    def select(self, facts: list[Fact]) -> list[Fact]:
        return [f for f in facts if self.matches(f)]

    def to_data(self) -> dict[str, Any]:
        data: dict[str, Any] = {"fact": self.fact}
        if self.where:
            data["where"] = {
                name: value.to_data() if isinstance(value, Test) else value
                for name, value in self.where
            }
        return data


class Exists(_Model):
    exists: Query


class Missing(_Model):
    missing: Query


class All(_Model):
    all: tuple[Condition, ...]


class Any_(_Model):
    any: tuple[Condition, ...]


class Not(_Model):
    negated: Condition


class Context(_Model):
    context: tuple[tuple[str, bool], ...]

    def holds(self, context: Mapping[str, bool]) -> bool:
        return all(context.get(key, False) == wanted for key, wanted in self.context)


Condition: TypeAlias = Exists | Missing | All | Any_ | Not | Context


T = TypeVar("T")


class Walker(Generic[T]):
    """What a reading of a condition makes of each operator, given what it
    made of the parts (``walk`` does the recursion). ``top`` is true for the
    rule's own condition, false for every part inside ``all``, ``any`` or
    ``not``. The engine reads whether a condition holds; the scorecard reads
    whether it could hold at all."""

    def exists(self, query: Query, *, top: bool) -> T:
        raise NotImplementedError

    def missing(self, query: Query, *, top: bool) -> T:
        raise NotImplementedError

    def context(self, condition: Context) -> T:
        raise NotImplementedError

    def negate(self, inner: T) -> T:
        raise NotImplementedError

    def all(self, parts: list[T]) -> T:
        raise NotImplementedError

    def any(self, parts: list[T]) -> T:
        raise NotImplementedError


def walk(condition: Condition, walker: Walker[T], *, top: bool = True) -> T:
    """``condition`` read by ``walker``, every part of it (no short cut)."""
    if isinstance(condition, Exists):
        return walker.exists(condition.exists, top=top)
    if isinstance(condition, Missing):
        return walker.missing(condition.missing, top=top)
    if isinstance(condition, Context):
        return walker.context(condition)
    if isinstance(condition, Not):
        return walker.negate(walk(condition.negated, walker, top=False))
    if isinstance(condition, All):
        return walker.all([walk(part, walker, top=False) for part in condition.all])
    return walker.any([walk(part, walker, top=False) for part in condition.any])


def to_data(condition: Condition) -> dict[str, Any]:
    """The condition as the plain data a pack writes."""
    if isinstance(condition, Exists):
        return {"exists": condition.exists.to_data()}
    if isinstance(condition, Missing):
        return {"missing": condition.missing.to_data()}
    if isinstance(condition, All):
        return {"all": [to_data(part) for part in condition.all]}
    if isinstance(condition, Any_):
        return {"any": [to_data(part) for part in condition.any]}
    if isinstance(condition, Not):
        return {"not": to_data(condition.negated)}
    return {"context": dict(condition.context)}


def queries(condition: Condition) -> Iterator[Query]:
    """Every fact query in ``condition``."""
    if isinstance(condition, Exists):
        yield condition.exists
    elif isinstance(condition, Missing):
        yield condition.missing
    elif isinstance(condition, All | Any_):
        for part in condition.all if isinstance(condition, All) else condition.any:
            yield from queries(part)
    elif isinstance(condition, Not):
        yield from queries(condition.negated)


def kinds(condition: Condition) -> set[str]:
    """The fact kinds ``condition`` names."""
    return {query.fact for query in queries(condition)}


class ConditionError(ValueError):
    """A condition outside the closed set; ``path`` is where (``all.1.missing.fact``)."""

    def __init__(self, path: list[str], message: str) -> None:
        place = ".".join(path)
        super().__init__(f"{place}: {message}" if place else message)


def parse(data: Any, path: list[str] | None = None) -> Condition:
    """The typed condition ``data`` (YAML) writes, or ConditionError."""
    path = path or []
    if not isinstance(data, dict) or len(data) != 1:
        raise ConditionError(
            path, f"a condition is one operator of {', '.join(OPERATORS)}"
        )
    ((operator, argument),) = data.items()
    here = [*path, str(operator)]
    if operator in ("all", "any"):
        if not isinstance(argument, list) or not argument:
            raise ConditionError(here, f"{operator} takes a list of conditions")
        parts = tuple(
            parse(part, [*here, str(index)]) for index, part in enumerate(argument)
        )
        return All(all=parts) if operator == "all" else Any_(any=parts)
    if operator == "not":
        return Not(negated=parse(argument, here))
    if operator == "context":
        return Context(context=_context(argument, here))
    if operator in ("exists", "missing"):
        query = _query(argument, here)
        return Exists(exists=query) if operator == "exists" else Missing(missing=query)
    raise ConditionError(
        path,
        f"unknown operator {str(operator)[:40]!r}; use one of {', '.join(OPERATORS)}",
    )


def _context(argument: Any, path: list[str]) -> tuple[tuple[str, bool], ...]:
    if not isinstance(argument, dict) or not argument:
        raise ConditionError(path, "context takes a mapping such as {foreign: true}")
    for key, value in argument.items():
        if key not in CONTEXT_KEYS:
            raise ConditionError(
                [*path, str(key)[:40]],
                f"unknown context key; use one of {', '.join(CONTEXT_KEYS)}",
            )
        if not isinstance(value, bool):
            raise ConditionError([*path, key], "takes true or false")
    return tuple(argument.items())


def _query(argument: Any, path: list[str]) -> Query:
    if not isinstance(argument, dict) or "fact" not in argument:
        raise ConditionError(path, "takes {fact: KIND, where: {...}}")
    extra = set(argument) - {"fact", "where"}
    if extra:
        raise ConditionError(
            [*path, str(sorted(map(str, extra))[0])[:40]],
            "unknown field; a fact query has fact and where",
        )
    name = argument["fact"]
    kind = KIND_BY_NAME.get(name) if isinstance(name, str) else None
    if kind is None:
        raise ConditionError(
            [*path, "fact"],
            f"unknown fact kind {str(name)[:40]!r}; "
            f"known: {', '.join(sorted(KIND_BY_NAME))}",
        )
    where = argument.get("where") or {}
    if not isinstance(where, dict):
        raise ConditionError([*path, "where"], "takes a mapping of attributes")
    types = {"value": kind.value} | kind.attr_types()
    tests: list[tuple[str, Scalar | Test]] = []
    for attr, wanted in where.items():
        place = [*path, "where", str(attr)[:40]]
        attr_type = types.get(attr) if isinstance(attr, str) else None
        if attr_type is None:
            known = ", ".join(sorted(types))
            raise ConditionError(
                place, f"{name} has no attribute {str(attr)[:40]!r}; known: {known}"
            )
        tests.append((attr, _test(wanted, attr_type, place)))
    return Query(fact=name, where=tuple(tests))


def _test(wanted: Any, attr_type: Type, path: list[str]) -> Scalar | Test:
    if isinstance(wanted, dict):
        if not wanted or set(wanted) - {"in", "not"}:
            raise ConditionError(path, "a test is a value, {in: [...]} or {not: ...}")
        choices = wanted.get("in")
        if "in" in wanted:
            if not isinstance(choices, list) or not choices:
                raise ConditionError([*path, "in"], "takes a list of values")
            for value in choices:
                _check(value, attr_type, [*path, "in"])
        if "not" in wanted:
            _check(wanted["not"], attr_type, [*path, "not"])
        return Test(
            choices=tuple(choices) if isinstance(choices, list) else None,
            exclude=wanted.get("not"),
            has_exclude="not" in wanted,
        )
    _check(wanted, attr_type, path)
    result: Scalar = wanted
    return result


def _check(value: Any, attr_type: Type, path: list[str]) -> None:
    if isinstance(value, list | dict) or not attr_type.accepts(value):
        shown = (
            repr(value) if not isinstance(value, list | dict) else type(value).__name__
        )
        raise ConditionError(path, f"{shown[:40]} is not {attr_type.plain()}")


All.model_rebuild()
Any_.model_rebuild()
Not.model_rebuild()
