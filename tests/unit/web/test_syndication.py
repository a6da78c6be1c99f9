"""RSS, sitemaps, the Google News sitemap and robots.txt: every answer parsed as XML."""

from __future__ import annotations

import itertools
import time
from email.utils import parsedate_to_datetime
from pathlib import Path

import pytest
from lxml import etree
from sqlalchemy import text
from starlette.applications import Starlette
from starlette.testclient import TestClient

from diemtin.web.app import create_app
from diemtin.web.syndication import clean, rfc822, syndication_routes, w3c
from tests.support.newsroom import BASE, Newsroom, epoch, newsroom

NOW = epoch("2025-10-08 12:00")
SM = "{http://www.sitemaps.org/schemas/sitemap/0.9}"
NEWS = "{http://www.google.com/schemas/sitemap-news/0.9}"
IMAGE = "https://img.example.vn/anh.jpg?w=600&h=400"
MEDIA = "{http://search.yahoo.com/mrss/}content"
NASTY = "Giá vàng & USD <tăng> \x01vọt\x0b \ufffe"


@pytest.fixture
def room(database_url: str, tmp_path: Path) -> Newsroom:
    room = newsroom(database_url, tmp_path)
    room.set(3, title=NASTY)
    room.set(1, lead_image=IMAGE)
    room.set(2, lead_image="javascript:alert(1)")
    room.set(4, status="hidden")
    room.set(5, status="removed")
    return room


@pytest.fixture
def client(room: Newsroom) -> TestClient:
    return TestClient(create_app(room.db, room.settings, clock=lambda: NOW))


def xml(response: object) -> etree._Element:
    """The body parsed by a strict XML parser: raises on anything malformed."""
    assert response.status_code == 200, response.text  # type: ignore[attr-defined]
    return etree.fromstring(response.content, etree.XMLParser(recover=False))  # type: ignore[attr-defined]


def linked_ids(urls: list[str]) -> set[int]:
    return {int(u.rsplit("/", 1)[1]) for u in urls if "/a/" in u}


def test_site_feed_is_valid_rss_newest_first_without_hidden_articles(
    client: TestClient, room: Newsroom
) -> None:
    response = client.get("/rss.xml")
    assert response.headers["content-type"].startswith("application/rss+xml")
    root = xml(response)
    assert root.tag == "rss" and root.get("version") == "2.0"
    channel = root.find("channel")
    assert channel.findtext("title") == "Điểm tin"
    assert channel.findtext("link") == f"{BASE}/"
    assert channel.findtext("description")
    items = channel.findall("item")
    ids = linked_ids([i.findtext("link") for i in items])
    assert ids == {room.ids[i] for i in (0, 1, 2, 3, 6, 7)}
    dates = []
    for item in items:
        guid = item.find("guid")
        assert guid.get("isPermaLink") == "true" and guid.text == item.findtext("link")
        assert item.findtext("link").startswith(f"{BASE}/a/")
        when = parsedate_to_datetime(item.findtext("pubDate"))
        assert item.findtext("pubDate").endswith("+0700")
        dates.append(when)
    assert dates == sorted(dates, reverse=True)
    images = {i.findtext("link"): i.find(MEDIA) for i in items}
    assert images[f"{BASE}/a/{room.ids[1]}"].get("url") == IMAGE
    assert images[f"{BASE}/a/{room.ids[1]}"].get("medium") == "image"
    assert images[f"{BASE}/a/{room.ids[2]}"] is None  # only web images are offered
    titles = {i.findtext("link"): i.findtext("title") for i in items}
    # control characters dropped, the rest kept
    assert titles[f"{BASE}/a/{room.ids[3]}"] == "Giá vàng & USD <tăng> vọt "


def test_category_feed_holds_only_its_category(client: TestClient, room: Newsroom) -> None:
    channel = xml(client.get("/rss/the-gioi.xml")).find("channel")
    assert channel.findtext("title").startswith("Thế giới")
    assert channel.findtext("link") == f"{BASE}/c/the-gioi"
    assert channel.find("{http://www.w3.org/2005/Atom}link").get("href") == (
        f"{BASE}/rss/the-gioi.xml"
    )
    ids = linked_ids([i.findtext("link") for i in channel.findall("item")])
    assert ids == {room.ids[i] for i in (1, 3, 7)}  # 5 is removed
    assert all(i.findtext("category") == "Thế giới" for i in channel.findall("item"))


def test_unknown_category_feed_is_404(client: TestClient) -> None:
    for slug in ("khong-co", "a" * 300, "%3Cscript%3E", "%00", "the-gioi%00"):
        assert client.get(f"/rss/{slug}.xml").status_code == 404, slug


def test_merged_category_feed_moves_to_its_new_home(client: TestClient, room: Newsroom) -> None:
    with room.db.write() as conn:
        conn.execute(
            text(
                "UPDATE categories SET merged_into = (SELECT id FROM categories"
                " WHERE slug = 'the-gioi') WHERE slug = 'the-thao'"
            )
        )
    response = client.get("/rss/the-thao.xml", follow_redirects=False)
    assert response.status_code == 301
    assert response.headers["location"] == f"{BASE}/rss/the-gioi.xml"


def test_feeds_answer_conditional_requests(client: TestClient, room: Newsroom) -> None:
    # through the app (its page cache answers repeats) and bare, as without that cache
    bare = TestClient(Starlette(routes=syndication_routes(room.db, room.settings, lambda: NOW)))
    paths = ("/rss.xml", "/rss/the-thao.xml", "/sitemap.xml", "/sitemap-news.xml")
    for http, path in itertools.product((client, bare), paths):
        first = http.get(path)
        etag, modified = first.headers["etag"], first.headers["last-modified"]
        assert "max-age" in first.headers["cache-control"]
        assert "stale-while-revalidate" in first.headers["cache-control"]
        assert http.get(path, headers={"If-None-Match": etag}).status_code == 304
        assert http.get(path, headers={"If-Modified-Since": modified}).status_code == 304
        assert http.get(path, headers={"If-None-Match": '"other"'}).status_code == 200
        stale = "Mon, 01 Jan 2001 00:00:00 GMT"
        assert http.get(path, headers={"If-Modified-Since": stale}).status_code == 200
        assert http.get(path, headers={"If-Modified-Since": "not a date"}).status_code == 200


def test_feed_changes_its_etag_when_an_article_changes(room: Newsroom) -> None:
    now = [float(NOW)]
    client = TestClient(create_app(room.db, room.settings, clock=lambda: now[0]))
    before = client.get("/rss.xml")
    # as a re-fetch that found an edit does: fetched now, the newest fetch in the store
    room.set(7, title="Tin số 7 đã sửa", updated_at=NOW, fetched_at=int(time.time()) + 60)
    now[0] += 2  # past the page cache's look at the store
    after = client.get("/rss.xml", headers={"If-None-Match": before.headers["etag"]})
    assert after.status_code == 200 and after.headers["etag"] != before.headers["etag"]
    assert "Tin số 7 đã sửa" in after.text


def test_small_sitemap_lists_every_visible_article(client: TestClient, room: Newsroom) -> None:
    root = xml(client.get("/sitemap.xml"))
    assert root.tag == f"{SM}urlset"
    locs = [u.findtext(f"{SM}loc") for u in root.findall(f"{SM}url")]
    assert locs[:3] == [f"{BASE}/", f"{BASE}/c/the-gioi", f"{BASE}/c/the-thao"]
    assert linked_ids(locs) == {room.ids[i] for i in (0, 1, 2, 3, 6, 7)}
    assert len(locs) == len(set(locs)) == 9
    lastmods = [u.findtext(f"{SM}lastmod") for u in root.findall(f"{SM}url")]
    assert all(m.endswith("+07:00") for m in lastmods)


def test_large_sitemap_is_an_index_of_daily_sitemaps(room: Newsroom) -> None:
    for record in (0, 1, 2, 3):  # four articles on one day, more than one file holds
        room.set(record, published_at=epoch(f"2025-10-20 0{record}:30"))
    routes = syndication_routes(room.db, room.settings, lambda: NOW, sitemap_max=3)
    client = TestClient(Starlette(routes=routes))
    index = xml(client.get("/sitemap.xml"))
    assert index.tag == f"{SM}sitemapindex"
    locs = [s.findtext(f"{SM}loc") for s in index.findall(f"{SM}sitemap")]
    assert locs[:3] == [
        f"{BASE}/sitemaps/sections.xml",
        f"{BASE}/sitemaps/2025-10-20.xml",
        f"{BASE}/sitemaps/2025-10-20.xml?part=2",
    ]
    seen: list[str] = []
    for loc in locs:
        part = xml(client.get(loc.removeprefix(BASE)))
        seen += [u.findtext(f"{SM}loc") for u in part.findall(f"{SM}url")]
    assert len(seen) == len(set(seen)) == 9
    assert linked_ids(seen) == {room.ids[i] for i in (0, 1, 2, 3, 6, 7)}
    assert f"{BASE}/c/the-thao" in seen


BAD_SITEMAPS = (
    ("/sitemaps/2025-13-45.xml", 404),
    ("/sitemaps/yesterday.xml", 404),
    ("/sitemaps/1999-01-01.xml", 404),
    ("/sitemaps/2025-10-01.xml?part=abc", 400),
    ("/sitemaps/2025-10-01.xml?part=0", 400),
    ("/sitemaps/2025-10-01.xml?part=99999999999999999999", 400),
    ("/sitemaps/2025-10-01.xml?part=%C2%B2", 400),
    ("/sitemaps/%00.xml", 404),
    ("/sitemaps/2025-10-01.xml?part=2", 404),
    ("/sitemaps/2025-10-05.xml", 404),  # its only article was removed
)


def test_bad_sitemap_requests(client: TestClient) -> None:
    for path, status in BAD_SITEMAPS:
        assert client.get(path).status_code == status, path


def test_news_sitemap_holds_the_last_two_days(client: TestClient, room: Newsroom) -> None:
    root = xml(client.get("/sitemap-news.xml"))
    urls = root.findall(f"{SM}url")
    assert linked_ids([u.findtext(f"{SM}loc") for u in urls]) == {room.ids[6], room.ids[7]}
    for url in urls:
        news = url.find(f"{NEWS}news")
        assert news.findtext(f"{NEWS}publication/{NEWS}name") == "Điểm tin"
        assert news.findtext(f"{NEWS}publication/{NEWS}language") == "vi"
        assert news.findtext(f"{NEWS}publication_date").endswith("+07:00")
        assert news.findtext(f"{NEWS}title").startswith("Tin số")


def test_news_sitemap_leaves_out_the_future_and_hidden_articles(
    client: TestClient, room: Newsroom
) -> None:
    room.set(2, published_at=NOW + 86_400)
    room.set(6, status="hidden")
    root = xml(client.get("/sitemap-news.xml"))
    assert linked_ids([loc.text for loc in root.iter(f"{SM}loc")]) == {room.ids[7]}


def test_undated_articles_take_their_stored_time(client: TestClient, room: Newsroom) -> None:
    room.set(0, published_at=None, stored_at=epoch("2025-10-08 10:00"))
    items = xml(client.get("/rss.xml")).find("channel").findall("item")
    assert linked_ids([items[0].findtext("link")]) == {room.ids[0]}
    assert items[0].findtext("pubDate") == "Wed, 08 Oct 2025 10:00:00 +0700"
    assert linked_ids([items[1].findtext("link")]) == {room.ids[7]}
    day = xml(client.get("/sitemaps/2025-10-08.xml"))
    assert linked_ids([u.text for u in day.iter(f"{SM}loc")]) == {room.ids[0], room.ids[7]}
    news = xml(client.get("/sitemap-news.xml"))
    assert room.ids[0] in linked_ids([u.text for u in news.iter(f"{SM}loc")])


def test_robots_points_to_the_sitemaps(tmp_path: Path) -> None:
    room = newsroom(f"sqlite:///{tmp_path / 'robots.db'}", tmp_path, count=1)
    body = TestClient(create_app(room.db, room.settings)).get("/robots.txt").text
    assert f"Sitemap: {BASE}/sitemap.xml" in body
    assert f"Sitemap: {BASE}/sitemap-news.xml" in body
    assert body.startswith("User-agent: *")


def test_text_is_made_safe_for_xml() -> None:
    assert clean("a\x00b\x08c\tñ\nđ\r\x1f\ufffe\uffff\ud800") == "abc\tñ\nđ\r"
    assert clean(None) == ""
    assert clean("Tiếng Việt 😀") == "Tiếng Việt 😀"


def test_times_in_feed_formats() -> None:
    moment = epoch("2025-10-22 08:00")
    assert rfc822(moment) == "Wed, 22 Oct 2025 08:00:00 +0700"
    assert w3c(moment) == "2025-10-22T08:00:00+07:00"
