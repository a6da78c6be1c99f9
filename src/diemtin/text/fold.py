"""The search and matching key: lowercase, no diacritics, one space between words."""

from __future__ import annotations

import re
import unicodedata

from diemtin.text.normalize import clean_chars

_MARKS = re.compile("[\u0300-\u036f]+")
# Letters with no decomposable mark, spelled out so "Đà Nẵng" meets "Da Nang"
# and "Ødegaard" meets "Odegaard".
_LETTERS = {"ð": "d", "ø": "o", "æ": "ae", "œ": "oe", "ß": "ss", "ł": "l", "þ": "th"}
_LETTERS["ı"] = "i"
_LETTER_TABLE = str.maketrans(_LETTERS)
_RARE = re.compile("[" + "".join(_LETTERS) + "]")
_WORD = re.compile(r"[^\W_]+")


def fold(text: str) -> str:
    """``fold("Bộ trưởng Quốc phòng") == "bo truong quoc phong"``; "Đô thị" → "do thi".

    Tone style, NFC/NFD and odd spaces make no difference to the key.
    """
    if not text:
        return text
    # lower() before stripping marks: "İ".lower() is "i" plus a combining dot.
    folded = _MARKS.sub("", unicodedata.normalize("NFD", clean_chars(text)).lower())
    folded = folded.replace("đ", "d")  # common, so not through the slower translate
    if _RARE.search(folded):
        folded = folded.translate(_LETTER_TABLE)
    return " ".join(folded.split())


def words(text: str) -> list[str]:
    """The folded words of the text: runs of letters and digits ("Covid-19" → covid, 19)."""
    return _WORD.findall(fold(text))
