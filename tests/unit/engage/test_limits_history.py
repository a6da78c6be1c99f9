"""Rate limits per key per window, and the reader's history parameter."""

from __future__ import annotations

import pytest

from diemtin.engage import HistoryError, RateLimiter, parse_seen


def test_a_key_is_limited_within_its_window_and_free_in_the_next() -> None:
    limits = RateLimiter(3, window=3600)
    assert [limits.allow("a", 100) for _ in range(5)] == [True, True, True, False, False]
    assert limits.allow("b", 100)  # another key has its own count
    assert limits.allow("a", 3600)  # the next window


def test_a_flood_of_distinct_keys_shares_one_overflow_limit() -> None:
    limits = RateLimiter(2, window=60, max_keys=10)
    allowed = sum(limits.allow(f"k{i}", 0) for i in range(1000))
    assert allowed == 10 + 2


def test_bad_limits_are_refused() -> None:
    with pytest.raises(ValueError, match="window > 0"):
        RateLimiter(1, window=0)


def test_seen_ids_parse_in_order_without_repeats() -> None:
    assert parse_seen("12, 7,3,7") == [12, 7, 3]
    assert parse_seen(None) == [] and parse_seen("") == []
    assert parse_seen(",".join(str(i) for i in range(80)), limit=50) == list(range(50))


@pytest.mark.parametrize("raw", ["1,a", "1,,2", "-1", "1;2", "9" * 13, ",".join(["1"] * 700)])
def test_bad_history_is_a_clear_error(raw: str) -> None:
    with pytest.raises(HistoryError):
        parse_seen(raw)
