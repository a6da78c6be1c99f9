"""Bytes to Unicode for Vietnamese pages, and repair of legacy font encodings.

Old Vietnamese sites served windows-1258 (letters plus combining tone marks), or
text typed in VNI or TCVN3 (ABC) fonts, which survives today as gibberish such
as "Vieät Nam" or "ViÖt Nam" even inside UTF-8 pages.
"""

from __future__ import annotations

import codecs
import re
import unicodedata
from collections.abc import Callable, Iterable

from charset_normalizer import from_bytes

from diemtin.text.legacy_tables import TCVN3_DECODE, VNI_DECODE
from diemtin.text.syllable import SPLIT, TONE_MARKS, is_syllable

_BOMS = (
    (codecs.BOM_UTF32_LE, "utf-32-le"),  # before UTF-16 LE, whose BOM is its prefix
    (codecs.BOM_UTF32_BE, "utf-32-be"),
    (codecs.BOM_UTF8, "utf-8"),
    (codecs.BOM_UTF16_LE, "utf-16-le"),
    (codecs.BOM_UTF16_BE, "utf-16-be"),
)
# Declared labels that browsers read as windows-1252 (WHATWG), often put on
# pages that are really something else.
_WESTERN = frozenset(("ascii", "iso8859-1", "cp1252"))
_WIDE = frozenset(("utf-16", "utf-16-le", "utf-16-be", "utf-32", "utf-32-le", "utf-32-be"))

# windows-1252 reading of bytes 0x80-0x9F; its five holes stay C1 controls.
_C1_TO_CP1252 = {
    byte: bytes([byte]).decode("cp1252")
    for byte in range(0x80, 0xA0)
    if byte not in (0x81, 0x8D, 0x8F, 0x90, 0x9D)
}

# A "word" for legacy detection: letters plus the Latin-1 symbols that TCVN3
# uses as letters ("c¸c", "®·", "ng\xadêi").
_TOKEN = re.compile("[A-Za-z\u00a1-\u024f\u0300-\u036f\u1e00-\u1eff]+")
_VIETNAMESE_ONLY = re.compile("[ĂăĐđĨĩŨũƠơƯư\u1ea0-\u1ef9]")
_LATIN1_HIGH = re.compile("[\u00a1-\u00ff]")
_ASCII_LETTER = re.compile("[A-Za-z]")
_SAMPLE_CHARS = 100_000
_SAMPLE_TOKENS = 3000
_MIN_HITS = 2
_HITS_PER_MISS = 4

_SNIFF_BYTES = 4096
_XML_ENCODING = re.compile(rb"""\s*<\?xml[^>]*?encoding\s*=\s*["']([A-Za-z0-9._:-]+)""")
_META_CHARSET = re.compile(rb"""<meta[^>]+charset\s*=\s*["']?([A-Za-z0-9._:-]+)""", re.IGNORECASE)
_CP1258_MARK = re.compile(f"(.)[{TONE_MARKS}]", re.DOTALL)
_VOWEL_LETTERS = frozenset(SPLIT)


def _alternation(keys: Iterable[str]) -> re.Pattern[str]:
    """A regex of the keys, longest first, so "oá" wins over "o" and "á"."""
    return re.compile("|".join(re.escape(k) for k in sorted(keys, key=len, reverse=True)))


_VNI_RE = _alternation(VNI_DECODE)
_TCVN3_RE = _alternation(TCVN3_DECODE)
_UPPER_WORD = re.compile(r"[^\W\d_]+")


def _vni(text: str) -> str:
    return _VNI_RE.sub(lambda m: VNI_DECODE[m.group()], text)


def _tcvn3(text: str) -> str:
    return _TCVN3_RE.sub(lambda m: TCVN3_DECODE[m.group()], text)


_CONVERTERS: dict[str, Callable[[str], str]] = {"vni": _vni, "tcvn3": _tcvn3}


def _score(tokens: list[str], convert: Callable[[str], str]) -> tuple[int, int]:
    """(hits, misses): words the encoding explains and words that contradict it.

    A hit is gibberish that converts to a Vietnamese syllable ("Vieät" → "Việt").
    Words that read fine either way ("có") count for neither side.
    """
    hits = misses = 0
    for token in tokens:
        if not _ASCII_LETTER.search(token):
            continue  # "£", "½", "«»" alone: symbols, or at best one-letter words
        if any(ch > "\u00ff" for ch in token):
            misses += 1  # legacy text read as windows-1252 stays within Latin-1
            continue
        converted = convert(token)
        if converted == token:
            misses += not is_syllable(token)
        elif is_syllable(converted):
            hits += not is_syllable(token)
        else:
            misses += 1
    return hits, misses


def detect_legacy(text: str) -> str | None:
    """Which legacy font encoding the text is in: "vni", "tcvn3", or None.

    Decides only on clear evidence: at least two words that only make sense
    converted, and four times more of them than words that contradict it.
    """
    sample = unicodedata.normalize("NFC", text[:_SAMPLE_CHARS])
    latin1 = len(_LATIN1_HIGH.findall(sample))
    if latin1 == 0 or len(_VIETNAMESE_ONLY.findall(sample)) * 4 >= latin1:
        return None  # nothing legacy-looking, or plenty of real Unicode Vietnamese
    tokens = [t for t in _TOKEN.findall(sample) if not t.isascii()][:_SAMPLE_TOKENS]
    best: tuple[int, str] | None = None
    for kind, convert in _CONVERTERS.items():
        hits, misses = _score(tokens, convert)
        if hits >= _MIN_HITS and hits >= _HITS_PER_MISS * misses and (not best or hits > best[0]):
            best = (hits, kind)
    return best[1] if best else None


def _capitalize_tcvn3(text: str) -> str:
    """Upper-case words set in the capitals font: "VIệT" (from "VIÖT") → "VIỆT"."""

    def fix(match: re.Match[str]) -> str:
        word = match.group()
        ascii_letters = [ch for ch in word if ch.isascii()]
        if len(ascii_letters) >= 2 and all(ch.isupper() for ch in ascii_letters):
            return word.upper()
        return word

    return _UPPER_WORD.sub(fix, text)


def fix_legacy(text: str) -> str:
    """Text in VNI or TCVN3 converted to Unicode (NFC); any other text unchanged."""
    kind = detect_legacy(text)
    if kind is None:
        return text
    converted = _CONVERTERS[kind](unicodedata.normalize("NFC", text))
    if kind == "tcvn3":
        converted = _capitalize_tcvn3(converted)
    return unicodedata.normalize("NFC", converted)


def _codec(label: str | None) -> str | None:
    if not label:
        return None
    try:
        return codecs.lookup(label.strip().strip("\"'").lower()).name
    except LookupError:
        return None


def _western(data: bytes) -> str:
    """windows-1252 as browsers read it: never fails, holes kept as C1 controls."""
    return data.decode("latin-1").translate(_C1_TO_CP1252)


def _try(data: bytes, codec: str) -> str | None:
    try:
        return data.decode(codec)
    except (UnicodeDecodeError, LookupError):  # LookupError: "base64" is no text codec
        return None


def _looks_cp1258(text: str) -> bool:
    """Combining tone marks, nearly all right after a vowel: Vietnamese in windows-1258."""
    bases = [m.group(1) for m in _CP1258_MARK.finditer(text)]
    on_vowels = sum(base in _VOWEL_LETTERS for base in bases)
    return on_vowels >= 2 and on_vowels * 10 >= len(bases) * 9


def _sniffed(data: bytes) -> str | None:
    """The charset an HTML meta tag or XML declaration names near the start."""
    head = data[:_SNIFF_BYTES]
    found = _XML_ENCODING.match(head) or _META_CHARSET.search(head)
    return found.group(1).decode("ascii") if found else None


def _utf8(data: bytes, declared: bool) -> str | None:
    """The data as UTF-8, if it is: exactly, cut short at the end, or with rare bad bytes."""
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError as error:
        if error.reason == "unexpected end of data":  # a download cut mid-character
            return _utf8(data[: error.start], declared)
    replaced = data.decode("utf-8", errors="replace")
    bad = replaced.count("\ufffd") - data.count("\ufffd".encode())
    multibyte = len(data) - len(replaced)  # extra bytes of well-formed sequences
    return replaced if declared or bad * 50 <= multibyte else None


def _single_byte(data: bytes, codec: str | None) -> str:
    if codec is None or codec in _WESTERN:
        western = _western(data)
        if detect_legacy(western) is not None:
            return fix_legacy(western)
        if codec is not None:
            return western
    if codec is not None and (text := _try(data, codec)) is not None:
        return text
    if (text := _try(data, "cp1258")) is not None and _looks_cp1258(text):
        return text
    guess = from_bytes(data).best()
    return str(guess) if guess is not None else data.decode("utf-8", errors="replace")


def decode_bytes(data: bytes, declared: str | None = None) -> str:
    """Decode a document's bytes to NFC Unicode; never raises.

    ``declared`` is the HTTP charset; without it a ``<meta charset>`` or XML
    declaration counts. Order: a byte-order mark; UTF-8 when the bytes are UTF-8
    (pages labelled latin-1 often are); VNI/TCVN3 bytes, converted; the declared
    charset; windows-1258; charset_normalizer's guess.
    """
    if not data:
        return ""
    for bom, bom_codec in _BOMS:
        if data.startswith(bom):
            return _nfc(data[len(bom) :].decode(bom_codec, errors="replace"))
    codec = _codec(declared) or _codec(_sniffed(data))
    if codec in _WIDE and (text := _try(data, codec)) is not None:
        return _nfc(text)
    text = _utf8(data, declared=codec == "utf-8")
    return _nfc(text if text is not None else _single_byte(data, codec))


def _nfc(text: str) -> str:
    return unicodedata.normalize("NFC", text)
