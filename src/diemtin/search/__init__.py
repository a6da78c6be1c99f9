"""Accent-insensitive full-text search: SQLite FTS5 by default, PostgreSQL full-text at scale.

"bo truong quoc phong", "Bộ trưởng Quốc phòng" and "bộ truởng" find the same
articles; when the query has accents, articles spelled that way rank first.
Words are folded in Python (``diemtin.text.fold``), so both engines index and
query exactly the same words and PostgreSQL needs no extension.

Reading::

    page = search(conn, db.dialect.name, "đô thị", category="thoi-su", now=int(time.time()))
    titles = suggest(conn, db.dialect.name, "bo truong q")

Writing: call ``index_article(conn, dialect, article_id)`` (or ``index_text``
with the text just stored) in the transaction that stored or edited the
article; ``index_pending`` catches up with anything queued (every article
after migration 0003, or written without that call) and is the cheaper way to
index a whole import batch at once.
"""

from diemtin.search.document import Document, Words, document, joined
from diemtin.search.index import (
    index_article,
    index_documents,
    index_pending,
    index_text,
    index_texts,
    pending_count,
    reindex_all,
)
from diemtin.search.query import MAX_QUERY_CHARS, MAX_TERMS, SearchError
from diemtin.search.service import MAX_LIMIT, MAX_OFFSET, Hit, SearchPage, search
from diemtin.search.suggest import suggest

__all__ = [
    "MAX_LIMIT",
    "MAX_OFFSET",
    "MAX_QUERY_CHARS",
    "MAX_TERMS",
    "Document",
    "Hit",
    "SearchError",
    "SearchPage",
    "Words",
    "document",
    "index_article",
    "index_documents",
    "index_pending",
    "index_text",
    "index_texts",
    "joined",
    "pending_count",
    "reindex_all",
    "search",
    "suggest",
]
