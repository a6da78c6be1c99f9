"""decide(): a category only when the model is sure enough, else the review list."""

from __future__ import annotations

import pytest

from diemtin.classify import DEFAULT_THRESHOLD, Decision, Prediction, decide


@pytest.mark.parametrize(
    ("confidence", "threshold", "expected"),
    [
        (0.91, 0.6, Decision("the-thao", 0.91, False)),
        (0.6, 0.6, Decision("the-thao", 0.6, False)),  # the threshold itself is enough
        (0.59, 0.6, Decision(None, 0.59, True)),
        (0.2, 0.0, Decision("the-thao", 0.2, False)),  # 0: always take the guess
        (0.99, 1.0, Decision(None, 0.99, True)),  # 1: only certainty
        (1.0, 1.0, Decision("the-thao", 1.0, False)),
    ],
)
def test_threshold(confidence: float, threshold: float, expected: Decision) -> None:
    assert decide(Prediction("the-thao", confidence), threshold) == expected


def test_no_prediction_or_no_label_means_review() -> None:
    assert decide(None) == Decision(None, 0.0, True)
    assert decide(Prediction(None, 0.0), 0.0) == Decision(None, 0.0, True)


def test_default_threshold_and_tuple_unpacking() -> None:
    slug, confidence, needs_review = decide(Prediction("xe", DEFAULT_THRESHOLD))
    assert (slug, confidence, needs_review) == ("xe", DEFAULT_THRESHOLD, False)


@pytest.mark.parametrize("threshold", [-0.1, 1.5, float("nan")])
def test_impossible_thresholds_are_refused(threshold: float) -> None:
    with pytest.raises(ValueError, match="threshold must be between 0 and 1"):
        decide(Prediction("xe", 0.5), threshold)
