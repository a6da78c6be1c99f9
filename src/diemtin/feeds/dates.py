"""Feed dates to timezone-aware datetimes.

feedparser converts dates to UTC ``struct_time`` and thereby assumes UTC for
a date without a zone; Vietnamese feeds without a zone mean Vietnam time, so
the raw string is parsed here first and feedparser's result is the fallback.
"""

from __future__ import annotations

import calendar
import re
import time
from datetime import UTC, datetime
from email.utils import parsedate_to_datetime
from zoneinfo import ZoneInfo

VN_TZ = ZoneInfo("Asia/Ho_Chi_Minh")

# "GMT+7", "UTC+07:00" (seen in Vietnamese pages) into an RFC 822 offset
_GMT_OFFSET = re.compile(r"\(?\b(?:GMT|UTC)\s*([+-])(\d{1,2})(?::?(\d{2}))?\)?", re.I)
_MINUS_ZERO = re.compile(r"-0000\s*$")
# "22/10/2025 10:30", "22/10/2025, 10:30:05", "10:30 22/10/2025"
_DMY = r"(?P<d>\d{1,2})[/.-](?P<mo>\d{1,2})[/.-](?P<y>\d{4})"
_HMS = r"(?P<h>\d{1,2})[:hg](?P<mi>\d{2})(?::(?P<s>\d{2}))?"
_VN_DATE = (
    re.compile(_DMY + r"\D{0,4}?" + _HMS),
    re.compile(_HMS + r"\D{0,16}?" + _DMY),
    re.compile(_DMY),
)
_MIN_YEAR = 1990  # older "dates" are parse accidents, not news


def parse_date(raw: str | None, fallback: time.struct_time | None = None) -> datetime | None:
    """An aware datetime from a feed date string; zone-less means Vietnam time."""
    parsed = _parse_raw(raw.strip()) if raw else None
    if parsed is None and fallback is not None:
        parsed = datetime.fromtimestamp(calendar.timegm(fallback), tz=UTC)
    if parsed is None or parsed.year < _MIN_YEAR:
        return None
    return parsed


def _parse_raw(raw: str) -> datetime | None:
    if not raw:
        return None
    for parser in (_rfc822, _iso8601, _vietnamese):
        value = parser(raw)
        if value is not None:
            return value if value.tzinfo is not None else value.replace(tzinfo=VN_TZ)
    return None


def _rfc822(raw: str) -> datetime | None:
    text = _GMT_OFFSET.sub(_offset, raw)
    try:
        value = parsedate_to_datetime(text)
    except (TypeError, ValueError, IndexError):
        return None
    # "-0000" is UTC of unknown local zone (RFC 5322), not "no zone"
    if value.tzinfo is None and _MINUS_ZERO.search(text):
        return value.replace(tzinfo=UTC)
    return value


def _offset(match: re.Match[str]) -> str:
    sign, hours, minutes = match.group(1), int(match.group(2)), int(match.group(3) or 0)
    return f"{sign}{hours:02d}{minutes:02d}"


def _iso8601(raw: str) -> datetime | None:
    try:
        return datetime.fromisoformat(raw)
    except ValueError:
        return None


def _vietnamese(raw: str) -> datetime | None:
    offset = _GMT_OFFSET.search(raw)
    for pattern in _VN_DATE:
        match = pattern.search(raw)
        if match is None:
            continue
        try:
            value = _from_groups(match.groupdict())
        except ValueError:
            continue
        if offset is not None:
            zone = datetime.strptime(_offset(offset), "%z").tzinfo
            return value.replace(tzinfo=zone)
        return value
    return None


def _from_groups(g: dict[str, str | None]) -> datetime:
    def num(key: str) -> int:
        return int(g.get(key) or 0)

    return datetime(num("y"), num("mo"), num("d"), num("h"), num("mi"), num("s"))
