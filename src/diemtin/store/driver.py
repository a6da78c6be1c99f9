"""A bulk write's hottest statements, and bulk reads, run straight on the driver's cursor.

SQLAlchemy spends about 40 µs of Python on each ``execute`` before the driver
sees it, and an import runs several statements per article; it also spends a few µs
on each row it yields, and a page's candidates are tens of thousands. These helpers run
a ``text()`` statement's SQL on the DB-API cursor of the same connection, in
the same transaction, without that bookkeeping. Parameters are named
(``:name``) as everywhere else; PostgreSQL's driver spells them ``%(name)s``.

``ByIds`` is the other cost a driver imposes: how a list of ids is bound.
"""

from __future__ import annotations

import functools
import json
import re
from typing import Any

from sqlalchemy import Connection, CursorResult, TextClause, text

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


class ByIds:
    """A statement over a list of ids (``IN :ids``), the list bound as one parameter.

    One parameter, not one per id: the statement's text stays the same whatever
    the number of ids, so neither SQLAlchemy nor the driver compiles or parses it
    again (psycopg parsed every placeholder of each new text: a quarter of a cold
    sidebar's time). SQLite reads the ids from a JSON array, PostgreSQL from a
    BIGINT[]: the form ``search.retrieval.id_list`` gives search, which keeps its
    own because search and the store are independent layers.
    """

    def __init__(self, sql: str) -> None:
        if "IN :ids" not in sql:
            raise ValueError("the statement must select with IN :ids")
        self._sqlite = text(sql.replace("IN :ids", "IN (SELECT value FROM json_each(:ids))"))
        self._postgresql = text(sql.replace("IN :ids", "= ANY(CAST(:ids AS BIGINT[]))"))

    def run(
        self, conn: Connection, ids: list[int], **params: Any
    ) -> CursorResult[*tuple[Any, ...]]:
        if conn.dialect.name == "sqlite":
            return conn.execute(self._sqlite, {"ids": json.dumps(ids), **params})
        return conn.execute(self._postgresql, {"ids": ids, **params})
