"""Memory of one serving process over a store of 150,000 articles (goal: <= 300 MB RSS).

Starts from a database holding the baomoi corpus (bench/serve.py builds one),
copies it and repeats its articles under new keys until the store holds
--articles rows, then serves it with `diemtin serve` (one process) and walks
the site as readers and crawlers would: the home page, --pages distinct article
pages (each computing its sidebars), every category page, search, feeds and the
sitemaps. Prints the process's resident memory (now and its peak) and the
machine.

The copies are left out of the search index (their text is the same as the
originals'); everything else about them is a real row.

    .venv/bin/python bench/serve_memory.py --db bench/results/serve-baomoi.db
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import socket
import sqlite3
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import httpx

from machine import describe  # bench/machine.py: run as a script, bench/ is on sys.path

ROOT = Path(__file__).resolve().parent.parent
COPIED = (
    "source_id, feed_id, url, canonical_url, guid, title, sapo, body, body_text, author,"
    " lead_image, tags, language, category_id, category_source, category_confidence,"
    " content_hash, title_key, published_at, updated_at, fetched_at, stored_at, status"
)


def grow(db: Path, target: int) -> int:
    """Repeat the articles under new keys until the store holds ``target``; the count."""
    con = sqlite3.connect(db)
    base = con.execute("SELECT MAX(id) FROM articles").fetchone()[0]
    count = con.execute("SELECT COUNT(*) FROM articles").fetchone()[0]
    copy = 1
    while count < target:
        con.execute(
            f"INSERT INTO articles (key, {COPIED}) SELECT key || '#' || ?, "
            + COPIED.replace("url,", "url || '#' || ?,", 1)
            + " FROM articles WHERE id <= ? LIMIT ?",
            (copy, copy, base, target - count),
        )
        count = con.execute("SELECT COUNT(*) FROM articles").fetchone()[0]
        copy += 1
    con.execute("DELETE FROM search_queue")
    con.commit()
    con.close()
    return int(count)


def rss_kb(pid: int) -> tuple[int, int]:
    fields = dict(
        line.split(":", 1) for line in Path(f"/proc/{pid}/status").read_text().splitlines()
    )
    return int(fields["VmRSS"].split()[0]), int(fields["VmHWM"].split()[0])


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def walk(base: str, pages: int, top: int) -> int:
    """Requests as readers and crawlers make them; how many were answered 200."""
    ok = 0
    with httpx.Client(base_url=base, timeout=120) as client:
        paths = ["/", "/rss.xml", "/sitemap.xml", "/sitemap-news.xml", "/tim-kiem?q=ha+noi"]
        step = max(1, top // pages)
        paths += [f"/a/{i}" for i in range(top, 0, -step)][:pages]
        categories = client.get("/api/v1/categories").json().get("categories", [])
        paths += [f"/c/{c['slug']}" for c in categories]
        for path in paths:
            ok += client.get(path).status_code == 200
    return ok


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--db", type=Path, default=ROOT / "bench/results/serve-baomoi.db")
    parser.add_argument("--articles", type=int, default=150_000)
    parser.add_argument("--pages", type=int, default=2_000)
    args = parser.parse_args()
    if not args.db.exists():
        raise SystemExit(f"{args.db} is absent: run bench/serve.py first, it builds one")
    with tempfile.TemporaryDirectory() as tmp:
        db = Path(tmp) / "big.db"
        shutil.copy(args.db, db)
        count = grow(db, args.articles)
        port = free_port()
        env = {**os.environ, "DIEMTIN_DATABASE_URL": f"sqlite:///{db}",
               "DIEMTIN_BUILTIN_SOURCES": "0"}  # fmt: skip
        cmd = [sys.executable, "-m", "diemtin.cli.main", "serve", "--port", str(port)]
        server = subprocess.Popen(cmd, env=env, stdout=subprocess.DEVNULL)
        try:
            base = f"http://127.0.0.1:{port}"
            for _ in range(600):
                try:
                    httpx.get(f"{base}/healthz", timeout=1)
                    break
                except httpx.HTTPError:
                    time.sleep(0.5)
            started = time.perf_counter()
            ok = walk(base, args.pages, count)
            seconds = time.perf_counter() - started
            now_kb, peak_kb = rss_kb(server.pid)
        finally:
            server.terminate()
            server.wait(timeout=30)
    print(json.dumps({
        "articles": count, "requests_ok": ok, "walk_seconds": round(seconds, 1),
        "rss_mb": round(now_kb / 1024, 1), "peak_rss_mb": round(peak_kb / 1024, 1),
        "goal_mb": 300, "machine": describe(),
    }, indent=2))  # fmt: skip


if __name__ == "__main__":
    main()
