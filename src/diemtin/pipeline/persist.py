"""Writing a prepared article: the one place crawl and import store through."""

from __future__ import annotations

from sqlalchemy import Connection

from diemtin.pipeline.grouping import Grouping
from diemtin.pipeline.prepare import Prepared
from diemtin.search import index_text, index_texts
from diemtin.store import articles
from diemtin.store.articles import Outcome, Placement

SearchBatch = list[tuple[int, str, str, str]]  # (article id, title, sapo, body text)


def store_prepared(
    conn: Connection,
    prepared: Prepared,
    *,
    source_id: int | None,
    category_ids: dict[str, int],
    now: int,
    feed_id: int | None = None,
    search_batch: SearchBatch | None = None,
    grouping: Grouping | None = None,
) -> tuple[int, Outcome]:
    """Store (or update) the article and index it for search in the same transaction.

    With ``search_batch`` the index rows are collected instead, for
    :func:`flush_search` to write at once before the transaction commits.
    """
    category_id = category_ids.get(prepared.category) if prepared.category else None
    where = Placement(
        key=prepared.key,
        canonical=prepared.canonical,
        content_hash=prepared.content_hash,
        title_key=prepared.title_key,
        source_id=source_id,
        feed_id=feed_id,
        category_id=category_id,
        # "review" is kept without a category: the article waits for an operator
        category_source=prepared.category_source
        if category_id or prepared.category_source == "review"
        else None,
        category_confidence=prepared.category_confidence,
    )
    article_id, outcome = articles.upsert(conn, prepared.article, where, now)
    if outcome is not Outcome.UNCHANGED:
        # in the same transaction, so search never lags behind the store
        a = prepared.article
        row = (article_id, a.title, a.sapo, a.body_text)
        if search_batch is None:
            index_text(conn, conn.dialect.name, *row)
        else:
            search_batch.append(row)
    if grouping is not None:  # a new article's story, in the same transaction too
        grouping.after_store(conn, article_id, outcome, now, prepared.article)
    return article_id, outcome


def flush_search(conn: Connection, batch: SearchBatch) -> None:
    index_texts(conn, conn.dialect.name, batch)
    batch.clear()
