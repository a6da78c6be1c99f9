"""Writing a prepared article: the one place crawl and import store through."""

from __future__ import annotations

from sqlalchemy import Connection

from diemtin.pipeline.prepare import Prepared
from diemtin.search import index_text
from diemtin.store import articles
from diemtin.store.articles import Outcome, Placement


def store_prepared(
    conn: Connection,
    prepared: Prepared,
    *,
    source_id: int | None,
    category_ids: dict[str, int],
    now: int,
    feed_id: int | None = None,
) -> tuple[int, Outcome]:
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
        index_text(conn, conn.dialect.name, article_id, a.title, a.sapo, a.body_text)
    return article_id, outcome
