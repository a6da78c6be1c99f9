"""Consistent backups and restores, on a live store.

SQLite: ``VACUUM INTO`` writes a transactionally consistent copy while readers
and the writer go on, and ``PRAGMA integrity_check`` verifies it. PostgreSQL:
``pg_dump`` (custom format) dumps one snapshot, and ``pg_restore --list``
verifies the archive. A backup is written beside its destination and renamed
into place only once verified, so a failed run never leaves a file that looks
like a good backup. A restore refuses to overwrite a store that holds articles
unless told to, and restores PostgreSQL in a single transaction.
"""

from __future__ import annotations

import glob
import os
import shutil
import sqlite3
import subprocess
import time
from dataclasses import dataclass
from pathlib import Path

from sqlalchemy import Connection, text
from sqlalchemy.engine import make_url

from diemtin.store.db import Database, StoreError

# what a report counts: enough to see at a glance that nothing is missing
COUNTED = ("articles", "sources", "feeds", "stories", "categories")


class BackupError(StoreError):
    pass


@dataclass(frozen=True)
class BackupReport:
    path: Path
    engine: str
    size: int
    seconds: float
    counts: dict[str, int]  # rows per table in the copy (SQLite) or the live store (PostgreSQL)


def backup(db: Database, dest: Path, *, overwrite: bool = False) -> BackupReport:
    """Write a verified backup of ``db`` to ``dest``."""
    dest = dest.expanduser()
    if dest.exists() and not overwrite:
        raise BackupError(f"{dest} already exists: choose another name or pass --overwrite")
    if not dest.parent.is_dir():
        raise BackupError(f"the folder {dest.parent} does not exist")
    partial = dest.with_name(dest.name + ".partial")
    partial.unlink(missing_ok=True)
    started = time.perf_counter()
    try:
        if db.is_sqlite:
            _vacuum_into(db, partial)
            counts = check_sqlite_file(partial)
        else:
            with db.read() as conn:
                counts = _counts(conn)
            _run(
                [_pg_bin("pg_dump"), "--format=custom", "--no-owner", "--file", str(partial)],
                db.url,
            )
            _run([_pg_bin("pg_restore"), "--list", str(partial)], None)
        partial.replace(dest)
    finally:
        partial.unlink(missing_ok=True)
    return BackupReport(
        dest, db.dialect.name, dest.stat().st_size, time.perf_counter() - started, counts
    )


def restore(db: Database, src: Path, *, force: bool = False) -> dict[str, int]:
    """Replace the store's content with the backup's; returns the restored row counts.

    The caller migrates afterwards (``open_database``), so an older backup is
    brought up to the current schema.
    """
    src = src.expanduser()
    if not src.is_file():
        raise BackupError(f"{src} is not a backup file")
    with db.read() as conn:
        held = _articles_held(conn)
    if held and not force:
        raise BackupError(
            f"the store already holds {held} articles: restore into an empty database,"
            " or pass --force to replace them"
        )
    if db.is_sqlite:
        check_sqlite_file(src)
        _copy_sqlite(src, db)
    else:
        _run([_pg_bin("pg_restore"), "--list", str(src)], None, what="not a pg_dump archive")
        _run(
            [_pg_bin("pg_restore"), "--clean", "--if-exists", "--no-owner", "--single-transaction",
             "--exit-on-error", str(src)],
            db.url,
            dbname_flag=True,
        )  # fmt: skip
    with db.read() as conn:
        return _counts(conn)


def check_sqlite_file(path: Path) -> dict[str, int]:
    """Integrity-check a SQLite backup and count its rows; raises BackupError if unsound."""
    try:
        conn = sqlite3.connect(f"file:{path}?mode=ro", uri=True)
    except sqlite3.Error as exc:
        raise BackupError(f"{path}: cannot open it as SQLite: {exc}") from exc
    try:
        result = conn.execute("PRAGMA integrity_check").fetchone()
        if result is None or result[0] != "ok":
            raise BackupError(f"{path}: integrity check failed: {result}")
        tables = {r[0] for r in conn.execute("SELECT name FROM sqlite_master WHERE type='table'")}
        if "schema_migrations" not in tables:
            raise BackupError(f"{path} is a SQLite file but not a diemtin store")
        return {t: int(conn.execute(f"SELECT COUNT(*) FROM {t}").fetchone()[0]) for t in COUNTED}
    except sqlite3.DatabaseError as exc:
        raise BackupError(f"{path}: not a sound SQLite database: {exc}") from exc
    finally:
        conn.close()


def _vacuum_into(db: Database, dest: Path) -> None:
    raw = db.engine.raw_connection()
    try:
        # outside any transaction: VACUUM refuses to run inside one
        raw.driver_connection.execute("VACUUM INTO ?", (str(dest),))  # type: ignore[union-attr]
    except sqlite3.Error as exc:
        raise BackupError(f"cannot write {dest}: {exc}") from exc
    finally:
        raw.close()


def _copy_sqlite(src: Path, db: Database) -> None:
    source = sqlite3.connect(f"file:{src}?mode=ro", uri=True)
    raw = db.engine.raw_connection()
    try:
        # the backup API copies page by page under SQLite's own locking, WAL included
        source.backup(raw.driver_connection)  # type: ignore[arg-type]
    except sqlite3.Error as exc:
        raise BackupError(f"cannot restore from {src}: {exc}") from exc
    finally:
        raw.close()
        source.close()
    db.engine.dispose()  # pooled connections may hold the replaced schema


def _articles_held(conn: Connection) -> int:
    return int(conn.execute(text("SELECT COUNT(*) FROM articles")).scalar_one())


def _counts(conn: Connection) -> dict[str, int]:
    return {t: int(conn.execute(text(f"SELECT COUNT(*) FROM {t}")).scalar_one()) for t in COUNTED}


def _pg_bin(name: str) -> str:
    # the newest server's tools can dump every older server
    found = sorted(glob.glob(f"/usr/lib/postgresql/*/bin/{name}"))
    path = found[-1] if found else shutil.which(name)
    if path is None:
        raise BackupError(f"{name} not found: install PostgreSQL's client tools")
    return path


def _run(args: list[str], url: str | None, *, what: str = "", dbname_flag: bool = False) -> None:
    env = dict(os.environ)
    if url is not None:
        parsed = make_url(url)
        if parsed.password:
            env["PGPASSWORD"] = str(parsed.password)
        dsn = parsed.set(drivername="postgresql", password=None).render_as_string(False)
        args = [*args, "--dbname", dsn] if dbname_flag else [*args, dsn]
    done = subprocess.run(args, env=env, capture_output=True, text=True, check=False)
    if done.returncode != 0:
        detail = done.stderr.strip().splitlines()[-1:] or ["no message"]
        raise BackupError(f"{what or Path(args[0]).name + ' failed'}: {detail[0]}")
