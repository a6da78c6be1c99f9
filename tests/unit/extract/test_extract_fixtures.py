"""Hand-made pages (tests/fixtures/pages) against what a correct extraction returns."""

from __future__ import annotations

import json
from datetime import datetime
from pathlib import Path
from typing import Any

import pytest

from diemtin.extract import ExtractError, extract_article
from diemtin.model import Article, Block, BlockKind

PAGES = Path(__file__).resolve().parents[2] / "fixtures" / "pages"
NAMES = sorted(p.name.removesuffix(".expected.json") for p in PAGES.glob("*.expected.json"))


def load(name: str) -> tuple[str, dict[str, Any]]:
    html = (PAGES / f"{name}.html").read_text(encoding="utf-8")
    expected = json.loads((PAGES / f"{name}.expected.json").read_text(encoding="utf-8"))
    return html, expected


def as_expected(block: Block) -> dict[str, Any]:
    if block.kind is BlockKind.LIST:
        return {"kind": "list", "items": list(block.items)}
    if block.kind is BlockKind.FIGURE:
        figure = block.figure
        assert figure is not None
        return {
            "kind": "figure",
            "src": figure.src,
            "caption": figure.caption,
            "credit": figure.credit,
            "width": figure.width,
            "height": figure.height,
        }
    if block.kind is BlockKind.VIDEO:
        return {"kind": "video", "src": block.src, "text": block.text}
    found: dict[str, Any] = {"kind": block.kind.value, "text": block.text}
    if block.kind is BlockKind.HEADING:
        found["level"] = block.level
    return found


def iso(value: datetime | None) -> str | None:
    return value.isoformat() if value is not None else None


def test_every_fixture_has_its_meta_file() -> None:
    assert NAMES, "no fixture pages found"
    for name in NAMES:
        meta = json.loads((PAGES / f"{name}.meta.json").read_text(encoding="utf-8"))
        assert {"origin", "url", "date"} <= meta.keys(), name


@pytest.mark.parametrize("name", NAMES)
def test_fixture(name: str) -> None:
    html, expected = load(name)
    if expected.get("error"):
        with pytest.raises(ExtractError) as raised:
            extract_article(html, expected["url"])
        assert raised.value.kind == expected["error"]
        return
    article = extract_article(html, expected["url"])
    assert article.title == expected["title"]
    assert article.sapo == expected["sapo"]
    assert article.author == expected["author"]
    assert iso(article.published_at) == expected["published_at"]
    assert iso(article.updated_at) == expected["updated_at"]
    assert article.canonical_url == expected["canonical_url"]
    assert article.tags == expected["tags"]
    assert [as_expected(b) for b in article.blocks] == expected["blocks"]
    check_html(article, expected)


def check_html(article: Article, expected: dict[str, Any]) -> None:
    html = "\n".join(b.html for b in article.blocks)
    for needle in expected.get("html_contains", []):
        assert needle in html
    lowered = html.lower()
    for needle in expected.get("html_absent", []):
        assert needle.lower() not in lowered, needle


@pytest.mark.parametrize("name", [n for n in NAMES if n != "no-article"])
def test_bytes_input_gives_the_same_article(name: str) -> None:
    html, expected = load(name)
    from_text = extract_article(html, expected["url"])
    from_bytes = extract_article(html.encode("utf-8"), expected["url"])
    assert from_bytes == from_text


def test_sapo_is_not_repeated_as_first_paragraph() -> None:
    for name in NAMES:
        html, expected = load(name)
        if expected.get("error") or not expected["sapo"]:
            continue
        article = extract_article(html, expected["url"])
        first = next(b for b in article.blocks if b.kind is BlockKind.PARAGRAPH)
        assert first.text != article.sapo


def test_byline_is_author_not_paragraph() -> None:
    html, expected = load("media-rich")
    article = extract_article(html, expected["url"])
    assert article.author == "Khánh Linh"
    assert all("Khánh Linh" not in b.text for b in article.blocks)


def test_figures_are_listed_in_order() -> None:
    html, expected = load("media-rich")
    article = extract_article(html, expected["url"])
    assert [f.credit for f in article.figures] == [
        "Reuters",
        "Ảnh: Kyodo/TTXVN",
        "Ảnh minh hoạ: TASS",
        "",
    ]
    assert "Bến đỗ taxi bay trên nóc một tòa nhà." in article.body_text
    assert "Kyodo/TTXVN" not in article.body_text  # credits are kept apart from the text
