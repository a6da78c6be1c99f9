"""The reader's pages in process: every page, the article anatomy in order, bad input."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from lxml import html
from starlette.testclient import TestClient

from diemtin.model import Block, BlockKind, Figure
from diemtin.web.app import create_app
from diemtin.web.article import slot_after
from tests.unit.web.portal import NOW, Portal, build

TIME = re.compile(r"^\d{2}:\d{2}:\d{2} \d{2}/\d{2}/\d{4}$")
SIDEBARS = ["Tiêu điểm", "Tin đang nóng", "Tin mới nhất", "Có thể bạn quan tâm"]


@pytest.fixture(scope="module")
def portal(tmp_path_factory: pytest.TempPathFactory) -> Portal:
    return build(tmp_path_factory.mktemp("portal"))


@pytest.fixture
def client(portal: Portal) -> TestClient:
    return TestClient(create_app(portal.db, portal.settings, clock=lambda: NOW))


def page(client: TestClient, path: str, status: int = 200) -> html.HtmlElement:
    response = client.get(path)
    assert response.status_code == status, response.text[:500]
    assert "set-cookie" not in response.headers
    return html.fromstring(response.text)


def words(node: html.HtmlElement) -> str:
    return " ".join(node.text_content().split())


def test_article_page_shows_every_block_in_the_spec_order(
    client: TestClient, portal: Portal
) -> None:
    doc = page(client, f"/a/{portal.ids[0]}")
    headings = [(h.tag, words(h)) for h in doc.iter("h1", "h2", "h3", "h4")]
    assert headings[0] == ("h1", "Tin số 0: Hà Nội và học sinh")
    names = [text for _, text in headings]
    expected = [
        "Video đang HOT",
        "Tiêu đề phụ",
        "Đọc tiếp",
        "Bạn thấy bài viết này có hữu ích không?",
        "Tin liên quan",
        *SIDEBARS,
    ]
    assert [n for n in names if n in expected] == expected
    assert [t for t, _ in headings if t != "h4"][:3] == ["h1", "h2", "h2"]  # no level skipped
    text = words(doc.body)
    order = ["Theo dõi Điểm tin trên", "Tóm tắt bài 0", "Đoạn một", "Theo Báo Khác", "Đọc tiếp"]
    positions = [text.index(part) for part in order]
    assert positions == sorted(positions)
    follow = doc.cssselect(".follow a")
    assert [a.text for a in follow] == ["Facebook", "RSS"]
    source = doc.cssselect(".article .source a")[0]
    assert source.get("href") == "https://example.vn/tin-tuc/bai-0.html"


def test_sidebars_hold_their_counts_and_each_title_once(client: TestClient, portal: Portal) -> None:
    doc = page(client, f"/a/{portal.ids[0]}")
    counts = {words(b.cssselect("h2")[0]): len(b.cssselect("li")) for b in doc.cssselect(".box")}
    assert counts == {
        "Tin liên quan": 2,
        "Tiêu điểm": 8,
        "Tin đang nóng": 8,
        "Tin mới nhất": 12,
        "Có thể bạn quan tâm": 10,
    }
    for item in doc.cssselect(".box li"):
        title = item.cssselect("a.title")[0].text
        assert words(item).count(title) == 1
        assert TIME.match(item.cssselect("time")[0].text)
        assert not item.cssselect("img[alt]:not([alt=''])")
    latest = doc.cssselect(".box-moi-nhat li")
    assert all(li.cssselect(".summary") for li in latest)
    for_you = doc.cssselect(".box-quan-tam li")
    assert all(li.cssselect(".label") and li.cssselect(".summary") for li in for_you)
    assert {li.cssselect(".label")[0].text for li in for_you} <= {"Thể thao", "Sức khỏe"}


def test_figures_keep_caption_credit_and_numbered_alt(client: TestClient, portal: Portal) -> None:
    doc = page(client, f"/a/{portal.ids[0]}")
    body = doc.cssselect(".article .body")[0]
    figures = body.cssselect("figure")
    alts = [f.cssselect("img")[0].get("alt") for f in figures]
    assert alts == [
        "Tin số 0: Hà Nội và học sinh - Hình 1",
        "Tin số 0: Hà Nội và học sinh - Hình 2",
    ]
    first = figures[0]
    img = first.cssselect("img")[0]
    assert (img.get("width"), img.get("height"), img.get("loading")) == ("800", "450", "lazy")
    assert first.cssselect(".caption")[0].text == "Người dân xếp hàng"
    assert first.cssselect(".credit")[0].text == "Ảnh: TTXVN"
    assert words(figures[1].cssselect("figcaption")[0]) == "Ảnh minh hoạ: TASS"
    # the slot sits between blocks, never inside a figure, right after the 2nd paragraph
    slot = body.cssselect(".video-hot")[0]
    assert slot.getparent() is body
    before = [el.tag for el in slot.itersiblings(preceding=True)]
    assert before == ["p", "p"]


def test_body_html_is_the_sanitized_field_and_text_is_escaped(
    client: TestClient, portal: Portal
) -> None:
    raw = client.get(f"/a/{portal.ids[0]}").text
    assert 'có <a href="https://example.vn/x">liên kết</a> tới' in raw
    assert "2&lt;3 và &lt;b&gt;không in đậm&lt;/b&gt;, vaccine và Sjögren." in raw
    assert " ." not in words(html.fromstring(raw).cssselect(".article")[0])
    assert "<script>" not in raw and " style=" not in raw
    assert "script-src 'self'" in client.get("/").headers["content-security-policy"]


def test_next_article_is_rendered_in_full(client: TestClient, portal: Portal) -> None:
    doc = page(client, f"/a/{portal.ids[0]}")
    nxt = doc.cssselect(".next")[0]
    assert words(nxt.cssselect("h3")[0]) == "Tin số 3: giao thông và xuất khẩu"
    assert "Tóm tắt bài 3" in words(nxt.cssselect(".sapo")[0])
    assert "Câu 11 về" in words(nxt.cssselect(".body")[0])


@pytest.mark.parametrize(
    ("path", "status"),
    [
        ("/a/99999", 404),
        ("/a/abc", 404),
        ("/a/" + "9" * 40, 404),
        ("/c/khong-co", 404),
        ("/nguon/khong-co", 404),
        ("/tu-khoa/kh%C3%B4ng", 404),
        ("/s/9999", 404),
        ("/s/x", 404),
        ("/c/the-gioi?page=abc", 400),
        ("/c/the-gioi?page=0", 400),
        ("/c/the-gioi?page=99999999999999999999", 400),
        ("/c/the-gioi?page=9", 404),
        ("/?q=" + "x" * 5000, 400),
        ("/a/" + "1" * 3000, 400),
        ("/a/%D9%A3", 404),  # an Arabic-Indic digit is not an id
        ("/c/the-gioi?page=%D9%A3", 400),
        ("/c/the-gioi?page=%ff", 400),
        ("/tu-khoa/H%C3%A0%00", 404),
        ("/c/" + "a" * 300, 404),
    ],
)
def test_bad_addresses(client: TestClient, path: str, status: int) -> None:
    doc = page(client, path, status)
    if status in (404, 410):
        assert doc.cssselect("a[href='/']") and doc.cssselect("form[action='/tim-kiem']")
        assert doc.cssselect("main .cards li")  # the latest articles to read on


def test_hidden_is_404_and_removed_is_410(client: TestClient, portal: Portal) -> None:
    page(client, f"/a/{portal.ids[38]}", 404)
    doc = page(client, f"/a/{portal.ids[39]}", 410)
    assert words(doc.cssselect("h1")[0]) == "Bài viết đã bị gỡ"


def test_home_has_hot_stories_then_each_category(client: TestClient) -> None:
    doc = page(client, "/")
    sections = [words(h) for h in doc.cssselect("main h2")]
    assert sections[0] == "Tin nổi bật"
    assert set(sections[1:]) == {"Thế giới", "Thể thao", "Sức khỏe"}
    hot = doc.cssselect(".hot li")[0]
    assert "Báo Mẫu đưa tin đầu tiên" in words(hot) and hot.cssselect("a[href='/s/1']")
    assert len(doc.cssselect(".section")[0].cssselect("li")) == 6


def test_category_pages_page_through_without_overlap(portal: Portal) -> None:
    client = TestClient(create_app(portal.db, portal.settings, clock=lambda: NOW))
    first = page(client, "/c/the-gioi")
    assert words(first.cssselect("h1")[0]) == "Thế giới"
    titles = [a.text for a in first.cssselect(".cards .title")]
    assert len(titles) == 13  # 14 in the category, one of them removed
    assert not first.cssselect(".pager")


def test_source_tag_and_story_pages(client: TestClient, portal: Portal) -> None:
    src = page(client, "/nguon/bao-khac")
    assert words(src.cssselect("h1")[0]) == "Tin từ Báo Khác"
    assert len(src.cssselect(".cards li")) == 8
    tag = page(client, "/tu-khoa/H%C3%A0%20N%E1%BB%99i")
    assert len(tag.cssselect(".cards li")) == 2
    story = page(client, "/s/1")
    titles = [a.text for a in story.cssselect(".cards .title")]
    assert titles[0].startswith("Tin số 6") and titles[-1].startswith("Tin số 0")  # oldest first
    assert "Báo Mẫu đưa tin đầu tiên" in words(story.cssselect(".first")[0])


def test_pagination_links(tmp_path: Path) -> None:
    portal = build(tmp_path, page_size=5)
    client = TestClient(create_app(portal.db, portal.settings, clock=lambda: NOW))
    one = page(client, "/c/the-gioi")
    two = page(client, "/c/the-gioi?page=2")
    assert one.cssselect("a[rel=next]")[0].get("href") == "/c/the-gioi?page=2"
    assert two.cssselect("a[rel=prev]")[0].get("href") == "/c/the-gioi"
    ids = {a.get("href") for a in one.cssselect(".cards .title")}
    assert len(ids) == 5 and not ids & {a.get("href") for a in two.cssselect(".cards .title")}


def _p(n: int) -> list[Block]:
    return [Block(BlockKind.PARAGRAPH, text=f"p{i}") for i in range(n)]


def test_the_video_slot_goes_after_first_media_or_second_paragraph() -> None:
    fig = Block(BlockKind.FIGURE, figure=Figure("https://x/a.jpg", "chú thích"))
    assert slot_after([*_p(1), fig, *_p(3)]) == 2
    assert slot_after([*_p(4), fig]) == 2
    assert slot_after([fig, *_p(2)]) == 1
    assert slot_after(_p(1)) == 1
    assert slot_after([]) == 0


def test_merged_category_redirects_and_removed_story_is_410(tmp_path: Path) -> None:
    portal = build(tmp_path)
    portal.sql(
        "UPDATE categories SET merged_into = (SELECT id FROM categories WHERE slug = 'the-thao')"
        " WHERE slug = 'suc-khoe'"
    )
    client = TestClient(create_app(portal.db, portal.settings, clock=lambda: NOW))
    moved = client.get("/c/suc-khoe?page=2", follow_redirects=False)
    assert moved.status_code == 301 and moved.headers["location"] == "/c/the-thao"
    portal.sql("UPDATE articles SET status = 'removed' WHERE story_id = 1")
    page(client, "/s/1", 410)


def test_every_page_on_both_databases(database_url: str, tmp_path: Path) -> None:
    portal = build(tmp_path, database_url)
    client = TestClient(create_app(portal.db, portal.settings, clock=lambda: NOW))
    article = page(client, f"/a/{portal.ids[0]}")
    assert len(article.cssselect(".box li")) == 2 + 8 + 8 + 12 + 10
    home = page(client, "/")
    assert home.cssselect(".hot li") and len(home.cssselect(".section")) == 3
    for path in ("/c/the-gioi", "/nguon/bao-mau", "/tu-khoa/H%C3%A0%20N%E1%BB%99i", "/s/1"):
        assert page(client, path).cssselect(".cards li"), path
    page(client, f"/a/{portal.ids[39]}", 410)


def test_a_slug_after_the_id_redirects_to_the_canonical_page(client: TestClient) -> None:
    moved = client.get("/a/1-tin-so-0-ha-noi", follow_redirects=False)
    assert moved.status_code == 301 and moved.headers["location"] == "/a/1"
    assert client.get("/a/x-tin", follow_redirects=False).status_code == 404
