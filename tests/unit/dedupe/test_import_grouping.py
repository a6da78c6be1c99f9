"""Imported articles come out of the pipeline with their stories, across resumed imports."""

from __future__ import annotations

from pathlib import Path

import pytest
from sqlalchemy import text

from diemtin.pipeline.grouping import Grouping
from diemtin.pipeline.importing import Importer
from diemtin.pipeline.setup import open_store
from diemtin.settings import Settings
from diemtin.store import stories as st
from diemtin.store.db import Database
from tests.support.archives import write_jsonl
from tests.unit.dedupe.test_grouping_step import _Broken
from tests.unit.dedupe.test_stories import FLOOD_A, FLOOD_B, FOOTBALL, GOLD


@pytest.fixture
def db(database_url: str) -> Database:
    return open_store(Settings(database_url=database_url))


def record(key: str, item: tuple[str, str], host: str, hour: int) -> dict[str, object]:
    return {
        "id": key,
        "url": f"https://{host}/{key}.html",
        "title": item[0],
        "body": item[1],
        "published": f"2025-10-22T{hour:02d}:00:00+07:00",
    }


def story_ids(db: Database) -> dict[str, int | None]:
    with db.read() as conn:
        rows = conn.execute(text("SELECT guid, story_id FROM articles")).all()
    return {guid: story for guid, story in rows}


def test_imported_articles_are_grouped_and_a_later_import_joins_their_stories(
    db: Database, tmp_path: Path
) -> None:
    first = [
        record("fb", FOOTBALL, "vnexpress.net", 7),
        record("gold", GOLD, "tuoitre.vn", 8),
        record("a", FLOOD_A, "vnexpress.net", 9),
    ]
    assert Importer(db, [], batch=2).run(write_jsonl(tmp_path / "1.jsonl", first)).new == 3
    later = [record("b", FLOOD_B, "thanhnien.vn", 10), record("c", FLOOD_A, "baomoi.com", 11)]
    # a new importer: a restarted process, which rebuilds from the stored signatures
    assert Importer(db, [], batch=2).run(write_jsonl(tmp_path / "2.jsonl", later)).new == 2
    ids = story_ids(db)
    assert None not in ids.values()
    assert ids["a"] == ids["b"] == ids["c"]
    assert len({ids["fb"], ids["gold"], ids["a"]}) == 3
    with db.read() as conn:
        story = st.load_story(conn, ids["a"] or 0)
        members = st.story_members(conn, ids["a"] or 0)
    assert story is not None and story.article_count == 3
    assert story.publishers == ["vnexpress-net", "thanhnien-vn", "baomoi-com"]
    assert members[2].near_duplicate_of == members[0].article_id


def test_articles_stored_without_a_story_get_one_before_an_import_goes_on(
    db: Database, tmp_path: Path
) -> None:
    # as a store from before grouping, or one where grouping failed, leaves them
    early = [record("a", FLOOD_A, "vnexpress.net", 9), record("fb", FOOTBALL, "tuoitre.vn", 8)]
    Importer(db, [], group_stories=False).run(write_jsonl(tmp_path / "1.jsonl", early))
    assert set(story_ids(db).values()) == {None}
    later = [record("b", FLOOD_B, "thanhnien.vn", 10)]
    assert Importer(db, []).run(write_jsonl(tmp_path / "2.jsonl", later)).new == 1
    ids = story_ids(db)
    assert None not in ids.values()
    assert ids["a"] == ids["b"] != ids["fb"]  # the backlog was grouped first, so b joins a


def test_a_grouping_bug_neither_stops_an_import_nor_loses_an_article(
    db: Database, tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    early = [record("a", FLOOD_A, "vnexpress.net", 9)]
    Importer(db, [], group_stories=False).run(write_jsonl(tmp_path / "1.jsonl", early))
    importer = Importer(db, [])
    importer.grouping = Grouping(_Broken)  # the backlog and the new article both fail
    later = [record("b", FLOOD_B, "thanhnien.vn", 10)]
    assert importer.run(write_jsonl(tmp_path / "2.jsonl", later)).new == 1
    assert story_ids(db) == {"a": None, "b": None}  # stored; grouped once the bug is fixed
    assert "grouping articles stored without a story failed" in caplog.text
    assert Importer(db, []).run(write_jsonl(tmp_path / "3.jsonl", [])).new == 0
    assert None not in story_ids(db).values()
