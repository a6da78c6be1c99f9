"""Known-item search over ../shared/data/baomoi (35,440 articles) on SQLite and PostgreSQL.

Imports the corpus through the real importer, indexes it, then types 1,000
titles (fixed seed) without accents and checks that each one's article comes
back in the top 3. Baomoi reposts stories, so a hit is any article with the
identical title in the top 3 (the strict figure, same article only, is printed
too). Latency is the whole ``search()`` call the web makes (ranking, 10 hits,
snippets). Goals: hit@3 >= 95%, p95 < 20 ms.

    .venv/bin/python bench/search.py [--postgres URL|auto] [--sqlite-db PATH] [--queries N]

``--sqlite-db`` keeps the imported database (reused when it already holds the
corpus); ``--postgres auto`` starts a throwaway cluster (tests/support/postgres.py).
"""

from __future__ import annotations

import argparse
import json
import os
import random
import statistics
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path[:0] = [str(ROOT), str(ROOT / "bench")]

from machine import describe  # noqa: E402
from sqlalchemy import text  # noqa: E402

from diemtin.pipeline.importing import Importer  # noqa: E402
from diemtin.pipeline.setup import open_store, publishers  # noqa: E402
from diemtin.search import index_pending, search, suggest  # noqa: E402
from diemtin.settings import Settings  # noqa: E402
from diemtin.store.db import Database  # noqa: E402
from diemtin.text import fold  # noqa: E402

NOW = 1_500_000_000  # mid-2017, the corpus's time
def data_dir() -> Path:
    return Path(os.environ.get("DIEMTIN_SHARED_DATA", ROOT.parent / "shared" / "data"))


BROAD = ["viet nam", "ha noi", "nguoi dan", "tp hcm", "bong da", "gia vang", "cong an", "o"]


def load(url: str, source: Path) -> dict[str, Any]:
    """Import (unless the database already holds the corpus) and index everything queued."""
    settings = Settings(database_url=url)
    db = open_store(settings)
    report: dict[str, Any] = {}
    with db.read() as conn:
        stored = int(conn.execute(text("SELECT COUNT(*) FROM articles")).scalar_one())
    if stored == 0:
        started = time.perf_counter()
        Importer(db, publishers(settings), batch=settings.import_batch).run(source, restart=True)
        report["import_s"] = round(time.perf_counter() - started, 1)
    started, indexed = time.perf_counter(), 0
    while True:
        with db.write() as conn:
            count = index_pending(conn, db.dialect.name, batch=1000)
        if not count:
            break
        indexed += count
    seconds = time.perf_counter() - started
    if indexed:
        report.update(indexed=indexed, index_s=round(seconds, 1))
        report["index_articles_per_s"] = round(indexed / seconds, 1)
    db.close()
    return report


def sample(db: Database, n: int, seed: int) -> list[tuple[str, str]]:
    """(key, title) of n articles, the same on every engine: keys are stable, ids may not be."""
    with db.read() as conn:
        rows = conn.execute(text("SELECT key, title FROM articles ORDER BY key")).all()
    return random.Random(seed).sample([(r[0], r[1]) for r in rows], n)


def _percentiles(ms: list[float]) -> dict[str, float]:
    ms = sorted(ms)
    pick = lambda q: round(ms[min(len(ms) - 1, int(q * len(ms)))], 2)  # noqa: E731
    return {"p50_ms": pick(0.5), "p95_ms": pick(0.95), "p99_ms": pick(0.99), "max_ms": pick(1.0)}


def _timed(call: Callable[[], Any]) -> tuple[Any, float]:
    started = time.perf_counter()
    result = call()
    return result, (time.perf_counter() - started) * 1000


def evaluate(url: str, items: list[tuple[str, str]]) -> tuple[dict[str, Any], list[str]]:
    """The figures, and the first missed queries (shown, never saved: corpus text)."""
    db = Database(url)
    dialect = db.dialect.name
    hits = strict = 0
    latencies: list[float] = []
    misses: list[str] = []
    with db.read() as conn:
        for key, title in items:
            page, ms = _timed(lambda t=title: search(conn, dialect, fold(t), limit=10, now=NOW))
            latencies.append(ms)
            top = [h.article_id for h in page.hits[:3]]
            found = conn.execute(
                text(f"SELECT key, title FROM articles WHERE id IN ({','.join(map(str, top))})")
            ).all() if top else []
            strict += any(r[0] == key for r in found)
            if any(r[1] == title for r in found):
                hits += 1
            elif len(misses) < 10:
                misses.append(fold(title))
        broad = [_timed(lambda q=q: search(conn, dialect, q, limit=10, now=NOW))[1] for q in BROAD]
        typed = [fold(t)[: 4 + i % 12] for i, (_, t) in enumerate(items[:300])]
        suggest_ms = [_timed(lambda p=p: suggest(conn, dialect, p, 8))[1] for p in typed]
    db.close()
    return {
        "queries": len(items),
        "hit_at_3": round(hits / len(items), 4),
        "hit_at_3_same_article": round(strict / len(items), 4),
        **_percentiles(latencies),
        "broad_queries_ms": dict(zip(BROAD, (round(b, 1) for b in broad), strict=True)),
        "suggest": _percentiles(suggest_ms),
    }, misses


def database_size_mb(db: Database) -> float:
    with db.read() as conn:
        if db.is_sqlite:
            pages = conn.execute(text("PRAGMA page_count")).scalar_one()
            size = pages * conn.execute(text("PRAGMA page_size")).scalar_one()
        else:
            size = conn.execute(text("SELECT pg_database_size(current_database())")).scalar_one()
    return round(int(size) / 2**20, 1)


def run(name: str, url: str, source: Path, n: int, seed: int, keys: list[tuple[str, str]] | None):
    print(f"{name}: importing and indexing…", file=sys.stderr)
    result = load(url, source)
    db = Database(url)
    items = keys or sample(db, n, seed)
    result["database_mb"] = database_size_mb(db)
    db.close()
    print(f"{name}: {n} queries…", file=sys.stderr)
    figures, misses = evaluate(url, items)
    result.update(figures)
    for query in misses:
        print(f"{name}: missed: {query}", file=sys.stderr)
    return result, items


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--queries", type=int, default=1000)
    parser.add_argument("--seed", type=int, default=2017)
    parser.add_argument("--sqlite-db", default=None, help="keep (or reuse) the SQLite database")
    parser.add_argument("--postgres", default=None, help="an empty database URL, or auto")
    args = parser.parse_args()
    source = data_dir() / "baomoi" / "baomoi_2017.jsonl.gz"
    if not source.exists():
        raise SystemExit(f"{source} is absent: set DIEMTIN_SHARED_DATA")
    results: dict[str, Any] = {"machine": describe(), "queries": args.queries, "seed": args.seed}
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(args.sqlite_db or f"{tmp}/search.db").resolve()
        results["sqlite"], items = run(
            "sqlite", f"sqlite:///{path}", source, args.queries, args.seed, None
        )
    if args.postgres:
        results["postgresql"] = _postgres(args.postgres, source, args.queries, args.seed, items)
    print(json.dumps(results, indent=2, ensure_ascii=False))
    out = ROOT / "bench" / "results"
    out.mkdir(parents=True, exist_ok=True)
    (out / "search.json").write_text(json.dumps(results, indent=2, ensure_ascii=False) + "\n")


def _postgres(
    url: str, source: Path, n: int, seed: int, items: list[tuple[str, str]]
) -> dict[str, Any]:
    if url != "auto":
        return run("postgresql", url, source, n, seed, items)[0]
    from tests.support.postgres import Cluster, create_database

    cluster = Cluster()
    cluster.start()
    try:
        target = create_database(cluster.url(), "diemtin_bench_search")
        return run("postgresql", target, source, n, seed, items)[0]
    finally:
        cluster.stop()


if __name__ == "__main__":
    main()
