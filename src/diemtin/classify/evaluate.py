"""Scores and confidences: held-out metrics, softmax, and its calibration."""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np
import numpy.typing as npt

IntArray = npt.NDArray[np.int64]


@dataclass(frozen=True)
class Metrics:
    """Scores on held-out articles, which the measured model never saw."""

    accuracy: float
    macro_f1: float
    holdout: int  # how many articles were held out
    per_class_f1: dict[str, float] = field(default_factory=dict)

    def as_dict(self) -> dict[str, object]:
        return {
            "accuracy": self.accuracy,
            "macro_f1": self.macro_f1,
            "holdout": self.holdout,
            "per_class_f1": self.per_class_f1,
        }


def measure(predicted: IntArray, truth: IntArray, classes: list[str]) -> Metrics:
    """Accuracy, and F1 per class and its unweighted mean (every category counts alike)."""
    n = len(classes)
    pairs = np.bincount(truth * n + predicted, minlength=n * n).reshape(n, n)
    hits = np.diag(pairs).astype(np.float64)
    wanted, given = pairs.sum(axis=1), pairs.sum(axis=0)
    with np.errstate(invalid="ignore", divide="ignore"):
        f1 = np.nan_to_num(2 * hits / (wanted + given))
    return Metrics(
        accuracy=round(float(hits.sum() / max(len(truth), 1)), 4),
        macro_f1=round(float(f1.mean()), 4),
        holdout=len(truth),
        per_class_f1={c: round(float(f), 4) for c, f in zip(classes, f1, strict=True)},
    )


def softmax(scores: npt.NDArray[np.float32], temperature: float) -> npt.NDArray[np.float32]:
    z = np.asarray(scores, dtype=np.float64) * temperature
    z -= z.max(axis=1, keepdims=True)
    e = np.exp(z)
    probs: npt.NDArray[np.float32] = (e / e.sum(axis=1, keepdims=True)).astype(np.float32)
    return probs


def fit_temperature(scores: npt.NDArray[np.float32], truth: IntArray) -> float:
    """The softmax sharpness that makes held-out confidences honest (least log loss).

    SVM scores are margins, not probabilities; one fitted scale turns them into
    confidences a threshold can be set on.
    """
    from scipy.optimize import minimize_scalar  # type: ignore[import-untyped]  # slow import

    if len(truth) == 0:
        return 1.0
    rows = np.arange(len(truth))

    def loss(log_t: float) -> float:
        probs = softmax(scores, float(np.exp(log_t)))[rows, truth]
        return float(-np.log(np.maximum(probs, 1e-12)).mean())

    best = minimize_scalar(loss, bounds=(np.log(0.05), np.log(200.0)), method="bounded")
    return round(float(np.exp(best.x)), 4)
