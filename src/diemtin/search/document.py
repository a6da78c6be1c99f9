"""What the index holds for one article, computed in Python so both engines see the same words.

Folded words come from ``diemtin.text.words`` (đ → d, no tone marks, so tone
placement cannot matter); exact words keep the accents of the canonical
spelling (``normalize``) and only serve to rank exact-accent matches first.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass

from diemtin.text import normalize, words

# Longer "words" are hashes, URLs glued together or garbage; the query side drops
# them too, so nobody can search for one and the index stays lean.
MAX_WORD_CHARS = 48

_WORD = re.compile(r"[^\W_]+")


def folded_words(text: str) -> list[str]:
    return [w for w in words(text) if len(w) <= MAX_WORD_CHARS]


def exact_words(text: str) -> list[str]:
    """Lowercase canonical-spelling words; ``normalize`` puts tone marks in one place."""
    return [w for w in _WORD.findall(normalize(text).lower()) if len(w) <= MAX_WORD_CHARS]


def accented(words_: Iterable[str]) -> list[str]:
    """The words that differ from their folded form, first occurrence order, no repeats."""
    seen: dict[str, None] = {}
    for word in words_:
        if not word.isascii() and word not in seen:
            seen[word] = None
    return list(seen)


@dataclass(frozen=True)
class Document:
    title: list[str]
    sapo: list[str]
    body: list[str]
    exact: list[str]  # accented words of title and sapo, for the exact-accent boost


def document(title: str, sapo: str, body_text: str) -> Document:
    return Document(
        title=folded_words(title),
        sapo=folded_words(sapo),
        body=folded_words(body_text),
        exact=accented(exact_words(f"{title}\n{sapo}")),
    )


def tsvector_literal(words_: Iterable[str]) -> str:
    """A position-less tsvector in PostgreSQL's input syntax, one lexeme per distinct word.

    Built here rather than by ``to_tsvector`` so PostgreSQL's parser (which
    reads "TP.HCM" as a host name and "1.000" as a number) cannot split words
    differently from the query side.
    """
    return " ".join(quote_lexeme(w) for w in dict.fromkeys(words_))


def quote_lexeme(word: str) -> str:
    return "'" + word.replace("\\", "\\\\").replace("'", "''") + "'"
