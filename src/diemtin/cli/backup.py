"""`diemtin backup` and `diemtin restore`: a verified copy of the store, and back."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from diemtin.cli.context import console, fail, settings_of, store_of
from diemtin.pipeline.setup import open_store
from diemtin.store.backup import BackupError
from diemtin.store.backup import backup as write_backup
from diemtin.store.backup import restore as read_backup
from diemtin.store.db import StoreError


def backup(
    ctx: typer.Context,
    dest: Annotated[Path, typer.Argument(help="the backup file to write")],
    overwrite: Annotated[bool, typer.Option(help="replace an existing file")] = False,
) -> None:
    """Write a consistent, verified backup while the site keeps running."""
    _, db = store_of(ctx)
    try:
        report = write_backup(db, dest, overwrite=overwrite)
    except BackupError as exc:
        raise fail(str(exc)) from exc
    counts = ", ".join(f"{n} {table}" for table, n in report.counts.items())
    console.print(
        f"Backup of the {report.engine} store written to {report.path}"
        f" ({report.size / 1e6:.1f} MB, {report.seconds:.1f} s), integrity checked: {counts}."
    )


def restore(
    ctx: typer.Context,
    src: Annotated[Path, typer.Argument(help="a file written by `diemtin backup`")],
    force: Annotated[
        bool, typer.Option(help="replace a store that already holds articles")
    ] = False,
) -> None:
    """Restore a backup into the configured database (stop the site and workers first)."""
    cfg = settings_of(ctx)
    _, db = store_of(ctx)
    try:
        counts = read_backup(db, src, force=force)
        db.close()
        open_store(cfg).close()  # an older backup is migrated to the current schema
    except (BackupError, StoreError) as exc:
        raise fail(str(exc)) from exc
    shown = ", ".join(f"{n} {table}" for table, n in counts.items())
    console.print(f"Restored {src} into {db.safe_url()}: {shown}.")
