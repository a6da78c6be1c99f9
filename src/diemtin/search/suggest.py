"""Suggestions as the reader types: titles, found by the folded text typed so far.

First the titles that start with it (an index range on ``articles.title_key``;
the newest of the first rows in key order), then, if that is not enough, the
newest titles holding every word typed, the last one as a prefix ("quoc pho"
finds "... Quốc phòng ..."). Both read a bounded number of rows, so a
suggestion costs about the same on any corpus size.
"""

from __future__ import annotations

from sqlalchemy import Connection, text

from diemtin.search.document import folded_words
from diemtin.search.index import SQLITE, check_dialect
from diemtin.search.query import MAX_TERMS, fts5_match, tsquery_literal
from diemtin.search.retrieval import plan_each_query
from diemtin.text import fold

MIN_PREFIX_CHARS = 2
MAX_PREFIX_CHARS = 100
MAX_SUGGESTIONS = 20
_SCAN = 200  # rows read per stage, whatever the prefix

_SQLITE_STARTS = text(
    "SELECT title, title_key, COALESCE(published_at, 0), id FROM articles"
    " WHERE title_key >= :lo AND title_key < :hi"
    " AND status = 'visible' ORDER BY title_key LIMIT :scan"
)
_PG_STARTS = text(
    "SELECT title, title_key, COALESCE(published_at, 0), id FROM articles"
    ' WHERE title_key COLLATE "C" >= :lo'
    " AND title_key COLLATE \"C\" < :hi AND status = 'visible'"
    ' ORDER BY title_key COLLATE "C" LIMIT :scan'
)
_SQLITE_WORDS = text(
    "SELECT a.title, a.title_key FROM articles a WHERE a.id IN (SELECT rowid FROM search_titles"
    " WHERE search_titles MATCH :q ORDER BY rowid DESC LIMIT :scan) AND a.status = 'visible'"
    " ORDER BY a.id DESC"
)
_PG_WORDS = text(
    "SELECT a.title, a.title_key FROM articles a WHERE a.id IN (SELECT article_id"
    " FROM search_docs WHERE title_words @@ CAST(:q AS tsquery)"
    " ORDER BY article_id DESC LIMIT :scan) AND a.status = 'visible' ORDER BY a.id DESC"
)


def suggest(conn: Connection, dialect: str, prefix: str, limit: int = 8) -> list[str]:
    """Up to ``limit`` distinct titles for what the reader has typed; [] when too short."""
    check_dialect(dialect)
    # Surrogates (undecodable bytes) cannot be sent to the database; drop them.
    key = fold(prefix[:MAX_PREFIX_CHARS]).encode("utf-8", "ignore").decode("utf-8")
    limit = min(limit, MAX_SUGGESTIONS)
    if len(key) < MIN_PREFIX_CHARS or limit <= 0:
        return []
    plan_each_query(conn, dialect)
    found: dict[str, str] = {}  # title_key -> title: reposts share a title
    for title, title_key in _starting_with(conn, dialect, key):
        found.setdefault(title_key, title)
    if len(found) < limit:
        complete = prefix[:MAX_PREFIX_CHARS].endswith(" ")
        for title, title_key in _holding_words(conn, dialect, folded_words(key), complete):
            found.setdefault(title_key, title)
    return list(found.values())[:limit]


def _after_prefix(key: str) -> str:
    """A string above every string that starts with ``key``, in code point order."""
    last = ord(key[-1]) + 1
    if 0xD800 <= last < 0xE000:
        last = 0xE000  # surrogates cannot be encoded
    return key[:-1] + chr(last) if last <= 0x10FFFF else key + chr(0x10FFFF)


def _starting_with(conn: Connection, dialect: str, key: str) -> list[tuple[str, str]]:
    high = _after_prefix(key)
    query = _SQLITE_STARTS if dialect == SQLITE else _PG_STARTS
    rows = conn.execute(query, {"lo": key, "hi": high, "scan": _SCAN}).all()
    newest_first = sorted(rows, key=lambda r: (r[2], r[3]), reverse=True)
    return [(r[0], r[1]) for r in newest_first]


def _holding_words(
    conn: Connection, dialect: str, words: list[str], complete: bool
) -> list[tuple[str, str]]:
    words = words[:MAX_TERMS]
    if words and not complete and len(words[-1]) < MIN_PREFIX_CHARS:
        words = words[:-1]  # one letter as a prefix matches nearly everything
    if not words:
        return []
    prefix = not complete
    if dialect == SQLITE:
        query, match = _SQLITE_WORDS, fts5_match(words, last_prefix=prefix)
    else:
        query, match = _PG_WORDS, tsquery_literal(words, last_prefix=prefix)
    rows = conn.execute(query, {"q": match, "scan": _SCAN}).all()
    return [(r[0], r[1]) for r in rows]
