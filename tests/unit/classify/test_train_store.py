"""Training from the store on both engines: which articles teach, and what is refused."""

from __future__ import annotations

from pathlib import Path

import pytest
from sqlalchemy import text

from diemtin.classify import (
    CategoryModel,
    TrainingError,
    article_text,
    default_model_dir,
    train_from_store,
)
from tests.unit.classify.corpus import TOPICS, texts
from tests.unit.classify.stored import fill, insert, make_store


def test_trains_on_labelled_articles_and_predicts(database_url: str, tmp_path: Path) -> None:
    db = make_store(database_url)
    fill(db)
    seen: list[str] = []
    report = train_from_store(
        db, tmp_path, min_per_class=5, on_progress=lambda stage, done, total: seen.append(stage)
    )
    assert report.trained_on == 36
    assert report.class_counts == {slug: 12 for slug in TOPICS}
    assert report.path.parent == tmp_path and report.version in report.path.name
    assert {"reading articles", "reading words", "trained"} <= set(seen)
    model = CategoryModel.load(report.path)
    fresh, truth = texts(5, seed=6)
    assert [p.label for p in model.predict(fresh)] == truth


def test_learns_only_from_decisions_of_sources_and_operators(
    database_url: str, tmp_path: Path
) -> None:
    db = make_store(database_url)
    fill(db)
    football = "Cầu thủ ghi bàn thắng trong trận đấu của đội tuyển, thủ môn bó tay."
    with db.write() as conn:
        for _ in range(5):
            insert(conn, football, "the-thao", "operator")  # counts
            insert(conn, football, "kinh-doanh", "model")  # the model's own guess: never
            insert(conn, football, "kinh-doanh", None)
            insert(conn, football, "kinh-doanh", "feed", language="en")
            insert(conn, football, "kinh-doanh", "feed", status="removed")
            insert(conn, football, None, "feed")
    report = train_from_store(db, tmp_path, min_per_class=5)
    assert report.class_counts == {"kinh-doanh": 12, "suc-khoe": 12, "the-thao": 17}


def test_merged_categories_train_as_the_surviving_one(database_url: str, tmp_path: Path) -> None:
    db = make_store(database_url)
    fill(db)
    bodies, _ = texts(6, seed=7, topics=("the-thao",))
    with db.write() as conn:
        for body in bodies:
            insert(conn, body, "xe", "section")
        conn.execute(
            text(
                "UPDATE categories SET merged_into = (SELECT id FROM categories WHERE slug = :to)"
                " WHERE slug = :from"
            ),
            {"to": "the-thao", "from": "xe"},
        )
    report = train_from_store(db, tmp_path, min_per_class=5)
    assert report.class_counts["the-thao"] == 18 and "xe" not in report.class_counts


def test_small_categories_are_left_out_and_named(database_url: str, tmp_path: Path) -> None:
    db = make_store(database_url)
    fill(db)
    with db.write() as conn:
        insert(conn, "Xe máy điện mới ra mắt thị trường.", "xe", "import")
    report = train_from_store(db, tmp_path, min_per_class=5)
    assert report.dropped == {"xe": 1}
    assert "xe" not in report.class_counts


def test_an_empty_store_is_refused_clearly(database_url: str, tmp_path: Path) -> None:
    db = make_store(database_url)
    with pytest.raises(TrainingError, match="no labelled articles in the store yet"):
        train_from_store(db, tmp_path / "models")
    assert not (tmp_path / "models").exists()


def test_too_few_articles_are_refused_clearly(database_url: str, tmp_path: Path) -> None:
    db = make_store(database_url)
    fill(db, per_topic=3)
    with pytest.raises(TrainingError, match=r"20 or more .* the-thao \(3\)"):
        train_from_store(db, tmp_path)


def test_one_category_is_refused_clearly(database_url: str, tmp_path: Path) -> None:
    db = make_store(database_url)
    bodies, _ = texts(25, topics=("suc-khoe",))
    with db.write() as conn:
        for body in bodies:
            insert(conn, body, "suc-khoe", "feed")
    with pytest.raises(TrainingError, match=r"at least two categories .* suc-khoe \(25\)"):
        train_from_store(db, tmp_path)


def test_article_text_joins_the_parts_it_has() -> None:
    assert article_text("Tiêu đề", "", "Thân bài") == "Tiêu đề\nThân bài"
    assert article_text("", "", "") == ""


def test_default_model_dir() -> None:
    assert default_model_dir("sqlite:///data/diemtin.db") == Path("data/diemtin-models")
    assert default_model_dir("sqlite:////srv/x/site.db") == Path("/srv/x/site-models")
    assert default_model_dir("postgresql://u@h/db") == Path("models")
    assert default_model_dir("sqlite:///:memory:") == Path("models")
    assert default_model_dir("sqlite:///a.db", "/var/lib/diemtin/models") == Path(
        "/var/lib/diemtin/models"
    )
