"""Sitemaps: news sitemap, index, gzip, plain text, broken input."""

from __future__ import annotations

import gzip
from collections.abc import Callable
from datetime import timedelta

import pytest

from diemtin.feeds import FeedError, parse_sitemap
from diemtin.feeds.dates import VN_TZ

Load = Callable[[str], bytes]
SITEMAP = "https://baomau.example.vn/sitemap/news.xml"


def test_news_sitemap(load: Load) -> None:
    feed = parse_sitemap(load("news-sitemap.xml"), SITEMAP)
    assert feed.title == "Báo Mẫu"
    assert feed.link == SITEMAP
    assert feed.children == ()
    # the repeated URL and the javascript: one are dropped
    assert [e.url for e in feed.entries] == [
        "https://baomau.example.vn/thoi-su/cau-moi-thong-xe-post1592323.html",
        "https://baomau.example.vn/the-thao/doi-nha-thang-dam-post1592324.html",
    ]
    first, second = feed.entries
    assert first.title == "Cây cầu mới chính thức thông xe"
    assert first.image == "https://baomau.example.vn/anh/cau-moi.jpg"
    assert first.tags == ("giao thông", "hạ tầng", "cầu")
    assert first.published_at is not None
    assert first.published_at.utcoffset() == timedelta(hours=7)
    assert first.updated_at is not None and first.updated_at.hour == 11
    # a date-only publication date is midnight Vietnam time
    assert second.published_at is not None and second.published_at.tzinfo is VN_TZ
    assert second.image is None and second.updated_at is None


def test_sitemap_index_lists_children(load: Load) -> None:
    feed = parse_sitemap(load("sitemap-index.xml"), "https://baomau.example.vn/sitemap.xml")
    assert feed.entries == ()
    assert feed.children == (
        "https://baomau.example.vn/sitemap/news.xml",
        "https://baomau.example.vn/sitemap/2025-10.xml.gz",
    )


def test_gzipped_sitemap(load: Load) -> None:
    packed = gzip.compress(load("news-sitemap.xml"))
    feed = parse_sitemap(packed, SITEMAP + ".gz")
    assert len(feed.entries) == 2


def test_plain_urlset_without_namespace() -> None:
    data = (
        b"<urlset><url><loc> https://baomau.example.vn/a-123456.html </loc>"
        b"<lastmod>2025-10-01</lastmod></url>"
        b"<url><loc>/tuong-doi-234567.html</loc></url></urlset>"
    )
    feed = parse_sitemap(data, "https://baomau.example.vn/sitemap.xml")
    assert [e.url for e in feed.entries] == [
        "https://baomau.example.vn/a-123456.html",
        "https://baomau.example.vn/tuong-doi-234567.html",
    ]
    assert feed.entries[0].updated_at is not None


def test_text_sitemap() -> None:
    data = b"https://baomau.example.vn/a-123456.html\n\nhttps://baomau.example.vn/b-234567.html\n"
    feed = parse_sitemap(data, "https://baomau.example.vn/sitemap.txt")
    assert len(feed.entries) == 2


def test_truncated_sitemap_keeps_complete_records(load: Load) -> None:
    data = load("news-sitemap.xml")
    cut = data.index(b"doi-nha-thang-dam") + 5
    feed = parse_sitemap(data[:cut], SITEMAP)
    assert feed.entries[0].url.endswith("-post1592323.html")
    assert all("doi-nha" not in e.url or e.url.endswith(".html") for e in feed.entries)


def test_sitemap_declared_latin1_but_utf8() -> None:
    data = (
        '<?xml version="1.0" encoding="ISO-8859-1"?>'
        '<urlset xmlns:news="http://www.google.com/schemas/sitemap-news/0.9">'
        "<url><loc>https://baomau.example.vn/a-123456.html</loc>"
        "<news:news><news:title>Đường sắt tốc độ cao</news:title></news:news></url></urlset>"
    ).encode()
    feed = parse_sitemap(data, "https://baomau.example.vn/sitemap.xml")
    assert feed.entries[0].title == "Đường sắt tốc độ cao"


@pytest.mark.parametrize(
    "data",
    [
        b"",
        b"<rss version='2.0'><channel><title>x</title></channel></rss>",
        b"<html><body>not a sitemap</body></html>",
        b"nothing useful here",
        b"\x00\xff\x00\xfe",
    ],
    ids=["empty", "rss", "html", "text", "binary"],
)
def test_not_a_sitemap(data: bytes) -> None:
    with pytest.raises(FeedError) as info:
        parse_sitemap(data, "https://baomau.example.vn/sitemap.xml")
    assert info.value.kind == "malformed_feed"
