"""Captions and credits, lazy image URLs, srcset."""

from __future__ import annotations

import pytest
from lxml.html import fragment_fromstring

from diemtin.extract.credits import split_credit
from diemtin.extract.figures import image_url


@pytest.mark.parametrize(
    ("text", "caption", "credit"),
    [
        ("Khách du lịch ở Kyoto. Ảnh: Kyodo/TTXVN", "Khách du lịch ở Kyoto.", "Ảnh: Kyodo/TTXVN"),
        ("Binh sĩ tập trận. Ảnh minh hoạ: TASS", "Binh sĩ tập trận.", "Ảnh minh hoạ: TASS"),
        (
            "Một bệnh nhân điều trị ung thư. Ảnh minh họa",
            "Một bệnh nhân điều trị ung thư.",
            "Ảnh minh họa",
        ),
        ("Cảnh sát tại hiện trường (Ảnh: Reuters)", "Cảnh sát tại hiện trường", "Ảnh: Reuters"),
        ("Đội tuyển ăn mừng - Ảnh: NGỌC THẮNG", "Đội tuyển ăn mừng", "Ảnh: NGỌC THẮNG"),
        ("Số ca mắc theo tuần. Nguồn: Bộ Y tế", "Số ca mắc theo tuần.", "Nguồn: Bộ Y tế"),
        ("Protesters in Hong Kong. Photo: AP", "Protesters in Hong Kong.", "Photo: AP"),
        ("Pháo hoa đêm giao thừa. Video: Phạm Dự", "Pháo hoa đêm giao thừa.", "Video: Phạm Dự"),
        ("Ảnh: TTXVN", "", "Ảnh: TTXVN"),
        ("Tấm ảnh cũ của gia đình", "Tấm ảnh cũ của gia đình", ""),
        ("Anh ấy xem ảnh: đẹp quá", "Anh ấy xem ảnh: đẹp quá", ""),
        ("", "", ""),
    ],
)
def test_split_credit(text: str, caption: str, credit: str) -> None:
    assert split_credit(text) == (caption, credit)


def test_decomposed_vietnamese_is_recognised() -> None:
    decomposed = "Phố cổ Hà Nội. A\u0309nh: Giang Huy"  # "Ảnh" as A + combining hook
    assert split_credit(decomposed) == ("Phố cổ Hà Nội.", "Ảnh: Giang Huy")


BASE = "https://baomau.example/bai/"


@pytest.mark.parametrize(
    ("markup", "url"),
    [
        (
            '<img src="data:image/gif;base64,R0lGOD" data-src="/a.jpg">',
            "https://baomau.example/a.jpg",
        ),
        (
            '<img src="/img/blank.gif" data-original="//cdn.example/b.jpg">',
            "https://cdn.example/b.jpg",
        ),
        ('<img src="c.jpg">', "https://baomau.example/bai/c.jpg"),
        (
            '<img data-srcset="https://cdn.example/s.jpg 480w, https://cdn.example/l.jpg 1200w">',
            "https://cdn.example/l.jpg",
        ),
        ('<img src="https://cdn.example/w_680,h_0/d.jpg">', "https://cdn.example/w_680,h_0/d.jpg"),
        ('<img src="javascript:alert(1)">', None),
        ('<img src="data:image/png;base64,AAAA">', None),
    ],
)
def test_image_url(markup: str, url: str | None) -> None:
    assert image_url(fragment_fromstring(markup), BASE) == url


def test_picture_source_is_used_when_img_has_no_url() -> None:
    picture = fragment_fromstring(
        '<picture><source srcset="https://cdn.example/p-2x.webp 2x, https://cdn.example/p.webp 1x">'
        '<img src="/lazy-placeholder.png"></picture>'
    )
    img = next(picture.iter("img"))
    assert image_url(img, BASE) == "https://cdn.example/p-2x.webp"
