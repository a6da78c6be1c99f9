"""Document frequencies: counted once, refreshed as the corpus grows, sampled on PostgreSQL."""

from __future__ import annotations

import time

import pytest

from diemtin.search import stats
from diemtin.search.stats import frequencies
from tests.unit.search.conftest import Corpus


@pytest.fixture(autouse=True)
def _fresh_cache() -> None:
    stats.forget()


def _frequencies(
    corpus: Corpus, terms: list[str], later: float = 0.0
) -> tuple[int, dict[str, int]]:
    with corpus.db.read() as conn:
        return frequencies(conn, corpus.dialect, terms, clock=lambda: time.monotonic() + later)


def test_counts_then_refreshes_when_articles_arrive(corpus: Corpus) -> None:
    for i in range(4):
        corpus.add(f"Thời tiết hôm nay {i}", "Trời nắng.")
    assert _frequencies(corpus, ["thoi", "nang", "mua"]) == (4, {"thoi": 4, "nang": 4, "mua": 0})
    corpus.add("Mưa lớn")
    assert _frequencies(corpus, ["mua", "thoi"]) == (5, {"mua": 1, "thoi": 4})


def test_remembered_counts_are_reused_until_they_age(corpus: Corpus) -> None:
    first = corpus.add("Giá vàng")
    corpus.add("Giá vàng SJC")
    assert _frequencies(corpus, ["vang"]) == (2, {"vang": 2})
    corpus.sql("DELETE FROM articles WHERE id = :i", i=first)  # the newest id stays
    assert _frequencies(corpus, ["vang"]) == (2, {"vang": 2})
    assert _frequencies(corpus, ["vang"], later=stats.MAX_AGE + 1) == (1, {"vang": 1})


def test_postgresql_takes_common_words_from_analyze(corpus: Corpus) -> None:
    if corpus.dialect != "postgresql":
        pytest.skip("ANALYZE statistics are PostgreSQL's")
    for i in range(40):
        corpus.add(f"Tin chung số {i}", "Nội dung." if i else "Hiếm có.")
    corpus.sql("ANALYZE search_docs")
    with corpus.db.read() as conn:
        from diemtin.search.retrieval import common_shares

        shares = common_shares(conn, "postgresql")
    assert shares["chung"] == pytest.approx(1.0)
    docs, counts = _frequencies(corpus, ["chung", "hiem"])
    assert docs == 40 and counts == {"chung": 40, "hiem": 1}
