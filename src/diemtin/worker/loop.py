"""The ingest worker: a crawl pass whenever feeds are due, until told to stop."""

from __future__ import annotations

import logging
import threading
import time
from collections.abc import Callable

from diemtin.fetch import Fetcher
from diemtin.pipeline.crawl import Crawler, CrawlReport
from diemtin.settings import Settings
from diemtin.store.db import Database

log = logging.getLogger("diemtin.worker")


def run_worker(
    db: Database,
    settings: Settings,
    stop: threading.Event,
    *,
    owner: str = "worker",
    clock: Callable[[], float] = time.time,
    on_pass: Callable[[CrawlReport], None] | None = None,
) -> None:
    """Crawl until ``stop`` is set; one failing pass never ends the loop."""
    with Fetcher(settings) as fetcher:
        crawler = Crawler(db, fetcher, settings, owner=owner, clock=clock)
        while not stop.is_set():
            try:
                report = crawler.run_once()
            except Exception:  # a bug in one pass must not stop ingest for good
                log.exception("crawl pass failed")
            else:
                if report.feeds_checked or report.articles_new:
                    log.info(
                        "crawl: %d feeds, %d failed, %d new articles",
                        report.feeds_checked,
                        report.feeds_failed,
                        report.articles_new,
                    )
                if on_pass:
                    on_pass(report)
            stop.wait(settings.crawl_every_seconds)
