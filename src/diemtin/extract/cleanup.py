"""The last pass over the blocks: what trafilatura cannot know about a news article.

It drops a repeated title and lead, joins a caption paragraph to the image it
describes, and takes a closing byline out of the text into ``author``.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, replace
from html import unescape
from urllib.parse import urlsplit

from diemtin.extract.credits import split_credit
from diemtin.extract.meta import clean_author
from diemtin.extract.textutil import fold, same_text, visible
from diemtin.model import Block, BlockKind, Figure

_TEXT_KINDS = (BlockKind.PARAGRAPH, BlockKind.HEADING, BlockKind.QUOTE)
_HEAD_WINDOW = 3  # the title and lead, when repeated, are among the first blocks
_MAX_CAPTION = 300
_MIN_LEAD, _MAX_LEAD = 20, 500
_EMPHASIS_ONLY = re.compile(r"^<(em|i)>(?:(?!</?\1>).)*</\1>$", re.DOTALL)
_ELLIPSIS = re.compile(r"\s*(?:\.\.\.|…)\s*$")
# a paragraph that is one link and nothing else
_LINK_ONLY = re.compile(
    r'^(?:<(?:strong|em|b|i)>)*<a href="(?P<href>[^"]*)"[^>]*>[^<]*</a>(?:</(?:strong|em|b|i)>)*$'
)
_BARE_URL = re.compile(r"^https?://\S+$")
_BOLD_ONLY = re.compile(r"^<(strong|b)>(?:(?!</?\1>).)*</\1>$", re.DOTALL)


@dataclass(slots=True)
class Cleaned:
    blocks: list[Block]
    sapo: str
    author: str
    lead_in_page: bool  # the sapo is text of the page, not only its meta description


def clean_blocks(
    blocks: list[Block], *, url: str, title: str, sapo: str, sapo_from_page: bool, author: str
) -> Cleaned:
    blocks = _drop_repeats(blocks, title, _site(url))
    kept, sapo = _drop_lead(blocks, sapo, sapo_from_page)
    lead_in_page = bool(sapo) and (sapo_from_page or len(kept) < len(blocks))
    kept = _attach_captions(kept)
    kept, author = _take_byline(kept, author)
    return Cleaned(blocks=kept, sapo=sapo, author=author, lead_in_page=lead_in_page)


def _drop_repeats(blocks: list[Block], title: str, site: str) -> list[Block]:
    """Empty blocks, pointers elsewhere, the title repeated at the top, a block repeated."""
    kept: list[Block] = []
    for index, block in enumerate(blocks):
        if block.kind in _TEXT_KINDS and not visible(block.text):
            continue
        if block.kind is BlockKind.PARAGRAPH and _is_pointer(block, site):
            continue
        if (
            index < _HEAD_WINDOW
            and block.kind in _TEXT_KINDS
            and title
            and same_text(block.text, title)
        ):
            continue
        if kept and block == kept[-1]:
            continue
        kept.append(block)
    return kept


def _is_pointer(block: Block, site: str) -> bool:
    """A paragraph that only points elsewhere: a bare URL, or a lone link to another page
    of the same site (a related-article teaser; a link out is a cited source, kept)."""
    if _BARE_URL.match(block.text):
        return True
    link = _LINK_ONLY.match(block.html)
    return link is not None and bool(site) and _site(unescape(link["href"])) == site


def _site(url: str) -> str:
    host = (urlsplit(url).hostname or "").lower()
    return host.removeprefix("www.")


def _drop_lead(blocks: list[Block], sapo: str, from_page: bool) -> tuple[list[Block], str]:
    """Never show the lead twice; a meta description cut short yields to the paragraph it cuts."""
    if not sapo:
        return blocks, sapo
    folded, cut = fold(sapo), fold(_ELLIPSIS.sub("", sapo))
    for index, block in enumerate(blocks[:_HEAD_WINDOW]):
        if block.kind is not BlockKind.PARAGRAPH:
            continue
        text = fold(block.text)
        if text == folded:
            return blocks[:index] + blocks[index + 1 :], sapo
        # a description cut short of the first paragraph: that paragraph is the lead
        cut_short = not from_page and len(cut) >= _MIN_LEAD and text.startswith(cut)
        if cut_short and len(text) <= max(2 * len(cut), _MAX_LEAD):
            return blocks[:index] + blocks[index + 1 :], block.text
    return blocks, sapo


def _attach_captions(blocks: list[Block]) -> list[Block]:
    """A short paragraph right after a bare image is its caption when it reads like one."""
    out: list[Block] = []
    for block in blocks:
        previous = out[-1].figure if out and out[-1].kind is BlockKind.FIGURE else None
        if (
            previous is not None
            and not previous.caption
            and not previous.credit
            and block.kind is BlockKind.PARAGRAPH
            and len(block.text) <= _MAX_CAPTION
        ):
            caption, credit = split_credit(block.text)
            # "... Ảnh: TTXVN", or an italic line under the image (a common caption style)
            if credit or _EMPHASIS_ONLY.match(block.html):
                figure: Figure = replace(previous, caption=caption, credit=credit)
                out[-1] = replace(out[-1], figure=figure)
                continue
        out.append(block)
    return out


def _take_byline(blocks: list[Block], author: str) -> tuple[list[Block], str]:
    """The closing paragraph that is the author's name (alone, often in bold) becomes ``author``."""
    last = next((i for i in range(len(blocks) - 1, -1, -1) if blocks[i].kind in _TEXT_KINDS), None)
    if last is None:
        return blocks, author
    block = blocks[last]
    if author and same_text(block.text, author):
        return blocks[:last] + blocks[last + 1 :], author
    if not author and block.kind is BlockKind.PARAGRAPH and _looks_like_byline(block):
        return blocks[:last] + blocks[last + 1 :], clean_author(block.text)
    return blocks, author


def _looks_like_byline(block: Block) -> bool:
    text = block.text
    if not _BOLD_ONLY.match(block.html) or not clean_author(text):
        return False
    words = text.split()
    return (
        len(words) <= 6
        and text[:1].isupper()
        and not any(ch.isdigit() for ch in text)
        and ":" not in text
    )
