"""Numbered SQL migrations, each applied once, in its own transaction.

Files are ``NNNN_name.sql`` for both engines, or ``NNNN_name.sqlite.sql`` /
``NNNN_name.postgresql.sql`` where they must differ.
"""

from __future__ import annotations

import re
import time
from dataclasses import dataclass
from importlib import resources

from sqlalchemy import Connection, text

from diemtin.store.db import Database

_NAME = re.compile(r"^(\d{4})_([a-z0-9_]+?)(?:\.(sqlite|postgresql))?\.sql$")
# Any fixed number works; it only has to be the same for every process.
_PG_LOCK = 727_001


@dataclass(frozen=True)
class Migration:
    version: int
    name: str
    sql: str


def available(dialect: str) -> list[Migration]:
    found: dict[int, Migration] = {}
    for entry in resources.files("diemtin.store.migrations").iterdir():
        match = _NAME.match(entry.name)
        if not match or (match.group(3) and match.group(3) != dialect):
            continue
        version = int(match.group(1))
        if version in found:
            raise RuntimeError(f"two migrations numbered {version:04d}")
        found[version] = Migration(version, match.group(2), entry.read_text(encoding="utf-8"))
    return [found[v] for v in sorted(found)]


def split_statements(sql: str) -> list[str]:
    """Split on ``;`` at line ends; trigger bodies run until their ``END;``."""
    statements: list[str] = []
    current: list[str] = []
    in_trigger = False
    for line in sql.splitlines():
        stripped = line.strip()
        if not current and (not stripped or stripped.startswith("--")):
            continue
        current.append(line)
        if re.match(r"CREATE\s+(TEMP\s+)?TRIGGER", stripped, re.I) and not in_trigger:
            in_trigger = True
        ends = stripped.endswith(";")
        if ends and (not in_trigger or re.match(r"END\s*;$", stripped, re.I)):
            statements.append("\n".join(current).rstrip().rstrip(";"))
            current, in_trigger = [], False
    if current and "".join(current).strip():
        statements.append("\n".join(current))
    return statements


def _applied(conn: Connection) -> set[int]:
    conn.execute(
        text(
            "CREATE TABLE IF NOT EXISTS schema_migrations ("
            "version INTEGER PRIMARY KEY, name TEXT NOT NULL, applied_at BIGINT NOT NULL)"
        )
    )
    return {row[0] for row in conn.execute(text("SELECT version FROM schema_migrations"))}


def migrate(db: Database) -> list[Migration]:
    """Apply what is missing; safe to run from several processes at once."""
    done: list[Migration] = []
    with db.write() as conn:
        if not db.is_sqlite:
            conn.execute(text("SELECT pg_advisory_xact_lock(:k)"), {"k": _PG_LOCK})
        applied = _applied(conn)
        for migration in available(db.dialect.name):
            if migration.version in applied:
                continue
            sql = migration.sql.replace("{{id}}", db.dialect.id_column)
            sql = sql.replace("{{blob}}", db.dialect.blob)
            for statement in split_statements(sql):
                conn.exec_driver_sql(statement)
            conn.execute(
                text("INSERT INTO schema_migrations VALUES (:v, :n, :t)"),
                {"v": migration.version, "n": migration.name, "t": int(time.time())},
            )
            done.append(migration)
    return done


def current_version(db: Database) -> int:
    with db.read() as conn:
        versions = _applied(conn)
    return max(versions, default=0)
