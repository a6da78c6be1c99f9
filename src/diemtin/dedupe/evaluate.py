"""Scoring story grouping against known clusters (ViMs): BCubed and pairwise.

Shared by the quality gate in tests/unit/dedupe and bench/grouping.py.
"""

from __future__ import annotations

import json
import random
from collections import Counter
from collections.abc import Callable, Hashable, Sequence
from dataclasses import dataclass
from pathlib import Path
from statistics import mean

from diemtin.dedupe.stories import GroupDoc, StoryGrouper
from diemtin.text import normalize


@dataclass(frozen=True, slots=True)
class Scores:
    precision: float
    recall: float
    f1: float
    pair_precision: float
    pair_recall: float
    pair_f1: float


def _f1(p: float, r: float) -> float:
    return 2 * p * r / (p + r) if p + r else 0.0


def _pairs(counts: Counter[Hashable]) -> int:
    return sum(n * (n - 1) // 2 for n in counts.values())


def score(predicted: Sequence[Hashable], gold: Sequence[Hashable]) -> Scores:
    """BCubed over items (Bagga and Baldwin) and pairwise over same-cluster pairs."""
    if len(predicted) != len(gold) or not gold:
        raise ValueError("need one predicted and one gold label per item")
    pred_n: Counter[Hashable] = Counter(predicted)
    gold_n: Counter[Hashable] = Counter(gold)
    both: Counter[Hashable] = Counter(zip(predicted, gold, strict=True))
    precision = sum(both[(p, g)] / pred_n[p] for p, g in zip(predicted, gold, strict=True))
    recall = sum(both[(p, g)] / gold_n[g] for p, g in zip(predicted, gold, strict=True))
    precision, recall = precision / len(gold), recall / len(gold)
    true_pairs, pred_pairs, gold_pairs = _pairs(both), _pairs(pred_n), _pairs(gold_n)
    pp = true_pairs / pred_pairs if pred_pairs else 1.0
    pr = true_pairs / gold_pairs if gold_pairs else 1.0
    return Scores(precision, recall, _f1(precision, recall), pp, pr, _f1(pp, pr))


def replay(docs: Sequence[GroupDoc], make: Callable[[], StoryGrouper], seed: int) -> dict[int, int]:
    """Feed the docs to a fresh grouper in a shuffled arrival order; doc id -> story key."""
    order = list(docs)
    random.Random(seed).shuffle(order)
    grouper = make()
    return {doc.id: grouper.add(doc).story for doc in order}


def per_seed(
    docs: Sequence[GroupDoc],
    gold: dict[int, str],
    make: Callable[[], StoryGrouper],
    seeds: Sequence[int] = (1, 2, 3),
) -> list[Scores]:
    """Scores of each arrival order, one shuffled order per seed."""
    runs = []
    for seed in seeds:
        placed = replay(docs, make, seed)
        runs.append(score([placed[d.id] for d in docs], [gold[d.id] for d in docs]))
    return runs


def evaluate(
    docs: Sequence[GroupDoc],
    gold: dict[int, str],
    make: Callable[[], StoryGrouper],
    seeds: Sequence[int] = (1, 2, 3),
) -> Scores:
    """Scores averaged over arrival orders, one shuffled order per seed."""
    runs = per_seed(docs, gold, make, seeds)
    return Scores(*(mean(getattr(r, f) for r in runs) for f in Scores.__slots__))


def load_clusters(path: Path) -> tuple[list[GroupDoc], dict[int, str]]:
    """ViMs ``articles.jsonl``: docs (normalized as the store keeps text) and gold clusters."""
    docs: list[GroupDoc] = []
    gold: dict[int, str] = {}
    with path.open(encoding="utf-8") as lines:
        for n, line in enumerate(lines):
            record = json.loads(line)
            docs.append(GroupDoc(n, normalize(record["title"]), normalize(record["body"])))
            gold[n] = str(record["cluster_id"])
    return docs, gold


def halves(gold: dict[int, str], seed: int = 2016) -> tuple[set[int], set[int]]:
    """Doc ids split by cluster into two halves: tune on one, report on the other."""
    clusters = sorted(set(gold.values()))
    random.Random(seed).shuffle(clusters)
    first = set(clusters[: len(clusters) // 2])
    return {d for d, c in gold.items() if c in first}, {
        d for d, c in gold.items() if c not in first
    }
