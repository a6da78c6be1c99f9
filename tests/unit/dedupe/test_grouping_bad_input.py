"""Bad input to story grouping: never an exception, and nothing forced together."""

from __future__ import annotations

from datetime import timedelta

import pytest
from sqlalchemy import text

from diemtin.dedupe.signature import Signature
from diemtin.dedupe.stories import GroupDoc, StoryGrouper
from diemtin.pipeline.grouping import Grouping
from diemtin.store import stories as st
from diemtin.store.articles import Outcome
from diemtin.store.db import Database, open_database
from tests.unit.dedupe.test_stories import FLOOD_A, FLOOD_B, FOOTBALL, GOLD, NOON, doc
from tests.unit.dedupe.test_stories_store import NOW, store

ENGLISH = (
    "Flash flood sweeps away suspension bridge in Ha Giang",
    "A flash flood overnight swept away the Na Lua suspension bridge in Vi Xuyen district,"
    " cutting off more than 200 households. Officials are using boats to deliver food.",
)
ENGLISH_REWRITE = (
    "Ha Giang flash flood destroys Na Lua bridge, 200 households cut off",
    "More than 200 households in Vi Xuyen district were cut off after an overnight flash"
    " flood destroyed the Na Lua suspension bridge; officials deliver food by boat.",
)
CHINESE = ("河江省山洪冲毁吊桥", "昨夜山洪冲毁了河江省渭川县的那卢吊桥，两百多户居民被困。")
JUNK = [
    ("", ""),
    ("!!! ??? ...", "— – … « » • ° ; : , ."),
    ("\x00\x01\x02", "\ufffd\ufffd\x7f" * 50),
    ("😀😀😀", "🔥 " * 300),
    ("1 2 3", "4 5 6 7 8 9"),
]


def seeded() -> StoryGrouper:
    grouper = StoryGrouper()
    for i, item in enumerate((FOOTBALL, GOLD, FLOOD_A), start=100):
        grouper.add(doc(i, item, NOON))
    return grouper


@pytest.mark.parametrize("item", JUNK)
def test_junk_makes_a_story_of_its_own_and_joins_nothing(item: tuple[str, str]) -> None:
    grouper = seeded()
    first = grouper.add(GroupDoc(1, *item))
    again = grouper.add(GroupDoc(2, *item))
    assert first.new_story and first.story == 1
    assert again.story != 100 and again.story != 101 and again.story != 102
    sig = grouper.signature(GroupDoc(3, *item))
    assert Signature.from_bytes(sig.to_bytes()) == sig


def test_english_reports_group_with_each_other_not_with_vietnamese_ones() -> None:
    grouper = seeded()
    first = grouper.add(doc(1, ENGLISH, NOON))
    second = grouper.add(doc(2, ENGLISH_REWRITE, NOON))
    assert first.new_story and second.story == 1
    assert grouper.add(doc(3, FLOOD_B, NOON)).story == 102


def test_text_without_spaces_is_grouped_only_when_it_repeats() -> None:
    grouper = seeded()
    first = grouper.add(doc(1, CHINESE, NOON))
    assert first.new_story
    assert grouper.add(doc(2, CHINESE, NOON)).story == 1  # a reprint
    assert grouper.add(doc(3, FLOOD_B, NOON)).story == 102


def test_a_huge_title_is_cut_to_its_opening() -> None:
    grouper = seeded()
    placed = grouper.add(GroupDoc(1, FLOOD_B[0] * 50_000, FLOOD_B[1]))
    assert placed.story == 102


@pytest.fixture
def db(database_url: str) -> Database:
    return open_database(database_url)


def test_undated_and_empty_articles_are_stored_with_a_story(db: Database) -> None:
    step = Grouping()
    placed = []
    for key, item, at in (
        ("a", FLOOD_A, NOON),
        ("b", FLOOD_B, None),  # no date: joins, never raises
        ("e", ("", ""), None),
        ("x", JUNK[3], NOON + timedelta(days=400)),  # prepare strips NULs
    ):
        with db.write() as conn:
            article_id = store(conn, key, item, "vnexpress", at)
            placed.append(step.after_store(conn, article_id, Outcome.NEW, NOW))
    assert placed[0] is not None and placed[0] == placed[1] and len(set(placed)) == 3
    with db.read() as conn:
        undated = st.load_story(conn, placed[0])
        missing = conn.execute(text("SELECT COUNT(*) FROM articles WHERE story_id IS NULL"))
        assert missing.scalar_one() == 0
    assert undated is not None and undated.first_published_at == NOON
    assert undated.article_count == 2
