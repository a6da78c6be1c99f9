"""One canonical spelling for Vietnamese text: NFC, one tone style, plain whitespace.

Run ``fix_legacy`` (VNI/TCVN3 repair) *before* this: TCVN3 writes "ư" as a byte
that reads as a soft hyphen, which is removed here.
"""

from __future__ import annotations

import re
import unicodedata

from diemtin.text.syllable import TONED_VOWELS, VOWELS, retone

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
_ODD = re.compile("[" + re.escape("".join(chr(c) for c in _CHAR_MAP)) + "]")

# A word worth re-toning: a toned vowel next to another vowel. Single-vowel
# syllables ("có", "là") cannot be misplaced, so most words skip the Python step.
_LETTER = "A-Za-z\u00c0-\u024f\u0300-\u036f\u1e00-\u1eff"
_CANDIDATE = re.compile(
    f"(?<![{_LETTER}])[{_LETTER}]*(?:[{TONED_VOWELS}][{VOWELS}]|[{VOWELS}][{TONED_VOWELS}])"
    f"[{_LETTER}]*"
)


def clean_chars(text: str) -> str:
    """Odd spaces to " ", other line breaks to "\\n", invisible and control characters removed."""
    if "\r\n" in text:
        text = text.replace("\r\n", "\n")
    if _ODD.search(text) is None:
        return text
    return text.translate(_CHAR_MAP)


def _retone_match(match: re.Match[str]) -> str:
    return retone(match.group())


def normalize(text: str) -> str:
    """NFC, the traditional tone placement ("hoà" → "hòa", "thuỷ" → "thủy"), plain whitespace.

    Character level only: it neither collapses nor strips spaces (see ``tidy``),
    so it is safe on text fragments and inline HTML alike. Idempotent.
    """
    if not text:
        return text
    text = unicodedata.normalize("NFC", clean_chars(text))
    return _CANDIDATE.sub(_retone_match, text)
