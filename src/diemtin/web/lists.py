"""What the list pages read: home, categories, sources, tags and stories."""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import Connection, text

from diemtin.web.blocks import one_sentence

_ITEM = (
    "SELECT a.id, a.title, a.sapo, COALESCE(s.name, ''), s.slug, a.published_at, c.name, c.slug,"
    " a.lead_image, a.story_id FROM articles a LEFT JOIN sources s ON s.id = a.source_id"
    " LEFT JOIN categories c ON c.id = a.category_id"
)
# published_at alone, so the (category_id, published_at) and (source_id, published_at) indexes
# serve the lists; undated articles go last on both engines
_NEWEST = " ORDER BY a.published_at DESC NULLS LAST, a.id DESC"


@dataclass(frozen=True)
class Item:
    id: int
    title: str
    summary: str
    source: str
    source_slug: str | None
    published_at: int | None
    category: str | None
    category_slug: str | None
    image: str | None
    story_id: int | None


@dataclass(frozen=True)
class Named:
    id: int
    slug: str
    name: str
    moved_to: str | None = None  # a merged category answers with a redirect there


@dataclass(frozen=True)
class Section:
    category: Named
    items: list[Item]


@dataclass(frozen=True)
class StoryLine:
    """One hot story on the home page: its first report and how many outlets carry it."""

    id: int
    lead: Item
    outlets: int
    articles: int


def _items(conn: Connection, sql: str, params: dict[str, object]) -> list[Item]:
    rows = conn.execute(text(sql), params)
    return [Item(r[0], r[1], one_sentence(r[2]), *r[3:]) for r in rows]


def articles_where(
    conn: Connection, where: str, params: dict[str, object], *, limit: int, offset: int = 0
) -> list[Item]:
    """Visible articles matching ``where`` (trusted SQL, values bound), newest first."""
    sql = f"{_ITEM} WHERE a.status = 'visible' AND {where}{_NEWEST} LIMIT :lim OFFSET :off"
    return _items(conn, sql, {**params, "lim": limit, "off": offset})


def category(conn: Connection, slug: str) -> Named | None:
    row = conn.execute(
        text(
            "SELECT c.id, c.slug, c.name, m.slug FROM categories c"
            " LEFT JOIN categories m ON m.id = c.merged_into WHERE c.slug = :s"
        ),
        {"s": slug},
    ).first()
    return None if row is None else Named(*row)


def source(conn: Connection, slug: str) -> Named | None:
    row = conn.execute(
        text("SELECT id, slug, name FROM sources WHERE slug = :s"), {"s": slug}
    ).first()
    return None if row is None else Named(*row)


def tag_exists(conn: Connection, tag: str) -> bool:
    found = conn.execute(
        text("SELECT 1 FROM article_tags WHERE tag = :t LIMIT 1"), {"t": tag}
    ).first()
    return found is not None


def sections(conn: Connection, per_category: int) -> list[Section]:
    """Each live category with its latest articles, in the operator's order."""
    cats = conn.execute(
        text(
            "SELECT id, slug, name FROM categories WHERE merged_into IS NULL"
            " ORDER BY position, name"
        )
    ).all()
    out = []
    for cat in cats:
        items = articles_where(conn, "a.category_id = :c", {"c": cat[0]}, limit=per_category)
        if items:
            out.append(Section(Named(*cat), items))
    return out


def hot_stories(conn: Connection, limit: int, recent: int = 400) -> list[StoryLine]:
    """Among the newest articles, the stories most outlets reported; data-age independent."""
    rows = conn.execute(
        text(
            "SELECT r.story_id, COUNT(*), COUNT(DISTINCT r.source_id), MAX(r.id) FROM"
            " (SELECT a.id, a.story_id, a.source_id FROM articles a WHERE a.status = 'visible'"
            f" {_NEWEST} LIMIT :recent) r WHERE r.story_id IS NOT NULL"
            " GROUP BY r.story_id HAVING COUNT(*) > 1"
            " ORDER BY COUNT(DISTINCT r.source_id) DESC, COUNT(*) DESC, MAX(r.id) DESC LIMIT :n"
        ),
        {"recent": recent, "n": limit},
    ).all()
    out = []
    for story_id, count, outlets, _ in rows:
        first = story_articles(conn, int(story_id))
        if first:
            out.append(StoryLine(int(story_id), first[0], int(outlets), int(count)))
    return out


def story_articles(conn: Connection, story_id: int) -> list[Item]:
    """Every visible version of a story, oldest first: the first one reported it first."""
    sql = (
        f"{_ITEM} WHERE a.status = 'visible' AND a.story_id = :s"
        " ORDER BY a.published_at NULLS LAST, a.id"
    )
    return _items(conn, sql, {"s": story_id})


def story_moved(conn: Connection, story_id: int) -> int | bool | None:
    """False if there is no such story, the story it was merged into, or None."""
    row = conn.execute(
        text("SELECT merged_into FROM stories WHERE id = :s"), {"s": story_id}
    ).first()
    if row is None:
        return False
    return None if row[0] is None else int(row[0])
