"""BM25 per field (title, sapo) summed with weights, a freshness bonus, exact accents first. Pure.

Each field saturates on its own, so a word in the title always outweighs the
same word in a short sapo, and freshness only reorders comparable matches.
Every candidate holds every term somewhere; a term absent from title and sapo
is therefore in the body, which counts as one weak occurrence (the body's own
term counts are not kept: they would cost a read of every body to rank).
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from operator import itemgetter
from typing import NamedTuple

from diemtin.search.retrieval import Candidate

K1 = 1.2
B = 0.75
TITLE_WEIGHT = 1.0
SAPO_WEIGHT = 0.4
BODY_WEIGHT = 0.15
AVERAGE_TITLE = 14.0  # words, typical of Vietnamese headlines
AVERAGE_SAPO = 40.0
# A syllable in half the articles ("la", "cua", "nguoi") hardly narrows a query
# but is the longest posting list to read: with MIN_DISTINCTIVE rarer words
# present, it is not required (it still counts for ranking).
COMMON_SHARE = 0.5
MIN_DISTINCTIVE = 3
RECENCY_WEIGHT = 0.5
RECENCY_HALF_LIFE = 7 * 86400.0  # seconds: the freshness bonus halves after a week


class Scored(NamedTuple):  # a tuple: one per candidate, hundreds per query
    article_id: int
    score: float
    exact: bool


def idf(holding: int, docs: int) -> float:
    """BM25's inverse document frequency, kept positive for terms in most articles."""
    docs = max(docs, holding)  # counts remembered at different times may disagree
    return math.log(1.0 + (docs - holding + 0.5) / (holding + 0.5))


def _saturated(count: int, norm: float) -> float:
    """BM25's term-frequency part: 0 for none, 1 for one at average length, at most K1 + 1."""
    weighted = count / norm
    return weighted * (K1 + 1.0) / (K1 + weighted)


def relevance(terms: Sequence[str], idfs: dict[str, float], title: str, sapo: str) -> float:
    """``title`` and ``sapo`` are folded words joined by single spaces, as stored."""
    return _relevance(_in_body(terms, idfs), _keys(idfs), title, sapo)


def _in_body(terms: Sequence[str], idfs: dict[str, float]) -> float:
    """Every candidate holds every term, in the body at least: the same base for all."""
    return BODY_WEIGHT * sum(idfs[t] for t in terms)


def _keys(idfs: dict[str, float]) -> list[tuple[str, float]]:
    """(" term ", its idf): what ``_relevance`` counts in a field, made once per query."""
    return [(f" {term} ", weight) for term, weight in idfs.items()]


def _length(words: str) -> int:
    return words.count(" ") + 1 if words else 0


def _relevance(base: float, keys: list[tuple[str, float]], title: str, sapo: str) -> float:
    # Counted in the stored strings rather than split into lists: hundreds of
    # candidates per query, and the lists alone cost more than the counting.
    # Doubled spaces give every word its own spaces on both sides, so " term "
    # counts a repeated word ("từ từ") twice.
    padded_title = f" {title.replace(' ', '  ')} "
    padded_sapo = f" {sapo.replace(' ', '  ')} "
    score = base
    title_norm = sapo_norm = 0.0
    for key, weight in keys:
        in_title = padded_title.count(key)
        in_sapo = padded_sapo.count(key)
        if in_title or in_sapo:
            if not title_norm:
                title_norm = 1.0 - B + B * _length(title) / AVERAGE_TITLE
                sapo_norm = 1.0 - B + B * _length(sapo) / AVERAGE_SAPO
            fields = TITLE_WEIGHT * _saturated(in_title, title_norm)
            fields += SAPO_WEIGHT * _saturated(in_sapo, sapo_norm)
            score += weight * (fields - BODY_WEIGHT)
    return score


def required(terms: Sequence[str], counts: dict[str, int], docs: int) -> list[str]:
    """The terms every match must hold: all, or the distinctive ones when there are enough."""
    distinctive = [t for t in terms if counts.get(t, 0) < COMMON_SHARE * docs]
    return distinctive if len(distinctive) >= MIN_DISTINCTIVE else list(terms)


def freshness(published_at: int | None, now: int) -> float:
    """1 + RECENCY_WEIGHT for an article published now, halving per week; 1 when undated."""
    if published_at is None:
        return 1.0
    age = max(0, now - published_at)
    return 1.0 + RECENCY_WEIGHT * RECENCY_HALF_LIFE / (RECENCY_HALF_LIFE + age)


def rank(
    found: Sequence[Candidate],
    terms: Sequence[str],
    exact: Sequence[str],
    counts: dict[str, int],
    docs: int,
    now: int,
) -> list[Scored]:
    """Best first: exact-accent matches, then relevance times freshness, then newest id."""
    idfs = {t: idf(counts.get(t, 0), docs) for t in terms}
    base, keys = _in_body(terms, idfs), _keys(idfs)
    wanted = set(exact)
    scored = [
        Scored(
            c.article_id,
            _relevance(base, keys, c.title, c.sapo) * freshness(c.published_at, now),
            bool(wanted) and wanted.issubset(c.exact.split()),
        )
        for c in found
    ]
    scored.sort(key=itemgetter(2, 1, 0), reverse=True)  # exact, score, article_id
    return scored
