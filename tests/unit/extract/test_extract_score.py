"""The benchmark's shingle scoring."""

from __future__ import annotations

import pytest

from diemtin.extract.score import PageScore, aggregate, score_page, shingles


def test_shingles() -> None:
    assert shingles("a b c d e") == {("a", "b", "c", "d"): 1, ("b", "c", "d", "e"): 1}
    assert shingles("chỉ ba từ") == {("chỉ", "ba", "từ"): 1}
    assert shingles("  ") == {}


def test_perfect_and_empty() -> None:
    text = "một hai ba bốn năm sáu bảy"
    assert score_page(text, text) == PageScore(1.0, 0.0, 0.0)
    missing = score_page(text, "")
    assert (missing.tp, missing.fp, missing.fn) == (0.0, 0.0, 1.0)
    assert missing.recall == 0.0


def test_partial_page_is_normalised() -> None:
    page = score_page("a b c d e f", "a b c d x y")
    # truth: abcd bcde cdef; prediction: abcd bcdx cdxy -> tp 1, fp 2, fn 2
    assert page.tp == pytest.approx(0.2) and page.fp == pytest.approx(0.4)
    assert page.precision == pytest.approx(1 / 3) and page.recall == pytest.approx(1 / 3)


def test_aggregate_averages_pages_then_takes_f1() -> None:
    pages = [score_page("a b c d e f", "a b c d e f"), score_page("a b c d e f", "")]
    result = aggregate(pages)
    assert result.precision == 1.0  # the empty prediction is left out of precision
    assert result.recall == 0.5
    assert result.f1 == pytest.approx(2 / 3)
