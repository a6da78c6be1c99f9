"""JSONL archives: one article per line, under the field names real dumps use."""

from __future__ import annotations

import gzip
import io
import json
import re
from collections.abc import Iterator
from datetime import datetime
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

from diemtin.archive.records import Record
from diemtin.model import Article, Block, BlockKind

VIETNAM = ZoneInfo("Asia/Ho_Chi_Minh")

# First name found wins; the others are what other dumps call the same thing.
FIELDS: dict[str, tuple[str, ...]] = {
    "title": ("title", "headline"),
    "sapo": ("sapo", "abstract", "summary", "description", "lead"),
    "body": ("body", "text", "content", "article"),
    "url": ("url", "link", "source_url"),
    "id": ("id", "guid", "doc_id"),
    "source": ("source", "publisher", "site"),
    "category": ("category", "label", "topic", "section"),
    "published": ("published", "published_at", "date", "pubDate", "publish_date"),
    "author": ("author", "authors"),
}

_SENTENCE_END = re.compile(r"(?<=[.!?…])\s+(?=[A-ZĐÀ-Ỹ\"“])")
_PARAGRAPH_CHARS = 450
_ESCAPED_SURROGATE = re.compile(rb"\\u[dD][89a-fA-F]")


def _field(obj: dict[str, Any], name: str) -> Any:
    for candidate in FIELDS[name]:
        value = obj.get(candidate)
        if value not in (None, ""):
            return value
    return None


def paragraphs(body: str) -> list[str]:
    """Plain text to paragraphs; a body with no line breaks is cut at sentence ends."""
    lines = [ln.strip() for ln in body.splitlines() if ln.strip()]
    if len(lines) != 1 or len(lines[0]) <= _PARAGRAPH_CHARS * 2:
        return lines
    out: list[str] = []
    current = ""
    for sentence in _SENTENCE_END.split(lines[0]):
        current = f"{current} {sentence}".strip()
        if len(current) >= _PARAGRAPH_CHARS:
            out.append(current)
            current = ""
    if current:
        out.append(current)
    return out


def parse_time(value: Any) -> datetime | None:
    """ISO 8601 (a trailing Z too); a time with no zone is Vietnam time."""
    if not isinstance(value, str) or not value.strip():
        return None
    try:
        parsed = datetime.fromisoformat(value.strip().replace("Z", "+00:00"))
    except ValueError:
        return None
    return parsed if parsed.tzinfo else parsed.replace(tzinfo=VIETNAM)


def to_article(obj: Any) -> Article:
    if not isinstance(obj, dict):
        raise ValueError("a line must be a JSON object")
    title = _field(obj, "title")
    if not isinstance(title, str) or not title.strip():
        raise ValueError("no title")
    body = _field(obj, "body") or ""
    sapo = _field(obj, "sapo") or ""
    author = _field(obj, "author") or ""
    if not isinstance(body, str) or not isinstance(sapo, str):
        raise ValueError("body and sapo must be text")
    ident = _field(obj, "id")
    category, source = _field(obj, "category"), _field(obj, "source")
    return Article(
        url=str(_field(obj, "url") or ""),
        title=title,
        sapo=sapo,
        blocks=[Block(BlockKind.PARAGRAPH, text=p, html="") for p in paragraphs(body)],
        author=", ".join(author) if isinstance(author, list) else str(author),
        published_at=parse_time(_field(obj, "published")),
        category=str(category) if category else None,
        source=str(source) if source else None,
        guid=str(ident) if ident not in (None, "") else None,
    )


def _open(path: Path) -> gzip.GzipFile | io.BufferedReader:
    return gzip.open(path, "rb") if path.suffix == ".gz" else path.open("rb")


def read_jsonl(path: Path, start: int = 0) -> Iterator[Record]:
    """The lines from ``start`` on, unparsed: ``parse`` them where the work is done."""
    with _open(path) as stream:
        for position, raw in enumerate(stream):
            if position < start:
                continue
            if not raw.strip():
                yield Record(position, error="empty line")
                continue
            yield Record(position, line=raw)


def parse(record: Record) -> Record:
    """A JSONL line's record with its article, or with why it is unreadable; others as they are."""
    raw, position = record.line, record.position
    if raw is None:
        return record
    try:
        obj = json.loads(raw)
        if _ESCAPED_SURROGATE.search(raw):
            # JSON can spell lone surrogates (\ud800), which no text may hold
            json.dumps(obj, ensure_ascii=False).encode("utf-8")
        return Record(position, article=to_article(obj))
    except UnicodeEncodeError:
        return Record(position, error=f"line {position + 1}: invalid Unicode (lone surrogate)")
    except (ValueError, RecursionError) as exc:
        return Record(position, error=f"line {position + 1}: {exc}")
