"""Click's usage errors in the interface language: the error's kind and values
are read from click's exception (or, for the few click raises as plain text,
from its English wording) and said again with our messages (``click.*``)."""

from __future__ import annotations

import re
from collections.abc import Sequence

import click

from privwatch.i18n import message

#: click's English wordings (click 8.x) and the message that says each
_WORDINGS = [
    (r"(?P<value>.+) is not a valid (?:integer|float|UUID)\.", "click.not_a_number"),
    (r"(?P<value>.+) is not in the range (?P<range>.+)\.", "click.out_of_range"),
    (r"(?P<value>.+) is not (?:one of )?(?P<choices>.+)\.", "click.not_a_choice"),
    (r"(?:File|Directory|Path) (?P<value>.+) does not exist\.", "click.no_path"),
    (r"(?:File|Path) (?P<value>.+) is a directory\.", "click.is_directory"),
    (r"(?:Directory|Path) (?P<value>.+) is a file\.", "click.is_file"),
    (r"\w+ (?P<value>.+) is not (?:readable|writable)\.", "click.no_access"),
    (r"No such command (?P<value>.+)\.", "click.no_such_command"),
    (r"Got unexpected extra arguments? \((?P<value>.+)\)", "click.extra_arguments"),
    (r"Missing command\.", "click.missing_command"),
    (
        r"Option (?P<value>.+) requires (?:an argument|\d+ arguments)\.",
        "click.needs_value",
    ),
    (r"Option (?P<value>.+) does not take a value\.", "click.takes_no_value"),
]


def _hint(exc: click.BadParameter) -> str:
    hint: str | Sequence[str] | None = exc.param_hint
    if hint is None and exc.param is not None:
        hint = exc.param.get_error_hint(exc.ctx)
    if isinstance(hint, str) or hint is None:
        return hint or ""
    return " / ".join(repr(h) for h in hint)


def _said(text: str, lang: str) -> str:
    """Click's English ``text`` in ``lang``; other text (ours) as it is."""
    for pattern, key in _WORDINGS:
        found = re.fullmatch(pattern, text, re.DOTALL)
        if found:
            return message(key, lang, **found.groupdict())
    return text


def usage_detail(exc: click.UsageError, lang: str) -> str:
    """The one-line detail of a usage error, in ``lang``."""
    if lang == "en":
        return " ".join(exc.format_message().split())
    if isinstance(exc, click.MissingParameter):
        kind = exc.param_type or (exc.param.param_type_name if exc.param else "")
        key = "click.missing_option" if kind == "option" else "click.missing_argument"
        detail = message(key, lang, name=_hint(exc))
        if exc.param is not None and isinstance(exc.param.type, click.Choice):
            choices = ", ".join(map(str, exc.param.type.choices))
            detail += " " + message("click.choose_from", lang, choices=choices)
        return detail
    if isinstance(exc, click.BadParameter):
        reason = _said(" ".join(exc.message.split()), lang)
        hint = _hint(exc)
        return (
            message("click.bad_value", lang, name=hint, reason=reason)
            if hint
            else reason
        )
    if isinstance(exc, click.NoSuchOption):
        detail = message("click.no_such_option", lang, name=exc.option_name)
        if exc.possibilities:
            options = ", ".join(exc.possibilities)
            detail += " " + message("click.did_you_mean", lang, options=options)
        return detail
    return _said(" ".join(exc.message.split()), lang)
