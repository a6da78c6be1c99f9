"""The full-page cache and static assets: ETag/304, compression, invalidation, hashed names."""

from __future__ import annotations

import gzip
from pathlib import Path

import pytest
from lxml import html
from starlette.testclient import TestClient

from diemtin.web.app import create_app
from diemtin.web.assets import IMMUTABLE
from tests.unit.web.portal import NOW, Portal, build


class Timer:
    def __init__(self) -> None:
        self.now = 1000.0

    def __call__(self) -> float:
        return self.now


@pytest.fixture
def portal(tmp_path: Path) -> Portal:
    return build(tmp_path)


def make(portal: Portal, timer: Timer) -> TestClient:
    return TestClient(create_app(portal.db, portal.settings, clock=lambda: NOW, timer=timer))


def test_pages_carry_etag_cache_control_and_answer_304(portal: Portal) -> None:
    client = make(portal, Timer())
    path = f"/a/{portal.ids[0]}"
    first = client.get(path, headers={"Accept-Encoding": "identity"})
    assert first.headers["cache-control"] == "public, max-age=60, stale-while-revalidate=300"
    assert "x-page-cache" not in first.headers and "set-cookie" not in first.headers
    etag = first.headers["etag"]
    again = client.get(path, headers={"If-None-Match": etag, "Accept-Encoding": "identity"})
    assert again.status_code == 304 and again.content == b"" and again.headers["etag"] == etag
    other = client.get(path, headers={"If-None-Match": '"nope"', "Accept-Encoding": "identity"})
    assert other.status_code == 200 and other.content == first.content
    assert "max-age=15" in client.get("/").headers["cache-control"]


def test_gzip_bodies_are_the_same_page(portal: Portal) -> None:
    client = make(portal, Timer())
    plain = client.get("/", headers={"Accept-Encoding": "identity"})
    zipped = client.get("/", headers={"Accept-Encoding": "gzip"}, follow_redirects=False)
    assert zipped.headers["content-encoding"] == "gzip"
    assert zipped.headers["vary"] == "Accept-Encoding"
    assert zipped.headers["etag"] != plain.headers["etag"]
    raw = zipped.read()  # httpx has already decoded it
    assert raw == plain.content and len(gzip.compress(raw)) < len(raw)


def test_a_new_article_invalidates_cached_pages(portal: Portal) -> None:
    timer = Timer()
    client = make(portal, timer)
    before = client.get("/c/the-gioi")
    added = portal.add(300, category="Thế giới")
    portal.sql("UPDATE articles SET published_at = :t WHERE id = :id", t=NOW - 1, id=added)
    assert client.get("/c/the-gioi").headers["etag"] == before.headers["etag"]  # within 1 s
    timer.now += 1.5
    after = client.get("/c/the-gioi")
    assert after.headers["etag"] != before.headers["etag"]
    assert "Tin số 300" in after.text
    home = client.get("/").text
    assert "Tin số 300" in home


def test_removal_turns_a_cached_page_into_410(portal: Portal) -> None:
    timer = Timer()
    client = make(portal, timer)
    path = f"/a/{portal.ids[5]}"
    assert client.get(path).status_code == 200
    portal.sql("UPDATE articles SET status = 'removed' WHERE id = :id", id=portal.ids[5])
    timer.now += 1.5
    assert client.get(path).status_code == 410


def test_cached_pages_expire_so_sidebars_reflect_now(portal: Portal) -> None:
    timer = Timer()
    clock = [float(NOW)]
    client = TestClient(create_app(portal.db, portal.settings, clock=lambda: clock[0], timer=timer))
    path = f"/a/{portal.ids[0]}"
    first = client.get(path).text
    clock[0] += 30 * 86400  # a month later nothing is hot any more
    assert client.get(path).text == first
    timer.now += portal.settings.page_cache_seconds + 0.1
    assert client.get(path).text != first


def test_cache_can_be_switched_off(tmp_path: Path) -> None:
    portal = build(tmp_path, page_cache_mb=0)
    client = make(portal, Timer())
    response = client.get("/")
    assert response.status_code == 200 and "x-page-cache" not in response.headers


def test_static_assets_have_hashed_immutable_names(portal: Portal) -> None:
    client = make(portal, Timer())
    page = html.fromstring(client.get("/").text)
    css_url = page.cssselect("link[rel=stylesheet]")[0].get("href")
    assert css_url.startswith("/static/site.") and css_url.count(".") == 2
    css = client.get(css_url)
    assert css.headers["cache-control"] == IMMUTABLE
    assert css.headers["content-type"].startswith("text/css")
    font_urls = [part.split(")")[0] for part in css.text.split("url(")[1:]]
    assert font_urls and all(u.startswith("/static/fonts/Noto") for u in font_urls)
    font = client.get(font_urls[0])
    assert font.headers["cache-control"] == IMMUTABLE
    assert font.headers["content-type"] == "font/woff2" and font.content[:4] == b"wOF2"
    assert client.get("/static/site.css").headers["cache-control"] != IMMUTABLE
    assert client.get("/static/nope.css").status_code == 404
    assert client.get("/static/fonts/OFL.txt").status_code == 200
