"""``search``: a reader's query in, a page of ranked, highlighted hits out, on either engine."""

from __future__ import annotations

import math
from dataclasses import dataclass, field

from sqlalchemy import Connection, text

from diemtin.search.index import check_dialect
from diemtin.search.query import ParsedQuery, SearchError, parse_query
from diemtin.search.ranking import Scored, rank, required
from diemtin.search.retrieval import NEWEST, Filters, begin, candidates, id_list
from diemtin.search.snippet import SCAN_CHARS, mark, matcher, snippet
from diemtin.search.stats import frequencies

MAX_LIMIT = 100
MAX_OFFSET = NEWEST - 1  # a broad query ranks a bounded set of candidates

_MESSAGES = {
    "empty": "Hãy nhập từ cần tìm.",
    "no_terms": "Câu tìm kiếm chỉ có dấu câu hoặc ký hiệu; hãy nhập chữ hoặc số,"
    " ví dụ: bộ trưởng quốc phòng.",
    "no_match": "Không có bài nào chứa đủ các từ đã nhập{where}. Hãy thử bớt từ hoặc viết khác đi.",
}


@dataclass(frozen=True)
class Hit:
    article_id: int
    score: float
    exact: bool  # every accented word of the query appears as spelled in title or sapo
    title_html: str  # escaped, matches in <mark>
    snippet_html: str  # escaped passage of sapo or body, matches in <mark>


@dataclass(frozen=True)
class SearchPage:
    hits: list[Hit]
    total: int  # matches in all, across pages; at most COUNT_CAP (see total_capped)
    reason: str | None = None  # why there is nothing: "empty", "no_terms", "no_match"
    message: str | None = None  # the reason in words for the reader (Vietnamese)
    terms: list[str] = field(default_factory=list)  # the folded words searched for
    dropped: int = 0  # words ignored: beyond the 16th, or absurdly long
    total_capped: bool = False  # more than ``total`` matched ("hơn 1.000 kết quả")


def _nothing(reason: str, parsed: ParsedQuery | None = None, where: str = "") -> SearchPage:
    message = _MESSAGES[reason].format(where=where)
    if parsed is None:
        return SearchPage([], 0, reason, message)
    return SearchPage([], 0, reason, message, parsed.terms, parsed.dropped)


def _check_options(limit: int, offset: int, since: int | None, until: int | None) -> None:
    if not 1 <= limit <= MAX_LIMIT:
        raise SearchError("bad_limit", f"Mỗi trang có từ 1 đến {MAX_LIMIT} kết quả.")
    if not 0 <= offset <= MAX_OFFSET:
        raise SearchError("bad_offset", f"Chỉ xem được {NEWEST} kết quả đầu tiên.")
    if since is not None and until is not None and since >= until:
        raise SearchError("bad_dates", "Ngày bắt đầu phải trước ngày kết thúc.")


def search(
    conn: Connection,
    dialect: str,
    query: str,
    *,
    category: str | None = None,
    source: str | None = None,
    since: int | None = None,
    until: int | None = None,
    limit: int = 20,
    offset: int = 0,
    now: int,
    snippets: bool = True,
) -> SearchPage:
    """Visible articles holding the words of ``query`` however it is accented, best first.

    Every word is required, except syllables found in half the articles when
    the query has three rarer words (see ``ranking.required``).

    ``category`` and ``source`` are slugs; ``since`` (inclusive) and ``until``
    (exclusive) are epoch seconds on the publish time; ``now`` (epoch seconds)
    drives the freshness bonus. ``snippets=False`` (the JSON API) leaves
    ``title_html`` and ``snippet_html`` empty and skips reading article texts.

    Raises :class:`SearchError` for a query or option to refuse (too long, bad
    paging, since >= until); a query that cannot match returns an empty page
    whose ``reason`` says why.
    """
    check_dialect(dialect)
    _check_options(limit, offset, since, until)
    if not query.strip():
        return _nothing("empty")
    parsed = parse_query(query)
    if parsed.empty:
        return _nothing("no_terms")
    filters = Filters(category, source, since, until)
    top_id = begin(conn, dialect)
    docs, counts = frequencies(conn, dialect, parsed.terms, top_id=top_id)
    terms = required(parsed.terms, counts, docs)
    at_most, share = (
        min(counts[t] for t in terms),
        math.prod(counts[t] / max(docs, 1) for t in terms),
    )
    matches = candidates(conn, dialect, terms, filters, at_most=at_most, share=share)
    if matches.total == 0:
        where = " trong chuyên mục, nguồn hoặc thời gian đã chọn" if filters.any() else ""
        return _nothing("no_match", parsed, where)
    ranked = rank(matches.found, parsed.terms, parsed.exact, counts, docs, now)
    page = ranked[offset : offset + limit]
    if snippets:
        hits = _highlight(conn, dialect, page, parsed.terms)
    else:
        hits = [Hit(r.article_id, r.score, r.exact, "", "") for r in page]
    return SearchPage(
        hits, matches.total, terms=parsed.terms, dropped=parsed.dropped, total_capped=matches.capped
    )


def _highlight(conn: Connection, dialect: str, ranked: list[Scored], terms: list[str]) -> list[Hit]:
    if not ranked:
        return []
    ids, matching = id_list(dialect, [r.article_id for r in ranked])
    rows = conn.execute(
        text(
            f"SELECT id, title, sapo, substr(body_text, 1, {SCAN_CHARS}) FROM articles"
            f" WHERE id {matching}"
        ),
        {"ids": ids},
    ).all()
    texts = {int(r[0]): (r[1], r[2], r[3]) for r in rows}
    pattern = matcher(terms)
    hits = []
    for r in ranked:
        title, sapo, body = texts.get(r.article_id, ("", "", ""))
        hits.append(
            Hit(
                r.article_id,
                r.score,
                r.exact,
                mark(title, pattern),
                snippet(terms, sapo, body, pattern),
            )
        )
    return hits
