"""The sidebars of an article page: what the templates render around the article.

The page HTML is the same for every reader (pages are cached whole), so nothing
here depends on who is reading; engage.js personalises "Có thể bạn quan tâm".
Rankings are pure (``diemtin.rank``); this module reads their inputs from the
store and keeps them in a ``SidebarCache`` shared by all pages: the site-wide
candidates for ``sidebar_cache_seconds``, each article's related list until an
article, a story or a vote changes (the cache's generation moves).
"""

from __future__ import annotations

import time
from collections import OrderedDict
from collections.abc import Sequence
from dataclasses import dataclass, field
from threading import Lock
from weakref import WeakKeyDictionary

from sqlalchemy import Connection, Engine, text

from diemtin import rank
from diemtin.rank import Candidate, Doc, Ranked, Reader, Scored
from diemtin.rank.model import HOUR
from diemtin.rank.scores import HotScores, hot_scores
from diemtin.settings import Settings
from diemtin.store import driver, signals
from diemtin.store.admin import pinned

RELATED_POOL = 300  # articles compared with the one being read: bounds a page's cost
# What one serving process keeps, bounded so a large store fits in its memory budget:
DOCS_KEPT = 4_000  # articles whose word lookups (Doc.grams, ~5 KB each): a dozen pools
RELATED_KEPT = 5_000  # articles whose related list (a few ids) is kept
RANKINGS_KEPT = 2_000  # articles whose whole ranking is kept; the page cache holds the rest


@dataclass(frozen=True)
class SidebarItem:
    id: int
    title: str
    published_at: int | None
    summary: str
    category: str | None
    category_slug: str | None
    source: str


@dataclass(frozen=True)
class Sidebars:
    hot: list[SidebarItem] = field(default_factory=list)
    spotlight: list[SidebarItem] = field(default_factory=list)
    latest: list[SidebarItem] = field(default_factory=list)
    related: list[SidebarItem] = field(default_factory=list)
    for_you: list[SidebarItem] = field(default_factory=list)
    video_hot: SidebarItem | None = None
    next_article: int | None = None


@dataclass(frozen=True)
class Pool:
    """The site-wide candidates, their hot scores and the hot and for-you orders (at
    the pool's time), computed once for many pages."""

    candidates: list[Candidate]
    scores: HotScores
    hot: list[Scored]
    for_you: list[Scored]


@dataclass(frozen=True)
class Ranking:
    """Each block's ranked ids with the signals behind them (the "why" API shows these)."""

    hot: list[Ranked]
    spotlight: list[Ranked]
    latest: list[Ranked]
    related: list[Ranked]
    for_you: list[Ranked]
    video_hot: Ranked | None

    def blocks(self) -> dict[str, list[Ranked]]:
        video = [self.video_hot] if self.video_hot else []
        return {
            "related": self.related,
            "spotlight": self.spotlight,
            "hot": self.hot,
            "latest": self.latest,
            "for_you": self.for_you,
            "video_hot": video,
        }


class SidebarCache:
    """Shared by every request of one process; safe across threads."""

    def __init__(self) -> None:
        self._lock = Lock()
        self._votes = 0
        self._pool: tuple[tuple[object, ...], float, Pool] | None = None
        self._rankings: OrderedDict[int, tuple[tuple[object, ...], int, Ranking]] = OrderedDict()
        self._related: OrderedDict[int, tuple[tuple[object, ...], list[Ranked]]] = OrderedDict()
        self._docs: OrderedDict[int, Doc] = OrderedDict()

    def signals_changed(self) -> None:
        """A vote was cast: rankings that weigh votes are recomputed on the next page."""
        with self._lock:
            self._votes += 1

    def generation(self, conn: Connection) -> tuple[object, ...]:
        """Moves when an article arrives, a story changes or a vote is cast (cheap index ends)."""
        newest = conn.execute(text("SELECT MAX(id) FROM articles")).scalar()
        story = conn.execute(text("SELECT MAX(last_updated_at) FROM stories")).scalar()
        return newest, story, self._votes

    def pool(self, conn: Connection, gen: tuple[object, ...], now: int, s: Settings) -> Pool:
        with self._lock:
            if self._pool and self._pool[0] == gen and self._fresh(self._pool[1], now, s):
                return self._pool[2]
        cands = load_pool(conn, now, s)
        scores = hot_scores(cands, now, s)
        found = Pool(
            cands,
            scores,
            rank.hot_order(cands, now=now, settings=s, known=scores),
            rank.for_you_order(cands, now=now, settings=s, known=scores),
        )
        with self._lock:
            self._pool = (gen, now, found)
        return found

    @staticmethod
    def _fresh(at: float, now: int, s: Settings) -> bool:
        return 0 <= now - at < s.sidebar_cache_seconds

    def ranking(
        self, article_id: int, gen: tuple[object, ...], now: int, s: Settings
    ) -> Ranking | None:
        with self._lock:
            hit = self._rankings.get(article_id)
            return hit[2] if hit and hit[0] == gen and self._fresh(hit[1], now, s) else None

    def keep_ranking(self, article_id: int, gen: tuple[object, ...], now: int, r: Ranking) -> None:
        with self._lock:
            self._rankings[article_id] = (gen, now, r)
            self._rankings.move_to_end(article_id)
            while len(self._rankings) > RANKINGS_KEPT:
                self._rankings.popitem(last=False)

    def related(self, article_id: int, gen: tuple[object, ...]) -> list[Ranked] | None:
        with self._lock:
            hit = self._related.get(article_id)
            return hit[1] if hit and hit[0] == gen else None

    def keep_related(self, article_id: int, gen: tuple[object, ...], items: list[Ranked]) -> None:
        with self._lock:
            self._related[article_id] = (gen, items)
            self._related.move_to_end(article_id)
            while len(self._related) > RELATED_KEPT:
                self._related.popitem(last=False)

    def known_docs(self) -> dict[int, Doc]:
        with self._lock:
            return dict(self._docs)

    def docs(self, fresh: Sequence[Doc]) -> list[Doc]:
        """The same docs, but the kept instance when unchanged, so its word lookups are reused."""
        out = []
        with self._lock:
            for doc in fresh:
                kept = self._docs.get(doc.id)
                if kept is None or (kept is not doc and kept != doc):
                    self._docs[doc.id] = kept = doc
                self._docs.move_to_end(doc.id)
                out.append(kept)
            while len(self._docs) > DOCS_KEPT:
                self._docs.popitem(last=False)
        return out


# One cache per database engine, so every page and API of a process shares it
# without threading it through each caller; weak, so a closed store drops it.
_SHARED: WeakKeyDictionary[Engine, SidebarCache] = WeakKeyDictionary()
_SHARED_LOCK = Lock()


def shared_cache(conn: Connection) -> SidebarCache:
    with _SHARED_LOCK:
        cache = _SHARED.get(conn.engine)
        if cache is None:
            cache = _SHARED[conn.engine] = SidebarCache()
        return cache


def load_pool(conn: Connection, now: int, s: Settings) -> list[Candidate]:
    windows = (s.hot_window_hours, s.spotlight_window_hours, s.for_you_window_hours)
    since = now - int(max(*windows, s.video_window_hours) * HOUR)
    return signals.candidates(conn, since=since, now=now)


def rank_related(
    conn: Connection, article_id: int, s: Settings, cache: SidebarCache | None = None
) -> list[Ranked]:
    window = int(s.related_window_days * 24 * HOUR)
    known = cache.known_docs() if cache is not None else None
    target, pool = signals.related_docs(
        conn, article_id, window=window, limit=RELATED_POOL, known=known
    )
    if target is None:
        return []
    if cache is not None:
        pool = cache.docs(pool)
    return rank.related(target, pool, s.sidebar_related)


def ranking(
    conn: Connection,
    article_id: int,
    *,
    now: int,
    settings: Settings,
    cache: SidebarCache | None = None,
    reader: Reader | None = None,
) -> Ranking:
    cache = cache or shared_cache(conn)
    gen = cache.generation(conn)
    if reader is None:
        kept = cache.ranking(article_id, gen, now, settings)
        if kept is not None:
            return kept
    row = conn.execute(text("SELECT category_id FROM articles WHERE id = :id"), {"id": article_id})
    category = row.scalar()
    pool = cache.pool(conn, gen, now, settings)
    related = cache.related(article_id, gen)
    if related is None:
        related = rank_related(conn, article_id, settings, cache)
        cache.keep_related(article_id, gen, related)
    newest = signals.latest_in_category(conn, category, now=now, limit=settings.sidebar_latest + 1)
    s, x, c, k = settings, article_id, pool.candidates, pool.scores
    result = Ranking(
        hot=rank.hot(c, exclude=x, now=now, settings=s, known=k, order=pool.hot),
        spotlight=rank.pinned_first(
            pinned(conn),
            rank.spotlight(c, category_id=category, exclude=x, now=now, settings=s),
            s.sidebar_spotlight,
            exclude=x,
        ),
        latest=rank.latest(newest, category_id=category, exclude=x, now=now, settings=s),
        related=related,
        for_you=rank.for_you(
            c,
            category_id=category,
            exclude=x,
            now=now,
            settings=s,
            reader=reader,
            known=k,
            order=pool.for_you,
        ),
        video_hot=rank.video_hot(c, exclude=x, now=now, settings=s, known=k),
    )
    if reader is None:
        cache.keep_ranking(article_id, gen, now, result)
    return result


_ITEM = (
    "SELECT a.id, a.title, a.published_at, a.sapo, c.name, c.slug, COALESCE(s.name, '')"
    " FROM articles a LEFT JOIN sources s ON s.id = a.source_id"
    " LEFT JOIN categories c ON c.id = a.category_id"
)
_ITEMS_OF = driver.ByIds(f"{_ITEM} WHERE a.status = 'visible' AND a.id IN :ids")


def one_sentence(sapo: str, limit: int = 220) -> str:
    """The sapo's first sentence, cut at a word boundary when it runs long."""
    sapo = " ".join(sapo.split())
    for end in (". ", "! ", "? "):
        cut = sapo.find(end)
        if 0 < cut < limit:
            sapo = sapo[: cut + 1]
    if len(sapo) <= limit:
        return sapo
    return sapo[:limit].rsplit(" ", 1)[0] + "…"


def items(conn: Connection, ids: Sequence[int]) -> dict[int, SidebarItem]:
    """The items to show, visible ones only (one hidden since ranking drops out)."""
    if not ids:
        return {}
    rows = _ITEMS_OF.run(conn, list(ids))
    return {r[0]: SidebarItem(r[0], r[1], r[2], one_sentence(r[3]), r[4], r[5], r[6]) for r in rows}


def sidebars(
    conn: Connection,
    article_id: int,
    *,
    now: int | None = None,
    settings: Settings,
    cache: SidebarCache | None = None,
) -> Sidebars:
    """Every sidebar of the article page, for any reader."""
    now = int(time.time()) if now is None else now
    r = ranking(conn, article_id, now=now, settings=settings, cache=cache)
    blocks = r.blocks()
    found = items(conn, sorted({x.id for ranked in blocks.values() for x in ranked}))

    def pick(ranked: list[Ranked]) -> list[SidebarItem]:
        return [found[x.id] for x in ranked if x.id in found]

    related = pick(r.related)
    video = pick(blocks["video_hot"])
    return Sidebars(
        hot=pick(r.hot),
        spotlight=pick(r.spotlight),
        latest=pick(r.latest),
        related=related,
        for_you=pick(r.for_you),
        video_hot=video[0] if video else None,
        next_article=related[0].id if related else None,
    )
