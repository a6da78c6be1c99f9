"""The news-specific last pass over the blocks."""

from __future__ import annotations

from diemtin.extract.cleanup import Cleaned, clean_blocks
from diemtin.model import Block, BlockKind, Figure

URL = "https://baomau.example/a.html"
LONG = (
    "Đoạn văn của bài báo, đủ dài để là nội dung chính và không bị nhầm với tiêu đề hay chú thích."
)


def p(text: str, html: str | None = None) -> Block:
    return Block(kind=BlockKind.PARAGRAPH, text=text, html=html if html is not None else text)


def clean(
    blocks: list[Block], *, sapo: str = "", from_page: bool = True, author: str = ""
) -> Cleaned:
    return clean_blocks(
        blocks, url=URL, title="Tiêu đề bài", sapo=sapo, sapo_from_page=from_page, author=author
    )


def test_title_and_sapo_are_not_repeated() -> None:
    blocks = [
        Block(kind=BlockKind.HEADING, text="Tiêu đề bài", level=1),
        p("Sapo của bài."),
        p(LONG),
    ]
    result = clean(blocks, sapo="Sapo  của bài.")
    assert [b.text for b in result.blocks] == [LONG]
    assert result.lead_in_page


def test_description_cut_short_yields_to_the_first_paragraph() -> None:
    result = clean([p(LONG), p("Đoạn hai.")], sapo=LONG[:60] + "...", from_page=False)
    assert result.sapo == LONG
    assert [b.text for b in result.blocks] == ["Đoạn hai."]
    assert result.lead_in_page


def test_description_elsewhere_stays_sapo_but_is_not_shown_in_page() -> None:
    result = clean([p(LONG)], sapo="Một mô tả khác hẳn.", from_page=False)
    assert result.sapo == "Một mô tả khác hẳn." and not result.lead_in_page
    assert [b.text for b in result.blocks] == [LONG]


def test_pointers_to_elsewhere_are_dropped_but_cited_sources_kept() -> None:
    internal = p(
        "Xem thêm bài khác", '<a href="https://www.baomau.example/khac.html">Xem thêm bài khác</a>'
    )
    external = p("Báo cáo đầy đủ", '<a href="https://who.example/report.pdf">Báo cáo đầy đủ</a>')
    bare = p("https://baomau.example/chia-se/123")
    result = clean([p(LONG), internal, external, bare])
    assert [b.text for b in result.blocks] == [LONG, "Báo cáo đầy đủ"]


def test_caption_paragraph_joins_the_bare_image_before_it() -> None:
    image = Block(kind=BlockKind.FIGURE, figure=Figure(src="https://cdn.example/a.jpg"))
    credited = p("Cầu Long Biên lúc bình minh. Ảnh: Giang Huy")
    italic = p("Bản đồ tuyến đường", "<em>Bản đồ tuyến đường</em>")
    result = clean([p(LONG), image, credited, image, italic, p(LONG)])
    figures = [b.figure for b in result.blocks if b.figure is not None]
    assert [(f.caption, f.credit) for f in figures] == [
        ("Cầu Long Biên lúc bình minh.", "Ảnh: Giang Huy"),
        ("Bản đồ tuyến đường", ""),
    ]
    assert [b.kind for b in result.blocks].count(BlockKind.PARAGRAPH) == 2


def test_closing_bold_name_becomes_the_author() -> None:
    result = clean([p(LONG), p("Lê Phương", "<strong>Lê Phương</strong>")])
    assert result.author == "Lê Phương"
    assert [b.text for b in result.blocks] == [LONG]
    kept = clean([p(LONG), p("Kết luận: 3 điểm", "<strong>Kết luận: 3 điểm</strong>")])
    assert kept.author == "" and len(kept.blocks) == 2


def test_known_author_repeated_at_the_end_is_dropped() -> None:
    result = clean([p(LONG), p("Anh Minh")], author="Anh Minh")
    assert [b.text for b in result.blocks] == [LONG]
