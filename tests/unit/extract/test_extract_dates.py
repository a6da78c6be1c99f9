"""Publish and update times."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta, timezone

import pytest

from diemtin.extract import extract_article
from diemtin.extract.dates import VIETNAM, parse_datetime

ICT = timedelta(hours=7)


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("2025-10-22T19:25:52+07:00", datetime(2025, 10, 22, 19, 25, 52, tzinfo=timezone(ICT))),
        ("2025-10-22T12:25:52Z", datetime(2025, 10, 22, 19, 25, 52, tzinfo=timezone(ICT))),
        ("2025-10-22 19:25", datetime(2025, 10, 22, 19, 25, tzinfo=timezone(ICT))),
        ("Wed, 22 Oct 2025 12:25:52 GMT", datetime(2025, 10, 22, 19, 25, 52, tzinfo=timezone(ICT))),
        ("Thứ tư, 22/10/2025, 19:25 (GMT+7)", datetime(2025, 10, 22, 19, 25, tzinfo=timezone(ICT))),
        ("22-10-2025 - 19:25", datetime(2025, 10, 22, 19, 25, tzinfo=timezone(ICT))),
        ("19:25 22/10/2025", datetime(2025, 10, 22, 19, 25, tzinfo=timezone(ICT))),
    ],
)
def test_parse_datetime(value: str, expected: datetime) -> None:
    parsed = parse_datetime(value, VIETNAM)
    assert parsed == expected
    assert parsed is not None and parsed.utcoffset() is not None


@pytest.mark.parametrize("value", ["", "không phải ngày", "31/02/2025", "0001-01-01"])
def test_unparseable(value: str) -> None:
    assert parse_datetime(value, VIETNAM) is None


def page(head: str, body: str = "") -> str:
    text = (
        "<p>Đây là một đoạn văn đủ dài để được coi là nội dung chính"
        " của bài báo thử nghiệm này.</p>" * 3
    )
    article = f"<article><h1>Ngày giờ</h1>{body}{text}</article>"
    return f"<html><head><title>Ngày giờ</title>{head}</head><body>{article}</body></html>"


def test_naive_time_is_vietnam_time_and_updated_only_when_later() -> None:
    html = page(
        '<meta property="article:published_time" content="2026-01-05T08:00:00">'
        '<meta property="article:modified_time" content="2026-01-05T09:30:00">'
    )
    article = extract_article(html, "https://x.example/a")
    assert article.published_at == datetime(2026, 1, 5, 8, tzinfo=timezone(ICT))
    assert article.updated_at == datetime(2026, 1, 5, 9, 30, tzinfo=timezone(ICT))
    same = page(
        '<meta property="article:published_time" content="2026-01-05T08:00:00+07:00">'
        '<meta property="article:modified_time" content="2026-01-05T08:00:00+07:00">'
    )
    assert extract_article(same, "https://x.example/a").updated_at is None


def test_default_tz_is_the_callers() -> None:
    html = page('<meta property="article:published_time" content="2026-01-05T08:00:00">')
    article = extract_article(html, "https://x.example/a", default_tz=UTC)
    assert article.published_at == datetime(2026, 1, 5, 8, tzinfo=UTC)


def test_visible_date_line_when_no_metadata() -> None:
    html = page("", '<span class="date">Thứ hai, 5/1/2026, 08:15 (GMT+7)</span>')
    article = extract_article(html, "https://x.example/a")
    assert article.published_at == datetime(2026, 1, 5, 8, 15, tzinfo=timezone(ICT))
