"""``CategoryModel``: a linear SVM over syllable uni+bigram TF-IDF, with honest confidences.

The first words of a text (title and start of the lead) are counted a second
time in columns of their own, at a lower weight: a headline says more about the
section than a word deep in the body.

``fit`` holds out a stratified tenth of the articles, trains on the rest and
measures on the held-out part (those are the metrics reported), fits a softmax
temperature on the same held-out scores so that "confidence 0.8" means right
about four times in five, then trains the final model on every article with
the same settings. Training is deterministic for a given seed and input order.

Inference needs numpy and scipy only; scikit-learn is imported when training.
"""

from __future__ import annotations

import platform
from collections.abc import Callable, Sequence
from datetime import UTC, datetime
from importlib.metadata import PackageNotFoundError, version
from pathlib import Path
from typing import Any, NamedTuple

import numpy as np
import numpy.typing as npt

from diemtin.classify import modelfile
from diemtin.classify.errors import ClassifyError, TrainingError
from diemtin.classify.evaluate import Metrics, fit_temperature, measure, softmax
from diemtin.classify.features import Counts, lead_counts, stack_counts
from diemtin.classify.modelfile import Contents

# Chosen on a validation split of the VNTC training set (see bench/categories.py).
DEFAULT_C = 1.0
DEFAULT_BITS = 19  # 2**19 bigram columns and 2**17 unigram columns
# The first words (the title, the start of the lead) count again, in columns of their own.
DEFAULT_LEAD_WORDS = 20
DEFAULT_LEAD_WEIGHT = 0.3
HOLDOUT = 0.1
_BATCH = 1024  # texts per vectorized step when predicting

Progress = Callable[[str, int, int], None]  # (stage, done, total)


class Prediction(NamedTuple):
    """The likeliest category and how sure the model is (0..1).

    ``label`` is None when the text has no word at all (empty, only punctuation
    or symbols): there is nothing to decide on.
    """

    label: str | None
    confidence: float


class CategoryModel:
    def __init__(
        self, *, seed: int = 0, c: float = DEFAULT_C, bits: int = DEFAULT_BITS,
        holdout: float = HOLDOUT, lead_words: int = DEFAULT_LEAD_WORDS,
        lead_weight: float = DEFAULT_LEAD_WEIGHT,
    ) -> None:  # fmt: skip
        if not 0 < holdout < 1:
            raise ValueError("holdout must be a fraction between 0 and 1")
        if lead_words < 1 or lead_weight < 0:
            raise ValueError("lead_words must be at least 1 and lead_weight not negative")
        self.seed, self.c, self.bits, self.holdout = seed, c, bits, holdout
        self.lead_words, self.lead_weight = lead_words, lead_weight
        self.path: Path | None = None  # the file it was saved to or loaded from
        self._contents: Contents | None = None

    @property
    def metadata(self) -> dict[str, Any]:
        """Format, version, creation time, trained-on count, classes, metrics, libraries."""
        return dict(self._require().meta)

    @property
    def classes(self) -> tuple[str, ...]:
        return tuple(self._require().meta["classes"])

    @property
    def version(self) -> str:
        return str(self._require().meta["version"])

    def fit(
        self, texts: Sequence[str], labels: Sequence[str], *, on_progress: Progress | None = None
    ) -> Metrics:
        """Train on ``texts`` labelled with category slugs; returns the held-out metrics.

        Raises ``TrainingError`` when the input cannot make a model.
        """
        from diemtin.classify import learn  # scikit-learn only when training: a slow import

        report = on_progress or _quiet
        _check_input(texts, labels)
        counts = _counts_with_progress(texts, self.bits, self.lead_words, report)
        usable = np.flatnonzero(counts.words_per_text() > 0)  # texts with words
        classes, y = _classes(labels, usable)
        report("measuring on held-out articles", 0, 2)
        kept_at, held_at = learn.holdout_split(y[usable], self.holdout, self.seed)
        metrics, temperature = self._check(counts, y, usable[kept_at], usable[held_at], classes)
        report("training on every article", 1, 2)
        idf, weights, intercept = self._learn(counts.take(usable), y[usable], len(classes))
        meta = self._meta(classes, y[usable], temperature, metrics, idf)
        contents = Contents(idf, weights, intercept, meta)
        meta["version"] = modelfile.digest(contents)
        self._contents = contents
        report("trained", 2, 2)
        return metrics

    def _check(
        self,
        counts: Counts,
        y: npt.NDArray[np.int64],
        kept: npt.NDArray[np.int64],
        held: npt.NDArray[np.int64],
        classes: list[str],
    ) -> tuple[Metrics, float]:
        """Train on ``kept`` only; score ``held`` for the metrics and the softmax temperature."""
        idf, weights, intercept = self._learn(counts.take(kept), y[kept], len(classes))
        scores = counts.take(held).rows(idf, self.lead_weight) @ weights + intercept
        return measure(scores.argmax(axis=1), y[held], classes), fit_temperature(scores, y[held])

    def _learn(
        self, counts: Counts, y: npt.NDArray[np.int64], n_classes: int
    ) -> tuple[npt.NDArray[np.float32], npt.NDArray[np.float32], npt.NDArray[np.float32]]:
        from diemtin.classify import learn

        idf = counts.idf()
        weights, intercept = learn.fit_linear(
            counts.rows(idf, self.lead_weight), y, n_classes, c=self.c, seed=self.seed
        )
        return idf, modelfile.round_bf16(weights), intercept

    def _meta(
        self,
        classes: list[str],
        y: npt.NDArray[np.int64],
        temperature: float,
        metrics: Metrics,
        idf: npt.NDArray[np.float32],
    ) -> dict[str, Any]:
        counts = np.bincount(y, minlength=len(classes))
        return {
            "format": modelfile.FORMAT,
            "format_version": modelfile.FORMAT_VERSION,
            "created_at": datetime.now(UTC).strftime("%Y-%m-%dT%H:%M:%SZ"),
            "trained_on": len(y),
            "classes": classes,
            "class_counts": {c: int(n) for c, n in zip(classes, counts, strict=True)},
            "metrics": metrics.as_dict(),
            "bits": self.bits,
            "lead_words": self.lead_words,
            "lead_weight": self.lead_weight,
            "temperature": temperature,
            # the IDF of a column training never saw: its largest value
            "idf_unseen": float(idf.max()),
            "params": {"seed": self.seed, "c": self.c, "holdout": self.holdout},
            "libraries": _libraries(),
        }

    def predict(self, texts: Sequence[str]) -> list[Prediction]:
        """One prediction per text, in order. Texts must be ``str``."""
        contents = self._require()
        classes, temperature = contents.meta["classes"], contents.meta["temperature"]
        out: list[Prediction] = []
        for start in range(0, len(texts), _BATCH):
            batch = texts[start : start + _BATCH]
            _check_texts(batch, start)
            counts = lead_counts(batch, self.bits, self.lead_words)
            rows = counts.rows(contents.idf, self.lead_weight)
            probs = softmax(rows @ contents.weights + contents.intercept, temperature)
            best = probs.argmax(axis=1).tolist()
            empty = (counts.words_per_text() == 0).tolist()
            out.extend(
                Prediction(None, 0.0) if no_words else Prediction(classes[k], float(probs[i, k]))
                for i, (k, no_words) in enumerate(zip(best, empty, strict=True))
            )
        return out

    def save(self, directory: str | Path) -> Path:
        """Write the model into ``directory``; returns the versioned file name."""
        self.path = modelfile.write(self._require(), Path(directory))
        return self.path

    @classmethod
    def load(cls, path: str | Path) -> CategoryModel:
        """Read a model file; ``ModelFileError`` says why one cannot be used."""
        contents = modelfile.read(Path(path))
        params = contents.meta.get("params", {})
        model = cls(
            seed=int(params.get("seed", 0)),
            c=float(params.get("c", DEFAULT_C)),
            bits=contents.meta["bits"],
            holdout=float(params.get("holdout", HOLDOUT)),
            lead_words=contents.meta["lead_words"],
            lead_weight=contents.meta["lead_weight"],
        )
        model._contents, model.path = contents, Path(path)
        return model

    @classmethod
    def latest(cls, directory: str | Path) -> CategoryModel | None:
        """The newest model in ``directory``, or None when there is none yet."""
        path = modelfile.newest(Path(directory))
        return cls.load(path) if path is not None else None

    def _require(self) -> Contents:
        if self._contents is None:
            raise ClassifyError("the model is not trained or loaded yet")
        return self._contents


def _quiet(stage: str, done: int, total: int) -> None:
    pass


def _counts_with_progress(
    texts: Sequence[str], bits: int, lead_words: int, report: Progress
) -> Counts:
    step = 4 * _BATCH
    parts = []
    for start in range(0, len(texts), step):
        parts.append(lead_counts(texts[start : start + step], bits, lead_words))
        report("reading words", min(start + step, len(texts)), len(texts))
    return stack_counts(parts, bits)


def _check_texts(texts: Sequence[object], offset: int = 0) -> None:
    for i, text in enumerate(texts):
        if not isinstance(text, str):
            kind = type(text).__name__
            raise TypeError(f"text {offset + i} is {kind}, not str; decode it first")


def _check_input(texts: Sequence[str], labels: Sequence[str]) -> None:
    if len(texts) != len(labels):
        raise TrainingError(f"{len(texts)} texts but {len(labels)} labels")
    try:
        _check_texts(texts)
    except TypeError as exc:
        raise TrainingError(str(exc)) from exc
    if any(not isinstance(label, str) or not label for label in labels):
        raise TrainingError("every label must be a non-empty category slug")


def _classes(
    labels: Sequence[str], usable: npt.NDArray[np.int64]
) -> tuple[list[str], npt.NDArray[np.int64]]:
    """The sorted category slugs and each text's class number; refuses hopeless input."""
    if not len(usable):
        raise TrainingError("no labelled article has any words to learn from")
    classes = sorted({labels[i] for i in usable})
    if len(classes) < 2:
        raise TrainingError(
            f"only one category ({classes[0]}) among the labelled articles;"
            " a classifier needs at least two"
        )
    index = {c: k for k, c in enumerate(classes)}
    y = np.array([index.get(label, -1) for label in labels], dtype=np.int64)
    counts = np.bincount(y[usable], minlength=len(classes))
    scarce = [f"{c} ({n})" for c, n in zip(classes, counts, strict=True) if n < 2]
    if scarce:
        raise TrainingError(
            "each category needs at least 2 articles with words; too few: " + ", ".join(scarce)
        )
    return classes, y


def _libraries() -> dict[str, str]:
    found = {"python": platform.python_version()}
    for name in ("diemtin", "numpy", "scipy", "scikit-learn"):
        try:
            found[name] = version(name)
        except PackageNotFoundError:
            found[name] = "unknown"
    return found
