from __future__ import annotations

import itertools
import json
import re
import unicodedata
from pathlib import Path

import pytest

from diemtin.text import fold, is_syllable, normalize
from diemtin.text.normalize import clean_chars
from diemtin.text.syllable import JOIN, TONE_MARKS, retone
from tests.unit.text.samples import ENGLISH, VIETNAMESE

NEW_TO_OLD = [
    ("hoà", "hòa"),
    ("hoá", "hóa"),
    ("hoạ", "họa"),
    ("toà", "tòa"),
    ("khoẻ", "khỏe"),
    ("loè", "lòe"),
    ("thuỷ", "thủy"),
    ("thuý", "thúy"),
    ("uỷ", "ủy"),
    ("luỹ", "lũy"),
    ("tuỳ", "tùy"),
    ("HOÀ", "HÒA"),
    ("Hoà", "Hòa"),
    ("THUỶ", "THỦY"),
    ("Thuỵ", "Thụy"),
    ("KHOẺ", "KHỎE"),
    ("Uỷ", "Ủy"),
]

UNCHANGED = [
    # qu and gi onsets: the mark belongs to the vowel after them
    "quý", "quả", "quá", "quỳnh", "quyết", "quốc", "giờ", "già", "giá", "giữa", "gì", "gìn",
    # final consonants: the mark is on the last vowel in both styles
    "hoàng", "toán", "tuyết", "khoảng", "huýt", "thuyền", "hoặc", "xoắn", "quyển",
    # hatted vowels and three-vowel nuclei
    "người", "được", "cứu", "thuở", "tuổi", "ngoài", "khuỷu", "xoáy", "ngoẻo", "yêu", "Huế",
    # plain two-vowel nuclei
    "mùa", "tài", "cháy", "lại", "của", "vào", "mía", "túi", "gửi", "Nguyễn", "Đà", "Nẵng",
    # capitals
    "QUÝ", "GIỜ", "HOÀNG", "NGƯỜI", "ĐƯỢC",
]  # fmt: skip

MISPLACED = [
    ("hòang", "hoàng"),
    ("tóan", "toán"),
    ("ngòai", "ngoài"),
    ("ngoaì", "ngoài"),
    ("muà", "mùa"),
    ("ưá", "ứa"),
    ("ừơi", "ười"),
    ("qúy", "quý"),
    ("QÙY", "QUỲ"),
    ("gìa", "già"),
    ("GỈƯA", "GIỬA"),
]

FOREIGN = [
    "café", "Sjögren", "Müller", "naïve", "résumé", "São", "João", "Zoë", "Dvořák", "Raúl",
    "María", "Guía", "Noël", "où", "déjà", "Ærø", "Łódź", "Reykjavík", "crème", "brûlée",
]  # fmt: skip


@pytest.mark.parametrize(("new", "old"), NEW_TO_OLD)
def test_new_style_becomes_traditional(new: str, old: str) -> None:
    assert normalize(new) == old
    assert normalize(old) == old
    assert normalize(new) == normalize(old)


@pytest.mark.parametrize("word", UNCHANGED)
def test_correct_words_are_untouched(word: str) -> None:
    assert normalize(word) == word


@pytest.mark.parametrize(("wrong", "right"), MISPLACED)
def test_misplaced_marks_are_fixed(wrong: str, right: str) -> None:
    assert normalize(wrong) == right


@pytest.mark.parametrize("word", FOREIGN)
def test_foreign_words_are_untouched(word: str) -> None:
    assert normalize(word) == word
    assert word == "São" or not is_syllable(word)  # "são" happens to fit the pattern


def test_in_running_text() -> None:
    text = "Ông Thuỵ nói: “Sức khoẻ là vàng”, rồi quay sang Hoà Bình (xem ảnh)."
    assert normalize(text) == "Ông Thụy nói: “Sức khỏe là vàng”, rồi quay sang Hòa Bình (xem ảnh)."


def test_nfd_input_becomes_nfc() -> None:
    for sentence in VIETNAMESE:
        decomposed = unicodedata.normalize("NFD", sentence)
        assert decomposed != sentence
        assert normalize(decomposed) == normalize(sentence)
        assert unicodedata.is_normalized("NFC", normalize(decomposed))


def test_mixed_nfc_and_nfd() -> None:
    mixed = "Ho" + "a\u0300" + " bình và " + unicodedata.normalize("NFD", "thuỷ điện")
    assert normalize(mixed) == "Hòa bình và thủy điện"


def test_sentences_are_stable() -> None:
    for sentence in VIETNAMESE + ENGLISH:
        assert normalize(sentence) == sentence


def test_odd_whitespace_and_invisibles() -> None:
    text = "Hà\u00a0Nội\u200b có\u00ad mưa\ufeff\u2009to\r\nngày\u2028mai\x00\x07"
    assert normalize(text) == "Hà Nội có mưa to\nngày\nmai"
    assert normalize("\u00d0à N\u1eb5ng") == "Đà Nẵng"  # Ð (eth) standing in for Đ
    assert normalize("Covid\u201119") == "Covid-19"


def test_keeps_spacing_and_punctuation() -> None:
    text = "  a  b\t—  “c” … 2+2 0,34 21:03 https://x.vn/a?b=1  "
    assert normalize(text) == text


@pytest.mark.parametrize(
    "junk",
    [
        "",
        "\u0301",
        "\u0301\u0300\u0309",
        "a\u0301\u0301\u0323",
        "\x00\x01\x02\x1b[0m",
        "\ud800 lone surrogate",
        "\ufffd\ufffe\uffff",
        "hoà" * 100_000,
        bytes(range(256)).decode("latin-1"),
        "𝔥𝔬𝔞 🇻🇳 👨‍👩‍👧",
    ],
)
def test_bad_input_never_raises(junk: str) -> None:
    once = normalize(junk)
    assert normalize(once) == once


def test_idempotent_on_samples() -> None:
    for text in [*VIETNAMESE, *(w for w, _ in NEW_TO_OLD), *(w for w, _ in MISPLACED)]:
        assert normalize(normalize(text)) == normalize(text)


def _variants(onset: str, nucleus: str, coda: str, tone: int) -> list[str]:
    """The syllable with the tone on each of its vowels, the u of qu and i of gi included."""
    word = onset + nucleus + coda
    first = len(onset) - 1 if onset in ("qu", "gi") else len(onset)
    return [
        word[:i] + JOIN[word[i], tone] + word[i + 1 :]
        for i in range(first, len(onset) + len(nucleus))
    ]


def _every_word(text: str) -> str:
    return re.sub("[A-Za-z\u00c0-\u1eff]+", lambda m: retone(m.group()), text)


def test_every_syllable_shape_converges() -> None:
    """All placements of a tone give one spelling, and the fast scan misses none."""
    from diemtin.text.syllable import _CODAS, _NUCLEI

    onsets = ["", "h", "ng", "th", "qu", "gi"]
    for onset, nucleus, coda in itertools.product(onsets, sorted(_NUCLEI), sorted(_CODAS)):
        if onset in ("qu", "gi") and nucleus[0] in "uiy":
            continue
        for tone in range(1, 6):
            for case in (str.lower, str.upper, str.capitalize):
                variants = [case(v) for v in _variants(onset, nucleus, coda, tone)]
                results = {normalize(v) for v in variants}
                assert len(results) == 1, variants
                canonical = results.pop()
                assert canonical in variants
                assert normalize(canonical) == canonical
                assert all(_every_word(v) == canonical for v in variants)


def test_tone_mark_count_is_preserved() -> None:
    for sentence in VIETNAMESE:
        decomposed = unicodedata.normalize("NFD", normalize(sentence))
        marks = sum(decomposed.count(m) for m in TONE_MARKS)
        assert marks == sum(unicodedata.normalize("NFD", sentence).count(m) for m in TONE_MARKS)


def test_clean_chars_only_touches_odd_characters() -> None:
    assert clean_chars("Hà Nội, 2+2") == "Hà Nội, 2+2"
    assert clean_chars("a\r\nb\rc") == "a\nb\nc"


def _titles(path: Path) -> list[str]:
    with path.open(encoding="utf-8") as lines:
        return [json.loads(line)["title"] for line in lines if line.strip()]


def test_real_titles_idempotent_and_fold_stable(shared_data: Path) -> None:
    path = shared_data / "vims" / "articles.jsonl"
    if not path.exists():
        pytest.skip(f"{path} absent")
    titles = _titles(path)
    assert len(titles) > 1000
    for title in titles:
        once = normalize(title)
        assert normalize(once) == once
        assert fold(once) == fold(title)
