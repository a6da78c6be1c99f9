"""Archives of raw pages: WARC files and folders of saved HTML."""

from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path

from warcio.archiveiterator import ArchiveIterator
from warcio.exceptions import ArchiveLoadFailed

from diemtin.archive.records import ArchiveError, Record

_CHARSET = re.compile(r"charset=([\w.:-]+)", re.I)
_HTML_SUFFIXES = {".html", ".htm", ".xhtml"}
_MAX_PAGE = 20_000_000


def _charset(content_type: str | None) -> str | None:
    match = _CHARSET.search(content_type or "")
    return match.group(1) if match else None


def read_warc(path: Path, start: int = 0) -> Iterator[Record]:
    """HTML responses of a WARC (gzipped or not), counted in order of appearance."""
    position = -1
    with path.open("rb") as stream:
        try:
            for record in ArchiveIterator(stream):
                if record.rec_type != "response" or record.http_headers is None:
                    continue
                content_type = record.http_headers.get_header("Content-Type") or ""
                if "html" not in content_type.lower():
                    continue
                position += 1
                if position < start:
                    continue
                url = record.rec_headers.get_header("WARC-Target-URI") or ""
                status = record.http_headers.get_statuscode()
                if status != "200":
                    yield Record(position, url=url, error=f"{url}: HTTP status {status}")
                    continue
                body = record.content_stream().read(_MAX_PAGE + 1)
                if len(body) > _MAX_PAGE:
                    yield Record(position, url=url, error=f"{url}: page over {_MAX_PAGE} bytes")
                    continue
                yield Record(position, html=body, url=url, charset=_charset(content_type))
        except ArchiveLoadFailed as exc:
            yield Record(position + 1, error=f"WARC unreadable after record {position + 1}: {exc}")


def read_html_dir(path: Path, start: int = 0) -> Iterator[Record]:
    """Saved pages under a folder, in name order; the page's canonical link names it."""
    files = sorted(p for p in path.rglob("*") if p.suffix.lower() in _HTML_SUFFIXES and p.is_file())
    for position, file in enumerate(files):
        if position < start:
            continue
        try:
            size = file.stat().st_size
            if size > _MAX_PAGE:
                yield Record(position, error=f"{file}: page over {_MAX_PAGE} bytes")
                continue
            # file:// URLs give the extractor a base; the page's own canonical wins later
            yield Record(position, html=file.read_bytes(), url=file.resolve().as_uri())
        except OSError as exc:
            yield Record(position, error=f"{file}: {exc}")


def require(path: Path) -> None:
    if not path.exists():
        raise ArchiveError(f"{path}: no such file or folder")
