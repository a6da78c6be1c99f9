"""Per-publisher ExtractionRules: body, drop, title, sapo and author selectors."""

from __future__ import annotations

import pytest

from diemtin.extract import ExtractError, extract_article
from diemtin.model import ExtractionRules

URL = "https://baomau.example/kinh-te/bai-viet.html"
TEXT = (
    "Giá xăng trong nước được điều chỉnh giảm từ chiều nay sau ba kỳ tăng liên tiếp, mức giảm"
    " cao nhất là bốn trăm đồng mỗi lít đối với xăng RON 95."
)
PAGE = f"""<html><head><title>Giá xăng giảm | Báo Mẫu</title>
<meta name="description" content="Mô tả chung của trang, không phải sapo."></head><body>
<div class="top"><h1 class="headline">Giá xăng giảm sau ba kỳ tăng</h1>
<div class="lead-box">Xăng giảm tới 400 đồng mỗi lít từ 15h chiều nay.</div>
<span class="writer">Hoàng Minh</span></div>
<div class="post">
  <div class="story">
    <p>{TEXT}</p>
    <div class="ad-inline"><p>Quảng cáo: mua ngay bảo hiểm xe máy giá rẻ chỉ với vài bước
    đơn giản trên ứng dụng.</p></div>
    <p>Liên Bộ Công Thương - Tài chính cho biết giá dầu thế giới giảm mạnh trong hai tuần qua
    do nhu cầu yếu.</p>
    <p>Các doanh nghiệp đầu mối được yêu cầu bảo đảm nguồn cung, không để đứt hàng ở bất kỳ
    cửa hàng nào.</p>
  </div>
  <div class="more-news"><p>Đọc thêm: những tin khác về năng lượng và thị trường trong tuần,
  cập nhật liên tục mỗi ngày.</p></div>
</div></body></html>"""


def test_generic_path_without_rules() -> None:
    article = extract_article(PAGE, URL)
    assert article.title == "Giá xăng giảm sau ba kỳ tăng"
    assert any(b.text == TEXT for b in article.blocks)


def test_rules_choose_title_sapo_author_body_and_drop() -> None:
    rules = ExtractionRules(
        title="h1.headline",
        sapo=".lead-box",
        author=".writer",
        body="div.story",
        drop=(".ad-inline",),
    )
    article = extract_article(PAGE, URL, rules=rules)
    assert article.title == "Giá xăng giảm sau ba kỳ tăng"
    assert article.sapo == "Xăng giảm tới 400 đồng mỗi lít từ 15h chiều nay."
    assert article.author == "Hoàng Minh"
    texts = [b.text for b in article.blocks]
    assert texts[0] == TEXT
    assert len(texts) == 3
    assert not any("Quảng cáo" in t or "Đọc thêm" in t for t in texts)


def test_body_rule_that_matches_nothing_falls_back_to_the_generic_path() -> None:
    article = extract_article(PAGE, URL, rules=ExtractionRules(body="div.gone-in-redesign"))
    assert any(b.text == TEXT for b in article.blocks)


def test_bad_selector_is_an_extract_error_naming_it() -> None:
    with pytest.raises(ExtractError, match="div\\[unclosed"):
        extract_article(PAGE, URL, rules=ExtractionRules(drop=("div[unclosed",)))
