"""Story grouping: quality on ViMs, speed on Báo Mới.

    .venv/bin/python bench/grouping.py [--data PATH] [--output PATH] [--rounds N] [--limit N]

Quality: the 1,950 ViMs articles (300 real same-story clusters) are fed to a
fresh grouper in three shuffled arrival orders and scored with BCubed and
pairwise precision, recall and F1, averaged over the orders (and for the
defaults, each order on its own). To tune for the problem rather than the set,
the clusters are split in two halves: the threshold and title weight are
picked on half A only, then reported on half B and on everything, beside the
shipped defaults.

Word segmentation is measured too when pyvi is importable (it is not a
dependency): each text is segmented first, its words glued into single tokens.

Speed: the 35,440 Báo Mới articles (title, sapo, body; no dates) are grouped
one by one, signature included, as ``group_article`` does; text is normalized
beforehand, as the store keeps it. Reported as articles per second of this
process's CPU time (one core), best and median of the rounds, and wall time.

Writes a table to stdout and everything to bench/results/grouping.json.
"""

from __future__ import annotations

import argparse
import gzip
import json
import os
import resource
import statistics
import sys
import time
from dataclasses import asdict, replace
from functools import partial
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "src"))

from diemtin.dedupe.evaluate import Scores, evaluate, halves, load_clusters, per_seed  # noqa: E402
from diemtin.dedupe.stories import GroupDoc, StoryGrouper  # noqa: E402
from diemtin.text import normalize  # noqa: E402
from machine import describe  # noqa: E402  # bench/machine.py: bench/ is on sys.path

THRESHOLDS = [round(0.30 + 0.02 * i, 2) for i in range(11)]
TITLE_WEIGHTS = [0.0, 0.1, 0.15, 0.2, 0.3]


def default_data() -> Path:
    shared = os.environ.get("DIEMTIN_SHARED_DATA")
    return Path(shared) if shared else ROOT.parent / "shared" / "data"


def scores_dict(s: Scores) -> dict[str, float]:
    return {k: round(v, 4) for k, v in asdict(s).items()}


def subset(docs: list[GroupDoc], ids: set[int]) -> list[GroupDoc]:
    return [d for d in docs if d.id in ids]


def quality(docs: list[GroupDoc], gold: dict[int, str]) -> dict[str, Any]:
    half_a, half_b = halves(gold)
    a, b = subset(docs, half_a), subset(docs, half_b)
    tried = []
    for threshold in THRESHOLDS:
        for weight in TITLE_WEIGHTS:
            f1 = evaluate(
                a, gold, partial(StoryGrouper, threshold=threshold, title_weight=weight)
            ).f1
            tried.append((f1, threshold, weight))
    _, threshold, weight = max(tried)

    def report(make: Any) -> dict[str, dict[str, float]]:
        return {
            name: scores_dict(evaluate(part, gold, make))
            for name, part in (("half_a", a), ("half_b", b), ("all", docs))
        }

    defaults = StoryGrouper()
    seeds = (1, 2, 3)
    return {
        "picked_on_half_a": {"threshold": threshold, "title_weight": weight},
        "picked": report(lambda: StoryGrouper(threshold=threshold, title_weight=weight)),
        "defaults": {"threshold": defaults.threshold, "title_weight": defaults.title_weight},
        "with_defaults": report(StoryGrouper),
        "with_defaults_per_seed": {
            str(seed): scores_dict(s)
            for seed, s in zip(seeds, per_seed(docs, gold, StoryGrouper, seeds), strict=True)
        },
    }


def segmentation(docs: list[GroupDoc], gold: dict[int, str]) -> dict[str, Any]:
    try:
        from pyvi import ViTokenizer  # type: ignore[import-not-found]
    except ImportError:
        return {"skipped": "pyvi is not installed"}
    started = time.process_time()
    words = [
        replace(d, title=ViTokenizer.tokenize(d.title), text=ViTokenizer.tokenize(d.text))
        for d in docs
    ]
    per_article = (time.process_time() - started) / len(docs)
    # "máy_bay" would split at "_": glue the word's syllables instead
    words = [
        replace(d, title=d.title.replace("_", ""), text=d.text.replace("_", "")) for d in words
    ]
    best = max(
        (evaluate(words, gold, partial(StoryGrouper, threshold=t)).f1, t) for t in THRESHOLDS
    )
    return {
        "segmenter": "pyvi",
        "ms_per_article": round(per_article * 1000, 2),
        "syllables_all_f1": round(evaluate(docs, gold, StoryGrouper).f1, 4),
        "words_all_f1_best_threshold": round(best[0], 4),
        "words_best_threshold": best[1],
    }


def load_baomoi(path: Path, limit: int | None) -> list[GroupDoc]:
    docs = []
    with gzip.open(path, "rt", encoding="utf-8") as lines:
        for n, line in enumerate(lines):
            if limit is not None and n >= limit:
                break
            record = json.loads(line)
            text = f"{record.get('sapo') or ''}\n{record.get('body') or ''}"
            docs.append(GroupDoc(n, normalize(record.get("title") or ""), normalize(text)))
    return docs


def speed(docs: list[GroupDoc], rounds: int) -> dict[str, Any]:
    runs = []
    for _ in range(rounds):
        grouper = StoryGrouper()
        stories, near = set(), 0
        cpu, wall = time.process_time(), time.perf_counter()
        for doc in docs:
            placed = grouper.add(doc)
            stories.add(placed.story)
            near += placed.near_duplicate_of is not None
        runs.append((time.process_time() - cpu, time.perf_counter() - wall))
    cpu_rates = sorted(len(docs) / c for c, _ in runs)
    return {
        "articles": len(docs),
        "stories": len(stories),
        "near_duplicates": near,
        "articles_per_s_cpu_best": round(cpu_rates[-1]),
        "articles_per_s_cpu_median": round(statistics.median(cpu_rates)),
        "articles_per_s_wall_best": round(max(len(docs) / w for _, w in runs)),
        "peak_rss_mb": round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024),
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--data", type=Path, default=default_data())
    parser.add_argument("--output", type=Path, default=ROOT / "bench" / "results" / "grouping.json")
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--limit", type=int, default=None, help="only the first N Báo Mới articles")
    args = parser.parse_args()
    vims, baomoi = (
        args.data / "vims" / "articles.jsonl",
        args.data / "baomoi" / "baomoi_2017.jsonl.gz",
    )
    for path in (vims, baomoi):
        if not path.exists():
            raise SystemExit(f"{path} is absent: set DIEMTIN_SHARED_DATA or --data")
    results: dict[str, Any] = {"machine": describe()}
    print(f"machine: {results['machine']}")
    docs, gold = load_clusters(vims)
    results["quality"] = quality(docs, gold)
    print_quality(results["quality"])
    results["segmentation"] = segmentation(docs, gold)
    print(f"segmentation: {results['segmentation']}")
    results["speed"] = speed(load_baomoi(baomoi, args.limit), args.rounds)
    print(f"speed: {results['speed']}")
    args.output.parent.mkdir(parents=True, exist_ok=True)
    args.output.write_text(json.dumps(results, indent=2, ensure_ascii=False) + "\n")
    print(f"wrote {args.output}")


def print_quality(q: dict[str, Any]) -> None:
    print(f"picked on half A: {q['picked_on_half_a']}; defaults: {q['defaults']}")
    print(f"{'setting':10} {'part':7} {'B3 P':>6} {'B3 R':>6} {'B3 F1':>6} {'pair F1':>7}")
    for setting in ("picked", "with_defaults"):
        for part, s in q[setting].items():
            print(
                f"{setting:10} {part:7} {s['precision']:6.4f} {s['recall']:6.4f}"
                f" {s['f1']:6.4f} {s['pair_f1']:7.4f}"
            )
    for seed, s in q["with_defaults_per_seed"].items():
        print(
            f"{'seed ' + seed:10} {'all':7} {s['precision']:6.4f} {s['recall']:6.4f}"
            f" {s['f1']:6.4f} {s['pair_f1']:7.4f}"
        )


if __name__ == "__main__":
    main()
