"""An import killed with -9 leaves no worker process behind."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from tests.support.archives import article_record, write_jsonl

pytestmark = pytest.mark.loopback

_IMPORT = """
import sys
from pathlib import Path
from diemtin.pipeline.importing import Importer
from diemtin.pipeline.setup import open_store
from diemtin.settings import Settings

if __name__ == "__main__":
    db = open_store(Settings(database_url=sys.argv[1], builtin_sources=False))
    Importer(db, [], processes=2, workers_after=0).run(Path(sys.argv[2]))
"""


def _children() -> dict[int, int]:
    """pid -> parent pid of every process on the machine."""
    out = {}
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            try:
                stat = (entry / "stat").read_text()
            except OSError:
                continue
            out[int(entry.name)] = int(stat.rsplit(")", 1)[1].split()[1])
    return out


def _descendants(root: int) -> set[int]:
    parents = _children()
    found, frontier = set(), {root}
    while frontier:
        frontier = {pid for pid, parent in parents.items() if parent in frontier} - found
        found |= frontier
    return found


def test_workers_exit_when_the_importer_is_killed(tmp_path: Path) -> None:
    archive = write_jsonl(tmp_path / "a.jsonl", [article_record(i) for i in range(20_000)])
    script = tmp_path / "run_import.py"
    script.write_text(_IMPORT)
    url = f"sqlite:///{tmp_path}/x.db"
    proc = subprocess.Popen([sys.executable, str(script), url, str(archive)])
    deadline = time.monotonic() + 60
    workers: set[int] = set()
    while len(workers) < 3 and time.monotonic() < deadline:  # the forkserver and two workers
        assert proc.poll() is None, "the import ended before its workers started"
        time.sleep(0.2)
        workers = _descendants(proc.pid)
    assert len(workers) >= 3, "no workers started"
    os.kill(proc.pid, signal.SIGKILL)
    proc.wait()
    deadline = time.monotonic() + 15
    while time.monotonic() < deadline and workers & set(_children()):
        time.sleep(0.2)
    left = workers & set(_children())
    for pid in left:  # so a failure here leaves nothing running either
        os.kill(pid, signal.SIGKILL)
    assert not left, f"left running: {sorted(left)}"
