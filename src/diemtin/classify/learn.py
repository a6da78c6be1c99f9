"""The training steps behind ``CategoryModel.fit`` that need scikit-learn."""

from __future__ import annotations

import warnings

import numpy as np
import numpy.typing as npt
import scipy.sparse as sp  # type: ignore[import-untyped]
from sklearn.exceptions import ConvergenceWarning  # type: ignore[import-untyped]
from sklearn.svm import LinearSVC  # type: ignore[import-untyped]

FloatArray = npt.NDArray[np.float32]


def holdout_split(
    labels: npt.NDArray[np.int64], fraction: float, seed: int
) -> tuple[list[int], list[int]]:
    """A stratified split: about ``fraction`` of each class held out, at least one, never all."""
    rng = np.random.default_rng(seed)
    kept: list[int] = []
    held: list[int] = []
    for cls in np.unique(labels):
        members = np.flatnonzero(labels == cls)
        rng.shuffle(members)
        n_held = min(len(members) - 1, max(1, round(fraction * len(members))))
        held.extend(members[:n_held].tolist())
        kept.extend(members[n_held:].tolist())
    return sorted(kept), sorted(held)


def fit_linear(
    rows: sp.csr_matrix, labels: npt.NDArray[np.int64], n_classes: int, *, c: float, seed: int
) -> tuple[FloatArray, FloatArray]:
    """One-vs-rest linear SVM: weights as (features, classes), and intercepts."""
    svm = LinearSVC(C=c, random_state=seed, max_iter=3000)
    with warnings.catch_warnings():
        # More iterations would move no decision; the held-out metrics tell.
        warnings.simplefilter("ignore", ConvergenceWarning)
        svm.fit(rows, labels)
    coef, intercept = svm.coef_, np.atleast_1d(svm.intercept_)
    if n_classes == 2:  # liblinear keeps one row for two classes: the score of class 1
        coef, intercept = np.vstack([-coef, coef]), np.concatenate([-intercept, intercept])
    weights = np.ascontiguousarray(coef.T, dtype=np.float32)
    return weights, intercept.astype(np.float32)
