"""One crawl pass: due feeds -> entries -> pages -> extracted -> stored articles.

Every step commits the item's new state before the next begins, so a
process killed anywhere resumes where it stopped; errors are recorded on the
feed or the item, never raised out of the pass.
"""

from __future__ import annotations

import logging
import os
import socket
import time
from collections.abc import Callable, Sequence
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field, replace
from datetime import UTC, datetime, timedelta

from sqlalchemy import Connection
from sqlalchemy.exc import SQLAlchemyError

from diemtin.dedupe.keys import article_key
from diemtin.extract import extract_article
from diemtin.feeds import parse_any
from diemtin.fetch import Fetcher
from diemtin.fetch.schedule import next_check
from diemtin.model import Article, FeedEntry, IngestError, ItemState, ParsedFeed
from diemtin.pipeline.categorize import ModelSource, settle
from diemtin.pipeline.grouping import Grouping
from diemtin.pipeline.payload import article_from_json, article_to_json, merge_entry
from diemtin.pipeline.persist import store_prepared
from diemtin.pipeline.prepare import CategoryIndex, prepare
from diemtin.pipeline.setup import category_model
from diemtin.settings import Settings
from diemtin.sources import load_categories
from diemtin.store import items as queue
from diemtin.store.articles import Outcome
from diemtin.store.db import Database
from diemtin.store.items import Discovery, Item
from diemtin.store.sources import (
    DueFeed,
    FeedContext,
    category_ids,
    claim_due,
    feed_contexts,
    leases_held,
    record_failure,
    record_success,
    release_leases,
)
from diemtin.text import decode_bytes

log = logging.getLogger(__name__)
MAX_SITEMAP_CHILDREN = 5
# Errors that another attempt cannot cure.
PERMANENT = frozenset({"ssrf", "invalid_url", "extract", "too_large", "robots", "http_status"})


@dataclass
class CrawlReport:
    feeds_checked: int = 0
    feeds_failed: int = 0
    entries_new: int = 0
    articles_new: int = 0
    articles_updated: int = 0
    items_failed: int = 0
    errors: list[str] = field(default_factory=list)


class Crawler:
    def __init__(
        self,
        db: Database,
        fetcher: Fetcher,
        settings: Settings,
        *,
        owner: str = "crawler",
        clock: Callable[[], float] = time.time,
        model: ModelSource | None = None,
    ) -> None:
        self.db = db
        self.fetcher = fetcher
        self.settings = settings
        # host:pid:name, so a lease can be told apart from a dead process's on this host
        self.owner = f"{socket.gethostname()}:{os.getpid()}:{owner}"
        self.clock = clock
        self.index = CategoryIndex(load_categories())
        self.model = model or category_model(settings).get
        self.grouping = Grouping()

    def _now(self) -> int:
        return int(self.clock())

    def _pool(self) -> ThreadPoolExecutor:
        return ThreadPoolExecutor(max_workers=max(1, self.settings.fetch_concurrency))

    def run_once(self, *, limit: int = 1000) -> CrawlReport:
        """Check every due feed, then bring each queued item to the store."""
        report = CrawlReport()
        with self.db.write() as conn:
            self._release_dead_local_leases(conn)
        # articles stored without a story (a grouping bug since fixed) join one first
        self.grouping.catch_up_or_log(self.db, now=self._now())
        # A few feeds at a time, so workers running together share what is due.
        step = max(1, self.settings.fetch_concurrency * 2)
        while report.feeds_checked < limit:
            with self.db.write() as conn:
                due = claim_due(
                    conn, self._now(), self.owner, self.settings.lease_seconds,
                    min(step, limit - report.feeds_checked),
                )  # fmt: skip
            if not due:
                break
            with self._pool() as pool:
                for error, new in pool.map(self._check_feed, due):
                    report.feeds_checked += 1
                    report.entries_new += new
                    if error:
                        report.feeds_failed += 1
                        report.errors.append(error)
        self.drain(report)
        return report

    def _release_dead_local_leases(self, conn: Connection) -> None:
        """A worker killed on this host leaves leases no one would hold for minutes."""
        prefix = f"{socket.gethostname()}:"

        def dead(owner: str) -> bool:
            return not _alive(owner.removeprefix(prefix).split(":", 1)[0])

        now = self._now()
        release_leases(conn, [i for i, owner in leases_held(conn, prefix, now) if dead(owner)])
        queue.release(
            conn, [i for i, owner in queue.leased_by(conn, prefix, now) if dead(owner)], now
        )

    # -- feeds -------------------------------------------------------------

    def _check_feed(self, feed: DueFeed) -> tuple[str | None, int]:
        """(error or None, new entries); the outcome is recorded on the feed either way."""
        try:
            etag, modified, entries = self._read_feed(feed)
        except IngestError as exc:
            with self.db.write() as conn:
                record_failure(
                    conn,
                    feed.id,
                    now=self._now(),
                    kind=exc.kind,
                    message=str(exc),
                    next_check=self._next([], 0, feed.error_streak + 1),
                )
            return f"{feed.url}: {exc}", 0
        new, rekeyed = self._queue(feed, entries)
        warning = None
        if rekeyed:
            warning = (
                "rotating_guid",
                f"the feed changed the GUIDs of {rekeyed} known entries;"
                " they are matched by URL instead",
            )
        with self.db.write() as conn:
            record_success(
                conn,
                feed.id,
                now=self._now(),
                etag=etag,
                last_modified=modified,
                new_entries=new,
                warning=warning,
                next_check=self._next(entries, new, 0),
            )
        return None, new

    def _read_feed(self, feed: DueFeed) -> tuple[str | None, str | None, list[FeedEntry]]:
        resp = self.fetcher.get(feed.url, etag=feed.etag, last_modified=feed.last_modified)
        if resp.not_modified:
            return resp.etag, resp.last_modified, []
        parsed = parse_any(resp.body, resp.url, feed.kind, resp.headers.get("content-type"))
        entries = list(parsed.entries) + self._children(feed, parsed)
        newest = sorted(entries, key=_entry_time, reverse=True)
        return resp.etag, resp.last_modified, newest[: self.settings.articles_per_feed]

    def _children(self, feed: DueFeed, parsed: ParsedFeed) -> list[FeedEntry]:
        """A sitemap index: the first few child sitemaps are read in the same check."""
        entries: list[FeedEntry] = []
        for child in parsed.children[:MAX_SITEMAP_CHILDREN]:
            resp = self.fetcher.get(child)
            entries.extend(parse_any(resp.body, resp.url, feed.kind, None).entries)
        return entries

    def _queue(self, feed: DueFeed, entries: Sequence[FeedEntry]) -> tuple[int, int]:
        new = rekeyed = 0
        with self.db.write() as conn:
            for entry in entries:
                key = article_key(guid=entry.guid, url=entry.url, scope=feed.context.source_slug)
                found = queue.discover(conn, key=key, feed_id=feed.id, entry=entry, now=self._now())
                new += found is Discovery.NEW
                rekeyed += found is Discovery.REKEYED
        return new, rekeyed

    def _next(self, entries: Sequence[FeedEntry], new: int, errors: int) -> int:
        now = datetime.fromtimestamp(self._now(), UTC)
        times = [e.published_at for e in entries if e.published_at]
        when = next_check(
            now,
            times,
            new,
            errors,
            timedelta(minutes=self.settings.poll_min_minutes),
            timedelta(minutes=self.settings.poll_max_minutes),
        )
        return int(when.timestamp())

    # -- items -------------------------------------------------------------

    def drain(self, report: CrawlReport, *, batch: int | None = None) -> None:
        """Bring due queued items to the store, a batch at a time, pages fetched in parallel.

        Batches are small (a few per fetching thread) so workers draining together share them.
        """
        batch = batch or max(1, self.settings.fetch_concurrency * 4)
        with self.db.read() as conn:
            contexts = feed_contexts(conn)
        while True:
            with self.db.write() as conn:
                todo = queue.claim(
                    conn, self._now(), self.owner, self.settings.lease_seconds, batch
                )
            if not todo:
                return
            with self._pool() as pool:
                results = pool.map(
                    lambda it: self._advance(it, contexts.get(it.feed_id or 0)), todo
                )
                for outcome, error in results:
                    report.articles_new += outcome is Outcome.NEW
                    report.articles_updated += outcome is Outcome.UPDATED
                    if error:
                        report.items_failed += 1
                        report.errors.append(error)

    def _advance(self, item: Item, feed: FeedContext | None) -> tuple[Outcome | None, str | None]:
        """Move one item as far as it goes; (how it was stored, error)."""
        try:
            if item.state is ItemState.DISCOVERED:
                resp = self.fetcher.get(item.entry.url)
                with self.db.write() as conn:
                    queue.mark_fetched(conn, item.id, resp.body, resp.charset, self._now())
                item = replace(item, state=ItemState.FETCHED, raw=resp.body, charset=resp.charset)
            if item.state is ItemState.FETCHED:
                payload = article_to_json(self._extract(item, feed))
                with self.db.write() as conn:
                    queue.mark_extracted(conn, item.id, payload, self._now())
                item = replace(item, state=ItemState.EXTRACTED, payload=payload)
            return self._store(item, feed), None
        except IngestError as exc:
            return None, self._failed(item, exc.kind, str(exc))
        except (SQLAlchemyError, MemoryError):
            raise  # the store itself is in trouble: stop the pass, the worker retries later
        except Exception as exc:
            # A bug on one page must not stop every later pass at the same item.
            log.exception("item %s: unexpected error", item.entry.url)
            return None, self._failed(item, "internal", f"{type(exc).__name__}: {exc}")

    def _failed(self, item: Item, kind: str, message: str) -> str:
        """Record the error on the item: retried with backoff, or failed for good."""
        retry = datetime.fromtimestamp(self._now(), UTC) + timedelta(minutes=5 * 2**item.attempts)
        with self.db.write() as conn:
            queue.mark_failed(
                conn,
                item.id,
                kind=kind,
                message=message,
                now=self._now(),
                retry_at=None if kind in PERMANENT else retry,
            )
        return f"{item.entry.url}: {message}"

    def _extract(self, item: Item, feed: FeedContext | None) -> Article:
        html = decode_bytes(item.raw or b"", item.charset)
        article = extract_article(html, item.entry.url, rules=feed.rules if feed else None)
        return merge_entry(article, item.entry)

    def _store(self, item: Item, feed: FeedContext | None) -> Outcome:
        prepared = prepare(
            article_from_json(item.payload or "{}"),
            scope=feed.source_slug if feed else "",
            index=self.index,
            feed_category=feed.category if feed else None,
            sections=feed.sections if feed else (),
        )
        (prepared,) = settle([prepared], self.model, threshold=self.settings.category_threshold)
        with self.db.write() as conn:
            article_id, outcome = store_prepared(
                conn,
                prepared,
                source_id=feed.source_id if feed else None,
                category_ids=category_ids(conn),
                now=self._now(),
                feed_id=item.feed_id,
                grouping=self.grouping,
            )
            queue.mark_stored(conn, item.id, article_id, self._now())
        return outcome


def _alive(pid: str) -> bool:
    try:
        os.kill(int(pid), 0)
    except (ValueError, ProcessLookupError):
        return False
    except PermissionError:  # someone else's process: alive
        return True
    return True


def _entry_time(entry: FeedEntry) -> datetime:
    return entry.published_at or entry.updated_at or datetime.min.replace(tzinfo=UTC)
