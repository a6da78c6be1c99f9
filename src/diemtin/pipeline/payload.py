"""An extracted article as the queue keeps it between extraction and storage."""

from __future__ import annotations

import json
from dataclasses import replace

from diemtin.model import Article, Block, BlockKind, FeedEntry, Figure
from diemtin.store.codec import blocks_from_json, blocks_to_json, from_epoch, to_epoch


def article_to_json(article: Article) -> str:
    return json.dumps(
        {
            "url": article.url,
            "title": article.title,
            "sapo": article.sapo,
            "blocks": blocks_to_json(article.blocks),
            "author": article.author,
            "published": to_epoch(article.published_at),
            "updated": to_epoch(article.updated_at),
            "canonical": article.canonical_url,
            "tags": article.tags,
            "language": article.language,
            "category": article.category,
            "source": article.source,
            "guid": article.guid,
        },
        ensure_ascii=False,
    )


def article_from_json(data: str) -> Article:
    raw = json.loads(data)
    return Article(
        url=raw["url"],
        title=raw["title"],
        sapo=raw["sapo"],
        blocks=blocks_from_json(raw["blocks"]),
        author=raw["author"],
        published_at=from_epoch(raw["published"]),
        updated_at=from_epoch(raw["updated"]),
        canonical_url=raw["canonical"],
        tags=list(raw["tags"]),
        language=raw["language"],
        category=raw["category"],
        source=raw["source"],
        guid=raw["guid"],
    )


def merge_entry(article: Article, entry: FeedEntry) -> Article:
    """Fill what the page did not say from what the feed said about it.

    The feed's GUID is the article's identity; its time stands in for a page
    without one; its image becomes the lead figure of a body that has none.
    """
    blocks = article.blocks
    if entry.image and not article.figures:
        blocks = [Block(BlockKind.FIGURE, figure=Figure(src=entry.image)), *blocks]
    return replace(
        article,
        guid=entry.guid or article.guid,
        title=article.title or entry.title,
        sapo=article.sapo or entry.summary,
        author=article.author or entry.author,
        published_at=article.published_at or entry.published_at,
        updated_at=article.updated_at or entry.updated_at,
        tags=article.tags or list(entry.tags),
        blocks=blocks,
    )
