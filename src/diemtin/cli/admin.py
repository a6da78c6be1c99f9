"""`diemtin admin`: people who may sign in to the console at /admin."""

from __future__ import annotations

import time
from pathlib import Path
from typing import Annotated

import typer

from diemtin.cli.context import console, fail, store_of
from diemtin.store.admin import AdminError, create_user

admin_app = typer.Typer(help="Console (/admin) users.", no_args_is_help=True)


def _password(password_file: Path | None) -> str:
    if password_file is None:
        return str(typer.prompt("Mật khẩu", hide_input=True, confirmation_prompt=True))
    try:
        lines = password_file.read_text(encoding="utf-8").splitlines()
    except (OSError, UnicodeDecodeError) as exc:
        raise fail(f"cannot read the password file {password_file}: {exc}", 2) from exc
    if not lines:
        raise fail(f"the password file {password_file} is empty", 2)
    return lines[0]  # the first line, without its newline


@admin_app.command("create-user")
def create_user_command(
    ctx: typer.Context,
    name: Annotated[
        str, typer.Argument(help="the sign-in name: lower-case letters, digits, . _ -")
    ],
    password_file: Annotated[
        Path | None, typer.Option(help="read the password from this file's first line")
    ] = None,
) -> None:
    """Create a console user; the password is asked for twice unless --password-file is given."""
    _, db = store_of(ctx)
    password = _password(password_file)
    try:
        with db.write() as conn:
            user = create_user(conn, name, password, int(time.time()))
    except AdminError as exc:
        raise fail(str(exc), 2) from exc
    console.print(f"Created console user {user.name}: sign in at /admin/dang-nhap.")
