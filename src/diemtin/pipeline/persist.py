"""Writing a prepared article: the one place crawl and import store through."""

from __future__ import annotations

from dataclasses import dataclass, field

from sqlalchemy import Connection

from diemtin.pipeline.grouping import Grouping
from diemtin.pipeline.prepare import Prepared
from diemtin.search import Words, document, index_documents, joined
from diemtin.store import articles
from diemtin.store.articles import Outcome, Placement
from diemtin.store.deferred import Deferred


@dataclass
class Later:
    """What a batch's transaction writes at its end, a statement for many articles.

    ``flush`` must run before the transaction commits.
    """

    search: list[tuple[int, Words]] = field(default_factory=list)
    rows: Deferred = field(default_factory=Deferred)

    def flush(self, conn: Connection) -> None:
        self.rows.flush(conn)
        index_documents(conn, conn.dialect.name, self.search)
        self.search.clear()


def store_prepared(
    conn: Connection,
    prepared: Prepared,
    *,
    source_id: int | None,
    category_ids: dict[str, int],
    now: int,
    feed_id: int | None = None,
    later: Later | None = None,
    grouping: Grouping | None = None,
) -> tuple[int, Outcome]:
    """Store (or update) the article, its story and its index words in the same transaction.

    With ``later`` the rows nothing reads back before the commit are collected
    instead, for ``later.flush`` to write at once.
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
    rows = later.rows if later is not None else None
    article_id, outcome = articles.upsert(conn, prepared.article, where, now, rows)
    if outcome is not Outcome.UNCHANGED:
        # in the same transaction, so search never lags behind the store
        a = prepared.article
        words = prepared.search or joined(document(a.title, a.sapo, a.body_text))
        if later is None:
            index_documents(conn, conn.dialect.name, [(article_id, words)])
        else:
            later.search.append((article_id, words))
    if grouping is not None:  # a new article's story, in the same transaction too
        grouping.after_store(
            conn, article_id, outcome, now, prepared.article, prepared.signed, rows
        )
    return article_id, outcome
