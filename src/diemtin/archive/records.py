"""What an archive yields: articles already extracted, or pages still to extract."""

from __future__ import annotations

from dataclasses import dataclass

from diemtin.model import Article, IngestError


class ArchiveError(IngestError):
    """The archive as a whole cannot be read (missing, unknown format)."""

    kind = "archive"


@dataclass(frozen=True, slots=True)
class Record:
    """One record; ``position`` counts records from 0 and is where a resume starts."""

    position: int
    article: Article | None = None  # a JSONL line, parsed
    line: bytes | None = None  # a JSONL line, still to parse (``archive.parse``)
    html: bytes | None = None  # a saved page or WARC response, still to extract
    url: str = ""
    charset: str | None = None
    error: str | None = None  # this record is unreadable; the import goes on
