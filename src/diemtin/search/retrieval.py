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

import json
from dataclasses import dataclass
from typing import Any, NamedTuple

from sqlalchemy import Connection, text

from diemtin.search.index import SQLITE
from diemtin.search.query import fts5_match, tsquery_literal

NEWEST = 200
TITLE_MATCHES = 200
COUNT_CAP = 1000
# PostgreSQL: matches expected in fewer than this share of the articles are
# gathered from the GIN index and sorted; more are found by walking ids
# backwards, which stops once it has enough. Its planner, misled by the count
# over the whole result, walks backwards even for a rare pair of words, and then
# reads every row (EXPLAIN ANALYZE on Báo Mới: 95 ms instead of 9 for one title).
SPARSE = 1 / 8


@dataclass(frozen=True)
class Filters:
    category: str | None = None  # slug
    source: str | None = None  # slug
    since: int | None = None  # epoch seconds, inclusive
    until: int | None = None  # epoch seconds, exclusive

    def any(self) -> bool:
        return any(v is not None for v in (self.category, self.source, self.since, self.until))


class Candidate(NamedTuple):  # a tuple: hundreds are made per query, and cheaply so
    article_id: int
    published_at: int | None
    title: str  # folded words, single spaces between
    sapo: str  # folded words, single spaces between
    exact: str  # accented words of title and sapo, space-separated (split only if needed)


@dataclass(frozen=True)
class Matches:
    found: list[Candidate]
    total: int  # every match, or COUNT_CAP when capped
    capped: bool  # more than COUNT_CAP matched


# For this transaction only (set_config's third argument).
_PLAN_SETTINGS = (
    "set_config('plan_cache_mode', 'force_custom_plan', true),"
    " set_config('max_parallel_workers_per_gather', '0', true)"
)


def plan_each_query(conn: Connection, dialect: str) -> None:
    """Have PostgreSQL plan each statement for its own words, in this transaction.

    psycopg prepares a statement run five times, and PostgreSQL may then keep one
    generic plan: for "words @@ $1 ORDER BY id DESC LIMIT n" that is a backward
    walk of every row, right for "viet nam" and ten times too slow for a rare word.
    Nor does it start parallel workers: a search takes milliseconds, about
    what starting one costs, and other readers want the cores.
    """
    if dialect != SQLITE:
        conn.execute(text(f"SELECT {_PLAN_SETTINGS}"))


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


def _select(
    dialect: str, titles_only: bool, where: str, filtered: bool, sparse: bool
) -> tuple[str, str]:
    """(the SELECT of matches as id and published_at, the id expression to order by).

    PostgreSQL's index rows know whether their article is shown and when it was
    published, so articles is joined only for filters.
    """
    if dialect == SQLITE:
        table = "search_titles" if titles_only else "search_fts"
        return (
            f"SELECT {table}.rowid AS id, a.published_at AS published_at FROM {table}"
            f" JOIN articles a INDEXED BY search_filter ON a.id = {table}.rowid"
            f" WHERE {table} MATCH :q AND {where}"
        ), f"{table}.rowid"
    column = "title_words" if titles_only else "words"
    join = f" JOIN articles a ON a.id = d.article_id AND {where}" if filtered else ""
    return (
        f"SELECT d.article_id AS id, d.published_at AS published_at FROM search_docs d{join}"
        f" WHERE d.{column} @@ CAST(:q AS tsquery) AND d.visible"
    ), "d.article_id + 0" if sparse else "d.article_id"  # an expression: no walk by the index


def _newest(
    conn: Connection,
    dialect: str,
    titles_only: bool,
    where: str,
    params: dict[str, Any],
    n: int,
    *,
    keep: int | None = None,
    at_most: int | None = None,
    filtered: bool = True,
    sparse: bool = False,
) -> tuple[list[Candidate], int]:
    """The newest ``keep`` (default all) of the n most recently stored matches, and their count.

    One statement: the database counts, and only the rows kept reach Python,
    with the words ranking needs. ``at_most`` bounds the number of matches (the
    fewest articles holding one of the terms): when they all fit in n, SQLite
    reads them in ascending order, a third cheaper for FTS5 than descending;
    should the bound be stale (counts are remembered), the query runs again in
    descending order. ``filtered``: ``where`` holds more than visibility;
    ``sparse``: few matches are expected (see SPARSE).
    """
    select, order = _select(dialect, titles_only, where, filtered, sparse)
    query = (
        "SELECT k.id, k.published_at, k.n, d.title, d.sapo, d.exact FROM"
        " (SELECT m.id, m.published_at, COUNT(*) OVER () AS n FROM"
        f" ({select} ORDER BY {order} {{direction}} LIMIT {n}) m"
        f" ORDER BY m.id DESC LIMIT {n if keep is None else keep}) k"
        " JOIN search_docs d ON d.article_id = k.id ORDER BY k.id DESC"
    )

    def read(direction: str) -> tuple[list[Candidate], int]:
        rows = conn.execute(text(query.format(direction=direction)), params).all()
        found = [Candidate(r[0], r[1], r[3], r[4], r[5]) for r in rows]
        return found, int(rows[0][2]) if rows else 0

    if dialect == SQLITE and at_most is not None and at_most < n:
        found, count = read("ASC")
        if count < n:
            return found, count
    return read("DESC")


def candidates(
    conn: Connection,
    dialect: str,
    terms: list[str],
    filters: Filters,
    *,
    at_most: int | None = None,
    share: float = 1.0,
) -> Matches:
    """The visible articles holding every term worth ranking, and how many match.

    ``at_most``, if known, bounds the number of matches (see ``_newest``);
    ``share`` is the share of articles expected to match (see SPARSE).
    """
    params: dict[str, Any] = {
        "q": fts5_match(terms) if dialect == SQLITE else tsquery_literal(terms)
    }
    where = _where(filters, params)
    # One pass both counts (up to the cap) and yields the newest matches.
    filtered, sparse = filters.any(), share < SPARSE
    found, count = _newest(
        conn, dialect, False, where, params, COUNT_CAP + 1,
        keep=NEWEST, at_most=at_most, filtered=filtered, sparse=sparse,
    )  # fmt: skip
    if count > NEWEST:
        newest = {c.article_id for c in found}
        titles, _ = _newest(
            conn, dialect, True, where, params, TITLE_MATCHES, filtered=filtered, sparse=sparse
        )
        found += [c for c in titles if c.article_id not in newest]
    return Matches(found, min(count, COUNT_CAP), count > COUNT_CAP)


def id_list(dialect: str, ids: list[int]) -> tuple[str | list[int], str]:
    """(one parameter ``:ids`` holding these ids, the SQL testing a column against it).

    One parameter rather than one per id: the statement's text, and so its
    compiled form, stays the same whatever the number of ids.
    """
    if dialect == SQLITE:
        return json.dumps(ids), "IN (SELECT value FROM json_each(:ids))"
    return ids, "= ANY(CAST(:ids AS BIGINT[]))"


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
    # FTS5 keeps a small row per indexed article: counting search_docs would walk
    # every leaf of a table whose rows hold whole bodies (a tenth of a second).
    return int(conn.execute(text("SELECT COUNT(*) FROM search_fts_docsize")).scalar_one())


_HIGHEST_ID = "SELECT COALESCE(MAX(article_id), 0) FROM search_docs"


def highest_id(conn: Connection) -> int:
    """Cheap (an index end), and it moves as articles arrive."""
    return int(conn.execute(text(_HIGHEST_ID)).scalar_one())


def begin(conn: Connection, dialect: str) -> int:
    """``plan_each_query`` then ``highest_id``, in one round trip to the database."""
    if dialect == SQLITE:
        return highest_id(conn)
    return int(conn.execute(text(f"SELECT ({_HIGHEST_ID}), {_PLAN_SETTINGS}")).one()[0])


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
