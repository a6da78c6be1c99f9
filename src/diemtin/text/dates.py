"""Dates as Vietnamese pages and feeds write them, to timezone-aware datetimes.

ISO 8601, RFC 822 (with "GMT+7" spelled out) or a day-first line such as
"Thứ tư, 22/10/2025, 10:30 (GMT+7)". A time without a zone is Vietnam time,
or the caller's ``tz``.
"""

from __future__ import annotations

import re
from datetime import UTC, datetime, timedelta, timezone, tzinfo
from email.utils import parsedate_to_datetime
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError


def _vietnam() -> tzinfo:
    try:
        return ZoneInfo("Asia/Ho_Chi_Minh")
    except ZoneInfoNotFoundError:  # no tz database: Vietnam has kept +07:00 without DST since 1975
        return timezone(timedelta(hours=7), "ICT")


VIETNAM = _vietnam()

_GMT = re.compile(r"\(?\b(?:GMT|UTC)\s*([+-])\s*(\d{1,2})(?::?(\d{2}))?\)?", re.I)
_MINUS_ZERO = re.compile(r"-0000\s*$")
_DAY_FIRST = re.compile(r"\b(\d{1,2})[/.-](\d{1,2})[/.-](\d{4})\b")
_CLOCK = re.compile(r"\b(\d{1,2})\s*[:hg]\s*(\d{2})(?::(\d{2}))?\b")
MIN_YEAR, MAX_YEAR = 1990, 2100  # outside: parse accidents, not news


def parse_datetime(value: str, tz: tzinfo = VIETNAM) -> datetime | None:
    value = value.strip()
    if not value:
        return None
    parsed = _iso(value) or _rfc822(value) or _day_first(value, tz)
    if parsed is None or not MIN_YEAR <= parsed.year <= MAX_YEAR:
        return None
    return parsed if parsed.tzinfo is not None else parsed.replace(tzinfo=tz)


def _iso(value: str) -> datetime | None:
    try:
        return datetime.fromisoformat(value)
    except ValueError:
        return None


def _offset(match: re.Match[str]) -> str:
    sign, hours, minutes = match.group(1), int(match.group(2)), int(match.group(3) or 0)
    return f" {sign}{hours:02d}{minutes:02d}"


def _rfc822(value: str) -> datetime | None:
    if not value[:1].isalpha():
        return None
    text = _GMT.sub(_offset, value)
    try:
        parsed = parsedate_to_datetime(text)
    except (TypeError, ValueError, IndexError):
        return None
    # "-0000" is UTC of an unknown local zone (RFC 5322), not "no zone"
    if parsed.tzinfo is None and _MINUS_ZERO.search(text):
        return parsed.replace(tzinfo=UTC)
    return parsed


def _day_first(text: str, tz: tzinfo) -> datetime | None:
    """Day/month/year with an optional hh:mm[:ss] and "GMT+7" anywhere in the line."""
    date = _DAY_FIRST.search(text)
    if date is None:
        return None
    day, month, year = (int(g) for g in date.groups())
    rest = text[: date.start()] + " " + text[date.end() :]
    clock = _CLOCK.search(rest)
    hour, minute, second = (
        (int(clock[1]), int(clock[2]), int(clock[3] or 0)) if clock else (0, 0, 0)
    )
    zone = _GMT.search(text)
    if zone is not None:
        offset = timedelta(hours=int(zone[2]), minutes=int(zone[3] or 0))
        tz = timezone(offset if zone[1] == "+" else -offset)
    try:
        return datetime(year, month, day, hour, minute, second, tzinfo=tz)
    except ValueError:
        return None
