"""Sitemaps: urlset, Google News sitemap, sitemap index, plain-text lists.

lxml with a hardened parser: no entity resolution, no DTD, no network, no
huge-tree mode; entity declarations are refused before lxml sees the bytes.
``recover`` keeps the complete ``<url>`` records of a truncated sitemap.
"""

from __future__ import annotations

from collections.abc import Iterable

from lxml import etree

from diemtin.feeds.charset import xml_as_utf8
from diemtin.feeds.dates import parse_date
from diemtin.feeds.errors import FeedError
from diemtin.feeds.safety import MAX_INFLATED, maybe_gunzip, refuse_entity_declarations
from diemtin.feeds.textutil import absolute_http_url, collapse
from diemtin.feeds.urls import clean_link
from diemtin.model import FeedEntry, ParsedFeed

MAX_URLS = 50_000  # the sitemap protocol's own limit per file


def _parser() -> etree.XMLParser:
    return etree.XMLParser(
        resolve_entities=False,
        no_network=True,
        huge_tree=False,
        load_dtd=False,
        dtd_validation=False,
        recover=True,
        remove_comments=True,
        remove_pis=True,
    )


def parse_sitemap(data: bytes, url: str, *, max_inflated: int = MAX_INFLATED) -> ParsedFeed:
    """Parse sitemap bytes (gzip accepted) fetched from ``url``; never does I/O."""
    data = maybe_gunzip(data, max_inflated)
    if not data.strip():
        raise FeedError("empty sitemap")
    refuse_entity_declarations(data)
    payload = xml_as_utf8(data)
    if not payload.startswith(b"<"):
        return _plain_text(payload.decode("utf-8"), url)
    root = _root(payload)
    name = etree.QName(root).localname
    if name == "sitemapindex":
        children = [_loc(el, url) for el in _children(root, "sitemap")]
        return ParsedFeed(title="", link=url, entries=(), children=_unique(children))
    if name == "urlset":
        entries = [_url_entry(el, url) for el in _children(root, "url")]
        return ParsedFeed(title=_publication(root), link=url, entries=_dedupe(entries))
    raise FeedError(f"not a sitemap: root element <{name}>")


def _root(payload: bytes) -> etree._Element:
    try:
        root = etree.fromstring(payload, parser=_parser())
    except etree.XMLSyntaxError as exc:
        raise FeedError(f"not a sitemap: {exc}") from exc
    if root is None or not isinstance(root.tag, str):
        raise FeedError("not a sitemap: no XML root element")
    return root


def _children(root: etree._Element, name: str) -> list[etree._Element]:
    # by local name: sites get the sitemaps namespace wrong often enough
    found = [el for el in root if isinstance(el.tag, str) and etree.QName(el).localname == name]
    return found[:MAX_URLS]


def _find_text(el: etree._Element, *path: str) -> str:
    """Text of the first descendant chain matching local names ``path``."""
    current: etree._Element | None = el
    for name in path:
        if current is None:
            return ""
        current = next(
            (c for c in current if isinstance(c.tag, str) and etree.QName(c).localname == name),
            None,
        )
    return collapse(current.text or "") if current is not None else ""


def _loc(el: etree._Element, base: str) -> str | None:
    return absolute_http_url(_find_text(el, "loc"), base)


def _url_entry(el: etree._Element, base: str) -> FeedEntry | None:
    loc = _loc(el, base)
    if loc is None:
        return None
    keywords = _find_text(el, "news", "keywords")
    return FeedEntry(
        url=clean_link(loc),
        title=_find_text(el, "news", "title"),
        published_at=parse_date(_find_text(el, "news", "publication_date")),
        updated_at=parse_date(_find_text(el, "lastmod")),
        image=absolute_http_url(_find_text(el, "image", "loc"), base),
        tags=tuple(dict.fromkeys(k for k in map(collapse, keywords.split(",")) if k)),
    )


def _publication(root: etree._Element) -> str:
    """A news sitemap's publication name, from its first record that has one."""
    for el in _children(root, "url"):
        name = _find_text(el, "news", "publication", "name")
        if name:
            return name
    return ""


def _plain_text(text: str, url: str) -> ParsedFeed:
    """The protocol's text format: one absolute URL per line."""
    lines = [line.strip() for line in text.splitlines()[:MAX_URLS]]
    links = [absolute_http_url(line, url) for line in lines if line.startswith("http")]
    if not any(links):
        raise FeedError("not a sitemap: neither XML nor a list of URLs")
    entries = [FeedEntry(url=clean_link(link)) for link in links if link]
    return ParsedFeed(title="", link=url, entries=_dedupe(entries))


def _unique(links: list[str | None]) -> tuple[str, ...]:
    return tuple(dict.fromkeys(link for link in links if link))


def _dedupe(entries: Iterable[FeedEntry | None]) -> tuple[FeedEntry, ...]:
    by_url: dict[str, FeedEntry] = {}
    for entry in entries:
        if entry is not None:
            by_url.setdefault(entry.url, entry)
    return tuple(by_url.values())
