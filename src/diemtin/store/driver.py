"""A bulk write's hottest statements, and bulk reads, run straight on the driver's cursor.

SQLAlchemy spends about 40 µs of Python on each ``execute`` before the driver
sees it, and an import runs several statements per article; it also spends a few µs
on each row it yields, and a page's candidates are tens of thousands. These helpers run
a ``text()`` statement's SQL on the DB-API cursor of the same connection, in
the same transaction, without that bookkeeping. Parameters are named
(``:name``) as everywhere else; PostgreSQL's driver spells them ``%(name)s``.
"""

from __future__ import annotations

import functools
import re
from typing import Any

from sqlalchemy import Connection, TextClause

# ":name", but not the second colon of a "::" cast
_NAMED = re.compile(r"(?<![:\w]):([A-Za-z_]\w*)")


@functools.cache
def _sql(statement: str, dialect: str) -> str:
    if dialect == "sqlite":  # sqlite3 reads :name from a dict itself
        return statement
    return _NAMED.sub(r"%(\1)s", statement.replace("%", "%%"))


def _cursor(conn: Connection) -> Any:
    return conn.connection.driver_connection.cursor()  # type: ignore[union-attr]


def execute_many(conn: Connection, statement: TextClause, rows: list[dict[str, Any]]) -> None:
    if not rows:
        return
    cursor = _cursor(conn)
    try:
        cursor.executemany(_sql(statement.text, conn.dialect.name), rows)
    finally:
        cursor.close()


def fetch_one(conn: Connection, statement: TextClause, params: dict[str, Any]) -> Any:
    """The first row the statement returns (a tuple), or None."""
    cursor = _cursor(conn)
    try:
        cursor.execute(_sql(statement.text, conn.dialect.name), params)
        return cursor.fetchone()
    finally:
        cursor.close()


def fetch_all(conn: Connection, statement: TextClause, params: dict[str, Any]) -> list[Any]:
    """Every row the statement returns, as tuples."""
    cursor = _cursor(conn)
    try:
        cursor.execute(_sql(statement.text, conn.dialect.name), params)
        rows: list[Any] = cursor.fetchall()
        return rows
    finally:
        cursor.close()
