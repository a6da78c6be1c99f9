"""JSON Feed 1.0 and 1.1 (https://jsonfeed.org), which feedparser does not read.

Fields of the wrong type are treated as absent rather than failing the item:
publishers hand-roll these files and one bad field should not cost a story.
"""

from __future__ import annotations

import json
from typing import Any

from diemtin.feeds.charset import decode_bytes
from diemtin.feeds.dates import parse_date
from diemtin.feeds.errors import FeedError
from diemtin.feeds.textutil import (
    absolute_http_url,
    clip,
    collapse,
    first_image,
    html_to_text,
)
from diemtin.feeds.urls import clean_link
from diemtin.model import FeedEntry, ParsedFeed

_VERSION_PREFIX = "https://jsonfeed.org/version/"


def looks_like_json(data: bytes, content_type: str | None) -> bool:
    if content_type and "json" in content_type.lower():
        return True
    return data.lstrip(b"\xef\xbb\xbf \t\r\n").startswith(b"{")


def parse_json_feed(data: bytes, url: str) -> ParsedFeed:
    doc = _load(data)
    version = doc.get("version")
    if not isinstance(version, str) or not version.startswith(_VERSION_PREFIX):
        raise FeedError("JSON document is not a JSON Feed (no jsonfeed.org version)")
    items = doc.get("items")
    if not isinstance(items, list):
        raise FeedError("JSON Feed has no list of items")
    entries = [_entry(item, url) for item in items if isinstance(item, dict)]
    return ParsedFeed(
        title=collapse(_str(doc, "title")),
        link=absolute_http_url(_str(doc, "home_page_url"), url) or url,
        entries=tuple(e for e in entries if e is not None),
    )


def _load(data: bytes) -> dict[str, Any]:
    try:
        doc = json.loads(decode_bytes(data, "application/json"))
    except (ValueError, RecursionError) as exc:
        raise FeedError(f"invalid JSON: {exc}") from exc
    if not isinstance(doc, dict):
        raise FeedError("JSON Feed must be a JSON object")
    return doc


def _entry(item: dict[str, Any], base: str) -> FeedEntry | None:
    link = absolute_http_url(_str(item, "url"), base) or absolute_http_url(
        _str(item, "external_url"), base
    )
    if link is None:
        return None
    content_html = _str(item, "content_html")
    summary = _str(item, "summary") or _str(item, "content_text") or html_to_text(content_html)
    return FeedEntry(
        url=clean_link(link),
        guid=_guid(item.get("id")),
        title=collapse(_str(item, "title")),
        summary=clip(collapse(summary)),
        published_at=parse_date(_str(item, "date_published")),
        updated_at=parse_date(_str(item, "date_modified")),
        image=_image(item, content_html, base),
        author=_author(item),
        tags=_tags(item.get("tags")),
    )


def _str(obj: dict[str, Any], key: str) -> str:
    value = obj.get(key)
    return value if isinstance(value, str) else ""


def _guid(value: Any) -> str | None:
    # 1.0 feeds in the wild use numbers; the spec says string
    if isinstance(value, bool):
        return None
    if isinstance(value, str | int):
        return str(value).strip() or None
    return None


def _image(item: dict[str, Any], content_html: str, base: str) -> str | None:
    for key in ("image", "banner_image"):
        image = absolute_http_url(_str(item, key), base)
        if image:
            return image
    return first_image(content_html, base)


def _author(item: dict[str, Any]) -> str:
    authors = item.get("authors")  # 1.1
    if not isinstance(authors, list):
        authors = [item.get("author")]  # 1.0
    names = [collapse(_str(a, "name")) for a in authors if isinstance(a, dict)]
    return ", ".join(n for n in names if n)


def _tags(value: Any) -> tuple[str, ...]:
    if not isinstance(value, list):
        return ()
    tags = (collapse(t) for t in value if isinstance(t, str))
    return tuple(dict.fromkeys(t for t in tags if t))
