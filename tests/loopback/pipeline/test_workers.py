"""Several ingest workers on one PostgreSQL store share the due feeds.

Three `diemtin crawl` processes and a loopback publisher with 200 feeds: every
feed is fetched once for its due time and never twice at once, every article
is stored once, and a worker killed with -9 leaves nothing behind. A lease held
by a worker on another machine that died is taken over once it expires.
"""

from __future__ import annotations

import dataclasses
import itertools
import os
import signal
import subprocess
import sys
import time
from collections.abc import Callable
from pathlib import Path

import pytest
from sqlalchemy import text

from diemtin.fetch import Fetcher
from diemtin.pipeline.crawl import Crawler
from diemtin.pipeline.setup import open_store
from diemtin.settings import Settings
from tests.support.publisher import Publisher
from tests.support.site import article_html, loopback_settings, rss

pytestmark = pytest.mark.loopback
FEEDS = 200
_names = itertools.count()


def _sources(pub: Publisher, feeds: int) -> str:
    base = pub.url("").rstrip("/")
    lines = ['[[publishers]]\nslug = "bao-mau"\nname = "Báo Mẫu"', f'homepage = "{base}/"']
    for i in range(feeds):
        # a slow feed makes two fetches of it at once visible to the publisher
        pub.route(f"/feeds/{i}.rss", rss(base, range(i, i + 1)), delay=0.3)
        pub.route(f"/tin-tuc/bai-{i}.html", article_html(i, base))
        lines.append(f'[[publishers.feeds]]\nurl = "{base}/feeds/{i}.rss"\ncategory = "the-gioi"')
    return "\n".join(lines) + "\n"


def _wait(condition: Callable[[], bool], seconds: float) -> bool:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if condition():
            return True
        time.sleep(0.1)
    return condition()


@pytest.fixture
def pg_url(postgres_admin_url: str) -> str:
    from tests.support.postgres import create_database

    return create_database(postgres_admin_url, f"diemtin_workers_{os.getpid()}_{next(_names)}")


def test_three_workers_share_the_feeds_and_survive_a_kill(pg_url: str, tmp_path: Path) -> None:
    with Publisher() as pub:
        sources = tmp_path / "sources.toml"
        sources.write_text(_sources(pub, FEEDS), encoding="utf-8")
        open_store(loopback_settings(pg_url, sources)).close()  # migrated and synced once
        env = {
            **os.environ,
            "DIEMTIN_DATABASE_URL": pg_url,
            "DIEMTIN_BUILTIN_SOURCES": "0",
            "DIEMTIN_SOURCES_FILE": str(sources),
            "DIEMTIN_FETCH_ALLOW_HOSTS": "127.0.0.1",
            "DIEMTIN_FETCH_HOST_DELAY": "0",
            "DIEMTIN_FETCH_PER_HOST": "4",
            "DIEMTIN_FETCH_CONCURRENCY": "4",
            "DIEMTIN_FETCH_RETRIES": "0",
            "DIEMTIN_CRAWL_EVERY_SECONDS": "0.2",
        }
        workers = [
            subprocess.Popen(
                [sys.executable, "-m", "diemtin.cli.main", "crawl"],
                env=env,
                stdout=subprocess.DEVNULL,
                stderr=subprocess.DEVNULL,
            )
            for _ in range(3)
        ]

        def feeds_hit() -> int:
            return sum(1 for i in range(FEEDS) if pub.hits[f"/feeds/{i}.rss"])

        try:
            assert _wait(lambda: feeds_hit() >= 40, 60), "the workers never started fetching"
            os.kill(workers[0].pid, signal.SIGKILL)
            workers[0].wait()
            done = _wait(lambda: _articles(pg_url) == FEEDS, 120)
        finally:
            for w in workers[1:]:
                w.send_signal(signal.SIGINT)
            for w in workers[1:]:
                try:
                    w.wait(timeout=10)
                except subprocess.TimeoutExpired:
                    w.kill()
        assert done, f"{_articles(pg_url)} of {FEEDS} articles stored"

        feed_paths = [f"/feeds/{i}.rss" for i in range(FEEDS)]
        pages = [f"/tin-tuc/bai-{i}.html" for i in range(FEEDS)]
        # each worker reads robots.txt for itself; feeds and pages are never fetched twice at once
        assert all(pub.max_concurrent_path[p] == 1 for p in feed_paths + pages)
        twice = [p for p in feed_paths if pub.hits[p] > 1]
        # only the feeds the killed worker held at that moment may be fetched again
        assert len(twice) <= 8, twice
        assert all(pub.hits[p] >= 1 for p in feed_paths)
        with open_store(loopback_settings(pg_url, sources), sync=False).read() as conn:
            distinct = conn.execute(text("SELECT COUNT(DISTINCT url) FROM articles")).scalar_one()
            held = conn.execute(
                text("SELECT COUNT(*) FROM feeds WHERE lease_owner IS NOT NULL")
            ).scalar_one()
        assert distinct == FEEDS
        assert held == 0


def _articles(url: str) -> int:
    db = open_store(Settings(database_url=url), sync=False)
    try:
        with db.read() as conn:
            return int(conn.execute(text("SELECT COUNT(*) FROM articles")).scalar_one())
    finally:
        db.close()


def test_a_dead_remote_workers_lease_is_taken_over_when_it_expires(
    database_url: str, tmp_path: Path
) -> None:
    with Publisher() as pub:
        sources = tmp_path / "sources.toml"
        sources.write_text(_sources(pub, 1), encoding="utf-8")
        settings = dataclasses.replace(loopback_settings(database_url, sources), lease_seconds=60)
        db = open_store(settings)
        now = int(time.time())
        with db.write() as conn:  # a worker on another machine took it, then died
            conn.execute(
                text("UPDATE feeds SET lease_owner = 'elsewhere:4242:worker', lease_until = :u"),
                {"u": now + 60},
            )
        clock = [float(now)]
        with Fetcher(settings) as fetcher:
            crawler = Crawler(db, fetcher, settings, clock=lambda: clock[0])
            assert crawler.run_once().feeds_checked == 0
            assert pub.hits["/feeds/0.rss"] == 0
            clock[0] = now + 61.0
            report = crawler.run_once()
        assert report.feeds_checked == 1 and report.articles_new == 1
