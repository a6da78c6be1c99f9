"""Importing raw pages: WARC files and folders of saved HTML go through extraction."""

from __future__ import annotations

import io
from pathlib import Path

import pytest
from sqlalchemy import text
from warcio.statusandheaders import StatusAndHeaders
from warcio.warcwriter import WARCWriter

from diemtin.pipeline.importing import Importer
from diemtin.pipeline.setup import open_store
from diemtin.settings import Settings
from diemtin.store.db import Database
from tests.support.site import article_html

BASE = "https://baomau.vn"


@pytest.fixture
def db(tmp_path: Path) -> Database:
    return open_store(
        Settings(database_url=f"sqlite:///{tmp_path / 'd.db'}", builtin_sources=False)
    )


def _warc(path: Path, pages: dict[str, tuple[int, str, bytes]]) -> Path:
    with path.open("wb") as out:
        writer = WARCWriter(out, gzip=path.suffix == ".gz")
        for url, (status, content_type, body) in pages.items():
            headers = StatusAndHeaders(
                f"{status} OK", [("Content-Type", content_type)], protocol="HTTP/1.1"
            )
            writer.write_record(
                writer.create_warc_record(
                    url, "response", payload=io.BytesIO(body), http_headers=headers
                )
            )
    return path


def _rows(db: Database) -> list[tuple[str, str, str, int]]:
    with db.read() as conn:
        return [
            tuple(r)
            for r in conn.execute(
                text(  # type: ignore[misc]
                    "SELECT url, title, sapo, (SELECT COUNT(*) FROM article_images i"
                    " WHERE i.article_id = a.id) FROM articles a ORDER BY url"
                )
            )
        ]


def test_warc_import_extracts_html_responses_only(db: Database, tmp_path: Path) -> None:
    pages = {
        f"{BASE}/tin-tuc/bai-{i}.html": (
            200,
            "text/html; charset=utf-8",
            article_html(i, BASE).encode(),
        )
        for i in range(3)
    }
    pages[f"{BASE}/logo.png"] = (200, "image/png", b"\x89PNG")
    pages[f"{BASE}/missing.html"] = (404, "text/html", b"<html>Not found</html>")
    path = _warc(tmp_path / "crawl.warc.gz", pages)
    report = Importer(db, []).run(path)
    assert (report.new, report.failed) == (3, 1)  # the 404 is reported, the image skipped
    rows = _rows(db)
    assert [r[0] for r in rows] == [f"{BASE}/tin-tuc/bai-{i}.html" for i in range(3)]
    assert all(r[1].startswith("Tin số") and r[2].startswith("Tóm tắt") and r[3] == 1 for r in rows)


def test_truncated_warc_keeps_what_came_before(db: Database, tmp_path: Path) -> None:
    pages = {
        f"{BASE}/tin-tuc/bai-{i}.html": (200, "text/html", article_html(i, BASE).encode())
        for i in range(2)
    }
    path = _warc(tmp_path / "cut.warc.gz", pages)
    data = path.read_bytes()
    path.write_bytes(data[: len(data) * 3 // 4])  # cut inside the second record
    report = Importer(db, []).run(path)
    assert report.new == 1 and report.failed == 1


def test_html_folder_import_uses_each_pages_canonical_url(db: Database, tmp_path: Path) -> None:
    folder = tmp_path / "saved"
    (folder / "sub").mkdir(parents=True)
    for i in range(3):
        (folder / ("sub" if i else "") / f"bai-{i}.html").write_text(article_html(i, BASE))
    (folder / "empty.html").write_text("")
    (folder / "notes.txt").write_text("không phải trang")
    report = Importer(db, []).run(folder)
    assert report.new == 3 and report.failed == 1
    assert [r[0] for r in _rows(db)] == [f"{BASE}/tin-tuc/bai-{i}.html" for i in range(3)]
    assert Importer(db, []).run(folder).already_done
