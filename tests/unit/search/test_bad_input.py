"""Hostile and broken queries on both engines: a normal page or a SearchError, quickly."""

from __future__ import annotations

import random
import time

import pytest
from sqlalchemy import text

from diemtin.search import MAX_QUERY_CHARS, MAX_TERMS, SearchError, SearchPage
from diemtin.store.db import open_database
from tests.unit.search.conftest import Corpus

QUICK = 1.0  # seconds; a well-formed query takes milliseconds


@pytest.fixture(scope="module")
def filled(module_db: str) -> Corpus:
    corpus = Corpus(open_database(module_db))
    corpus.add("Bộ trưởng Quốc phòng thăm Trường Sa", "Chuyến thăm (lần thứ 2) năm nay.")
    corpus.add("Giá xăng giảm", "Giá xăng RON95 giảm 500 đồng/lít.")
    return corpus


def _timed(corpus: Corpus, query: str) -> SearchPage:
    started = time.perf_counter()
    page = corpus.search(query)
    assert time.perf_counter() - started < QUICK, query[:40]
    return page


@pytest.mark.parametrize("query", ["", "   ", "\n\t"])
def test_empty_query_asks_for_words(filled: Corpus, query: str) -> None:
    page = _timed(filled, query)
    assert (page.hits, page.total, page.reason) == ([], 0, "empty")
    assert page.message


@pytest.mark.parametrize("query", ['"', "*", "!!! ??? ...", "(((", "—", "'", "''", "--", "_", "^"])
def test_only_punctuation_says_so(filled: Corpus, query: str) -> None:
    page = _timed(filled, query)
    assert (page.hits, page.total, page.reason) == ([], 0, "no_terms")
    assert page.message and "dấu câu" in page.message


@pytest.mark.parametrize(
    "query",
    [
        '"bo truong',
        "bo truong*",
        "bo NEAR truong",
        "NEAR(bo truong)",
        "bo OR xyzzy",
        "bo AND NOT truong",
        "(bo truong",
        "bo) truong((",
        "title: bo",
        "{title sapo}: bo truong",
        "^bo + truong -",
        "bo:truong",
    ],
)
def test_search_syntax_is_read_as_plain_words(filled: Corpus, query: str) -> None:
    page = _timed(filled, query)
    assert page.reason in (None, "no_match")
    if "xyzzy" not in query and "NEAR" not in query and "AND" not in query and "title" not in query:
        assert [h.title_html.startswith("<mark>Bộ</mark>") for h in page.hits] == [True]


@pytest.mark.parametrize("query", ["NEAR", "OR", "AND NOT", "AND", "NOT OR AND NEAR/3"])
def test_operators_alone_are_words_that_match_nothing(filled: Corpus, query: str) -> None:
    page = _timed(filled, query)
    assert (page.total, page.reason) == (0, "no_match")


@pytest.mark.parametrize(
    "query",
    [
        "'; DROP TABLE articles; --",
        "x' OR '1'='1",
        "1; DELETE FROM search_docs",
        "\\'; SELECT pg_sleep(5); --",
        "$$ ; $$",
        "%' AND 1=1 --",
    ],
)
def test_sql_fragments_do_no_harm(filled: Corpus, query: str) -> None:
    page = _timed(filled, query)
    assert page.reason in (None, "no_match", "no_terms")
    with filled.db.read() as conn:
        assert conn.execute(text("SELECT COUNT(*) FROM articles")).scalar_one() == 2
    assert len(filled.ids("gia xang")) == 1


def test_huge_query_is_refused_clearly(filled: Corpus) -> None:
    started = time.perf_counter()
    with pytest.raises(SearchError) as caught:
        filled.search("bộ trưởng " * 1024)  # 10 KB
    assert time.perf_counter() - started < QUICK
    assert caught.value.code == "too_long" and str(caught.value)


def test_many_words_are_capped(filled: Corpus) -> None:
    words = " ".join(f"tu{i}" for i in range(60))
    assert len(words) <= MAX_QUERY_CHARS
    page = _timed(filled, "bo truong " + words)
    assert len(page.terms) == MAX_TERMS and page.dropped == 62 - MAX_TERMS
    assert page.reason == "no_match"


def test_absurdly_long_words_are_dropped(filled: Corpus) -> None:
    page = _timed(filled, "a" * 300 + " gia xang")
    assert page.terms == ["gia", "xang"] and page.dropped == 1 and page.total == 1


@pytest.mark.parametrize(
    "query",
    [
        "\x00\x01\x02bo\x00truong",
        "\udcff\udcfe bo truong",  # undecodable bytes kept by surrogateescape
        "\ufffd\ufffd\ufffd",
        "\u200b\u200bgiá\u200b xăng",
        "𝔟𝔬 🚀 truong",
        "\x1b[31mgia xang\x1b[0m",
    ],
)
def test_binary_and_control_characters(filled: Corpus, query: str) -> None:
    page = _timed(filled, query)
    assert page.reason in (None, "no_match", "no_terms")


def test_random_bytes_never_raise(filled: Corpus) -> None:
    rng = random.Random(7)
    for _ in range(40):
        raw = bytes(rng.randrange(256) for _ in range(rng.randrange(1, 300)))
        page = _timed(filled, raw.decode("utf-8", "surrogateescape"))
        assert page.reason in (None, "no_match", "no_terms", "empty")


def test_random_syntax_soup_never_raises(filled: Corpus) -> None:
    pieces = ['"', "*", "(", ")", "{", "}", ":", "^", "-", "+", "'", ";", "\\", "&", "|", "!"]
    pieces += ["NEAR", "OR", "AND", "NOT", "bo", "truong", "gia", " ", "<->", ":*", "@@"]
    rng = random.Random(11)
    for _ in range(60):
        page = _timed(filled, "".join(rng.choice(pieces) for _ in range(rng.randrange(1, 30))))
        assert page.reason in (None, "no_match", "no_terms", "empty")


@pytest.mark.parametrize(
    ("options", "code"),
    [
        ({"limit": 0}, "bad_limit"),
        ({"limit": 1000}, "bad_limit"),
        ({"offset": -1}, "bad_offset"),
        ({"offset": 10**9}, "bad_offset"),
        ({"since": 200, "until": 100}, "bad_dates"),
    ],
)
def test_bad_options_are_refused(filled: Corpus, options: dict[str, int], code: str) -> None:
    with pytest.raises(SearchError) as caught:
        filled.search("bo truong", **options)
    assert caught.value.code == code


def test_unknown_dialect_is_a_programming_error(filled: Corpus) -> None:
    from diemtin.search import search

    with filled.db.read() as conn, pytest.raises(ValueError, match="sqlite"):
        search(conn, "mysql", "bo", now=0)
