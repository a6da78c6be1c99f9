"""Checks that run on raw bytes before any parser sees them."""

from __future__ import annotations

import codecs
import re
import zlib

from diemtin.feeds.errors import FeedError

GZIP_MAGIC = b"\x1f\x8b"
# The sitemap protocol caps a sitemap at 50 MB uncompressed; no feed is bigger.
MAX_INFLATED = 50 * 1024 * 1024

_DOCTYPE = re.compile(rb"<!DOCTYPE", re.IGNORECASE)
_ENTITY = re.compile(rb"<!ENTITY", re.IGNORECASE)
_FIRST_ELEMENT = re.compile(rb"<[A-Za-z_]")

# BOMs and the BOM-less byte patterns of "<?" (XML spec, appendix F).
# UTF-32 before UTF-16: the UTF-32-LE BOM starts with the UTF-16-LE one.
_UNICODE_SNIFF = (
    (codecs.BOM_UTF32_LE, "utf-32"),
    (codecs.BOM_UTF32_BE, "utf-32"),
    (codecs.BOM_UTF16_LE, "utf-16"),
    (codecs.BOM_UTF16_BE, "utf-16"),
    (b"<\x00?\x00", "utf-16-le"),
    (b"\x00<\x00?", "utf-16-be"),
)


def sniff_wide_encoding(data: bytes) -> str | None:
    """The codec of a UTF-16/32 document, or None for ASCII-compatible bytes."""
    for prefix, codec in _UNICODE_SNIFF:
        if data.startswith(prefix):
            return codec
    return None


def ascii_view(data: bytes) -> bytes:
    """The bytes as an ASCII-compatible encoding, so that markup regexes apply."""
    codec = sniff_wide_encoding(data)
    if codec is None:
        return data
    return data.decode(codec, errors="replace").encode("utf-8")


def refuse_entity_declarations(data: bytes) -> None:
    """Refuse XML whose DOCTYPE declares entities, before any parser runs.

    Entity declarations are how billion-laughs (exponential expansion) and XXE
    (external file or URL reads) work; no real news feed or sitemap needs one.
    A plain DOCTYPE (old RSS 0.91 has one) is harmless and allowed.
    """
    view = ascii_view(data)
    doctype = _DOCTYPE.search(view)
    if doctype is None:
        return
    root = _FIRST_ELEMENT.search(view)
    in_prolog = root is None or doctype.start() < root.start()
    if in_prolog and _ENTITY.search(view, doctype.start()):
        raise FeedError(
            "XML declares entities in its DOCTYPE (entity expansion or external "
            "entity); refused unparsed",
            kind="entity_expansion",
        )


def maybe_gunzip(data: bytes, limit: int = MAX_INFLATED) -> bytes:
    """Inflate gzip bytes (``.xml.gz`` sitemaps), anything else unchanged."""
    return gunzip_capped(data, limit) if data.startswith(GZIP_MAGIC) else data


def gunzip_capped(data: bytes, limit: int = MAX_INFLATED) -> bytes:
    """Inflate gzip bytes, refusing past ``limit`` bytes of output (gzip bombs).

    Inflates in bounded steps so that a bomb never occupies more than ``limit``
    bytes. Concatenated members are joined; a truncated stream keeps what it
    inflated, like a truncated plain document would.
    """
    out = bytearray()
    inflater = zlib.decompressobj(wbits=31)
    pending = data
    try:
        while pending:
            # max_length stays >= 1: 0 would mean "unlimited" to zlib
            out += inflater.decompress(pending, limit + 1 - len(out))
            if len(out) > limit:
                raise FeedError(
                    f"compressed document inflates past {limit} bytes", kind="too_large"
                )
            pending = inflater.unconsumed_tail
            if inflater.eof:
                pending = inflater.unused_data
                if not pending.startswith(GZIP_MAGIC):
                    break
                inflater = zlib.decompressobj(wbits=31)
    except zlib.error as exc:
        if not out:
            raise FeedError(f"broken gzip data: {exc}") from exc
    return bytes(out)
