"""Feeds, sitemaps and section pages: bytes in, ``ParsedFeed`` out. Pure, no I/O.

Nothing here fetches: parsers get bytes the fetch stage already holds, and
XML that declares entities (billion laughs, XXE) is refused before parsing.
"""

from __future__ import annotations

from diemtin.feeds.discover import discover_feeds, discover_links, is_article_url, parse_section
from diemtin.feeds.errors import FeedError
from diemtin.feeds.rss import parse_feed
from diemtin.feeds.sitemap import parse_sitemap
from diemtin.model import FeedKind, ParsedFeed

__all__ = [
    "FeedError",
    "discover_feeds",
    "discover_links",
    "is_article_url",
    "parse_any",
    "parse_feed",
    "parse_section",
    "parse_sitemap",
]


def parse_any(data: bytes, url: str, kind: FeedKind, content_type: str | None = None) -> ParsedFeed:
    """Parse what a source of ``kind`` served at ``url``."""
    if kind is FeedKind.SITEMAP:
        return parse_sitemap(data, url)
    if kind is FeedKind.SECTION:
        return parse_section(data, url)
    return parse_feed(data, url, content_type=content_type)
