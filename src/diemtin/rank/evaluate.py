"""Related-article quality on labelled same-story clusters: precision@k and recall@k."""

from __future__ import annotations

import json
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

from diemtin.rank.similar import Doc, related


@dataclass(frozen=True)
class Quality:
    precision: float  # share of each article's top k from its own cluster, averaged
    recall: float  # share of each article's cluster (itself left out) found in its top k
    articles: int


def load_vims(path: Path) -> tuple[list[Doc], dict[int, str]]:
    """ViMs ``articles.jsonl``: docs (no dates: all at 0, no stories) and each one's cluster."""
    docs: list[Doc] = []
    gold: dict[int, str] = {}
    with path.open(encoding="utf-8") as lines:
        for n, line in enumerate(lines, start=1):
            row = json.loads(line)
            docs.append(Doc(id=n, title=row["title"], text=row["body"], published_at=0))
            gold[n] = row["cluster_id"]
    return docs, gold


def evaluate(docs: Sequence[Doc], gold: dict[int, str], k: int = 5) -> Quality:
    precision = recall = 0.0
    for doc in docs:
        found = [r.id for r in related(doc, docs, k)]
        mates = sum(1 for d in docs if gold[d.id] == gold[doc.id] and d.id != doc.id)
        hits = sum(1 for i in found if gold[i] == gold[doc.id])
        precision += hits / len(found) if found else 0.0
        recall += hits / mates if mates else 1.0
    n = len(docs) or 1
    return Quality(precision / n, recall / n, len(docs))
