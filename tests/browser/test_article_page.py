"""The article page as a reader gets it in real Chromium (spec: shared/spec/article-page.md).

Its visible text (document.body.innerText, what a screen reader or a text
browser reads) must show the spec's blocks in order with their headings and
counts, and none of the reference site's text defects.
"""

from __future__ import annotations

import re
from collections.abc import Callable

import pytest
from playwright.sync_api import Page

from tests.browser import corpus
from tests.browser.conftest import find_article
from tests.support import browser as support
from tests.support.app_server import AppServer

pytestmark = pytest.mark.browser

POLL = "Bạn thấy bài viết này có hữu ích không?"
# Sidebar headings and the item counts of the spec (the settings' defaults).
SIDEBARS = (
    ("Tiêu điểm", 8),
    ("Tin đang nóng", 8),
    ("Tin mới nhất", 12),
    ("Có thể bạn quan tâm", 10),
)
SPACE_BEFORE_PUNCTUATION = re.compile(r"\S [.,;:!?](?=\s|$)", re.M)

OpenPage = Callable[..., tuple[Page, support.Watch]]


def line_index(lines: list[str], wanted: str, *, start: int = 0, exact: bool = True) -> int:
    """The first line from ``start`` that is ``wanted`` (or starts with it when not exact).

    innerText applies CSS text-transform, so a heading styled in capitals reads
    "TIN LIÊN QUAN": case is not compared.
    """
    wanted = wanted.casefold()
    for i in range(start, len(lines)):
        line = lines[i].strip().casefold()
        if (line == wanted) if exact else line.startswith(wanted):
            return i
    raise AssertionError(f"{wanted!r} not found after line {start} of the page's text")


def blocks_in_order(text: str) -> dict[str, int]:
    """Line index of every block of the spec, asserting they come in the spec's order."""
    lines = text.splitlines()
    found: dict[str, int] = {}
    steps: list[tuple[str, str, bool]] = [
        ("title", corpus.MAIN_TITLE, True),
        ("follow", "Theo dõi", False),
        ("sapo", "Phố đi bộ quanh hồ Hoàn Kiếm mở lại", False),
        ("body", "Sau ba tháng tu sửa", False),
        ("video", "Video đang HOT", True),
        ("source", f"Theo {corpus.PUBLISHER_NAME}", False),
        ("next", "Đọc tiếp", False),
        ("poll", POLL, True),
        ("related", "Tin liên quan", True),
        *((name, name, True) for name, _ in SIDEBARS),
    ]
    at = 0
    for key, wanted, exact in steps:
        at = line_index(lines, wanted, start=at, exact=exact)
        found[key] = at
    return found


def block_items(page: Page, heading: str) -> list[str]:
    """The visible text of each list item in the block under ``heading``."""
    items = page.evaluate(
        """(heading) => {
          const h = [...document.querySelectorAll('h2, h3')]
            .find(e => e.textContent.trim().toLowerCase() === heading.toLowerCase());
          const box = h && h.closest('section, aside');
          return box ? [...box.querySelectorAll('li')].map(li => li.innerText.trim()) : null;
        }""",
        heading,
    )
    assert items is not None, f"no block headed {heading!r}"
    return [str(i) for i in items]


def test_article_page_text_shows_every_block_in_order(
    article_site: AppServer, open_page: OpenPage
) -> None:
    page, seen = open_page(support.DESKTOP)
    response = page.goto(find_article(article_site, corpus.MAIN_TITLE), wait_until="load")
    assert response is not None and response.status == 200
    text = support.visible_text(page)
    (support.artifacts_dir() / "article.txt").write_text(text)
    at = blocks_in_order(text)
    lines = text.splitlines()

    # figures: caption and credit under each image, alt "<title> - Hình N"
    alts = page.eval_on_selector_all("article figure img", "els => els.map(e => e.alt)")
    assert alts[:2] == [f"{corpus.MAIN_TITLE} - Hình 1", f"{corpus.MAIN_TITLE} - Hình 2"]
    assert page.eval_on_selector_all(
        "figure", "els => els.every(f => !f.querySelector('img') || f.querySelector('figcaption'))"
    ), "a figure lost its caption"
    body = "\n".join(lines[at["body"] : at["source"]])
    for caption in ("Người dân dạo bộ quanh hồ Hoàn Kiếm tối thứ bảy.", "Ảnh: Ngọc Thành"):
        assert caption in body
    # the next related article, in full, after "Đọc tiếp"
    assert corpus.SEQUEL_TITLE in "\n".join(lines[at["next"] : at["poll"]])
    assert block_items(page, "Tin liên quan"), "Tin liên quan is empty"

    # sidebars: the spec's counts, each item read with its time
    for name, count in SIDEBARS:
        items = block_items(page, name)
        assert len(items) == count, f"{name}: {len(items)} items, expected {count}: {items}"
        untimed = [item for item in items if not support.TIME.search(item)]
        assert untimed == [], f"{name}: items without a time"
    # Tin mới nhất adds a summary; Có thể bạn quan tâm a category label and a summary
    for item in block_items(page, "Tin mới nhất"):
        assert len([ln for ln in item.splitlines() if ln.strip()]) >= 3, f"no summary: {item!r}"
    for item in block_items(page, "Có thể bạn quan tâm"):
        assert any(c in item for c in corpus.CATEGORY_NAMES), f"no category: {item!r}"
        assert len([ln for ln in item.splitlines() if ln.strip()]) >= 3, f"no summary: {item!r}"
    assert seen.console_errors == [] and seen.page_errors == []
    assert support.csp_violations(page) == []


def test_article_page_has_none_of_the_reference_sites_text_defects(
    article_site: AppServer, open_page: OpenPage
) -> None:
    page, _ = open_page(support.DESKTOP)
    page.goto(find_article(article_site, corpus.MAIN_TITLE), wait_until="load")
    text = support.visible_text(page)
    # a stripped link keeps its spaces ("vaccinevà") and its punctuation tight ("Anora .")
    assert "vaccine và" in text and "vaccinevà" not in text
    assert "Anora." in text
    assert SPACE_BEFORE_PUNCTUATION.findall(text) == []
    # characters survive ("2+2" became "2 2", "Sjögren" became "Sjgren")
    assert "2+2" in text and "Sjögren" in text
    # a list item reads its title once: image alt and link text are not both read out
    doubled = page.eval_on_selector_all(
        "li",
        """els => els.flatMap(li => {
            const a = li.querySelector('a');
            const title = a && a.innerText.trim();
            if (!title) return [];
            return li.innerText.split(title).length - 1 === 1 ? [] : [li.innerText];
        })""",
    )
    assert doubled == []
    numbers = re.findall(r"^Bản tin số (\d+):", text, re.M)
    assert numbers, "no list item of the corpus on the page"


def test_helpful_poll_works_by_click(article_site: AppServer, open_page: OpenPage) -> None:
    """The poll by click, on a phone; the page's view beacon goes out on the way."""
    page, seen = open_page(support.PHONE)
    with page.expect_response(lambda r: r.url.endswith("/view"), timeout=20_000) as beacon:
        page.goto(find_article(article_site, corpus.SEQUEL_TITLE), wait_until="load")
    assert beacon.value.request.method == "POST" and beacon.value.status == 204
    poll = page.locator("section", has_text=POLL).first
    yes = poll.get_by_role("button", name="Có", exact=True)
    yes.wait_for()
    page.wait_for_function(
        "() => [...document.querySelectorAll('button')].some(b => b.innerText.trim() === 'Có' "
        "&& !b.disabled)",
        timeout=10_000,
    )
    before = poll.inner_text()
    assert not re.search(r"\d+\s?%", before), "the share shows before any vote"
    yes.click()
    page.wait_for_function(
        "(q) => /\\d+\\s?%/.test(document.querySelector(q)?.innerText || '')",
        arg="[data-poll-result]",
        timeout=10_000,
    )
    after = poll.inner_text()
    assert re.search(r"100\s?%", after), f"one vote for Có should show 100%: {after!r}"
    assert seen.console_errors == [] and seen.page_errors == []
    assert support.csp_violations(page) == []


@pytest.mark.parametrize(
    ("name", "viewport"), [("phone", support.PHONE), ("desktop", support.DESKTOP)]
)
def test_article_page_screenshots(
    article_site: AppServer, open_page: OpenPage, name: str, viewport: dict[str, int]
) -> None:
    page, seen = open_page(viewport)
    page.goto(find_article(article_site, corpus.MAIN_TITLE), wait_until="load")
    # lazy images load when scrolled to; a full-page screenshot should show them all
    page.evaluate("() => document.querySelectorAll('img').forEach(i => { i.loading = 'eager'; })")
    page.wait_for_function("() => [...document.images].every(i => i.complete)", timeout=10_000)
    path = support.artifacts_dir() / f"article-{name}.png"
    page.screenshot(path=str(path), full_page=True)
    assert path.stat().st_size > 10_000
    width = page.evaluate("document.documentElement.scrollWidth")
    assert width <= viewport["width"], f"the page scrolls sideways at {viewport['width']} px"
    assert seen.console_errors == [] and seen.page_errors == []
    assert support.csp_violations(page) == []


def test_home_category_and_search_pages_load_clean(
    article_site: AppServer, open_page: OpenPage
) -> None:
    """The pages around the article: no console error, no CSP violation, no sideways scroll."""
    page, seen = open_page(support.PHONE)
    page.goto(article_site.url("/"), wait_until="load")
    category = page.get_by_role("link", name="Thế giới", exact=True).first.get_attribute("href")
    assert category, "the home page links no category"
    for path in ("/", category, "/tim-kiem?q=pho+di+bo"):
        response = page.goto(article_site.url(path), wait_until="load")
        assert response is not None and response.status == 200, path
        assert page.evaluate("document.documentElement.scrollWidth") <= support.PHONE["width"]
        assert support.csp_violations(page) == [], path
    assert "Thủ đô Hà Nội mở lại phố đi bộ" in support.visible_text(page)  # accentless query
    assert seen.console_errors == [] and seen.page_errors == []
