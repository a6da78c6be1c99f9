"""The pipeline's grouping step on both engines: warm-up, other processes, backlog."""

from __future__ import annotations

from datetime import timedelta

import pytest
from sqlalchemy import text

from diemtin.dedupe.signature import Signature
from diemtin.dedupe.stories import Assignment, GroupDoc, StoryGrouper
from diemtin.model import Article, Block, BlockKind
from diemtin.pipeline.grouping import Grouping
from diemtin.store import articles
from diemtin.store import stories as st
from diemtin.store.articles import Outcome, Placement
from diemtin.store.db import Database, open_database
from tests.unit.dedupe.test_stories import FLOOD_A, FLOOD_B, FOOTBALL, GOLD
from tests.unit.dedupe.test_stories_store import NOON, NOW, store


@pytest.fixture
def db(database_url: str) -> Database:
    return open_database(database_url)


def stored(db: Database, step: Grouping, key: str, item: tuple[str, str], source: str) -> int:
    """Store an article and run the step on it as persist does; its story id."""
    with db.write() as conn:
        article_id = store(conn, key, item, source, NOON + timedelta(hours=1))
        story = step.after_store(conn, article_id, Outcome.NEW, NOW)
    assert story is not None
    return story


def test_new_articles_get_stories_and_updates_keep_theirs(db: Database) -> None:
    step = Grouping()
    stored(db, step, "fb", FOOTBALL, "vnexpress")
    story = stored(db, step, "a", FLOOD_A, "vnexpress")
    assert stored(db, step, "b", FLOOD_B, "tuoitre") == story
    with db.write() as conn:
        assert step.after_store(conn, 1, Outcome.UPDATED, NOW) is None
        assert step.after_store(conn, 1, Outcome.UNCHANGED, NOW) is None
        ids = conn.execute(text("SELECT story_id FROM articles ORDER BY id")).scalars().all()
    assert None not in ids and len(set(ids)) == 2


def test_a_restarted_process_rebuilds_from_saved_signatures(db: Database) -> None:
    first = Grouping()
    stored(db, first, "fb", FOOTBALL, "vnexpress")
    story = stored(db, first, "a", FLOOD_A, "vnexpress")
    with db.write() as conn:  # the text is gone: only the signatures can tell
        conn.execute(text("UPDATE articles SET title = '', sapo = '', body_text = ''"))
    assert stored(db, Grouping(), "b", FLOOD_B, "tuoitre") == story


def test_another_processs_articles_are_learnt_from_the_id_gap(db: Database) -> None:
    mine, theirs = Grouping(), Grouping()
    stored(db, mine, "fb", FOOTBALL, "vnexpress")  # warms this process up first
    story = stored(db, theirs, "a", FLOOD_A, "thanhnien")
    assert stored(db, mine, "b", FLOOD_B, "tuoitre") == story


def test_catch_up_groups_a_backlog_in_batches(db: Database) -> None:
    with db.write() as conn:
        for key, item in (("a", FLOOD_A), ("b", FLOOD_B), ("fb", FOOTBALL), ("g", GOLD)):
            store(conn, key, item, "vnexpress", NOON)
    step = Grouping()
    assert step.catch_up(db, batch=3, now=NOW) == 4
    assert step.catch_up(db, now=NOW) == 0
    with db.read() as conn:
        counts = conn.execute(text("SELECT article_count FROM stories")).scalars().all()
        first = st.load_story(conn, 1)
    assert sorted(counts) == [1, 1, 2]
    assert first is not None and first.publishers == ["vnexpress"]


class _Broken(StoryGrouper):
    def add(self, doc: GroupDoc, sig: Signature | None = None) -> Assignment:
        raise RuntimeError("a bug in grouping")


def test_a_grouping_bug_leaves_the_article_stored_for_catch_up(db: Database) -> None:
    broken = Grouping(_Broken)
    with db.write() as conn:
        article_id = store(conn, "a", FLOOD_A, "vnexpress", NOON)
        assert broken.after_store(conn, article_id, Outcome.NEW, NOW) is None
    with db.read() as conn:
        assert conn.execute(text("SELECT story_id FROM articles")).scalar_one() is None
    assert Grouping().catch_up(db, now=NOW) == 1


def test_the_article_in_hand_is_grouped_as_if_read_back(db: Database) -> None:
    step = Grouping()
    placed = []
    for key, item, hours in (("fb", FOOTBALL, 0), ("a", FLOOD_A, 2), ("b", FLOOD_B, 1)):
        article = Article(
            url=f"https://x.vn/{key}",
            title=item[0],
            blocks=[Block(BlockKind.PARAGRAPH, text=item[1], html=item[1])],
            published_at=NOON + timedelta(hours=hours),
        )
        where = Placement(key=key, canonical="", content_hash=key, title_key=key, source_id=None)
        with db.write() as conn:
            article_id, outcome = articles.upsert(conn, article, where, NOW)
            placed.append(step.after_store(conn, article_id, outcome, NOW, article))
    assert placed[1] == placed[2] != placed[0]
    with db.read() as conn:
        story = st.load_story(conn, placed[1] or 0)
        signed = conn.execute(text("SELECT COUNT(signature) FROM article_grouping"))
        assert signed.scalar_one() == 3
    assert story is not None and story.article_count == 2
    assert story.first_published_at == NOON + timedelta(hours=1)
    assert story.last_updated_at == NOON + timedelta(hours=2)
