"""kill -9 at random moments during import and crawl: nothing lost, nothing twice.

The CLI runs as a real subprocess; after the kills, one undisturbed run
finishes the work and the store must hold every article exactly once.
"""

from __future__ import annotations

import os
import random
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest
from sqlalchemy import text

from diemtin.pipeline.setup import open_store
from diemtin.settings import Settings
from tests.support.archives import article_record, write_jsonl
from tests.support.publisher import Publisher
from tests.support.site import serve_site, sources_toml

pytestmark = pytest.mark.loopback
KILLS = 10  # per test: 20 over import and crawl together


def _cli(env: dict[str, str], *args: str) -> subprocess.Popen[bytes]:
    return subprocess.Popen(
        [sys.executable, "-m", "diemtin.cli.main", *args],
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
    )


def _kill_repeatedly(env: dict[str, str], args: list[str], seed: int) -> int:
    """Start the command and kill -9 it at random moments, KILLS times."""
    rng = random.Random(seed)
    kills = 0
    while kills < KILLS:
        proc = _cli(env, *args)
        time.sleep(rng.uniform(1.1, 2.2))  # start-up takes about a second
        if proc.poll() is not None:
            break  # finished before the kill: nothing left to interrupt
        os.kill(proc.pid, signal.SIGKILL)
        proc.wait()
        kills += 1
    return kills


def _env(database_url: str, **extra: str) -> dict[str, str]:
    return {
        **os.environ,
        "DIEMTIN_DATABASE_URL": database_url,
        "DIEMTIN_BUILTIN_SOURCES": "0",
        **extra,
    }


def _finish(env: dict[str, str], *args: str) -> None:
    proc = _cli(env, *args)
    _, stderr = proc.communicate(timeout=300)
    assert proc.returncode == 0, stderr.decode()


def test_kill_during_import(database_url: str, tmp_path: Path) -> None:
    # Each killed run stores at most a second's worth (start-up takes the first), so
    # 12,000 outlasts the kills and leaves the last run most of the archive.
    total = 12_000
    path = write_jsonl(tmp_path / "big.jsonl", [article_record(i) for i in range(total)])
    env = _env(database_url, DIEMTIN_IMPORT_BATCH="100")
    kills = _kill_repeatedly(env, ["import", str(path)], seed=1)
    _finish(env, "import", str(path))
    db = open_store(Settings(database_url=database_url, builtin_sources=False))
    with db.read() as conn:
        count, distinct = conn.execute(
            text("SELECT COUNT(*), COUNT(DISTINCT guid) FROM articles")
        ).one()
    assert kills == KILLS, f"the import finished after {kills} kills"
    assert (count, distinct) == (total, total)


def test_kill_during_crawl(database_url: str, tmp_path: Path) -> None:
    pages = 200
    with Publisher() as pub:
        feed = serve_site(pub, range(pages), delay=0.2)
        toml = tmp_path / "sources.toml"
        toml.write_text(sources_toml(feed, pub.url("/")), encoding="utf-8")
        env = _env(
            database_url,
            DIEMTIN_SOURCES_FILE=str(toml),
            DIEMTIN_FETCH_ALLOW_HOSTS="127.0.0.1",
            DIEMTIN_FETCH_HOST_DELAY="0",
            DIEMTIN_FETCH_PER_HOST="2",
            DIEMTIN_ARTICLES_PER_FEED=str(pages),
        )
        kills = _kill_repeatedly(env, ["crawl", "--once", "--all"], seed=2)
        _finish(env, "crawl", "--once")
    db = open_store(Settings(database_url=database_url, builtin_sources=False))
    with db.read() as conn:
        count, distinct = conn.execute(
            text("SELECT COUNT(*), COUNT(DISTINCT url) FROM articles")
        ).one()
        states = dict(conn.execute(text("SELECT state, COUNT(*) FROM items GROUP BY state")).all())
    assert kills == KILLS, f"the crawl finished after {kills} kills"
    assert (count, distinct) == (pages, pages)
    assert states == {"stored": pages}
