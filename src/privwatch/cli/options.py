"""Options shared by several commands, declared once, with help in ``lang``.

Defaults that live in the library are read when a command runs (click calls a
callable default only then), so ``--help`` does not import the readers.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING, Any

import click

from privwatch.i18n import message

Decorator = Callable[[Any], Any]

_SIZE = re.compile(r"^\s*(\d+(?:\.\d+)?)\s*([kmg]?)i?b?\s*$", re.I)
_UNITS = {"": 1, "k": 1024, "m": 1024**2, "g": 1024**3}


if TYPE_CHECKING:
    _IntType = click.ParamType[int]
else:  # ParamType takes type arguments only in recent click releases
    _IntType = click.ParamType


class Size(_IntType):
    """A number of bytes, written ``50MB``, ``500k``, ``1.5GiB`` or ``1024``."""

    name = "size"

    def __init__(self, lang: str) -> None:
        self.lang = lang

    def convert(
        self, value: Any, param: click.Parameter | None, ctx: click.Context | None
    ) -> int:
        if isinstance(value, int):
            return value
        match = _SIZE.match(str(value))
        if not match:
            self.fail(message("usage.bad_size", self.lang, value=value), param, ctx)
        return int(float(match.group(1)) * _UNITS[match.group(2).lower()])


if TYPE_CHECKING:
    _StrType = click.ParamType[str]
else:
    _StrType = click.ParamType


class Country(_StrType):
    """A country as its ISO 3166-1 alpha-2 code (``KR``, ``SG``; lower case
    read as upper)."""

    name = "country"

    def __init__(self, lang: str) -> None:
        self.lang = lang

    def convert(
        self, value: Any, param: click.Parameter | None, ctx: click.Context | None
    ) -> str:
        code = str(value).strip().upper()
        if not re.fullmatch(r"[A-Z]{2}", code):
            self.fail(message("usage.bad_country", self.lang, value=value), param, ctx)
        return code


def _default_max_bytes() -> int:
    from privwatch.ingest.source import DEFAULT_MAX_BYTES

    return DEFAULT_MAX_BYTES


def _default_timeout() -> float:
    from privwatch.ingest.source import DEFAULT_TIMEOUT

    return DEFAULT_TIMEOUT


def max_size_option(lang: str) -> Decorator:
    """``--max-size`` (or ``PRIVWATCH_MAX_SIZE``), given to the command in bytes."""
    return click.option(
        "--max-size",
        envvar="PRIVWATCH_MAX_SIZE",
        type=Size(lang),
        default=_default_max_bytes,
        help=message("help.ingest.max_size", lang),
    )


def fetch_options(lang: str) -> Decorator:
    """``--max-size`` and ``--timeout``, for commands that read a source."""

    def add(command: Any) -> Any:
        command = click.option(
            "--timeout",
            type=click.FloatRange(min=0.1),
            default=_default_timeout,
            help=message("help.ingest.timeout", lang),
        )(command)
        return max_size_option(lang)(command)

    return add


class Database(_StrType):
    """A store: a file path (relative or absolute, made ``sqlite:///ABS``) or a
    ``sqlite://`` or ``postgresql://`` URL; another scheme is refused (one line,
    exit 2) before the command starts."""

    name = "database"

    def __init__(self, lang: str) -> None:
        self.lang = lang

    def convert(
        self, value: Any, param: click.Parameter | None, ctx: click.Context | None
    ) -> str:
        if not str(value).strip():
            self.fail(message("usage.empty_db", self.lang), param, ctx)
        from privwatch.store.database import database_url

        return database_url(str(value))


def db_option(lang: str) -> Decorator:
    """``--db``: the store's URL or file (default: the user's data directory)."""
    return click.option(
        "--db", "db", type=Database(lang), help=message("help.watch.db", lang)
    )


def delay_option(lang: str, help_key: str) -> Decorator:
    """``--delay``: seconds between two requests to the same site."""
    return click.option(
        "--delay",
        type=click.FloatRange(min=0),
        default=1.0,
        help=message(help_key, lang),
    )


def kind_option(lang: str) -> Decorator:
    """``--kind`` of a watched document."""
    return click.option(
        "--kind",
        default="privacy",
        type=click.Choice(["privacy", "terms", "trackers"]),
        help=message("help.watch.kind", lang),
    )


def persona_option(lang: str) -> Decorator:
    """``--persona``: the test account whose values a scan looks for."""
    return click.option(
        "--persona",
        type=click.Path(dir_okay=False, path_type=Path),
        help=message("help.scan.persona", lang),
    )


def user_country_option(lang: str) -> Decorator:
    """``--user-country``, given to the command in upper case."""
    return click.option(
        "--user-country",
        default="KR",
        callback=lambda _ctx, _param, value: value.upper(),
        help=message("help.scan.user_country", lang),
    )
