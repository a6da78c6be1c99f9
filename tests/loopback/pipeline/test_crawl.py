"""`crawl` against a publisher on loopback: feed -> pages -> clean stored articles."""

from __future__ import annotations

from pathlib import Path

import pytest
from sqlalchemy import text

from diemtin.fetch import Fetcher
from diemtin.pipeline.crawl import Crawler, CrawlReport
from diemtin.pipeline.setup import open_store
from diemtin.settings import Settings
from diemtin.store import articles
from diemtin.store.db import Database
from diemtin.store.sources import health, make_all_due
from tests.support.publisher import Publisher
from tests.support.site import loopback_settings, rss, serve_site, sources_toml

pytestmark = pytest.mark.loopback


def _settings(database_url: str, tmp_path: Path, feed_url: str, homepage: str) -> Settings:
    toml = tmp_path / "sources.toml"
    toml.write_text(sources_toml(feed_url, homepage), encoding="utf-8")
    return loopback_settings(database_url, toml)


def _crawl(db: Database, settings: Settings) -> CrawlReport:
    with Fetcher(settings) as fetcher:
        return Crawler(db, fetcher, settings).run_once()


def test_crawl_once_stores_every_article_cleanly(database_url: str, tmp_path: Path) -> None:
    with Publisher() as pub:
        feed = serve_site(pub, range(12))
        settings = _settings(database_url, tmp_path, feed, pub.url("/"))
        db = open_store(settings)
        report = _crawl(db, settings)
        assert (report.feeds_checked, report.feeds_failed) == (1, 0), report.errors
        assert report.articles_new == 12, report.errors
        with db.read() as conn:
            rows = conn.execute(
                text(
                    "SELECT a.id, a.title, a.sapo, a.body_text, a.published_at, c.slug, a.author,"
                    " a.lead_image FROM articles a JOIN categories c ON c.id = a.category_id"
                    " ORDER BY a.id"
                )
            ).all()
            first = articles.load(conn, rows[0][0])
            images = conn.execute(text("SELECT caption, credit FROM article_images")).all()
        assert len(rows) == 12
        for _id, title, sapo, body, published, category, author, image in rows:
            assert title.startswith("Tin số") and sapo.startswith("Tóm tắt bài")
            assert sapo not in body  # the sapo is not repeated as the first paragraph
            assert "2+2" in body and "Sjögren" in body
            assert published is not None and category == "the-gioi"
            assert author == "Lê Phương" and image and image.endswith(".jpg")
        assert first is not None and len(first.figures) == 1
        assert all(credit == "Ảnh: Ngọc Thành" for _caption, credit in images)
        assert all(caption.startswith("Quang cảnh sự kiện") for caption, _ in images)

        # A second pass: the feed answers 304 or lists only known entries; nothing is added.
        with db.write() as conn:
            make_all_due(conn)
        again = _crawl(db, settings)
        assert again.articles_new == 0 and again.entries_new == 0
        with db.read() as conn:
            assert articles.count(conn) == 12


def test_rotating_guids_and_failing_feeds_are_recorded(database_url: str, tmp_path: Path) -> None:
    with Publisher() as pub:
        feed = serve_site(pub, range(5))
        settings = _settings(database_url, tmp_path, feed, pub.url("/"))
        db = open_store(settings)
        _crawl(db, settings)
        base = pub.url("").rstrip("/")
        # The same five articles under new GUIDs: matched by URL, flagged on the source.
        pub.route(
            "/rss/tin-moi-nhat.rss",
            rss(base, range(5), guid="new-{i}").encode(),
            headers={"Content-Type": "application/rss+xml"},
        )
        with db.write() as conn:
            make_all_due(conn)
        report = _crawl(db, settings)
        assert report.entries_new == 0 and report.articles_new == 0
        with db.read() as conn:
            assert articles.count(conn) == 5
            (source,) = [h for h in health(conn) if h.slug == "bao-mau"]
        assert source.last_error_kind == "rotating_guid"

        pub.route(
            "/rss/tin-moi-nhat.rss",
            b"<rss><channel><item><title>cut",
            status=200,
            headers={"Content-Type": "application/rss+xml"},
        )
        with db.write() as conn:
            make_all_due(conn)
        report = _crawl(db, settings)
        assert report.feeds_failed == 1
        with db.read() as conn:
            (source,) = [h for h in health(conn) if h.slug == "bao-mau"]
            assert articles.count(conn) == 5  # nothing stored is lost
        assert source.error_streak == 1 and source.last_error_kind == "malformed_feed"


def test_a_bug_on_one_page_is_recorded_and_the_rest_stored(
    database_url: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    import diemtin.pipeline.crawl as crawl_module

    real = crawl_module.extract_article

    def broken_on_bai_2(html: str, url: str, **kw: object) -> object:
        if url.endswith("bai-2.html"):
            raise RuntimeError("a bug")
        return real(html, url, **kw)  # type: ignore[arg-type]

    monkeypatch.setattr(crawl_module, "extract_article", broken_on_bai_2)
    with Publisher() as pub:
        feed = serve_site(pub, range(4))
        settings = _settings(database_url, tmp_path, feed, pub.url("/"))
        db = open_store(settings)
        report = _crawl(db, settings)
    assert report.articles_new == 3 and report.items_failed == 1
    with db.read() as conn:
        row = conn.execute(
            text("SELECT state, error_kind, error FROM items WHERE url LIKE '%bai-2.html'")
        ).one()
    assert row[0] == "fetched" and row[1] == "internal" and "RuntimeError: a bug" in row[2]
