"""Plain data types shared by every stage. Imports nothing of ours.

Times are timezone-aware ``datetime`` values; the store keeps them as UTC
epoch seconds.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from enum import StrEnum


class IngestError(Exception):
    """An error on one source or item, recorded against it; never fatal to the worker.

    ``kind`` is a short stable word (``ssrf``, ``timeout``, ``too_large``,
    ``http_status``, ``malformed_feed``...) used in ``sources list`` and metrics.
    """

    kind = "error"

    def __init__(self, message: str, *, kind: str | None = None) -> None:
        super().__init__(message)
        if kind is not None:
            self.kind = kind


class ItemState(StrEnum):
    """Where one article URL stands in the pipeline; each step commits its state."""

    DISCOVERED = "discovered"
    FETCHED = "fetched"
    EXTRACTED = "extracted"
    STORED = "stored"
    FAILED = "failed"


class FeedKind(StrEnum):
    RSS = "rss"  # RSS, Atom or JSON Feed: feedparser / json decide from the bytes
    SITEMAP = "sitemap"  # a (news) sitemap or sitemap index
    SECTION = "section"  # an HTML section page whose article links are discovered


class BlockKind(StrEnum):
    PARAGRAPH = "p"
    HEADING = "h"
    QUOTE = "quote"
    LIST = "list"
    FIGURE = "figure"
    VIDEO = "video"


@dataclass(frozen=True, slots=True)
class Figure:
    """One image of an article: caption and credit ("Ảnh: TTXVN") kept apart."""

    src: str
    caption: str = ""
    credit: str = ""
    width: int | None = None
    height: int | None = None


@dataclass(frozen=True, slots=True)
class Block:
    """One block of an article body, in reading order.

    ``html`` is the sanitized inline HTML of a paragraph, heading or quote
    (links, emphasis); ``text`` its plain text. A list keeps its entries in
    ``items``; a figure its image in ``figure``; a video its URL in ``src``.
    """

    kind: BlockKind
    text: str = ""
    html: str = ""
    level: int = 0
    items: tuple[str, ...] = ()
    figure: Figure | None = None
    src: str = ""


@dataclass(slots=True)
class Article:
    """A clean article as extraction or import delivers it."""

    url: str
    title: str
    sapo: str = ""
    blocks: list[Block] = field(default_factory=list)
    author: str = ""
    published_at: datetime | None = None
    updated_at: datetime | None = None
    canonical_url: str = ""
    tags: list[str] = field(default_factory=list)
    language: str = "vi"
    category: str | None = None  # a category slug, when the source says
    source: str | None = None  # a publisher slug, or a name when imported
    guid: str | None = None  # the feed's or archive's own id

    @property
    def figures(self) -> list[Figure]:
        return [b.figure for b in self.blocks if b.figure is not None]

    @property
    def body_text(self) -> str:
        parts: list[str] = []
        for b in self.blocks:
            if b.kind is BlockKind.LIST:
                parts.extend(b.items)
            elif b.kind is BlockKind.FIGURE and b.figure is not None:
                if b.figure.caption:
                    parts.append(b.figure.caption)
            elif b.text:
                parts.append(b.text)
        return "\n".join(parts)


@dataclass(frozen=True, slots=True)
class FeedEntry:
    """One item of a feed, sitemap or section page: a pointer to an article."""

    url: str
    guid: str | None = None
    title: str = ""
    summary: str = ""
    published_at: datetime | None = None
    updated_at: datetime | None = None
    image: str | None = None
    author: str = ""
    tags: tuple[str, ...] = ()


@dataclass(frozen=True, slots=True)
class ParsedFeed:
    title: str
    link: str
    entries: tuple[FeedEntry, ...]
    # links to further sitemaps (a sitemap index) to be fetched in turn
    children: tuple[str, ...] = ()


@dataclass(frozen=True, slots=True)
class ExtractionRules:
    """Per-publisher extraction rules, kept as data beside the source registry.

    Only for what the generic path gets wrong. Selectors are CSS.
    """

    title: str | None = None
    sapo: str | None = None
    body: str | None = None
    author: str | None = None
    drop: tuple[str, ...] = ()  # boilerplate inside the body: related boxes, ads


@dataclass(frozen=True, slots=True)
class FeedSpec:
    url: str
    kind: FeedKind = FeedKind.RSS
    category: str | None = None  # our category slug for everything in this feed


@dataclass(frozen=True, slots=True)
class Publisher:
    slug: str
    name: str
    homepage: str
    feeds: tuple[FeedSpec, ...] = ()
    rules: ExtractionRules = field(default_factory=ExtractionRules)
    # URL path prefixes (e.g. "/the-gioi/") mapped to category slugs
    sections: tuple[tuple[str, str], ...] = ()


@dataclass(frozen=True, slots=True)
class Category:
    slug: str
    name: str
    position: int = 0
