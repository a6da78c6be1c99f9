"""Preparing records in worker processes gives exactly what preparing them in-process gives."""

from __future__ import annotations

from pathlib import Path

import pytest
from sqlalchemy import text

from diemtin.archive import read_jsonl
from diemtin.pipeline.importing import Importer
from diemtin.pipeline.prepare import CategoryIndex
from diemtin.pipeline.preparing import Ready, RecordPreparer, prepare_all
from diemtin.pipeline.setup import open_store
from diemtin.settings import SettingsError, load
from diemtin.sources import load_categories
from diemtin.store.db import Database
from tests.support.archives import article_record, write_jsonl

# Lines a worker must report, not choke on: empty, not JSON, no title, a lone surrogate.
BAD_LINES = ["", "{not json", '{"title": "", "body": "x"}', '{"title": "a\\ud800", "body": "b"}']


def _archive(path: Path, n: int) -> Path:
    records = [article_record(i) for i in range(n)]
    records.append(article_record(3, body="Câu đã sửa của bài 3."))  # an edit of an earlier one
    records.append({**article_record(5), "id": "copy-5", "url": "https://khac.vn/bai-5.html"})
    return write_jsonl(path, records, extra_lines=BAD_LINES)


def _preparer() -> RecordPreparer:
    from diemtin.dedupe.stories import StoryGrouper

    return RecordPreparer((), CategoryIndex(load_categories()), StoryGrouper().signer)


def _summary(ready: list[Ready]) -> list[tuple[object, ...]]:
    out: list[tuple[object, ...]] = []
    for r in ready:
        p = r.prepared
        if p is None:
            out.append((r.position, r.error))
            continue
        assert p.search is not None and p.signed is not None, "worked out ahead"
        out.append((r.position, p.key, p.content_hash, p.article.language, p.search, p.signed.data))
    return out


def test_workers_prepare_what_the_importer_would(tmp_path: Path) -> None:
    path = _archive(tmp_path / "a.jsonl", 120)
    here = list(prepare_all(read_jsonl(path), _preparer(), processes=1))
    there = list(prepare_all(read_jsonl(path), _preparer(), processes=2, workers_after=7))
    assert _summary(there) == _summary(here)
    assert [r.position for r in there] == list(range(122 + len(BAD_LINES)))
    errors = [r.error for r in there if r.error]
    assert errors[0] == "empty line" and "line 124" in errors[1] and "no title" in errors[2]
    assert "lone surrogate" in errors[3]


def test_leaving_early_returns_without_waiting_for_queued_work(tmp_path: Path) -> None:
    path = _archive(tmp_path / "a.jsonl", 400)
    ready = prepare_all(read_jsonl(path), _preparer(), processes=2, workers_after=0)
    first = [next(ready) for _ in range(3)]
    # as on Ctrl-C or a failing write: returns, never hangs on queued work (that the
    # workers then exit is tests/loopback/pipeline/test_import_workers.py's to show)
    ready.close()
    assert [r.position for r in first] == [0, 1, 2]


def _stored(db: Database) -> list[tuple[object, ...]]:
    with db.read() as conn:
        rows = conn.execute(
            text(
                "SELECT a.guid, a.title, a.body_text, a.language, g.signature, s.id,"
                " (SELECT COUNT(*) FROM article_versions v WHERE v.article_id = a.id)"
                " FROM articles a JOIN article_grouping g ON g.article_id = a.id"
                " JOIN stories s ON s.id = a.story_id ORDER BY a.id"
            )
        ).all()
        words = conn.execute(text("SELECT COUNT(*) FROM search_docs")).scalar_one()
    return [tuple(r) for r in rows] + [("search_docs", words)]


def test_an_import_with_workers_stores_the_same(tmp_path: Path) -> None:
    path = _archive(tmp_path / "a.jsonl", 60)
    stored = []
    for processes in (1, 2):
        db = open_store(load({"DIEMTIN_DATABASE_URL": f"sqlite:///{tmp_path}/{processes}.db"}))
        importer = Importer(db, [], batch=9, processes=processes, workers_after=5)
        report = importer.run(path)
        assert (report.new, report.updated, report.failed) == (61, 1, len(BAD_LINES))
        stored.append(_stored(db))
        db.close()
    assert stored[0] == stored[1]
    # every article with its story and grouping row, and indexed; the copy joined 5's story
    assert len(stored[0]) == 62 and stored[0][-1] == ("search_docs", 61)
    copy = next(r for r in stored[0] if r[0] == "copy-5")
    assert copy[5] == next(r for r in stored[0] if r[0] == "rec-5")[5]
    assert next(r for r in stored[0] if r[0] == "rec-3")[6] == 2  # two versions


def test_a_negative_number_of_processes_is_refused() -> None:
    with pytest.raises(SettingsError, match="import_processes"):
        load({"DIEMTIN_IMPORT_PROCESSES": "-1"})
