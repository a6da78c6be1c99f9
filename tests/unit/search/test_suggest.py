"""Suggestions as the reader types, on both engines."""

from __future__ import annotations

import time

import pytest

from diemtin.store.db import open_database
from tests.unit.search.conftest import Corpus

DEFENCE = "Bộ trưởng Quốc phòng thăm Trường Sa"


@pytest.fixture(scope="module")
def titles(module_db: str) -> Corpus:
    corpus = Corpus(open_database(module_db))
    corpus.add("Bộ trưởng Y tế họp báo", age_days=5)
    corpus.add(DEFENCE, age_days=1)
    corpus.add(DEFENCE, age_days=2)  # a repost: suggested once
    corpus.add("Bổ nhiệm thứ trưởng", age_days=3)
    corpus.add("Đà Nẵng đón khách", age_days=4)
    hidden = corpus.add("Bộ trưởng bị ẩn", age_days=0)
    corpus.sql("UPDATE articles SET status = 'hidden' WHERE id = :i", i=hidden)
    return corpus


@pytest.mark.parametrize("prefix", ["bo truong", "Bộ trưởng", "BỘ TRƯỞ", "bộ truởng"])
def test_titles_starting_with_the_prefix_newest_first(titles: Corpus, prefix: str) -> None:
    # then the titles holding the words elsewhere
    assert titles.suggest(prefix) == [DEFENCE, "Bộ trưởng Y tế họp báo", "Bổ nhiệm thứ trưởng"]


def test_prefix_of_a_word_and_of_d(titles: Corpus) -> None:
    assert titles.suggest("bo") == [DEFENCE, "Bổ nhiệm thứ trưởng", "Bộ trưởng Y tế họp báo"]
    assert titles.suggest("da na") == ["Đà Nẵng đón khách"]


def test_words_inside_the_title(titles: Corpus) -> None:
    assert titles.suggest("quoc pho") == [DEFENCE]
    assert titles.suggest("truong sa") == [DEFENCE]
    assert titles.suggest("y te ") == ["Bộ trưởng Y tế họp báo"]


def test_limit_and_too_short(titles: Corpus) -> None:
    assert titles.suggest("bo", limit=1) == [DEFENCE]
    assert titles.suggest("b") == [] and titles.suggest("  ") == []
    assert titles.suggest("bo", limit=0) == []


@pytest.mark.parametrize(
    "prefix",
    [
        '"',
        "*",
        "bo*",
        "'; DROP TABLE articles; --",
        "\x00\x00bo",
        "bo\udcff",
        "a\U0010ffff",
        "z" * 5000,
        "NEAR(bo",
        "bo OR",
        "𝔟𝔬 q",
        "bo\ud7ff",
        "\ufffd\ufffd",
    ],
)
def test_hostile_prefixes(titles: Corpus, prefix: str) -> None:
    started = time.perf_counter()
    assert isinstance(titles.suggest(prefix), list)
    assert time.perf_counter() - started < 1.0
    assert len(titles.suggest("bo truong")) == 3
