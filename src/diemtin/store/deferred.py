"""Rows written at the end of a transaction, each statement once for all its rows.

A batch import stores hundreds of articles per transaction; each one's
figures, tags, first version and grouping row cost a round trip apiece when
written at once. Collected here, they cost one ``executemany`` per statement.
The writer must only defer rows nothing in the same transaction reads before
:meth:`Deferred.flush`, and must flush before it commits. One ``Deferred`` serves one transaction.
"""

from __future__ import annotations

from typing import Any

from sqlalchemy import Connection, TextClause

from diemtin.store import driver


class Deferred:
    def __init__(self) -> None:
        # statements in the order first added: a later one may depend on an earlier one
        self._rows: dict[TextClause, list[dict[str, Any]]] = {}
        # What grouping placed in this transaction, its rows perhaps not yet written:
        self.stories: dict[int, int] = {}  # article id -> story id
        self.new_stories: set[int] = set()  # stories made

    def add(self, statement: TextClause, rows: dict[str, Any] | list[dict[str, Any]]) -> None:
        if isinstance(rows, dict):
            rows = [rows]
        self._rows.setdefault(statement, []).extend(rows)

    def flush(self, conn: Connection) -> None:
        for statement, rows in self._rows.items():
            driver.execute_many(conn, statement, rows)
        self._rows.clear()
