"""Article and feed links on HTML pages, for publishers without a usable feed."""

from __future__ import annotations

import re
from urllib.parse import urlsplit

from lxml import etree
from lxml import html as lxml_html

from diemtin.feeds.charset import decode_bytes
from diemtin.feeds.textutil import absolute_http_url, collapse
from diemtin.feeds.urls import clean_link, site_of
from diemtin.model import FeedEntry, ParsedFeed

MAX_LINKS = 500

# Vietnamese article URLs end in a numeric id and a CMS extension:
# "-4954454.html", "-20251022123456789.htm", "/post123456.html",
# "-post1592323.html", "-ar912345.html", "-1234567.ldo", "-post123.vnp", ".chn", ".tpo"
_ARTICLE_PATH = re.compile(
    r"(?:^|[-/_.])[a-z]{0,4}\d{5,}\.(?:html?|chn|vnp|ldo|tpo|vov|aspx)$", re.IGNORECASE
)
# listing pages that also end in an id: tags, topics, authors, search
_LISTING_SEGMENTS = frozenset(
    [
        "tag",
        "tags",
        "chu-de",
        "tac-gia",
        "tim-kiem",
        "search",
        "topic",
        "topics",
        "author",
        "su-kien",
        "event",
    ]
)
_FEED_TYPES = frozenset(
    {"application/rss+xml", "application/atom+xml", "application/rdf+xml", "application/feed+json"}
)
_FEED_ANCHOR = re.compile(r"(?:^|/)(?:rss|feeds?)(?:/|\.html?|\.xml|\.rss)?$|\.rss$", re.I)


def is_article_url(url: str) -> bool:
    path = urlsplit(url).path
    segments = {s.lower() for s in path.split("/")[:-1]}
    return bool(_ARTICLE_PATH.search(path)) and not segments & _LISTING_SEGMENTS


def discover_links(html: str | bytes, url: str, *, same_site: bool = True) -> list[FeedEntry]:
    """Article-like links of a section page: absolute, cleaned, deduplicated, in order."""
    root = _document(html)
    if root is None:
        return []
    base = _base_url(root, url)
    found: dict[str, _Found] = {}
    for anchor in root.iter("a"):
        link = _article_link(anchor.get("href") or "", base, url if same_site else None)
        if link is None:
            continue
        if link not in found and len(found) >= MAX_LINKS:
            break
        found.setdefault(link, _Found()).add(anchor, base)
    return [FeedEntry(url=u, title=f.title, image=f.image) for u, f in found.items()]


class _Found:
    """What the anchors to one URL say: a teaser has an image link and a text link."""

    def __init__(self) -> None:
        self.title = ""
        self.from_text = False
        self.image: str | None = None

    def add(self, anchor: lxml_html.HtmlElement, base: str) -> None:
        self.image = self.image or _anchor_image(anchor, base)
        if self.from_text:
            return
        text = collapse(anchor.text_content())
        if text:
            self.title, self.from_text = text, True
        elif not self.title:
            self.title = _attribute_title(anchor)


def discover_feeds(html: str | bytes, url: str) -> list[str]:
    """Feed URLs a page advertises: <link rel=alternate> first, then /rss-like anchors."""
    root = _document(html)
    if root is None:
        return []
    base = _base_url(root, url)
    found: dict[str, None] = {}
    for link in root.iter("link"):
        if _is_feed_link(link):
            href = absolute_http_url(link.get("href") or "", base)
            if href:
                found.setdefault(href, None)
    for anchor in root.iter("a"):
        href = absolute_http_url(anchor.get("href") or "", base)
        if href and _FEED_ANCHOR.search(urlsplit(href).path) and site_of(href) == site_of(url):
            found.setdefault(href, None)
    return list(found)


def parse_section(data: str | bytes, url: str) -> ParsedFeed:
    """A section page as a feed: its <title> and its article links."""
    root = _document(data)
    title = ""
    if root is not None:
        title_el = root.find(".//title")
        title = collapse(title_el.text_content()) if title_el is not None else ""
    return ParsedFeed(title=title, link=url, entries=tuple(discover_links(data, url)))


def _document(html: str | bytes) -> lxml_html.HtmlElement | None:
    text = decode_bytes(html) if isinstance(html, bytes) else html
    if not text.strip():
        return None
    # as UTF-8 bytes: lxml refuses str input that carries an encoding declaration
    parser = lxml_html.HTMLParser(encoding="utf-8", remove_comments=True, no_network=True)
    try:
        root: lxml_html.HtmlElement = lxml_html.document_fromstring(
            text.encode("utf-8"), parser=parser
        )
    except (etree.ParserError, ValueError):
        return None
    return root


def _base_url(root: lxml_html.HtmlElement, url: str) -> str:
    base = root.find(".//base[@href]")
    if base is None:
        return url
    return absolute_http_url(base.get("href") or "", url) or url


def _article_link(href: str, base: str, site_url: str | None) -> str | None:
    link = absolute_http_url(href, base)
    if link is None or not is_article_url(link):
        return None
    if site_url is not None and site_of(link) != site_of(site_url):
        return None
    return clean_link(link)


def _attribute_title(anchor: lxml_html.HtmlElement) -> str:
    """An image-only link's title attribute or image alt text."""
    for candidate in (anchor.get("title"), *(img.get("alt") for img in anchor.iter("img"))):
        if candidate and collapse(candidate):
            return collapse(candidate)
    return ""


def _anchor_image(anchor: lxml_html.HtmlElement, base: str) -> str | None:
    for img in anchor.iter("img"):
        # lazy-loading pages keep the real source in data-src; src is a placeholder
        for attr in ("data-src", "data-original", "src"):
            src = absolute_http_url(img.get(attr) or "", base)
            if src:
                return src
    return None


def _is_feed_link(link: lxml_html.HtmlElement) -> bool:
    rels = (link.get("rel") or "").lower().split()
    kind = (link.get("type") or "").lower().split(";")[0].strip()
    if "alternate" not in rels:
        return False
    if kind == "application/json":  # JSON Feed 1.0's type; wp-json uses it too
        return "feed" in (link.get("href") or "").lower()
    return kind in _FEED_TYPES
