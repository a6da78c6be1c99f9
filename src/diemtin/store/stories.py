"""Stories in the store: what readers and operators see of them, and operators' decisions.

An operator's merge, split or move locks the story and marks the articles
moved as placed by the operator; grouping (``diemtin.store.placing``) never
moves an article that already has a story, so the decision sticks.
"""

from __future__ import annotations

import time
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import Connection, text

from diemtin.dedupe.stories import StoryGrouper
from diemtin.store.codec import from_epoch
from diemtin.store.placing import AUTO, OPERATOR, upsert_grouping


@dataclass(frozen=True)
class Story:
    id: int
    title: str
    first_article_id: int | None
    first_published_at: datetime | None
    last_updated_at: datetime | None
    article_count: int
    locked: bool
    publishers: list[str]  # source slugs, in order of their first report


@dataclass(frozen=True)
class Member:
    article_id: int
    title: str
    source: str | None  # source slug
    published_at: datetime | None
    near_duplicate_of: int | None
    placed_by: str


# -- operators' decisions ------------------------------------------------------


def merge_stories(
    conn: Connection,
    keep: int,
    absorb: int,
    *,
    grouper: StoryGrouper | None = None,
) -> None:
    """Move every article of ``absorb`` into ``keep``; both stay locked, ``absorb`` empty."""
    if keep == absorb:
        raise ValueError("a story cannot absorb itself")
    for story_id in (keep, absorb):
        if not _exists(conn, story_id):
            raise LookupError(f"no story {story_id}")
    moved = (
        conn.execute(text("SELECT id FROM articles WHERE story_id = :s"), {"s": absorb})
        .scalars()
        .all()
    )
    conn.execute(
        text("UPDATE articles SET story_id = :k WHERE story_id = :a"), {"k": keep, "a": absorb}
    )
    for article_id in moved:
        upsert_grouping(conn, int(article_id), placed_by=OPERATOR)
    conn.execute(
        text("UPDATE stories SET merged_into = :k, locked = 1, article_count = 0 WHERE id = :a"),
        {"k": keep, "a": absorb},
    )
    # stories merged into the absorbed one follow it
    conn.execute(
        text("UPDATE stories SET merged_into = :k WHERE merged_into = :a"), {"k": keep, "a": absorb}
    )
    refresh_story(conn, keep, lock=True)
    if grouper is not None:
        grouper.merge(keep, absorb)


def split_article(
    conn: Connection,
    article_id: int,
    *,
    grouper: StoryGrouper | None = None,
    now: int | None = None,
) -> int:
    """Take an article out of its story into a new locked story of its own; that story's id."""
    row = conn.execute(
        text("SELECT story_id, title FROM articles WHERE id = :a"), {"a": article_id}
    ).first()
    if row is None:
        raise LookupError(f"no article {article_id}")
    new_id = int(
        conn.execute(
            text(
                "INSERT INTO stories (title, article_count, locked, created_at)"
                " VALUES (:t, 0, 1, :now) RETURNING id"
            ),
            {"t": row.title or "", "now": now if now is not None else int(time.time())},
        ).scalar_one()
    )
    move_article(conn, article_id, new_id, grouper=grouper)
    return new_id


def move_article(
    conn: Connection, article_id: int, story_id: int, *, grouper: StoryGrouper | None = None
) -> None:
    """An operator puts an article in a story; both stories are locked and recounted."""
    old = conn.execute(
        text("SELECT story_id FROM articles WHERE id = :a"), {"a": article_id}
    ).scalar_one_or_none()
    if not _exists(conn, story_id):
        raise LookupError(f"no story {story_id}")
    conn.execute(
        text("UPDATE articles SET story_id = :s WHERE id = :a"), {"s": story_id, "a": article_id}
    )
    upsert_grouping(conn, article_id, placed_by=OPERATOR)
    refresh_story(conn, story_id, lock=True)
    if old is not None and int(old) != story_id:
        refresh_story(conn, int(old), lock=True)
        # an emptied story goes, unless merged stories still point at it
        conn.execute(
            text(
                "DELETE FROM stories WHERE id = :o AND article_count = 0 AND NOT EXISTS"
                " (SELECT 1 FROM stories m WHERE m.merged_into = :o)"
            ),
            {"o": int(old)},
        )
    if grouper is not None:
        grouper.move(article_id, story_id)


def _exists(conn: Connection, story_id: int) -> bool:
    found = conn.execute(
        text("SELECT 1 FROM stories WHERE id = :s AND merged_into IS NULL"), {"s": story_id}
    ).first()
    return found is not None


def refresh_story(conn: Connection, story_id: int, *, lock: bool = False) -> None:
    """Recompute a story's count, first report and latest update from its members."""
    first = conn.execute(
        text(
            "SELECT id, title, published_at FROM articles WHERE story_id = :s"
            " ORDER BY COALESCE(published_at, stored_at), id LIMIT 1"
        ),
        {"s": story_id},
    ).first()
    totals = conn.execute(
        text(
            "SELECT COUNT(*), MAX(COALESCE(updated_at, published_at, stored_at))"
            " FROM articles WHERE story_id = :s"
        ),
        {"s": story_id},
    ).one()
    conn.execute(
        text(
            "UPDATE stories SET article_count = :n, last_updated_at = :u,"
            " first_article_id = :f, first_published_at = :p,"
            " title = COALESCE(:t, title), locked = CASE WHEN :lock THEN 1 ELSE locked END"
            " WHERE id = :s"
        ),
        {
            "n": int(totals[0]),
            "u": totals[1],
            "f": first.id if first else None,
            "p": first.published_at if first else None,
            "t": first.title if first else None,
            "lock": lock,
            "s": story_id,
        },
    )


# -- reading -------------------------------------------------------------------


def story_members(conn: Connection, story_id: int) -> list[Member]:
    """The story's articles, first report first, each with its source."""
    rows = conn.execute(
        text(
            "SELECT a.id, a.title, s.slug, a.published_at, g.near_duplicate_of, g.placed_by"
            " FROM articles a LEFT JOIN sources s ON s.id = a.source_id"
            " LEFT JOIN article_grouping g ON g.article_id = a.id"
            " WHERE a.story_id = :s ORDER BY COALESCE(a.published_at, a.stored_at), a.id"
        ),
        {"s": story_id},
    )
    return [
        Member(
            article_id=int(r[0]),
            title=r[1],
            source=r[2],
            published_at=from_epoch(r[3]),
            near_duplicate_of=r[4],
            placed_by=r[5] or AUTO,
        )
        for r in rows
    ]


def load_story(conn: Connection, story_id: int) -> Story | None:
    """A story with its publishers; a merged story answers as the one it went into."""
    row = conn.execute(
        text(
            "SELECT id, title, first_article_id, first_published_at, last_updated_at,"
            " article_count, locked, merged_into FROM stories WHERE id = :s"
        ),
        {"s": story_id},
    ).first()
    if row is None:
        return None
    if row.merged_into is not None:
        return load_story(conn, int(row.merged_into))
    publishers = list(dict.fromkeys(m.source for m in story_members(conn, story_id) if m.source))
    return Story(
        id=int(row.id),
        title=row.title,
        first_article_id=row.first_article_id,
        first_published_at=from_epoch(row.first_published_at),
        last_updated_at=from_epoch(row.last_updated_at),
        article_count=int(row.article_count),
        locked=bool(row.locked),
        publishers=publishers,
    )
