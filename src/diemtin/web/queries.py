"""What the pages read from the store."""

from __future__ import annotations

from dataclasses import dataclass

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


def article(conn: Connection, article_id: int) -> ArticlePage | None:
    row = conn.execute(
        text(
            "SELECT a.id, a.title, a.sapo, a.body, a.author, a.url, COALESCE(s.name, ''), c.name,"
            " a.published_at, a.status FROM articles a LEFT JOIN sources s ON s.id = a.source_id"
            " LEFT JOIN categories c ON c.id = a.category_id WHERE a.id = :id"
        ),
        {"id": article_id},
    ).first()
    if row is None:
        return None
    return ArticlePage(row[0], row[1], row[2], blocks_from_json(row[3]), *row[4:])


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
