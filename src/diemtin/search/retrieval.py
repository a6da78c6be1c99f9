"""Finding the articles that hold every word, on each engine; ranking happens in Python.

The engines only answer set questions (which visible articles hold all these
folded words, how many articles hold this one), which FTS5 with detail=none
and a GIN index answer fast; both then hand the same rows to ``ranking``.

Broad queries ("viet nam") match most of the corpus, so the candidates ranked
are bounded: the NEWEST most recently stored matches, plus up to TITLE_MATCHES
articles whose title holds every word (a known headline is never crowded out).
The total is counted up to COUNT_CAP only. Each piece stops early, whatever
the corpus size.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from sqlalchemy import Connection, text

from diemtin.search.index import SQLITE
from diemtin.search.query import fts5_match, tsquery_literal

NEWEST = 200
TITLE_MATCHES = 200
COUNT_CAP = 1000


@dataclass(frozen=True)
class Filters:
    category: str | None = None  # slug
    source: str | None = None  # slug
    since: int | None = None  # epoch seconds, inclusive
    until: int | None = None  # epoch seconds, exclusive

    def any(self) -> bool:
        return any(v is not None for v in (self.category, self.source, self.since, self.until))


@dataclass(frozen=True)
class Candidate:
    article_id: int
    published_at: int | None
    title: list[str]  # folded words
    sapo: list[str]  # folded words
    exact: str  # accented words of title and sapo, space-separated (split only if needed)


@dataclass(frozen=True)
class Matches:
    found: list[Candidate]
    total: int  # every match, or COUNT_CAP when capped
    capped: bool  # more than COUNT_CAP matched


def plan_each_query(conn: Connection, dialect: str) -> None:
    """Have PostgreSQL plan each statement for its own words, in this transaction.

    psycopg prepares a statement run five times, and PostgreSQL may then keep one
    generic plan: for "words @@ $1 ORDER BY id DESC LIMIT n" that is a backward
    walk of every row, right for "viet nam" and ten times too slow for a rare word.
    """
    if dialect != SQLITE:
        conn.execute(text("SET LOCAL plan_cache_mode = force_custom_plan"))


def _where(filters: Filters, params: dict[str, Any]) -> str:
    where = ["a.status = 'visible'"]
    if filters.category is not None:
        where.append("a.category_id = (SELECT id FROM categories WHERE slug = :cat)")
        params["cat"] = filters.category
    if filters.source is not None:
        where.append("a.source_id = (SELECT id FROM sources WHERE slug = :src)")
        params["src"] = filters.source
    if filters.since is not None:
        where.append("a.published_at >= :since")
        params["since"] = filters.since
    if filters.until is not None:
        where.append("a.published_at < :until")
        params["until"] = filters.until
    return " AND ".join(where)


def _select(dialect: str, titles_only: bool, where: str) -> tuple[str, str]:
    """(the SELECT of matching ids and publish times, the id column to order by)."""
    if dialect == SQLITE:
        table = "search_titles" if titles_only else "search_fts"
        return (
            f"SELECT {table}.rowid, a.published_at FROM {table}"
            f" JOIN articles a INDEXED BY search_filter ON a.id = {table}.rowid"
            f" WHERE {table} MATCH :q AND {where}"
        ), f"{table}.rowid"
    column = "title_words" if titles_only else "words"
    return (
        "SELECT d.article_id, a.published_at FROM search_docs d"
        f" JOIN articles a ON a.id = d.article_id WHERE d.{column} @@ CAST(:q AS tsquery)"
        f" AND {where}"
    ), "d.article_id"


def _newest(
    conn: Connection, dialect: str, titles_only: bool, where: str, params: dict[str, Any], n: int
) -> list[tuple[int, int | None]]:
    """(id, publish time) of the n most recently stored matches, newest first."""
    select, order = _select(dialect, titles_only, where)
    rows = conn.execute(text(f"{select} ORDER BY {order} DESC LIMIT {n}"), params).all()
    return [(int(r[0]), r[1]) for r in rows]


def candidates(conn: Connection, dialect: str, terms: list[str], filters: Filters) -> Matches:
    """The visible articles holding every term worth ranking, and how many match."""
    params: dict[str, Any] = {
        "q": fts5_match(terms) if dialect == SQLITE else tsquery_literal(terms)
    }
    where = _where(filters, params)
    # One pass both counts (up to the cap) and yields the newest matches.
    matching = _newest(conn, dialect, False, where, params, COUNT_CAP + 1)
    chosen = dict(matching[:NEWEST])
    if len(matching) > NEWEST:
        chosen.update(_newest(conn, dialect, True, where, params, TITLE_MATCHES))
    total = min(len(matching), COUNT_CAP)
    return Matches(_with_words(conn, chosen), total, len(matching) > COUNT_CAP)


def _with_words(conn: Connection, published: dict[int, int | None]) -> list[Candidate]:
    if not published:
        return []
    marks = ", ".join(f":i{n}" for n in range(len(published)))
    rows = conn.execute(
        text(
            f"SELECT article_id, title, sapo, exact FROM search_docs WHERE article_id IN ({marks})"
        ),
        {f"i{n}": i for n, i in enumerate(published)},
    ).all()
    return [
        Candidate(int(r[0]), published[int(r[0])], r[1].split(), r[2].split(), r[3]) for r in rows
    ]


def document_counts(conn: Connection, dialect: str, terms: list[str]) -> dict[str, int]:
    """How many indexed articles hold each term (one statement for all of them)."""
    if not terms:
        return {}
    if dialect == SQLITE:
        one = "(SELECT COUNT(*) FROM search_fts WHERE search_fts MATCH :t{n})"
        values = {f"t{n}": fts5_match([t]) for n, t in enumerate(terms)}
    else:
        one = "(SELECT COUNT(*) FROM search_docs WHERE words @@ CAST(:t{n} AS tsquery))"
        values = {f"t{n}": tsquery_literal([t]) for n, t in enumerate(terms)}
    columns = ", ".join(one.format(n=n) for n in range(len(terms)))
    row = conn.execute(text(f"SELECT {columns}"), values).one()
    return {t: int(c) for t, c in zip(terms, row, strict=True)}


def corpus_size(conn: Connection, dialect: str) -> int:
    """Indexed articles; PostgreSQL's own estimate once it has one (counting is slow at scale)."""
    if dialect != SQLITE:
        estimate = conn.execute(
            text("SELECT reltuples FROM pg_class WHERE oid = CAST('search_docs' AS regclass)")
        ).scalar()
        if estimate is not None and estimate > 0:
            return int(estimate)
    return int(conn.execute(text("SELECT COUNT(*) FROM search_docs")).scalar_one())


def highest_id(conn: Connection) -> int:
    """Cheap (an index end), and it moves as articles arrive."""
    query = text("SELECT COALESCE(MAX(article_id), 0) FROM search_docs")
    return int(conn.execute(query).scalar_one())


def common_shares(conn: Connection, dialect: str) -> dict[str, float]:
    """PostgreSQL's sampled share of articles holding each of its most common words.

    ANALYZE (run by autovacuum) keeps them for tsvector columns: exactly the
    words whose exact count would read the longest posting lists. Empty on
    SQLite, or before the first ANALYZE.
    """
    if dialect == SQLITE:
        return {}
    row = conn.execute(
        text(
            "SELECT CAST(CAST(most_common_elems AS text) AS text[]), most_common_elem_freqs"
            " FROM pg_stats WHERE schemaname = current_schema() AND tablename = 'search_docs'"
            " AND attname = 'words'"
        )
    ).first()
    if row is None or row[0] is None or row[1] is None:
        return {}
    # The frequencies list ends with three summary numbers; zip stops before them.
    return {str(w): float(f) for w, f in zip(row[0], row[1], strict=False)}
