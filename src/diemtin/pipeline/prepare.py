"""Pure preparation of an article for the store: clean Vietnamese text, identity, category.

Crawl and import both pass through here, so an article reads the same
whichever way it arrived.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass, replace

from diemtin.dedupe.keys import article_key, clean_url, content_hash
from diemtin.dedupe.stories import Signed
from diemtin.model import Article, Block, Category, Figure, Publisher
from diemtin.search import Words
from diemtin.sources import category_for_url
from diemtin.text import detect_legacy, fix_legacy, fold, normalize, tidy

_SLUG_JUNK = re.compile(r"[^a-z0-9]+")


def slugify(name: str) -> str:
    """ASCII slug of a Vietnamese name: "Sức khỏe" -> "suc-khoe"."""
    return _SLUG_JUNK.sub("-", fold(name)).strip("-")


def clean_text(value: str) -> str:
    """One form for every text field: legacy fonts converted, NFC, one tone placement."""
    if not value:
        return value
    if detect_legacy(value):
        value = fix_legacy(value)
    return tidy(normalize(value))


def _clean_block(block: Block) -> Block:
    figure = block.figure
    if figure is not None:
        figure = Figure(
            src=figure.src,
            caption=clean_text(figure.caption),
            credit=clean_text(figure.credit),
            width=figure.width,
            height=figure.height,
        )
    return replace(
        block,
        text=clean_text(block.text),
        # inline HTML is normalized but not tidied: tidy works on text, not markup
        html=normalize(block.html) if block.html else "",
        items=tuple(clean_text(i) for i in block.items),
        figure=figure,
    )


_WEB = re.compile(r"https?://", re.IGNORECASE)


def clean_article(article: Article) -> Article:
    blocks = [_clean_block(b) for b in article.blocks]
    return replace(
        article,
        # an archive's javascript:, data: or file: URL is no address of the original
        url=article.url if _WEB.match(article.url) else "",
        canonical_url=article.canonical_url if _WEB.match(article.canonical_url) else "",
        title=clean_text(article.title).strip(),
        sapo=clean_text(article.sapo).strip(),
        author=clean_text(article.author).strip(),
        tags=[clean_text(t) for t in article.tags if t.strip()],
        blocks=[b for b in blocks if b.text or b.items or b.figure or b.src],
    )


class CategoryIndex:
    """Matches a category given by slug or by name, however it is accented."""

    def __init__(self, categories: Iterable[Category]) -> None:
        self._by_key: dict[str, str] = {}
        for cat in categories:
            self._by_key[slugify(cat.slug)] = cat.slug
            self._by_key[slugify(cat.name)] = cat.slug

    def match(self, value: str | None) -> str | None:
        return self._by_key.get(slugify(value)) if value else None


@dataclass(frozen=True)
class Prepared:
    article: Article
    key: str
    canonical: str
    content_hash: str
    title_key: str
    category: str | None
    category_source: str | None
    category_confidence: float | None = None
    # Worked out ahead of the store step (by an import's worker processes); None: not yet.
    search: Words | None = None
    signed: Signed | None = None


def choose_category(
    article: Article,
    *,
    feed_category: str | None,
    sections: Iterable[tuple[str, str]],
    index: CategoryIndex,
) -> tuple[str | None, str | None]:
    """The source's section decides first: the feed's, then the URL's, then the article's own."""
    if feed_category:
        return feed_category, "feed"
    by_section = category_for_url(Publisher("", "", "", sections=tuple(sections)), article.url)
    if by_section:
        return by_section, "section"
    own = index.match(article.category)
    return (own, "import") if own else (None, None)


def prepare(
    article: Article,
    *,
    scope: str,
    index: CategoryIndex,
    feed_category: str | None = None,
    sections: Iterable[tuple[str, str]] = (),
) -> Prepared:
    clean = clean_article(article)
    digest = content_hash(clean.title, clean.body_text)
    category, decided_by = choose_category(
        clean, feed_category=feed_category, sections=sections, index=index
    )
    base = clean.canonical_url or clean.url
    return Prepared(
        article=clean,
        key=article_key(
            guid=clean.guid,
            canonical_url=clean.canonical_url,
            url=clean.url,
            content=digest,
            scope=scope,
        ),
        canonical=clean_url(base) if base.startswith(("http://", "https://")) else "",
        content_hash=digest,
        title_key=fold(clean.title),
        category=category,
        category_source=decided_by,
    )
