"""Publishers, their feeds and each feed's fetch state."""

from __future__ import annotations

import json
from dataclasses import dataclass

from sqlalchemy import Connection, text

from diemtin.model import Category, ExtractionRules, FeedKind, FeedSpec, Publisher


def sync_categories(conn: Connection, categories: list[Category], now: int) -> None:
    """Add the shipped categories; an operator's renames and order are kept."""
    for cat in categories:
        conn.execute(
            text(
                "INSERT INTO categories (slug, name, position, created_at)"
                " VALUES (:s, :n, :p, :t) ON CONFLICT (slug) DO NOTHING"
            ),
            {"s": cat.slug, "n": cat.name, "p": cat.position, "t": now},
        )


def category_ids(conn: Connection) -> dict[str, int]:
    """Slug to id, following operators' merges to the surviving category."""
    rows = conn.execute(text("SELECT slug, id, merged_into FROM categories")).all()
    return {slug: int(merged or cid) for slug, cid, merged in rows}


def _rules_json(rules: ExtractionRules) -> str:
    data = {
        k: v
        for k, v in {
            "title": rules.title,
            "sapo": rules.sapo,
            "body": rules.body,
            "author": rules.author,
            "drop": list(rules.drop),
        }.items()
        if v
    }
    return json.dumps(data, ensure_ascii=False)


def rules_from_json(data: str) -> ExtractionRules:
    raw = json.loads(data or "{}")
    return ExtractionRules(
        title=raw.get("title"),
        sapo=raw.get("sapo"),
        body=raw.get("body"),
        author=raw.get("author"),
        drop=tuple(raw.get("drop", ())),
    )


def upsert_source(conn: Connection, pub: Publisher, now: int, *, origin: str = "registry") -> int:
    """Insert or refresh a publisher and its feeds; an operator's disabling sticks, and so do
    the section map and rules an operator edited (origin "edited")."""
    conn.execute(
        text(
            "INSERT INTO sources (slug, name, homepage, origin, rules, sections, created_at)"
            " VALUES (:s, :n, :h, :o, :r, :sec, :t) ON CONFLICT (slug) DO UPDATE SET"
            " name = excluded.name, homepage = excluded.homepage,"
            " rules = CASE WHEN sources.origin = 'edited' THEN sources.rules"
            " ELSE excluded.rules END,"
            " sections = CASE WHEN sources.origin = 'edited' THEN sources.sections"
            " ELSE excluded.sections END"
        ),
        {
            "s": pub.slug,
            "n": pub.name,
            "h": pub.homepage,
            "o": origin,
            "r": _rules_json(pub.rules),
            "sec": json.dumps(list(pub.sections), ensure_ascii=False),
            "t": now,
        },
    )
    source_id = int(
        conn.execute(text("SELECT id FROM sources WHERE slug = :s"), {"s": pub.slug}).scalar_one()
    )
    for feed in pub.feeds:
        add_feed(conn, source_id, feed, now)
    return source_id


def add_feed(conn: Connection, source_id: int, feed: FeedSpec, now: int) -> None:
    conn.execute(
        text(
            "INSERT INTO feeds (source_id, url, kind, category_slug, created_at)"
            " VALUES (:s, :u, :k, :c, :t) ON CONFLICT (url) DO UPDATE SET"
            " kind = excluded.kind, category_slug = excluded.category_slug"
        ),
        {"s": source_id, "u": feed.url, "k": feed.kind.value, "c": feed.category, "t": now},
    )


def ensure_source(conn: Connection, slug: str, name: str, now: int, homepage: str = "") -> int:
    """The id of a source known only by name, as imports bring them."""
    conn.execute(
        text(
            "INSERT INTO sources (slug, name, homepage, origin, created_at)"
            " VALUES (:s, :n, :h, 'import', :t) ON CONFLICT (slug) DO NOTHING"
        ),
        {"s": slug, "n": name, "h": homepage, "t": now},
    )
    return int(
        conn.execute(text("SELECT id FROM sources WHERE slug = :s"), {"s": slug}).scalar_one()
    )


def set_enabled(conn: Connection, slug: str, enabled: bool) -> bool:
    result = conn.execute(
        text("UPDATE sources SET enabled = :e WHERE slug = :s"), {"e": int(enabled), "s": slug}
    )
    return bool(result.rowcount)


@dataclass(frozen=True)
class FeedContext:
    """What extraction and categorisation need to know of an item's feed and source."""

    source_id: int
    source_slug: str
    category: str | None
    rules: ExtractionRules
    sections: tuple[tuple[str, str], ...]


@dataclass(frozen=True)
class DueFeed:
    id: int
    url: str
    kind: FeedKind
    etag: str | None
    last_modified: str | None
    error_streak: int
    context: FeedContext


def _sections(data: str | None) -> tuple[tuple[str, str], ...]:
    return tuple((str(p[0]), str(p[1])) for p in json.loads(data or "[]"))


def feed_contexts(conn: Connection) -> dict[int, FeedContext]:
    rows = conn.execute(
        text(
            "SELECT f.id, s.id, s.slug, f.category_slug, s.rules, s.sections FROM feeds f"
            " JOIN sources s ON s.id = f.source_id"
        )
    )
    return {
        r[0]: FeedContext(r[1], r[2], r[3], rules_from_json(r[4]), _sections(r[5])) for r in rows
    }


def claim_due(
    conn: Connection, now: int, owner: str, lease_seconds: int, limit: int
) -> list[DueFeed]:
    """Feeds whose time has come and that no live worker holds; claimed for ``owner``."""
    rows = conn.execute(
        text(
            "SELECT f.id, f.url, f.kind, f.category_slug, f.etag, f.last_modified, f.error_streak,"
            " s.id, s.slug, s.rules, s.sections FROM feeds f JOIN sources s ON s.id = f.source_id"
            " WHERE f.enabled = 1 AND s.enabled = 1 AND f.next_check_at <= :now"
            " AND (f.lease_until IS NULL OR f.lease_until < :now)"
            f" ORDER BY f.next_check_at LIMIT :lim{_skip_locked(conn)}"
        ),
        {"now": now, "lim": limit},
    ).all()
    claimed = []
    for r in rows:
        # The guarded UPDATE is the claim: of two workers, only one changes the row.
        got = conn.execute(
            text(
                "UPDATE feeds SET lease_owner = :o, lease_until = :u WHERE id = :id"
                " AND (lease_until IS NULL OR lease_until < :now)"
            ),
            {"o": owner, "u": now + lease_seconds, "id": r[0], "now": now},
        ).rowcount
        if got:
            context = FeedContext(r[7], r[8], r[3], rules_from_json(r[9]), _sections(r[10]))
            claimed.append(
                DueFeed(
                    id=r[0],
                    url=r[1],
                    kind=FeedKind(r[2]),
                    etag=r[4],
                    last_modified=r[5],
                    error_streak=r[6],
                    context=context,
                )
            )
    return claimed


def _skip_locked(conn: Connection) -> str:
    # PostgreSQL: workers claiming at once take different feeds instead of queueing
    return " FOR UPDATE OF f SKIP LOCKED" if conn.dialect.name == "postgresql" else ""


def make_all_due(conn: Connection) -> None:
    conn.execute(text("UPDATE feeds SET next_check_at = 0"))


def record_success(
    conn: Connection,
    feed_id: int,
    *,
    now: int,
    next_check: int,
    etag: str | None,
    last_modified: str | None,
    new_entries: int,
    warning: tuple[str, str] | None = None,
) -> None:
    conn.execute(
        text(
            "UPDATE feeds SET last_checked_at = :now, last_ok_at = :now, next_check_at = :next,"
            " etag = COALESCE(:etag, etag), last_modified = COALESCE(:lm, last_modified),"
            " error_streak = 0, entries_seen = entries_seen + :n,"
            " last_new_at = CASE WHEN :n > 0 THEN :now ELSE last_new_at END,"
            " last_error = :werr, last_error_kind = :wkind,"
            " last_error_at = CASE WHEN CAST(:werr AS TEXT) IS NULL THEN last_error_at"
            " ELSE :now END,"
            " lease_owner = NULL, lease_until = NULL WHERE id = :id"
        ),
        {
            "now": now,
            "next": next_check,
            "etag": etag,
            "lm": last_modified,
            "n": new_entries,
            "werr": warning[1] if warning else None,
            "wkind": warning[0] if warning else None,
            "id": feed_id,
        },
    )


def record_failure(
    conn: Connection, feed_id: int, *, now: int, next_check: int, kind: str, message: str
) -> None:
    conn.execute(
        text(
            "UPDATE feeds SET last_checked_at = :now, next_check_at = :next,"
            " error_streak = error_streak + 1, last_error = :msg, last_error_kind = :kind,"
            " last_error_at = :now, lease_owner = NULL, lease_until = NULL WHERE id = :id"
        ),
        {"now": now, "next": next_check, "msg": message[:500], "kind": kind, "id": feed_id},
    )


@dataclass(frozen=True)
class SourceHealth:
    slug: str
    name: str
    enabled: bool
    feeds: int
    articles: int
    last_ok_at: int | None
    next_check_at: int | None
    error_streak: int
    last_error_kind: str | None
    last_error: str | None


def health(conn: Connection) -> list[SourceHealth]:
    rows = conn.execute(
        text(
            "SELECT s.slug, s.name, s.enabled,"
            " (SELECT COUNT(*) FROM feeds f WHERE f.source_id = s.id),"
            " (SELECT COUNT(*) FROM articles a WHERE a.source_id = s.id),"
            " (SELECT MAX(last_ok_at) FROM feeds f WHERE f.source_id = s.id),"
            " (SELECT MIN(next_check_at) FROM feeds f WHERE f.source_id = s.id AND f.enabled = 1),"
            " (SELECT MAX(error_streak) FROM feeds f WHERE f.source_id = s.id),"
            " (SELECT f.last_error_kind FROM feeds f WHERE f.source_id = s.id AND f.last_error_at"
            "  IS NOT NULL ORDER BY f.last_error_at DESC LIMIT 1),"
            " (SELECT f.last_error FROM feeds f WHERE f.source_id = s.id AND f.last_error_at"
            "  IS NOT NULL ORDER BY f.last_error_at DESC LIMIT 1)"
            " FROM sources s ORDER BY s.slug"
        )
    ).all()
    return [
        SourceHealth(r[0], r[1], bool(r[2]), r[3], r[4], r[5], r[6], r[7] or 0, r[8], r[9])
        for r in rows
    ]


def leases_held(conn: Connection, prefix: str, now: int) -> list[tuple[int, str]]:
    """(feed id, owner) of live leases whose owner starts with ``prefix``."""
    rows = conn.execute(
        text("SELECT id, lease_owner FROM feeds WHERE lease_until >= :now AND lease_owner LIKE :p"),
        {"now": now, "p": prefix + "%"},
    )
    return [(int(r[0]), str(r[1])) for r in rows]


def release_leases(conn: Connection, feed_ids: list[int]) -> None:
    for feed_id in feed_ids:
        conn.execute(
            text("UPDATE feeds SET lease_owner = NULL, lease_until = NULL WHERE id = :id"),
            {"id": feed_id},
        )
