"""Stories in the store, on both engines: grouping, counts, rebuilds and operators."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
from sqlalchemy import Connection, text

from diemtin.dedupe.stories import StoryGrouper
from diemtin.model import Article, Block, BlockKind
from diemtin.store import articles, placing
from diemtin.store import stories as st
from diemtin.store.articles import Placement
from diemtin.store.db import Database, open_database
from diemtin.store.sources import ensure_source
from tests.unit.dedupe.test_stories import FLOOD_A, FLOOD_B, FOOTBALL, GOLD

NOW = 1_761_134_400  # 2025-10-22 12:00 UTC
NOON = datetime.fromtimestamp(NOW, UTC)


def store(
    conn: Connection, key: str, item: tuple[str, str], source: str, at: datetime | None
) -> int:
    article = Article(
        url=f"https://{source}.vn/{key}",
        title=item[0],
        blocks=[Block(BlockKind.PARAGRAPH, text=item[1], html=item[1])],
        published_at=at,
    )
    where = Placement(
        key=f"u:{key}",
        canonical="",
        content_hash=key,
        title_key=key,
        source_id=ensure_source(conn, source, source, NOW),
    )
    return articles.upsert(conn, article, where, NOW)[0]


def add(
    db: Database,
    grouper: StoryGrouper,
    key: str,
    item: tuple[str, str],
    source: str,
    at: datetime | None = NOON,
) -> tuple[int, int]:
    with db.write() as conn:
        article_id = store(conn, key, item, source, at)
        return article_id, placing.group_article(conn, grouper, article_id, now=NOW)


@pytest.fixture
def db(database_url: str) -> Database:
    return open_database(database_url)


def seeded(db: Database) -> StoryGrouper:
    grouper = StoryGrouper()
    add(db, grouper, "fb", FOOTBALL, "vnexpress")
    add(db, grouper, "gold", GOLD, "tuoitre")
    return grouper


def test_reports_of_one_event_share_a_story_with_first_report_and_publishers(db: Database) -> None:
    grouper = seeded(db)
    late, story = add(db, grouper, "a", FLOOD_A, "vnexpress", NOON + timedelta(hours=2))
    early, same = add(db, grouper, "b", FLOOD_B, "tuoitre", NOON)
    copy, again = add(db, grouper, "c", FLOOD_A, "baomoi", NOON + timedelta(hours=5))
    assert story == same == again
    with db.read() as conn:
        info = st.load_story(conn, story)
        members = st.story_members(conn, story)
    assert info is not None
    assert info.article_count == 3 and not info.locked
    assert info.first_article_id == early and info.title == FLOOD_B[0]
    assert info.first_published_at == NOON
    assert info.last_updated_at == NOON + timedelta(hours=5)
    assert info.publishers == ["tuoitre", "vnexpress", "baomoi"]
    assert [m.article_id for m in members] == [early, late, copy]
    assert members[2].near_duplicate_of == late and members[0].source == "tuoitre"


def test_grouping_twice_changes_nothing(db: Database) -> None:
    grouper = seeded(db)
    article_id, story = add(db, grouper, "a", FLOOD_A, "vnexpress")
    with db.write() as conn:
        assert placing.group_article(conn, grouper, article_id) == story
        assert st.load_story(conn, story).article_count == 1  # type: ignore[union-attr]


def test_a_rolled_back_grouping_can_be_done_again(db: Database) -> None:
    grouper = seeded(db)
    with pytest.raises(RuntimeError), db.write() as conn:
        article_id = store(conn, "a", FLOOD_A, "vnexpress", NOON)
        placing.group_article(conn, grouper, article_id)
        raise RuntimeError("crash before commit")
    article_id, story = add(db, grouper, "a", FLOOD_A, "vnexpress")
    _, same = add(db, grouper, "b", FLOOD_B, "tuoitre")
    assert same == story
    with db.read() as conn:
        assert st.load_story(conn, story).article_count == 2  # type: ignore[union-attr]


def test_rebuild_reads_saved_signatures_and_groups_on(db: Database) -> None:
    grouper = seeded(db)
    _, story = add(db, grouper, "a", FLOOD_A, "vnexpress")
    with db.read() as conn:
        saved = conn.execute(
            text("SELECT COUNT(*) FROM article_grouping WHERE signature IS NOT NULL")
        ).scalar_one()
    assert saved == 3
    restarted = StoryGrouper()
    with db.write() as conn:
        assert placing.rebuild(conn, restarted, now=NOW) == 3
    assert len(restarted) == 3
    _, same = add(db, restarted, "b", FLOOD_B, "tuoitre")
    assert same == story


def test_rebuild_signs_articles_grouped_under_another_scheme(db: Database) -> None:
    grouper = seeded(db)
    add(db, grouper, "a", FLOOD_A, "vnexpress")
    other = StoryGrouper(lead_chars=800)
    with db.write() as conn:
        assert placing.rebuild(conn, other, now=NOW) == 3
        schemes = conn.execute(text("SELECT DISTINCT scheme FROM article_grouping")).scalars()
        assert set(schemes) == {other.scheme}


def test_group_pending_places_articles_stored_before_grouping(db: Database) -> None:
    with db.write() as conn:
        for key, item in (("a", FLOOD_A), ("b", FLOOD_B), ("fb", FOOTBALL)):
            store(conn, key, item, "vnexpress", NOON)
    grouper = StoryGrouper()
    with db.write() as conn:
        assert placing.group_pending(conn, grouper) == 3
        assert placing.group_pending(conn, grouper) == 0
        counts = conn.execute(text("SELECT article_count FROM stories ORDER BY id")).scalars()
        assert sorted(counts) == [1, 2]


def test_merge_locks_and_sticks(db: Database) -> None:
    grouper = seeded(db)
    with db.read() as conn:
        fb_story, gold_story = conn.execute(text("SELECT id FROM stories ORDER BY id")).scalars()
    with db.write() as conn:
        st.merge_stories(conn, fb_story, gold_story, grouper=grouper)
    with db.read() as conn:
        kept = st.load_story(conn, fb_story)
        assert kept is not None and kept.locked and kept.article_count == 2
        assert st.load_story(conn, gold_story) == kept  # the absorbed id answers as the kept one
        assert {m.placed_by for m in st.story_members(conn, fb_story)} == {"auto", "operator"}
    # a reprint of the absorbed story's article now lands in the merged story
    _, story = add(db, grouper, "gold2", GOLD, "thanhnien")
    assert story == fb_story
    with db.write() as conn, pytest.raises(ValueError):
        st.merge_stories(conn, fb_story, fb_story)


def test_split_article_sticks_across_regrouping_and_restarts(db: Database) -> None:
    grouper = seeded(db)
    first, story = add(db, grouper, "a", FLOOD_A, "vnexpress")
    moved, _ = add(db, grouper, "b", FLOOD_B, "tuoitre")
    with db.write() as conn:
        own = st.split_article(conn, moved, grouper=grouper, now=NOW)
    with db.write() as conn:
        assert placing.group_article(conn, grouper, moved) == own  # never regrouped
        old, new = st.load_story(conn, story), st.load_story(conn, own)
        assert old is not None and new is not None
        assert old.article_count == 1 and old.locked
        assert new.article_count == 1 and new.locked and new.first_article_id == moved
    restarted = StoryGrouper()
    with db.write() as conn:
        placing.rebuild(conn, restarted, now=NOW)
    assert restarted.story_of(moved) == own and restarted.story_of(first) == story
    # a reprint of the split article follows it into its own story
    _, follows = add(db, restarted, "b2", FLOOD_B, "baomoi")
    assert follows == own


def test_moving_the_last_article_removes_the_empty_story(db: Database) -> None:
    grouper = seeded(db)
    article_id, story = add(db, grouper, "a", FLOOD_A, "vnexpress")
    with db.write() as conn:
        target = st.split_article(conn, article_id, grouper=grouper)
        assert st.load_story(conn, story) is None
        with pytest.raises(LookupError):
            st.move_article(conn, article_id, 10_000)
        with pytest.raises(LookupError):
            placing.group_article(conn, grouper, 10_000)
        assert st.story_members(conn, target)[0].placed_by == "operator"


def test_an_operators_split_made_elsewhere_is_followed_by_a_stale_grouper(db: Database) -> None:
    grouper = seeded(db)
    _, story = add(db, grouper, "a", FLOOD_A, "vnexpress")
    moved, _ = add(db, grouper, "b", FLOOD_B, "tuoitre")
    with db.write() as conn:  # the web process: its own grouper, or none
        own = st.split_article(conn, moved, now=NOW)
    assert grouper.story_of(moved) == story  # this grouper has not heard
    _, follows = add(db, grouper, "b2", FLOOD_B, "baomoi")
    assert follows == own and grouper.story_of(moved) == own


def test_rebuild_signs_again_where_a_saved_signature_is_damaged(db: Database) -> None:
    grouper = seeded(db)
    _, story = add(db, grouper, "a", FLOOD_A, "vnexpress")
    with db.write() as conn:
        conn.execute(text("UPDATE article_grouping SET signature = :s"), {"s": b"\x02junk"})
    restarted = StoryGrouper()
    with db.write() as conn:
        assert placing.rebuild(conn, restarted, now=NOW) == 3
    _, same = add(db, restarted, "b", FLOOD_B, "tuoitre")
    assert same == story
