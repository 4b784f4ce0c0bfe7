"""``user``: the dashboard's accounts."""

from __future__ import annotations

import sys
from collections.abc import Sequence

import click

from privwatch.cli.options import db_option
from privwatch.cli.output import print_list
from privwatch.cli.sources import open_store
from privwatch.errors import PrivwatchError
from privwatch.i18n import message


def user_group(lang: str) -> click.Group:
    @click.group(name="user", help=message("help.user", lang))
    def user() -> None:
        pass

    for command in (_add, _list, _remove):
        user.add_command(command(lang))
    return user


def _add(lang: str) -> click.Command:
    @click.command(name="add", help=message("help.user.add", lang))
    @click.argument("name")
    @click.option(
        "--role",
        type=click.Choice(["viewer", "editor"]),
        default="viewer",
        help=message("help.user.role", lang),
    )
    @click.option(
        "--password-stdin", is_flag=True, help=message("help.user.password_stdin", lang)
    )
    @db_option(lang)
    def add(name: str, role: str, password_stdin: bool, db: str | None) -> None:
        from privwatch.accounts import add_user, check_name, check_password, list_users

        check_name(name)
        with open_store(db) as store:
            if any(u.name == name for u in list_users(store)):
                raise PrivwatchError("user.exists", name=name)
        password = _password(name, password_stdin, lang)
        check_password(password)
        with open_store(db) as store:
            add_user(store, name, password, role)
        print(message("user.added", lang, name=name, role=role))

    return add


def _password(name: str, from_stdin: bool, lang: str) -> str:
    """The new password: the first line of stdin, or typed twice at a prompt."""
    import getpass

    from privwatch.accounts import check_password

    if from_stdin:
        line = sys.stdin.readline()
        if not line:
            raise PrivwatchError("user.no_stdin")
        return line.rstrip("\r\n")
    password = getpass.getpass(message("user.password_prompt", lang, name=name))
    check_password(password)
    if getpass.getpass(message("user.password_repeat", lang)) != password:
        raise PrivwatchError("user.password_mismatch")
    return password


def _list(lang: str) -> click.Command:
    @click.command(name="list", help=message("help.user.list", lang))
    @db_option(lang)
    def list_(db: str | None) -> None:
        from privwatch.accounts import list_users

        with open_store(db) as store:
            users = list_users(store)
        rows = [
            [found.name, found.role, f"{found.created_at:%Y-%m-%d %H:%M}"]
            for found in users
        ]

        def words(row: Sequence[str]) -> Sequence[str]:
            name, role, created = row
            return [name, message(f"web.role.{role}", "ko"), created]

        print_list(
            rows,
            "user.list.header",
            "user.none",
            lang,
            words=words if lang == "ko" else None,
        )

    return list_


def _remove(lang: str) -> click.Command:
    @click.command(name="remove", help=message("help.user.remove", lang))
    @click.argument("name")
    @db_option(lang)
    def remove(name: str, db: str | None) -> None:
        from privwatch.accounts import remove_user

        with open_store(db) as store:
            remove_user(store, name)
        print(message("user.removed", lang, name=name))

    return remove
