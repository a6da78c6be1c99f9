"""Tin đang nóng, Tiêu điểm, Tin mới nhất, Có thể bạn quan tâm and Video đang HOT.

Each takes every candidate the caller could find, the article being read and
``now``; the article itself is never returned, and the first (best) article of
a story stands for it, so one story never fills a block.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable, Iterable, Sequence

from diemtin.rank.model import HOUR, Candidate, Ranked, Reader
from diemtin.rank.scores import (
    HotScores,
    engagement,
    freshness,
    known_hot,
    views_since,
    vote_points,
)
from diemtin.settings import Settings

Why = dict[str, float | int | str]
Scored = tuple[Candidate, float, Why]


def _visible_now(cands: Iterable[Candidate], exclude: int | None, now: int) -> list[Candidate]:
    return [c for c in cands if c.id != exclude and c.published_at <= now]


def _sorted(scored: list[Scored]) -> list[Scored]:
    # ties go to the newer article, then the higher id, so the order is stable
    return sorted(scored, key=lambda s: (-s[1], -s[0].published_at, -s[0].id))


def diversify(
    scored: Iterable[Scored], n: int, group: Callable[[Candidate], object], cap: int
) -> list[Ranked]:
    """The best ``n`` with one item per story and at most ``cap`` per group.

    When the caps leave the block short, the best of what they held back fill it
    (a site with one publisher still shows its news), never a second story item.
    """
    stories: set[int] = set()
    groups: Counter[object] = Counter()
    chosen: list[Scored] = []
    held: list[Scored] = []
    for item in scored:
        c = item[0]
        if c.story_id is not None and c.story_id in stories:
            continue
        if groups[group(c)] >= cap:
            held.append(item)
            continue
        if c.story_id is not None:
            stories.add(c.story_id)
        groups[group(c)] += 1
        chosen.append(item)
        if len(chosen) == n:
            break
    for item in held:
        if len(chosen) >= n:
            break
        if item[0].story_id is None or item[0].story_id not in stories:
            if item[0].story_id is not None:
                stories.add(item[0].story_id)
            chosen.append(item)
    chosen = _sorted(chosen)
    return [
        Ranked(c.id, round(s, 6), {**why, "rank": i + 1}) for i, (c, s, why) in enumerate(chosen)
    ]


def hot(
    cands: Iterable[Candidate],
    *,
    exclude: int | None,
    now: int,
    settings: Settings,
    known: HotScores | None = None,
    order: Sequence[Scored] | None = None,
) -> list[Ranked]:
    """Site-wide: views with time decay plus votes, one per story, publishers capped.

    ``order`` is ``hot_order`` of the same candidates, computed once for many pages.
    """
    if order is None:
        order = hot_order(cands, now=now, settings=settings, known=known)
    since = now - int(settings.hot_window_hours * HOUR)
    kept = (s for s in order if s[0].id != exclude and since <= s[0].published_at <= now)
    return diversify(kept, settings.sidebar_hot, lambda c: c.source_id, settings.hot_per_source)


def hot_order(
    cands: Iterable[Candidate], *, now: int, settings: Settings, known: HotScores | None = None
) -> list[Scored]:
    """Every candidate with a hot score above 0, best first, whatever its age."""
    scored: list[Scored] = []
    for c in _visible_now(cands, None, now):
        score, why = known_hot(c, now, settings, known)
        if score > 0:
            scored.append((c, score, {"block": "hot", **why}))
    return _sorted(scored)


def spotlight(
    cands: Iterable[Candidate],
    *,
    category_id: int | None,
    exclude: int | None,
    now: int,
    settings: Settings,
) -> list[Ranked]:
    """The category's most read over the window (by reads, not by time); votes weigh in."""
    since = now - int(settings.spotlight_window_hours * HOUR)
    scored: list[Scored] = []
    for c in _visible_now(cands, exclude, now):
        if c.category_id != category_id or category_id is None:
            continue
        reads = views_since(c, since, now)
        score = reads + max(0.0, vote_points(c, settings))
        if score > 0:
            why: Why = {"block": "spotlight", "views_in_window": reads, "helpful": c.helpful}
            scored.append((c, score, {**why, "window_hours": settings.spotlight_window_hours}))
    return diversify(_sorted(scored), settings.sidebar_spotlight, lambda c: 0, 10**9)


def latest(
    cands: Iterable[Candidate],
    *,
    category_id: int | None,
    exclude: int | None,
    now: int,
    settings: Settings,
) -> list[Ranked]:
    """The category's newest, newest first (stories are not merged: this is a timeline)."""
    mine = [c for c in _visible_now(cands, exclude, now) if c.category_id == category_id]
    mine.sort(key=lambda c: (-c.published_at, -c.id))
    return [
        Ranked(c.id, float(c.published_at), {"block": "latest", "published_at": c.published_at})
        for c in mine[: settings.sidebar_latest]
    ]


def for_you(
    cands: Iterable[Candidate],
    *,
    category_id: int | None,
    exclude: int | None,
    now: int,
    settings: Settings,
    reader: Reader | None = None,
    known: HotScores | None = None,
    order: Sequence[Scored] | None = None,
) -> list[Ranked]:
    """Other categories, fresh and engaging, a few per category; the window's first.

    With a reader's history: what they read already is left out and the
    categories they read most weigh more, the article's own category included.
    ``order`` is ``for_you_order`` of the same candidates, computed once for many
    pages (used only for a reader without history, whom it fits).
    """
    reader = reader or Reader()
    if order is None or reader.seen or reader.categories:
        order = for_you_order(cands, now=now, settings=settings, reader=reader, known=known)
    # with a history, the article's own category competes too
    other = sum(reader.categories.values()) > 0
    kept = (
        item
        for item in order
        if item[0].id != exclude
        and item[0].published_at <= now
        and (other or item[0].category_id != category_id)
    )
    return diversify(
        kept, settings.sidebar_for_you, lambda c: c.category_id, settings.for_you_per_category
    )


def for_you_order(
    cands: Iterable[Candidate],
    *,
    now: int,
    settings: Settings,
    reader: Reader | None = None,
    known: HotScores | None = None,
) -> list[Scored]:
    """Every candidate the reader has not seen, scored for ``for_you``, best first."""
    since = now - int(settings.for_you_window_hours * HOUR)
    reader = reader or Reader()
    total = sum(reader.categories.values())
    scored: list[Scored] = []
    for c in _visible_now(cands, None, now):
        if c.id in reader.seen:
            continue
        fresh = freshness(c, now, settings.hot_half_life_hours)
        engaged = engagement(c, now, settings, known)
        affinity = 1.0 + reader.categories.get(c.category_id or 0, 0) / total if total else 1.0
        # the window's articles first; older ones only fill a quiet site's block
        score = fresh * (1.0 + engaged) * affinity + (1.0 if c.published_at >= since else 0.0)
        why: Why = {"block": "for_you", "freshness": round(fresh, 4)}
        why |= {"engagement": round(engaged, 4), "affinity": round(affinity, 4)}
        scored.append((c, score, why))
    return _sorted(scored)


def video_hot(
    cands: Iterable[Candidate],
    *,
    exclude: int | None,
    now: int,
    settings: Settings,
    known: HotScores | None = None,
) -> Ranked | None:
    """The hottest recent article with a video; the newest one when none was read yet."""
    since = now - int(settings.video_window_hours * HOUR)
    chosen: list[Scored] = []
    for c in _visible_now(cands, exclude, now):
        if c.has_video and c.published_at >= since:
            score, why = known_hot(c, now, settings, known)
            chosen.append((c, score, {"block": "video_hot", **why}))
    if not chosen:
        return None
    c, score, why = _sorted(chosen)[0]
    return Ranked(c.id, round(score, 6), why)


def pinned_first(pins: Sequence[int], ranked: list[Ranked], n: int, exclude: int) -> list[Ranked]:
    """An operator's pins (newest first) lead Tiêu điểm; the ranking fills the rest."""
    lead = [Ranked(p, float("inf"), {"pinned": 1}) for p in pins if p != exclude][:n]
    taken = {r.id for r in lead}
    return lead + [r for r in ranked if r.id not in taken][: n - len(lead)]
