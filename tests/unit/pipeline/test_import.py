"""`diemtin import` through the pipeline: fields, identity, bad lines, resume."""

from __future__ import annotations

from pathlib import Path

import pytest
from sqlalchemy import text

from diemtin.archive import ArchiveError
from diemtin.pipeline.importing import Importer
from diemtin.pipeline.setup import open_store
from diemtin.settings import Settings
from diemtin.store import articles
from diemtin.store.db import Database
from tests.support.archives import article_record, write_jsonl


@pytest.fixture
def db(database_url: str) -> Database:
    return open_store(Settings(database_url=database_url))


def _importer(db: Database, **kw: object) -> Importer:
    return Importer(db, [], batch=7, **kw)  # type: ignore[arg-type]


def test_jsonl_import_stores_each_article_once(db: Database, tmp_path: Path) -> None:
    path = write_jsonl(tmp_path / "a.jsonl.gz", [article_record(i) for i in range(30)])
    report = _importer(db).run(path)
    assert (report.new, report.failed) == (30, 0)
    again = _importer(db).run(path, restart=True)
    assert (again.new, again.unchanged) == (0, 30)
    with db.read() as conn:
        assert articles.count(conn) == 30
        row = conn.execute(
            text("SELECT title, sapo, body_text, published_at FROM articles WHERE guid = 'rec-3'")
        ).one()
    assert row[0].startswith("Tin số 3") and row[1].startswith("Tóm tắt bài 3")
    assert "Câu 0" in row[2] and row[3] == 1759539780  # 2025-10-04T08:03+07:00


def test_other_field_names_and_categories_are_understood(db: Database, tmp_path: Path) -> None:
    record = {
        "guid": "x1",
        "link": "https://example.vn/a.html",
        "title": "Tiêu đề",
        "abstract": "Lời dẫn.",
        "text": "Thân bài.",
        "publisher": "Báo Mẫu",
        "label": "Sức khoẻ",
        "date": "2025-01-02T03:04:05",
    }
    path = write_jsonl(tmp_path / "b.jsonl", [record])
    assert _importer(db).run(path).new == 1
    with db.read() as conn:
        row = conn.execute(
            text(
                "SELECT a.sapo, a.body_text, c.slug, s.name, a.published_at FROM articles a"
                " JOIN categories c ON c.id = a.category_id JOIN sources s ON s.id = a.source_id"
            )
        ).one()
    # "Sức khoẻ" (new-style tone mark) matches the category "Sức khỏe"; no zone means Vietnam time
    assert row == ("Lời dẫn.", "Thân bài.", "suc-khoe", "Báo Mẫu", 1735761845)


def test_bad_lines_are_reported_and_the_rest_imported(db: Database, tmp_path: Path) -> None:
    bad = [
        "{not json",
        "[1, 2]",
        '{"body": "no title"}',
        "",
        '{"title": "x", "body": 5}',
        '{"title": "' + "\\ud800" + '"}',
    ]
    path = write_jsonl(tmp_path / "c.jsonl", [article_record(i) for i in range(5)], extra_lines=bad)
    report = _importer(db).run(path)
    assert report.new == 5
    assert report.failed == len(bad)
    assert any("line 6" in e for e in report.errors)


def test_missing_and_unknown_archives_are_clear_errors(db: Database, tmp_path: Path) -> None:
    with pytest.raises(ArchiveError, match="no such file"):
        _importer(db).run(tmp_path / "nope.jsonl")
    odd = tmp_path / "data.csv"
    odd.write_text("a,b\n")
    with pytest.raises(ArchiveError, match="unknown archive"):
        _importer(db).run(odd)


def test_an_interrupted_import_resumes_without_duplicates(db: Database, tmp_path: Path) -> None:
    path = write_jsonl(tmp_path / "d.jsonl", [article_record(i) for i in range(50)])
    seen = 0

    def interrupt_at_23(n: int) -> None:
        nonlocal seen
        seen += n
        if seen == 23:
            raise KeyboardInterrupt

    with pytest.raises(KeyboardInterrupt):
        _importer(db, on_record=interrupt_at_23).run(path)
    with db.read() as conn:
        committed = articles.count(conn)
    assert committed == 21  # three whole batches of seven; the fourth was rolled back
    report = _importer(db).run(path)
    assert report.resumed_from == 21 and report.new == 29
    assert _importer(db).run(path).already_done
    with db.read() as conn:
        assert articles.count(conn) == 50


def test_a_changed_file_is_read_from_the_start(db: Database, tmp_path: Path) -> None:
    path = write_jsonl(tmp_path / "e.jsonl", [article_record(i) for i in range(5)])
    _importer(db).run(path)
    write_jsonl(path, [article_record(i) for i in range(8)])
    report = _importer(db).run(path)
    assert (report.resumed_from, report.new, report.unchanged) == (0, 3, 5)
