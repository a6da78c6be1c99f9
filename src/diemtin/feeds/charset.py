"""Decode feed and page bytes to text whatever charset they claim.

Vietnamese publishers get this wrong in both directions: UTF-8 served as
ISO-8859-1, and legacy windows-1258 (which spells tones as combining marks).
Strict UTF-8 first is safe: text that is not UTF-8 almost never decodes as it.
"""

from __future__ import annotations

import codecs
import re
import unicodedata

from charset_normalizer import from_bytes

from diemtin.feeds.safety import sniff_wide_encoding

_XML_ENCODING = re.compile(rb"""^\s*<\?xml[^>]*?encoding\s*=\s*["']([A-Za-z0-9._:-]+)["']""")
_META_CHARSET = re.compile(rb"""<meta[^>]+charset\s*=\s*["']?([A-Za-z0-9._:-]+)""", re.I)
_HEADER_CHARSET = re.compile(r"""charset\s*=\s*["']?([A-Za-z0-9._:-]+)""", re.I)
_XML_DECL_ENCODING = re.compile(r"""^(<\?xml[^>]*?encoding\s*=\s*)(["'])[^"']*\2""")
# UTF-8 read as latin-1/cp1252: "Viá»‡t", "Ä‘", "Ã¡"; never in real Vietnamese
_MOJIBAKE = re.compile("á[º»]|Ä[\u0080-\u00bf]|Ã[\u0080-\u00bf]|Æ[°¡]")
_VIETNAMESE_LEGACY = "cp1258"


def decode_bytes(data: bytes, content_type: str | None = None) -> str:
    """Text of the document, NFC-normalized, with double-encoded UTF-8 repaired."""
    text = _decode(data, content_type)
    text = _repair_mojibake(text)
    return unicodedata.normalize("NFC", text.lstrip("\ufeff"))


def xml_as_utf8(data: bytes, content_type: str | None = None) -> bytes:
    """The XML document re-encoded as UTF-8 with a declaration that says so."""
    text = decode_bytes(data, content_type).lstrip()
    text = _XML_DECL_ENCODING.sub(r'\1"utf-8"', text, count=1)
    return text.encode("utf-8")


def _decode(data: bytes, content_type: str | None) -> str:
    wide = sniff_wide_encoding(data)
    if wide is not None:
        return data.decode(wide, errors="replace")
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError:
        pass
    for codec in (*_declared(data, content_type), _VIETNAMESE_LEGACY):
        try:
            return data.decode(codec)
        except (LookupError, UnicodeDecodeError):
            continue
    best = from_bytes(data).best()
    if best is not None:
        return str(best)
    return data.decode("utf-8", errors="replace")


def _declared(data: bytes, content_type: str | None) -> list[str]:
    """Charsets named by the HTTP header, the XML declaration or a <meta>."""
    names: list[str] = []
    if content_type and (m := _HEADER_CHARSET.search(content_type)):
        names.append(m.group(1))
    head = data[:2048]
    for pattern in (_XML_ENCODING, _META_CHARSET):
        if m2 := pattern.search(head):
            names.append(m2.group(1).decode("ascii"))
    return [n for n in names if _known(n) and codecs.lookup(n).name != "utf-8"]


def _known(name: str) -> bool:
    try:
        codecs.lookup(name)
    except LookupError:
        return False
    return True


def _repair_mojibake(text: str) -> str:
    """Undo UTF-8 that was decoded as a one-byte charset and saved again."""
    if not _MOJIBAKE.search(text):
        return text
    try:
        return text.translate(_CP1252_TO_BYTE).encode("latin-1").decode("utf-8")
    except (UnicodeEncodeError, UnicodeDecodeError):
        return text


def _cp1252_table() -> dict[int, int]:
    """cp1252's 0x80-0x9F letters back to their byte values.

    With latin-1 for the rest this undoes both latin-1 and cp1252 misreadings,
    including Windows' habit of passing cp1252's five undefined bytes through.
    """
    table: dict[int, int] = {}
    for byte in range(0x80, 0xA0):
        try:
            table[ord(bytes([byte]).decode("cp1252"))] = byte
        except UnicodeDecodeError:
            continue
    return table


_CP1252_TO_BYTE = _cp1252_table()
