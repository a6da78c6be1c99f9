"""Articles in the store: one row per stable key, edits kept as versions."""

from __future__ import annotations

import json
from collections.abc import Callable
from dataclasses import dataclass
from enum import StrEnum
from typing import Any

from sqlalchemy import Connection, text

from diemtin.model import Article
from diemtin.store import driver
from diemtin.store.codec import blocks_from_json, blocks_to_json, from_epoch, to_epoch
from diemtin.store.deferred import Deferred


class Outcome(StrEnum):
    NEW = "new"
    UPDATED = "updated"
    UNCHANGED = "unchanged"


@dataclass(frozen=True)
class Placement:
    """Where a prepared article belongs: everything the store needs beside the article."""

    key: str
    canonical: str  # cleaned canonical URL, the second way to recognise the article
    content_hash: str
    title_key: str
    source_id: int | None
    feed_id: int | None = None
    category_id: int | None = None
    category_source: str | None = None
    category_confidence: float | None = None


_BY_KEY = text("SELECT id, content_hash FROM articles WHERE key = :k")
# one query for both ways of knowing the article; the key wins over the canonical URL
_BY_KEY_OR_CANONICAL = text(
    "SELECT id, content_hash FROM articles WHERE key = :k OR canonical_url = :c"
    " ORDER BY CASE WHEN key = :k THEN 0 ELSE 1 END, id LIMIT 1"
)


def find_existing(conn: Connection, key: str, canonical: str) -> tuple[int, str] | None:
    """(id, content hash) of the stored article with this key or canonical URL.

    The canonical URL catches feeds that rotate their GUIDs and pages reached
    both through a feed and through a sitemap.
    """
    if canonical:
        row = driver.fetch_one(conn, _BY_KEY_OR_CANONICAL, {"k": key, "c": canonical})
    else:
        row = driver.fetch_one(conn, _BY_KEY, {"k": key})
    return None if row is None else (int(row[0]), str(row[1]))


def _columns(article: Article, where: Placement, now: int) -> dict[str, Any]:
    figures = article.figures
    return {
        "key": where.key,
        "source_id": where.source_id,
        "feed_id": where.feed_id,
        "url": article.url,
        "canonical_url": where.canonical,
        "guid": article.guid,
        "title": article.title,
        "sapo": article.sapo,
        "body": blocks_to_json(article.blocks),
        "body_text": article.body_text,
        "author": article.author,
        "lead_image": figures[0].src if figures else None,
        "tags": json.dumps(article.tags, ensure_ascii=False),
        "language": article.language,
        "category_id": where.category_id,
        "category_source": where.category_source,
        "category_confidence": where.category_confidence,
        "content_hash": where.content_hash,
        "title_key": where.title_key,
        "published_at": to_epoch(article.published_at),
        "updated_at": to_epoch(article.updated_at),
        "fetched_at": now,
        "stored_at": now,
    }


_INSERT = text(
    "INSERT INTO articles (key, source_id, feed_id, url, canonical_url, guid, title, sapo, body,"
    " body_text, author, lead_image, tags, language, category_id, category_source,"
    " category_confidence, content_hash, title_key, published_at, updated_at, fetched_at,"
    " stored_at) VALUES (:key, :source_id, :feed_id, :url, :canonical_url, :guid, :title, :sapo,"
    " :body, :body_text, :author, :lead_image, :tags, :language, :category_id, :category_source,"
    " :category_confidence, :content_hash, :title_key, :published_at, :updated_at, :fetched_at,"
    " :stored_at)"
    " ON CONFLICT (key) DO NOTHING RETURNING id"
)

# An edit keeps the article's identity, source, first publish time and an
# operator's category; the content and the latest update time move. A new
# decision replaces the old one only when it files the article or the old one
# did not: a later "review" never unfiles an article a section already placed.
_KEEP_CATEGORY = (
    "category_source = 'operator' OR (CAST(:category_id AS BIGINT) IS NULL"
    " AND category_id IS NOT NULL)"
)
_UPDATE = text(
    "UPDATE articles SET title = :title, sapo = :sapo, body = :body, body_text = :body_text,"
    " author = :author, lead_image = :lead_image, tags = :tags, content_hash = :content_hash,"
    " title_key = :title_key, updated_at = :updated_at, fetched_at = :fetched_at,"
    " language = :language, published_at = COALESCE(published_at, :published_at),"
    f" category_id = CASE WHEN {_KEEP_CATEGORY} THEN category_id ELSE :category_id END,"
    f" category_source = CASE WHEN {_KEEP_CATEGORY} THEN category_source"
    " ELSE :category_source END,"
    f" category_confidence = CASE WHEN {_KEEP_CATEGORY} THEN category_confidence"
    " ELSE :category_confidence END"
    " WHERE id = :id"
)


def upsert(
    conn: Connection, article: Article, where: Placement, now: int, later: Deferred | None = None
) -> tuple[int, Outcome]:
    """Insert a new article or update a changed one.

    With ``later``, a new article's figures, tags and first version wait for
    ``later.flush``; an update writes at once, after flushing what waits.
    """
    existing = find_existing(conn, where.key, where.canonical)
    values = _columns(article, where, now)
    if existing is None:
        inserted = driver.fetch_one(conn, _INSERT, values)
        new_id = inserted[0] if inserted else None
        if new_id is None:  # another writer stored the same key a moment ago
            existing = find_existing(conn, where.key, where.canonical)
            assert existing is not None
        else:
            write = later.add if later is not None else conn.execute
            _write_parts(write, int(new_id), article, where, now, values["updated_at"])
            return int(new_id), Outcome.NEW
    article_id, old_hash = existing
    if old_hash == where.content_hash:
        return article_id, Outcome.UNCHANGED
    if values["updated_at"] is None:
        values["updated_at"] = now
    if later is not None:  # the rows replaced below may be among those waiting
        later.flush(conn)
    conn.execute(_UPDATE, {**values, "id": article_id})
    conn.execute(text("DELETE FROM article_images WHERE article_id = :a"), {"a": article_id})
    conn.execute(text("DELETE FROM article_tags WHERE article_id = :a"), {"a": article_id})
    _write_parts(conn.execute, article_id, article, where, now, values["updated_at"])
    return article_id, Outcome.UPDATED


_INSERT_IMAGES = text(
    "INSERT INTO article_images (article_id, position, src, caption, credit, width, height)"
    " VALUES (:a, :p, :src, :cap, :cr, :w, :h)"
)
_INSERT_TAGS = text("INSERT INTO article_tags (article_id, tag) VALUES (:a, :t)")
_INSERT_VERSION = text(
    "INSERT INTO article_versions (article_id, content_hash, title, updated_at, seen_at)"
    " VALUES (:a, :h, :t, :u, :s) ON CONFLICT DO NOTHING"
)


def _write_parts(
    write: Callable[..., Any],  # Connection.execute, or Deferred.add
    article_id: int,
    article: Article,
    where: Placement,
    now: int,
    updated_at: int | None,
) -> None:
    images = [
        {
            "a": article_id,
            "p": i,
            "src": f.src,
            "cap": f.caption,
            "cr": f.credit,
            "w": f.width,
            "h": f.height,
        }
        for i, f in enumerate(article.figures)
    ]
    if images:
        write(_INSERT_IMAGES, images)
    tags = sorted({t.strip()[:100] for t in article.tags if t.strip()})
    if tags:
        write(_INSERT_TAGS, [{"a": article_id, "t": t} for t in tags])
    write(
        _INSERT_VERSION,
        {"a": article_id, "h": where.content_hash, "t": article.title, "u": updated_at, "s": now},
    )


def load(conn: Connection, article_id: int) -> Article | None:
    row = conn.execute(
        text(
            "SELECT a.url, a.title, a.sapo, a.body, a.author, a.published_at, a.updated_at,"
            " a.canonical_url, a.tags, a.language, c.slug, s.slug, a.guid FROM articles a"
            " LEFT JOIN categories c ON c.id = a.category_id"
            " LEFT JOIN sources s ON s.id = a.source_id WHERE a.id = :id"
        ),
        {"id": article_id},
    ).first()
    if row is None:
        return None
    return Article(
        url=row[0],
        title=row[1],
        sapo=row[2],
        blocks=blocks_from_json(row[3]),
        author=row[4],
        published_at=from_epoch(row[5]),
        updated_at=from_epoch(row[6]),
        canonical_url=row[7],
        tags=json.loads(row[8]),
        language=row[9],
        category=row[10],
        source=row[11],
        guid=row[12],
    )


def count(conn: Connection) -> int:
    return int(conn.execute(text("SELECT COUNT(*) FROM articles")).scalar_one())


def versions(conn: Connection, article_id: int) -> list[tuple[str, int | None, int]]:
    """(content hash, publisher's updated time, when we saw it), oldest first."""
    rows = conn.execute(
        text(
            "SELECT content_hash, updated_at, seen_at FROM article_versions"
            " WHERE article_id = :a ORDER BY seen_at, updated_at"
        ),
        {"a": article_id},
    )
    return [(r[0], r[1], r[2]) for r in rows]
