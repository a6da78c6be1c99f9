"""Replay real publish times (../shared/data/feed-items, the first 3,000 items: ten days of
August 2025) with simulated reading, and check each block's rule at several moments.

Reading is simulated with a fixed seed: each article has a popularity, and its
hourly views fall off with its age. The oracle scores below are computed here,
apart from diemtin.rank, from the rules the spec states.
"""

from __future__ import annotations

import gzip
import itertools
import json
import random
from collections import Counter
from datetime import datetime
from pathlib import Path

import pytest

from diemtin.rank import Candidate, Ranked, for_you, hot, latest, spotlight
from diemtin.settings import Settings

H = 3600
S = Settings(hot_per_source=3)  # seven publishers in the slice: three each holds strictly
ITEMS = 3000


@pytest.fixture(scope="module")
def replay(shared_data: Path) -> tuple[list[Candidate], list[int]]:
    path = shared_data / "feed-items" / "items.jsonl.gz"
    with gzip.open(path, "rt", encoding="utf-8") as lines:
        rows = [json.loads(line) for line in itertools.islice(lines, ITEMS)]
    sources = {s: n for n, s in enumerate(sorted({r["source"] for r in rows}))}
    categories = {c: n for n, c in enumerate(sorted({r["category"] for r in rows}))}
    rng = random.Random(2025)
    times = [int(datetime.fromisoformat(r["published"]).timestamp()) for r in rows]
    start, end = min(times), max(times)
    cands = []
    for n, (row, published) in enumerate(zip(rows, times, strict=True)):
        popularity = rng.paretovariate(1.5)
        views = {}
        for age in range(0, 72):  # reads over its first three days, fading
            bucket = (published // H + age) * H
            count = int(popularity * 20 * 0.8**age * rng.random())
            if count and bucket <= end:
                views[bucket] = count
        cands.append(
            Candidate(
                id=n + 1,
                published_at=published,
                category_id=categories[row["category"]],
                source_id=sources[row["source"]],
                story_id=(n // 2 + 1) if n % 10 < 2 else None,  # one pair in ten: a story
                views=views,
                helpful=rng.randint(0, 3) if n % 7 == 0 else 0,
            )
        )
    moments = [start + (end - start) * k // 5 for k in range(1, 5)]
    return cands, moments


def at(cands: list[Candidate], now: int) -> list[Candidate]:
    """What the store would answer at ``now``: no views from the future."""
    return [
        Candidate(
            c.id, c.published_at, c.category_id, c.source_id, c.story_id, c.has_video,
            {b: n for b, n in c.views.items() if b <= now}, c.helpful, c.unhelpful,
        )
        for c in cands
    ]  # fmt: skip


def oracle_hot(c: Candidate, now: int) -> float:
    half = S.hot_half_life_hours * H
    # each hour's views dated at its middle; the current hour's count in full
    views = sum(n * 0.5 ** (max(0, now - b - H / 2) / half) for b, n in c.views.items() if b <= now)
    votes = c.helpful * S.helpful_vote_weight * 0.5 ** ((now - c.published_at) / half)
    return max(0.0, views + votes)


def check_greedy(chosen: list[Ranked], pool: list[Candidate], score: dict[int, float]) -> None:
    """Nothing left out beats the last item chosen unless a rule kept it out."""
    by_id = {c.id: c for c in pool}
    picked = [by_id[r.id] for r in chosen]
    stories = {c.story_id for c in picked if c.story_id is not None}
    sources = Counter(c.source_id for c in picked)
    floor = min(score[c.id] for c in picked)
    for c in pool:
        if c.id in {p.id for p in picked} or score[c.id] <= floor + 1e-9:
            continue
        assert c.story_id in stories or sources[c.source_id] >= S.hot_per_source, c


def test_hot_follows_decayed_reads_one_per_story_publishers_capped(replay: tuple) -> None:  # type: ignore[type-arg]
    cands, moments = replay
    for now in moments:
        pool = at(cands, now)
        target = max((c for c in pool if c.published_at <= now), key=lambda c: c.published_at)
        ranked = hot(pool, exclude=target.id, now=now, settings=S)
        assert len(ranked) == S.sidebar_hot
        window = [c for c in pool if now - 72 * H <= c.published_at <= now and c.id != target.id]
        score = {c.id: oracle_hot(c, now) for c in window}
        for r in ranked:
            assert r.score == pytest.approx(score[r.id], rel=1e-4)
        assert [r.score for r in ranked] == sorted((r.score for r in ranked), reverse=True)
        check_greedy(ranked, window, score)
        chosen = [next(c for c in pool if c.id == r.id) for r in ranked]
        stories = [c.story_id for c in chosen if c.story_id is not None]
        assert len(stories) == len(set(stories))
        assert max(Counter(c.source_id for c in chosen).values()) <= S.hot_per_source
        assert target.id not in {r.id for r in ranked}


def test_decay_lets_fresh_reads_overtake_yesterdays_crowd(replay: tuple) -> None:  # type: ignore[type-arg]
    cands, moments = replay
    now = moments[-1]
    pool = at(cands, now)
    ranked = hot(pool, exclude=None, now=now, settings=S)
    raw = {c.id: sum(c.views.values()) for c in pool if now - 72 * H <= c.published_at <= now}
    most_read_ever = sorted(raw, key=lambda i: -raw[i])[:8]
    # the all-time most read of the window are not simply the hot list: age counts
    assert {r.id for r in ranked} != set(most_read_ever)
    newest_hot = max(next(c for c in pool if c.id == r.id).published_at for r in ranked)
    assert now - newest_hot < 12 * H


def test_spotlight_is_the_category_most_read_in_48_hours(replay: tuple) -> None:  # type: ignore[type-arg]
    cands, moments = replay
    for now in moments:
        pool = at(cands, now)
        for category in sorted({c.category_id for c in pool if c.category_id is not None}):
            target = next(c for c in pool if c.category_id == category and c.published_at <= now)
            ranked = spotlight(pool, category_id=category, exclude=target.id, now=now, settings=S)
            by_id = {c.id: c for c in pool}
            since = now - 48 * H
            reads = {
                c.id: sum(n for b, n in c.views.items() if since - H < b <= now)
                + c.helpful * S.helpful_vote_weight
                for c in pool
                if c.category_id == category and c.id != target.id and c.published_at <= now
            }
            assert all(by_id[r.id].category_id == category for r in ranked)
            assert [r.score for r in ranked] == sorted((r.score for r in ranked), reverse=True)
            for r in ranked:
                assert r.score == pytest.approx(reads[r.id])
            if len(ranked) == S.sidebar_spotlight:
                taken = {by_id[r.id].story_id for r in ranked} - {None}
                better = [i for i in reads if reads[i] > ranked[-1].score + 1e-9]
                assert all(
                    i in {r.id for r in ranked} or by_id[i].story_id in taken for i in better
                )
            assert target.id not in {r.id for r in ranked}


def test_latest_is_the_category_newest_never_the_future(replay: tuple) -> None:  # type: ignore[type-arg]
    cands, moments = replay
    for now in moments:
        target = next(c for c in cands if c.published_at <= now and c.category_id is not None)
        ranked = latest(
            cands, category_id=target.category_id, exclude=target.id, now=now, settings=S
        )
        expected = sorted(
            (
                c
                for c in cands
                if c.category_id == target.category_id
                and c.published_at <= now
                and c.id != target.id
            ),
            key=lambda c: (-c.published_at, -c.id),
        )[: S.sidebar_latest]
        assert [r.id for r in ranked] == [c.id for c in expected]


def test_for_you_spans_other_categories_diversified(replay: tuple) -> None:  # type: ignore[type-arg]
    cands, moments = replay
    for now in moments:
        pool = at(cands, now)
        by_id = {c.id: c for c in pool}
        target = max((c for c in pool if c.published_at <= now), key=lambda c: c.published_at)
        ranked = for_you(
            pool, category_id=target.category_id, exclude=target.id, now=now, settings=S
        )
        chosen = [by_id[r.id] for r in ranked]
        assert len(chosen) == S.sidebar_for_you
        assert target.category_id not in {c.category_id for c in chosen}
        assert all(now - 48 * H <= c.published_at <= now for c in chosen)
        stories = [c.story_id for c in chosen if c.story_id is not None]
        assert len(stories) == len(set(stories))
        assert len({c.category_id for c in chosen}) >= 3
