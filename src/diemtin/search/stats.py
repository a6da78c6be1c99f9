"""Document frequencies for IDF, remembered per database so a query rarely pays for them.

Counting the articles that hold a common syllable means reading its whole
posting list; the answer barely moves as articles arrive, so it is kept until
the corpus has grown by DRIFT or MAX_AGE seconds have passed. On PostgreSQL
the most common words' counts come from ANALYZE's sample instead.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import dataclass, field

from sqlalchemy import Connection

from diemtin.search.index import SQLITE
from diemtin.search.retrieval import common_shares, corpus_size, document_counts, highest_id

MAX_AGE = 600.0
# PostgreSQL before its first ANALYZE (autovacuum runs it within a minute of a
# bulk load) has no sample yet: look again soon rather than count for long.
MAX_AGE_UNSAMPLED = 60.0
DRIFT = 0.02
_MAX_TERMS_KEPT = 200_000


@dataclass
class _Stats:
    docs: int
    top_id: int
    since: float
    shares: dict[str, float]  # PostgreSQL's sampled shares of its most common words
    max_age: float
    counts: dict[str, int] = field(default_factory=dict)

    def fresh(self, top_id: int, now: float) -> bool:
        return (
            now - self.since <= self.max_age
            and abs(top_id - self.top_id) <= DRIFT * self.docs
            and len(self.counts) < _MAX_TERMS_KEPT
        )


_by_database: dict[str, _Stats] = {}


def frequencies(
    conn: Connection,
    dialect: str,
    terms: list[str],
    *,
    clock: Callable[[], float] = time.monotonic,
    top_id: int | None = None,
) -> tuple[int, dict[str, int]]:
    """(indexed articles, {term: articles holding it}) for these terms.

    ``top_id`` is ``highest_id(conn)`` when the caller has just read it.
    """
    key = str(conn.engine.url)
    stats = _by_database.get(key)
    now = clock()
    top_id = highest_id(conn) if top_id is None else top_id
    if stats is None or not stats.fresh(top_id, now):
        docs, shares = corpus_size(conn, dialect), common_shares(conn, dialect)
        unsampled = dialect != SQLITE and not shares
        max_age = MAX_AGE_UNSAMPLED if unsampled else MAX_AGE
        stats = _by_database[key] = _Stats(docs, top_id, now, shares, max_age)
    missing = [t for t in terms if t not in stats.counts]
    for term in missing:
        if term in stats.shares:
            stats.counts[term] = round(stats.shares[term] * stats.docs)
    missing = [t for t in missing if t not in stats.counts]
    stats.counts.update(document_counts(conn, dialect, missing))
    return stats.docs, {t: stats.counts[t] for t in terms}


def forget() -> None:
    """Drop every remembered count (tests, or after a bulk change)."""
    _by_database.clear()
