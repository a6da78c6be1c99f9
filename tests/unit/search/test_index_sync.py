"""The index follows the articles: inserts, edits, deletes, backfill, on both engines."""

from __future__ import annotations

from sqlalchemy import text

from diemtin.model import Article
from diemtin.search import index_article, index_pending, pending_count, reindex_all
from diemtin.store import articles
from diemtin.store.articles import Placement
from diemtin.store.migrate import migrate
from tests.unit.search.conftest import NOW, Corpus


def _pending(corpus: Corpus) -> int:
    with corpus.db.read() as conn:
        return pending_count(conn)


def _drain(corpus: Corpus) -> int:
    done = 0
    while True:
        with corpus.db.write() as conn:
            count = index_pending(conn, corpus.dialect, batch=2)
        if not count:
            return done
        done += count


def _fts_intact(corpus: Corpus) -> None:
    if corpus.dialect == "sqlite":
        corpus.sql("INSERT INTO search_fts (search_fts) VALUES ('integrity-check')")


def test_index_article_makes_it_findable_at_once(corpus: Corpus) -> None:
    wanted = corpus.add("Khai mạc hội chợ sách")
    assert corpus.ids("hoi cho sach") == [wanted]
    assert _pending(corpus) == 0


def test_articles_stored_without_the_call_wait_in_the_queue(corpus: Corpus) -> None:
    first = corpus.add("Cháy rừng ở Hà Tĩnh", index=False)
    second = corpus.add("Cháy chợ ở Hà Tĩnh", index=False)
    assert corpus.search("chay ha tinh").reason == "no_match"
    assert _pending(corpus) == 2
    assert _drain(corpus) == 2 and _pending(corpus) == 0
    assert set(corpus.ids("chay ha tinh")) == {first, second}


def _edit(corpus: Corpus, article_id: int, title: str, *, index: bool) -> None:
    with corpus.db.write() as conn:
        key = conn.execute(text("SELECT key FROM articles WHERE id = :i"), {"i": article_id})
        place = Placement(
            key=key.scalar_one(), canonical="", content_hash=title, title_key="", source_id=None
        )
        articles.upsert(conn, Article(url="https://example.vn/x", title=title), place, NOW)
        if index:
            index_article(conn, corpus.dialect, article_id)


def test_an_edit_replaces_the_old_words(corpus: Corpus) -> None:
    article_id = corpus.add("Lịch thi đấu vòng bảng")
    _edit(corpus, article_id, "Kết quả vòng bảng", index=True)
    assert corpus.ids("lich thi dau") == []
    assert corpus.ids("ket qua vong bang") == [article_id]
    _fts_intact(corpus)


def test_an_edit_without_the_call_is_queued(corpus: Corpus) -> None:
    article_id = corpus.add("Lịch cắt điện tuần này")
    _edit(corpus, article_id, "Lịch cắt nước tuần này", index=False)
    assert _pending(corpus) == 1
    assert corpus.ids("cat dien") == [article_id]  # the old words, until indexed
    _drain(corpus)
    assert (corpus.ids("cat dien"), corpus.ids("cat nuoc")) == ([], [article_id])
    _fts_intact(corpus)


def test_other_column_changes_queue_nothing(corpus: Corpus) -> None:
    article_id = corpus.add("Triển lãm ảnh")
    corpus.sql("UPDATE articles SET status = 'hidden', story_id = NULL WHERE id = :i", i=article_id)
    assert _pending(corpus) == 0


def test_a_deleted_article_leaves_the_index(corpus: Corpus) -> None:
    gone = corpus.add("Động đất ở Kon Tum")
    kept = corpus.add("Động đất nhẹ ở Kon Tum")
    queued = corpus.add("Động đất lần ba", index=False)
    corpus.sql("DELETE FROM articles WHERE id IN (:a, :b)", a=gone, b=queued)
    assert corpus.ids("dong dat") == [kept]
    assert _pending(corpus) == 0
    with corpus.db.read() as conn:
        assert conn.execute(text("SELECT COUNT(*) FROM search_docs")).scalar_one() == 1
    _fts_intact(corpus)


def test_indexing_a_missing_article_is_harmless(corpus: Corpus) -> None:
    with corpus.db.write() as conn:
        index_article(conn, corpus.dialect, 999_999)
        assert index_pending(conn, corpus.dialect) == 0


def test_reindex_all_rebuilds_the_same_results(corpus: Corpus) -> None:
    ids = [corpus.add(f"Học bổng du học đợt {i}", age_days=i) for i in range(5)]
    with corpus.db.write() as conn:
        assert reindex_all(conn, corpus.dialect, batch=2) == 5
    assert corpus.ids("hoc bong du hoc") == ids
    _fts_intact(corpus)


def _undo_migration_3(corpus: Corpus) -> list[int]:
    """Undo the search migration and those built on it; their versions."""
    if corpus.dialect == "sqlite":
        statements = [
            "DROP TABLE search_fts",
            "DROP TABLE search_titles",
            "DROP TABLE search_docs",
            "DROP TABLE search_queue",
            "DROP TRIGGER search_articles_ai",
            "DROP TRIGGER search_articles_au",
            "DROP INDEX search_title_key",
            "DROP INDEX search_filter",
        ]
    else:
        statements = [
            "DROP TABLE search_docs",
            "DROP TABLE search_queue",
            "DROP FUNCTION search_enqueue CASCADE",
            "DROP FUNCTION search_docs_take_article CASCADE",
            "DROP FUNCTION search_docs_follow_article CASCADE",
            "DROP INDEX search_title_key",
        ]
    versions = [3] if corpus.dialect == "sqlite" else [3, 8, 9]
    forget = f"DELETE FROM schema_migrations WHERE version IN ({', '.join(map(str, versions))})"
    for statement in [*statements, forget]:
        corpus.sql(statement)
    return versions


def test_the_migration_queues_articles_stored_before_it(corpus: Corpus) -> None:
    undone = _undo_migration_3(corpus)
    corpus.sql(
        "INSERT INTO articles (key, url, title, content_hash, fetched_at, stored_at)"
        " VALUES ('old', 'https://example.vn/cu', 'Bài viết cũ về Hội An', 'h', 0, 0)"
    )
    assert [m.version for m in migrate(corpus.db)] == undone
    assert _pending(corpus) == 1 and _drain(corpus) == 1
    assert len(corpus.ids("hoi an")) == 1


def test_index_text_takes_the_text_just_stored(corpus: Corpus) -> None:
    from diemtin.search import index_text

    article_id = corpus.add("Khánh thành cầu Rạch Miễu 2", "Cây cầu dài.", index=False)
    with corpus.db.write() as conn:
        index_text(
            conn, corpus.dialect, article_id, "Khánh thành cầu Rạch Miễu 2", "Cây cầu dài.", ""
        )
    assert corpus.ids("rach mieu") == [article_id] and _pending(corpus) == 0


def test_a_huge_body_is_indexed_up_to_its_cap(corpus: Corpus) -> None:
    from diemtin.search.document import MAX_BODY_WORDS

    body = " ".join(f"tu{i}x" for i in range(MAX_BODY_WORDS + 5000))  # all distinct words
    article_id = corpus.add("Trang rác", "", body)
    assert corpus.ids("tu7x") == [article_id]
    assert corpus.ids(f"tu{MAX_BODY_WORDS + 10}x") == []
