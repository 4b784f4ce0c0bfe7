"""Rule packs as data: the YAML schema, checked with pydantic at load time."""

from __future__ import annotations

import functools
import re
from importlib import resources
from pathlib import Path
from typing import Any, Literal

import yaml
from pydantic import BaseModel, ConfigDict, Field, ValidationError, field_validator

from privwatch.errors import InputError
from privwatch.models import Severity
from privwatch.rules.conditions import Condition, parse
from privwatch.rules.facts import CONTEXT_KEYS
from privwatch.yamlfile import packaged
from privwatch.yamlfile import parse as parse_yaml

ARTICLE = re.compile(r"^\d+(-\d+)?(\(\d+\))*$")


class Text(BaseModel):
    """A text in Korean and English (rule packs, the guideline, the evaluation)."""

    model_config = ConfigDict(extra="forbid")
    ko: str
    en: str

    def pick(self, lang: str) -> str:
        return self.ko if lang == "ko" else self.en


class Example(BaseModel):
    model_config = ConfigDict(extra="forbid")
    lang: Literal["ko", "en"]
    text: str
    expect: int = Field(ge=0)
    context: dict[str, bool] = Field(default_factory=dict)
    #: how many of the findings expected are review items
    review: int | None = Field(default=None, ge=0)

    @field_validator("context")
    @classmethod
    def _context(cls, value: dict[str, bool]) -> dict[str, bool]:
        unknown = sorted(set(value) - set(CONTEXT_KEYS))
        if unknown:
            raise ValueError(
                f"unknown context key {unknown[0]!r}; use one of {', '.join(CONTEXT_KEYS)}"
            )
        return value


class Review(BaseModel):
    """When ``when`` holds, the rule's finding is a review item, for ``reason``."""

    model_config = ConfigDict(extra="forbid")
    when: Condition
    reason: Text

    @field_validator("when", mode="before")
    @classmethod
    def _when(cls, value: Any) -> Condition:
        return parse(value)


class Rule(BaseModel):
    model_config = ConfigDict(extra="forbid")
    id: str
    law: str
    article: str
    severity: Severity
    title: Text
    explanation: Text
    remediation: Text
    statute: str | None = None
    when: Condition
    review: list[Review] = Field(default_factory=list)
    examples: list[Example] = Field(default_factory=list)

    @field_validator("article")
    @classmethod
    def _article(cls, value: str) -> str:
        if not ARTICLE.match(value):
            raise ValueError(f"article {value!r} is not like '18', '28-8' or '28-8(2)'")
        return value

    @field_validator("when", mode="before")
    @classmethod
    def _when(cls, value: Any) -> Condition:
        return parse(value)


#: every rule of a pack made in this process, by id (the last made wins)
_loaded: dict[str, Rule] = {}


class Pack(BaseModel):
    model_config = ConfigDict(extra="forbid")
    pack: str
    version: str
    law: str
    title: Text
    rules: list[Rule]

    def model_post_init(self, context: Any, /) -> None:
        """Make the pack's rules known to ``known_rule`` (to word findings)."""
        _loaded.update((rule.id, rule) for rule in self.rules)


def check_condition(condition: Any) -> Condition:
    """The typed condition, or ValueError for anything outside the closed set
    of operators, fact kinds, attributes, value types and context keys."""
    return parse(condition)


def is_builtin(name: str) -> bool:
    """Whether ``name`` is a pack privwatch ships (``kr-pipa``, ``kr-terms``)."""
    return bool(re.fullmatch(r"[a-z0-9-]+", name)) and (
        resources.files("privwatch.rules").joinpath(f"packs/{name}.yaml").is_file()
    )


def load_pack(source: str | Path) -> Pack:
    """A built-in pack by name (``kr-pipa``) or a YAML file. A built-in pack is
    read once per process (a watch cycle audits many versions with it); treat
    the pack returned as read-only."""
    path = Path(source)
    if path.suffix in (".yaml", ".yml") or path.exists():
        return _read_pack(path)
    return _builtin_pack(str(source))


@functools.cache  # what a batch worker loaded is counted by its misses
def _builtin_pack(name: str) -> Pack:
    if not is_builtin(name):
        raise InputError(
            "rules.no_such_pack", source=name, packs=", ".join(builtin_packs())
        )
    return packaged("privwatch.rules", f"packs/{name}.yaml", Pack)


def builtin_packs() -> tuple[str, ...]:
    """The names of the packs shipped with privwatch."""
    folder = resources.files("privwatch.rules").joinpath("packs")
    return tuple(
        sorted(
            p.name.removesuffix(".yaml")
            for p in folder.iterdir()
            if p.name.endswith(".yaml")
        )
    )


def known_rule(rule_id: str) -> Rule | None:
    """The rule ``rule_id`` of a pack read in this process, else of a built-in
    pack; None when no pack in reach has it."""
    if rule_id not in _loaded:
        for name in builtin_packs():
            _builtin_pack(name)
    return _loaded.get(rule_id)


def _read_pack(path: Path) -> Pack:
    try:
        text = path.read_text("utf-8")
    except (FileNotFoundError, IsADirectoryError):
        raise InputError(
            "rules.no_such_pack", source=path, packs=", ".join(builtin_packs())
        ) from None
    except OSError as exc:
        raise InputError("input.unreadable", path=path, reason=exc.strerror) from None
    except UnicodeDecodeError:
        raise InputError("input.bad_encoding", source=path, encoding="UTF-8") from None
    where = str(path)
    try:
        pack = Pack.model_validate(parse_yaml(text))  # its rules now known
    except yaml.YAMLError as exc:
        raise InputError(
            "rules.invalid", source=where, reason=" ".join(str(exc).split())
        ) from None
    except RecursionError:  # PyYAML and conditions.parse recurse per level
        raise InputError("input.too_deep", path=where) from None
    except ValidationError as exc:
        first = exc.errors()[0]
        # a key may hold a line break: escaped, the message stays one line
        place = "".join(
            c if c.isprintable() else repr(c)[1:-1]
            for c in ".".join(str(p) for p in first["loc"])
        )
        rule = _rule_id(parse_yaml(text), first["loc"])
        text = first["msg"].removeprefix("Value error, ")
        reason = f"{place}{f' (rule {rule})' if rule else ''}: {text}"
        raise InputError("rules.invalid", source=where, reason=reason) from None
    return pack


def _rule_id(data: Any, loc: tuple[Any, ...]) -> str | None:
    if len(loc) >= 2 and loc[0] == "rules" and isinstance(loc[1], int):
        try:
            return str(data["rules"][loc[1]]["id"])
        except (KeyError, IndexError, TypeError):
            return None
    return None
