"""All sidebars of one article page over ../shared/data/baomoi (35,440 articles), cold and
warm, and views written per second, on SQLite (and PostgreSQL with --postgres).

The corpus has no dates, categories or stories: the bench gives each article a
publish time (one every 2 minutes, the newest an hour before ``now``), one of 12
categories and, for one in ten, a story shared with its neighbour; then it
simulates reading (views on 3,000 articles, votes on 300, fixed seed) so every
block has work to do.

- cold: a fresh process cache (``SidebarCache``), every step read from the store:
  site-wide candidates, the related pool (segmentation and word lookups), items;
- warm: the cache holding the site-wide candidates and the pool's word lookups,
  for an article not seen yet (what most page views cost);
- cached: the same article again (the related list kept until something changes).

Views: each write is the beacon's transaction (daily mark + hourly upsert), one
thread and 4 threads at once, distinct readers so every view counts.

    .venv/bin/python bench/sidebars.py [--sqlite-db PATH] [--postgres URL] [--pages N]
"""

from __future__ import annotations

import argparse
import json
import os
import random
import statistics
import sys
import tempfile
import threading
import time
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path[:0] = [str(ROOT), str(ROOT / "bench")]

from sqlalchemy import text  # noqa: E402

from diemtin.engage import vietnam_day, view_mark  # noqa: E402
from diemtin.pipeline.importing import Importer  # noqa: E402
from diemtin.pipeline.setup import open_store, publishers  # noqa: E402
from diemtin.settings import Settings  # noqa: E402
from diemtin.store import signals  # noqa: E402
from diemtin.store.db import Database  # noqa: E402
from diemtin.web.blocks import SidebarCache, sidebars  # noqa: E402
from machine import describe  # noqa: E402

CATEGORIES = 12
STEP = 120  # seconds between two articles' publish times


def data_dir() -> Path:
    return Path(os.environ.get("DIEMTIN_SHARED_DATA", ROOT.parent / "shared" / "data"))


def prepare(db: Database, now: int) -> list[int]:
    """Import if empty, then dates, categories and stories (idempotent); the article ids."""
    with db.read() as conn:
        stored = int(conn.execute(text("SELECT COUNT(*) FROM articles")).scalar_one())
    if stored == 0:
        source = data_dir() / "baomoi" / "baomoi_2017.jsonl.gz"
        settings = Settings(database_url=db.url)
        Importer(db, publishers(settings), batch=settings.import_batch).run(source, restart=True)
    with db.write() as conn:
        for n in range(CATEGORIES):
            conn.execute(
                text(
                    "INSERT INTO categories (slug, name, position, created_at)"
                    " VALUES (:s, :n, :p, 0) ON CONFLICT (slug) DO NOTHING"
                ),
                {"s": f"bench-{n}", "n": f"Mục {n}", "p": 100 + n},
            )
        cats = [r[0] for r in conn.execute(text("SELECT id FROM categories ORDER BY id"))]
        ids = [r[0] for r in conn.execute(text("SELECT id FROM articles ORDER BY id"))]
        newest = now - 3600
        conn.execute(
            text("UPDATE articles SET published_at = :t - (:last - id) * :step"),
            {"t": newest, "last": ids[-1], "step": STEP},
        )
        for n, cat in enumerate(cats[-CATEGORIES:]):
            conn.execute(
                text("UPDATE articles SET category_id = :c WHERE id % :k = :n"),
                {"c": cat, "k": CATEGORIES, "n": n},
            )
        if conn.execute(text("SELECT COUNT(*) FROM stories")).scalar_one() == 0:
            for a in ids[::10]:
                story = conn.execute(
                    text("INSERT INTO stories (title, created_at) VALUES ('', 0) RETURNING id")
                ).scalar_one()
                conn.execute(
                    text("UPDATE articles SET story_id = :s WHERE id IN (:a, :b)"),
                    {"s": story, "a": a, "b": a + 1},
                )
    return ids


def simulate_reading(db: Database, ids: list[int], now: int) -> None:
    with db.read() as conn:
        if conn.execute(text("SELECT COUNT(*) FROM view_counts")).scalar_one():
            return
    rng = random.Random(2017)
    recent = ids[-5000:]
    with db.write() as conn:
        for a in rng.sample(recent, 3000):
            for h in range(rng.randint(1, 24)):
                conn.execute(
                    text("INSERT INTO view_counts (article_id, bucket, views) VALUES (:a, :b, :v)"),
                    {"a": a, "b": (now - h * 3600) // 3600 * 3600, "v": rng.randint(1, 50)},
                )
        for a in rng.sample(recent, 300):
            for r in range(rng.randint(1, 5)):
                signals.cast_vote(conn, a, f"bench-{a}-{r}", rng.random() < 0.7, now)


def _ms(values: list[float]) -> dict[str, float]:
    values = sorted(values)
    p95 = values[min(len(values) - 1, int(len(values) * 0.95))]
    return {"p50_ms": round(statistics.median(values) * 1000, 1), "p95_ms": round(p95 * 1000, 1)}


def time_sidebars(db: Database, ids: list[int], now: int, pages: int) -> dict[str, Any]:
    settings = Settings(database_url=db.url)
    rng = random.Random(7)
    chosen = rng.sample(ids[-3000:], pages)
    cold, warm, cached = [], [], []
    for a in chosen:  # each in a new cache: nothing kept from before
        with db.read() as conn:
            started = time.perf_counter()
            sidebars(conn, a, now=now, settings=settings, cache=SidebarCache())
            cold.append(time.perf_counter() - started)
    cache = SidebarCache()
    with db.read() as conn:
        sidebars(conn, ids[-1], now=now, settings=settings, cache=cache)
    filled = 0
    for a in chosen:
        with db.read() as conn:
            started = time.perf_counter()
            side = sidebars(conn, a, now=now, settings=settings, cache=cache)
            warm.append(time.perf_counter() - started)
            started = time.perf_counter()
            sidebars(conn, a, now=now, settings=settings, cache=cache)
            cached.append(time.perf_counter() - started)
        filled += all([side.hot, side.spotlight, side.latest, side.related, side.for_you])
    return {
        "pages": pages,
        "cold": _ms(cold),
        "warm": _ms(warm),
        "cached": _ms(cached),
        "pages_with_every_block_filled": filled,
    }


def time_views(db: Database, ids: list[int], now: int, count: int, threads: int) -> float:
    """Views written per second: each one the beacon's own transaction."""
    day, per = vietnam_day(now), count // threads
    targets = ids[-2000:]

    def work(k: int) -> None:
        for n in range(per):
            mark = view_mark(f"bench:{k}:{n}", targets[n % len(targets)], day, "bench")
            with db.write() as conn:
                signals.record_view(conn, targets[n % len(targets)], marks=[mark], day=day, now=now)

    started = time.perf_counter()
    pool = [threading.Thread(target=work, args=(k,)) for k in range(threads)]
    for t in pool:
        t.start()
    for t in pool:
        t.join()
    return round(per * threads / (time.perf_counter() - started), 1)


def run(url: str, pages: int) -> dict[str, Any]:
    db = open_store(Settings(database_url=url))
    now = 1_500_000_000
    started = time.perf_counter()
    ids = prepare(db, now)
    simulate_reading(db, ids, now)
    report: dict[str, Any] = {"articles": len(ids)}
    report["prepare_s"] = round(time.perf_counter() - started)
    report["sidebars"] = time_sidebars(db, ids, now, pages)
    report["views_per_s_1_thread"] = time_views(db, ids, now + 7200, 3000, 1)
    report["views_per_s_4_threads"] = time_views(db, ids, now + 10800, 4000, 4)
    db.close()
    return report


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--sqlite-db", default=None, help="keep (or reuse) the SQLite database")
    parser.add_argument("--postgres", default=None, help="a PostgreSQL URL to measure too")
    parser.add_argument("--pages", type=int, default=30)
    args = parser.parse_args()
    if not (data_dir() / "baomoi").is_dir():
        sys.exit("../shared/data/baomoi is absent: set DIEMTIN_SHARED_DATA")
    with tempfile.TemporaryDirectory() as tmp:
        path = args.sqlite_db or str(Path(tmp) / "sidebars.db")
        result: dict[str, Any] = {"machine": describe()}
        result["sqlite"] = run(f"sqlite:///{path}", args.pages)
        if args.postgres:
            result["postgresql"] = run(args.postgres, args.pages)
    out = ROOT / "bench" / "results" / "sidebars.json"
    out.write_text(json.dumps(result, indent=2, ensure_ascii=False) + "\n", encoding="utf-8")
    print(json.dumps(result, indent=2, ensure_ascii=False))


if __name__ == "__main__":
    main()
