"""What the article page and the empty home page read from the store."""

from __future__ import annotations

import json
from dataclasses import dataclass, field

from sqlalchemy import Connection, text

from diemtin.model import Block
from diemtin.store.codec import blocks_from_json


@dataclass(frozen=True)
class ListItem:
    id: int
    title: str
    sapo: str
    source: str
    published_at: int | None


@dataclass(frozen=True)
class ArticlePage:
    id: int
    title: str
    sapo: str
    blocks: list[Block]
    author: str
    url: str
    source: str
    category: str | None
    published_at: int | None
    status: str
    source_slug: str | None = None
    category_slug: str | None = None
    story_id: int | None = None
    lead_image: str | None = None
    updated_at: int | None = None
    tags: list[str] = field(default_factory=list)


def latest(conn: Connection, limit: int = 30) -> list[ListItem]:
    rows = conn.execute(
        text(
            "SELECT a.id, a.title, a.sapo, COALESCE(s.name, ''), a.published_at FROM articles a"
            " LEFT JOIN sources s ON s.id = a.source_id WHERE a.status = 'visible'"
            " ORDER BY COALESCE(a.published_at, a.stored_at) DESC, a.id DESC LIMIT :n"
        ),
        {"n": limit},
    )
    return [ListItem(*r) for r in rows]


def _tags(raw: str) -> list[str]:
    try:
        value = json.loads(raw or "[]")
    except ValueError:
        return []
    return [str(t) for t in value if str(t).strip()] if isinstance(value, list) else []


def article(conn: Connection, article_id: int) -> ArticlePage | None:
    row = conn.execute(
        text(
            "SELECT a.id, a.title, a.sapo, a.body, a.author, a.url, COALESCE(s.name, ''), c.name,"
            " a.published_at, a.status, s.slug, c.slug, a.story_id, a.lead_image, a.updated_at,"
            " a.tags FROM articles a LEFT JOIN sources s ON s.id = a.source_id"
            " LEFT JOIN categories c ON c.id = a.category_id WHERE a.id = :id"
        ),
        {"id": article_id},
    ).first()
    if row is None:
        return None
    tags = conn.execute(
        text("SELECT tag FROM article_tags WHERE article_id = :id ORDER BY tag"), {"id": row[0]}
    ).scalars()
    return ArticlePage(
        id=row[0],
        title=row[1],
        sapo=row[2],
        blocks=blocks_from_json(row[3]),
        author=row[4],
        url=row[5],
        source=row[6],
        category=row[7],
        published_at=row[8],
        status=row[9],
        source_slug=row[10],
        category_slug=row[11],
        story_id=row[12],
        lead_image=row[13],
        updated_at=row[14],
        tags=[str(t) for t in tags] or _tags(row[15]),
    )


@dataclass(frozen=True)
class FeedProblem:
    source: str
    kind: str
    message: str


def why_empty(conn: Connection, limit: int = 8) -> tuple[int, int, list[FeedProblem]]:
    """(feeds, feeds never fetched, latest errors): why nothing has arrived yet."""
    feeds, waiting = conn.execute(
        text(
            "SELECT COUNT(*), SUM(CASE WHEN last_checked_at IS NULL THEN 1 ELSE 0 END) FROM feeds"
            " WHERE enabled = 1"
        )
    ).one()
    rows = conn.execute(
        text(
            "SELECT s.name, f.last_error_kind, f.last_error FROM feeds f JOIN sources s"
            " ON s.id = f.source_id WHERE f.last_error IS NOT NULL ORDER BY f.last_error_at DESC"
            " LIMIT 200"
        )
    )
    latest: dict[str, FeedProblem] = {}
    for row in rows:  # the newest error of each source is enough to say what is wrong
        latest.setdefault(row[0], FeedProblem(*row))
    return int(feeds or 0), int(waiting or 0), list(latest.values())[:limit]


def generation(conn: Connection) -> tuple[object, ...]:
    """Changes when an article arrives, changes status or gets a new version: the page cache's
    key. Each part is read from an index; other edits show within the cache's lifetime."""
    row = conn.execute(
        text(
            "SELECT (SELECT MAX(id) FROM articles),"
            " (SELECT COUNT(*) FROM articles WHERE status <> 'visible'),"
            " (SELECT COUNT(*) FROM article_versions),"
            " (SELECT MAX(id) FROM admin_audit)"  # any console change: hide, pin, category...
        )
    ).one()
    return tuple(row)
