"""Each block's rule on hand-made candidates and a fixed clock."""

from __future__ import annotations

from dataclasses import replace

import pytest

from diemtin.rank import (
    Candidate,
    Reader,
    for_you,
    for_you_order,
    hot,
    hot_order,
    latest,
    spotlight,
    video_hot,
)
from diemtin.rank.scores import BucketWeights, decay, decayed_views, hot_score, hot_scores
from diemtin.settings import Settings

H = 3600
NOW = 1_760_000_400  # an hour's start
S = Settings(hot_per_source=2)


def c(i: int, age_h: float, views: dict[float, int] | None = None, **kw: object) -> Candidate:
    """Article ``i`` published ``age_h`` hours ago; views as {hours ago: count}."""
    buckets = {NOW - int(h * H): n for h, n in (views or {}).items()}
    return Candidate(i, NOW - int(age_h * H), views=buckets, **kw)  # type: ignore[arg-type]


def ids(ranked: list) -> list[int]:  # type: ignore[type-arg]
    return [r.id for r in ranked]


def test_decay_halves_each_half_life() -> None:
    assert decay(0, 6) == 1.0
    assert decay(6 * H, 6) == pytest.approx(0.5)
    assert decay(18 * H, 6) == pytest.approx(0.125)
    assert decay(-H, 6) == 1.0  # a clock skewed into the future counts as now


def test_shared_bucket_weights_change_no_score() -> None:
    items = [c(i, i, {h: 1 + (i * h) % 7 for h in range(i % 30)}, helpful=i % 3) for i in range(40)]
    kept = hot_scores(items, NOW, S)
    assert kept == {x.id: hot_score(x, NOW, S) for x in items}
    other = BucketWeights(NOW - H, S.hot_half_life_hours)  # another clock: not used for NOW
    assert decayed_views(items[9], NOW, 6, other) == decayed_views(items[9], NOW, 6)


def test_hot_prefers_recent_reads_over_more_older_ones() -> None:
    old_crowd = c(1, 30, {24: 100}, source_id=1)  # 100 reads a day ago: 100/16 now
    fresh = c(2, 2, {1: 10}, source_id=2)  # 10 reads in the last hour
    ranked = hot([old_crowd, fresh], exclude=None, now=NOW, settings=S)
    assert ids(ranked) == [2, 1]
    assert ranked[1].why["decayed_views"] == pytest.approx(100 * 0.5 ** (23.5 / 6), rel=1e-3)


def test_hot_keeps_its_window_and_excludes_the_article_and_the_future() -> None:
    items = [
        c(1, 100, {1: 50}),  # published before the 72 h window
        c(2, 5, {1: 5}),
        c(3, 4, {1: 9}),  # the article being read
        c(4, -1, {0: 9}),  # published after now (a clock replayed backwards)
        c(5, 3),  # never read
    ]
    assert ids(hot(items, exclude=3, now=NOW, settings=S)) == [2]


def test_helpful_votes_lift_an_article_and_unhelpful_ones_sink_it() -> None:
    base = [c(i, 2, {1: 10}, source_id=i) for i in (1, 2, 3)]
    base[1] = replace(base[1], helpful=3)
    base[2] = replace(base[2], unhelpful=3)
    assert ids(hot(base, exclude=None, now=NOW, settings=S)) == [2, 1, 3]


def test_hot_holds_one_item_per_story_and_caps_each_publisher() -> None:
    same_story = [c(i, 1, {0: 100 - i}, story_id=7, source_id=i) for i in (1, 2, 3)]
    one_paper = [c(10 + i, 1, {0: 50 - i}, source_id=99) for i in range(6)]
    others = [c(20 + i, 1, {0: 10 - i}, source_id=20 + i) for i in range(6)]
    ranked = hot(same_story + one_paper + others, exclude=None, now=NOW, settings=S)
    chosen = ids(ranked)
    assert len(chosen) == S.sidebar_hot
    assert chosen[0] == 1 and not {2, 3} & set(chosen)
    assert sum(1 for i in chosen if 10 <= i < 20) == S.hot_per_source


def test_a_lone_publisher_still_fills_hot() -> None:
    one_paper = [c(i, 1, {0: 50 - i}, source_id=1) for i in range(10)]
    assert len(hot(one_paper, exclude=None, now=NOW, settings=S)) == S.sidebar_hot


def test_spotlight_counts_reads_in_the_window_of_the_category_only() -> None:
    items = [
        c(1, 60, {50: 500, 30: 3}, category_id=1),  # its crowd left the 48 h window
        c(2, 20, {10: 5}, category_id=1),
        c(3, 20, {10: 90}, category_id=2),  # another category
        c(4, 5, {2: 1}, category_id=1, helpful=1),  # 1 read + a helpful vote worth 5
        c(5, 5, category_id=1),  # unread
    ]
    ranked = spotlight(items, category_id=1, exclude=None, now=NOW, settings=S)
    assert ids(ranked) == [4, 2, 1]
    assert ranked[1].why["views_in_window"] == 5 and ranked[2].why["views_in_window"] == 3


def test_latest_is_the_category_newest_first_up_to_now() -> None:
    items = [c(i, i, category_id=1 + i % 2) for i in range(-2, 40)]
    ranked = latest(items, category_id=2, exclude=3, now=NOW, settings=S)  # odd i; -1 is future
    assert ids(ranked) == [1, 5, 7, 9, 11, 13, 15, 17, 19, 21, 23, 25]


def test_for_you_mixes_other_categories_a_few_each() -> None:
    items = [c(i, i / 10, {0: 1}, category_id=i % 8) for i in range(1, 90)]
    ranked = for_you(items, category_id=0, exclude=None, now=NOW, settings=S)
    cats = [next(x.category_id for x in items if x.id == r.id) for r in ranked]
    assert len(cats) == S.sidebar_for_you
    assert 0 not in cats  # the article's own category is left to Tin mới nhất
    assert max(cats.count(k) for k in set(cats)) == S.for_you_per_category


def test_for_you_follows_the_reader_history() -> None:
    items = [c(i, 1 + i / 100, {0: 1}, category_id=i % 3) for i in range(1, 40)]
    plain = for_you(items, category_id=0, exclude=None, now=NOW, settings=S)
    reader = Reader(seen=frozenset({1, 4}), categories={1: 5})
    mine = for_you(items, category_id=0, exclude=None, now=NOW, settings=S, reader=reader)
    assert not {1, 4} & set(ids(mine))
    assert ids(mine) != ids(plain)
    assert mine[0].why["affinity"] == 2.0  # all of their history is in category 1


def test_hot_and_for_you_from_kept_orders_are_the_same_rankings() -> None:
    items = [
        c(i, 1.2 * i, {i % 5: 1 + i % 4}, category_id=i % 6, story_id=i // 9, source_id=i % 3)
        for i in range(80)
    ]  # ages up to 95 hours: some outside the hot window
    items.append(c(99, -1, {0: 50}, category_id=1))  # published after now: never shown
    published = {x.id: x.published_at for x in items}
    hottest = hot_order(items, now=NOW, settings=S)
    assert min(published[x[0].id] for x in hottest) < NOW - S.hot_window_hours * H  # kept all
    for exclude in (None, 3, 60, 99):
        fresh = hot(items, exclude=exclude, now=NOW, settings=S)
        assert hot(items, exclude=exclude, now=NOW, settings=S, order=hottest) == fresh
        assert fresh and exclude not in ids(fresh) and 99 not in ids(fresh)
        assert all(published[r.id] >= NOW - S.hot_window_hours * H for r in fresh)
    order = for_you_order(items, now=NOW, settings=S)
    for category, exclude in ((0, None), (1, 3), (5, 40)):
        fresh = for_you(items, category_id=category, exclude=exclude, now=NOW, settings=S)
        kept = for_you(
            items, category_id=category, exclude=exclude, now=NOW, settings=S, order=order
        )
        assert kept == fresh and exclude not in ids(kept) and 99 not in ids(kept)
    reader = Reader(seen=frozenset({1, 2}), categories={2: 3})  # a history: order does not fit
    mine = for_you(items, category_id=0, exclude=None, now=NOW, settings=S, reader=reader)
    assert (
        for_you(items, category_id=0, exclude=None, now=NOW, settings=S, reader=reader, order=order)
        == mine
    )


def test_for_you_fills_a_quiet_site_from_older_news() -> None:
    items = [c(i, 24 * 30 + i, category_id=1 + i % 3) for i in range(20)]
    assert len(for_you(items, category_id=9, exclude=None, now=NOW, settings=S)) == 10


def test_video_hot_is_the_hottest_recent_video() -> None:
    items = [
        c(1, 2, {1: 50}),  # no video
        c(2, 2, {1: 5}, has_video=True),
        c(3, 2, {1: 9}, has_video=True),
        c(4, 200, {1: 90}, has_video=True),  # too old
    ]
    best = video_hot(items, exclude=None, now=NOW, settings=S)
    assert best is not None and best.id == 3
    assert video_hot(items, exclude=3, now=NOW, settings=S).id == 2  # type: ignore[union-attr]
    assert video_hot(items[:1], exclude=None, now=NOW, settings=S) is None
