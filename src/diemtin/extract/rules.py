"""Per-publisher rules (CSS selectors kept as data in the source registry) applied to a page."""

from __future__ import annotations

from copy import deepcopy
from functools import lru_cache
from typing import Any

from lxml.html import HtmlElement, document_fromstring

from diemtin.extract.errors import ExtractError
from diemtin.model import ExtractionRules


@lru_cache(maxsize=512)
def _compiled(css: str) -> Any:
    # imported here: only publisher rules need cssselect; the generic path works without it
    from lxml.cssselect import CSSSelector, SelectorError

    try:
        return CSSSelector(css, translator="html")
    except SelectorError as err:
        # the rule is wrong, not the page: say which one so the registry can be fixed
        raise ExtractError(f"bad CSS selector in extraction rules: {css!r}") from err


def select(tree: HtmlElement, css: str) -> list[HtmlElement]:
    """Elements matching ``css`` in document order."""
    return list(_compiled(css)(tree))


def select_first(tree: HtmlElement, css: str | None) -> HtmlElement | None:
    if not css:
        return None
    found = select(tree, css)
    return found[0] if found else None


def remove(element: HtmlElement) -> None:
    """Take ``element`` out of its tree, keeping its tail text (which belongs to the parent)."""
    if element.getparent() is not None:
        element.drop_tree()


def apply_drop(tree: HtmlElement, rules: ExtractionRules) -> None:
    """Remove the publisher's known boilerplate (related boxes, ads) before the body is read."""
    for css in rules.drop:
        for element in select(tree, css):
            remove(element)


def restrict_body(tree: HtmlElement, rules: ExtractionRules) -> HtmlElement | None:
    """A new document holding only the elements the ``body`` rule names, or None.

    None when there is no rule or it matches nothing (a redesign): the generic path
    then reads the whole page rather than failing.
    """
    if not rules.body:
        return None
    matches = select(tree, rules.body)
    if not matches:
        return None
    chosen = set(matches)
    outer = [m for m in matches if not any(a in chosen for a in m.iterancestors())]
    document = document_fromstring("<html><head></head><body></body></html>")
    body = document.body
    for element in outer:
        copied = deepcopy(element)
        copied.tail = None
        body.append(copied)
    return document
