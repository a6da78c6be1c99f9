"""Feed dates to timezone-aware datetimes.

feedparser converts dates to UTC ``struct_time`` and thereby assumes UTC for
a date without a zone; Vietnamese feeds without a zone mean Vietnam time, so
the raw string is parsed here first and feedparser's result is the fallback.
"""

from __future__ import annotations

import calendar
import time
from datetime import UTC, datetime

from diemtin.text.dates import MIN_YEAR, VIETNAM, parse_datetime

VN_TZ = VIETNAM


def parse_date(raw: str | None, fallback: time.struct_time | None = None) -> datetime | None:
    """An aware datetime from a feed date string; zone-less means Vietnam time."""
    parsed = parse_datetime(raw) if raw else None
    if parsed is None and fallback is not None:
        parsed = datetime.fromtimestamp(calendar.timegm(fallback), tz=UTC)
        if parsed.year < MIN_YEAR:
            return None
    return parsed
