"""Feed dates: every result is aware; no zone means Vietnam time."""

from __future__ import annotations

import time
from datetime import UTC, datetime, timedelta, timezone

import pytest

from diemtin.feeds.dates import VN_TZ, parse_date

VN = timezone(timedelta(hours=7))
JST = timezone(timedelta(hours=9))


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("Wed, 22 Oct 2025 10:30:00 +0700", datetime(2025, 10, 22, 10, 30, tzinfo=VN)),
        ("Wed, 22 Oct 2025 03:30:00 GMT", datetime(2025, 10, 22, 3, 30, tzinfo=UTC)),
        ("Wed, 22 Oct 2025 10:30:00 GMT+7", datetime(2025, 10, 22, 10, 30, tzinfo=VN)),
        ("Wed, 22 Oct 2025 12:30:00 GMT+09:00", datetime(2025, 10, 22, 12, 30, tzinfo=JST)),
        ("Wed, 22 Oct 2025 10:30:00", datetime(2025, 10, 22, 10, 30, tzinfo=VN_TZ)),
        ("Wed, 22 Oct 2025 03:30:00 -0000", datetime(2025, 10, 22, 3, 30, tzinfo=UTC)),
        ("2025-10-22T10:30:00+07:00", datetime(2025, 10, 22, 10, 30, tzinfo=VN)),
        ("2025-10-22T03:30:00Z", datetime(2025, 10, 22, 3, 30, tzinfo=UTC)),
        ("2025-10-22 10:30:00", datetime(2025, 10, 22, 10, 30, tzinfo=VN_TZ)),
        ("2025-10-22", datetime(2025, 10, 22, tzinfo=VN_TZ)),
        ("22/10/2025 10:30", datetime(2025, 10, 22, 10, 30, tzinfo=VN_TZ)),
        ("Thứ tư, 22/10/2025, 10:30 (GMT+7)", datetime(2025, 10, 22, 10, 30, tzinfo=VN)),
        ("10:30:05 22/10/2025", datetime(2025, 10, 22, 10, 30, 5, tzinfo=VN_TZ)),
    ],
)
def test_parse_date(raw: str, expected: datetime) -> None:
    parsed = parse_date(raw)
    assert parsed is not None and parsed.tzinfo is not None
    assert parsed == expected
    assert parsed.utcoffset() == expected.utcoffset()


@pytest.mark.parametrize("raw", [None, "", "   ", "hôm qua", "32/13/2025 99:99", "1900-01-01"])
def test_unparseable_is_none(raw: str | None) -> None:
    assert parse_date(raw) is None


def test_feedparser_struct_is_the_fallback() -> None:
    struct = time.strptime("2025-10-22 03:30:00", "%Y-%m-%d %H:%M:%S")
    assert parse_date("22 tháng 10", struct) == datetime(2025, 10, 22, 3, 30, tzinfo=UTC)
