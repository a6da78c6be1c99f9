"""trafilatura's XML body (p, head, quote, list, table, graphic, hi, ref, lb) to our blocks."""

from __future__ import annotations

import re
from collections.abc import Iterator
from copy import deepcopy
from dataclasses import dataclass, field
from html import escape

from lxml import etree

from diemtin.extract.figures import MediaTable, placeholder_index
from diemtin.extract.sanitize import sanitize_inline
from diemtin.extract.spacing import Spacing
from diemtin.extract.textutil import collapse
from diemtin.model import Block, BlockKind

_REND_TAG = {"#b": "strong", "#i": "em", "#sub": "sub", "#sup": "sup"}
# trafilatura elements that end a line of text when they sit inside a paragraph
_BREAKING = frozenset({"p", "ab", "head", "list", "item", "quote", "row", "cell", "table", "code"})
_INLINE = frozenset({"hi", "ref", "lb", "del"})
_CONTAINERS = frozenset({"div", "body", "doc", "main", "text"})
_PUNCT_START = re.compile(r"^[,.;:!?)\]}’”]")
_SENTENCE_END = re.compile(r"[.!?…:\"”’]$")


@dataclass(slots=True)
class _Inline:
    """Sanitised inline HTML and plain text of one element, plus the media it held."""

    html: str
    text: str
    media: list[int] = field(default_factory=list)


@dataclass(frozen=True, slots=True)
class _Context:
    media: MediaTable
    spacing: Spacing


def to_blocks(body: etree._Element, media: MediaTable, source_text: str) -> list[Block]:
    """Blocks in reading order; placeholders become the figures and videos they stand for.

    ``source_text`` is the page's text, the reference for spacing around inline elements.
    """
    return _Builder(_Context(media, Spacing(source_text))).container(body).blocks


class _Builder:
    """Flattens trafilatura's body, including the looser trees of its fallback extractors.

    Those keep ``div`` containers with loose inline runs between paragraphs
    ("... publication </p><hi>DigiTimes</hi><p>. A preview"): such runs are mended
    back into the paragraph they were cut from.
    """

    def __init__(self, context: _Context) -> None:
        self.context = context
        self.blocks: list[Block] = []
        self._run: etree._Element | None = None
        self._open_fragment = False  # the last paragraph ended in a loose inline run

    def container(self, element: etree._Element) -> _Builder:
        self._add_text(element.text)
        for child in element:
            tag = child.tag if isinstance(child.tag, str) else ""
            if tag in _INLINE:
                self._add_inline(child)
                continue
            self._flush()
            if tag in _CONTAINERS:
                self.container(child)
            elif tag:
                self._block(child)
            self._add_text(child.tail)
        self._flush()
        return self

    def _add_text(self, text: str | None) -> None:
        if not text:
            return
        if self._run is None:
            if not text.strip():
                return
            self._run = etree.Element("p")
        if len(self._run):
            last = self._run[-1]
            last.tail = (last.tail or "") + text
        else:
            self._run.text = (self._run.text or "") + text

    def _add_inline(self, child: etree._Element) -> None:
        if self._run is None:
            self._run = etree.Element("p")
        copied = deepcopy(child)
        copied.tail = None
        self._run.append(copied)
        self._add_text(child.tail)

    def _flush(self) -> None:
        run, self._run = self._run, None
        if run is not None:
            self._paragraph(inline(run, self.context.spacing), loose=True)

    def _block(self, element: etree._Element) -> None:
        for block in _convert(element, self.context):
            if block.kind is BlockKind.PARAGRAPH:
                self._paragraph(_Inline(block.html, block.text), loose=False)
            else:
                self.blocks.append(block)
                self._open_fragment = False

    def _paragraph(self, content: _Inline, *, loose: bool) -> None:
        previous = self.blocks[-1] if self.blocks else None
        if content.text and previous is not None and previous.kind is BlockKind.PARAGRAPH:
            mend = (loose and not _SENTENCE_END.search(previous.text)) or (
                self._open_fragment and _continues(content.text)
            )
            if mend:
                glue = "" if _PUNCT_START.search(content.text) else " "
                self.blocks[-1] = Block(
                    kind=BlockKind.PARAGRAPH,
                    text=previous.text + glue + content.text,
                    html=previous.html + glue + content.html,
                )
                content.text = ""
        if content.text:
            self.blocks.append(
                Block(kind=BlockKind.PARAGRAPH, text=content.text, html=content.html)
            )
        self._open_fragment = loose
        self.blocks.extend(_media_blocks(content.media, self.context.media))


def _continues(text: str) -> bool:
    """Text that cannot start a paragraph: it opens with punctuation or a lower-case letter."""
    return bool(_PUNCT_START.search(text)) or text[:1].islower()


def _convert(element: etree._Element, context: _Context) -> Iterator[Block]:
    tag = element.tag
    if tag == "graphic":
        yield from _media_blocks([_index(element)], context.media)
        return
    if tag == "list":
        yield from _list(element, context)
        return
    if tag == "table":
        yield from _table(element, context)
        return
    content = inline(element, context.spacing)
    if tag == "quote":
        # a quote's paragraphs are lines of one block; the breaks come from _BREAKING
        content.html = content.html.removeprefix("<br>").removesuffix("<br>")
        kind, level = BlockKind.QUOTE, 0
    elif tag == "head":
        kind, level = BlockKind.HEADING, _heading_level(element)
    else:
        kind, level = BlockKind.PARAGRAPH, 0
    if content.text:
        yield Block(kind=kind, text=content.text, html=content.html, level=level)
    yield from _media_blocks(content.media, context.media)


def inline(element: etree._Element, spacing: Spacing) -> _Inline:
    """Walk one element: ``hi`` to emphasis, ``ref`` to links, ``lb`` to breaks.

    Text is concatenated as the page has it, never joined with extra spaces; where
    trafilatura trimmed or padded the text at an element's edge, ``spacing`` restores
    what the page wrote ("vaccine và", not "vaccinevà"; "Anora.", not "Anora .").
    """
    html_parts: list[str] = []
    text_parts: list[str] = [""]
    found: list[int] = []
    closers: list[str] = []

    def add(raw: str | None) -> None:
        if raw:
            piece = spacing.adjust(text_parts[-1], raw.replace("\n", " "))
            html_parts.append(escape(piece, quote=False))
            text_parts.append(piece)

    for event, node in etree.iterwalk(element, events=("start", "end")):
        tag = node.tag if isinstance(node.tag, str) else ""
        if event == "start":
            closers.append(_open(node, tag, html_parts, text_parts, found))
            add(node.text)
            continue
        html_parts.append(closers.pop())
        if node is element:
            continue
        if tag in _BREAKING:
            html_parts.append("<br>")
            text_parts.append("\n")
        add(node.tail)
    lines = (collapse(line) for line in "".join(text_parts).split("\n"))
    text = "\n".join(line for line in lines if line)
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


def _list(element: etree._Element, context: _Context) -> Iterator[Block]:
    items: list[str] = []
    found: list[int] = []
    for item in element.iterchildren("item"):
        content = inline(item, context.spacing)
        found.extend(content.media)
        if content.text:
            items.append(content.text.replace("\n", " "))
    if items:
        yield Block(kind=BlockKind.LIST, items=tuple(items))
    yield from _media_blocks(found, context.media)


def _table(element: etree._Element, context: _Context) -> Iterator[Block]:
    """Each row as one paragraph, cells separated by a bar: we render no tables."""
    found: list[int] = []
    for row in element.iter("row"):
        cells = [inline(cell, context.spacing) for cell in row.iter("cell")]
        for cell in cells:
            found.extend(cell.media)
        texts = [cell.text.replace("\n", " ") for cell in cells if cell.text]
        if texts:
            text = " | ".join(texts)
            yield Block(kind=BlockKind.PARAGRAPH, text=text, html=escape(text, quote=False))
    yield from _media_blocks(found, context.media)


def _media_blocks(indexes: list[int | None] | list[int], media: MediaTable) -> Iterator[Block]:
    for index in indexes:
        item = media.get(index) if index is not None else None
        if item is None:
            continue  # an image with no usable URL, an icon, or not ours
        if item.figure is not None:
            yield Block(kind=BlockKind.FIGURE, figure=item.figure)
        elif item.video:
            yield Block(kind=BlockKind.VIDEO, src=item.video, text=item.caption)


def _index(graphic: etree._Element) -> int | None:
    return placeholder_index(graphic.get("src", ""))


def _heading_level(element: etree._Element) -> int:
    rend = element.get("rend", "")
    return int(rend[1]) if len(rend) == 2 and rend[0] == "h" and rend[1] in "123456" else 2
