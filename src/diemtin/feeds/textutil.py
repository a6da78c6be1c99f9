"""HTML fragments of feeds (descriptions, JSON Feed content) to plain text."""

from __future__ import annotations

import html
import re
from urllib.parse import urljoin, urlsplit

from lxml import etree
from lxml import html as lxml_html

# Elements that separate words: their text must not glue onto a neighbour's.
_BLOCK_TAGS = frozenset(
    [
        "address",
        "article",
        "aside",
        "blockquote",
        "br",
        "dd",
        "div",
        "dl",
        "dt",
        "figcaption",
        "figure",
        "footer",
        "h1",
        "h2",
        "h3",
        "h4",
        "h5",
        "h6",
        "header",
        "hr",
        "li",
        "main",
        "nav",
        "ol",
        "p",
        "pre",
        "section",
        "table",
        "tbody",
        "td",
        "tfoot",
        "th",
        "thead",
        "tr",
        "ul",
    ]
)
_DROP_TAGS = ("script", "style", "noscript", "template")
_INVISIBLE = dict.fromkeys(map(ord, "\u200b\u200c\u200d\u2060\ufeff"))
_TAG = re.compile(r"<[^>]*>")
_IMG_SRC_ATTRS = ("src", "data-src", "data-original")


def collapse(text: str) -> str:
    """One line: runs of whitespace (NBSP included) become one space."""
    return " ".join(text.translate(_INVISIBLE).split())


def clip(text: str, limit: int = 1000) -> str:
    """At most ``limit`` characters, cut at a word boundary."""
    if len(text) <= limit:
        return text
    return text[:limit].rsplit(" ", 1)[0] + "…"


def html_to_text(fragment: str) -> str:
    """Visible text of an HTML fragment, entities decoded, words kept apart."""
    root = _fragment(fragment)
    if root is None:
        return collapse(html.unescape(_TAG.sub(" ", fragment)))
    for el in list(root.iter(*_DROP_TAGS)):
        el.drop_tree()
    for el in root.iter():
        if isinstance(el.tag, str) and el.tag.lower() in _BLOCK_TAGS:
            el.text = " " + (el.text or "")
            el.tail = " " + (el.tail or "")
    return collapse(str(root.text_content()))


def first_image(fragment: str, base: str) -> str | None:
    """Absolute http(s) URL of the first <img> in the fragment, if any."""
    if "<img" not in fragment.lower():
        return None
    root = _fragment(fragment)
    if root is None:
        return None
    for img in root.iter("img"):
        for attr in _IMG_SRC_ATTRS:
            src = absolute_http_url(img.get(attr) or "", base)
            if src:
                return src
    return None


def absolute_http_url(link: str, base: str) -> str | None:
    """``link`` resolved against ``base``, or None unless it is http(s) with a host."""
    link = link.strip()
    if not link:
        return None
    resolved = urljoin(base, link)
    parts = urlsplit(resolved)
    if parts.scheme.lower() not in ("http", "https") or not parts.hostname:
        return None
    return resolved


def _fragment(fragment: str) -> lxml_html.HtmlElement | None:
    if not fragment.strip():
        return None
    try:
        root: lxml_html.HtmlElement = lxml_html.fragment_fromstring(fragment, create_parent="div")
    except (etree.ParserError, ValueError):
        return None
    return root
