"""A small corpus written by the tests, stored through the real store on each engine."""

from __future__ import annotations

import itertools
import os
from datetime import UTC, datetime
from typing import Any

import pytest
from sqlalchemy import text

from diemtin.model import Article, Block, BlockKind
from diemtin.search import SearchPage, index_article, search, suggest
from diemtin.store import articles
from diemtin.store.articles import Placement
from diemtin.store.db import Database, open_database
from diemtin.store.sources import ensure_source
from diemtin.text import fold

NOW = 1_760_000_000  # 2025-10-09, the corpus's "now"
DAY = 86_400


class Corpus:
    def __init__(self, db: Database) -> None:
        self.db = db
        self.dialect = db.dialect.name
        self._n = itertools.count(1)

    def add(
        self,
        title: str,
        sapo: str = "",
        body: str = "",
        *,
        age_days: float | None = None,
        category: str | None = None,
        source: str | None = None,
        index: bool = True,
    ) -> int:
        """Store an article as the pipeline does, then index it (unless told not to)."""
        n = next(self._n)
        published = None if age_days is None else NOW - int(age_days * DAY)
        article = Article(
            url=f"https://example.vn/bai-{n}.html",
            title=title,
            sapo=sapo,
            blocks=[Block(BlockKind.PARAGRAPH, text=body, html=body)] if body else [],
            published_at=datetime.fromtimestamp(published, UTC) if published else None,
        )
        with self.db.write() as conn:
            place = Placement(
                key=f"k{n}",
                canonical="",
                content_hash=f"h{n}",
                title_key=fold(title),
                source_id=ensure_source(conn, source, source, NOW) if source else None,
                category_id=self._category(conn, category) if category else None,
            )
            article_id, _ = articles.upsert(conn, article, place, NOW)
            if index:
                index_article(conn, self.dialect, article_id)
        return article_id

    def _category(self, conn: Any, slug: str) -> int:
        conn.execute(
            text(
                "INSERT INTO categories (slug, name, created_at) VALUES (:s, :s, 0)"
                " ON CONFLICT (slug) DO NOTHING"
            ),
            {"s": slug},
        )
        return int(
            conn.execute(
                text("SELECT id FROM categories WHERE slug = :s"), {"s": slug}
            ).scalar_one()
        )

    def search(self, query: str, **options: Any) -> SearchPage:
        options.setdefault("now", NOW)
        with self.db.read() as conn:
            return search(conn, self.dialect, query, **options)

    def ids(self, query: str, **options: Any) -> list[int]:
        return [h.article_id for h in self.search(query, **options).hits]

    def suggest(self, prefix: str, limit: int = 8) -> list[str]:
        with self.db.read() as conn:
            return suggest(conn, self.dialect, prefix, limit)

    def sql(self, statement: str, **params: Any) -> None:
        with self.db.write() as conn:
            conn.execute(text(statement), params)


@pytest.fixture
def corpus(database_url: str) -> Corpus:
    return Corpus(open_database(database_url))


_module_dbs = itertools.count()


@pytest.fixture(
    scope="module", params=["sqlite", pytest.param("postgresql", marks=pytest.mark.loopback)]
)
def module_db(request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory) -> str:
    """Like ``database_url`` but shared by a module's tests that only read."""
    if request.param == "sqlite":
        return f"sqlite:///{tmp_path_factory.mktemp('search') / 'diemtin.db'}"
    from tests.support.postgres import create_database

    admin = request.getfixturevalue("postgres_admin_url")
    return create_database(admin, f"diemtin_search_{os.getpid()}_{next(_module_dbs)}")
