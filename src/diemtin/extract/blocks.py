"""trafilatura's XML body (p, head, quote, list, table, graphic, hi, ref, lb) to our blocks."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field
from html import escape

from lxml import etree

from diemtin.extract.figures import Media, placeholder_index
from diemtin.extract.sanitize import sanitize_inline
from diemtin.extract.textutil import collapse
from diemtin.model import Block, BlockKind

_REND_TAG = {"#b": "strong", "#i": "em", "#sub": "sub", "#sup": "sup"}
# trafilatura elements that end a line of text when they sit inside a paragraph
_BREAKING = frozenset({"p", "head", "list", "item", "quote", "row", "cell", "table", "code"})


@dataclass(slots=True)
class _Inline:
    """Sanitised inline HTML and plain text of one element, plus the media it held."""

    html: str
    text: str
    media: list[int] = field(default_factory=list)


def to_blocks(body: etree._Element, media: list[Media]) -> list[Block]:
    """Blocks in reading order; placeholders become the figures and videos they stand for."""
    blocks: list[Block] = []
    for element in body:
        if isinstance(element.tag, str):
            blocks.extend(_convert(element, media))
    return blocks


def _convert(element: etree._Element, media: list[Media]) -> Iterator[Block]:
    tag = element.tag
    if tag == "graphic":
        yield from _media_blocks([_index(element)], media)
        return
    if tag == "list":
        yield from _list(element, media)
        return
    if tag == "table":
        yield from _table(element, media)
        return
    if tag == "quote":
        content = _quote(element)
        kind, level = BlockKind.QUOTE, 0
    else:
        content = inline(element)
        kind = BlockKind.HEADING if tag == "head" else BlockKind.PARAGRAPH
        level = _heading_level(element) if tag == "head" else 0
    leading = not content.text  # media alone in its paragraph
    if leading:
        yield from _media_blocks(content.media, media)
        return
    yield Block(kind=kind, text=content.text, html=content.html, level=level)
    yield from _media_blocks(content.media, media)


def inline(element: etree._Element) -> _Inline:
    """Walk one element: ``hi`` to emphasis, ``ref`` to links, ``lb`` to breaks, text kept whole.

    Text is concatenated exactly as the page has it, never joined with extra spaces:
    spaces around links stay where they were and none appear before punctuation.
    """
    html_parts: list[str] = []
    text_parts: list[str] = []
    found: list[int] = []
    closers: list[str] = []
    walker = etree.iterwalk(element, events=("start", "end"))
    for event, node in walker:
        tag = node.tag if isinstance(node.tag, str) else ""
        if event == "start":
            closers.append(_open(node, tag, html_parts, text_parts, found))
            piece = (node.text or "").replace("\n", " ")
            html_parts.append(escape(piece, quote=False))
            text_parts.append(piece)
        else:
            html_parts.append(closers.pop())
            if tag in _BREAKING and node is not element:
                html_parts.append("<br>")
                text_parts.append("\n")
            if node is not element:
                tail = (node.tail or "").replace("\n", " ")
                html_parts.append(escape(tail, quote=False))
                text_parts.append(tail)
    text = "\n".join(line for line in map(collapse, "".join(text_parts).split("\n")) if line)
    return _Inline(html=sanitize_inline("".join(html_parts)), text=text, media=found)


def _open(
    node: etree._Element,
    tag: str,
    html_parts: list[str],
    text_parts: list[str],
    found: list[int],
) -> str:
    """Emit the opening markup of ``node``; return the markup that closes it."""
    if tag == "hi" and (name := _REND_TAG.get(node.get("rend", ""))):
        html_parts.append(f"<{name}>")
        return f"</{name}>"
    if tag == "ref" and (target := node.get("target", "")).startswith(("http://", "https://")):
        html_parts.append(f'<a href="{escape(target)}">')
        return "</a>"
    if tag == "lb":
        html_parts.append("<br>")
        text_parts.append("\n")
    elif tag == "graphic" and (index := _index(node)) is not None:
        found.append(index)
    return ""


def _quote(element: etree._Element) -> _Inline:
    content = inline(element)
    # a quote's paragraphs are lines of one block; the breaks come from _BREAKING
    html = content.html.removeprefix("<br>").removesuffix("<br>")
    return _Inline(html=html, text=content.text, media=content.media)


def _list(element: etree._Element, media: list[Media]) -> Iterator[Block]:
    items: list[str] = []
    found: list[int] = []
    for item in element:
        if item.tag != "item":
            continue
        content = inline(item)
        found.extend(content.media)
        if content.text:
            items.append(content.text.replace("\n", " "))
    if items:
        yield Block(kind=BlockKind.LIST, items=tuple(items))
    yield from _media_blocks(found, media)


def _table(element: etree._Element, media: list[Media]) -> Iterator[Block]:
    """Each row as one paragraph, cells separated by a bar: we render no tables."""
    found: list[int] = []
    for row in element.iter("row"):
        cells = [inline(cell) for cell in row.iter("cell")]
        for cell in cells:
            found.extend(cell.media)
        texts = [cell.text.replace("\n", " ") for cell in cells if cell.text]
        if texts:
            text = " | ".join(texts)
            yield Block(kind=BlockKind.PARAGRAPH, text=text, html=escape(text, quote=False))
    yield from _media_blocks(found, media)


def _media_blocks(indexes: list[int | None], media: list[Media]) -> Iterator[Block]:
    for index in indexes:
        if index is None or not 0 <= index < len(media):
            continue  # an image we had rejected (icon, no URL), or not ours
        item = media[index]
        if item.figure is not None:
            yield Block(kind=BlockKind.FIGURE, figure=item.figure)
        elif item.video:
            yield Block(kind=BlockKind.VIDEO, src=item.video, text=item.caption)


def _index(graphic: etree._Element) -> int | None:
    return placeholder_index(graphic.get("src", ""))


def _heading_level(element: etree._Element) -> int:
    rend = element.get("rend", "")
    return int(rend[1]) if len(rend) == 2 and rend[0] == "h" and rend[1] in "123456" else 2
