"""Crawled articles are stored with a story, in the transaction that stores them."""

from __future__ import annotations

from pathlib import Path

import pytest
from sqlalchemy import text

from diemtin.fetch import Fetcher
from diemtin.pipeline.crawl import Crawler
from diemtin.pipeline.setup import open_store
from tests.support.publisher import Publisher
from tests.support.site import loopback_settings, serve_site, sources_toml

pytestmark = pytest.mark.loopback


def test_every_crawled_article_gets_a_story(database_url: str, tmp_path: Path) -> None:
    with Publisher() as pub:
        feed = serve_site(pub, range(6))
        toml = tmp_path / "sources.toml"
        toml.write_text(sources_toml(feed, pub.url("/")), encoding="utf-8")
        settings = loopback_settings(database_url, toml)
        db = open_store(settings)
        with Fetcher(settings) as fetcher:
            report = Crawler(db, fetcher, settings).run_once()
        assert report.articles_new == 6, report.errors
    with db.read() as conn:
        missing = conn.execute(text("SELECT COUNT(*) FROM articles WHERE story_id IS NULL"))
        assert missing.scalar_one() == 0
        counted = conn.execute(text("SELECT SUM(article_count) FROM stories")).scalar_one()
        signed = conn.execute(text("SELECT COUNT(signature) FROM article_grouping")).scalar_one()
    assert counted == 6 and signed == 6
