"""Archive records to prepared articles, in worker processes when an import is large.

Everything before the store is pure CPU: extracting saved pages, Vietnamese
clean-up, keys, the language, the grouping signature and the words for the
search index. The importing process is busy writing, so a large import hands
chunks of records to other processes and takes the results back in archive
order, a few chunks ahead. A small import never pays for starting them.
"""

from __future__ import annotations

import multiprocessing
import os
import signal
import threading
import time
from collections import deque
from collections.abc import Iterable, Iterator
from concurrent.futures import Future, ProcessPoolExecutor
from dataclasses import dataclass, replace
from itertools import chain, islice
from urllib.parse import urlsplit

from diemtin.archive import Record, parse
from diemtin.dedupe.signature import Signature
from diemtin.dedupe.stories import Signed, Signer
from diemtin.extract import extract_article
from diemtin.model import Article, IngestError, Publisher
from diemtin.pipeline.categorize import with_language
from diemtin.pipeline.prepare import CategoryIndex, Prepared, prepare, slugify
from diemtin.search import document, joined
from diemtin.sources import publisher_for_url
from diemtin.text import decode_bytes

# Below this many records, starting workers (about a second) would not pay for itself.
WORKERS_AFTER = 500
CHUNK = 50  # records per task sent to a worker: small enough to keep both busy
AHEAD = 16  # chunks in flight per worker: enough to outlast a batch's commit; memory bounded


@dataclass(frozen=True)
class Source:
    slug: str
    name: str
    publisher: Publisher | None


@dataclass(frozen=True)
class Ready:
    """One record, prepared (``prepared`` and ``source``) or not (``error`` says why)."""

    position: int
    prepared: Prepared | None = None
    source: Source | None = None
    error: str | None = None


@dataclass(frozen=True)
class RecordPreparer:
    """Prepares records; pure, and small enough to send to a worker once."""

    publishers: tuple[Publisher, ...]
    index: CategoryIndex
    signer: Signer | None = None  # the grouping's, when stories are grouped

    def __call__(self, records: Iterable[Record]) -> list[Ready]:
        return [self.one(r) for r in records]

    def one(self, record: Record) -> Ready:
        record = parse(record)
        try:
            article = self._article(record)
        except IngestError as exc:
            return Ready(record.position, error=f"record {record.position + 1}: {exc}")
        if article is None:
            unreadable = record.error or f"record {record.position + 1}: unreadable"
            return Ready(record.position, error=unreadable)
        source = self._source_of(article)
        pub = source.publisher
        prepared = prepare(
            article, scope=source.slug, index=self.index, sections=pub.sections if pub else ()
        )
        if not prepared.article.title:
            return Ready(record.position, error=f"record {record.position + 1}: no title")
        return Ready(record.position, self._ahead(prepared), source)

    def _ahead(self, prepared: Prepared) -> Prepared:
        """The store step's pure work, done here: language, index words, signature."""
        prepared = with_language(prepared)
        a = prepared.article
        signed = self.signer.ahead(a.title, f"{a.sapo}\n{a.body_text}") if self.signer else None
        words = joined(document(a.title, a.sapo, a.body_text))
        return replace(prepared, search=words, signed=signed)

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

    def _source_of(self, article: Article) -> Source:
        pub = publisher_for_url(self.publishers, article.url) if article.url else None
        if article.source:
            wanted = slugify(article.source)
            named = next((p for p in self.publishers if wanted in (p.slug, slugify(p.name))), None)
            pub = named or pub
            if pub is None:
                return Source(wanted or "import", article.source, None)
        if pub is not None:
            return Source(pub.slug, pub.name, pub)
        host = (urlsplit(article.url).hostname or "").removeprefix("www.")
        return Source(slugify(host) or "import", host or "Nhập từ kho lưu trữ", None)


def prepare_all(
    records: Iterable[Record],
    preparer: RecordPreparer,
    *,
    processes: int,
    workers_after: int = WORKERS_AFTER,
) -> Iterator[Ready]:
    """Every record prepared, in archive order.

    The first ``workers_after`` records are prepared here; past them, with
    ``processes`` above 1, the rest go to that many worker processes.
    """
    records = iter(records)
    for record in islice(records, workers_after):
        yield preparer.one(record)
    if processes <= 1:
        yield from map(preparer.one, records)
        return
    first = next(records, None)
    if first is None:
        return
    yield from _in_workers(chain([first], records), preparer, processes)


def _in_workers(
    records: Iterator[Record], preparer: RecordPreparer, processes: int
) -> Iterator[Ready]:
    # forkserver, not fork: the importer may have threads (a progress bar, a server)
    context = multiprocessing.get_context("forkserver")
    pool = ProcessPoolExecutor(
        processes,
        mp_context=context,
        initializer=_start_worker,
        initargs=(preparer, os.getpid()),
    )
    in_flight: deque[Future[list[_Packed]]] = deque()
    try:
        while chunk := list(islice(records, CHUNK)):
            in_flight.append(pool.submit(_prepare_chunk, chunk))
            if len(in_flight) >= processes * AHEAD:
                yield from map(_unpack, in_flight.popleft().result())
        while in_flight:
            yield from map(_unpack, in_flight.popleft().result())
    except BaseException:
        # Ctrl-C, an error here or downstream: drop what is queued, wait for nothing
        pool.shutdown(wait=False, cancel_futures=True)
        raise
    pool.shutdown()


# A worker process's own preparer, set once when it starts: one per process, not shared.
_worker_preparer: RecordPreparer | None = None
_WATCH_SECONDS = 1.0


def _start_worker(preparer: RecordPreparer, importer: int) -> None:
    global _worker_preparer
    # Ctrl-C is the importing process's to handle: it stops the pool
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    _worker_preparer = preparer
    threading.Thread(target=_exit_with, args=(importer,), daemon=True).start()


def _exit_with(importer: int) -> None:
    """Exit once the importing process is gone: a kill -9 gives it no time to stop the pool,
    and a worker left waiting on its queue would wait for ever."""
    while True:
        time.sleep(_WATCH_SECONDS)
        try:
            os.kill(importer, 0)
        except ProcessLookupError:
            os._exit(1)


def _prepare_chunk(records: list[Record]) -> list[_Packed]:
    assert _worker_preparer is not None, "a worker prepares only after _start_worker"
    return [_pack(r) for r in _worker_preparer(records)]


# -- the way back ---------------------------------------------------------------
# A signature's dict of terms costs more to pickle than its bytes cost to read
# again, so it travels as the bytes the store keeps anyway.


@dataclass(frozen=True)
class _Packed:
    ready: Ready  # without its signature
    signed: tuple[str, bytes] | None  # scheme, signature bytes


def _pack(ready: Ready) -> _Packed:
    p = ready.prepared
    if p is None or p.signed is None:
        return _Packed(ready, None)
    signed = p.signed
    return _Packed(replace(ready, prepared=replace(p, signed=None)), (signed.scheme, signed.data))


def _unpack(packed: _Packed) -> Ready:
    ready, p = packed.ready, packed.ready.prepared
    if p is None or packed.signed is None:
        return ready
    scheme, data = packed.signed
    signed = Signed(scheme, Signature.from_bytes(data), data)
    return replace(ready, prepared=replace(p, signed=signed))
