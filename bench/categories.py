"""Category classification on VNTC: diemtin's model against the reference, in the same run.

    .venv/bin/python bench/categories.py [--data PATH] [--output PATH] [--tune] [--no-reference]

Trains on ``vntc/train.jsonl.gz`` (33,759 articles, 10 topics) and scores on
``vntc/test.jsonl.gz`` (50,373): accuracy, macro-F1, and prediction speed in
one process on one core (BLAS threads pinned to 1), text to label with the
vectorizer included. Speed is given on wall time and on the process's CPU time
(the fair figure on a shared machine). The reference is the published recipe,
TF-IDF over word uni+bigrams (sublinear TF) and a LinearSVC, scikit-learn
defaults otherwise. ``--tune`` first shows the validation split (a tenth of
train, stratified, seed 0) that chose the model's settings (now the weight of
the title and lead); test is never used to choose anything. Writes
``bench/results/categories.json``.
"""

from __future__ import annotations

import os

for _var in ("OMP_NUM_THREADS", "OPENBLAS_NUM_THREADS", "MKL_NUM_THREADS"):
    os.environ[_var] = "1"

import argparse  # noqa: E402
import gzip  # noqa: E402
import json  # noqa: E402
import sys  # noqa: E402
import time  # noqa: E402
from collections.abc import Callable, Sequence  # noqa: E402
from importlib.metadata import version  # noqa: E402
from pathlib import Path  # noqa: E402
from tempfile import TemporaryDirectory  # noqa: E402
from typing import Any  # noqa: E402

ROOT = Path(__file__).resolve().parent.parent
sys.path[:0] = [str(ROOT / "src"), str(ROOT / "bench")]

from sklearn.feature_extraction.text import TfidfVectorizer  # noqa: E402
from sklearn.metrics import accuracy_score, f1_score  # noqa: E402
from sklearn.svm import LinearSVC  # noqa: E402

from diemtin.classify import CategoryModel, Prediction  # noqa: E402
from machine import describe  # noqa: E402

Labelled = tuple[list[str], list[str]]


def default_data() -> Path:
    shared = os.environ.get("DIEMTIN_SHARED_DATA")
    return (Path(shared) if shared else ROOT.parent / "shared" / "data") / "vntc"


def load(path: Path) -> Labelled:
    texts, labels = [], []
    with gzip.open(path, "rt", encoding="utf-8") as handle:
        for line in handle:
            row = json.loads(line)
            texts.append(row["text"])
            labels.append(row["label"])
    return texts, labels


def timed(predict: Callable[[list[str]], list[Any]], texts: list[str]) -> dict[str, Any]:
    wall, cpu = time.perf_counter(), time.process_time()
    predicted = predict(texts)
    wall, cpu = time.perf_counter() - wall, time.process_time() - cpu
    return {
        "predicted": predicted,
        "docs_per_s": round(len(texts) / wall),
        "cpu_docs_per_s": round(len(texts) / cpu),
    }


def score(predicted: Sequence[str], truth: Sequence[str]) -> dict[str, float]:
    return {
        "accuracy": round(float(accuracy_score(truth, predicted)), 4),
        "macro_f1": round(float(f1_score(truth, predicted, average="macro")), 4),
    }


def run_ours(train: Labelled, test: Labelled, **params: Any) -> dict[str, Any]:
    model = CategoryModel(seed=0, **params)
    started = time.perf_counter()
    holdout = model.fit(*train)
    fit_s = time.perf_counter() - started
    with TemporaryDirectory() as tmp:
        path = model.save(tmp)
        size = path.stat().st_size
        started = time.perf_counter()
        model = CategoryModel.load(path)
        load_s = time.perf_counter() - started
    result = timed(model.predict, test[0])
    predictions = result.pop("predicted")
    return {
        "name": f"diemtin ({params or 'defaults'})",
        **score([p.label or "" for p in predictions], test[1]),
        **result,
        "by_threshold": by_threshold(predictions, test[1]),
        "fit_s": round(fit_s, 1),
        "load_s": round(load_s, 3),
        "model_mb": round(size / 1e6, 1),
        "holdout_accuracy": holdout.accuracy,
        "version": model.version,
    }


def by_threshold(predictions: list[Prediction], truth: list[str]) -> list[dict[str, float]]:
    """How many articles each confidence threshold files, and how many of those rightly."""
    rows = []
    for threshold in (0.5, 0.6, 0.7, 0.8, 0.9):
        taken = [
            p.label == t
            for p, t in zip(predictions, truth, strict=True)
            if p.confidence >= threshold
        ]
        right = sum(taken)
        rows.append(
            {
                "threshold": threshold,
                "filed": round(len(taken) / len(truth), 4),
                "filed_accuracy": round(right / max(len(taken), 1), 4),
            }
        )
    return rows


def run_reference(train: Labelled, test: Labelled) -> dict[str, Any]:
    vectorizer = TfidfVectorizer(ngram_range=(1, 2), sublinear_tf=True)
    started = time.perf_counter()
    svm = LinearSVC().fit(vectorizer.fit_transform(train[0]), train[1])
    fit_s = time.perf_counter() - started
    result = timed(lambda texts: list(svm.predict(vectorizer.transform(texts))), test[0])
    return {
        "name": "reference TF-IDF (1,2)-grams sublinear + LinearSVC",
        **score(result.pop("predicted"), test[1]),
        **result,
        "fit_s": round(fit_s, 1),
    }


def split(train: Labelled, fraction: float = 0.1) -> tuple[Labelled, Labelled]:
    """A stratified split of train (seed 0), the only data settings are chosen on."""
    from sklearn.model_selection import train_test_split

    a, b, ya, yb = train_test_split(*train, test_size=fraction, random_state=0, stratify=train[1])
    return (a, ya), (b, yb)


def tune(train: Labelled) -> list[dict[str, Any]]:
    """The weight of the title and lead (first words); 0 is the model without them.

    bits (19) and C (1.0) were chosen earlier on this same split, from 18-20 and 0.5-2.
    """
    fit_part, validation = split(train)
    rows = []
    for lead_weight in (0.0, 0.2, 0.3, 0.4):
        row = run_ours(fit_part, validation, lead_weight=lead_weight)
        print(
            f"  validation lead_weight={lead_weight}: accuracy {row['accuracy']:.4f},"
            f" macro-F1 {row['macro_f1']:.4f}",
            flush=True,
        )
        rows.append({"lead_weight": lead_weight, **score_only(row)})
    return rows


def score_only(row: dict[str, Any]) -> dict[str, Any]:
    return {k: row[k] for k in ("accuracy", "macro_f1")}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--data", type=Path, default=default_data())
    parser.add_argument("--output", type=Path, default=ROOT / "bench/results/categories.json")
    parser.add_argument("--tune", action="store_true", help="show the validation grid first")
    parser.add_argument("--no-reference", action="store_true", help="skip the slow reference")
    args = parser.parse_args()
    if not (args.data / "train.jsonl.gz").is_file():
        sys.exit(f"VNTC not found in {args.data}: set DIEMTIN_SHARED_DATA or pass --data")
    train, test = load(args.data / "train.jsonl.gz"), load(args.data / "test.jsonl.gz")
    print(f"VNTC: {len(train[0])} train, {len(test[0])} test articles", flush=True)
    report: dict[str, Any] = {"machine": describe(), "train": len(train[0]), "test": len(test[0])}
    report["machine"]["scikit-learn"] = version("scikit-learn")
    if args.tune:
        report["validation"] = tune(train)
    runs = [run_ours(train, test)]
    if not args.no_reference:
        runs.append(run_reference(train, test))
    report["results"] = runs
    print(f"CPU: {report['machine']['cpu']}, one core, single process")
    print(f"{'model':56} {'accuracy':>8} {'macro-F1':>8} {'docs/s':>8} {'CPU docs/s':>10}")
    for r in runs:
        print(
            f"{r['name']:56} {r['accuracy']:8.2%} {r['macro_f1']:8.2%}"
            f" {r['docs_per_s']:8} {r['cpu_docs_per_s']:10}"
        )
    for row in runs[0]["by_threshold"]:
        print(
            f"  confidence >= {row['threshold']}: {row['filed']:.1%} filed,"
            f" {row['filed_accuracy']:.2%} of them rightly; the rest to review"
        )
    args.output.parent.mkdir(parents=True, exist_ok=True)
    args.output.write_text(json.dumps(report, indent=2, ensure_ascii=False) + "\n")
    print(f"written {args.output}")


if __name__ == "__main__":
    main()
