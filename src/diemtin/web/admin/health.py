"""Each source's health for the console: fetching, output, and how well extraction reads it.

Extraction quality is the share of its recent articles that came out whole: a title, a
sapo, a body, at least one figure and a publication date; each part's own share is
shown beside it, so the operator sees which one is missing.
"""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import Connection, text

DAY = 86400
RATE_DAYS = 7  # articles per day: the last week's average
QUALITY_DAYS = 30

_PARTS = {
    "title": "a.title <> ''",
    "sapo": "a.sapo <> ''",
    "body": "a.body_text <> ''",
    "figures": "EXISTS (SELECT 1 FROM article_images i WHERE i.article_id = a.id)",
    "date": "a.published_at IS NOT NULL",
}
PART_NAMES = {
    "title": "tiêu đề",
    "sapo": "sapo",
    "body": "thân bài",
    "figures": "ảnh",
    "date": "ngày",
}


@dataclass(frozen=True)
class Health:
    id: int
    slug: str
    name: str
    enabled: bool
    origin: str
    feeds: int
    last_fetch_at: int | None
    next_check_at: int | None
    error_streak: int
    last_error: str
    per_day: float
    recent: int  # articles in the quality window
    quality: float | None  # share of recent articles with every part
    parts: dict[str, float]  # each part's share


def _sum(condition: str) -> str:
    return f"SUM(CASE WHEN {condition} THEN 1 ELSE 0 END)"


def _output(conn: Connection, now: int) -> dict[int, tuple[int, int, int, list[int]]]:
    """source id -> (articles this week, recent articles, complete ones, each part's count)."""
    every = " AND ".join(_PARTS.values())
    parts = ", ".join(_sum(c) for c in _PARTS.values())
    rows = conn.execute(
        text(
            f"SELECT a.source_id, {_sum('a.stored_at >= :week')}, COUNT(*), {_sum(every)}, {parts}"
            " FROM articles a WHERE a.stored_at >= :since AND a.source_id IS NOT NULL"
            " GROUP BY a.source_id"
        ),
        {"week": now - RATE_DAYS * DAY, "since": now - QUALITY_DAYS * DAY},
    ).all()
    return {int(r[0]): (int(r[1]), int(r[2]), int(r[3]), [int(x) for x in r[4:]]) for r in rows}


def sources(conn: Connection, now: int) -> list[Health]:
    rows = conn.execute(
        text(
            "SELECT s.id, s.slug, s.name, s.enabled, s.origin, COUNT(f.id), MAX(f.last_checked_at),"
            " MIN(CASE WHEN f.enabled = 1 THEN f.next_check_at END), MAX(f.error_streak),"
            " MAX(CASE WHEN f.error_streak > 0 THEN f.last_error_kind || ': ' || f.last_error END)"
            " FROM sources s LEFT JOIN feeds f ON f.source_id = s.id"
            " GROUP BY s.id, s.slug, s.name, s.enabled, s.origin ORDER BY s.name, s.slug"
        )
    ).all()
    output = _output(conn, now)
    found = []
    for r in rows:
        week, recent, complete, counts = output.get(int(r[0]), (0, 0, 0, [0] * len(_PARTS)))
        found.append(
            Health(
                id=int(r[0]),
                slug=str(r[1]),
                name=str(r[2]),
                enabled=bool(r[3]),
                origin=str(r[4]),
                feeds=int(r[5]),
                last_fetch_at=r[6],
                next_check_at=r[7],
                error_streak=int(r[8] or 0),
                last_error=str(r[9] or ""),
                per_day=week / RATE_DAYS,
                recent=recent,
                quality=complete / recent if recent else None,
                parts={p: n / recent for p, n in zip(_PARTS, counts, strict=True)}
                if recent
                else {},
            )
        )
    return found
