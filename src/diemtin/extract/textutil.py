"""Plain text of HTML elements, with the word boundaries a reader sees."""

from __future__ import annotations

import unicodedata

from lxml import etree
from lxml.html import HtmlElement

# elements whose edges separate words even when the markup has no space there
BLOCK_TAGS = frozenset(
    {
        "address", "article", "aside", "blockquote", "br", "caption", "dd", "div", "dl", "dt",
        "figcaption", "figure", "footer", "h1", "h2", "h3", "h4", "h5", "h6", "header", "hr",
        "li", "main", "nav", "ol", "p", "pre", "section", "table", "td", "th", "tr", "ul",
    }
)  # fmt: skip
_SKIP = frozenset({"script", "style", "noscript", "template", "svg", "math", "head", "title"})


def attached(element: HtmlElement, root: HtmlElement) -> bool:
    """Whether ``element`` is still inside ``root``.

    ``getroottree()`` cannot tell: an element taken out of its tree stays in its document.
    """
    top = element
    while (parent := top.getparent()) is not None:
        top = parent
    return top is root


def collapse(text: str) -> str:
    """One space for every whitespace run, none at the ends."""
    return " ".join(text.split())


def visible(text: str) -> bool:
    """Whether ``text`` shows anything: zero-width spaces and joiners alone do not."""
    return any(not ch.isspace() and unicodedata.category(ch) != "Cf" for ch in text)


def same_text(a: str, b: str) -> bool:
    """Equal once Unicode forms, case and spacing are set aside."""
    return fold(a) == fold(b)


def fold(text: str) -> str:
    return collapse(unicodedata.normalize("NFC", text)).casefold()


def element_text(element: HtmlElement | None) -> str:
    """Collapsed text of ``element``: script/style skipped, block edges and <br> as spaces."""
    if element is None:
        return ""
    parts: list[str] = []
    walker = etree.iterwalk(element, events=("start", "end"))
    for event, node in walker:
        tag = node.tag if isinstance(node.tag, str) else ""
        if event == "start":
            if tag in _SKIP:
                walker.skip_subtree()
                parts.append(" ")
                continue
            if tag in BLOCK_TAGS:
                parts.append(" ")
            parts.append(node.text or "")
        else:
            if tag in BLOCK_TAGS:
                parts.append(" ")
            if node is not element:
                parts.append(node.tail or "")
    return collapse("".join(parts))
