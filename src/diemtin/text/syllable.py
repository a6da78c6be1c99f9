"""Vietnamese letters and syllables: tone decomposition and canonical tone placement.

A Vietnamese syllable is (onset)(nucleus)(coda) with at most one tone mark, which
sits on one vowel of the nucleus. Two spelling conventions disagree only on where
the mark goes for oa, oe and uy without a final consonant: the traditional style
writes "hòa", "khỏe", "thủy", the newer one "hoà", "khoẻ", "thuỷ". We keep the
traditional style, which most Vietnamese news sites use, as the canonical form.
"""

from __future__ import annotations

import unicodedata
from functools import lru_cache

# Tone indices: 0 none, 1 sắc, 2 huyền, 3 hỏi, 4 ngã, 5 nặng.
TONE_MARKS = "\u0301\u0300\u0309\u0303\u0323"
VOWEL_BASES = "aăâeêioôơuưy"
HATTED = "ăâêôơư"  # vowels with a quality mark: they take the tone first

_ONSETS = (
    "ngh", "ng", "gh", "gi", "kh", "nh", "ph", "th", "tr", "ch", "qu",
    "b", "c", "d", "đ", "g", "h", "k", "l", "m", "n", "p", "r", "s", "t", "v", "x",
)  # fmt: skip
_CODAS = frozenset(("", "c", "ch", "m", "n", "ng", "nh", "p", "t"))
_DIPHTHONGS = (
    "ai ao au ay âu ây eo êu ia iê iu oa oă oe oi ôi ơi oo ua uâ uê ui uô uơ uy ưa ưi ươ ưu yê"
)
_TRIPHTHONGS = "iêu oai oao oay oeo uây uôi uya uyê uyu ươi ươu yêu"
_NUCLEI = frozenset([*VOWEL_BASES, *_DIPHTHONGS.split(" "), *_TRIPHTHONGS.split(" ")])


def _letter_tables() -> tuple[dict[str, tuple[str, int]], dict[tuple[str, int], str]]:
    """Every Vietnamese vowel letter, both cases, split into (toneless letter, tone)."""
    split: dict[str, tuple[str, int]] = {}
    join: dict[tuple[str, int], str] = {}
    for base in VOWEL_BASES + VOWEL_BASES.upper():
        for tone in range(6):
            mark = TONE_MARKS[tone - 1] if tone else ""
            letter = unicodedata.normalize("NFC", base + mark)
            split[letter] = (base, tone)
            join[base, tone] = letter
    return split, join


SPLIT, JOIN = _letter_tables()


def _parse(low: str) -> tuple[int, int] | None:
    """Nucleus bounds (start, end) of a toneless lowercase syllable, or None if invalid."""
    start = 0
    for onset in _ONSETS:
        if low.startswith(onset):
            # "gi"/"qu" are onsets only before another vowel: "gì" is g + i.
            if onset in ("gi", "qu") and (len(low) < 3 or low[2] not in VOWEL_BASES):
                continue
            start = len(onset)
            break
    end = start
    while end < len(low) and low[end] in VOWEL_BASES:
        end += 1
    if end == start or low[start:end] not in _NUCLEI or low[end:] not in _CODAS:
        return None
    return start, end


def _tone_position(nucleus: str, has_coda: bool) -> int:
    """Index in the nucleus that carries the tone, traditional style."""
    for i in range(len(nucleus) - 1, -1, -1):
        if nucleus[i] in HATTED:  # ươ → ơ, iê → ê, ưu → ư
            return i
    if has_coda:  # hoàng, toán, huýt: the last vowel
        return len(nucleus) - 1
    if len(nucleus) == 3:  # ngoài, khuỷu, xoáy: the middle one
        return 1
    return 0  # hòa, khỏe, thủy, mùa, tài: the first


def _split_word(word: str) -> tuple[list[str], int] | None:
    """Toneless letters of a word and its single tone; None if it has two tones."""
    letters: list[str] = []
    tone = 0
    for ch in word:
        parts = SPLIT.get(ch)
        if parts is None:
            letters.append(ch)
            continue
        if parts[1]:
            if tone:
                return None
            tone = parts[1]
        letters.append(parts[0])
    return letters, tone


@lru_cache(maxsize=65536)
def retone(word: str) -> str:
    """The word with its tone mark on the canonical vowel; unchanged unless a Vietnamese syllable.

    Case is kept letter by letter ("HOÀ" → "HÒA"). Foreign words ("più" aside) fail
    to parse as a syllable and come back untouched.
    """
    split = _split_word(word)
    if split is None or not split[1]:
        return word
    letters, tone = split
    low = "".join(letters).lower()
    bounds = _parse(low) if len(low) == len(letters) else None  # "İ".lower() grows
    if bounds is None:
        return word
    start, end = bounds
    at = start + _tone_position(low[start:end], end < len(letters))
    letters[at] = JOIN[letters[at], tone]
    return "".join(letters)


@lru_cache(maxsize=65536)
def is_syllable(word: str) -> bool:
    """True when the word, in any case and either tone style, is one Vietnamese syllable."""
    split = _split_word(word.lower())
    if split is None or not split[0]:
        return False
    letters, _ = split
    if any(not ("a" <= ch <= "z" or ch == "đ" or ch in VOWEL_BASES) for ch in letters):
        return False
    return _parse("".join(letters)) is not None
