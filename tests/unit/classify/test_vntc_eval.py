"""Quality gate: the category model on real VNTC articles must not get worse.

Trains on every fourth article of VNTC train and scores on every tenth of test
(fixed subsets, seed 0), in well under a minute. The floor sits just under what
this test measured when it was set; floors only move up. The full benchmark,
with the reference model and speed, is bench/categories.py.
"""

from __future__ import annotations

import gzip
import json
import time
from pathlib import Path

import pytest

from diemtin.classify import CategoryModel

# measured 0.9127 and 0.8900 with title and lead weighting (0.9117 and 0.8882 without;
# scikit-learn 1.9.1, numpy 2.4.6); deterministic for a seed
ACCURACY_FLOOR = 0.911
MACRO_F1_FLOOR = 0.887


def _every(path: Path, step: int) -> tuple[list[str], list[str]]:
    texts, labels = [], []
    with gzip.open(path, "rt", encoding="utf-8") as handle:
        for i, line in enumerate(handle):
            if i % step == 0:
                row = json.loads(line)
                texts.append(row["text"])
                labels.append(row["label"])
    return texts, labels


def test_vntc_accuracy_stays_above_the_floor(shared_data: Path) -> None:
    vntc = shared_data / "vntc"
    if not (vntc / "train.jsonl.gz").is_file():
        pytest.skip(f"VNTC absent from {shared_data}")
    started = time.perf_counter()
    train_texts, train_labels = _every(vntc / "train.jsonl.gz", 4)
    test_texts, test_labels = _every(vntc / "test.jsonl.gz", 10)
    model = CategoryModel(seed=0)
    model.fit(train_texts, train_labels)
    predicted = [p.label for p in model.predict(test_texts)]
    hits = sum(p == t for p, t in zip(predicted, test_labels, strict=True))
    accuracy = hits / len(test_labels)
    f1s = []
    for cls in model.classes:
        tp = sum(p == t == cls for p, t in zip(predicted, test_labels, strict=True))
        wanted, given = test_labels.count(cls), predicted.count(cls)
        f1s.append(2 * tp / (wanted + given) if wanted + given else 0.0)
    macro_f1 = sum(f1s) / len(f1s)
    elapsed = time.perf_counter() - started
    print(f"VNTC gate: accuracy {accuracy:.4f}, macro-F1 {macro_f1:.4f}, {elapsed:.0f} s")
    assert accuracy >= ACCURACY_FLOOR
    assert macro_f1 >= MACRO_F1_FLOOR
