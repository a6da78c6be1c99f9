"""Shingle scoring of extracted article bodies, as the public article-extraction benchmark does.

Each text is cut into ``\\w+`` tokens and then into overlapping 4-token shingles
(a text shorter than 4 tokens is one shingle). Per page, matched / extra / missing
shingle counts are normalised to sum to 1 so that long pages weigh no more than
short ones; precision and recall are averaged over pages, and F1 comes from the
two averages. Shared by ``bench/extraction.py`` and the quality-gate test.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass
from statistics import mean
from typing import TYPE_CHECKING

from diemtin.model import BlockKind

if TYPE_CHECKING:
    from diemtin.extract.article import Extraction

_TOKEN = re.compile(r"\w+")
SHINGLE = 4


@dataclass(frozen=True, slots=True)
class PageScore:
    """Normalised true positive, false positive and false negative shingle shares of one page."""

    tp: float
    fp: float
    fn: float

    @property
    def precision(self) -> float:
        if self.fp == self.fn == 0:
            return 1.0
        if self.tp == self.fp == 0:
            return 0.0
        return self.tp / (self.tp + self.fp)

    @property
    def recall(self) -> float:
        if self.fp == self.fn == 0:
            return 1.0
        if self.tp == self.fn == 0:
            return 0.0
        return self.tp / (self.tp + self.fn)


@dataclass(frozen=True, slots=True)
class Score:
    precision: float
    recall: float
    f1: float
    pages: int


def article_text(result: Extraction) -> str:
    """What diemtin is scored on: the lead when the page shows it, then every text block.

    Figure captions are left out: we keep them apart (``Figure.caption``), and the
    benchmark's ground truth leaves them out of the article body as well.
    """
    article = result.article
    parts = [article.sapo] if result.lead_in_page and article.sapo else []
    for block in article.blocks:
        if block.kind is BlockKind.LIST:
            parts.extend(block.items)
        elif block.kind is not BlockKind.FIGURE and block.text:
            parts.append(block.text)
    return "\n".join(parts)


def shingles(text: str, n: int = SHINGLE) -> Counter[tuple[str, ...]]:
    tokens = _TOKEN.findall(text or "")
    if not tokens:
        return Counter()
    if len(tokens) < n:
        return Counter([tuple(tokens)])
    return Counter(tuple(tokens[i : i + n]) for i in range(len(tokens) - n + 1))


def score_page(true: str, pred: str) -> PageScore:
    expected, got = shingles(true), shingles(pred)
    tp = float(sum((expected & got).values()))
    fp = float(sum((got - expected).values()))
    fn = float(sum((expected - got).values()))
    total = tp + fp + fn
    if total == 0:
        return PageScore(0.0, 0.0, 0.0)
    return PageScore(tp / total, fp / total, fn / total)


def aggregate(pages: Iterable[PageScore]) -> Score:
    """Precision averaged over pages that predicted text, recall over pages that expect some."""
    scored = list(pages)
    precisions = [p.precision for p in scored if p.tp + p.fp > 0]
    recalls = [p.recall for p in scored if p.tp + p.fn > 0]
    precision = mean(precisions) if precisions else 0.0
    recall = mean(recalls) if recalls else 0.0
    f1 = 2 * precision * recall / (precision + recall) if precision + recall else 0.0
    return Score(precision=precision, recall=recall, f1=f1, pages=len(scored))
