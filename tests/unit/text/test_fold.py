from __future__ import annotations

import unicodedata

import pytest

from diemtin.text import fold, normalize, words
from tests.unit.text.samples import ENGLISH, VIETNAMESE


@pytest.mark.parametrize(
    ("text", "key"),
    [
        ("Bộ trưởng Quốc phòng", "bo truong quoc phong"),
        ("Đô thị", "do thi"),
        ("ĐÀ NẴNG", "da nang"),
        ("Thủ tướng   Chính\u00a0phủ\n", "thu tuong chinh phu"),
        ("Hòa\u200bBình", "hoabinh"),
        ("Ødegaard, Łódź, Straße", "odegaard, lodz, strasse"),
        ("İstanbul", "istanbul"),
        ("Covid-19: 0,34%", "covid-19: 0,34%"),
        ("", ""),
    ],
)
def test_fold(text: str, key: str) -> None:
    assert fold(text) == key


def test_spelling_variants_meet() -> None:
    assert fold("bộ truởng") == fold("Bộ trưởng")
    assert fold("hoà bình") == fold("Hòa Bình") == fold("HOÀ BÌNH")
    assert fold("thuỷ điện") == fold("thủy điện")
    assert fold(unicodedata.normalize("NFD", "Nguyễn Thị Thuỳ")) == "nguyen thi thuy"


def test_fold_is_ascii_for_vietnamese() -> None:
    for sentence in VIETNAMESE:
        assert fold(sentence).isascii()
        assert fold(sentence) == fold(normalize(sentence))
        assert fold(fold(sentence)) == fold(sentence)


def test_fold_keeps_other_scripts() -> None:
    assert fold("Москва 東京") == "москва 東京"
    for sentence in ENGLISH[:5]:
        assert fold(sentence) == " ".join(sentence.lower().split())


def test_words() -> None:
    assert words("Covid-19 ở TP.HCM tăng 0,34%") == [
        "covid",
        "19",
        "o",
        "tp",
        "hcm",
        "tang",
        "0",
        "34",
    ]
    assert words("  ") == []
    assert words("snake_case") == ["snake", "case"]


@pytest.mark.parametrize("junk", ["\u0301", "\x00\x01", "\ud800", "ĐĐĐ" * 100_000])
def test_bad_input_never_raises(junk: str) -> None:
    assert isinstance(fold(junk), str)
    assert isinstance(words(junk), list)
