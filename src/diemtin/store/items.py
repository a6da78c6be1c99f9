"""The crawl queue: each discovered article URL and the state it has reached.

Every state change is its own committed write, so a process killed at any
moment resumes from the last state it reached and never stores twice.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import datetime
from enum import StrEnum
from typing import Any

from sqlalchemy import Connection, text

from diemtin.model import FeedEntry, ItemState
from diemtin.store.codec import from_epoch, to_epoch


def entry_to_json(entry: FeedEntry) -> str:
    return json.dumps(
        {
            "title": entry.title,
            "summary": entry.summary,
            "image": entry.image,
            "author": entry.author,
            "tags": list(entry.tags),
            "published": to_epoch(entry.published_at),
            "updated": to_epoch(entry.updated_at),
        },
        ensure_ascii=False,
    )


def entry_from_json(url: str, guid: str | None, data: str) -> FeedEntry:
    raw: dict[str, Any] = json.loads(data or "{}")
    return FeedEntry(
        url=url,
        guid=guid,
        title=raw.get("title", ""),
        summary=raw.get("summary", ""),
        image=raw.get("image"),
        author=raw.get("author", ""),
        tags=tuple(raw.get("tags", ())),
        published_at=from_epoch(raw.get("published")),
        updated_at=from_epoch(raw.get("updated")),
    )


@dataclass(frozen=True)
class Item:
    id: int
    feed_id: int | None
    key: str
    state: ItemState
    entry: FeedEntry
    raw: bytes | None
    charset: str | None
    payload: str | None
    attempts: int
    article_id: int | None


class Discovery(StrEnum):
    NEW = "new"
    KNOWN = "known"
    # known by its URL under another key: the feed changed the entry's GUID
    REKEYED = "rekeyed"


def discover(conn: Connection, *, key: str, feed_id: int, entry: FeedEntry, now: int) -> Discovery:
    """Queue an entry unless its key or URL is known.

    A stored item whose entry says it was updated later than we stored it is
    queued again, so a publisher's edit reaches the article.
    """
    row = conn.execute(
        text(
            "SELECT id, state, entry, key, feed_id FROM items WHERE key = :k OR url = :u"
            " ORDER BY id LIMIT 1"
        ),
        {"k": key, "u": entry.url},
    ).first()
    if row is None:
        conn.execute(
            text(
                "INSERT INTO items (key, feed_id, url, guid, entry, state, discovered_at,"
                " updated_at) VALUES (:k, :f, :u, :g, :e, :s, :t, :t) ON CONFLICT (key) DO NOTHING"
            ),
            {
                "k": key,
                "f": feed_id,
                "u": entry.url,
                "g": entry.guid,
                "e": entry_to_json(entry),
                "s": ItemState.DISCOVERED.value,
                "t": now,
            },
        )
        return Discovery.NEW
    old_updated = json.loads(row[2] or "{}").get("updated")
    new_updated = to_epoch(entry.updated_at)
    if row[1] == ItemState.STORED.value and new_updated and (old_updated or 0) < new_updated:
        conn.execute(
            text(
                "UPDATE items SET state = :s, entry = :e, attempts = 0, updated_at = :t"
                " WHERE id = :id"
            ),
            {"s": ItemState.DISCOVERED.value, "e": entry_to_json(entry), "t": now, "id": row[0]},
        )
    # Another feed listing the same page (a section feed and "tin mới nhất") is no rotation.
    rotated = row[3] != key and row[4] == feed_id and key.startswith("g:")
    return Discovery.REKEYED if rotated else Discovery.KNOWN


def _item(r: Any) -> Item:
    return Item(
        id=r[0],
        feed_id=r[1],
        key=r[2],
        state=ItemState(r[3]),
        entry=entry_from_json(r[4], r[5], r[6]),
        raw=bytes(r[7]) if r[7] is not None else None,
        charset=r[8],
        payload=r[9],
        attempts=r[10],
        article_id=r[11],
    )


def claim(conn: Connection, now: int, owner: str, lease_seconds: int, limit: int) -> list[Item]:
    """Due items, leased to ``owner`` until ``now + lease_seconds``; others skip them.

    On PostgreSQL the rows are locked with SKIP LOCKED, so workers claiming at
    once take different items instead of waiting; SQLite has one writer at a time.
    """
    lock = " FOR UPDATE SKIP LOCKED" if conn.dialect.name == "postgresql" else ""
    ids = [
        int(i)
        for i in conn.execute(
            text(
                "SELECT id FROM items WHERE state IN ('discovered', 'fetched', 'extracted')"
                f" AND next_attempt_at <= :now ORDER BY id LIMIT :lim{lock}"
            ),
            {"now": now, "lim": limit},
        ).scalars()
    ]
    if not ids:
        return []
    marks = ", ".join(f":i{n}" for n in range(len(ids)))
    conn.execute(
        text(f"UPDATE items SET next_attempt_at = :u, lease_owner = :o WHERE id IN ({marks})"),
        {"u": now + lease_seconds, "o": owner, **{f"i{n}": i for n, i in enumerate(ids)}},
    )
    return _load(conn, ids)


def _load(conn: Connection, ids: list[int]) -> list[Item]:
    marks = ", ".join(f":i{n}" for n in range(len(ids)))
    rows = conn.execute(
        text(
            "SELECT id, feed_id, key, state, url, guid, entry, raw, charset, payload, attempts,"
            f" article_id FROM items WHERE id IN ({marks}) ORDER BY id"
        ),
        {f"i{n}": i for n, i in enumerate(ids)},
    ).all()
    return [_item(r) for r in rows]


def leased_by(conn: Connection, prefix: str, now: int) -> list[tuple[int, str]]:
    """(item id, owner) of live item leases whose owner starts with ``prefix``."""
    rows = conn.execute(
        text(
            "SELECT id, lease_owner FROM items WHERE lease_owner LIKE :p AND next_attempt_at > :now"
            " AND state IN ('discovered', 'fetched', 'extracted')"
        ),
        {"p": prefix + "%", "now": now},
    )
    return [(int(r[0]), str(r[1])) for r in rows]


def release(conn: Connection, item_ids: list[int], now: int) -> None:
    """Make a dead worker's items due again at once."""
    for item_id in item_ids:
        conn.execute(
            text("UPDATE items SET next_attempt_at = :now, lease_owner = NULL WHERE id = :id"),
            {"now": now, "id": item_id},
        )


def mark_fetched(conn: Connection, item_id: int, raw: bytes, charset: str | None, now: int) -> None:
    conn.execute(
        text(
            "UPDATE items SET state = 'fetched', raw = :r, charset = :c, error = NULL,"
            " error_kind = NULL, updated_at = :t WHERE id = :id"
        ),
        {"r": raw, "c": charset, "t": now, "id": item_id},
    )


def mark_extracted(conn: Connection, item_id: int, payload: str, now: int) -> None:
    conn.execute(
        text(
            "UPDATE items SET state = 'extracted', payload = :p, raw = NULL, updated_at = :t"
            " WHERE id = :id"
        ),
        {"p": payload, "t": now, "id": item_id},
    )


def mark_stored(conn: Connection, item_id: int, article_id: int, now: int) -> None:
    conn.execute(
        text(
            "UPDATE items SET state = 'stored', article_id = :a, payload = NULL, raw = NULL,"
            " lease_owner = NULL, updated_at = :t WHERE id = :id"
        ),
        {"a": article_id, "t": now, "id": item_id},
    )


def mark_failed(
    conn: Connection,
    item_id: int,
    *,
    kind: str,
    message: str,
    now: int,
    retry_at: datetime | None,
    max_attempts: int = 4,
) -> None:
    """Record an error; retried later until ``max_attempts``, then left as failed."""
    conn.execute(
        text(
            "UPDATE items SET attempts = attempts + 1, error = :m, error_kind = :k,"
            " lease_owner = NULL, updated_at = :t,"
            " next_attempt_at = COALESCE(CAST(:n AS BIGINT), next_attempt_at),"
            " state = CASE WHEN attempts + 1 >= :max OR CAST(:n AS BIGINT) IS NULL"
            " THEN 'failed' ELSE state END"
            " WHERE id = :id"
        ),
        {
            "m": message[:500],
            "k": kind,
            "t": now,
            "n": to_epoch(retry_at),
            "max": max_attempts,
            "id": item_id,
        },
    )


def counts(conn: Connection) -> dict[str, int]:
    rows = conn.execute(text("SELECT state, COUNT(*) FROM items GROUP BY state")).all()
    return {r[0]: int(r[1]) for r in rows}
