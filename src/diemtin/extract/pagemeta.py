"""What a page declares about itself: <meta> tags and schema.org JSON-LD, read in one pass."""

from __future__ import annotations

import json
from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Any

from lxml.html import HtmlElement

from diemtin.extract.textutil import collapse

_ORGANISATIONS = ("Organization", "NewsMediaOrganization")
_ARTICLE_TYPES = ("Article", "NewsArticle", "BlogPosting", "ReportageNews", "Report", "WebPage")


@dataclass(slots=True)
class PageMeta:
    """``<meta>`` contents by lower-cased name/property/itemprop, and the article JSON-LD object."""

    metas: dict[str, list[str]] = field(default_factory=dict)
    article: dict[str, Any] = field(default_factory=dict)

    def first(self, *keys: str) -> str:
        """The first non-empty content among ``keys``, in the order given."""
        for key in keys:
            for value in self.metas.get(key, ()):
                if value:
                    return value
        return ""

    def all(self, *keys: str) -> list[str]:
        return [v for key in keys for v in self.metas.get(key, ()) if v]

    def ld_text(self, key: str) -> str:
        value = self.article.get(key)
        return collapse(value) if isinstance(value, str) else ""


def read_page_meta(tree: HtmlElement) -> PageMeta:
    meta = PageMeta()
    for element in tree.iter("meta"):
        content = collapse(element.get("content") or "")
        for attr in ("name", "property", "itemprop"):
            # one tag may carry several keys: property="og:title" itemprop="headline"
            for key in (element.get(attr) or "").lower().split():
                meta.metas.setdefault(key, []).append(content)
    meta.article = _ld_article(tree)
    return meta


def _ld_article(tree: HtmlElement) -> dict[str, Any]:
    """The first JSON-LD object typed as an article (else a page); unreadable ones skipped."""
    fallback: dict[str, Any] = {}
    for script in tree.iterfind('.//script[@type="application/ld+json"]'):
        try:
            data = json.loads(script.text or "", strict=False)
        except (ValueError, RecursionError):  # malformed, or nested to blow the stack
            continue
        for item in _ld_objects(data):
            kinds = item.get("@type")
            kinds = kinds if isinstance(kinds, list) else [kinds]
            if any(k in _ARTICLE_TYPES[:-1] for k in kinds):
                return item
            if "WebPage" in kinds and not fallback:
                fallback = item
    return fallback


def _ld_objects(data: object, depth: int = 0) -> Iterator[dict[str, Any]]:
    if depth > 4:
        return
    if isinstance(data, list):
        for entry in data:
            yield from _ld_objects(entry, depth + 1)
    elif isinstance(data, dict):
        yield data
        if "@graph" in data:
            yield from _ld_objects(data["@graph"], depth + 1)


def ld_names(value: object) -> list[str]:
    """Names of people in a JSON-LD ``author``: a string, a Person, or a list of them.

    Organisations are left out: "VnExpress" is the publisher, not the writer.
    """
    if isinstance(value, str):
        return [collapse(value)] if value.strip() else []
    if isinstance(value, list):
        return [name for entry in value for name in ld_names(entry)]
    if isinstance(value, dict) and value.get("@type") not in _ORGANISATIONS:
        name = value.get("name")
        return [collapse(name)] if isinstance(name, str) and name.strip() else []
    return []
