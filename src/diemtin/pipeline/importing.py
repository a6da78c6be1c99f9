"""`diemtin import`: archives through the same pipeline as the crawl, resumable.

Each batch of articles is written in one transaction together with the
archive's position, so an interrupted import (Ctrl-C, kill -9) resumes right
after the last batch it committed and never stores a record twice.
"""

from __future__ import annotations

import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import urlsplit

from diemtin.archive import Record, fingerprint, reader_for
from diemtin.classify import DEFAULT_THRESHOLD
from diemtin.extract import extract_article
from diemtin.model import Article, IngestError, Publisher
from diemtin.pipeline.categorize import ModelSource, no_model, settle
from diemtin.pipeline.grouping import Grouping
from diemtin.pipeline.persist import SearchBatch, flush_search, store_prepared
from diemtin.pipeline.prepare import CategoryIndex, Prepared, prepare, slugify
from diemtin.sources import load_categories, publisher_for_url
from diemtin.store import imports
from diemtin.store.articles import Outcome
from diemtin.store.db import Database
from diemtin.store.sources import category_ids, ensure_source
from diemtin.text import decode_bytes

MAX_ERRORS_KEPT = 20


@dataclass
class ImportReport:
    path: str
    resumed_from: int = 0
    position: int = 0  # records read so far, counting those before a resume
    new: int = 0
    updated: int = 0
    unchanged: int = 0
    failed: int = 0
    already_done: bool = False
    errors: list[str] = field(default_factory=list)

    @property
    def stored(self) -> int:
        return self.new + self.updated

    def count(self, outcome: Outcome) -> None:
        if outcome is Outcome.NEW:
            self.new += 1
        elif outcome is Outcome.UPDATED:
            self.updated += 1
        else:
            self.unchanged += 1

    def fail(self, message: str) -> None:
        self.failed += 1
        if len(self.errors) < MAX_ERRORS_KEPT:
            self.errors.append(message)


@dataclass(frozen=True)
class _Source:
    slug: str
    name: str
    publisher: Publisher | None


class Importer:
    def __init__(
        self,
        db: Database,
        publishers: Sequence[Publisher],
        *,
        batch: int = 500,
        clock: Callable[[], float] = time.time,
        on_record: Callable[[int], None] | None = None,
        model: ModelSource = no_model,
        threshold: float = DEFAULT_THRESHOLD,
        group_stories: bool = True,
    ) -> None:
        self.db = db
        self.publishers = list(publishers)
        self.batch = batch
        self.clock = clock
        self.on_record = on_record
        self.model, self.threshold = model, threshold
        self.index = CategoryIndex(load_categories())
        # off only where a test sets up stories by hand
        self.grouping = Grouping() if group_stories else None

    def run(self, path: Path, *, restart: bool = False) -> ImportReport:
        read = reader_for(path)
        name = str(path.resolve())
        version = fingerprint(path)
        with self.db.write() as conn:
            if restart:
                imports.forget(conn, name)
            before = imports.resume(conn, name, version, self._now())
        report = ImportReport(path=name, resumed_from=before.position, position=before.position)
        if before.done:
            report.already_done = True
            return report
        pending: list[tuple[Record, Prepared | None, _Source | None]] = []
        for record in read(path, before.position):
            pending.append(self._prepare(record, report))
            if self.on_record:
                self.on_record(1)
            if len(pending) >= self.batch:
                self._flush(name, pending, report, before, done=False)
                pending = []
        self._flush(name, pending, report, before, done=True)
        return report

    def _now(self) -> int:
        return int(self.clock())

    def _prepare(
        self, record: Record, report: ImportReport
    ) -> tuple[Record, Prepared | None, _Source | None]:
        try:
            article = self._article(record)
        except IngestError as exc:
            report.fail(f"record {record.position + 1}: {exc}")
            return record, None, None
        if article is None:
            report.fail(record.error or f"record {record.position + 1}: unreadable")
            return record, None, None
        source = self._source_of(article)
        pub = source.publisher
        prepared = prepare(
            article, scope=source.slug, index=self.index, sections=pub.sections if pub else ()
        )
        if not prepared.article.title:
            report.fail(f"record {record.position + 1}: no title")
            return record, None, None
        return record, prepared, source

    def _article(self, record: Record) -> Article | None:
        if record.article is not None:
            return record.article
        if record.html is None:
            return None
        pub = publisher_for_url(self.publishers, record.url)
        html = decode_bytes(record.html, record.charset)
        article = extract_article(html, record.url, rules=pub.rules if pub else None)
        if article.canonical_url.startswith(("http://", "https://")) and record.url.startswith(
            "file:"
        ):
            article.url = article.canonical_url
        return article

    def _source_of(self, article: Article) -> _Source:
        pub = publisher_for_url(self.publishers, article.url) if article.url else None
        if article.source:
            wanted = slugify(article.source)
            named = next((p for p in self.publishers if wanted in (p.slug, slugify(p.name))), None)
            pub = named or pub
            if pub is None:
                return _Source(wanted or "import", article.source, None)
        if pub is not None:
            return _Source(pub.slug, pub.name, pub)
        host = (urlsplit(article.url).hostname or "").removeprefix("www.")
        return _Source(slugify(host) or "import", host or "Nhập từ kho lưu trữ", None)

    def _flush(
        self,
        name: str,
        pending: list[tuple[Record, Prepared | None, _Source | None]],
        report: ImportReport,
        before: imports.Progress,
        *,
        done: bool,
    ) -> None:
        """One transaction: the batch's articles and the archive's new position together."""
        now = self._now()
        # ids are looked up per transaction: one rolled back must leave nothing cached
        source_ids: dict[str, int] = {}
        pending = self._settle(pending)
        search_batch: SearchBatch = []
        with self.db.write() as conn:
            cats = category_ids(conn)
            for record, prepared, source in pending:
                report.position = record.position + 1
                if prepared is None or source is None:
                    continue
                source_id = source_ids.get(source.slug)
                if source_id is None:
                    source_id = ensure_source(conn, source.slug, source.name, now)
                    source_ids[source.slug] = source_id
                _, outcome = store_prepared(
                    conn,
                    prepared,
                    source_id=source_id,
                    category_ids=cats,
                    now=now,
                    search_batch=search_batch,
                    grouping=self.grouping,
                )
                report.count(outcome)
            flush_search(conn, search_batch)
            imports.advance(
                conn,
                name,
                imports.Progress(
                    position=report.position,
                    stored=before.stored + report.stored,
                    skipped=before.skipped + report.unchanged,
                    failed=before.failed + report.failed,
                    done=done,
                ),
                now,
            )

    def _settle(
        self, pending: list[tuple[Record, Prepared | None, _Source | None]]
    ) -> list[tuple[Record, Prepared | None, _Source | None]]:
        """Categories and languages for the whole batch at once: one model call, not hundreds."""
        ready = [p for _, p, _ in pending if p is not None]
        settled = iter(settle(ready, self.model, threshold=self.threshold))
        return [(r, next(settled) if p is not None else None, s) for r, p, s in pending]
