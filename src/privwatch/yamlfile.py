"""YAML files, read one way: checked against a schema, and a broken file told
in one line naming the file and the field at fault.

- ``packaged(package, name, schema)``: a data file shipped in the package, read
  once per process with libyaml's C loader when PyYAML has it. Its schema is a
  ``TypedDict`` (checked, and returned as parsed, so readers see plain dicts
  and lists) or a pydantic model.
- ``load_model(path, model, key)``: a user's file (targets, manifest) into a
  pydantic model, errors under the caller's message key; ``parse`` for other
  users' files (packs, registries, personas, evaluation configs).

pydantic is imported only for pydantic schemas: the message catalogue, read for
``--help``, does not load it.
"""

from __future__ import annotations

import functools
import types
import typing
from collections.abc import Hashable
from importlib import resources
from pathlib import Path
from typing import TYPE_CHECKING, Any, Literal, TypeVar, Union, cast

import yaml

from privwatch.errors import InputError

if TYPE_CHECKING:
    from pydantic import BaseModel, ValidationError

    Model = TypeVar("Model", bound=BaseModel)

T = TypeVar("T")
_LOADER = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


def parse(text: str) -> Any:
    """A user's YAML ``text`` as Python data (safe types only), with PyYAML's
    own parser: libyaml words errors otherwise and stops at 1,000 levels with
    a YAMLError where users are told ``input.too_deep``; users' files are small."""
    return yaml.safe_load(text)


def packaged(package: str, name: str, schema: type[T]) -> T:
    """The data file ``name`` (``data/cues.yaml``) of ``package``, checked
    against ``schema``; read once per process, so treat it as read-only."""
    return cast(T, _packaged(package, name, cast(Hashable, schema)))


@functools.cache
def _packaged(package: str, name: str, schema: Any) -> Any:
    where = f"{package.replace('.', '/')}/{name}"
    text = resources.files(package).joinpath(name).read_text("utf-8")
    data = yaml.load(text, Loader=_LOADER)  # noqa: S506 - a safe loader
    if hasattr(schema, "model_validate"):  # a pydantic model
        from pydantic import ValidationError

        try:
            return schema.model_validate(data)
        except ValidationError as exc:
            raise InputError("data.invalid", path=where, reason=_reason(exc)) from None
    try:
        _check(data, schema, ())
    except _Mismatch as exc:
        place = ".".join(str(p) for p in exc.loc) or "(top)"
        raise InputError(
            "data.invalid", path=where, reason=f"{place}: {exc.problem}"
        ) from None
    return data


def load_model(path: Path, model: type[Model], key: str) -> Model:
    """``model`` from the YAML at ``path``; errors use message ``key`` with
    ``path`` and ``reason``."""
    from pydantic import ValidationError

    try:
        return model.model_validate(parse(path.read_text("utf-8")))
    except FileNotFoundError:
        raise InputError("input.not_found", path=path) from None
    except IsADirectoryError:
        raise InputError("input.is_directory", path=path) from None
    except UnicodeDecodeError:
        raise InputError("input.bad_encoding", source=path, encoding="UTF-8") from None
    except yaml.YAMLError as exc:
        raise InputError(key, path=path, reason=" ".join(str(exc).split())) from None
    except RecursionError:  # PyYAML recurses once per nesting level
        raise InputError("input.too_deep", path=path) from None
    except ValidationError as exc:
        raise InputError(key, path=path, reason=_reason(exc)) from None


def _reason(exc: ValidationError) -> str:
    """``field.path: problem`` of pydantic's first error, on one line."""
    first = exc.errors()[0]
    # a key may hold a line break: escaped, the message stays one line
    place = "".join(
        c if c.isprintable() else repr(c)[1:-1]
        for c in ".".join(str(p) for p in first["loc"])
    )
    return f"{place}: {first['msg']}"


class _Mismatch(Exception):
    def __init__(self, loc: tuple[str | int, ...], problem: str) -> None:
        self.loc = loc
        self.problem = problem


@functools.cache
def _fields(schema: type[Any]) -> tuple[dict[str, Any], frozenset[str]]:
    """A TypedDict's field types and required keys (read from the hints:
    under ``from __future__ import annotations`` Python 3.11's
    ``__required_keys__`` misses ``NotRequired``)."""
    fields: dict[str, Any] = {}
    required = set()
    for key, hint in typing.get_type_hints(schema, include_extras=True).items():
        origin = typing.get_origin(hint)
        if origin in (typing.NotRequired, typing.Required):
            hint = typing.get_args(hint)[0]
        if origin is typing.Required or (
            origin is not typing.NotRequired and schema.__total__
        ):
            required.add(key)
        fields[key] = hint
    return fields, frozenset(required)


def _check(value: Any, schema: Any, loc: tuple[str | int, ...]) -> None:
    """Raise ``_Mismatch`` where ``value`` does not have the type ``schema``
    (a TypedDict, ``dict[K, V]``, ``list[T]``, a union, a ``Literal`` or a
    plain type); nothing is converted."""
    origin = typing.get_origin(schema)
    args = typing.get_args(schema)
    if schema is Any:
        return
    if typing.is_typeddict(schema):
        if not isinstance(value, dict):
            raise _Mismatch(loc, f"expected a mapping, got {_kind(value)}")
        fields, required = _fields(schema)
        for key in sorted(required - set(value)):
            raise _Mismatch((*loc, key), "missing")
        for key, item in value.items():
            if key not in fields:
                raise _Mismatch((*loc, str(key)), "unknown key")
            _check(item, fields[key], (*loc, key))
    elif origin is dict:
        if not isinstance(value, dict):
            raise _Mismatch(loc, f"expected a mapping, got {_kind(value)}")
        for key, item in value.items():
            _check(key, args[0], (*loc, str(key)))
            _check(item, args[1], (*loc, str(key)))
    elif origin is list:
        if not isinstance(value, list):
            raise _Mismatch(loc, f"expected a list, got {_kind(value)}")
        for index, item in enumerate(value):
            _check(item, args[0], (*loc, index))
    elif origin in (Union, types.UnionType):
        problems = []
        for option in args:
            try:
                return _check(value, option, loc)
            except _Mismatch as exc:
                problems.append(exc)
        raise max(problems, key=lambda p: len(p.loc))  # the one that got furthest
    elif origin is Literal:
        if value not in args:
            raise _Mismatch(loc, f"expected one of {', '.join(map(repr, args))}")
    elif not isinstance(value, schema) or (schema is int and isinstance(value, bool)):
        raise _Mismatch(loc, f"expected {schema.__name__}, got {_kind(value)}")


def _kind(value: Any) -> str:
    return "null" if value is None else type(value).__name__
