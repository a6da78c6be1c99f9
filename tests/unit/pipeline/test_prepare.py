"""The pure preparation step: clean text, identity and who decides the category."""

from __future__ import annotations

from diemtin.model import Article, Block, BlockKind, Category, FeedEntry, Figure
from diemtin.pipeline.payload import article_from_json, article_to_json, merge_entry
from diemtin.pipeline.prepare import CategoryIndex, prepare, slugify

INDEX = CategoryIndex([Category("the-gioi", "Thế giới"), Category("suc-khoe", "Sức khỏe")])


def _article(**kw: object) -> Article:
    base: dict[str, object] = {
        "url": "https://vnexpress.net/the-gioi/bai-1.html",
        "title": "Hoà bình  cho thế giới",
        "sapo": "Lời dẫn , có lỗi khoảng trắng .",
        "blocks": [
            Block(BlockKind.PARAGRAPH, text="Đoạn một ."),
            Block(BlockKind.FIGURE, figure=Figure("https://i/a.jpg", "Ảnh ", "Ảnh: TTXVN")),
        ],
    }
    base.update(kw)
    return Article(**base)  # type: ignore[arg-type]


def test_text_is_normalized_and_tidied() -> None:
    p = prepare(_article(), scope="vne", index=INDEX)
    assert p.article.title == "Hòa bình cho thế giới"
    assert p.article.sapo == "Lời dẫn, có lỗi khoảng trắng."
    assert p.article.blocks[0].text == "Đoạn một."
    assert p.title_key == "hoa binh cho the gioi"


def test_legacy_font_text_is_converted() -> None:
    vni = "Vieät Nam chieán thaéng"  # "Việt Nam chiến thắng" typed in a VNI font
    p = prepare(_article(title=vni), scope="vne", index=INDEX)
    assert p.article.title == "Việt Nam chiến thắng"


def test_category_feed_first_then_section_then_the_articles_own() -> None:
    sections = (("/the-gioi/", "the-gioi"),)
    by_feed = prepare(
        _article(category="Sức khoẻ"),
        scope="v",
        index=INDEX,
        feed_category="suc-khoe",
        sections=sections,
    )
    assert (by_feed.category, by_feed.category_source) == ("suc-khoe", "feed")
    by_section = prepare(_article(category="Sức khoẻ"), scope="v", index=INDEX, sections=sections)
    assert (by_section.category, by_section.category_source) == ("the-gioi", "section")
    own = prepare(_article(url="https://x.vn/a", category="SỨC KHOẺ"), scope="v", index=INDEX)
    assert (own.category, own.category_source) == ("suc-khoe", "import")
    unknown = prepare(_article(url="https://x.vn/a", category="Chính trị"), scope="v", index=INDEX)
    assert (unknown.category, unknown.category_source) == (None, None)


def test_slugify_folds_vietnamese() -> None:
    assert slugify("Sức khỏe") == "suc-khoe" and slugify("Đời sống & Xe") == "doi-song-xe"


def test_feed_entry_fills_what_the_page_lacks_and_payload_round_trips() -> None:
    entry = FeedEntry(
        url="https://a.vn/x",
        guid="g1",
        title="T",
        summary="S",
        image="https://a.vn/i.jpg",
        tags=("tag",),
    )
    merged = merge_entry(Article(url="https://a.vn/x", title=""), entry)
    assert (merged.guid, merged.title, merged.sapo, merged.tags) == ("g1", "T", "S", ["tag"])
    assert merged.figures[0].src == "https://a.vn/i.jpg"
    assert article_from_json(article_to_json(merged)) == merged
