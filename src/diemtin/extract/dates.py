"""Publish and update times: declared metadata, then the visible date line, then htmldate.

A time the page gives without a zone is Vietnam time (or the caller's ``default_tz``).
"""

from __future__ import annotations

import re
from datetime import datetime, timedelta, timezone, tzinfo
from email.utils import parsedate_to_datetime
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from htmldate import find_date
from lxml.html import HtmlElement

from diemtin.extract.pagemeta import PageMeta
from diemtin.extract.scan import PageScan
from diemtin.extract.textutil import element_text


def _vietnam() -> tzinfo:
    try:
        return ZoneInfo("Asia/Ho_Chi_Minh")
    except ZoneInfoNotFoundError:  # no tz database: Vietnam has kept +07:00 without DST since 1975
        return timezone(timedelta(hours=7), "ICT")


VIETNAM = _vietnam()

_PUBLISHED = (
    "article:published_time",
    "datepublished",
    "pubdate",
    "publishdate",
    "publish-date",
    "og:published_time",
    "published_time",
    "article.published",
    "parsely-pub-date",
    "sailthru.date",
    "dc.date.issued",
    "dcterms.created",
    "dc.date",
)
_UPDATED = (
    "article:modified_time",
    "datemodified",
    "lastmod",
    "og:updated_time",
    "modified_time",
    "article.updated",
    "dcterms.modified",
)
# "Thứ tư, 22/10/2025, 19:25 (GMT+7)", "22-10-2025 - 19:25", "19:25 22/10/2025"
_VI_DATE = re.compile(r"\b(\d{1,2})[/.-](\d{1,2})[/.-](\d{4})\b")
_VI_TIME = re.compile(r"\b(\d{1,2})\s*[:hg]\s*(\d{2})\b")
_GMT = re.compile(r"GMT\s*([+-])\s*(\d{1,2})(?::?(\d{2}))?", re.IGNORECASE)
_MIN_YEAR, _MAX_YEAR = 1990, 2100


def find_dates(
    tree: HtmlElement, meta: PageMeta, scan: PageScan, url: str, tz: tzinfo
) -> tuple[datetime | None, datetime | None]:
    """``(published_at, updated_at)``; ``updated_at`` only when it is later than publication."""
    published = _first(
        [*meta.all(*_PUBLISHED), meta.ld_text("datePublished"), *_time_elements(tree)], tz
    )
    if published is None:
        published = _visible_date(scan, tz) or _htmldate(tree, url, tz)
    updated = _first([*meta.all(*_UPDATED), meta.ld_text("dateModified")], tz)
    if updated is not None and (published is None or updated <= published):
        updated = None
    return published, updated


def parse_datetime(value: str, tz: tzinfo) -> datetime | None:
    """ISO 8601, RFC 2822 or "dd/mm/yyyy hh:mm"; a naive time is taken to be in ``tz``."""
    value = value.strip()
    if not value:
        return None
    parsed = _iso(value) or _rfc2822(value) or _day_first(value, tz)
    if parsed is None or not _MIN_YEAR <= parsed.year <= _MAX_YEAR:
        return None
    return parsed if parsed.tzinfo is not None else parsed.replace(tzinfo=tz)


def _first(candidates: list[str], tz: tzinfo) -> datetime | None:
    for candidate in candidates:
        if candidate and (parsed := parse_datetime(candidate, tz)) is not None:
            return parsed
    return None


def _time_elements(tree: HtmlElement) -> list[str]:
    found = tree.xpath("//time[@datetime][@itemprop='datePublished' or @pubdate]")
    return [str(t.get("datetime")) for t in found[:3]]


def _iso(value: str) -> datetime | None:
    try:
        return datetime.fromisoformat(value)
    except ValueError:
        return None


def _rfc2822(value: str) -> datetime | None:
    if not value[:1].isalpha():
        return None
    try:
        return parsedate_to_datetime(value)
    except (TypeError, ValueError, IndexError):
        return None


def _day_first(text: str, tz: tzinfo) -> datetime | None:
    """A Vietnamese date line: day/month/year, an optional hh:mm and "GMT+7" anywhere in it."""
    date = _VI_DATE.search(text)
    if date is None:
        return None
    day, month, year = (int(g) for g in date.groups())
    rest = text[: date.start()] + " " + text[date.end() :]
    clock = _VI_TIME.search(rest)
    hour, minute = (int(clock[1]), int(clock[2])) if clock else (0, 0)
    zone = _GMT.search(text)
    if zone is not None:
        offset = timedelta(hours=int(zone[2]), minutes=int(zone[3] or 0))
        tz = timezone(offset if zone[1] == "+" else -offset)
    try:
        return datetime(year, month, day, hour, minute, tzinfo=tz)
    except ValueError:
        return None


def _visible_date(scan: PageScan, tz: tzinfo) -> datetime | None:
    for element in scan.date_lines[:20]:
        text = element_text(element)
        if len(text) <= 80 and (parsed := _day_first(text, tz)) is not None:
            return parsed
    return None


def _htmldate(tree: HtmlElement, url: str, tz: tzinfo) -> datetime | None:
    try:
        found = find_date(
            tree,
            # no free-text search: it loads dateparser and costs more than all the rest
            extensive_search=False,
            original_date=True,
            outputformat="%Y-%m-%dT%H:%M:%S",
            url=url or None,
            deferred_url_extractor=True,
        )
    except (ValueError, TypeError, RecursionError):
        return None
    return parse_datetime(found, tz) if found else None
