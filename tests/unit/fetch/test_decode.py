"""Bounded decoding of gzip/deflate bodies."""

from __future__ import annotations

import gzip
import tracemalloc
import zlib
from collections.abc import Callable, Iterator

import brotli
import pytest

from diemtin.fetch.decode import read_body
from diemtin.fetch.errors import FetchError

TEXT = "Tin tức mới nhất hôm nay. ".encode() * 200


def chunks(data: bytes, size: int = 1000) -> Iterator[bytes]:
    for i in range(0, len(data), size):
        yield data[i : i + size]


@pytest.mark.parametrize(
    ("encoding", "packed"),
    [
        ("", TEXT),
        ("identity", TEXT),
        ("gzip", gzip.compress(TEXT)),
        ("x-gzip", gzip.compress(TEXT)),
        ("GZIP", gzip.compress(TEXT)),
        ("deflate", zlib.compress(TEXT)),
        ("deflate", zlib.compress(TEXT)[2:-4]),  # raw deflate, as some servers send
        ("br", brotli.compress(TEXT)),
    ],
)
def test_decodes(encoding: str, packed: bytes) -> None:
    assert read_body(chunks(packed, 7), encoding, len(TEXT)) == TEXT


def test_exactly_at_cap_passes_one_over_fails() -> None:
    assert read_body([TEXT], "", len(TEXT)) == TEXT
    with pytest.raises(FetchError) as info:
        read_body([TEXT], "", len(TEXT) - 1)
    assert info.value.kind == "too_large"


@pytest.mark.parametrize(("encoding", "pack"), [("gzip", gzip.compress), ("br", brotli.compress)])
def test_a_bomb_is_cut_off_without_inflating_it(
    encoding: str, pack: Callable[[bytes], bytes]
) -> None:
    bomb = pack(b"\0" * 50_000_000)  # 50 KB or less on the wire
    tracemalloc.start()
    try:
        with pytest.raises(FetchError) as info:
            read_body(chunks(bomb, 65536), encoding, 1_000_000)
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    assert info.value.kind == "too_large"
    assert peak < 5_000_000, f"peak {peak} bytes: the bomb was inflated"


def test_brotli_truncated_to_the_cap() -> None:
    packed = brotli.compress(TEXT)
    assert read_body(chunks(packed, 5), "br", 100, truncate=True) == TEXT[:100]
    assert read_body(chunks(packed, 5), "br", len(TEXT)) == TEXT
    assert read_body([], "br", 100) == read_body([b""], "br", 100) == b""


def test_truncate_keeps_the_first_bytes() -> None:
    body = read_body(chunks(gzip.compress(TEXT)), "gzip", 100, truncate=True)
    assert body == TEXT[:100]


@pytest.mark.parametrize(
    ("encoding", "data"),
    [
        ("gzip", b"definitely not gzip"),
        ("br", b"\x1b"),  # a stream cut short
        ("br", b"definitely not brotli"),
        ("br", brotli.compress(TEXT)[:-3]),
        ("zstd", b""),
        ("gzip, gzip", b""),
        ("br, gzip", b""),
    ],
)
def test_bad_or_unsupported_encoding(encoding: str, data: bytes) -> None:
    with pytest.raises(FetchError) as info:
        read_body([data], encoding, 1000)
    assert info.value.kind == "decode"
