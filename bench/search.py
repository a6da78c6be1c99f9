"""Known-item search over ../shared/data/baomoi (35,440 articles) on SQLite and PostgreSQL.

Imports the corpus through the real importer, indexes it, then types 1,000
titles (fixed seed) without accents and checks that each one's article comes
back in the top 3. Baomoi reposts stories, so a hit is any article with the
identical title in the top 3 (the strict figure, same article only, is given
too). Latency is the whole ``search()`` call the search page makes (ranking,
10 hits with snippets), wall clock, cold caches included; the JSON API's call
without snippets is timed too. Goals: hit@3 >= 95%, p95 < 20 ms.

    .venv/bin/python bench/search.py [--postgres URL|auto] [--sqlite-db PATH] [--queries N]

``--sqlite-db`` keeps the imported database (reused when it already holds the
corpus); ``--postgres auto`` starts a throwaway cluster (tests/support/postgres.py).
Missed queries are printed, never saved: they are corpus text.
"""

from __future__ import annotations

import argparse
import json
import os
import random
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path[:0] = [str(ROOT), str(ROOT / "bench")]

from sqlalchemy import Connection, text  # noqa: E402

from diemtin.pipeline.importing import Importer  # noqa: E402
from diemtin.pipeline.setup import open_store, publishers  # noqa: E402
from diemtin.search import index_pending, search, suggest  # noqa: E402
from diemtin.settings import Settings  # noqa: E402
from diemtin.store.db import Database  # noqa: E402
from diemtin.text import fold  # noqa: E402
from machine import describe  # noqa: E402

NOW = 1_500_000_000  # mid-2017, the corpus's time
BROAD = ["viet nam", "ha noi", "nguoi dan", "tp hcm", "bong da", "gia vang", "cong an", "o"]
HIT_RULE = "an article with the identical title (reposts share titles) in the top 3"


def data_dir() -> Path:
    return Path(os.environ.get("DIEMTIN_SHARED_DATA", ROOT.parent / "shared" / "data"))


def load(url: str, source: Path) -> dict[str, Any]:
    """Import (unless the database already holds the corpus), then index everything queued."""
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
    with db.write() as conn:  # what autovacuum does within a minute of a bulk load
        conn.execute(text("ANALYZE"))
    report["database_mb"] = _size_mb(db)
    db.close()
    return report


def _size_mb(db: Database) -> float:
    with db.read() as conn:
        if db.is_sqlite:
            pages = conn.execute(text("PRAGMA page_count")).scalar_one()
            size = pages * conn.execute(text("PRAGMA page_size")).scalar_one()
        else:
            size = conn.execute(text("SELECT pg_database_size(current_database())")).scalar_one()
    return round(int(size) / 2**20, 1)


def sample(url: str, n: int, seed: int) -> list[tuple[str, str]]:
    """(key, title) of n articles, the same on every engine: keys are stable, ids may not be."""
    db = Database(url)
    with db.read() as conn:
        rows = conn.execute(text("SELECT key, title FROM articles ORDER BY key")).all()
    db.close()
    return random.Random(seed).sample([(r[0], r[1]) for r in rows], n)


def _percentiles(ms: list[float]) -> dict[str, float]:
    ms = sorted(ms)
    pick = lambda q: round(ms[min(len(ms) - 1, int(q * len(ms)))], 2)  # noqa: E731
    return {"p50": pick(0.5), "p95": pick(0.95), "p99": pick(0.99), "max": pick(1.0)}


def _timed(call: Callable[[], Any]) -> tuple[Any, float, float]:
    """The result, wall-clock ms and this process's CPU ms (SQLite runs in-process)."""
    wall, cpu = time.perf_counter(), time.process_time()
    result = call()
    return result, (time.perf_counter() - wall) * 1000, (time.process_time() - cpu) * 1000


def _top3(conn: Connection, ids: list[int]) -> list[tuple[str, str]]:
    if not ids:
        return []
    rows = conn.execute(
        text(f"SELECT key, title FROM articles WHERE id IN ({','.join(map(str, ids))})")
    )
    return [(r[0], r[1]) for r in rows]


def evaluate(url: str, items: list[tuple[str, str]]) -> tuple[dict[str, Any], list[str]]:
    """The figures, and the first missed queries."""
    db = Database(url)
    dialect = db.dialect.name
    hits = strict = 0
    wall: list[float] = []
    cpu: list[float] = []
    misses: list[str] = []
    with db.read() as conn:
        for key, title in items:
            query = fold(title)
            page, ms, cpu_ms = _timed(lambda q=query: search(conn, dialect, q, limit=10, now=NOW))
            wall.append(ms)
            cpu.append(cpu_ms)
            found = _top3(conn, [h.article_id for h in page.hits[:3]])
            strict += any(k == key for k, _ in found)
            hits += any(t == title for _, t in found)
            if not any(t == title for _, t in found) and len(misses) < 10:
                misses.append(query)
        api = [
            _timed(lambda t=t: search(conn, dialect, fold(t), now=NOW, snippets=False))[1]
            for _, t in items
        ]
        broad = [_timed(lambda q=q: search(conn, dialect, q, limit=10, now=NOW))[1] for q in BROAD]
        typed = [fold(t)[: 4 + i % 12] for i, (_, t) in enumerate(items[:300])]
        suggest_ms = [_timed(lambda p=p: suggest(conn, dialect, p, 8))[1] for p in typed]
    db.close()
    figures: dict[str, Any] = {
        "hit_at_3": round(hits / len(items), 4),
        "hit_at_3_same_article": round(strict / len(items), 4),
        "latency_ms": _percentiles(wall),
        "latency_without_snippets_ms": _percentiles(api),
        "broad_queries_ms": dict(zip(BROAD, (round(b, 1) for b in broad), strict=True)),
        "suggest_ms": _percentiles(suggest_ms),
    }
    if dialect == "sqlite":
        figures["cpu_ms"] = _percentiles(cpu)  # unaffected by other processes' load
    return figures, misses


def run(
    name: str, url: str, source: Path, items: list[tuple[str, str]] | None, args: Any
) -> tuple[dict[str, Any], list[tuple[str, str]]]:
    print(f"{name}: importing and indexing…", file=sys.stderr)
    result = load(url, source)
    items = items or sample(url, args.queries, args.seed)
    print(f"{name}: {len(items)} queries…", file=sys.stderr)
    figures, misses = evaluate(url, items)
    result.update(figures)
    for query in misses:
        print(f"{name}: missed: {query}", file=sys.stderr)
    return result, items


def _postgres(url: str, source: Path, items: list[tuple[str, str]], args: Any) -> dict[str, Any]:
    if url != "auto":
        return run("postgresql", url, source, items, args)[0]
    from tests.support.postgres import Cluster, create_database

    cluster = Cluster()
    cluster.start()
    try:
        target = create_database(cluster.url(), "diemtin_bench_search")
        return run("postgresql", target, source, items, args)[0]
    finally:
        cluster.stop()


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
    results["hit_rule"] = HIT_RULE
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(args.sqlite_db or f"{tmp}/search.db").resolve()
        results["sqlite"], items = run("sqlite", f"sqlite:///{path}", source, None, args)
    if args.postgres:
        results["postgresql"] = _postgres(args.postgres, source, items, args)
    results["load_average_after"] = os.getloadavg()
    print(json.dumps(results, indent=2, ensure_ascii=False))
    out = ROOT / "bench" / "results"
    out.mkdir(parents=True, exist_ok=True)
    (out / "search.json").write_text(json.dumps(results, indent=2, ensure_ascii=False) + "\n")


if __name__ == "__main__":
    main()
