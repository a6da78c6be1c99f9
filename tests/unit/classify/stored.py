"""Stores with labelled articles for the training tests, filled with plain SQL."""

from __future__ import annotations

import itertools

from sqlalchemy import Connection, text

from diemtin.model import Category
from diemtin.store.db import Database, open_database
from diemtin.store.sources import sync_categories
from tests.unit.classify.corpus import TOPICS, texts

NOW = 1_700_000_000
_keys = itertools.count()


def make_store(url: str) -> Database:
    db = open_database(url)
    with db.write() as conn:
        cats = [Category(slug, slug) for slug in [*TOPICS, "xe", "cu"]]
        sync_categories(conn, cats, NOW)
    return db


def insert(
    conn: Connection,
    body: str,
    slug: str | None,
    source: str | None,
    *,
    language: str = "vi",
    status: str = "visible",
) -> None:
    conn.execute(
        text(
            "INSERT INTO articles (key, url, title, sapo, body_text, language, category_id,"
            " category_source, content_hash, status, fetched_at, stored_at)"
            " VALUES (:k, :u, :t, '', :b, :l,"
            " (SELECT id FROM categories WHERE slug = :s), :src, :h, :st, :n, :n)"
        ),
        {
            "k": f"k{next(_keys)}",
            "u": "https://example.vn/a",
            "t": body[:30],
            "b": body,
            "l": language,
            "s": slug,
            "src": source,
            "h": "h",
            "st": status,
            "n": NOW,
        },
    )


def fill(db: Database, per_topic: int = 12) -> None:
    bodies, labels = texts(per_topic, seed=5)
    with db.write() as conn:
        for body, slug in zip(bodies, labels, strict=True):
            insert(conn, body, slug, "feed")
