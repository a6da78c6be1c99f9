"""RSS, Atom and JSON Feed parsing of well-formed documents."""

from __future__ import annotations

import re
from collections.abc import Callable
from datetime import UTC, timedelta
from pathlib import Path

import pytest

from diemtin.feeds import parse_any, parse_feed
from diemtin.feeds.dates import VN_TZ
from diemtin.model import FeedKind

PLUS_7 = timedelta(hours=7)
VNEXPRESS = "https://vnexpress.net/rss/tin-moi-nhat.rss"


def _vnexpress_files(shared: Path) -> list[Path]:
    files = sorted((shared / "rss-xml").glob("*.rss.xml"))
    if len(files) != 5:
        pytest.skip("rss-xml: expected 5 VnExpress feeds")
    return files


def _items_with_link(raw: bytes) -> int:
    items = re.findall(rb"<item>.*?</item>", raw, re.S)
    return sum(1 for item in items if re.search(rb"<link>\s*https?://", item))


def test_real_vnexpress_feeds(shared_data: Path) -> None:
    for path in _vnexpress_files(shared_data):
        raw = path.read_bytes()
        assert raw.count(b"<item>") == 25
        feed = parse_feed(raw, VNEXPRESS)
        assert "VnExpress" in feed.title
        # one 2017 file carries an empty item (no title, no link): it is skipped
        assert len(feed.entries) == _items_with_link(raw) >= 24, path.name
        for entry in feed.entries:
            assert entry.title, entry
            assert entry.url.startswith(("http://", "https://"))
            assert re.search(r"-\d{7}\.html$", entry.url), entry.url
            assert entry.summary and "<" not in entry.summary and "&" not in entry.summary
            assert entry.summary == entry.summary.strip()
            assert entry.image and entry.image.startswith("http"), entry
            assert entry.published_at is not None
            assert entry.published_at.utcoffset() == PLUS_7
            assert entry.guid


def test_real_vnexpress_text_is_composed_vietnamese(shared_data: Path) -> None:
    import unicodedata

    feed = parse_feed(_vnexpress_files(shared_data)[0].read_bytes(), VNEXPRESS)
    text = " ".join(e.title + e.summary for e in feed.entries)
    assert unicodedata.is_normalized("NFC", text)
    assert re.search("[ạ-ỹđĐ]", text)


def test_tuoitre_style_rss(load: Callable[[str], bytes]) -> None:
    feed = parse_feed(load("tuoitre.rss"), "https://tuoitre.vn/rss/the-gioi.rss")
    assert feed.title == "Tuổi Trẻ Online - Thế giới"
    assert feed.link == "https://tuoitre.vn/the-gioi.htm"
    first, second, third = feed.entries
    # tracking parameters go, the article URL stays
    assert first.url == (
        "https://tuoitre.vn/hoi-nghi-khi-hau-khai-mac-voi-nhieu-cam-ket-moi-20251022103045123.htm"
    )
    assert first.guid == "20251022103045123"
    assert first.summary.startswith("Các nước tham dự")
    assert "khí thải & hỗ trợ" in first.summary
    assert first.image == "https://cdn.tuoitre.vn/thumb_w/480/2025/10/22/hoi-nghi-khi-hau.jpg"
    assert first.author == "Minh Anh"
    assert first.tags == ("Thế giới", "Khí hậu")
    assert first.published_at is not None
    assert first.published_at.utcoffset() == PLUS_7  # "GMT+7"
    assert first.published_at.hour == 10
    # paragraphs are kept apart, &nbsp; is a space
    assert second.summary == "Nhu cầu tăng cao ở châu Âu. Giá bình quân vượt mốc kỷ lục."
    assert second.image == "https://cdn.tuoitre.vn/2025/10/22/ca-phe.jpg"
    # a date without a zone is Vietnam time, not UTC
    assert second.published_at is not None
    assert second.published_at.tzinfo is VN_TZ
    assert second.published_at.utcoffset() == PLUS_7
    assert second.updated_at is None
    # a relative link is resolved against the feed URL
    assert third.url.startswith("https://tuoitre.vn/doi-tuyen-bong-da-nu-")
    assert third.image is None


def test_atom_feed(load: Callable[[str], bytes]) -> None:
    feed = parse_feed(
        load("atom.xml"),
        "https://baomau.example.vn/cong-nghe/atom.xml",
        content_type="application/atom+xml",
    )
    assert feed.title == "Báo Mẫu - Công nghệ"
    assert feed.link == "https://baomau.example.vn/cong-nghe/"
    first, second = feed.entries
    assert first.url == (
        "https://baomau.example.vn/cong-nghe/dien-thoai-gap-the-he-moi-ra-mat-123456.html"
    )
    assert first.title == "Điện thoại gập thế hệ mới ra mắt"  # type="html" stripped
    assert first.summary == "Màn hình lớn hơn, pin bền hơn và giá mềm hơn."
    assert first.author == "Trần Văn Bình"
    assert first.tags == ("Điện thoại", "Sản phẩm mới")
    assert first.image == "https://baomau.example.vn/anh/dien-thoai-gap.jpg"
    assert first.published_at is not None and first.published_at.utcoffset() == PLUS_7
    assert first.updated_at is not None and first.updated_at.utcoffset() == timedelta(0)
    assert first.guid == "tag:baomau.example.vn,2025:123456"
    # content only: summary and image come from it; relative img resolved
    assert second.summary == "Bệnh viện thử nghiệm phần mềm đọc ảnh X-quang."
    assert second.image == "https://baomau.example.vn/anh/x-quang.png"
    assert second.published_at is None
    assert second.updated_at is not None and second.updated_at.tzinfo is VN_TZ


def test_json_feed(load: Callable[[str], bytes]) -> None:
    url = "https://baomau.example.vn/du-lich/feed.json"
    feed = parse_feed(load("jsonfeed.json"), url, content_type="application/feed+json")
    assert feed.title == "Báo Mẫu - Du lịch"
    assert feed.link == "https://baomau.example.vn/du-lich/"
    assert len(feed.entries) == 2  # the item without a URL is skipped
    first, second = feed.entries
    assert first.url == (
        "https://baomau.example.vn/du-lich/mua-lua-chin-tren-ruong-bac-thang-2001.html"
    )
    assert first.guid == "du-lich-2001"
    assert first.summary == "Những thửa ruộng vàng óng thu hút du khách dịp cuối thu."
    assert first.image == "https://baomau.example.vn/anh/lua-chin.jpg"
    assert first.author == "Lê Thu Hà"
    assert first.tags == ("Du lịch", "Mùa thu")
    assert first.published_at is not None and first.published_at.utcoffset() == PLUS_7
    assert first.updated_at is not None and first.updated_at.tzinfo == UTC
    # JSON Feed 1.0 style: numeric id, single author, relative URL, HTML only
    assert second.guid == "2002"
    assert second.url == "https://baomau.example.vn/du-lich/am-thuc-pho-co-2002.html"
    assert second.author == "Phạm Quang"
    assert second.summary == "Bún chả, phở cuốn & chè."
    assert second.image == "https://baomau.example.vn/anh/pho-co.jpg"
    assert second.published_at is not None and second.published_at.tzinfo is VN_TZ


def test_json_feed_detected_without_content_type(load: Callable[[str], bytes]) -> None:
    feed = parse_feed(load("jsonfeed.json"), "https://baomau.example.vn/feed")
    assert len(feed.entries) == 2


def test_parse_any_dispatches_on_kind(load: Callable[[str], bytes]) -> None:
    rss = parse_any(load("tuoitre.rss"), "https://tuoitre.vn/rss/x.rss", FeedKind.RSS)
    assert len(rss.entries) == 3
    sitemap = parse_any(
        load("sitemap-index.xml"), "https://baomau.example.vn/s.xml", FeedKind.SITEMAP
    )
    assert sitemap.children
    section = parse_any(
        load("section.html"), "https://baomau.example.vn/the-gioi.html", FeedKind.SECTION
    )
    assert section.title == "Thế giới - Báo Mẫu"
    assert len(section.entries) == 5


def test_rss_091_with_external_doctype_parses_offline() -> None:
    # old RSS 0.91 names a DTD on netscape.com: it must never be fetched
    data = b"""<?xml version="1.0" encoding="ISO-8859-1"?>
<!DOCTYPE rss PUBLIC "-//Netscape Communications//DTD RSS 0.91//EN"
  "http://my.netscape.com/publish/formats/rss-0.91.dtd">
<rss version="0.91"><channel><title>Old</title><link>http://old.example.vn/</link>
<item><title>Caf\xe9</title><link>http://old.example.vn/tin-123456.html</link></item>
</channel></rss>"""
    feed = parse_feed(data, "http://old.example.vn/rss.xml")
    assert [e.title for e in feed.entries] == ["Café"]
