"""Content-Encoding decoding (gzip, deflate, Brotli) with a hard cap on the decoded size.

httpx's own decoders inflate a whole network chunk at once, so 64 KB of a
gzip bomb becomes 64 MB in memory before anyone can count it. Here every
``decompress`` call is bounded by what the cap still allows.
"""

from __future__ import annotations

import zlib
from collections.abc import Iterable, Iterator

import brotli  # type: ignore[import-untyped]

from diemtin.fetch.errors import FetchError

ACCEPT_ENCODING = "gzip, deflate, br"


class _Identity:
    def feed(self, data: bytes, limit: int) -> Iterator[bytes]:
        yield data

    def finish(self) -> bytes:
        return b""


class _Zlib:
    def __init__(self, wbits: int, *, deflate: bool = False) -> None:
        self._obj = zlib.decompressobj(wbits)
        self._deflate = deflate  # "deflate" may be zlib-wrapped or raw: sniff first bytes
        self._first = True

    def feed(self, data: bytes, limit: int) -> Iterator[bytes]:
        if self._first and data:
            self._first = False
            if self._deflate and not _looks_like_zlib(data):
                self._obj = zlib.decompressobj(-zlib.MAX_WBITS)
        while data:
            out = self._obj.decompress(data, max(limit, 1))
            yield out
            stalled = not out and self._obj.unconsumed_tail == data
            data = self._obj.unconsumed_tail
            limit -= len(out)
            if self._obj.eof or stalled:
                return

    def finish(self) -> bytes:
        return self._obj.flush()


def _looks_like_zlib(data: bytes) -> bool:
    return len(data) >= 2 and data[0] & 0x0F == 8 and (data[0] << 8 | data[1]) % 31 == 0


class _Brotli:
    """Brotli through ``output_buffer_limit`` (brotli >= 1.2): bounded like zlib."""

    def __init__(self) -> None:
        self._obj = brotli.Decompressor()
        self._fed = False

    def feed(self, data: bytes, limit: int) -> Iterator[bytes]:
        self._fed = self._fed or bool(data)
        out = self._obj.process(data, output_buffer_limit=max(limit, 1))
        yield out
        # Past the limit the decoder keeps its input; it is drained in bounded
        # steps while the caller still wants more.
        while not self._obj.can_accept_more_data():
            limit -= len(out)
            out = self._obj.process(b"", output_buffer_limit=max(limit, 1))
            if not out:
                return
            yield out

    def finish(self) -> bytes:
        # an empty body is empty, as with gzip; a stream that stops midway is corrupt
        if self._fed and not self._obj.is_finished():
            raise brotli.error("truncated brotli stream")
        return b""


_Decoder = _Identity | _Zlib | _Brotli


def _decoder_for(content_encoding: str) -> _Decoder:
    codings = [c.strip().lower() for c in content_encoding.split(",") if c.strip()]
    codings = [c for c in codings if c != "identity"]
    if not codings:
        return _Identity()
    if len(codings) > 1:
        raise FetchError(f"stacked content encodings {content_encoding!r}", kind="decode")
    if codings[0] in ("gzip", "x-gzip"):
        return _Zlib(zlib.MAX_WBITS | 16)
    if codings[0] == "deflate":
        return _Zlib(zlib.MAX_WBITS, deflate=True)
    if codings[0] == "br":
        return _Brotli()
    raise FetchError(f"unsupported content encoding {codings[0]!r}", kind="decode")


def read_body(
    raw_chunks: Iterable[bytes],
    content_encoding: str,
    max_bytes: int,
    *,
    truncate: bool = False,
) -> bytes:
    """Decode and join ``raw_chunks``; at most ``max_bytes`` decoded bytes.

    Past the cap: raise ``too_large``, or with ``truncate`` return the first
    ``max_bytes``. Corrupt data raises ``decode``.
    """
    decoder = _decoder_for(content_encoding)
    parts: list[bytes] = []
    size = 0
    try:
        for raw in raw_chunks:
            for out in decoder.feed(raw, max_bytes - size + 1):
                parts.append(out)
                size += len(out)
                if size > max_bytes:
                    return _over(parts, max_bytes, truncate)
        tail = decoder.finish()
    except (zlib.error, brotli.error) as exc:
        raise FetchError(f"corrupt {content_encoding} body: {exc}", kind="decode") from exc
    parts.append(tail)
    if size + len(tail) > max_bytes:
        return _over(parts, max_bytes, truncate)
    return b"".join(parts)


def _over(parts: list[bytes], max_bytes: int, truncate: bool) -> bytes:
    if truncate:
        return b"".join(parts)[:max_bytes]
    raise FetchError(f"body larger than {max_bytes} bytes", kind="too_large")
