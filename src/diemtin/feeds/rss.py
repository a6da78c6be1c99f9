"""RSS 0.9x/1.0/2.0 and Atom through feedparser; JSON Feed is routed aside.

feedparser is only ever given a ``BytesIO``: given a ``str`` it fetches URLs
and given ``bytes`` it tries ``open()`` on them as a path first.
"""

from __future__ import annotations

import io
import re
from collections.abc import Iterable, Mapping
from typing import Any

import feedparser

from diemtin.feeds import jsonfeed
from diemtin.feeds.charset import xml_as_utf8
from diemtin.feeds.dates import parse_date
from diemtin.feeds.errors import FeedError
from diemtin.feeds.safety import maybe_gunzip, refuse_entity_declarations
from diemtin.feeds.textutil import (
    absolute_http_url,
    clip,
    collapse,
    first_image,
    html_to_text,
)
from diemtin.feeds.urls import clean_link
from diemtin.model import FeedEntry, ParsedFeed

_CLOSED_ITEM = re.compile(rb"</(?:[\w-]+:)?(?:item|entry)\s*>")
_IMAGE_EXT = re.compile(r"\.(?:jpe?g|png|gif|webp|avif)(?:$|[?#])", re.I)


def parse_feed(data: bytes, url: str, *, content_type: str | None = None) -> ParsedFeed:
    """Parse RSS, Atom or JSON Feed bytes fetched from ``url``; never does I/O."""
    data = maybe_gunzip(data)
    if not data.strip():
        raise FeedError("empty document")
    if jsonfeed.looks_like_json(data, content_type):
        return jsonfeed.parse_json_feed(data, url)
    refuse_entity_declarations(data)
    utf8 = xml_as_utf8(data, content_type)
    result = feedparser.parse(
        io.BytesIO(utf8),
        # we transcoded, so the charset is known; content-location is the base
        # feedparser resolves relative links against
        response_headers={
            "content-type": "application/xml; charset=utf-8",
            "content-location": url,
        },
        resolve_relative_uris=True,
        sanitize_html=True,
    )
    return _to_parsed_feed(result, utf8, url)


def _to_parsed_feed(result: Any, utf8: bytes, url: str) -> ParsedFeed:
    feed = result.get("feed", {})
    title = collapse(feed.get("title", ""))
    raw_entries: list[Any] = list(result.get("entries", []))
    broken = bool(result.get("bozo"))
    if broken:
        # a truncated feed: its last item may be cut mid-link, keep closed ones
        raw_entries = raw_entries[: len(_CLOSED_ITEM.findall(utf8))]
    # unparseable with nothing complete in it is an error, not an empty feed
    if not raw_entries and (not result.get("version") or (broken and not title)):
        reason = result.get("bozo_exception") or "no RSS, RDF or Atom root element"
        raise FeedError(f"not an RSS/Atom feed: {reason}")
    base = absolute_http_url(feed.get("link", ""), url) or url
    entries = [e for e in (_entry(raw, url) for raw in raw_entries) if e is not None]
    return ParsedFeed(title=title, link=base, entries=tuple(entries))


def _entry(raw: Any, base: str) -> FeedEntry | None:
    link = _link(raw, base)
    if link is None:
        return None
    summary_html = _summary_html(raw)
    return FeedEntry(
        url=link,
        guid=collapse(raw.get("id", "")) or None,
        title=_text_of(raw, "title"),
        summary=clip(html_to_text(summary_html)),
        published_at=parse_date(raw.get("published"), raw.get("published_parsed")),
        # dict.get: feedparser's own get() maps a missing "updated" to "published"
        updated_at=parse_date(dict.get(raw, "updated"), dict.get(raw, "updated_parsed")),
        image=_image(raw, summary_html, base),
        author=_author(raw),
        tags=_tags(raw.get("tags", [])),
    )


def _link(raw: Any, base: str) -> str | None:
    candidates = [raw.get("link", "")]
    candidates += [
        link.get("href", "")
        for link in raw.get("links", [])
        if link.get("rel", "alternate") == "alternate"
    ]
    for candidate in candidates:
        absolute = absolute_http_url(candidate or "", base)
        if absolute:
            return clean_link(absolute)
    return None


def _summary_html(raw: Any) -> str:
    summary = raw.get("summary", "")
    if summary:
        return str(summary)
    content = raw.get("content", [])
    return str(content[0].get("value", "")) if content else ""


def _text_of(raw: Any, key: str) -> str:
    value = str(raw.get(key, ""))
    detail = raw.get(f"{key}_detail", {})
    if "html" in str(detail.get("type", "")):
        return html_to_text(value)
    return collapse(value)


def _image(raw: Any, summary_html: str, base: str) -> str | None:
    for candidate in _image_candidates(raw):
        absolute = absolute_http_url(candidate, base)
        if absolute:
            return absolute
    return first_image(summary_html, base)


def _image_candidates(raw: Any) -> Iterable[str]:
    """media:content/thumbnail and enclosures that are images, in that order."""
    for media in raw.get("media_content", []):
        if _is_image(media, media.get("url", "")):
            yield media.get("url", "")
    for thumb in raw.get("media_thumbnail", []):
        yield thumb.get("url", "")
    for enclosure in raw.get("enclosures", []):
        if _is_image(enclosure, enclosure.get("href", "")):
            yield enclosure.get("href", "")


def _is_image(attrs: Mapping[str, Any], link: str) -> bool:
    kind = str(attrs.get("type") or "")
    medium = str(attrs.get("medium") or "")
    if kind or medium:
        return kind.startswith("image/") or medium == "image"
    return bool(_IMAGE_EXT.search(link))


def _author(raw: Any) -> str:
    detail = raw.get("author_detail", {})
    name = detail.get("name") or raw.get("author") or ""
    return collapse(str(name))


def _tags(raw_tags: Iterable[Mapping[str, Any]]) -> tuple[str, ...]:
    seen: dict[str, None] = {}
    for tag in raw_tags:
        term = collapse(str(tag.get("term") or tag.get("label") or ""))
        if term:
            seen.setdefault(term, None)
    return tuple(seen)
