"""Reader signals in the store, on SQLite and PostgreSQL: hourly counters, daily marks,
one changeable vote per reader, and the reads the rankings need."""

from __future__ import annotations

from pathlib import Path

import pytest
from sqlalchemy import text

from diemtin.pipeline.importing import Importer
from diemtin.pipeline.setup import open_store
from diemtin.settings import Settings
from diemtin.store import driver, signals
from diemtin.store.db import Database
from diemtin.store.migrate import available, split_statements
from tests.support.archives import article_record, write_jsonl

T0 = 1_760_000_800  # an hour's start (1_760_000_400) plus 400 s


@pytest.fixture
def db(database_url: str, tmp_path: Path) -> Database:
    store = open_store(Settings(database_url=database_url, builtin_sources=False))
    records = [article_record(i, category="Thế giới" if i % 2 else "Thể thao") for i in range(6)]
    Importer(store, []).run(write_jsonl(tmp_path / "a.jsonl", records))
    return store


def _ids(db: Database) -> list[int]:
    with db.read() as conn:
        return [r[0] for r in conn.execute(text("SELECT id FROM articles ORDER BY id"))]


def test_views_land_in_hourly_buckets_once_per_mark(db: Database) -> None:
    a = _ids(db)[0]
    with db.write() as conn:
        assert signals.record_view(conn, a, marks=[1], day=5, now=T0)
        assert not signals.record_view(conn, a, marks=[1], day=5, now=T0 + 10)  # same reader
        assert signals.record_view(conn, a, marks=[2], day=5, now=T0 + 20)
        assert signals.record_view(conn, a, marks=[1], day=6, now=T0 + 3600)  # next day
        assert not signals.record_view(conn, a, marks=[3, 2], day=5, now=T0)  # one mark known
    with db.read() as conn:
        rows = conn.execute(
            text("SELECT bucket, views FROM view_counts WHERE article_id = :a ORDER BY bucket"),
            {"a": a},
        ).all()
        assert [tuple(r) for r in rows] == [(T0 - 400, 2), (T0 - 400 + 3600, 1)]
        assert signals.total_views(conn, a) == 3


def test_old_marks_are_pruned_but_counters_stay(db: Database) -> None:
    a = _ids(db)[0]
    with db.write() as conn:
        for day in (3, 4, 5):
            signals.record_view(conn, a, marks=[day], day=day, now=T0)
        assert signals.prune_marks(conn, 5) == 1  # day 3 goes; yesterday (4) stays
    with db.read() as conn:
        assert signals.total_views(conn, a) == 3


def test_free_slot_runs_out(db: Database) -> None:
    with db.write() as conn:
        taken = [signals.free_slot(conn, [10, 11], day=1) for _ in range(3)]
    assert taken == [True, True, False]


def test_one_vote_per_reader_and_it_can_change(db: Database) -> None:
    a = _ids(db)[1]
    with db.write() as conn:
        signals.cast_vote(conn, a, "reader-one", True, T0)
        signals.cast_vote(conn, a, "reader-one", True, T0 + 1)
        signals.cast_vote(conn, a, "reader-two", False, T0)
        first = signals.poll(conn, a, "reader-one")
        signals.cast_vote(conn, a, "reader-one", False, T0 + 2)
        changed = signals.poll(conn, a, "reader-one")
    assert (first.helpful, first.unhelpful, first.mine, first.share) == (1, 1, True, 0.5)
    assert (changed.helpful, changed.unhelpful, changed.mine) == (0, 2, False)
    with db.read() as conn:
        nobody = signals.poll(conn, _ids(db)[2], None)
    assert (nobody.share, nobody.mine) == (None, None)


def test_the_secret_is_made_once_and_kept(db: Database) -> None:
    with db.write() as conn:
        first = signals.ensure_secret(conn, "reader", "abc", T0)
        second = signals.ensure_secret(conn, "reader", "xyz", T0)
    assert first == second == "abc"


def test_candidates_carry_views_votes_and_video(db: Database) -> None:
    ids = _ids(db)
    with db.write() as conn:
        conn.execute(text("UPDATE articles SET published_at = :t"), {"t": T0 - 7200})
        conn.execute(
            text("UPDATE articles SET body = :b WHERE id = :a"),
            {"b": '[{"k":"video","s":"https://example.vn/v"}]', "a": ids[2]},
        )
        conn.execute(text("UPDATE articles SET status = 'hidden' WHERE id = :a"), {"a": ids[5]})
        signals.record_view(conn, ids[0], marks=[1], day=1, now=T0)
        signals.record_view(conn, ids[0], marks=[2], day=1, now=T0 - 3600)
        signals.cast_vote(conn, ids[1], "reader-one", True, T0)
    with db.read() as conn:
        found = {c.id: c for c in signals.candidates(conn, since=T0 - 86400, now=T0)}
        assert set(found) == set(ids[:5])  # the hidden one is left out
        assert found[ids[0]].views == {T0 - 400: 1, T0 - 400 - 3600: 1}
        assert (found[ids[1]].helpful, found[ids[1]].unhelpful) == (1, 0)
        assert found[ids[2]].has_video and not found[ids[0]].has_video
        category = found[ids[0]].category_id
        latest = signals.latest_in_category(conn, category, now=T0, limit=10)
        assert {c.category_id for c in latest} == {category}
        assert signals.categories_of(conn, ids[:4]) == {
            found[ids[0]].category_id: 2,
            found[ids[1]].category_id: 2,
        }
    with db.write() as conn:  # the video is edited out: the mark follows the body
        conn.execute(text("UPDATE articles SET body = '[]' WHERE id = :a"), {"a": ids[2]})
    with db.read() as conn:
        found = {c.id: c for c in signals.candidates(conn, since=T0 - 86400, now=T0)}
        assert not found[ids[2]].has_video


def test_the_video_migration_marks_stored_videos(db: Database) -> None:
    a = _ids(db)[0]
    video = '[{"k":"video","s":"https://example.vn/v"}]'
    with db.write() as conn:
        conn.execute(text("UPDATE articles SET body = :b WHERE id = :a"), {"b": video, "a": a})
        conn.execute(text("UPDATE articles SET has_video = :f"), {"f": False})  # as before 0010
        (migration,) = [m for m in available(db.dialect.name) if m.version == 10]
        backfill = [s for s in split_statements(migration.sql) if s.startswith("UPDATE")]
        assert len(backfill) == 1
        conn.exec_driver_sql(backfill[0])
        marked = conn.execute(text("SELECT id FROM articles WHERE has_video = :t"), {"t": True})
        assert [r[0] for r in marked] == [a]


def test_related_docs_hold_the_story_and_the_closest_in_time(db: Database) -> None:
    ids = _ids(db)
    with db.write() as conn:
        for n, a in enumerate(ids):
            conn.execute(
                text("UPDATE articles SET published_at = :t WHERE id = :a"),
                {"t": T0 + n * 86400 * 10, "a": a},
            )
        story = conn.execute(
            text("INSERT INTO stories (title, created_at) VALUES ('x', 0) RETURNING id")
        ).scalar_one()
        conn.execute(
            text("UPDATE articles SET story_id = :s WHERE id IN (:a, :b)"),
            {"s": story, "a": ids[0], "b": ids[5]},
        )
    with db.read() as conn:
        target, pool = signals.related_docs(conn, ids[0], window=86400 * 15, limit=10)
        assert target is not None and target.story_id == story
        assert {d.id for d in pool} == {ids[1], ids[5]}  # 10 days away, and the story
        assert signals.related_docs(conn, 10**9, window=1, limit=1) == (None, [])


def test_related_docs_take_the_closest_on_either_side(db: Database) -> None:
    ids = _ids(db)  # six articles
    offsets = [0, -300, 100, -50, 400, 200]  # seconds from the article being read (ids[0])
    with db.write() as conn:
        conn.execute(text("UPDATE articles SET story_id = NULL"))  # time alone decides
        for a, off in zip(ids, offsets, strict=True):
            conn.execute(
                text("UPDATE articles SET published_at = :t WHERE id = :a"), {"t": T0 + off, "a": a}
            )
    with db.read() as conn:
        _, pool = signals.related_docs(conn, ids[0], window=3600, limit=3)
        assert {d.id for d in pool} == {ids[3], ids[2], ids[5]}  # 50 s, 100 s, 200 s away
        _, pool = signals.related_docs(conn, ids[0], window=250, limit=10)
        assert {d.id for d in pool} == {ids[2], ids[3], ids[5]}  # 300 and 400 s: outside


def test_undated_related_docs_are_the_closest_by_id(db: Database) -> None:
    ids = _ids(db)
    with db.write() as conn:
        conn.execute(text("UPDATE articles SET published_at = NULL, story_id = NULL"))
        conn.execute(  # a dated article is never in an undated one's pool
            text("UPDATE articles SET published_at = :t WHERE id = :a"), {"t": T0, "a": ids[3]}
        )
    with db.read() as conn:
        _, pool = signals.related_docs(conn, ids[2], window=60, limit=3)
        assert {d.id for d in pool} == {ids[1], ids[4], ids[0]}


def test_a_statement_by_ids_reads_the_same_on_both_engines(db: Database) -> None:
    ids = _ids(db)
    titles = driver.ByIds("SELECT id FROM articles WHERE id IN :ids AND id <> :skip ORDER BY id")
    with db.read() as conn:
        assert [r[0] for r in titles.run(conn, ids[:3], skip=ids[1])] == [ids[0], ids[2]]
        assert titles.run(conn, [], skip=0).all() == []
    with pytest.raises(ValueError, match="IN :ids"):
        driver.ByIds("SELECT id FROM articles WHERE id = :ids")
