"""Adding a source by URL: find its feed and extract three of its articles, before saving.

Every request goes through ``Fetcher``, so an operator's URL meets the same SSRF guard,
robots.txt, size cap and deadline as the crawl. The feed is found as ``diemtin sources
add`` finds it: the URL itself when it parses as a feed or sitemap, else a feed the page
links to, else the page read as a section page.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from urllib.parse import urlsplit

from diemtin.extract import extract_article
from diemtin.feeds import parse_any
from diemtin.fetch import Fetcher
from diemtin.model import FeedSpec, IngestError
from diemtin.pipeline.discover import find_feed
from diemtin.pipeline.payload import merge_entry
from diemtin.pipeline.prepare import slugify
from diemtin.settings import Settings
from diemtin.text import decode_bytes

PREVIEW = 3


@dataclass(frozen=True)
class Sample:
    url: str
    title: str
    sapo: str
    opening: str  # the first paragraph
    figures: int
    published_at: datetime | None
    error: str = ""


@dataclass(frozen=True)
class Preview:
    feed: FeedSpec
    slug: str
    name: str
    homepage: str
    entries: int
    samples: list[Sample]


def _sample(fetcher: Fetcher, feed: FeedSpec) -> list[Sample]:
    resp = fetcher.get(feed.url)
    entries = parse_any(resp.body, resp.url, feed.kind, resp.headers.get("content-type")).entries
    samples = []
    for entry in entries[:PREVIEW]:
        try:
            page = fetcher.get(entry.url)
            html = decode_bytes(page.body, page.charset)
            article = merge_entry(extract_article(html, page.url), entry)
        except IngestError as exc:
            samples.append(Sample(entry.url, entry.title, "", "", 0, None, str(exc)[:300]))
            continue
        opening = next((b.text for b in article.blocks if b.text), "")
        samples.append(
            Sample(
                url=entry.url,
                title=article.title,
                sapo=article.sapo,
                opening=opening[:400],
                figures=len(article.figures),
                published_at=article.published_at,
            )
        )
    return samples


def preview(settings: Settings, url: str, name: str = "") -> Preview:
    """Blocking (run it in a thread); raises ``IngestError`` with the reason it cannot add."""
    with Fetcher(settings) as fetcher:
        feed, count = find_feed(fetcher, url)
        samples = _sample(fetcher, feed)
    host = (urlsplit(feed.url).hostname or "").removeprefix("www.")
    parts = urlsplit(url)
    return Preview(
        feed=feed,
        slug=slugify(host),
        name=name or host,
        homepage=f"{parts.scheme}://{parts.netloc}/",
        entries=count,
        samples=samples,
    )
