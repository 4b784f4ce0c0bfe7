"""Kept for the merge of issue 17 only: the CLI imports accounts from here
until it imports ``privwatch.accounts`` (delete this module then)."""

from privwatch.accounts import (
    add_user,
    check_name,
    check_password,
    list_users,
    remove_user,
)

__all__ = ["add_user", "check_name", "check_password", "list_users", "remove_user"]
