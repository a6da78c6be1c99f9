"""Categories for unfiled articles: the model files, low confidence goes to review,
other languages are kept apart, and a later guess never unfiles a section's choice."""

from __future__ import annotations

from pathlib import Path

import pytest
from sqlalchemy import text

from diemtin.classify import CategoryModel
from diemtin.model import Article, Block, BlockKind
from diemtin.pipeline.categorize import no_model, settle
from diemtin.pipeline.importing import Importer
from diemtin.pipeline.prepare import CategoryIndex, Prepared, prepare
from diemtin.pipeline.setup import open_store
from diemtin.settings import Settings
from diemtin.sources import load_categories
from diemtin.store.db import Database
from tests.support.archives import write_jsonl
from tests.unit.classify.corpus import FILLER, TOPICS, texts

ENGLISH = (
    "The central bank said on Monday that it would keep interest rates unchanged for the"
    " rest of the year, as inflation slowed and the economy showed signs of recovery."
)


@pytest.fixture(scope="module")
def model() -> CategoryModel:
    train_texts, labels = texts(40, seed=1)
    m = CategoryModel(seed=0)
    m.fit(train_texts, labels)
    return m


def _prepared(body: str, *, category: str | None = None, title: str = "Tin trong ngày") -> Prepared:
    article = Article(
        url="https://example.vn/a.html",
        title=title,
        blocks=[Block(BlockKind.PARAGRAPH, text=body)],
        category=category,
    )
    return prepare(article, scope="example", index=CategoryIndex(load_categories()))


def _sport() -> str:
    return " ".join(TOPICS["the-thao"].split()[:12]) + " hôm nay theo cho biết trận đấu."


def _mixed() -> str:
    # only words every topic shares: the model has nothing to be sure about
    return FILLER + "."


def test_a_confident_model_files_the_article(model: CategoryModel) -> None:
    (out,) = settle([_prepared(_sport())], lambda: model, threshold=0.5)
    assert (out.category, out.category_source) == ("the-thao", "model")
    assert out.category_confidence is not None and out.category_confidence >= 0.5


def test_under_the_threshold_the_article_waits_for_review(model: CategoryModel) -> None:
    (out,) = settle([_prepared(_mixed())], lambda: model, threshold=0.95)
    assert (out.category, out.category_source) == (None, "review")
    assert out.category_confidence is not None and 0 < out.category_confidence < 0.95


def test_without_a_model_every_unfiled_article_goes_to_review() -> None:
    (out,) = settle([_prepared(_sport())], no_model, threshold=0.6)
    assert (out.category, out.category_source, out.category_confidence) == (None, "review", None)


def test_another_language_is_kept_apart_not_guessed(model: CategoryModel) -> None:
    (out,) = settle([_prepared(ENGLISH, title="Rates stay on hold")], lambda: model, threshold=0.0)
    assert out.article.language == "en"
    assert (out.category, out.category_source) == (None, None)


def test_the_source_decides_first_and_the_model_is_not_asked() -> None:
    def never() -> CategoryModel:
        raise AssertionError("the model was asked about a filed article")

    (out,) = settle([_prepared(_sport(), category="Sức khỏe")], never, threshold=0.6)
    assert (out.category, out.category_source) == ("suc-khoe", "import")


def _row(db: Database, guid: str) -> tuple[object, ...]:
    with db.read() as conn:
        return tuple(
            conn.execute(
                text(
                    "SELECT c.slug, a.category_source, a.language FROM articles a"
                    " LEFT JOIN categories c ON c.id = a.category_id WHERE a.guid = :g"
                ),
                {"g": guid},
            ).one()
        )


def test_import_files_reviews_and_keeps_languages_apart(
    database_url: str, tmp_path: Path, model: CategoryModel
) -> None:
    db = open_store(Settings(database_url=database_url))
    records = [
        {"id": "sport", "url": "https://x.vn/1", "title": "Trận đấu", "body": _sport()},
        {"id": "en", "url": "https://x.vn/2", "title": "Rates stay on hold", "body": ENGLISH},
        {"id": "filed", "url": "https://x.vn/3", "title": "Y tế", "body": _sport(),
         "category": "Sức khỏe"},
    ]  # fmt: skip
    Importer(db, [], model=lambda: model, threshold=0.5).run(
        write_jsonl(tmp_path / "a.jsonl", records)
    )
    assert _row(db, "sport") == ("the-thao", "model", "vi")
    assert _row(db, "en") == (None, None, "en")
    assert _row(db, "filed") == ("suc-khoe", "import", "vi")

    # an edit arriving without a category, judged unsure, must not unfile the article
    edited = [{**records[0], "body": _mixed()}]
    Importer(db, [], model=lambda: model, threshold=0.95).run(
        write_jsonl(tmp_path / "b.jsonl", edited)
    )
    assert _row(db, "sport") == ("the-thao", "model", "vi")
