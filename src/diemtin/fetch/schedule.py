"""Adaptive polling: when to look at a feed again. Pure; the caller owns the clock."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime, timedelta
from itertools import pairwise
from statistics import median

RECENT_ITEMS = 20  # gaps between this many newest items describe the current pace
MAX_ERROR_DOUBLINGS = 16  # 2**16 already dwarfs any sane max_interval


def next_check(
    now: datetime,
    recent_publish_times: Sequence[datetime],
    new_items: int,
    error_streak: int,
    min_interval: timedelta,
    max_interval: timedelta,
) -> datetime:
    """The time of the next check of a feed, within [min_interval, max_interval] of ``now``.

    - about twice per typical gap between recent items (half the median gap);
    - a feed that has gone quiet (no item for longer than its usual gap) is
      checked less often, in proportion to how long it has been quiet;
    - new items on this check halve the interval: the feed is active now;
    - each consecutive error doubles the interval, up to ``max_interval``.

    All datetimes must be timezone-aware.
    """
    if min_interval <= timedelta(0) or max_interval < min_interval:
        raise ValueError(f"bad interval bounds {min_interval} .. {max_interval}")
    interval = _pace(now, recent_publish_times, max_interval)
    if new_items > 0:
        interval /= 2
    interval = _clamp(interval, min_interval, max_interval)
    if error_streak > 0:
        interval = _clamp(
            interval * 2 ** min(error_streak, MAX_ERROR_DOUBLINGS), min_interval, max_interval
        )
    return now + interval


def _pace(now: datetime, times: Sequence[datetime], fallback: timedelta) -> timedelta:
    past = sorted(t for t in times if t <= now)[-RECENT_ITEMS:]  # future dates are noise
    if len(past) < 2:
        return fallback
    gaps = [(b - a).total_seconds() for a, b in pairwise(past)]
    typical = timedelta(seconds=median(gaps))
    quiet = now - past[-1]
    # Quiet for longer than usual (night, weekend): stretch towards the silence.
    return max(typical / 2, quiet / 4)


def _clamp(value: timedelta, low: timedelta, high: timedelta) -> timedelta:
    return max(low, min(value, high))
