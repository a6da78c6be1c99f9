"""The text defects of the reference site, which extraction must not make."""

from __future__ import annotations

from lxml import etree

from diemtin.extract import extract_article
from diemtin.extract.blocks import to_blocks
from diemtin.extract.figures import MediaTable
from diemtin.extract.spacing import Spacing

FILLER = (
    "<p>Một đoạn văn bình thường khá dài để trang có đủ nội dung chính cho trình trích xuất"
    " đọc.</p>"
)


def extract_text(paragraph: str) -> str:
    article = f"<article><h1>Tiêu đề</h1>{FILLER}<p>{paragraph}</p>{FILLER}</article>"
    html = f"<html><body>{article}</body></html>"
    return extract_article(html, "https://x.example/a").body_text


def test_no_glued_words_around_links() -> None:
    text = extract_text(
        'Bộ Y tế khuyến cáo tiêm <a href="/vaccine">vaccine</a> và <b>đeo khẩu trang</b>, '
        "nhất là với người cao tuổi sống ở vùng dịch."
    )
    assert "tiêm vaccine và đeo khẩu trang," in text
    assert "vaccinevà" not in text


def test_no_space_before_punctuation_and_no_lost_characters() -> None:
    text = extract_text(
        'Phim <a href="/anora"><em>Anora</em></a>. Phép tính 2+2 của bác sĩ Sjögren, '
        "nhà nghiên cứu người Thụy Điển, đã được kiểm tra lại nhiều lần."
    )
    assert "Anora." in text and "Anora ." not in text
    assert "2+2" in text and "Sjögren" in text


def body(xml: str, source: str) -> list[str]:
    tree = etree.fromstring(f"<body>{xml}</body>")
    return [b.text for b in to_blocks(tree, MediaTable("https://x.example/"), source)]


def test_trimmed_tail_gets_its_space_back() -> None:
    # trafilatura's wild-text path trims a link's tail: the page's own text decides
    source = "negotiations hit another snag last week."
    assert body(
        '<p><ref target="https://x.example/s">hit another snag</ref>last week.</p>', source
    ) == ["hit another snag last week."]
    assert Spacing("H2O and xyz").adjust("H", "2O") == "2O"  # the page glues them: kept


def test_padded_punctuation_loses_its_space() -> None:
    source = "Phim Anora. Hết."
    assert Spacing(source).adjust("Phim Anora", " . Hết.") == ". Hết."
    assert Spacing("một , hai").adjust("một", " , hai") == " , hai"  # the page wrote it so


def test_loose_runs_are_mended_into_their_paragraph() -> None:
    xml = (
        "<div><p>sources cited by the publication </p><hi rend='#i'>DigiTimes</hi>"
        "<p>. A preview was shared with subscribers.</p><p>Next paragraph starts here.</p></div>"
    )
    source = "sources cited by the publication DigiTimes. A preview was shared"
    assert body(xml, source) == [
        "sources cited by the publication DigiTimes. A preview was shared with subscribers.",
        "Next paragraph starts here.",
    ]
