from __future__ import annotations

import random
import re

import pytest

from diemtin.text import tidy
from tests.unit.text.samples import ENGLISH, VIETNAMESE


@pytest.mark.parametrize(
    ("text", "tidied"),
    [
        ("Xin chào , các bạn !", "Xin chào, các bạn!"),
        ("Thật sao ?!", "Thật sao?!"),
        ("Giá tăng mạnh ; người dân lo lắng :", "Giá tăng mạnh; người dân lo lắng:"),
        ("Và rồi …", "Và rồi…"),
        ("Chờ đã ... ", "Chờ đã..."),
        ("( xem ảnh )", "(xem ảnh)"),
        ("[ 1 ]", "[1]"),
        ("“ Tôi đồng ý ” , ông nói .", "“Tôi đồng ý”, ông nói."),
        ("« Bonjour »", "«Bonjour»"),
        ("Hà  Nội\t\tmưa", "Hà Nội mưa"),
        ("  dòng một  \n   dòng hai  ", "dòng một\ndòng hai"),
        ("đoạn một\n\nđoạn hai", "đoạn một\n\nđoạn hai"),
        ("Hà\u00a0\u00a0Nội", "Hà Nội"),
        ("https://vnexpress.net/a-b.html , xem", "https://vnexpress.net/a-b.html, xem"),
    ],
)
def test_fixes(text: str, tidied: str) -> None:
    assert tidy(text) == tidied


@pytest.mark.parametrize(
    "text",
    [
        "2+2 = 4",
        "Sjögren",
        "Tỷ lệ 0,34% lúc 21:03, ngày 1.5.2024",
        "https://example.vn/path?a=1&b=2#frag",
        "dùng .NET và C #",
        "vui :) và buồn :(",
        "Tỷ số 2 : 1",
        "x ,y",
        "Anh ấy nói... rồi đi.",
        "rock ’n’ roll",
        '"Có" hay "không"',
        "Giá 10\u00a0000 đồng",
    ],
)
def test_leaves_alone(text: str) -> None:
    assert tidy(text) == text


def test_samples_are_already_tidy() -> None:
    for sentence in VIETNAMESE + ENGLISH:
        assert tidy(sentence) == sentence


def _visible(text: str) -> str:
    return re.sub(r"\s", "", text)


def test_never_loses_characters() -> None:
    rng = random.Random(1)
    alphabet = "aàb ,.;:!?…()[]{}“”«»\"'’+-/0123456789\t\n\u00a0đĐ"
    for _ in range(2000):
        text = "".join(rng.choice(alphabet) for _ in range(rng.randrange(40)))
        once = tidy(text)
        assert _visible(once) == _visible(text)
        assert "  " not in once


def test_idempotent() -> None:
    rng = random.Random(2)
    alphabet = "ab ,.;:!?…()“”«»\t\n"
    for _ in range(2000):
        text = "".join(rng.choice(alphabet) for _ in range(rng.randrange(30)))
        assert tidy(tidy(text)) == tidy(text)


@pytest.mark.parametrize("junk", ["", " ", "\x00 ,", "\u0301 .", " ." * 100_000])
def test_bad_input_never_raises(junk: str) -> None:
    assert isinstance(tidy(junk), str)
