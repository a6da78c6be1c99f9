"""Finding the feed behind a URL an operator gives: one way for the CLI and the admin."""

from __future__ import annotations

from diemtin.feeds import discover_feeds, parse_any
from diemtin.fetch import Fetcher
from diemtin.model import FeedKind, FeedSpec, IngestError

LINKED_FEEDS_TRIED = 5


def find_feed(fetcher: Fetcher, url: str) -> tuple[FeedSpec, int]:
    """The URL itself if it is a feed or sitemap, else a feed the page links to, else the
    page read as a section page; and how many entries it lists.

    Every request goes through ``fetcher``, so the SSRF guard applies to operators' URLs too.
    """
    resp = fetcher.get(url)
    content_type = resp.headers.get("content-type")
    for kind in (FeedKind.RSS, FeedKind.SITEMAP):
        try:
            parsed = parse_any(resp.body, resp.url, kind, content_type)
        except IngestError:
            continue
        if parsed.entries:
            return FeedSpec(resp.url, kind), len(parsed.entries)
    for link in discover_feeds(resp.body, resp.url)[:LINKED_FEEDS_TRIED]:
        try:
            found = fetcher.get(link)
            parsed = parse_any(found.body, found.url, FeedKind.RSS, None)
        except IngestError:
            continue
        if parsed.entries:
            return FeedSpec(found.url, FeedKind.RSS), len(parsed.entries)
    parsed = parse_any(resp.body, resp.url, FeedKind.SECTION, content_type)
    return FeedSpec(resp.url, FeedKind.SECTION), len(parsed.entries)
