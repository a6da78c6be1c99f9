"""Publish and update times: declared metadata, then the visible date line, then htmldate.

A time the page gives without a zone is Vietnam time (or the caller's ``default_tz``).
"""

from __future__ import annotations

from datetime import datetime, tzinfo

from htmldate import find_date
from lxml.html import HtmlElement

from diemtin.extract.pagemeta import PageMeta
from diemtin.extract.scan import PageScan
from diemtin.extract.textutil import element_text
from diemtin.text.dates import VIETNAM, parse_datetime

__all__ = ["VIETNAM", "find_dates", "parse_datetime"]


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


def _first(candidates: list[str], tz: tzinfo) -> datetime | None:
    for candidate in candidates:
        if candidate and (parsed := parse_datetime(candidate, tz)) is not None:
            return parsed
    return None


def _time_elements(tree: HtmlElement) -> list[str]:
    found = tree.xpath("//time[@datetime][@itemprop='datePublished' or @pubdate]")
    return [str(t.get("datetime")) for t in found[:3]]


def _visible_date(scan: PageScan, tz: tzinfo) -> datetime | None:
    for element in scan.date_lines[:20]:
        text = element_text(element)
        if len(text) <= 80 and (parsed := parse_datetime(text, tz)) is not None:
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
