"""The ``privwatch`` command: a thin shell over the library.

Conventions: results on stdout, progress and errors on stderr; an error is one
line and exit status 2 (usage and input errors), 130 when interrupted.

Each module builds its commands for one language (the help is in it), and
imports the library only when a command runs, so ``--help`` stays fast.
"""

from __future__ import annotations

import os
import sys
from collections.abc import Callable, Sequence

import click

from privwatch import __version__
from privwatch.cli.audit import audit_command, ingest_command
from privwatch.cli.batch import batch_command
from privwatch.cli.classify import classify_command, train_command
from privwatch.cli.db import db_group
from privwatch.cli.helptext import name_values, use_language
from privwatch.cli.interrupts import (
    RootGroup,
    Stop,
    interrupted_line,
    leave_now,
    quiet_from_now,
    stop_on_signals,
)
from privwatch.cli.products import products_group
from privwatch.cli.record import record_command
from privwatch.cli.report import report_group
from privwatch.cli.scan import scan_command
from privwatch.cli.serve import serve_command
from privwatch.cli.usage import usage_detail
from privwatch.cli.user import user_group
from privwatch.cli.verify import verify_command
from privwatch.cli.watch import watch_group
from privwatch.errors import PrivwatchError
from privwatch.fields import shown
from privwatch.i18n import LANGUAGES, default_language, message

COMMANDS: tuple[Callable[[str], click.Command], ...] = (
    ingest_command,
    audit_command,
    classify_command,
    train_command,
    watch_group,
    batch_command,
    scan_command,
    report_group,
    verify_command,
    serve_command,
    user_group,
    db_group,
    record_command,
    products_group,
)


def build_cli(lang: str) -> click.Group:
    """The click command group with help text in ``lang``."""
    use_language(lang)

    @click.group(cls=RootGroup, help=message("help.app", lang), no_args_is_help=True)
    @click.version_option(
        __version__,
        "--version",
        prog_name="privwatch",
        help=message("help.version", lang),
    )
    @click.option(
        "--lang",
        type=click.Choice(LANGUAGES),
        default=lang,
        help=message("help.lang", lang),
    )
    def cli(lang: str) -> None:
        pass

    for command in COMMANDS:
        cli.add_command(_with_lang(command(lang), lang))
    name_values(cli, lang)
    return cli


def _with_lang(command: click.Command, lang: str) -> click.Command:
    """``command`` (and, for a group, each of its commands) accepting ``--lang``
    as the app does; ``main`` has read it already."""
    if not any(param.name == "lang" for param in command.params):
        command.params.append(
            click.Option(
                ["--lang"],
                type=click.Choice(LANGUAGES),
                default=lang,
                expose_value=False,
                help=message("help.lang", lang),
            )
        )
    if isinstance(command, click.Group):
        for subcommand in command.commands.values():
            _with_lang(subcommand, lang)
    return command


def _language_from(argv: Sequence[str]) -> str:
    """The ``--lang`` given closest to the command (the last one), else the
    environment's language."""
    chosen = default_language()
    for index, arg in enumerate(argv):
        if arg == "--":
            break
        if arg == "--lang" and index + 1 < len(argv) and argv[index + 1] in LANGUAGES:
            chosen = argv[index + 1]
        if arg.startswith("--lang=") and arg[7:] in LANGUAGES:
            chosen = arg[7:]
    return chosen


def main(argv: Sequence[str] | None = None) -> None:
    """Entry point: run the app, turning errors into one line and an exit status."""
    args = list(sys.argv[1:] if argv is None else argv)
    lang = _language_from(args)
    code = 0
    if argv is None:  # the program itself, not a test calling main
        stop_on_signals()
    try:
        result = build_cli(lang).main(
            args=args, prog_name="privwatch", standalone_mode=False
        )
        code = result if isinstance(result, int) else 0
    except PrivwatchError as exc:
        print(f"privwatch: {shown(exc.render(lang))}", file=sys.stderr)
        code = exc.exit_code
    except click.UsageError as exc:
        detail = usage_detail(exc, lang)
        print(
            f"privwatch: {message('usage.error', lang, detail=detail)}", file=sys.stderr
        )
        code = 2
    except (Stop, KeyboardInterrupt, click.Abort) as exc:
        if argv is None:
            quiet_from_now()
        cause: BaseException | None = exc.interrupt if isinstance(exc, Stop) else exc
        if not isinstance(cause, KeyboardInterrupt):  # click's Abort
            cause = exc.__cause__
        print(f"privwatch: {interrupted_line(cause, lang)}", file=sys.stderr)
        code = 130
        if argv is None:
            leave_now(code)
    except click.exceptions.Exit as exc:
        code = exc.exit_code
    except BrokenPipeError:
        code = 0
    except Exception as exc:  # a bug: one line, the traceback only on request
        if os.environ.get("PRIVWATCH_DEBUG"):
            raise
        reason = f"{type(exc).__name__}: {exc}"
        print(
            f"privwatch: {message('internal_error', lang, reason=reason)}",
            file=sys.stderr,
        )
        code = 1
    sys.exit(code)
