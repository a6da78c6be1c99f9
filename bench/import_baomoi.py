"""Import ../shared/data/baomoi (35,440 articles) through the full pipeline.

Reports articles per second and the process's peak memory, on SQLite and, with
--postgres URL, on PostgreSQL. Goal (shared/spec/goals.md): >= 500 articles/s on SQLite.

    .venv/bin/python bench/import_baomoi.py [--limit N] [--postgres postgresql://...]
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import tempfile
import time
from pathlib import Path

from diemtin.pipeline.importing import Importer
from diemtin.pipeline.setup import open_store, publishers
from diemtin.settings import Settings
from machine import describe  # bench/machine.py: run as a script, bench/ is on sys.path

ROOT = Path(__file__).resolve().parent.parent


def data_dir() -> Path:
    return Path(os.environ.get("DIEMTIN_SHARED_DATA", ROOT.parent / "shared" / "data"))


def run(url: str, source: Path, limit: int | None, processes: int) -> dict[str, float]:
    path = source
    if limit:
        import gzip

        path = Path(tempfile.mkdtemp()) / "slice.jsonl"
        with gzip.open(source, "rt", encoding="utf-8") as src, path.open("w") as out:
            for i, line in enumerate(src):
                if i >= limit:
                    break
                out.write(line)
    settings = Settings(database_url=url, import_processes=processes)
    db = open_store(settings)
    importer = Importer(
        db, publishers(settings), batch=settings.import_batch, processes=settings.import_processes
    )
    started, cpu_started = time.perf_counter(), time.process_time()
    report = importer.run(path, restart=True)
    seconds = time.perf_counter() - started
    # CPU time of this process: comparable on a busy machine where wall time is not
    cpu = time.process_time() - cpu_started
    db.close()
    return {
        "articles": report.new + report.updated + report.unchanged,
        "new": report.new,
        "failed": report.failed,
        "seconds": round(seconds, 2),
        "articles_per_s": round((report.position) / seconds, 1),
        "cpu_seconds": round(cpu, 2),
        "articles_per_cpu_s": round(report.position / cpu, 1),
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--limit", type=int, default=None, help="only the first N articles")
    parser.add_argument("--postgres", default=None, help="also run against this empty database")
    parser.add_argument(
        "--processes", type=int, default=0, help="preparing processes (0: one per core)"
    )
    args = parser.parse_args()
    source = data_dir() / "baomoi" / "baomoi_2017.jsonl.gz"
    if not source.exists():
        raise SystemExit(f"{source} is absent: set DIEMTIN_SHARED_DATA")
    results: dict[str, object] = {"machine": describe()}
    with tempfile.TemporaryDirectory() as tmp:
        results["sqlite"] = run(f"sqlite:///{tmp}/bench.db", source, args.limit, args.processes)
    if args.postgres:
        results["postgresql"] = run(args.postgres, source, args.limit, args.processes)
    results["peak_rss_mb"] = round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024, 1)
    print(json.dumps(results, indent=2, ensure_ascii=False))
    out = ROOT / "bench" / "results"
    out.mkdir(parents=True, exist_ok=True)
    (out / "import_baomoi.json").write_text(json.dumps(results, indent=2, ensure_ascii=False))


if __name__ == "__main__":
    main()
