"""Hashed syllable features: what counts as the same word, and what is not a word."""

from __future__ import annotations

import unicodedata

import numpy as np
import pytest

from diemtin.classify.features import (
    MAX_CHARS,
    idf_of,
    lead_counts,
    term_counts,
    tfidf,
    width,
    word_hashes,
)

BITS = 12


def _hashes(text: str) -> list[int]:
    return word_hashes([text])[0].tolist()


def test_case_spacing_and_ascii_punctuation_do_not_matter() -> None:
    assert _hashes("Bóng đá, HÔM NAY!") == _hashes("bóng   đá hôm\tnay")


def test_composed_and_decomposed_spellings_are_one_word() -> None:
    text = "Người dân Đà Nẵng"
    assert _hashes(unicodedata.normalize("NFD", text)) == _hashes(text)


def test_diacritics_and_tones_tell_words_apart() -> None:
    words = ["ma", "má", "mà", "mả", "mã", "mạ", "mơ", "mờ"]
    assert len(set(_hashes(" ".join(words)))) == len(words)


def test_long_words_are_told_apart_by_their_end_too() -> None:
    a, b = "x" * 30 + "a", "x" * 30 + "b"
    assert _hashes(a) != _hashes(b)
    assert _hashes("abcdefgh") != _hashes("abcdefghi")  # lengths 8 and 9


def test_lone_symbols_are_not_words_but_digits_are() -> None:
    assert _hashes(" — … « » © ") == []
    assert len(_hashes("năm 2024")) == 2


def test_words_belong_to_their_own_text() -> None:
    hashes, doc = word_hashes(["một hai", "", "ba", "bốn năm sáu"])
    assert doc.tolist() == [0, 0, 2, 3, 3, 3]
    assert len(hashes) == 6


def test_counts_have_unigrams_and_bigrams_within_a_text_only() -> None:
    counts = term_counts(["a b a b", "c"], BITS)
    assert counts.shape == (2, width(BITS))
    first = dict(zip(counts[0].indices.tolist(), counts[0].data.tolist(), strict=True))
    unigrams = {k: v for k, v in first.items() if k < 1 << (BITS - 2)}
    bigrams = {k: v for k, v in first.items() if k >= 1 << (BITS - 2)}
    assert sorted(unigrams.values()) == [2.0, 2.0]
    assert sorted(bigrams.values()) == [1.0, 2.0]  # "a b" twice, "b a" once
    assert counts[1].nnz == 1  # no bigram across texts


def test_tfidf_rows_have_unit_length_and_empty_rows_stay_empty() -> None:
    counts = term_counts(["bóng đá bóng đá", "", "cổ phiếu ngân hàng"], BITS)
    rows = tfidf(counts, idf_of(counts))
    norms = np.sqrt(np.asarray(rows.multiply(rows).sum(axis=1)).ravel())
    assert np.allclose(norms, [1.0, 0.0, 1.0])


def test_only_the_first_max_chars_are_read() -> None:
    text = "a " * (MAX_CHARS // 2) + "zzz"
    assert len(_hashes(text)) == MAX_CHARS // 2


def test_no_texts() -> None:
    assert term_counts([], BITS).shape == (0, width(BITS))
    assert [len(a) for a in word_hashes([])] == [0, 0]


def test_the_lead_is_the_first_words_again_in_columns_of_their_own() -> None:
    texts = ["Bóng đá: đội tuyển thắng lớn, cổ động viên vui mừng", "", "một hai"]
    counts = lead_counts(texts, BITS, 3)
    assert (counts.whole != term_counts(texts, BITS)).nnz == 0
    first_three = term_counts(["Bóng đá: đội", "", "một hai"], BITS)
    assert np.diff(counts.lead.indptr).tolist() == np.diff(first_three.indptr).tolist()
    assert counts.lead.sum() == first_three.sum()  # 3 unigrams and 2 bigrams, then 2 and 1
    assert not set(counts.lead[0].indices) & set(counts.whole[0].indices)  # salted apart
    assert counts.words_per_text().tolist() == [counts.whole[0].nnz, 0, 3]


def test_lead_rows_add_the_weighted_lead_to_the_unit_row() -> None:
    counts = lead_counts(["chứng khoán tăng điểm mạnh phiên sáng nay", ""], BITS, 2)
    idf = counts.idf()
    plain, weighted = counts.rows(idf, 0.0), counts.rows(idf, 0.5)
    assert np.isclose(plain.multiply(plain).sum(), 1.0)
    lead = tfidf(counts.lead, idf)
    assert np.allclose((weighted - plain).toarray(), 0.5 * lead.toarray())
    assert weighted[1].nnz == 0


def test_a_lead_of_no_words_is_refused() -> None:
    with pytest.raises(ValueError, match="lead_words"):
        lead_counts(["a b"], BITS, 0)
