"""``serve``: the dashboard over a store."""

from __future__ import annotations

from pathlib import Path

import click

from privwatch.cli.options import db_option, delay_option
from privwatch.i18n import message


def serve_command(lang: str) -> click.Command:
    @click.command(name="serve", help=message("help.serve", lang))
    @click.option("--host", default="127.0.0.1", help=message("help.serve.host", lang))
    @click.option(
        "--port",
        type=click.IntRange(0, 65535),
        default=8000,
        help=message("help.serve.port", lang),
    )
    @db_option(lang)
    @click.option(
        "--ssl-certfile",
        type=click.Path(dir_okay=False, path_type=Path),
        help=message("help.serve.ssl_certfile", lang),
    )
    @click.option(
        "--ssl-keyfile",
        type=click.Path(dir_okay=False, path_type=Path),
        help=message("help.serve.ssl_keyfile", lang),
    )
    @click.option(
        "--session-hours",
        type=click.FloatRange(min=0.05, max=24 * 30),
        default=12.0,
        help=message("help.serve.session_hours", lang),
    )
    @delay_option(lang, "help.serve.delay")
    @click.option(
        "--trusted-proxy",
        "trusted_proxies",
        multiple=True,
        envvar="PRIVWATCH_TRUSTED_PROXIES",
        metavar="ADDRESS",
        help=message("help.serve.trusted_proxy", lang),
    )
    def serve(
        host: str,
        port: int,
        db: str | None,
        ssl_certfile: Path | None,
        ssl_keyfile: Path | None,
        session_hours: float,
        delay: float,
        trusted_proxies: tuple[str, ...],
    ) -> None:
        from privwatch.web.server import serve

        serve(
            db=db,
            host=host,
            port=port,
            certfile=ssl_certfile,
            keyfile=ssl_keyfile,
            session_hours=session_hours,
            delay=delay,
            lang=lang,
            trusted_proxies=trusted_proxies,
        )

    return serve
