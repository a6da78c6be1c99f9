"""The pure parts of search: query parsing, quoting, documents, ranking, snippets."""

from __future__ import annotations

import pytest

from diemtin.search import SearchError
from diemtin.search.document import MAX_WORD_CHARS, document, tsvector_literal
from diemtin.search.query import MAX_TERMS, fts5_match, parse_query, tsquery_literal
from diemtin.search.ranking import freshness, idf, rank, relevance
from diemtin.search.retrieval import Candidate
from diemtin.search.snippet import _FOLD_TABLE, fold_same_length, mark, matcher, snippet
from diemtin.text import fold


def test_query_words_are_folded_and_the_accented_ones_kept_for_the_boost() -> None:
    parsed = parse_query("Bộ trưởng, bo TRƯỞNG: Quốc phòng!")
    assert parsed.terms == ["bo", "truong", "quoc", "phong"]
    assert parsed.exact == ["bộ", "trưởng", "quốc", "phòng"]
    assert parse_query("hoà bình").exact == ["hòa", "bình"]  # one tone placement
    assert parse_query("do thi").exact == [] and parse_query("đô thi").exact == ["đô"]


def test_query_limits() -> None:
    parsed = parse_query(" ".join(f"w{i}" for i in range(40)))
    assert len(parsed.terms) == MAX_TERMS and parsed.dropped == 40 - MAX_TERMS
    assert parse_query("x" * (MAX_WORD_CHARS + 1) + " ok").terms == ["ok"]
    with pytest.raises(SearchError, match="500"):
        parse_query("a" * 501)


def test_quoting_cannot_be_escaped() -> None:
    assert fts5_match(['a"b', "c"], last_prefix=True) == '"a""b" AND "c"*'
    assert tsquery_literal(["it's", "a\\b"]) == "'it''s' & 'a\\\\b'"
    assert tsquery_literal(["pho"], last_prefix=True) == "'pho':*"
    assert tsvector_literal(["x'y", "x'y", "z"]) == "'x''y' 'z'"


def test_document_fields() -> None:
    doc = document("Đô thị xanh", "Hà Nội, TP.HCM", "Covid-19 " + "q" * 60)
    assert (doc.title, doc.sapo) == (["do", "thi", "xanh"], ["ha", "noi", "tp", "hcm"])
    assert doc.body == ["covid", "19"]  # the 60-letter "word" is dropped
    assert doc.exact == ["đô", "thị", "hà", "nội"]  # accented words only


def test_idf_is_positive_and_falls_with_frequency() -> None:
    assert idf(1, 1000) > idf(100, 1000) > idf(999, 1000) > 0
    assert idf(50, 10) > 0  # counts from different moments may disagree


def test_relevance_prefers_title_then_sapo_then_body() -> None:
    idfs = {"vang": 2.0}
    in_title = relevance(["vang"], idfs, "gia vang", "")
    in_sapo = relevance(["vang"], idfs, "tin", "gia vang")
    in_body = relevance(["vang"], idfs, "tin", "sang")
    assert in_title > in_sapo > in_body > 0
    longer = relevance(["vang"], idfs, "gia vang" + " x" * 30, "")
    assert in_title > longer


def test_freshness_halves_its_bonus_each_week() -> None:
    now, week = 10**9, 7 * 86400
    assert freshness(now, now) == pytest.approx(1.5)
    assert freshness(now - week, now) == pytest.approx(1.25)
    assert freshness(None, now) == 1.0 and freshness(now + 99, now) == pytest.approx(1.5)


def test_rank_puts_exact_matches_first_then_score() -> None:
    def cand(i: int, title: str, exact: str) -> Candidate:
        return Candidate(i, None, title, "", exact)

    found = [
        cand(1, "do thi", "đồ thị"),
        cand(2, "tin do thi moi", "đô thị"),
        cand(3, "do thi", "đô"),
    ]
    ranked = rank(found, ["do", "thi"], ["đô", "thị"], {"do": 3, "thi": 3}, 100, 0)
    assert [r.article_id for r in ranked] == [2, 3, 1]
    assert [r.exact for r in ranked] == [True, False, False]


def test_same_length_fold_agrees_with_fold() -> None:
    assert all(len(v) == 1 for v in _FOLD_TABLE)
    text = "Đường Trường Sơn: ĐÀ NẴNG, Thừa Thiên-Huế, Ỷ Lan, Ðức"
    assert len(fold_same_length(text)) == len(text)
    assert fold_same_length(text) == fold(text)


def test_mark_escapes_and_marks_whole_words_only() -> None:
    pattern = matcher(["do", "thi"])
    assert mark("Đô thị <b>đồ</b> & đông đồi", pattern) == (
        "<mark>Đô</mark> <mark>thị</mark> &lt;b&gt;<mark>đồ</mark>&lt;/b&gt; &amp; đông đồi"
    )
    assert mark("a < b", None) == "a &lt; b"


def test_snippet_shows_the_passage_with_the_most_terms() -> None:
    body = (
        "Mở đầu. " * 40
        + "Giá vàng hôm nay. "
        + "Giữa bài. " * 40
        + "Giá vàng SJC tăng mạnh. "
        + "Hết. " * 40
    )
    html = snippet(["gia", "vang", "sjc"], "Tóm tắt không liên quan.", body)
    assert "<mark>SJC</mark>" in html and html.startswith("…") and html.endswith("…")
    assert snippet(["x"], "", "") == ""
    assert snippet(["zzz"], "Tóm tắt.", "Thân bài.") == "Tóm tắt."


def test_common_syllables_are_not_required_when_rarer_words_are_enough() -> None:
    from diemtin.search.ranking import required

    counts = {"la": 90, "cua": 80, "vang": 5, "sjc": 2, "tang": 30}
    assert required(["la", "vang", "sjc", "tang", "cua"], counts, 100) == ["vang", "sjc", "tang"]
    assert required(["la", "vang", "sjc"], counts, 100) == ["la", "vang", "sjc"]  # too few rare


def test_the_fast_folding_path_yields_exactly_what_words_yields() -> None:
    import random
    import unicodedata

    from diemtin.search.document import folded_words
    from diemtin.text import words

    pool = list("aăâbcdđeêghiklmnoôơpqrstuưvxyAĂÂĐÊÔƠƯ0123456789 .,-_/'\"")
    pool += list("àáảãạằắẳẵặầấẩẫậèéẻẽẹềếểễệìíỉĩịòóỏõọồốổỗộờớởỡợùúủũụừứửữựỳýỷỹỵ")
    pool += list("“”‘’–—…«»·°×²µÐØßæİı\u00a0\u00ad\u200b\u2009\ufeff\x01\x7f\u0301\u0323")
    pool += ["中", "Ω", "é", "ﬁ", "😀", "\U0010ffff", "\r\n", "\t"]
    rng = random.Random(3)
    for _ in range(3000):
        text = "".join(rng.choice(pool) for _ in range(rng.randrange(0, 40)))
        for form in (text, unicodedata.normalize("NFD", text)):
            assert folded_words(form) == words(form), repr(form)
    for code in range(0x2100):
        text = f"Bộ{chr(code)}trưởng"
        assert folded_words(text) == words(text), hex(code)


def test_relevance_counts_whole_words_and_each_repeat() -> None:
    idfs = {"an": 2.0, "tu": 2.0}
    body_only = relevance(["an"], idfs, "thanh hoa", "ban")
    assert body_only == pytest.approx(0.15 * 2.0)  # "an" inside "thanh", "ban": not words
    assert relevance(["tu"], idfs, "tu tu", "") > relevance(["tu"], idfs, "tu xa", "")
    assert relevance(["tu"], idfs, "", "tu") > relevance(["tu"], idfs, "", "") > 0
