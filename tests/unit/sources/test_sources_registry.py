"""The shipped publisher registry, the operator's overrides and URL lookups."""

from __future__ import annotations

import re
import unicodedata
from pathlib import Path
from urllib.parse import urlsplit

import pytest

from diemtin.model import FeedKind, Publisher
from diemtin.sources import (
    RegistryError,
    category_for_url,
    load_categories,
    load_publishers,
    publisher_for_url,
)

REFERENCE_CATEGORIES = [
    "Thế giới", "Tin nổi bật", "Pháp luật", "Sức khỏe", "Netizen", "Lạ vui", "Sao việt",
    "Sao châu á", "Sao thể thao", "Phong cách sao", "Phim việt", "Phim châu á",
    "Hậu trường phim", "Nhạc việt",
]  # fmt: skip
NEWS_CATEGORIES = [
    "Thời sự", "Kinh doanh", "Giáo dục", "Thể thao", "Giải trí", "Công nghệ", "Đời sống",
    "Du lịch", "Khoa học", "Văn hóa", "Xe",
]  # fmt: skip


def _fold(name: str) -> str:
    ascii_name = unicodedata.normalize("NFD", name.replace("đ", "d").replace("Đ", "D"))
    ascii_name = ascii_name.encode("ascii", "ignore").decode().lower()
    return re.sub(r"[^a-z0-9]+", "-", ascii_name).strip("-")


# ---------------------------------------------------------------- shipped data


def test_categories_in_display_order() -> None:
    categories = load_categories()
    assert [c.name for c in categories] == REFERENCE_CATEGORIES + NEWS_CATEGORIES
    assert [c.position for c in categories] == list(range(1, len(categories) + 1))
    for category in categories:
        assert category.slug == _fold(category.name)
    assert {"the-gioi", "suc-khoe", "sao-chau-a"} <= {c.slug for c in categories}


def test_shipped_publishers_load() -> None:
    publishers = load_publishers()
    slugs = [p.slug for p in publishers]
    assert len(publishers) >= 12
    assert len(set(slugs)) == len(slugs)
    for expected in ("vnexpress", "tuoi-tre", "thanh-nien", "dan-tri", "vietnamnet", "znews"):
        assert expected in slugs
    categories = {c.slug for c in load_categories()}
    for publisher in publishers:
        assert publisher.feeds, publisher.slug
        assert sum(1 for f in publisher.feeds if f.category) >= 3, publisher.slug
        for feed in publisher.feeds:
            assert feed.category is None or feed.category in categories
            assert urlsplit(feed.url).scheme == "https"
            # every feed is on the publisher's own site
            assert publisher_for_url(publishers, feed.url) is publisher, feed.url
        for _, slug in publisher.sections:
            assert slug in categories


def test_shipped_urls_are_unique() -> None:
    urls = [f.url for p in load_publishers() for f in p.feeds]
    assert len(urls) == len(set(urls))


def test_vnexpress_entry() -> None:
    vnexpress = next(p for p in load_publishers() if p.slug == "vnexpress")
    feeds = {f.url: f.category for f in vnexpress.feeds}
    assert feeds["https://vnexpress.net/rss/tin-moi-nhat.rss"] is None
    assert feeds["https://vnexpress.net/rss/the-gioi.rss"] == "the-gioi"
    assert feeds["https://vnexpress.net/rss/so-hoa.rss"] == "cong-nghe"
    assert vnexpress.rules.sapo == "p.description"
    assert vnexpress.rules.body == "article.fck_detail"
    assert vnexpress.rules.author == 'p.author_mail strong, p.Normal[style*="right"] strong'


def test_znews_reads_section_pages() -> None:
    znews = next(p for p in load_publishers() if p.slug == "znews")
    kinds = {f.kind for f in znews.feeds}
    assert FeedKind.SECTION in kinds
    assert FeedKind.RSS not in kinds


# ---------------------------------------------------------------- lookups


@pytest.mark.parametrize(
    ("url", "slug"),
    [
        ("https://vnexpress.net/gia-vang-4954454.html", "vnexpress"),
        ("https://www.vnexpress.net/gia-vang-4954454.html", "vnexpress"),
        ("http://kinhdoanh.vnexpress.net/tin-tuc/a-3543419.html", "vnexpress"),
        ("https://vietnamplus.vn/a-post1.vnp", "vietnamplus"),
        ("https://www.vietnamplus.vn/a-post1.vnp", "vietnamplus"),
        ("https://DANTRI.com.vn/the-gioi/a-2025.htm", "dan-tri"),
        ("https://notvnexpress.net/a-4954454.html", None),
        ("https://example.com/", None),
        ("not a url", None),
    ],
)
def test_publisher_for_url(url: str, slug: str | None) -> None:
    found = publisher_for_url(load_publishers(), url)
    assert (found.slug if found else None) == slug


def test_publisher_for_url_prefers_the_most_specific_host() -> None:
    parent = Publisher(slug="vne", name="VnExpress", homepage="https://vnexpress.net/")
    child = Publisher(slug="ngoi-sao", name="Ngôi Sao", homepage="https://ngoisao.vnexpress.net/")
    found = publisher_for_url([parent, child], "https://ngoisao.vnexpress.net/a-1.html")
    assert found is child


@pytest.mark.parametrize(
    ("slug", "url", "category"),
    [
        ("dan-tri", "https://dantri.com.vn/the-gioi/a-20251022093000123.htm", "the-gioi"),
        ("dan-tri", "https://dantri.com.vn/xa-hoi/a-20251022093000123.htm", "thoi-su"),
        ("dan-tri", "https://dantri.com.vn/a-20251022093000123.htm", None),
        ("lao-dong", "https://laodong.vn/the-thao/a-1234567.ldo", "the-thao"),
        ("vnexpress", "https://kinhdoanh.vnexpress.net/tin-tuc/a-3543419.html", "kinh-doanh"),
        ("vnexpress", "http://vnexpress.net/tin-tuc/phap-luat/a-3543450.html", "phap-luat"),
        ("vnexpress", "https://vnexpress.net/a-4954454.html", None),
    ],
)
def test_category_for_url(slug: str, url: str, category: str | None) -> None:
    publisher = next(p for p in load_publishers() if p.slug == slug)
    assert category_for_url(publisher, url) == category


def test_category_for_url_longest_prefix_wins() -> None:
    publisher = Publisher(
        slug="bao",
        name="Báo",
        homepage="https://bao.example.vn/",
        sections=(("/giai-tri/", "giai-tri"), ("/giai-tri/phim/", "phim-viet")),
    )
    assert category_for_url(publisher, "https://bao.example.vn/giai-tri/phim/a-1.html") == (
        "phim-viet"
    )
    assert category_for_url(publisher, "https://bao.example.vn/giai-tri/nhac/a-1.html") == (
        "giai-tri"
    )


# ---------------------------------------------------------------- operator file


def _operator(tmp_path: Path, text: str) -> Path:
    path = tmp_path / "operator.toml"
    path.write_text(text, encoding="utf-8")
    return path


def test_operator_file_merges_over_shipped(tmp_path: Path) -> None:
    path = _operator(
        tmp_path,
        """
[[categories]]
slug = "bong-da"
name = "Bóng đá"

[[categories]]
slug = "xe"
name = "Xe cộ"

[[publishers]]
slug = "vnexpress"
feeds = [{ url = "https://vnexpress.net/rss/bong-da.rss", category = "bong-da" }]
[publishers.rules]
body = "div.fck_detail"

[[publishers]]
slug = "kenh14"
disabled = true

[[publishers]]
slug = "bao-dia-phuong"
name = "Báo Địa Phương"
homepage = "https://baodiaphuong.example.vn/"
feeds = [
  { url = "https://baodiaphuong.example.vn/sitemap-news.xml", kind = "sitemap" },
]
""",
    )
    publishers = {p.slug: p for p in load_publishers(path)}
    assert "kenh14" not in publishers
    vnexpress = publishers["vnexpress"]
    assert [f.url for f in vnexpress.feeds] == ["https://vnexpress.net/rss/bong-da.rss"]
    assert vnexpress.rules.body == "div.fck_detail"
    assert vnexpress.rules.sapo == "p.description"  # rules merge key by key
    assert vnexpress.sections  # untouched fields stay
    local = publishers["bao-dia-phuong"]
    assert local.feeds[0].kind is FeedKind.SITEMAP
    categories = load_categories(path)
    assert categories[-1].slug == "bong-da"
    assert next(c for c in categories if c.slug == "xe").name == "Xe cộ"


def test_builtin_registry_can_be_left_out(tmp_path: Path) -> None:
    assert load_publishers(builtin=False) == []
    path = _operator(
        tmp_path,
        """
[[publishers]]
slug = "bao-mau"
name = "Báo Mẫu"
homepage = "http://127.0.0.1:8080/"

[[publishers.feeds]]
url = "http://127.0.0.1:8080/rss/tin-moi-nhat.rss"
category = "the-gioi"
""",
    )
    (only,) = load_publishers(path, builtin=False)
    assert only.slug == "bao-mau"
    assert only.feeds[0].category == "the-gioi" and only.feeds[0].kind is FeedKind.RSS
    assert publisher_for_url([only], "http://127.0.0.1:8080/tin-tuc/bai-1.html") is only


PUBLISHER = """
[[publishers]]
slug = "bao-moi-tao"
name = "Báo Mới Tạo"
homepage = "https://baomoitao.example.vn/"
"""


@pytest.mark.parametrize(
    ("text", "message"),
    [
        (
            PUBLISHER
            + 'feeds = [{ url = "https://baomoitao.example.vn/rss", category = "bongda" }]',
            r"publisher 'bao-moi-tao': feed 'https://baomoitao.example.vn/rss': "
            r"unknown category 'bongda'",
        ),
        (
            PUBLISHER
            + 'feeds = [{ url = "https://baomoitao.example.vn/rss" }]\n'
            + PUBLISHER
            + 'feeds = [{ url = "https://baomoitao.example.vn/rss2" }]',
            r"publisher 'bao-moi-tao' is listed twice",
        ),
        (
            PUBLISHER + 'feeds = [{ url = "ftp://baomoitao.example.vn/rss" }]',
            r"'ftp://baomoitao.example.vn/rss' is not an http\(s\) URL",
        ),
        (
            PUBLISHER + 'feeds = [{ url = "/rss/home.rss" }]',
            r"'/rss/home.rss' is not an http\(s\) URL",
        ),
        (
            PUBLISHER.replace("https://baomoitao.example.vn/", "javascript:alert(1)")
            + 'feeds = [{ url = "https://baomoitao.example.vn/rss" }]',
            r"homepage: 'javascript:alert\(1\)' is not an http\(s\) URL",
        ),
        (PUBLISHER + "feeds = []", r"needs at least one feed"),
        (
            PUBLISHER + 'feed = [{ url = "https://baomoitao.example.vn/rss" }]',
            r"unknown field\(s\) feed",
        ),
        (
            PUBLISHER + 'feeds = [{ url = "https://baomoitao.example.vn/rss", kind = "atom" }]',
            r"kind 'atom' is not one of rss, sitemap, section",
        ),
        (
            PUBLISHER
            + 'feeds = [{ url = "https://baomoitao.example.vn/rss" }]\n'
            + '[publishers.rules]\nbody = "div[unclosed"',
            r"rules.body: invalid CSS selector",
        ),
        (
            PUBLISHER
            + 'feeds = [{ url = "https://baomoitao.example.vn/rss" }]\n'
            + '[publishers.sections]\n"/the-gioi/" = "quoc-te"',
            r"section '/the-gioi/': unknown category 'quoc-te'",
        ),
        (
            PUBLISHER
            + 'feeds = [{ url = "https://baomoitao.example.vn/rss" }, '
            + '{ url = "https://baomoitao.example.vn/rss" }]',
            r"feed 'https://baomoitao.example.vn/rss': listed twice",
        ),
        (
            PUBLISHER + 'feeds = [{ url = "https://vnexpress.net/rss/the-gioi.rss" }]',
            r"listed by both 'vnexpress' and 'bao-moi-tao'",
        ),
        (
            '[[publishers]]\nslug = "Báo Mới"\nname = "x"',
            r"publisher #1: slug 'Báo Mới' must be lowercase ASCII",
        ),
        ('[[publishers]]\nslug = "vnexpress"\ndisabled = "yes"', r"disabled must be true/false"),
        ("[[publishers]\nslug = 1", r"not valid TOML"),
        ('publishers = "all"', r"`publishers` must be an array of tables"),
        ('[[categories]]\nslug = "bong-da"\nname = ""', r"category 'bong-da': name must be"),
    ],
    ids=[
        "unknown-category",
        "duplicate-slug",
        "ftp-feed",
        "relative-feed",
        "javascript-homepage",
        "no-feeds",
        "typo-key",
        "bad-kind",
        "bad-selector",
        "bad-section-category",
        "feed-twice",
        "feed-of-another-publisher",
        "bad-slug",
        "disabled-not-bool",
        "bad-toml",
        "publishers-not-array",
        "empty-category-name",
    ],
)
def test_bad_operator_file(tmp_path: Path, text: str, message: str) -> None:
    path = _operator(tmp_path, text)
    with pytest.raises(RegistryError, match=message) as info:
        load_publishers(path)
    assert str(info.value).startswith(str(path)) or "listed by both" in str(info.value)


def test_missing_operator_file(tmp_path: Path) -> None:
    missing = tmp_path / "nope.toml"
    with pytest.raises(RegistryError, match=r"nope.toml: cannot read"):
        load_publishers(missing)
