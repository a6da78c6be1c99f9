"""Article bodies and times to and from their stored form."""

from __future__ import annotations

import json
import re
from datetime import UTC, datetime
from typing import Any

from diemtin.model import Block, BlockKind, Figure


def to_epoch(value: datetime | None) -> int | None:
    return None if value is None else int(value.timestamp())


_MARKUP = re.compile(r"[<>&]")


def from_epoch(value: int | None) -> datetime | None:
    return None if value is None else datetime.fromtimestamp(value, UTC)


def _block_dict(block: Block) -> dict[str, Any]:
    out: dict[str, Any] = {"k": block.kind.value}
    if block.text:
        out["t"] = block.text
    if block.html and block.html != block.text:
        out["h"] = block.html
    if block.level:
        out["l"] = block.level
    if block.items:
        out["i"] = list(block.items)
    if block.src:
        out["s"] = block.src
    if block.figure is not None:
        f = block.figure
        out["f"] = {
            "src": f.src,
            "caption": f.caption,
            "credit": f.credit,
            "width": f.width,
            "height": f.height,
        }
    return out


def blocks_to_json(blocks: list[Block]) -> str:
    return json.dumps([_block_dict(b) for b in blocks], ensure_ascii=False, separators=(",", ":"))


def blocks_from_json(data: str) -> list[Block]:
    blocks = []
    for item in json.loads(data):
        fig = item.get("f")
        text = item.get("t", "")
        blocks.append(
            Block(
                kind=BlockKind(item["k"]),
                text=text,
                html=item.get("h", _as_html(text)),
                level=item.get("l", 0),
                items=tuple(item.get("i", ())),
                src=item.get("s", ""),
                figure=Figure(**fig) if fig else None,
            )
        )
    return blocks


def _as_html(text: str) -> str:
    """The HTML of a block stored without one: its text, when that is also valid HTML.

    Blocks whose HTML equals their text are stored once. Text with markup
    characters was never HTML (an import's plain text): it gets no HTML, so
    nothing can print it unescaped.
    """
    return "" if _MARKUP.search(text) else text
