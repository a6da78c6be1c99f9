"""What the index holds for one article, computed in Python so both engines see the same words.

Folded words come from ``diemtin.text.words`` (đ → d, no tone marks, so tone
placement cannot matter); exact words keep the accents of the canonical
spelling (``normalize``) and only serve to rank exact-accent matches first.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable
from dataclasses import dataclass
from typing import NamedTuple

from diemtin.text import fold, normalize, words

# Longer "words" are hashes, URLs glued together or garbage; the query side drops
# them too, so nobody can search for one and the index stays lean.
MAX_WORD_CHARS = 48
# A body's first 20,000 words: far beyond any news article, and it keeps a
# PostgreSQL tsvector well under its 1 MB limit whatever a page holds.
MAX_BODY_WORDS = 20_000

_WORD = re.compile(r"[^\W_]+")
# ASCII bytes: letters lowercased, digits kept, everything else a space.
_ASCII_TABLE = bytes(c + 32 if 65 <= c <= 90 else c if chr(c).isalnum() else 32 for c in range(256))


def _char_classes() -> tuple[str, str]:
    """(characters that separate words, characters the fast path cannot take), as regex sets.

    Each character is classed by what ``words`` itself does with it between two
    letters, so the fast path below yields exactly the words ``words`` would.
    """
    separators, unsupported = [], []
    for code in range(0x2100):
        char = chr(code)
        seen = words(f"a{char}b")
        if seen == ["a", "b"]:
            if not char.isascii():
                separators.append(char)
            continue
        ascii_only = unicodedata.normalize("NFD", char).encode("ascii", "ignore").decode().lower()
        dropped_or_folded = ascii_only == fold(char) and seen == [f"a{ascii_only}b"]
        if not dropped_or_folded or (char.isascii() and not char.isalnum()):
            unsupported.append(char)
    unsupported.append("\u2100-\U0010ffff")
    return f"[{_escape(separators)}]", f"[{_escape(unsupported)}]"


def _escape(chars: list[str]) -> str:
    return "".join(re.escape(c) if len(c) == 1 else c for c in chars)


_SEPARATORS, _UNSUPPORTED = (re.compile(c) for c in _char_classes())


def folded_words(text: str) -> list[str]:
    """``words(text)`` without the over-long ones; a fast path for the usual text.

    Bodies are most of the indexing work: when every character is ASCII, a
    separator, a combining mark or a letter that NFD splits into an ASCII letter
    and marks (all of Vietnamese once đ is spelled d), dropping the non-ASCII
    bytes after NFD folds the text at C speed.
    """
    text = text.replace("đ", "d").replace("Đ", "D")
    if _UNSUPPORTED.search(text):
        found = words(text)
    else:
        spaced = unicodedata.normalize("NFD", _SEPARATORS.sub(" ", text))
        ascii_bytes = spaced.encode("ascii", "ignore").translate(_ASCII_TABLE)
        found = ascii_bytes.decode("ascii").split()
    if found and max(map(len, found)) > MAX_WORD_CHARS:
        return [w for w in found if len(w) <= MAX_WORD_CHARS]
    return found


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
        body=folded_words(body_text)[:MAX_BODY_WORDS],
        exact=accented(exact_words(f"{title}\n{sapo}")),
    )


class Words(NamedTuple):
    """A document's words joined by single spaces: what the index writes, and cheap to send
    from a worker process (four strings rather than lists of hundreds)."""

    title: str
    sapo: str
    body: str
    exact: str


def joined(doc: Document) -> Words:
    return Words(" ".join(doc.title), " ".join(doc.sapo), " ".join(doc.body), " ".join(doc.exact))


def tsvector_literal(words_: Iterable[str]) -> str:
    """A position-less tsvector in PostgreSQL's input syntax, one lexeme per distinct word.

    Built here rather than by ``to_tsvector`` so PostgreSQL's parser (which
    reads "TP.HCM" as a host name and "1.000" as a number) cannot split words
    differently from the query side.
    """
    return " ".join(quote_lexeme(w) for w in dict.fromkeys(words_))


def quote_lexeme(word: str) -> str:
    return "'" + word.replace("\\", "\\\\").replace("'", "''") + "'"
