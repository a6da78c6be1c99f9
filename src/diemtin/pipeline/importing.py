"""`diemtin import`: archives through the same pipeline as the crawl, resumable.

Each batch of articles is written in one transaction together with the
archive's position, so an interrupted import (Ctrl-C, kill -9) resumes right
after the last batch it committed and never stores a record twice.
"""

from __future__ import annotations

import os
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field, replace
from pathlib import Path

from diemtin.archive import fingerprint, reader_for
from diemtin.classify import DEFAULT_THRESHOLD
from diemtin.model import Publisher
from diemtin.pipeline.categorize import ModelSource, file_unfiled, no_model
from diemtin.pipeline.grouping import Grouping
from diemtin.pipeline.persist import Later, store_prepared
from diemtin.pipeline.prepare import CategoryIndex
from diemtin.pipeline.preparing import WORKERS_AFTER, Ready, RecordPreparer, prepare_all
from diemtin.sources import load_categories
from diemtin.store import imports
from diemtin.store.articles import Outcome
from diemtin.store.db import Database
from diemtin.store.sources import category_ids, ensure_source

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
        processes: int = 0,
        workers_after: int = WORKERS_AFTER,
    ) -> None:
        """``processes`` prepare records past the first ``workers_after`` (0: one per
        core, 1: only this one)."""
        self.db = db
        self.publishers = list(publishers)
        self.batch = batch
        self.clock = clock
        self.on_record = on_record
        self.model, self.threshold = model, threshold
        # off only where a test sets up stories by hand
        self.grouping = Grouping() if group_stories else None
        self.processes = processes or os.cpu_count() or 1
        self.workers_after = workers_after
        self.preparer = RecordPreparer(
            tuple(self.publishers),
            CategoryIndex(load_categories()),
            self.grouping.signer() if self.grouping else None,
        )

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
        if self.grouping is not None:  # articles stored without a story join one first
            self.grouping.catch_up_or_log(self.db, now=self._now())
        pending: list[Ready] = []
        records = read(path, before.position)
        for ready in prepare_all(
            records, self.preparer, processes=self.processes, workers_after=self.workers_after
        ):
            pending.append(ready)
            if self.on_record:
                self.on_record(1)
            if len(pending) >= self.batch:
                self._flush(name, pending, report, before, done=False)
                pending = []
        self._flush(name, pending, report, before, done=True)
        return report

    def _now(self) -> int:
        return int(self.clock())

    def _flush(
        self,
        name: str,
        pending: list[Ready],
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
        later = Later()
        with self.db.write() as conn:
            cats = category_ids(conn)
            for ready in pending:
                report.position = ready.position + 1
                prepared, source = ready.prepared, ready.source
                if prepared is None or source is None:
                    report.fail(ready.error or f"record {ready.position + 1}: unreadable")
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
                    later=later,
                    grouping=self.grouping,
                )
                report.count(outcome)
            later.flush(conn)
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

    def _settle(self, pending: list[Ready]) -> list[Ready]:
        """Categories for the whole batch at once: one model call, not hundreds."""
        ready = [r.prepared for r in pending if r.prepared is not None]
        filed = iter(file_unfiled(ready, self.model, threshold=self.threshold))
        return [replace(r, prepared=next(filed)) if r.prepared is not None else r for r in pending]
