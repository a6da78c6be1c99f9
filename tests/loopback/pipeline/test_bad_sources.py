"""Every kind of bad source ends in a clear error recorded on it; the others go on.

One publisher on loopback serves a good feed beside feeds that drip, hang,
loop, explode when inflated, expand entities, are cut off or not feeds at all,
and a feed whose article page is broken. One crawl pass must store the good
articles, record each failure's kind on its own source, and lose nothing.
"""

from __future__ import annotations

import time
from pathlib import Path

import pytest
from sqlalchemy import text

from diemtin.fetch import Fetcher
from diemtin.pipeline.crawl import Crawler
from diemtin.pipeline.setup import open_store
from diemtin.store.sources import health, make_all_due
from tests.support.publisher import Publisher
from tests.support.site import loopback_settings, rss, serve_site

pytestmark = pytest.mark.loopback

BILLION_LAUGHS = (
    '<?xml version="1.0"?><!DOCTYPE lolz [<!ENTITY lol "lol">'
    '<!ENTITY lol2 "&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;">'
    '<!ENTITY lol3 "&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;">]>'
    "<rss><channel><title>&lol3;</title></channel></rss>"
)

# source slug -> the error kind its feed must leave in `sources list`
EXPECTED = {
    "drip": "timeout",
    "hang": "timeout",
    "loop": "too_many_redirects",
    "bomb": "too_large",
    "laughs": "entity_expansion",
    "cut": "malformed_feed",
    "notfeed": "malformed_feed",
    "gone": "http_status",
}


def _toml(feeds: dict[str, str], home: str) -> str:
    out = []
    for slug, url in feeds.items():
        out += [
            "[[publishers]]",
            f'slug = "{slug}"',
            f'name = "Nguồn {slug}"',
            f'homepage = "{home}"',
            f'feeds = [{{ url = "{url}" }}]',
            "",
        ]
    return "\n".join(out)


def test_each_bad_source_is_recorded_and_the_good_one_ingested(
    database_url: str, tmp_path: Path
) -> None:
    with Publisher() as pub:
        good = serve_site(pub, range(6))
        base = pub.url("").rstrip("/")
        # the good feed lists 0-3, the mislabelled one 4-5: each article has one owner
        pub.route(
            "/rss/tin-moi-nhat.rss",
            rss(base, range(4)).encode(),
            headers={"Content-Type": "application/rss+xml"},
        )
        pub.drip("/drip.rss", bytes_per_second=2, body=rss(base, range(4)).encode())
        pub.hang("/hang.rss")
        pub.redirect("/loop-a.rss", pub.url("/loop-b.rss"))
        pub.redirect("/loop-b.rss", pub.url("/loop-a.rss"))
        pub.gzip_bomb("/bomb.rss", 50_000_000)
        pub.route("/laughs.rss", BILLION_LAUGHS, headers={"Content-Type": "application/rss+xml"})
        pub.route("/cut.rss", rss(base, range(4))[:60], headers={"Content-Type": "text/xml"})
        pub.route("/notfeed.rss", b"\x89PNG\r\n\x1a\n" + bytes(range(256)) * 8)
        pub.route("/gone.rss", "Not here", status=404)
        # mislabelled: UTF-8 bytes declared as latin-1; the Vietnamese must come out right
        pub.route(
            "/charset.rss",
            rss(base, range(4, 6)).encode("utf-8"),
            headers={"Content-Type": "application/rss+xml; charset=iso-8859-1"},
        )
        feeds = {
            "good": good,
            "charset": pub.url("/charset.rss"),
            **{slug: pub.url(f"/{slug}.rss") for slug in EXPECTED},
        }
        feeds["loop"] = pub.url("/loop-a.rss")
        toml = tmp_path / "sources.toml"
        toml.write_text(_toml(feeds, base + "/"), encoding="utf-8")
        settings = loopback_settings(
            database_url, toml, fetch_per_host=8, fetch_timeout=3.0, fetch_max_bytes=2_000_000
        )
        db = open_store(settings)
        started = time.monotonic()
        with Fetcher(settings) as fetcher:
            report = Crawler(db, fetcher, settings).run_once()
        took = time.monotonic() - started
        with db.read() as conn:
            by_slug = {h.slug: h for h in health(conn)}
            titles = [r[0] for r in conn.execute(text("SELECT title FROM articles"))]

        assert report.feeds_checked == len(feeds)
        for slug, kind in EXPECTED.items():
            assert (slug, by_slug[slug].last_error_kind) == (slug, kind), by_slug[slug].last_error
            assert by_slug[slug].error_streak == 1 and by_slug[slug].last_error
        assert by_slug["good"].last_error is None and by_slug["good"].articles == 4
        assert by_slug["charset"].last_error is None and by_slug["charset"].articles == 2
        assert len(titles) == 6 and all(t.startswith("Tin số") for t in titles)
        # the slow sources were checked in parallel, each within its own deadline
        assert took < 3.0 * 3, took

        # A second pass keeps everything already stored, however the sources behave now.
        pub.route("/tin-tuc/bai-1.html", "<html><body>", headers={"Content-Type": "text/html"})
        with db.write() as conn:
            make_all_due(conn)
        with Fetcher(settings) as fetcher:
            Crawler(db, fetcher, settings).run_once()
        with db.read() as conn:
            assert conn.execute(text("SELECT COUNT(*) FROM articles")).scalar_one() == 6
            streaks = {h.slug: h.error_streak for h in health(conn)}
        assert all(streaks[slug] == 2 for slug in EXPECTED)
