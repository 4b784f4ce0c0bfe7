"""Writing a command's result: one ``--format`` option, one writer per format,
and a file that appears only once it is complete."""

from __future__ import annotations

import os
import sys
import tempfile
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any, TextIO

import click

from privwatch.errors import PrivwatchError
from privwatch.i18n import message

if TYPE_CHECKING:
    from rich.console import Console

Text = Callable[[], str]
Draw = Callable[["Console"], None]
Writer = Callable[["Renderers", TextIO], None]


@dataclass(frozen=True)
class Renderers:
    """How one result renders: text formats return the document, ``table`` (the
    terminal view, an outline for ``ingest``) draws on a console."""

    json: Text | None = None
    html: Text | None = None
    csv: Text | None = None
    table: Draw | None = None


#: the width of a console whose lines are not wrapped (a pipe, a file): a table
#: is as wide as its content up to this
UNWRAPPED = 1000


def terminal_width(stream: TextIO) -> int | None:
    """The width to wrap ``stream``'s lines to: ``COLUMNS`` when set, else the
    terminal's width when it is one; None (no wrapping) for a pipe or a file,
    whose reader greps whole lines or has a pager or editor that wraps."""
    columns = os.environ.get("COLUMNS", "")
    if columns.isdigit() and int(columns) > 0:
        return int(columns)
    try:
        if stream.isatty():
            return os.get_terminal_size(stream.fileno()).columns
    except (OSError, ValueError, AttributeError):
        pass
    return None


def console_for(stream: TextIO, *, wrap: bool = True) -> Console:
    """A rich console on ``stream``: wrapped to :func:`terminal_width` when
    ``wrap`` and there is one, else lines kept whole (``soft_wrap``)."""
    from rich.console import Console

    width = terminal_width(stream) if wrap else None
    if width is None:
        return Console(file=stream, soft_wrap=True, width=UNWRAPPED, highlight=False)
    return Console(file=stream, width=width, highlight=False)


def _draw(renderers: Renderers, stream: TextIO) -> None:
    assert renderers.table is not None
    # stdout is wrapped to the terminal; an -o file never: it is a document
    renderers.table(console_for(stream, wrap=stream is sys.stdout))


def _text(pick: Callable[[Renderers], Text | None], end: str = "") -> Writer:
    def write(renderers: Renderers, stream: TextIO) -> None:
        render = pick(renderers)
        assert render is not None
        stream.write(render() + end)

    return write


WRITERS: dict[str, Writer] = {
    "table": _draw,
    "outline": _draw,
    "json": _text(lambda r: r.json, end="\n"),
    "html": _text(lambda r: r.html),
    "csv": _text(lambda r: r.csv),
}


def format_option(
    lang: str,
    help_key: str,
    formats: Sequence[str] = ("table", "json", "html"),
) -> Callable[[Any], Any]:
    """``--format``/``-f`` over ``formats`` (the first is the default), passed to
    the command as ``output_format``."""
    unknown = set(formats) - WRITERS.keys()
    assert not unknown, f"no writer for {unknown}"
    return click.option(
        "--format",
        "-f",
        "output_format",
        default=formats[0],
        type=click.Choice(list(formats)),
        help=message(help_key, lang),
    )


def output_option(lang: str) -> Callable[[Any], Any]:
    """``--output``/``-o``: a file to write instead of stdout."""
    return click.option(
        "--output",
        "-o",
        type=click.Path(dir_okay=False, path_type=Path),
        help=message("help.ingest.output", lang),
    )


def write_output(path: Path | None, output_format: str, renderers: Renderers) -> None:
    """Render in ``output_format`` to stdout, or to ``path`` once complete."""
    with atomic_output(path) as stream:
        WRITERS[output_format](renderers, stream)


#: outputs being written: an interrupted command's quick exit removes them, as
#: it skips the clean-up of a writer whose frame the interrupt left suspended
PARTS: set[str] = set()


@contextmanager
def atomic_output(path: Path | None) -> Iterator[TextIO]:
    """Write to stdout, or to ``path`` only once everything has been written."""
    if path is None:
        yield sys.stdout
        return
    if path.exists() and not path.is_file():  # /dev/stdout, a pipe: not replaced
        try:
            with path.open("w", encoding="utf-8") as stream:
                yield stream
        except OSError as exc:
            raise PrivwatchError(
                "output.unwritable", path=path, reason=exc.strerror
            ) from None
        return
    try:
        fd, temporary = tempfile.mkstemp(
            dir=path.parent, prefix=f".{path.name}.", suffix=".part"
        )
    except OSError as exc:
        raise PrivwatchError(
            "output.unwritable", path=path, reason=exc.strerror
        ) from None
    PARTS.add(temporary)
    try:
        os.fchmod(fd, _mode(path))
        with os.fdopen(fd, "w", encoding="utf-8") as handle:
            yield handle
        os.replace(temporary, path)
    except BaseException as exc:
        Path(temporary).unlink(missing_ok=True)
        if isinstance(exc, OSError):
            raise PrivwatchError(
                "output.unwritable", path=path, reason=exc.strerror
            ) from None
        raise
    finally:
        PARTS.discard(temporary)


def _mode(path: Path) -> int:
    """The permissions ``path`` gets: those of the file it replaces, else
    those any new file gets under the umask (0644 under 022), not the 0600
    of a temporary file."""
    try:
        return path.stat().st_mode & 0o7777
    except OSError:
        umask = os.umask(0)
        os.umask(umask)
        return 0o666 & ~umask


def list_header(rows: list[Any], header: str, empty: str, lang: str) -> None:
    """Above a list's tab-separated lines, a header naming the columns when
    stdout is a terminal (a script reading them gets none); for no rows, one
    line on stderr saying so."""
    if not rows:
        print(f"privwatch: {message(empty, lang)}", file=sys.stderr)
    elif sys.stdout.isatty():
        print(message(header, lang))


Row = Sequence[str]


def print_list(
    rows: Sequence[Row],
    header: str,
    empty: str,
    lang: str,
    *,
    words: Callable[[Row], Row] | None = None,
) -> None:
    """A list: at a terminal, a table whose columns line up by display width
    (Korean characters take two columns), headed by ``header``'s tab-separated
    names, each row's codes in the reader's words (``words``), long cells
    folded to the terminal's width; otherwise each row as tab-separated codes,
    no header, as scripts read them. Stored texts are shown inert (escape codes
    written out). For no rows, one line on stderr saying so."""
    from privwatch.fields import shown

    if not rows:
        print(f"privwatch: {message(empty, lang)}", file=sys.stderr)
        return
    if not sys.stdout.isatty():
        for row in rows:
            print("\t".join(shown(cell) for cell in row))
        return
    from rich.table import Table
    from rich.text import Text as Cell

    names = message(header, lang).split("\t")
    table = Table(box=None, pad_edge=False, show_edge=False, header_style="bold")
    for name in names:
        table.add_column(name, overflow="fold")
    for row in rows:
        cells = [Cell(shown(cell)) for cell in (words(row) if words else row)]
        table.add_row(*cells, *[""] * (len(names) - len(cells)))
    console_for(sys.stdout).print(table)
