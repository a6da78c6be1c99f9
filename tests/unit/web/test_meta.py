"""Head tags of the pages: feeds, rel=canonical, OpenGraph, Twitter card and JSON-LD."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
from lxml import html
from starlette.testclient import TestClient

from diemtin.model import Block, BlockKind, Figure
from diemtin.store.codec import blocks_to_json
from diemtin.web.app import create_app
from tests.support.newsroom import BASE, Newsroom, newsroom

IMAGE = "https://img.example.vn/anh-dau.jpg"
ESCAPING = 'Nổ lớn </script><script>alert("x")</script> & <!-- ở "Hà Nội"'


@pytest.fixture
def room(tmp_path: Path) -> Newsroom:
    # templates only: the queries behind the page are tested on both engines elsewhere
    room = newsroom(f"sqlite:///{tmp_path / 'meta.db'}", tmp_path, count=4)
    room.set(1, lead_image=IMAGE, updated_at=1_760_000_000)
    room.set(2, title=ESCAPING)
    figure = Block(kind=BlockKind.FIGURE, figure=Figure(src="https://img.example.vn/h1.jpg"))
    paragraph = Block(kind=BlockKind.PARAGRAPH, text="Đoạn một.", html="Đoạn một.")
    room.set(3, body=blocks_to_json([paragraph, figure]), lead_image=None)
    return room


@pytest.fixture
def client(room: Newsroom) -> TestClient:
    return TestClient(create_app(room.db, room.settings))


def head_of(client: TestClient, path: str) -> Any:
    response = client.get(path)
    assert response.status_code == 200
    return html.fromstring(response.text).find("head")


def meta(head: Any, key: str) -> str | None:
    found = head.xpath(f'meta[@property="{key}" or @name="{key}"]/@content')
    assert len(found) <= 1, key
    return str(found[0]) if found else None


def json_ld(head: Any) -> dict[str, Any]:
    scripts = head.xpath('script[@type="application/ld+json"]')
    assert len(scripts) == 1
    data: dict[str, Any] = json.loads(scripts[0].text)
    return data


def test_article_head_has_canonical_opengraph_twitter_and_feeds(
    client: TestClient, room: Newsroom
) -> None:
    article_id = room.ids[1]
    head = head_of(client, f"/a/{article_id}")
    url = f"{BASE}/a/{article_id}"
    assert head.xpath('link[@rel="canonical"]/@href') == [url]
    assert meta(head, "og:type") == "article"
    assert meta(head, "og:url") == url
    assert meta(head, "og:title") == "Tin số 1: thành phố và mưa lớn"
    assert meta(head, "og:description") == "Tóm tắt bài 1 về giao thông."
    assert meta(head, "og:image") == IMAGE
    assert meta(head, "og:site_name") == "Điểm tin"
    assert meta(head, "twitter:card") == "summary_large_image"
    assert meta(head, "twitter:image") == IMAGE
    assert meta(head, "article:published_time") == "2025-10-02T08:01:00+07:00"
    assert meta(head, "article:section") == "Thế giới"
    feeds = head.xpath('link[@rel="alternate"][@type="application/rss+xml"]/@href')
    assert sorted(f.removeprefix(BASE) for f in feeds) == ["/rss.xml", "/rss/the-gioi.xml"]


def test_article_json_ld_is_a_news_article(client: TestClient, room: Newsroom) -> None:
    data = json_ld(head_of(client, f"/a/{room.ids[1]}"))
    assert data["@context"] == "https://schema.org" and data["@type"] == "NewsArticle"
    assert data["headline"] == "Tin số 1: thành phố và mưa lớn"
    assert data["image"] == [IMAGE]
    assert data["datePublished"] == "2025-10-02T08:01:00+07:00"
    assert data["dateModified"].endswith("+07:00") and data["dateModified"] != data["datePublished"]
    assert data["mainEntityOfPage"]["@id"] == f"{BASE}/a/{room.ids[1]}"
    assert data["isBasedOn"] == "https://example.vn/tin-tuc/bai-1.html"
    assert data["publisher"]["name"] == "Điểm tin"
    assert data["inLanguage"] == "vi"


def test_json_ld_cannot_break_out_of_its_script(client: TestClient, room: Newsroom) -> None:
    page = client.get(f"/a/{room.ids[2]}").text
    start = page.index('<script type="application/ld+json">')
    raw = page[start : page.index("</script>", start)]
    assert "<" not in raw.removeprefix('<script type="application/ld+json">')
    assert "\\u003c/script\\u003e" in raw and "\\u0026" in raw
    head = html.fromstring(page).find("head")
    assert json_ld(head)["headline"] == ESCAPING
    assert meta(head, "og:title") == ESCAPING
    # the only scripts in the head are data; nothing the title smuggled became script
    assert [s.get("type") for s in head.iter("script")] == ["application/ld+json"]


def test_first_figure_stands_in_for_a_missing_lead_image(
    client: TestClient, room: Newsroom
) -> None:
    head = head_of(client, f"/a/{room.ids[3]}")
    assert meta(head, "og:image") == "https://img.example.vn/h1.jpg"
    assert json_ld(head)["image"] == ["https://img.example.vn/h1.jpg"]


def test_article_without_image_gets_the_small_card(client: TestClient, room: Newsroom) -> None:
    head = head_of(client, f"/a/{room.ids[0]}")
    assert meta(head, "og:image") is None and "image" not in json_ld(head)
    assert meta(head, "twitter:card") == "summary"


def feeds_of(head: Any) -> list[str]:
    found = head.xpath('link[@rel="alternate"][@type="application/rss+xml"]/@href')
    return sorted(str(f).removeprefix(BASE) for f in found)


def test_home_announces_the_site_feed_and_is_its_own_canonical(client: TestClient) -> None:
    head = head_of(client, "/")
    assert feeds_of(head) == ["/rss.xml"]
    assert head.xpath('link[@rel="canonical"]/@href') == [f"{BASE}/"]
    assert meta(head, "og:type") == "website"
    assert not head.xpath('script[@type="application/ld+json"]')


def test_category_pages_announce_their_feed_and_canonical(client: TestClient) -> None:
    head = head_of(client, "/c/the-thao")
    assert feeds_of(head) == ["/rss.xml", "/rss/the-thao.xml"]
    assert head.xpath('link[@rel="canonical"]/@href') == [f"{BASE}/c/the-thao"]
    assert meta(head, "og:title") == "Thể thao"


def test_story_pages_are_their_own_canonical_and_error_pages_claim_none(
    client: TestClient, room: Newsroom
) -> None:
    story = room.story([0, 1])
    head = head_of(client, f"/s/{story}")
    assert head.xpath('link[@rel="canonical"]/@href') == [f"{BASE}/s/{story}"]
    missing = client.get("/a/999999")
    assert missing.status_code == 404
    assert not html.fromstring(missing.text).find("head").xpath('link[@rel="canonical"]')
