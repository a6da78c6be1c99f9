"""One canonical spelling for Vietnamese text: NFC, one tone style, plain whitespace.

Run ``fix_legacy`` (VNI/TCVN3 repair) *before* this: TCVN3 writes "ư" as a byte
that reads as a soft hyphen, which is removed here.
"""

from __future__ import annotations

import re
import unicodedata

from diemtin.text.syllable import HATTED, SPLIT, retone

_SPACES = "\u00a0\u1680\u2000\u2001\u2002\u2003\u2004\u2005\u2006\u2007\u2008\u2009\u200a"
_SPACES += "\u202f\u205f\u3000"
_BREAKS = "\r\x0b\x0c\x85\u2028\u2029"
# Invisible in display yet breaking search and matching: zero-width space, word
# joiner, BOM, soft hyphen, Mongolian vowel separator, bidi marks and controls.
_INVISIBLE = "\u200b\u2060\ufeff\u00ad\u180e\u200e\u200f\u202a\u202b\u202c\u202d\u202e"
_INVISIBLE += "\u2066\u2067\u2068\u2069"
_CONTROLS = [chr(c) for c in (*range(0x00, 0x09), *range(0x0E, 0x20), *range(0x7F, 0xA0))]

_CHAR_MAP: dict[int, str | None] = {
    **{ord(c): " " for c in _SPACES},
    **{ord(c): None for c in _CONTROLS},  # before _BREAKS: \x85 is a line break
    **{ord(c): "\n" for c in _BREAKS},
    **{ord(c): None for c in _INVISIBLE},
    0x00D0: "Đ",  # Icelandic capital eth, a common stand-in for Đ
    0x2010: "-",  # Unicode hyphens render like "-" but do not match it
    0x2011: "-",
}
_CHAR_REPLACEMENTS = {chr(c): r or "" for c, r in _CHAR_MAP.items()}
_ODD = re.compile("[" + re.escape("".join(_CHAR_REPLACEMENTS)) + "]")

_LETTER_RANGES = "A-Za-z\u00c0-\u024f\u0300-\u036f\u1e00-\u1eff"
_WORD_TAIL = re.compile(f"[{_LETTER_RANGES}]*")
_LETTERS = frozenset(ch for ch in map(chr, range(0x1F00)) if _WORD_TAIL.fullmatch(ch))


def _vowels(*, toned: bool | None = None, hatted: bool | None = None, base: str = "") -> str:
    """The vowel letters (both cases) with the given properties, as a regex class body."""
    return "".join(
        ch
        for ch, (b, tone) in SPLIT.items()
        if (toned is None or bool(tone) == toned)
        and (hatted is None or (b.lower() in HATTED) == hatted)
        and (not base or b.lower() == base)
    )


def _suspect_pattern() -> str:
    """A toned vowel where no canonical syllable has one; a superset of what ``retone`` moves.

    Each branch starts at the toned vowel so the scan skips everything else fast.
    tests/unit/text checks it against every syllable shape.
    """
    t, tp = _vowels(toned=True), _vowels(toned=True, hatted=False)
    v, vp, vh = _vowels(), _vowels(toned=False, hatted=False), _vowels(toned=False, hatted=True)
    tu, ti, lt = _vowels(toned=True, base="u"), _vowels(toned=True, base="i"), _LETTER_RANGES
    branches = (
        f"(?=[{vh}])",  # hatted vowel after the tone: "ừơ" for "ườ"
        f"(?<=[{vh}][{tp}])",  # plain toned after hatted: "ưá" for "ứa"
        f"(?<=[{tp}])(?=[{vp}][{lt}])",  # first of two plus coda/third: "hòang", "ngòai"
        f"(?<=[{vp}][{tp}])(?![{lt}])",  # last of two, no coda: "hoà", "thuỷ" (or "quả")
        f"(?<=[qQ][{tu}])",  # tone on the u of qu: "qúy"
        f"(?<=[gG][{ti}])(?=[{v}])",  # tone on the i of gi: "gìa"
    )
    return f"[{t}](?:{'|'.join(branches)})"


_SUSPECT = re.compile(_suspect_pattern())


def clean_chars(text: str) -> str:
    """Odd spaces to " ", other line breaks to "\\n", invisible and control characters removed."""
    if "\r\n" in text:
        text = text.replace("\r\n", "\n")
    return _ODD.sub(_replace_char, text)


def _replace_char(match: re.Match[str]) -> str:
    return _CHAR_REPLACEMENTS[match.group()]


def retone_words(text: str) -> str:
    """Every Vietnamese syllable of the text with its tone mark in the canonical place."""
    pieces: list[str] = []
    done = 0  # end of the last word looked at; pieces cover text[:emitted]
    emitted = 0
    for match in _SUSPECT.finditer(text):
        if match.start() < done:
            continue  # another suspect in a word already handled
        start = match.start()
        while start > done and text[start - 1] in _LETTERS:
            start -= 1
        tail = _WORD_TAIL.match(text, match.end())
        end = tail.end() if tail else match.end()
        word = text[start:end]
        fixed = retone(word)
        if fixed != word:
            pieces += (text[emitted:start], fixed)
            emitted = end
        done = end
    if not pieces:
        return text
    pieces.append(text[emitted:])
    return "".join(pieces)


def normalize(text: str) -> str:
    """NFC, the traditional tone placement ("hoà" → "hòa", "thuỷ" → "thủy"), plain whitespace.

    Character level only: it neither collapses nor strips spaces (see ``tidy``),
    so it is safe on text fragments and inline HTML alike. Idempotent.
    """
    if not text:
        return text
    text = unicodedata.normalize("NFC", clean_chars(text))
    return retone_words(text)
