"""Real VnExpress pages (../shared/data/vi-html) against their recorded extraction."""

from __future__ import annotations

import json
import unicodedata
from datetime import datetime
from pathlib import Path
from typing import Any

import pytest

from diemtin.extract import extract_article
from diemtin.model import Article, BlockKind, ExtractionRules
from diemtin.sources import load_publishers, publisher_for_url

FULL = "fundus_vnexpress_2025-10-22"  # title, authors, date, sapo, paragraphs, one image
DATE_ONLY = "htmldate_vnexpress_2023-11-02"


def norm(text: str) -> str:
    return " ".join(unicodedata.normalize("NFC", text).split())


@pytest.fixture(params=["generic", "registry rules"])
def rules(request: pytest.FixtureRequest) -> ExtractionRules | None:
    """The generic path alone, and with the rules the crawl applies to VnExpress."""
    if request.param == "generic":
        return None
    publisher = publisher_for_url(load_publishers(), "https://vnexpress.net/")
    assert publisher is not None
    return publisher.rules


def read(
    shared_data: Path, name: str, rules: ExtractionRules | None = None
) -> tuple[Article, dict[str, Any]]:
    folder = shared_data / "vi-html"
    if not (folder / f"{name}.html").is_file():
        pytest.skip(f"{name} absent from {folder}")
    expected = json.loads((folder / f"{name}.expected.json").read_text(encoding="utf-8"))
    meta_path = folder / f"{name}.meta.json"
    url = expected.get("url", "")
    if not url and meta_path.is_file():
        url = next(iter(json.loads(meta_path.read_text(encoding="utf-8")).values()))["url"]
    html = (folder / f"{name}.html").read_text(encoding="utf-8")
    return extract_article(html, url, rules=rules), expected


def reading_order(article: Article) -> list[tuple[str, str, str]]:
    """(kind, text, credit) of every text block and figure, in order."""
    seen: list[tuple[str, str, str]] = []
    for block in article.blocks:
        if block.kind is BlockKind.FIGURE and block.figure is not None:
            seen.append(("figure", norm(block.figure.caption), norm(block.figure.credit)))
        elif block.text:
            seen.append((block.kind.value, norm(block.text), ""))
    return seen


def matches(paragraph: str, seen: tuple[str, str, str]) -> bool:
    kind, text, credit = seen
    if kind != "figure":
        return text == paragraph
    # the page prints a caption with its credit as one line; we keep them apart
    return (
        bool(text)
        and paragraph.startswith(text)
        and bool(credit)
        and paragraph.endswith(credit.split(":", 1)[-1].strip())
    )


def test_full_page(shared_data: Path, rules: ExtractionRules | None) -> None:
    article, recorded = read(shared_data, FULL, rules)
    expected = recorded["V1"]
    assert norm(article.title) == norm(expected["title"])
    assert norm(article.sapo) == norm(" ".join(expected["body"]["summary"]))
    assert article.author == ", ".join(expected["authors"])
    assert article.published_at == datetime.fromisoformat(expected["publishing_date"])
    assert article.published_at is not None and article.published_at.utcoffset() is not None
    assert article.tags[: len(expected["topics"])] == expected["topics"]

    paragraphs = [norm(p) for s in expected["body"]["sections"] for p in s["paragraphs"]]
    seen = reading_order(article)
    position = 0
    for paragraph in paragraphs:  # every paragraph, in order
        while position < len(seen) and not matches(paragraph, seen[position]):
            position += 1
        assert position < len(seen), f"missing or out of order: {paragraph[:80]}"
        position += 1
    assert norm(article.sapo) not in [text for _, text, _ in seen]
    assert all(norm(article.author) != text for _, text, _ in seen)


def test_full_page_figure(shared_data: Path, rules: ExtractionRules | None) -> None:
    article, recorded = read(shared_data, FULL, rules)
    image = recorded["V1"]["images"][0]
    assert len(article.figures) == 1
    figure = article.figures[0]
    assert figure.src in {version["url"] for version in image["versions"]}
    assert norm(figure.caption) == norm(image["caption"])
    assert figure.credit.endswith(", ".join(image["authors"]))


def test_date_only_page(shared_data: Path, rules: ExtractionRules | None) -> None:
    article, expected = read(shared_data, DATE_ONLY, rules)
    assert article.published_at is not None
    assert article.published_at.date().isoformat() == expected["expected_date"]
    assert article.published_at.utcoffset() is not None
    assert article.title and article.sapo and len(article.blocks) > 5
