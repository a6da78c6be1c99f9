"""Keeping the index in step with the articles.

Triggers (migration 0003) put every inserted article, and every article whose
title, sapo or body text changed, in ``search_queue``, whoever wrote it. The
store calls :func:`index_article` in the same transaction for an immediate
index; :func:`index_pending` indexes whatever is still queued (after the
migration, or after a writer that did not call it). Deleting an article removes
its index entry by cascade.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from sqlalchemy import Connection, text

from diemtin.search.document import Words, document, joined, tsvector_literal

SQLITE = "sqlite"
POSTGRESQL = "postgresql"
DIALECTS = (SQLITE, POSTGRESQL)

_SQLITE_UPSERT = text(
    "INSERT INTO search_docs (article_id, title, sapo, exact, body)"
    " VALUES (:id, :title, :sapo, :exact, :body)"
    " ON CONFLICT (article_id) DO UPDATE SET title = excluded.title, sapo = excluded.sapo,"
    " exact = excluded.exact, body = excluded.body"
)
_PG_UPSERT = text(
    "INSERT INTO search_docs (article_id, title, sapo, exact, words, title_words)"
    " VALUES (:id, :title, :sapo, :exact, CAST(:words AS tsvector),"
    " CAST(:title_words AS tsvector))"
    " ON CONFLICT (article_id) DO UPDATE SET title = excluded.title, sapo = excluded.sapo,"
    " exact = excluded.exact, words = excluded.words, title_words = excluded.title_words"
)


def check_dialect(dialect: str) -> None:
    if dialect not in DIALECTS:
        raise ValueError(f"search supports {' and '.join(DIALECTS)}, not {dialect!r}")


def _row(dialect: str, article_id: int, words: Words) -> dict[str, Any]:
    row = {"id": article_id, "title": words.title, "sapo": words.sapo, "exact": words.exact}
    if dialect == SQLITE:
        row["body"] = words.body
    else:
        title = words.title.split()
        row["words"] = tsvector_literal([*title, *words.sapo.split(), *words.body.split()])
        row["title_words"] = tsvector_literal(title)
    return row


def _write(conn: Connection, dialect: str, ids: Sequence[int], texts: Sequence[Any]) -> int:
    """Index (id, title, sapo, body_text) rows and take ``ids`` off the queue."""
    docs = [(int(t[0]), joined(document(t[1], t[2], t[3]))) for t in texts]
    return _write_documents(conn, dialect, ids, docs)


def _write_documents(
    conn: Connection, dialect: str, ids: Sequence[int], docs: Sequence[tuple[int, Words]]
) -> int:
    if docs:
        values = [_row(dialect, article_id, words) for article_id, words in docs]
        conn.execute(_SQLITE_UPSERT if dialect == SQLITE else _PG_UPSERT, values)
    marks = ", ".join(f":i{n}" for n in range(len(ids)))
    params = {f"i{n}": i for n, i in enumerate(ids)}
    conn.execute(text(f"DELETE FROM search_queue WHERE article_id IN ({marks})"), params)
    return len(docs)


def _index_rows(conn: Connection, dialect: str, ids: Sequence[int]) -> int:
    """Index these articles from their stored text."""
    if not ids:
        return 0
    marks = ", ".join(f":i{n}" for n in range(len(ids)))
    rows = conn.execute(
        text(f"SELECT id, title, sapo, body_text FROM articles WHERE id IN ({marks})"),
        {f"i{n}": i for n, i in enumerate(ids)},
    ).all()
    return _write(conn, dialect, ids, rows)


def index_article(conn: Connection, dialect: str, article_id: int) -> None:
    """(Re)index one article from its stored text; call after storing or editing it."""
    check_dialect(dialect)
    _index_rows(conn, dialect, [article_id])


def index_text(
    conn: Connection, dialect: str, article_id: int, title: str, sapo: str, body_text: str
) -> None:
    """Like :func:`index_article` with the text just stored, sparing a read of it."""
    check_dialect(dialect)
    _write(conn, dialect, [article_id], [(article_id, title, sapo, body_text)])


def index_texts(conn: Connection, dialect: str, rows: Sequence[tuple[int, str, str, str]]) -> int:
    """:func:`index_text` for many (id, title, sapo, body_text) at once: one statement."""
    check_dialect(dialect)
    return _write(conn, dialect, [r[0] for r in rows], rows) if rows else 0


def index_documents(conn: Connection, dialect: str, rows: Sequence[tuple[int, Words]]) -> int:
    """:func:`index_texts` with each text's words made already (``joined(document(...))``;
    an import makes them in its worker processes)."""
    check_dialect(dialect)
    return _write_documents(conn, dialect, [r[0] for r in rows], rows) if rows else 0


def index_pending(conn: Connection, dialect: str, *, batch: int = 500) -> int:
    """Index up to ``batch`` queued articles; returns how many were indexed.

    Call it in a loop, one write transaction each, until it returns 0. On
    PostgreSQL concurrent callers skip each other's rows instead of waiting.
    """
    check_dialect(dialect)
    lock = " FOR UPDATE SKIP LOCKED" if dialect == POSTGRESQL else ""
    ids = conn.execute(
        text(f"SELECT article_id FROM search_queue ORDER BY article_id LIMIT :n{lock}"),
        {"n": batch},
    ).scalars()
    return _index_rows(conn, dialect, [int(i) for i in ids])


def reindex_all(conn: Connection, dialect: str, *, batch: int = 500) -> int:
    """Queue and index every article again (a tokenization change); returns the count."""
    check_dialect(dialect)
    conn.execute(
        text(
            "INSERT INTO search_queue (article_id) SELECT id FROM articles WHERE true"
            " ON CONFLICT (article_id) DO NOTHING"
        )
    )
    done = 0
    while count := index_pending(conn, dialect, batch=batch):
        done += count
    return done


def pending_count(conn: Connection) -> int:
    """Articles waiting to be indexed: not yet findable by their new text."""
    return int(conn.execute(text("SELECT COUNT(*) FROM search_queue")).scalar_one())
