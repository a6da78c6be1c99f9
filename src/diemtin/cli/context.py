"""What every command needs: its settings, and the store opened or a clear exit."""

from __future__ import annotations

import typer
from rich.console import Console

from diemtin.pipeline.setup import open_store
from diemtin.settings import Settings
from diemtin.store.db import Database, StoreError

console = Console()
err = Console(stderr=True)


def fail(message: str, code: int = 1) -> typer.Exit:
    err.print(f"[red]Error:[/red] {message}")
    return typer.Exit(code)


def settings_of(ctx: typer.Context) -> Settings:
    """The settings the top-level callback loaded; sub-apps reach them through the parent."""
    root = ctx.find_root()
    assert isinstance(root.obj, Settings)
    return root.obj


def store_of(ctx: typer.Context) -> tuple[Settings, Database]:
    """The settings and the migrated store, or exit 1 saying why the database is out of reach."""
    cfg = settings_of(ctx)
    try:
        return cfg, open_store(cfg)
    except StoreError as exc:
        raise fail(str(exc)) from exc
