"""Adaptive polling, against a fixed clock."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from diemtin.fetch.schedule import next_check

NOW = datetime(2024, 5, 6, 9, 0, tzinfo=UTC)
MIN = timedelta(minutes=5)
MAX = timedelta(hours=4)


def every(minutes: float, count: int = 10, last_ago: float = 0.0) -> list[datetime]:
    """``count`` publish times ``minutes`` apart, the newest ``last_ago`` minutes ago."""
    newest = NOW - timedelta(minutes=last_ago)
    return [newest - timedelta(minutes=minutes * i) for i in range(count)]


def interval(times: list[datetime], new: int = 0, errors: int = 0) -> timedelta:
    return next_check(NOW, times, new, errors, MIN, MAX) - NOW


def test_polls_twice_per_typical_gap() -> None:
    assert interval(every(40)) == timedelta(minutes=20)
    assert interval(every(60)) == timedelta(minutes=30)


def test_busy_feed_is_clamped_to_min() -> None:
    assert interval(every(2)) == MIN


def test_slow_feed_is_clamped_to_max() -> None:
    assert interval(every(24 * 60)) == MAX


def test_unknown_pace_polls_at_max() -> None:
    assert interval([]) == MAX
    assert interval([NOW - timedelta(minutes=3)]) == MAX


def test_new_items_shrink_interval() -> None:
    assert interval(every(40), new=3) == timedelta(minutes=10)
    assert interval(every(40), new=3) < interval(every(40), new=0)


def test_errors_back_off_exponentially_up_to_max() -> None:
    base = interval(every(40))
    assert interval(every(40), errors=1) == base * 2
    assert interval(every(40), errors=2) == base * 4
    assert interval(every(40), errors=3) == base * 8
    assert interval(every(40), errors=50) == MAX


def test_errors_back_off_from_min_for_busy_feed() -> None:
    assert interval(every(1), errors=1) == MIN * 2


def test_quiet_feed_stretches_interval() -> None:
    # usually every 10 minutes, but nothing for 4 hours (night): check hourly
    assert interval(every(10, last_ago=240)) == timedelta(hours=1)
    assert interval(every(10, last_ago=0)) == MIN


def test_gap_uses_median_not_mean() -> None:
    times = [*every(30, count=9), NOW - timedelta(days=30)]  # one outlier
    assert interval(times) == timedelta(minutes=15)


def test_future_dates_are_ignored() -> None:
    future = [NOW + timedelta(days=i) for i in range(1, 5)]
    assert interval([*every(40), *future]) == timedelta(minutes=20)


def test_order_of_times_does_not_matter() -> None:
    times = every(40)
    assert interval(list(reversed(times))) == interval(times)


def test_result_is_relative_to_now() -> None:
    later = NOW + timedelta(hours=1)
    times = [t + timedelta(hours=1) for t in every(40)]
    assert next_check(later, times, 0, 0, MIN, MAX) == later + timedelta(minutes=20)


def test_bad_bounds_rejected() -> None:
    with pytest.raises(ValueError):
        next_check(NOW, [], 0, 0, MAX, MIN)
    with pytest.raises(ValueError):
        next_check(NOW, [], 0, 0, timedelta(0), MAX)
