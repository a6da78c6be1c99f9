"""Reader signals in the store: hourly view counters, one vote per reader, and the
reads the rankings need. Times are UTC epoch seconds; the caller passes ``now``.

A view is two small statements in one transaction: a daily mark (a keyed hash of
reader, article and day) that only the first view inserts, then an upsert of the
article's hourly counter. Nothing grows by a row per view; marks live one day.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Mapping, Sequence
from dataclasses import dataclass

from sqlalchemy import Connection, text

from diemtin.rank import Candidate, Doc
from diemtin.store import driver

HOUR = 3600
# one statement each, the ids bound as one parameter (driver.ByIds)
_CATEGORIES_OF = driver.ByIds(
    "SELECT category_id FROM articles WHERE id IN :ids AND category_id IS NOT NULL"
)


@dataclass(frozen=True)
class Poll:
    helpful: int
    unhelpful: int
    mine: bool | None  # this reader's vote, None when they have not voted

    @property
    def share(self) -> float | None:
        """The share who found it helpful, None before anyone voted."""
        total = self.helpful + self.unhelpful
        return self.helpful / total if total else None


def ensure_secret(conn: Connection, name: str, candidate: str, now: int) -> str:
    """The secret stored under ``name``; ``candidate`` becomes it when there was none.

    The first writer wins, so processes starting together agree on one secret."""
    conn.execute(
        text(
            "INSERT INTO site_secrets (name, value, created_at) VALUES (:n, :v, :t)"
            " ON CONFLICT (name) DO NOTHING"
        ),
        {"n": name, "v": candidate, "t": now},
    )
    value = conn.execute(text("SELECT value FROM site_secrets WHERE name = :n"), {"n": name})
    return str(value.scalar_one())


def is_visible(conn: Connection, article_id: int) -> bool:
    row = conn.execute(text("SELECT status FROM articles WHERE id = :id"), {"id": article_id})
    return row.scalar() == "visible"


def mark(conn: Connection, *, mark: int, day: int) -> bool:
    """Set a daily mark; True when it was not set yet."""
    query = text("INSERT INTO view_marks (day, mark) VALUES (:d, :m) ON CONFLICT DO NOTHING")
    return bool(conn.execute(query, {"d": day, "m": mark}).rowcount == 1)


def add_view(conn: Connection, article_id: int, *, now: int) -> None:
    """One more view in the article's hourly counter (an upsert: no row per view)."""
    conn.execute(
        text(
            "INSERT INTO view_counts (article_id, bucket, views) VALUES (:a, :b, 1)"
            " ON CONFLICT (article_id, bucket) DO UPDATE SET views = view_counts.views + 1"
        ),
        {"a": article_id, "b": now // HOUR * HOUR},
    )


def record_view(
    conn: Connection, article_id: int, *, marks: Sequence[int], day: int, now: int
) -> bool:
    """Count a view when every mark (reader, article, day...) is new today; True when counted.

    Marks are set in order and the first one already set stops there."""
    for m in marks:
        if not mark(conn, mark=m, day=day):
            return False
    add_view(conn, article_id, now=now)
    return True


def free_slot(conn: Connection, marks: Sequence[int], day: int) -> bool:
    """Take the first free of a client's slots for an article today; False when all are taken."""
    return any(mark(conn, mark=m, day=day) for m in marks)


def categories_of(conn: Connection, ids: Sequence[int]) -> dict[int, int]:
    """How many of these articles fall in each category (a reader's history)."""
    counts: dict[int, int] = defaultdict(int)
    for (category,) in _CATEGORIES_OF.run(conn, list(ids)):
        counts[int(category)] += 1
    return dict(counts)


def prune_marks(conn: Connection, day: int) -> int:
    """Forget marks of days before yesterday (yesterday's still guard the day's edge)."""
    return conn.execute(text("DELETE FROM view_marks WHERE day < :d"), {"d": day - 1}).rowcount


def cast_vote(conn: Connection, article_id: int, reader: str, helpful: bool, now: int) -> None:
    """One vote per reader per article; voting again changes it."""
    conn.execute(
        text(
            "INSERT INTO votes (article_id, reader, helpful, created_at, updated_at)"
            " VALUES (:a, :r, :h, :t, :t) ON CONFLICT (article_id, reader)"
            " DO UPDATE SET helpful = :h, updated_at = :t"
        ),
        {"a": article_id, "r": reader, "h": int(helpful), "t": now},
    )


def poll(conn: Connection, article_id: int, reader: str | None) -> Poll:
    yes, total = conn.execute(
        text("SELECT COALESCE(SUM(helpful), 0), COUNT(*) FROM votes WHERE article_id = :a"),
        {"a": article_id},
    ).one()
    mine = None
    if reader is not None:
        row = conn.execute(
            text("SELECT helpful FROM votes WHERE article_id = :a AND reader = :r"),
            {"a": article_id, "r": reader},
        ).first()
        mine = None if row is None else bool(row[0])
    return Poll(int(yes), int(total) - int(yes), mine)


def total_views(conn: Connection, article_id: int) -> int:
    query = text("SELECT COALESCE(SUM(views), 0) FROM view_counts WHERE article_id = :a")
    return int(conn.execute(query, {"a": article_id}).scalar_one())


def _newest_ids(conn: Connection, now: int, limit: int) -> list[int]:
    """The newest visible articles up to now; undated ones by the order they were stored."""
    dated = conn.execute(
        text(
            "SELECT id FROM articles WHERE published_at <= :n AND status = 'visible'"
            " ORDER BY published_at DESC LIMIT :l"
        ),
        {"n": now, "l": limit},
    )
    undated = conn.execute(
        text(
            "SELECT id FROM articles WHERE published_at IS NULL AND status = 'visible'"
            " AND stored_at <= :n ORDER BY id DESC LIMIT :l"
        ),
        {"n": now, "l": limit},
    )
    return [r[0] for r in dated] + [r[0] for r in undated]


_VIEWS_SINCE = text(
    "SELECT article_id, bucket, views FROM view_counts WHERE bucket BETWEEN :s AND :n"
)
_VOTES_OF = driver.ByIds(
    "SELECT article_id, SUM(helpful), COUNT(*) FROM votes WHERE article_id IN :ids"
    " GROUP BY article_id"
)
_CANDIDATES_OF = driver.ByIds(
    "SELECT id, COALESCE(published_at, stored_at), category_id, source_id, story_id,"
    " has_video FROM articles WHERE id IN :ids AND status = 'visible'"
)


def candidates(conn: Connection, *, since: int, now: int, newest: int = 500) -> list[Candidate]:
    """Every article read since ``since``, and the ``newest`` articles, with their signals.

    An article neither read lately nor among the newest cannot rank in any block
    that reads this (hot, spotlight, for you, video), so it is not loaded.
    """
    views: dict[int, dict[int, int]] = defaultdict(dict)
    rows = driver.fetch_all(conn, _VIEWS_SINCE, {"s": since - HOUR, "n": now})
    for article_id, bucket, n in rows:
        views[article_id][bucket] = n
    ids = sorted(set(views) | set(_newest_ids(conn, now, newest)))
    votes: dict[int, tuple[int, int]] = {}
    out: list[Candidate] = []
    for a, yes, total in _VOTES_OF.run(conn, ids):
        votes[a] = (int(yes), int(total) - int(yes))
    for a, published, category, source, story, video in _CANDIDATES_OF.run(conn, ids):
        yes, no = votes.get(a, (0, 0))
        out.append(Candidate(a, published, category, source, story, bool(video), views[a], yes, no))
    return out


def latest_in_category(
    conn: Connection, category_id: int | None, *, now: int, limit: int
) -> list[Candidate]:
    """The category's newest articles up to ``now`` (no window: a quiet category still fills).

    Dated ones by the (category, published) index; undated ones by the order stored."""
    if category_id is None:
        return []
    columns = "id, COALESCE(published_at, stored_at), category_id, source_id, story_id"
    found: list[Candidate] = []
    for where in (
        "published_at <= :n AND status = 'visible' ORDER BY published_at DESC",
        "published_at IS NULL AND status = 'visible' AND stored_at <= :n ORDER BY id DESC",
    ):
        rows = conn.execute(
            text(f"SELECT {columns} FROM articles WHERE category_id = :c AND {where} LIMIT :l"),
            {"c": category_id, "n": now, "l": limit},
        )
        found.extend(Candidate(*r) for r in rows)
    return found


_DOC = (
    "SELECT a.id, a.title, a.sapo || ' ' || SUBSTR(a.body_text, 1, 1200),"
    " COALESCE(a.published_at, a.stored_at), a.story_id, COALESCE(NULLIF(a.title_key, ''),"
    " a.content_hash), g.near_duplicate_of FROM articles a"
    " LEFT JOIN article_grouping g ON g.article_id = a.id"
)


def _doc(row: Sequence[object]) -> Doc:
    return Doc(*row)  # type: ignore[arg-type]


_META = (
    "SELECT a.id, a.title, COALESCE(a.published_at, a.stored_at), a.story_id,"
    " COALESCE(NULLIF(a.title_key, ''), a.content_hash), g.near_duplicate_of FROM articles a"
    " LEFT JOIN article_grouping g ON g.article_id = a.id"
)
_META_OF = driver.ByIds(f"{_META} WHERE a.id IN :ids AND a.status = 'visible'")
_DOCS_OF = driver.ByIds(f"{_DOC} WHERE a.id IN :ids")


def related_docs(
    conn: Connection,
    article_id: int,
    *,
    window: int,
    limit: int,
    known: Mapping[int, Doc] | None = None,
) -> tuple[Doc | None, list[Doc]]:
    """The article and what Tin liên quan may choose from: its story's other versions,
    and up to ``limit`` visible articles published closest to it within ``window`` seconds
    (undated ones: stored closest by id).

    A doc in ``known`` whose title, time, story and keys are unchanged is reused
    as it is (with the word lookups built on it), and its text is not read again."""
    row = conn.execute(text(f"{_DOC} WHERE a.id = :id"), {"id": article_id}).first()
    if row is None:
        return None, []
    target = _doc(row)
    chosen = _closest(conn, article_id, target.published_at, window, limit)
    if target.story_id is not None:
        story = conn.execute(
            text("SELECT id FROM articles WHERE story_id = :s AND id <> :id"),
            {"s": target.story_id, "id": article_id},
        )
        near_ids = set(chosen)
        chosen.extend(r[0] for r in story if r[0] not in near_ids)
    known = known or {}
    docs: list[Doc] = []
    missing: list[int] = []
    for r in _META_OF.run(conn, chosen):
        kept = known.get(r[0])
        if kept is not None and _unchanged(kept, tuple(r)):
            docs.append(kept)
        else:
            missing.append(r[0])
    if missing:
        docs.extend(map(_doc, _DOCS_OF.run(conn, missing)))
    return target, docs


def _closest(conn: Connection, article_id: int, t: int, window: int, limit: int) -> list[int]:
    """Up to ``limit`` other articles published closest to ``t``, within ``window`` seconds
    (undated articles: the undated ones stored closest by id).

    Two index range scans, the ``limit`` just before and just after, merged here:
    ordering the whole window by distance sorted every article in it (35,000 in a
    month-wide window, most of a page's time)."""
    params = {"id": article_id, "l": limit}
    if _is_dated(conn, article_id):
        key, at = "published_at", t
        scope = "published_at BETWEEN :lo AND :hi"
        params |= {"lo": t - window, "hi": t + window}
    else:
        key, at = "id", article_id
        scope = "published_at IS NULL"
    params["at"] = at
    side = f"SELECT id, {key} AS k FROM articles WHERE id <> :id AND {scope} AND {key}"
    query = (
        f"SELECT * FROM ({side} <= :at ORDER BY {key} DESC LIMIT :l) AS earlier"
        f" UNION ALL SELECT * FROM ({side} > :at ORDER BY {key} LIMIT :l) AS later"
    )
    rows = sorted(conn.execute(text(query), params), key=lambda r: (abs(r[1] - at), r[0]))
    return [r[0] for r in rows[:limit]]


def _unchanged(doc: Doc, meta: tuple[object, ...]) -> bool:
    """Whether a kept doc still has the title, time, story and keys the store gives."""
    mine = (doc.id, doc.title, doc.published_at, doc.story_id, doc.dup_key, doc.duplicate_of)
    return mine == meta


def _is_dated(conn: Connection, article_id: int) -> bool:
    query = text("SELECT published_at IS NOT NULL FROM articles WHERE id = :id")
    return bool(conn.execute(query, {"id": article_id}).scalar())
