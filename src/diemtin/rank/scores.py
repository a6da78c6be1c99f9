"""The signals every block weighs: decayed views, views in a window, votes."""

from __future__ import annotations

import math
from collections.abc import Iterable, Mapping

from diemtin.rank.model import HOUR, Candidate
from diemtin.settings import Settings


def decay(age_seconds: float, half_life_hours: float) -> float:
    """1 now, 1/2 after one half-life; a future time counts as now."""
    return float(0.5 ** (max(0.0, age_seconds) / (half_life_hours * HOUR)))


class BucketWeights(dict[int, float]):
    """Each hour bucket's decay at ``now``, worked out on first use: a pool's candidates
    share a few dozen hours, so thousands of them need only that many powers."""

    def __init__(self, now: int, half_life_hours: float) -> None:
        super().__init__()
        self.now, self.half_life_hours = now, half_life_hours

    def __missing__(self, bucket: int) -> float:
        weight = self[bucket] = decay(self.now - (bucket + HOUR // 2), self.half_life_hours)
        return weight


def decayed_views(
    c: Candidate, now: int, half_life_hours: float, weights: BucketWeights | None = None
) -> float:
    """Views weighted by how long ago they happened (the middle of each hour)."""
    w = weights
    if w is None or (w.now, w.half_life_hours) != (now, half_life_hours):
        w = BucketWeights(now, half_life_hours)
    return sum(n * w[bucket] for bucket, n in c.views.items() if bucket <= now)


def views_since(c: Candidate, since: int, now: int) -> int:
    return sum(n for bucket, n in c.views.items() if since <= bucket + HOUR and bucket <= now)


def vote_points(c: Candidate, settings: Settings) -> float:
    """Helpful votes as views; unhelpful ones take some away."""
    return c.helpful * settings.helpful_vote_weight - c.unhelpful * settings.unhelpful_vote_weight


def hot_score(
    c: Candidate, now: int, settings: Settings, weights: BucketWeights | None = None
) -> tuple[float, dict[str, float | int | str]]:
    half = settings.hot_half_life_hours
    views = decayed_views(c, now, half, weights)
    # votes carry no time of their own here: they fade with the article's age
    votes = vote_points(c, settings) * decay(now - c.published_at, half)
    score = max(0.0, views + votes)
    return score, {
        "decayed_views": round(views, 3),
        "vote_points": round(votes, 3),
        "helpful": c.helpful,
        "unhelpful": c.unhelpful,
        "half_life_hours": half,
    }


HotScores = Mapping[int, tuple[float, dict[str, float | int | str]]]


def hot_scores(cands: Iterable[Candidate], now: int, settings: Settings) -> HotScores:
    """Every candidate's hot score at once: a cache computes them once for many pages."""
    weights = BucketWeights(now, settings.hot_half_life_hours)
    return {c.id: hot_score(c, now, settings, weights) for c in cands}


def known_hot(
    c: Candidate, now: int, settings: Settings, known: HotScores | None
) -> tuple[float, dict[str, float | int | str]]:
    found = known.get(c.id) if known is not None else None
    return found if found is not None else hot_score(c, now, settings)


def freshness(c: Candidate, now: int, half_life_hours: float) -> float:
    return decay(now - c.published_at, half_life_hours)


def engagement(c: Candidate, now: int, settings: Settings, known: HotScores | None = None) -> float:
    """A damped hot score: many reads help, but cannot bury everything new."""
    score, _ = known_hot(c, now, settings, known)
    return math.log1p(score)
