"""A reader's query as plain words: nothing the reader types is ever search syntax.

Quotes, ``*``, ``NEAR``, ``OR``, parentheses and SQL fragments are either
dropped as punctuation or searched for as ordinary words; each word is then
quoted as an FTS5 string or a tsquery lexeme by the engine code.
"""

from __future__ import annotations

from dataclasses import dataclass

from diemtin.search.document import MAX_WORD_CHARS, accented, exact_words, quote_lexeme
from diemtin.text import fold, words

MAX_QUERY_CHARS = 500
# Enough for a whole headline (p99 of real titles is 21 words, but 16 words
# already single one out) while keeping the AND of terms cheap.
MAX_TERMS = 16


class SearchError(ValueError):
    """A query or option we refuse with a reason for the reader (the web answers 400)."""

    def __init__(self, code: str, message: str) -> None:
        super().__init__(message)
        self.code = code
        self.message = message


@dataclass(frozen=True)
class ParsedQuery:
    terms: list[str]  # folded words, AND-ed
    exact: list[str]  # the accented words as typed, canonical spelling
    dropped: int  # words beyond MAX_TERMS or longer than MAX_WORD_CHARS

    @property
    def empty(self) -> bool:
        return not self.terms


def parse_query(raw: str) -> ParsedQuery:
    if len(raw) > MAX_QUERY_CHARS:
        raise SearchError(
            "too_long",
            f"Câu tìm kiếm dài {len(raw)} ký tự, quá giới hạn {MAX_QUERY_CHARS}; hãy rút gọn.",
        )
    every = list(dict.fromkeys(words(raw)))
    usable = [w for w in every if len(w) <= MAX_WORD_CHARS]
    terms = usable[:MAX_TERMS]
    kept = set(terms)
    # An accented word counts for the boost only if its folded form is searched.
    exact = [w for w in accented(exact_words(raw)) if fold(w) in kept]
    return ParsedQuery(terms=terms, exact=exact, dropped=len(every) - len(terms))


def fts5_match(words: list[str], *, last_prefix: bool = False) -> str:
    """An FTS5 expression: each word a quoted string, all of them required."""
    quoted = ['"' + w.replace('"', '""') + '"' for w in words]
    if last_prefix and quoted:
        quoted[-1] += "*"
    return " AND ".join(quoted)


def tsquery_literal(words: list[str], *, last_prefix: bool = False) -> str:
    """A tsquery in PostgreSQL's input syntax: quoted lexemes joined by ``&``."""
    quoted = [quote_lexeme(w) for w in words]
    if last_prefix and quoted:
        quoted[-1] += ":*"
    return " & ".join(quoted)
