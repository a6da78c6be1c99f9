"""What feeds, sitemaps and the stories API cost to build on a large store.

Fills a SQLite store with N synthetic articles (default 100,000, one every five
minutes, two categories, paired into N/2 stories; a share of them undated), then
times each document through its bare routes: no page cache, so each figure is
the cost of a cache miss, paid once per new article at most. Prints and saves
bench/results/syndication.json.

    .venv/bin/python bench/syndication.py [--articles N] [--repeat R]
"""

from __future__ import annotations

import argparse
import json
import statistics
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path[:0] = [str(ROOT), str(ROOT / "bench")]

from sqlalchemy import text  # noqa: E402
from starlette.applications import Starlette  # noqa: E402
from starlette.testclient import TestClient  # noqa: E402

from diemtin.pipeline.setup import open_store  # noqa: E402
from diemtin.settings import Settings  # noqa: E402
from diemtin.store.db import Database  # noqa: E402
from diemtin.web.api import api_routes  # noqa: E402
from diemtin.web.syndication import syndication_routes  # noqa: E402
from machine import describe  # noqa: E402

START = 1_700_000_000
STEP = 300  # one article every five minutes
UNDATED_EVERY = 20  # every twentieth article has no publish time


def fill(db: Database, count: int) -> None:
    with db.write() as conn:
        conn.execute(
            text("INSERT INTO categories (slug, name, created_at) VALUES (:s, :s, 0)"),
            [{"s": "a"}, {"s": "b"}],
        )
        cats = [r[0] for r in conn.execute(text("SELECT id FROM categories ORDER BY slug"))]
        conn.execute(
            text("INSERT INTO stories (title, last_updated_at, created_at) VALUES (:t, :u, 0)"),
            [{"t": f"Chuyện {i}", "u": START + i * 2 * STEP} for i in range(count // 2)],
        )
        conn.execute(
            text(
                "INSERT INTO articles (key, url, title, content_hash, fetched_at, stored_at,"
                " published_at, category_id, story_id) VALUES (:k, :u, :t, :h, :p, :p, :d, :c, :s)"
            ),
            [
                {
                    "k": f"k{i}",
                    "u": f"https://bao.example.vn/{i}",
                    "t": f"Tin & <số> {i}",
                    "h": str(i),
                    "p": START + i * STEP,
                    "d": None if i % UNDATED_EVERY == 0 else START + i * STEP,
                    "c": cats[i % 2],
                    "s": i // 2 + 1,
                }
                for i in range(count)
            ],
        )


def timed(client: TestClient, path: str, repeat: int) -> dict[str, Any]:
    client.get(path)  # warm the page cache of the database, not ours
    spent = []
    for _ in range(repeat):
        began = time.perf_counter()
        response = client.get(path)
        spent.append((time.perf_counter() - began) * 1000)
        assert response.status_code == 200, (path, response.status_code)
    spent.sort()
    return {
        "path": path,
        "bytes": len(response.content),
        "median_ms": round(statistics.median(spent), 1),
        "max_ms": round(spent[-1], 1),
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--articles", type=int, default=100_000)
    parser.add_argument("--repeat", type=int, default=7)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        settings = Settings(
            database_url=f"sqlite:///{tmp}/bench.db", builtin_sources=False, base_url="https://x.vn"
        )
        db = open_store(settings)
        began = time.perf_counter()
        fill(db, args.articles)
        filled = time.perf_counter() - began
        now = START + args.articles * STEP
        routes = syndication_routes(db, settings, lambda: now) + api_routes(db, settings)
        client = TestClient(Starlette(routes=routes))
        last_day = time.strftime("%Y-%m-%d", time.gmtime(now + 7 * 3600 - 86_400))
        paths = [
            "/rss.xml",
            "/rss/a.xml",
            "/sitemap.xml",
            f"/sitemaps/{last_day}.xml",
            "/sitemap-news.xml",
            "/api/v1/stories",
            "/api/v1/stories?page=100",
            f"/api/v1/stories/{args.articles // 4}",
        ]
        figures = [timed(client, p, args.repeat) for p in paths]
        db.close()
    result = {
        "articles": args.articles,
        "engine": "sqlite",
        "fill_seconds": round(filled, 1),
        "documents": figures,
        "machine": describe(),
    }
    print(json.dumps(result, ensure_ascii=False, indent=2))
    out = ROOT / "bench" / "results" / "syndication.json"
    out.write_text(json.dumps(result, ensure_ascii=False, indent=2) + "\n", encoding="utf-8")


if __name__ == "__main__":
    main()
