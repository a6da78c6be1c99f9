"""What grouping keeps of an article, in a form the store can save as bytes.

Rebuilding the grouper from stored signatures reads no article text at all.
"""

from __future__ import annotations

import struct
from array import array
from collections import Counter
from dataclasses import dataclass

from diemtin.dedupe import minhash
from diemtin.dedupe.terms import content, shingles, tokens

FORMAT = 2
TITLE_CHARS = 400
# Counted twice: the title states the story in the fewest words.
TITLE_REPEAT = 2
# Reprints share their opening; enough of it to tell them from a rewrite.
SHINGLE_TOKENS = 100
_HEADER = struct.Struct("<BHII")  # format, permutations, terms, title terms
# Between words in the stored bytes; tokenizing turns it into a space, so no
# token ever holds it.
_SEP = b"\x1f"
_MAX_COUNT = 0xFFFF


@dataclass(frozen=True, slots=True)
class Signature:
    minhash: array[int]  # of three-syllable shingles, for near-duplicates; empty if too short
    terms: dict[bytes, int]  # content syllable (UTF-8) -> count, the title's included
    title: tuple[bytes, ...]  # the title's content syllables

    @property
    def empty(self) -> bool:
        return not self.terms

    def to_bytes(self) -> bytes:
        """Header, minhash, term counts, then the words: no JSON, it cost more than grouping."""
        head = _HEADER.pack(FORMAT, len(self.minhash), len(self.terms), len(self.title))
        counts = array("H", (min(c, _MAX_COUNT) for c in self.terms.values()))
        words = _SEP.join((*self.terms, *self.title))
        return head + self.minhash.tobytes() + counts.tobytes() + words

    @classmethod
    def from_bytes(cls, data: bytes) -> Signature:
        """The signature saved by ``to_bytes``; ValueError for another format or damage."""
        try:
            version, num_perm, n_terms, n_title = _HEADER.unpack_from(data)
        except struct.error as exc:
            raise ValueError("signature too short") from exc
        if version != FORMAT:
            raise ValueError(f"signature format {version}, expected {FORMAT}")
        sig, counts = array("I"), array("H")
        at = _HEADER.size + 4 * num_perm
        sig.frombytes(data[_HEADER.size : at])
        counts.frombytes(data[at : at + 2 * n_terms])
        words = data[at + 2 * n_terms :].split(_SEP) if n_terms + n_title else []
        if len(sig) != num_perm or len(counts) != n_terms or len(words) != n_terms + n_title:
            raise ValueError("signature damaged")
        return cls(sig, dict(zip(words, counts, strict=False)), tuple(words[n_terms:]))


def compute(title: str, text: str, *, num_perm: int, lead_chars: int) -> Signature:
    head = tokens(title, TITLE_CHARS)
    body = tokens(text, lead_chars)
    title_terms = content(head)
    counts = Counter(content(body))
    for term in title_terms:
        counts[term] += TITLE_REPEAT
    units = shingles((head + body)[:SHINGLE_TOKENS])
    return Signature(
        minhash=minhash.signature(units, num_perm) if len(units) > 1 else array("I"),
        terms=dict(counts),
        title=tuple(dict.fromkeys(title_terms)),
    )
