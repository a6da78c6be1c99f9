"""Article and feed discovery on HTML section pages."""

from __future__ import annotations

from collections.abc import Callable

import pytest

from diemtin.feeds import discover_feeds, discover_links, is_article_url, parse_section

Load = Callable[[str], bytes]
SECTION = "https://baomau.example.vn/the-gioi.html"


def test_discover_links_on_section_page(load: Load) -> None:
    entries = discover_links(load("section.html"), SECTION)
    assert [(e.url, e.title) for e in entries] == [
        (
            "https://baomau.example.vn/the-gioi/bau-cu-som-o-chau-au-4954454.html",
            "Bầu cử sớm ở châu Âu",  # anchor text beats the image's alt
        ),
        (
            "https://baomau.example.vn/kinh-te/gia-vang-lap-dinh-20251022123456789.htm",
            "Giá vàng lập đỉnh",
        ),
        ("https://m.baomau.example.vn/post123456.html", "Bản tin buổi sáng"),
        ("https://baomau.example.vn/doi-song/le-hoi-mua-thu-1234567.ldo", "Lễ hội mùa thu"),
        (
            "https://baomau.example.vn/video/canh-dep-mien-nui-post7654321.vnp",
            "Cảnh đẹp miền núi",
        ),
    ]
    # the lazy-loaded thumbnail, not the data: placeholder
    assert entries[0].image == "https://cdn.baomau.example.vn/anh/bau-cu.jpg"


def test_discover_links_from_str_and_other_sites(load: Load) -> None:
    html = load("section.html").decode("utf-8")
    entries = discover_links(html, SECTION, same_site=False)
    urls = [e.url for e in entries]
    assert "https://baokhac.example.com/the-gioi/tin-ngoai-9999999.html" in urls
    assert len(urls) == 6


def test_base_href_is_respected() -> None:
    html = '<html><head><base href="https://cdn.baomau.example.vn/tin/"></head><body>'
    html += '<a href="bai-viet-123456.html">Bài viết</a></body></html>'
    (entry,) = discover_links(html, "https://baomau.example.vn/", same_site=True)
    assert entry.url == "https://cdn.baomau.example.vn/tin/bai-viet-123456.html"


def test_section_page_in_windows_1258() -> None:
    html = (
        '<html><head><meta http-equiv="Content-Type" content="text/html; charset=windows-1258">'
        '</head><body><a href="/tin-123456.html">Caf\xe9</a></body></html>'
    ).encode("cp1258")
    (entry,) = discover_links(html, "https://baomau.example.vn/")
    assert entry.title == "Café"


@pytest.mark.parametrize("html", ["", b"", "   ", b"\x00\x00"])
def test_empty_page_has_no_links(html: str | bytes) -> None:
    assert discover_links(html, SECTION) == []
    assert discover_feeds(html, SECTION) == []


def test_parse_section(load: Load) -> None:
    feed = parse_section(load("section.html"), SECTION)
    assert feed.title == "Thế giới - Báo Mẫu"
    assert feed.link == SECTION
    assert len(feed.entries) == 5


def test_discover_feeds(load: Load) -> None:
    assert discover_feeds(load("section.html"), SECTION) == [
        "https://baomau.example.vn/rss/the-gioi.rss",
        "https://baomau.example.vn/the-gioi/atom.xml",
        "https://baomau.example.vn/rss",
    ]


def test_discover_json_feed_link() -> None:
    html = (
        '<link rel="alternate" type="application/feed+json" href="/feed.json">'
        '<link rel="alternate" type="application/json" href="/du-lich/feed.json">'
        '<a href="https://baomau.example.vn/rss/home.rss">RSS</a>'
        '<a href="https://other.example.com/rss">RSS khác</a>'
    )
    assert discover_feeds(html, "https://baomau.example.vn/du-lich/") == [
        "https://baomau.example.vn/feed.json",
        "https://baomau.example.vn/du-lich/feed.json",
        "https://baomau.example.vn/rss/home.rss",
    ]


@pytest.mark.parametrize(
    "url",
    [
        "https://vnexpress.net/gia-vang-tang-4954454.html",
        "https://tuoitre.vn/gia-vang-tang-20251022123456789.htm",
        "https://dantri.com.vn/kinh-doanh/gia-vang-20251022093000123.htm",
        "https://znews.vn/gia-vang-post1592323.html",
        "https://www.sggp.org.vn/post123456.html",
        "https://vtcnews.vn/gia-vang-ar912345.html",
        "https://laodong.vn/kinh-doanh/gia-vang-1234567.ldo",
        "https://www.vietnamplus.vn/gia-vang-post1234567.vnp",
        "https://tienphong.vn/gia-vang-post1783456.tpo",
        "https://kenh14.vn/sao-viet-215251022123456789.chn",
    ],
)
def test_article_urls(url: str) -> None:
    assert is_article_url(url)


@pytest.mark.parametrize(
    "url",
    [
        "https://vnexpress.net/",
        "https://vnexpress.net/the-gioi",
        "https://tuoitre.vn/the-gioi.htm",
        "https://tuoitre.vn/the-gioi/trang-2.htm",
        "https://vnexpress.net/tag/gia-vang-12345.html",
        "https://dantri.com.vn/chu-de/gia-vang-123456.htm",
        "https://vnexpress.net/anh/logo-123456.png",
        "https://vnexpress.net/2025.html",
    ],
)
def test_not_article_urls(url: str) -> None:
    assert not is_article_url(url)
