"""Reading archives for `diemtin import`: JSONL, WARC, or a folder of saved HTML."""

from __future__ import annotations

import hashlib
from collections.abc import Callable, Iterator
from pathlib import Path

from diemtin.archive.jsonl import parse, read_jsonl
from diemtin.archive.pages import read_html_dir, read_warc, require
from diemtin.archive.records import ArchiveError, Record

__all__ = ["ArchiveError", "Record", "fingerprint", "parse", "read_archive", "reader_for"]


Reader = Callable[[Path, int], Iterator[Record]]


def reader_for(path: Path) -> Reader:
    """The reader for this archive's format; a clear error for a missing or unknown one."""
    require(path)
    if path.is_dir():
        return read_html_dir
    name = path.name.lower()
    if name.endswith((".warc", ".warc.gz", ".arc", ".arc.gz")):
        return read_warc
    if name.endswith((".jsonl", ".jsonl.gz", ".ndjson", ".json")):
        return read_jsonl
    raise ArchiveError(
        f"{path}: unknown archive; expected .jsonl[.gz], .warc[.gz] or a folder of .html"
    )


def read_archive(path: Path, start: int = 0) -> Iterator[Record]:
    """Records from ``start`` on, whatever the archive's format, JSONL lines parsed."""
    return map(parse, reader_for(path)(path, start))


def fingerprint(path: Path) -> str:
    """Identifies one version of an archive, so a resume never skips into another file."""
    if path.is_dir():
        names = sorted(str(p.relative_to(path)) for p in path.rglob("*") if p.is_file())
        return hashlib.sha256("\n".join(names).encode()).hexdigest()
    stat = path.stat()
    with path.open("rb") as stream:
        head = stream.read(65536)
    return hashlib.sha256(head + str(stat.st_size).encode()).hexdigest()
