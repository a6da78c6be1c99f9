"""The article's main text: trafilatura, with the escalations a news page needs.

Precision mode first: news pages carry much boilerplate (related links, teasers)
that the balanced mode lets through. When that keeps little of the page, recall mode
retries, with trafilatura's own thresholds for the escalation of its balanced mode.
When the text is split over sibling containers (a body cut by ads into several
``div.article__body``), trafilatura keeps one of them: the others are brought back.
"""

from __future__ import annotations

from copy import deepcopy

import trafilatura
from lxml import etree
from lxml.html import HtmlElement, document_fromstring

from diemtin.extract.errors import ExtractError
from diemtin.extract.textutil import collapse

# trafilatura's escalation of a short extraction (core.ESCALATION_*)
_ESCALATE_BELOW_CHARS, _ESCALATE_PAGE_SHARE, _ESCALATE_ACCEPT_RATIO = 3000, 0.2, 1.5
_SAME_CLASS = etree.XPath("//*[@class=$cls]")
_PARAGRAPH_STARTING = etree.XPath("//p[starts-with(normalize-space(.), $probe)]")
_PROBE_MIN, _PROBE_LEN = 80, 60  # a paragraph long enough to be found again in the page
_SPLIT_DEPTH = 2  # the repeated container is the paragraph's parent or grandparent
_SPLIT_MAX_PARTS = 4  # more repeats than this are a list of teasers, not one article
_SPLIT_MIN_MISSING = 500  # characters of paragraph text the other parts must add


def main_text(page: HtmlElement, base: str, source_words: int, *, narrowed: bool) -> etree._Element:
    """trafilatura's body of ``page``; a ``body`` rule has already chosen it when ``narrowed``."""
    if narrowed:
        body, _ = _run(page, base, "recall")
        return _nonempty(body)
    body, text = _run(page, base, "precision")
    if (
        len(text) < _ESCALATE_BELOW_CHARS
        and len(text.split()) < _ESCALATE_PAGE_SHARE * source_words
    ):
        retry, retry_text = _run(page, base, "recall")
        if len(retry_text) >= _ESCALATE_ACCEPT_RATIO * len(text):
            body, text = retry, retry_text
    parts = _split_parts(page, body, text)
    if parts is not None:
        joined, joined_text = _run(_document_of(parts), base, "precision")
        if len(joined_text) > len(text):
            body = joined
    return _nonempty(body)


def _nonempty(body: etree._Element | None) -> etree._Element:
    if body is None or len(body) == 0:
        raise ExtractError("no article text on the page")
    return body


def _run(page: HtmlElement, base: str, focus: str) -> tuple[etree._Element | None, str]:
    """One trafilatura run on ``page`` (which it copies, not changes): body and its plain text."""
    document = trafilatura.bare_extraction(
        page,
        url=base or None,
        output_format="xml",
        favor_precision=focus == "precision",
        favor_recall=focus == "recall",
        include_comments=False,
        include_tables=True,
        include_images=True,
        include_formatting=True,
        include_links=True,
        with_metadata=False,
    )
    if document is None or isinstance(document, dict):
        return None, ""
    return document.body, document.raw_text or ""


def _split_parts(
    page: HtmlElement, body: etree._Element | None, text: str
) -> list[HtmlElement] | None:
    """The containers of a split article text, in page order, when trafilatura kept only one."""
    anchor = _anchor(page, body)
    if anchor is None:
        return None
    for depth, container in enumerate(anchor.iterancestors()):
        if depth >= _SPLIT_DEPTH:
            return None
        cls = container.get("class")
        if not cls:
            continue
        parts = [e for e in _SAME_CLASS(page, cls=cls) if e.tag == container.tag]
        if not 2 <= len(parts) <= _SPLIT_MAX_PARTS:
            return None
        missing = sum(_missing_text(part, text) for part in parts if part is not container)
        return parts if missing >= _SPLIT_MIN_MISSING else None
    return None


def _anchor(page: HtmlElement, body: etree._Element | None) -> HtmlElement | None:
    """The page's <p> holding the longest extracted paragraph."""
    if body is None:
        return None
    longest = max((collapse("".join(p.itertext())) for p in body.iter("p")), key=len, default="")
    if len(longest) < _PROBE_MIN:
        return None
    found = _PARAGRAPH_STARTING(page, probe=longest[:_PROBE_LEN])
    return found[0] if found else None


def _missing_text(part: HtmlElement, text: str) -> int:
    missing = 0
    for paragraph in part.iter("p"):
        content = collapse(paragraph.text_content())
        if len(content) > 40 and content[:40] not in text:
            missing += len(content)
    return missing


def _document_of(parts: list[HtmlElement]) -> HtmlElement:
    document = document_fromstring("<html><head></head><body><article></article></body></html>")
    article = document.body[0]
    for part in parts:
        copied = deepcopy(part)
        copied.tail = None
        article.append(copied)
    return document
