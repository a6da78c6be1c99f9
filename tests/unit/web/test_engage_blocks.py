"""The article page's sidebars from the store: ranked, reader-free, cached until a change."""

from __future__ import annotations

from pathlib import Path

import pytest
from sqlalchemy import text

from diemtin.pipeline.importing import Importer
from diemtin.pipeline.setup import open_store
from diemtin.settings import Settings
from diemtin.store import signals
from diemtin.store.db import Database
from diemtin.web.blocks import SidebarCache, one_sentence, sidebars
from tests.support.archives import article_record, write_jsonl

NOW = 1_761_600_000
FLOOD = "Mưa lớn kéo dài khiến nước sông Hồng dâng cao, nhiều tuyến phố ở Hà Nội ngập sâu."


@pytest.fixture
def db(database_url: str, tmp_path: Path) -> Database:
    settings = Settings(database_url=database_url, builtin_sources=False)
    store = open_store(settings)
    records = [
        article_record(i, category=("Thế giới", "Thể thao", "Sức khỏe")[i % 3]) for i in range(24)
    ]
    records[5].update(title="Sông Hồng dâng cao, Hà Nội ngập", body=FLOOD * 3)
    records[6].update(title="Hà Nội ngập sâu sau mưa lớn", body=FLOOD * 2 + " Người dân sơ tán.")
    # stories are left out: the template records would be grouped, hiding the rules tested here
    Importer(store, [], group_stories=False).run(write_jsonl(tmp_path / "a.jsonl", records))
    with store.write() as conn:
        conn.execute(text("UPDATE articles SET published_at = :t - id * 900"), {"t": NOW})
    return store


def ids_of(items: list) -> list[int]:  # type: ignore[type-arg]
    return [x.id for x in items]


def test_blocks_fill_rank_and_never_hold_the_article(db: Database) -> None:
    s = Settings(database_url=db.url)
    with db.write() as conn:
        for n in range(5):
            signals.record_view(conn, 10, marks=[n], day=1, now=NOW - 600)
        signals.record_view(conn, 11, marks=[99], day=1, now=NOW - 600)
    with db.read() as conn:
        side = sidebars(conn, 6, now=NOW, settings=s, cache=SidebarCache())
    assert ids_of(side.hot)[:2] == [10, 11]
    assert ids_of(side.related)[0] == 7 and side.next_article == 7  # the flood twin
    assert len(side.latest) == 7 and len(side.for_you) == s.sidebar_for_you
    every = side.hot + side.spotlight + side.latest + side.related + side.for_you
    assert 6 not in ids_of(every)
    assert all(x.summary == one_sentence(x.summary) for x in every)


def test_a_vote_or_a_hidden_article_shows_at_once(db: Database) -> None:
    s = Settings(database_url=db.url)
    cache = SidebarCache()
    with db.read() as conn:
        before = sidebars(conn, 1, now=NOW, settings=s, cache=cache)
    assert 2 in ids_of(before.for_you)
    with db.write() as conn:
        conn.execute(text("UPDATE articles SET status = 'hidden' WHERE id = 2"))
        signals.cast_vote(conn, 4, "reader-one", True, NOW)
    cache.signals_changed()
    with db.read() as conn:
        after = sidebars(conn, 1, now=NOW + 1, settings=s, cache=cache)
    assert 2 not in ids_of(after.for_you)
    assert ids_of(after.hot) == [4]  # its helpful vote is the only signal


def test_one_sentence_summaries() -> None:
    assert one_sentence("Câu một. Câu hai.") == "Câu một."
    long = "chữ " * 100
    assert one_sentence(long).endswith("…") and len(one_sentence(long)) <= 221


def test_an_operators_pin_leads_spotlight_but_never_on_its_own_page(db: Database) -> None:
    from diemtin.store.admin import pin

    s = Settings(database_url=db.url)
    with db.write() as conn:
        pin(conn, 20, "biên tập", NOW)
    with db.read() as conn:
        elsewhere = sidebars(conn, 1, now=NOW, settings=s, cache=SidebarCache())
        itself = sidebars(conn, 20, now=NOW, settings=s, cache=SidebarCache())
    assert ids_of(elsewhere.spotlight)[0] == 20
    assert len(elsewhere.spotlight) <= s.sidebar_spotlight
    assert 20 not in ids_of(itself.spotlight)
