"""From a prediction to a decision: a category, or the review list."""

from __future__ import annotations

from typing import NamedTuple

from diemtin.classify.model import Prediction

DEFAULT_THRESHOLD = 0.6


class Decision(NamedTuple):
    """``slug`` is None when the article goes to review instead of a section."""

    slug: str | None
    confidence: float
    needs_review: bool


def decide(prediction: Prediction | None, threshold: float = DEFAULT_THRESHOLD) -> Decision:
    """Take the predicted category only when the model is at least ``threshold`` sure.

    No prediction (no model yet, or a text without words) also means review:
    an article waits for an operator rather than landing in a wrong section.
    """
    if not 0.0 <= threshold <= 1.0:
        raise ValueError(f"threshold must be between 0 and 1, not {threshold}")
    if prediction is None or prediction.label is None:
        return Decision(None, 0.0, True)
    if prediction.confidence >= threshold:
        return Decision(prediction.label, prediction.confidence, False)
    return Decision(None, prediction.confidence, True)
