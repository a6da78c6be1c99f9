"""The store on both engines: migrations, identity, edits and their history."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest
from sqlalchemy import text

from diemtin.model import Article, Block, BlockKind, Figure
from diemtin.store import articles
from diemtin.store.articles import Outcome, Placement
from diemtin.store.db import Database, StoreError, open_database
from diemtin.store.migrate import available, current_version, migrate, split_statements


def _article(title: str = "Tiêu đề", body: str = "Nội dung bài viết.") -> Article:
    return Article(
        url="https://vnexpress.net/bai-viet-4954454.html",
        title=title,
        sapo="Tóm tắt.",
        blocks=[
            Block(BlockKind.PARAGRAPH, text=body, html=body),
            Block(
                BlockKind.FIGURE,
                figure=Figure("https://i.vnecdn.net/a.jpg", "Chú thích", "Ảnh: TTXVN", 800, 600),
            ),
        ],
        tags=["Hà Nội", "giao thông"],
        published_at=datetime(2025, 10, 22, 7, 0, tzinfo=UTC),
    )


def _place(
    key: str = "u:https://vnexpress.net/bai-viet-4954454.html", digest: str = "h1"
) -> Placement:
    return Placement(
        key=key,
        canonical="https://vnexpress.net/bai-viet-4954454.html",
        content_hash=digest,
        title_key="tieu de",
        source_id=None,
    )


def test_migrations_apply_once_and_record_their_version(database_url: str) -> None:
    db = open_database(database_url)
    assert current_version(db) == max(m.version for m in available(db.dialect.name))
    assert migrate(db) == []  # a second run finds nothing to do
    with db.read() as conn:
        assert conn.execute(text("SELECT COUNT(*) FROM articles")).scalar_one() == 0


def test_article_round_trip_with_figures_and_tags(database_url: str) -> None:
    db = open_database(database_url)
    with db.write() as conn:
        article_id, outcome = articles.upsert(conn, _article(), _place(), now=1_700_000_000)
    assert outcome is Outcome.NEW
    with db.read() as conn:
        loaded = articles.load(conn, article_id)
        images = conn.execute(text("SELECT src, caption, credit, width FROM article_images")).all()
    assert loaded is not None
    assert loaded.title == "Tiêu đề" and loaded.sapo == "Tóm tắt."
    assert loaded.blocks == _article().blocks
    assert loaded.published_at == datetime(2025, 10, 22, 7, 0, tzinfo=UTC)
    assert images == [("https://i.vnecdn.net/a.jpg", "Chú thích", "Ảnh: TTXVN", 800)]


def test_same_key_twice_is_one_row_and_an_edit_keeps_history(database_url: str) -> None:
    db = open_database(database_url)
    with db.write() as conn:
        first, _ = articles.upsert(conn, _article(), _place(), now=100)
        again, outcome = articles.upsert(conn, _article(), _place(), now=200)
        assert (again, outcome) == (first, Outcome.UNCHANGED)
        edited, outcome = articles.upsert(
            conn, _article(body="Bài đã sửa."), _place(digest="h2"), now=300
        )
        assert (edited, outcome) == (first, Outcome.UPDATED)
        assert articles.count(conn) == 1
        history = articles.versions(conn, first)
    assert [h[0] for h in history] == ["h1", "h2"]
    assert history[1][1] == 300  # no updated time from the publisher: when we saw the edit


def test_a_new_key_for_a_known_canonical_url_is_the_same_article(database_url: str) -> None:
    db = open_database(database_url)
    with db.write() as conn:
        first, _ = articles.upsert(conn, _article(), _place(key="g:vnexpress:1"), now=100)
        second, outcome = articles.upsert(conn, _article(), _place(key="g:vnexpress:2"), now=200)
    assert second == first and outcome is Outcome.UNCHANGED


def test_bad_database_urls_give_clear_errors(tmp_path: object) -> None:
    with pytest.raises(StoreError, match="only sqlite"):
        Database("mysql://localhost/x")
    with pytest.raises(StoreError, match="not a URL"):
        Database("not a url at all")
    db = Database("postgresql://nobody@127.0.0.1:9/none")
    with pytest.raises(StoreError, match="cannot reach"):
        db.ping()


def test_statement_splitter_keeps_trigger_bodies_whole() -> None:
    sql = """
-- a comment
CREATE TABLE t (a INTEGER);
CREATE TRIGGER t_ai AFTER INSERT ON t BEGIN
  INSERT INTO t VALUES (1);
  INSERT INTO t VALUES (2);
END;
CREATE INDEX i ON t (a);
"""
    parts = split_statements(sql)
    assert len(parts) == 3
    assert parts[1].count("INSERT INTO") == 2 and parts[1].rstrip().endswith("END")


def test_plain_text_with_markup_characters_is_never_loaded_as_html() -> None:
    from diemtin.store.codec import blocks_from_json, blocks_to_json

    imported = [Block(BlockKind.PARAGRAPH, text="<script>alert(1)</script> & co")]
    (back,) = blocks_from_json(blocks_to_json(imported))
    assert back.text == imported[0].text and back.html == ""
    plain = [Block(BlockKind.PARAGRAPH, text="Không có thẻ nào", html="Không có thẻ nào")]
    assert blocks_from_json(blocks_to_json(plain))[0].html == "Không có thẻ nào"
