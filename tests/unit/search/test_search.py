"""Search on both engines: accents, tone placement, đ/d, ranking, filters, paging."""

from __future__ import annotations

import pytest

from tests.unit.search.conftest import NOW, Corpus

DEFENCE = "Bộ trưởng Quốc phòng thăm đơn vị bộ đội biên phòng"


@pytest.mark.parametrize(
    "query",
    [
        "bo truong quoc phong",
        "Bộ trưởng Quốc phòng",
        "BỘ TRƯỞNG QUỐC PHÒNG",
        "bộ truởng",  # a horn forgotten
        "bộ trưỏng",  # a hook on the wrong vowel
        "Bộ trưởng, Quốc phòng!",
    ],
)
def test_accents_and_spelling_slips_find_the_same_article(corpus: Corpus, query: str) -> None:
    wanted = corpus.add(DEFENCE)
    corpus.add("Giá xăng giảm mạnh")
    assert corpus.ids(query) == [wanted]


def test_tone_placement_does_not_matter(corpus: Corpus) -> None:
    old_style = corpus.add("Hội nghị hòa bình tại Khánh Hòa", "Mùa thủy triều")
    new_style = corpus.add("Hoà giải tranh chấp ở Thuỷ Nguyên")
    for query in ("hòa", "hoà", "hoa"):
        assert set(corpus.ids(query)) == {old_style, new_style}, query
    assert corpus.ids("thuỷ triều") == [old_style]


def test_d_and_dj_meet(corpus: Corpus) -> None:
    wanted = corpus.add("Quy hoạch đô thị Đà Nẵng")
    assert corpus.ids("do thi") == [wanted]
    assert corpus.ids("ĐÔ THỊ da nang") == [wanted]


def test_every_word_is_required(corpus: Corpus) -> None:
    both = corpus.add("Mưa lớn ở Hà Nội")
    corpus.add("Mưa lớn ở Huế")
    assert corpus.ids("mua lon ha noi") == [both]


def test_exact_accents_rank_first(corpus: Corpus) -> None:
    graph = corpus.add("Đồ thị tăng trưởng, đồ thị dân số, đồ thị mới", age_days=0)
    city = corpus.add("Đô thị mới", age_days=300)
    assert corpus.ids("đô thị") == [city, graph]
    assert corpus.ids("đồ thị") == [graph, city]
    page = corpus.search("đô thị")
    assert [h.exact for h in page.hits] == [True, False]


def test_title_outranks_body(corpus: Corpus) -> None:
    in_body = corpus.add("Tin tổng hợp", "Điểm tin sáng", "Sáng nay giá vàng tăng nhẹ.")
    in_title = corpus.add("Giá vàng tăng nhẹ", "Điểm tin sáng", "Thị trường sáng nay.")
    assert corpus.ids("gia vang") == [in_title, in_body]


def test_recency_breaks_ties_between_equal_matches(corpus: Corpus) -> None:
    old = corpus.add("Bão số 3 đổ bộ", age_days=60)
    new = corpus.add("Bão số 3 đổ bộ", age_days=1)
    undated = corpus.add("Bão số 3 đổ bộ")
    assert corpus.ids("bao so 3") == [new, old, undated]
    scores = [h.score for h in corpus.search("bao so 3").hits]
    assert scores[0] > scores[1] > scores[2] > 0


def test_recency_does_not_bury_a_much_better_match(corpus: Corpus) -> None:
    fresh_mention = corpus.add("Điểm tin", "Tin ngắn", "... lũ quét ...", age_days=0)
    strong = corpus.add("Lũ quét ở Lào Cai", "Lũ quét cuốn trôi nhà", "Lũ quét.", age_days=30)
    assert corpus.ids("lu quet") == [strong, fresh_mention]


def test_filters_by_category_source_and_dates(corpus: Corpus) -> None:
    a = corpus.add("Bóng đá Việt Nam", category="the-thao", source="vnexpress", age_days=1)
    b = corpus.add("Bóng đá Thái Lan", category="the-thao", source="tuoi-tre", age_days=10)
    c = corpus.add("Bóng đá và kinh tế", category="kinh-te", source="vnexpress", age_days=20)
    assert set(corpus.ids("bong da")) == {a, b, c}
    assert set(corpus.ids("bong da", category="the-thao")) == {a, b}
    assert corpus.ids("bong da", source="vnexpress", category="kinh-te") == [c]
    assert set(corpus.ids("bong da", since=NOW - 15 * 86_400)) == {a, b}
    assert corpus.ids("bong da", since=NOW - 15 * 86_400, until=NOW - 5 * 86_400) == [b]
    missing = corpus.search("bong da", category="khong-co")
    assert (missing.total, missing.reason) == (0, "no_match")
    assert missing.message and "chuyên mục" in missing.message


def test_hidden_and_removed_articles_are_not_found(corpus: Corpus) -> None:
    shown = corpus.add("Giải chạy marathon", age_days=1)
    hidden = corpus.add("Giải chạy marathon đêm", age_days=1)
    corpus.sql("UPDATE articles SET status = 'hidden' WHERE id = :i", i=hidden)
    assert corpus.ids("marathon") == [shown]
    assert corpus.ids("marathon", since=NOW - 7 * 86400) == [shown]  # the filtered path too
    corpus.sql("UPDATE articles SET status = 'visible' WHERE id = :i", i=hidden)
    assert sorted(corpus.ids("marathon")) == sorted([shown, hidden])


def test_a_new_publication_time_reaches_the_ranking(corpus: Corpus) -> None:
    """PostgreSQL keeps it beside the words; an edit of the article is followed."""
    from diemtin.search import retrieval

    article_id = corpus.add("Lễ hội pháo hoa", age_days=1)
    corpus.sql("UPDATE articles SET published_at = :t WHERE id = :i", t=NOW - 60, i=article_id)
    with corpus.db.read() as conn:
        found = retrieval.candidates(conn, corpus.dialect, ["phao", "hoa"], retrieval.Filters())
    assert [(c.article_id, c.published_at) for c in found.found] == [(article_id, NOW - 60)]


@pytest.mark.parametrize("share", [0.0001, 1.0])
def test_rare_and_common_matches_are_gathered_alike(
    corpus: Corpus, monkeypatch: pytest.MonkeyPatch, share: float
) -> None:
    """PostgreSQL gathers rare matches from the GIN bitmap and walks ids for common ones:
    the same newest matches and count either way, whatever the share says."""
    from diemtin.search import retrieval

    monkeypatch.setattr(retrieval, "COUNT_CAP", 6)
    monkeypatch.setattr(retrieval, "NEWEST", 3)
    # the words in the sapo only: no title match joins the newest
    ids = [corpus.add(f"Thời tiết ngày {i}", "Mưa lớn ở miền Trung") for i in range(8)]
    corpus.add("Thời tiết", "Nắng nóng ở miền Bắc")
    with corpus.db.read() as conn:
        found = retrieval.candidates(
            conn, corpus.dialect, ["mua", "mien"], retrieval.Filters(), share=share
        )
    assert [c.article_id for c in found.found] == ids[-3:][::-1]
    assert (found.total, found.capped) == (6, True)


def test_paging_and_total(corpus: Corpus) -> None:
    ids = [corpus.add(f"Xe điện số {i}", age_days=i) for i in range(7)]
    first = corpus.search("xe dien", limit=3)
    second = corpus.search("xe dien", limit=3, offset=3)
    beyond = corpus.search("xe dien", limit=3, offset=30)
    assert (first.total, second.total, beyond.total) == (7, 7, 7)
    assert [h.article_id for h in first.hits + second.hits] == ids[:6]
    assert beyond.hits == [] and beyond.reason is None


def test_no_match_says_so(corpus: Corpus) -> None:
    corpus.add("Giá xăng giảm")
    page = corpus.search("tàu vũ trụ")
    assert (page.hits, page.total, page.reason) == ([], 0, "no_match")
    assert page.message and page.terms == ["tau", "vu", "tru"]


def test_snippets_escape_html_and_mark_matches(corpus: Corpus) -> None:
    corpus.add(
        "Cảnh báo <script>alert(1)</script> lừa đảo",
        "Công an cảnh báo chiêu lừa đảo qua mạng & điện thoại.",
        "Nội dung " * 80 + "Người dân cần cảnh giác với lừa đảo trực tuyến.",
    )
    hit = corpus.search("<lua dao>").hits[0]
    assert "<script>" not in hit.title_html and "&lt;script&gt;" in hit.title_html
    assert "<mark>lừa đảo</mark>" not in hit.title_html  # each word is marked alone
    assert "<mark>lừa</mark> <mark>đảo</mark>" in hit.title_html
    assert "<mark>lừa</mark> <mark>đảo</mark>" in hit.snippet_html
    assert "&amp;" in hit.snippet_html and "<b>" not in hit.snippet_html


def test_snippet_comes_from_the_body_when_the_sapo_lacks_the_words(corpus: Corpus) -> None:
    body = "Mở đầu. " * 60 + "Tàu cao tốc Bắc Nam sẽ chạy 350 km/h. " + "Kết thúc. " * 60
    corpus.add("Dự án đường sắt", "Quốc hội thảo luận.", body)
    snippet = corpus.search("tau cao toc").hits[0].snippet_html
    assert "<mark>Tàu</mark> <mark>cao</mark> <mark>tốc</mark> Bắc Nam" in snippet
    assert snippet.startswith("…") and snippet.endswith("…") and len(snippet) < 400


def test_broad_queries_rank_a_bounded_set_without_losing_headlines(
    corpus: Corpus, monkeypatch: pytest.MonkeyPatch
) -> None:
    from diemtin.search import retrieval

    monkeypatch.setattr(retrieval, "NEWEST", 3)
    monkeypatch.setattr(retrieval, "TITLE_MATCHES", 3)
    monkeypatch.setattr(retrieval, "COUNT_CAP", 5)
    headline = corpus.add("Giá xăng tăng", age_days=90)  # stored first, so the oldest id
    for i in range(8):
        corpus.add(f"Tin ngắn {i}", f"Nhắc đến giá xăng lần {i}", age_days=1)
    page = corpus.search("gia xang", limit=2)
    assert page.hits[0].article_id == headline
    assert (page.total, page.total_capped) == (5, True)
    assert corpus.search("gia xang", category="khong-co").total_capped is False


@pytest.mark.parametrize(("cap", "at_most"), [(5, None), (5, 1), (5, 8), (10, 8), (10, 2)])
def test_a_bound_on_the_matches_never_changes_them(
    corpus: Corpus, monkeypatch: pytest.MonkeyPatch, cap: int, at_most: int | None
) -> None:
    """A bound that holds reads matches in ascending order; a stale one (2 for 8) is redone."""
    from diemtin.search import retrieval

    monkeypatch.setattr(retrieval, "COUNT_CAP", cap)
    monkeypatch.setattr(retrieval, "NEWEST", 3)
    monkeypatch.setattr(retrieval, "TITLE_MATCHES", 1)
    ids = [corpus.add(f"Giá xăng lần {i}") for i in range(8)]
    corpus.add("Giá vàng")
    with corpus.db.read() as conn:
        found = retrieval.candidates(
            conn, corpus.dialect, ["gia", "xang"], retrieval.Filters(), at_most=at_most
        )
    assert sorted(c.article_id for c in found.found) == ids[-3:]
    assert (found.total, found.capped) == (min(8, cap), cap < 8)


def test_postgresql_plans_each_search_for_its_own_words(corpus: Corpus) -> None:
    if corpus.dialect != "postgresql":
        pytest.skip("plan caching is PostgreSQL's")
    from sqlalchemy import text

    from diemtin.search import search

    corpus.add("Giá vàng")
    with corpus.db.read() as conn:
        assert search(conn, corpus.dialect, "gia vang", now=NOW).total == 1
        assert conn.execute(text("SHOW plan_cache_mode")).scalar_one() == "force_custom_plan"
    with corpus.db.read() as conn:  # for this transaction only
        assert conn.execute(text("SHOW plan_cache_mode")).scalar_one() == "auto"
