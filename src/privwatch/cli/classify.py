"""``classify`` (each clause's labels) and ``train`` (the classifiers' models)."""

from __future__ import annotations

import sys
from pathlib import Path

import click

from privwatch.cli.options import fetch_options
from privwatch.cli.output import Renderers, format_option, output_option, write_output
from privwatch.cli.progress import progress_reporter
from privwatch.cli.sources import read_document, read_lines
from privwatch.errors import PrivwatchError
from privwatch.i18n import message

TASKS = ["practices", "unfair-terms"]


def classify_command(lang: str) -> click.Command:
    @click.command(name="classify", help=message("help.classify", lang))
    @click.argument("source")
    @click.option(
        "--task",
        default="practices",
        type=click.Choice(TASKS),
        help=message("help.classify.task", lang),
    )
    @format_option(lang, "help.classify.format", ("table", "json"))
    @click.option(
        "--one-per-line", is_flag=True, help=message("help.classify.lines", lang)
    )
    @output_option(lang)
    @fetch_options(lang)
    def classify_(
        source: str,
        task: str,
        output_format: str,
        one_per_line: bool,
        output: Path | None,
        max_size: int,
        timeout: float,
    ) -> None:
        from privwatch import classify
        from privwatch.report.labels import render_labels_json, render_labels_table

        with progress_reporter(lang) as progress:
            if one_per_line:
                lines = read_lines(Path(source), max_size)
                labelled = classify.classify_texts(lines, task, progress)
            else:
                document = read_document(source, max_size, timeout, lang)
                labelled = classify.classify_document(document, task, progress)
        renderers = Renderers(
            json=lambda: render_labels_json(labelled),
            table=lambda console: render_labels_table(
                labelled, console, task=task, lang=lang
            ),
        )
        write_output(output, output_format, renderers)

    return classify_


def train_command(lang: str) -> click.Command:
    @click.command(name="train", help=message("help.train", lang))
    @click.option(
        "--task",
        "tasks",
        multiple=True,
        type=click.Choice(TASKS),
        help=message("help.train.task", lang),
    )
    @click.option(
        "--shared",
        type=click.Path(file_okay=False, path_type=Path),
        default=Path("../shared"),
        show_default=True,
        help=message("help.train.shared", lang),
    )
    @click.option(
        "--output-dir",
        type=click.Path(file_okay=False, path_type=Path),
        help=message("help.train.output", lang),
    )
    def train(tasks: tuple[str, ...], shared: Path, output_dir: Path | None) -> None:
        from privwatch.classify import model_path
        from privwatch.classify.train import TASKS as TRAINERS
        from privwatch.classify.train import build

        for name in tasks or tuple(TRAINERS):
            target = (output_dir / f"{name}.npz") if output_dir else model_path(name)
            with progress_reporter(lang) as progress:
                model = build(TRAINERS[name], shared, progress=progress)
            try:
                model.save(target)
            except OSError as exc:
                raise PrivwatchError(
                    "output.unwritable", path=target, reason=exc.strerror
                ) from None
            print(message("train.saved", lang, task=name, path=target), file=sys.stderr)

    return train
