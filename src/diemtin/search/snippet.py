"""Highlighted snippets: HTML-escaped text with the matched words in ``<mark>``.

Matching runs on a same-length folded copy of the text (one character for one
character), so a match's offsets are valid in the original and the reader sees
the words as the publisher spelled them.
"""

from __future__ import annotations

import html
import re
from collections.abc import Sequence
from dataclasses import dataclass

from diemtin.text import fold

SNIPPET_CHARS = 220
LEAD_CHARS = 50  # context kept before the first match of the window
# Only the start of a long body is scanned (news puts the point up front): it
# bounds the work per hit. Folding and matching 5,000 characters made snippets
# half of a search's time on PostgreSQL at the 95th percentile.
SCAN_CHARS = 2_000


def _fold_table() -> list[str]:
    # Every code point up to the general punctuation has an entry, itself where
    # nothing changes: a missing one costs str.translate an exception. A list
    # is indexed faster than a dict is hashed, and most characters are looked up.
    table: list[str] = []
    for code in range(_TABLE_END):
        folded = fold(chr(code)) if code in _FOLDED_RANGE else ""
        table.append(folded if len(folded) == 1 else chr(code))
    return table


_TABLE_END = 0x2100
_FOLDED_RANGE = frozenset((*range(0x41, 0x5B), *range(0xC0, 0x250), *range(0x1E00, 0x1F00)))
_FOLD_TABLE = _fold_table()


def fold_same_length(text: str) -> str:
    """Lowercase, accentless, đ → d, and exactly as long as ``text``."""
    return text.translate(_FOLD_TABLE)


def matcher(terms: Sequence[str]) -> re.Pattern[str] | None:
    if not terms:
        return None
    alternatives = "|".join(re.escape(t) for t in sorted(terms, key=len, reverse=True))
    # No look-behind in front: the regex engine then skips ahead on the terms'
    # first letters, twice as fast; _matches checks the start of the word. (A
    # look-behind after each term would match as fast but compile 4 times slower,
    # and a query compiles its pattern once.)
    return re.compile(rf"(?:{alternatives})(?![^\W_])")


def _matches(pattern: re.Pattern[str], folded: str) -> list[re.Match[str]]:
    return [
        m
        for m in pattern.finditer(folded)
        if (start := m.start()) == 0 or not folded[start - 1].isalnum()
    ]


def mark(text: str, pattern: re.Pattern[str] | None) -> str:
    """``text`` escaped for HTML, each match wrapped in <mark>."""
    if pattern is None:
        return html.escape(text)
    out: list[str] = []
    done = 0
    for m in _matches(pattern, fold_same_length(text)):
        start, end = m.span()
        out += (html.escape(text[done:start]), "<mark>", html.escape(text[start:end]), "</mark>")
        done = end
    out.append(html.escape(text[done:]))
    return "".join(out)


@dataclass(frozen=True)
class _Window:
    distinct: int
    start: int


def _best_window(folded: str, pattern: re.Pattern[str]) -> _Window | None:
    """The match that starts the window holding the most distinct terms (earliest wins)."""
    found = [(m.start(), m.group()) for m in _matches(pattern, folded)]
    span = SNIPPET_CHARS - LEAD_CHARS
    counts: dict[str, int] = {}
    best: _Window | None = None
    ahead = 0  # matches before this index are in counts
    for start, term in found:
        while ahead < len(found) and found[ahead][0] < start + span:
            counts[found[ahead][1]] = counts.get(found[ahead][1], 0) + 1
            ahead += 1
        if best is None or len(counts) > best.distinct:
            best = _Window(len(counts), start)
        counts[term] -= 1
        if not counts[term]:
            del counts[term]
    return best


def _cut(text: str, start: int) -> str:
    """About SNIPPET_CHARS of ``text`` from near ``start``, cut at spaces, with ellipses."""
    if start > 0:
        space = text.find(" ", start, start + 20)
        start = space + 1 if space >= 0 else start
    end = start + SNIPPET_CHARS
    if end < len(text):
        space = text.rfind(" ", start, end)
        end = space if space > start else end
    piece = text[start:end].strip()
    return ("…" if start > 0 else "") + piece + ("…" if end < len(text) else "")


def snippet(
    terms: Sequence[str], sapo: str, body: str, pattern: re.Pattern[str] | None = None
) -> str:
    """The passage of sapo or body that best shows the terms, as safe HTML.

    ``pattern`` is ``matcher(terms)``, made once for a page of hits.
    """
    pattern = pattern or matcher(terms)
    fields = [f for f in (sapo, body[:SCAN_CHARS]) if f.strip()]
    if not fields:
        return ""
    chosen, start = fields[0], 0
    if pattern is not None:
        best_distinct = 0
        for field in fields:
            if best_distinct == len(set(terms)):
                break  # the sapo shows every term: no need to read the body
            window = _best_window(fold_same_length(field), pattern)
            if window is not None and window.distinct > best_distinct:
                chosen, best_distinct = field, window.distinct
                start = max(0, window.start - LEAD_CHARS)
    return mark(_cut(chosen, start), pattern)
