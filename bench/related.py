"""Tin liên quan quality on ../shared/data/vims: 300 real same-story clusters, 1,950 articles.

For each article, its top 5 related from the whole set (no story ids given: content
alone): precision@5 is the share of those from its own cluster, recall@5 the share
of its cluster (itself left out) found there, both averaged over articles. Goal:
precision@5 >= 0.9. The same run with raw syllables in place of segmented words is
given for comparison, and the time per article (the pool's word lookups built once).

    .venv/bin/python bench/related.py [--limit N] [--no-baseline]
"""

from __future__ import annotations

import argparse
import json
import os
import sys
import time
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path[:0] = [str(ROOT), str(ROOT / "bench")]

from diemtin.rank import similar  # noqa: E402
from diemtin.rank.evaluate import evaluate, load_vims  # noqa: E402
from diemtin.rank.similar import Doc  # noqa: E402
from machine import describe  # noqa: E402


def data_dir() -> Path:
    return Path(os.environ.get("DIEMTIN_SHARED_DATA", ROOT.parent / "shared" / "data"))


def measure(docs: list[Doc], gold: dict[int, str]) -> dict[str, Any]:
    started = time.perf_counter()
    for d in docs:
        d.grams  # noqa: B018 (built once per article, as the web cache keeps them)
    build = time.perf_counter() - started
    started = time.perf_counter()
    quality = evaluate(docs, gold, k=5)
    seconds = time.perf_counter() - started
    return {
        "articles": quality.articles,
        "precision_at_5": round(quality.precision, 4),
        "recall_at_5": round(quality.recall, 4),
        "ms_per_article": round(seconds / quality.articles * 1000, 1),
        "lookups_build_s": round(build, 2),
    }


def syllables(text: str) -> list[str]:
    """The baseline: every syllable its own word."""
    return similar.flat_words(text)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--limit", type=int, default=0, help="first N articles only")
    parser.add_argument("--no-baseline", action="store_true")
    args = parser.parse_args()
    path = data_dir() / "vims" / "articles.jsonl"
    if not path.is_file():
        sys.exit("../shared/data/vims is absent: set DIEMTIN_SHARED_DATA")
    docs, gold = load_vims(path)
    if args.limit:
        docs = docs[: args.limit]
    similar.segment("khởi động")  # load the model outside the timing
    result: dict[str, Any] = {"machine": describe(), "segmented": measure(docs, gold)}
    if not args.no_baseline:
        segment = similar.segment
        similar.segment = syllables  # type: ignore[assignment]
        try:
            fresh = [Doc(d.id, d.title, d.text, d.published_at) for d in docs]
            result["syllables"] = measure(fresh, gold)
        finally:
            similar.segment = segment  # type: ignore[assignment]
    out = ROOT / "bench" / "results" / "related.json"
    out.write_text(json.dumps(result, indent=2, ensure_ascii=False) + "\n", encoding="utf-8")
    print(json.dumps(result, indent=2, ensure_ascii=False))


if __name__ == "__main__":
    main()
