"""Click's own words in ``--help`` ("Usage:", "Options", "Show this message
and exit.", "[default: ...]") in the interface language. Click looks each up
through ``gettext`` as it formats the help; the modules that do are given a
look-up that answers from our messages (``click.help.*``) for these words and
asks ``gettext`` for every other (its error wordings stay English for
``cli.usage`` to say again)."""

from __future__ import annotations

import re
import unicodedata
from gettext import gettext

import click._textwrap
import click.core
import click.decorators
import click.formatting
from click._compat import strip_ansi

from privwatch.i18n import message

#: click's English help words (click 8.x) and the message that says each
WORDS = {
    "Usage:": "click.help.usage",
    "Options": "click.help.options",
    "Commands": "click.help.commands",
    "Positional arguments": "click.help.arguments",
    "Show this message and exit.": "click.help.help",
    "Show the version and exit.": "click.help.version",
    "default: {default}": "click.help.default",
    "env var: {var}": "click.help.env_var",
    "required": "click.help.required",
    "(dynamic)": "click.help.dynamic",
    "deprecated": "click.help.deprecated",
    "Confirm the action without prompting.": "click.help.confirm",
}
_FIELD = re.compile(r"\{(\w+)\}")
_language = ["en"]


def _said(text: str) -> str:
    key = WORDS.get(text)
    if key is None or _language[0] == "en":
        return gettext(text)
    fields = {name: "{" + name + "}" for name in _FIELD.findall(text)}
    return message(key, _language[0], **fields)


def name_values(command: click.Command, lang: str) -> None:
    """In ``lang`` other than English, the placeholders of ``command``'s help
    (``[OPTIONS]``, ``TEXT``, ``FILE``, an argument's ``PLATFORM``) named in
    it (``[옵션]``, ``텍스트``, ``파일``, ``플랫폼``); a placeholder already
    set (``ADDRESS``) or a list of choices stays as it is."""
    if lang == "en":
        return
    command.options_metavar = message("click.metavar.options", lang)
    if isinstance(command, click.Group):
        command.subcommand_metavar = message("click.metavar.command", lang)
        for subcommand in command.commands.values():
            name_values(subcommand, lang)
    for param in command.params:
        if param.metavar is not None or isinstance(param.type, click.Choice):
            continue
        if isinstance(param, click.Argument):
            named = _named(f"click.metavar.arg.{param.name}", lang)
            if named is not None:
                named += "..." if param.nargs == -1 else ""
                param.metavar = named if param.required else f"[{named}]"
        elif isinstance(param, click.Option) and not param.is_flag:
            key = f"click.metavar.type.{param.type.name.replace(' ', '_')}"
            param.metavar = _named(key, lang)


def _named(key: str, lang: str) -> str | None:
    """Message ``key`` in ``lang``; None (click's own English placeholder)
    for a placeholder no message names yet, a new command's argument."""
    try:
        return message(key, lang)
    except KeyError:
        return None


def display_width(text: str) -> int:
    """Columns ``text`` takes in a terminal: a wide (Hangul, CJK) character
    two, a combining mark none, an ANSI colour code none."""
    return sum(
        0
        if unicodedata.combining(char)
        else 2
        if unicodedata.east_asian_width(char) in "WF"
        else 1
        for char in strip_ansi(text)
    )


def use_language(lang: str) -> None:
    """Have click say its help words in ``lang`` from now on, and measure its
    help's lines in columns (click counts characters: a Korean help line
    would run to twice the terminal's width)."""
    _language[0] = lang
    for module in (click.core, click.decorators, click.formatting):
        module._ = _said  # type: ignore[attr-defined]
    for module in (click.formatting, click._textwrap):
        module.term_len = display_width  # type: ignore[attr-defined]
