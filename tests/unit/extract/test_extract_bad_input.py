"""Inputs that are not article pages: errors, never crashes or hangs."""

from __future__ import annotations

import contextlib
import time

import pytest

from diemtin.extract import ExtractError, extract_article
from diemtin.model import IngestError

URL = "https://baomau.example/bai.html"
PARAGRAPH = (
    "<p>Ủy ban nhân dân thành phố vừa công bố kế hoạch cải tạo hai mươi tuyến phố cũ trong khu"
    " trung tâm, dự kiến hoàn thành trước mùa mưa năm sau với tổng vốn khoảng ba trăm tỷ đồng.</p>"
)


def page(body: str, title: str = "Cải tạo phố cũ") -> str:
    head = f"<html><head><title>{title}</title></head>"
    return f"{head}<body><article><h1>{title}</h1>{body}</article></body></html>"


@pytest.mark.parametrize("html", ["", "   \n\t ", b"", "Không phải HTML, chỉ là một dòng chữ."])
def test_not_a_page(html: str | bytes) -> None:
    with pytest.raises(ExtractError) as raised:
        extract_article(html, URL)
    assert raised.value.kind == "extract"
    assert isinstance(raised.value, IngestError)


def test_page_with_no_article() -> None:
    links = "<nav><a href='/'>Trang chủ</a> <a href='/a'>Tin</a></nav><footer>©</footer>"
    html = f"<html><body>{links}</body></html>"
    with pytest.raises(ExtractError):
        extract_article(html, URL)


def test_truncated_html_still_reads() -> None:
    html = page(PARAGRAPH * 3)
    cut = html[: html.rindex("</p>") - 20]  # mid-paragraph, no closing tags
    article = extract_article(cut, URL)
    assert article.title == "Cải tạo phố cũ"
    assert article.blocks and article.blocks[0].text.startswith("Ủy ban nhân dân")


def test_huge_page_finishes_quickly() -> None:
    filler = "<div class='item'><a href='/x'>liên kết</a><span>chữ</span></div>" * 80_000
    html = page(PARAGRAPH * 3 + filler)
    assert len(html) > 5_000_000
    started = time.perf_counter()
    with contextlib.suppress(ExtractError):  # refusing is fine; hanging or crashing is not
        extract_article(html, URL)
    assert time.perf_counter() - started < 15


def test_deep_nesting_does_not_crash() -> None:
    html = "<html><body>" + "<div>" * 10_000 + PARAGRAPH + "</div>" * 10_000 + "</body></html>"
    try:
        article = extract_article(html, URL)
    except ExtractError:
        return
    assert "Ủy ban nhân dân" in article.body_text


def test_recursion_error_becomes_extract_error(monkeypatch: pytest.MonkeyPatch) -> None:
    import diemtin.extract.article as module

    def explode(*args: object, **kwargs: object) -> object:
        raise RecursionError("maximum recursion depth exceeded")

    monkeypatch.setattr(module, "scan_page", explode)
    with pytest.raises(ExtractError, match="nested too deeply"):
        extract_article(page(PARAGRAPH), URL)


def test_utf8_bytes_keep_their_letters() -> None:
    html = page(
        "<p>Bác sĩ Sjögren nói rằng 2+2 không bằng 5 trong phép tính của ông ấy,"
        " và đây là một câu đủ dài.</p>" * 2
    )
    html = html.replace("<head>", '<head><meta charset="utf-8">')
    article = extract_article(html.encode("utf-8"), URL)
    assert "Sjögren" in article.body_text and "2+2" in article.body_text
