"""The one date parser that feeds and pages share."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta, timezone

import pytest

from diemtin.text.dates import VIETNAM, parse_datetime

PLUS7 = timezone(timedelta(hours=7))


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("2025-10-22T10:30:00+07:00", datetime(2025, 10, 22, 10, 30, tzinfo=PLUS7)),
        ("2025-10-22 10:30", datetime(2025, 10, 22, 10, 30, tzinfo=VIETNAM)),
        ("Wed, 22 Oct 2025 03:30:00 GMT", datetime(2025, 10, 22, 3, 30, tzinfo=UTC)),
        ("Wed, 22 Oct 2025 10:30:00 GMT+7", datetime(2025, 10, 22, 10, 30, tzinfo=PLUS7)),
        ("Thứ tư, 22/10/2025, 10:30 (GMT+7)", datetime(2025, 10, 22, 10, 30, tzinfo=PLUS7)),
        ("22/10/2025 10:30:05", datetime(2025, 10, 22, 10, 30, 5, tzinfo=VIETNAM)),
        ("10g30 ngày 22-10-2025", datetime(2025, 10, 22, 10, 30, tzinfo=VIETNAM)),
    ],
)
def test_formats_publishers_use(raw: str, expected: datetime) -> None:
    parsed = parse_datetime(raw)
    assert parsed == expected and parsed is not None and parsed.utcoffset() == expected.utcoffset()


@pytest.mark.parametrize(
    "raw",
    ["", "   ", "hôm qua", "31/02/2025", "01/01/1900", "9999-01-01", "\x00\xff", "1" * 10_000],
)
def test_nonsense_is_none_not_an_error(raw: str) -> None:
    assert parse_datetime(raw) is None
