"""Article text to sparse TF-IDF rows, fast enough for the ingest path.

Words are syllables: runs of letters and digits after lowercasing. Syllable
pairs (bigrams) stand in for Vietnamese words ("thể thao", "chứng khoán")
without a segmenter. Both are hashed into fixed tables (unigrams into
``2**(bits-2)`` columns, bigrams into ``2**bits`` more), so no vocabulary is
kept or looked up.

Nothing here loops over words in Python: a batch of texts becomes one UTF-8
buffer, and numpy finds the words and hashes each one from the 8-byte words
at its start (and end, when longer than 16 bytes). In UTF-8 every byte below
0x80 is a whole ASCII character, so one 256-entry table turns ASCII
punctuation into spaces without touching the bytes of Vietnamese letters.
Non-ASCII punctuation glued to a word (“quoted”) stays part of it: splitting
it off cost time and changed no score on VNTC.

``lead_counts`` also counts a text's first words (the title and the start of
the lead) on their own, from the same hashes salted into other columns: a
headline word then weighs more than the same word deep in the body.
"""

from __future__ import annotations

import unicodedata
from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
import numpy.typing as npt
import scipy.sparse as sp  # type: ignore[import-untyped]

U64 = npt.NDArray[np.uint64]
I64 = npt.NDArray[np.int64]
F32 = npt.NDArray[np.float32]

MAX_CHARS = 20_000  # of one text: more than any article; a runaway page costs no more
_CHUNK = 1024  # texts hashed and counted together
_KEEP = set(range(0x30, 0x3A)) | set(range(0x61, 0x7B)) | set(range(0x80, 0x100))
_BYTE_TABLE = bytes(b if b in _KEEP else 0x20 for b in range(256))
_PAD = b" " * 16  # lets the last word read 16 bytes past its start
_MASKS = np.array([(1 << (8 * k)) - 1 for k in range(8)] + [2**64 - 1], dtype=np.uint64)
_K1, _K2 = np.uint64(0x9E3779B97F4A7C15), np.uint64(0xC2B2AE3D27D4EB4F)
_K3 = np.uint64(0x165667B19E3779F9)
_SALT = np.uint64(0x27D4EB2F165667C5)


def width(bits: int) -> int:
    """Columns of a feature row: the unigram table, then the bigram table."""
    return (1 << (bits - 2)) + (1 << bits)


def term_counts(texts: Sequence[str], bits: int) -> sp.csr_matrix:
    """How often each hashed unigram and bigram occurs in each text."""
    return _stack([_counts(texts[i : i + _CHUNK], bits, 0)[0] for i in _chunks(texts)], bits)


def lead_counts(texts: Sequence[str], bits: int, lead_words: int) -> Counts:
    """``term_counts`` of each text, and of its first ``lead_words`` words (title, lead) alone.

    One pass: the lead's words are the same hashes, salted into other columns.
    """
    if lead_words < 1:
        raise ValueError("lead_words must be at least 1")
    parts = [_counts(texts[i : i + _CHUNK], bits, lead_words) for i in _chunks(texts)]
    return Counts(_stack([p[0] for p in parts], bits), _stack([p[-1] for p in parts], bits))


@dataclass(frozen=True)
class Counts:
    """Term counts of whole texts and of their leads, row for row."""

    whole: sp.csr_matrix
    lead: sp.csr_matrix

    def take(self, rows: npt.ArrayLike) -> Counts:
        return Counts(self.whole[rows], self.lead[rows])

    def words_per_text(self) -> I64:
        found: I64 = np.diff(self.whole.indptr)
        return found

    def idf(self) -> F32:
        """IDF over both parts: a lead column's document frequency counts leads only."""
        return idf_of(self.whole + self.lead)

    def rows(self, idf: F32, lead_weight: float) -> sp.csr_matrix:
        """The model input: unit TF-IDF of the whole text plus ``lead_weight`` times the lead's."""
        whole = tfidf(self.whole, idf)
        return whole + np.float32(lead_weight) * tfidf(self.lead, idf) if lead_weight else whole


def stack_counts(parts: Sequence[Counts], bits: int) -> Counts:
    return Counts(_stack([p.whole for p in parts], bits), _stack([p.lead for p in parts], bits))


def _chunks(texts: Sequence[str]) -> range:
    return range(0, len(texts), _CHUNK)


def _stack(parts: list[sp.csr_matrix], bits: int) -> sp.csr_matrix:
    if not parts:
        return sp.csr_matrix((0, width(bits)), dtype=np.float32)
    return parts[0] if len(parts) == 1 else sp.vstack(parts, format="csr")


def idf_of(counts: sp.csr_matrix) -> F32:
    """Smoothed inverse document frequency per column (as scikit-learn's TfidfTransformer)."""
    df = np.bincount(counts.indices, minlength=counts.shape[1])
    idf: F32 = (np.log((1 + counts.shape[0]) / (1 + df)) + 1).astype(np.float32)
    return idf


def tfidf(counts: sp.csr_matrix, idf: F32) -> sp.csr_matrix:
    """Sublinear TF times IDF, each row scaled to unit length (empty rows stay empty)."""
    data = (np.float32(1) + np.log(counts.data)) * idf[counts.indices]
    row = np.repeat(np.arange(counts.shape[0]), np.diff(counts.indptr))
    norms = np.sqrt(np.bincount(row, weights=data * data, minlength=counts.shape[0]))
    norms[norms == 0] = 1.0
    data = (data / norms[row]).astype(np.float32)
    return sp.csr_matrix((data, counts.indices, counts.indptr), shape=counts.shape)


def word_hashes(texts: Sequence[str]) -> tuple[U64, I64]:
    """A 64-bit hash per word of the texts, in reading order, and the text it is in."""
    if not texts:
        return np.zeros(0, np.uint64), np.zeros(0, np.int64)
    parts = [
        unicodedata.normalize("NFC", t[:MAX_CHARS]).lower().encode("utf-8", "replace")
        for t in texts
    ]
    blob = b" ".join(parts).translate(_BYTE_TABLE) + _PAD
    is_word = (np.frombuffer(blob, np.uint8) != 0x20).view(np.int8)
    edges = np.flatnonzero(np.diff(is_word, prepend=np.int8(0)))
    starts, ends = edges[0::2], edges[1::2]  # the padding closes the last word
    starts, ends = _drop_lone_symbols(blob, starts, ends)
    # Every byte offset seen as a little-endian 8-byte integer: no copy, no alignment.
    eights = np.ndarray((len(blob) - 7,), dtype="<u8", buffer=blob, strides=(1,))
    size = ends - starts
    head = eights[starts] & _MASKS[np.minimum(size, 8)]
    rest = eights[starts + 8] & _MASKS[np.clip(size - 8, 0, 8)]
    hashes = head * _K1 + _mix(rest + size.astype(np.uint64)) * _K3
    long = np.flatnonzero(size > 16)
    hashes[long] += eights[ends[long] - 8]
    offsets = np.cumsum([0] + [len(p) + 1 for p in parts[:-1]])
    per_text = np.diff(np.append(np.searchsorted(starts, offsets), len(starts)))
    return _mix(hashes), np.repeat(np.arange(len(texts), dtype=np.int64), per_text)


def _drop_lone_symbols(blob: bytes, starts: I64, ends: I64) -> tuple[I64, I64]:
    """Leave out one-character "words" that are punctuation or symbols ("—", "…", "«").

    Non-ASCII bytes are kept as letters; these lead bytes start the blocks of
    punctuation and symbols (U+0080-U+00BF, U+2000-U+2FFF, U+F000-U+FFFF).
    """
    lead = np.frombuffer(blob, np.uint8)[starts]
    size = ends - starts
    lone = ((size == 2) & (lead == 0xC2)) | ((size == 3) & ((lead == 0xE2) | (lead == 0xEF)))
    keep = ~lone
    return starts[keep], ends[keep]


def _mix(x: U64) -> U64:
    """A 64-bit finalizer (xor-shift, multiply): every input bit reaches the top bits."""
    x = x ^ (x >> np.uint64(31))
    x = x * _K2
    return x ^ (x >> np.uint64(29))


def _counts(texts: Sequence[str], bits: int, lead_words: int) -> tuple[sp.csr_matrix, ...]:
    """The whole text's counts, then (when ``lead_words``) those of its first words alone."""
    hashes, doc = word_hashes(texts)
    whole = _tally(hashes, doc, len(texts), bits)
    if not lead_words:
        return (whole,)
    first = np.searchsorted(doc, np.arange(len(texts)))
    lead = np.arange(len(doc)) - first[doc] < lead_words
    # Salted, the lead's words land in columns of their own, apart from the same words in the body.
    return whole, _tally(_mix(hashes[lead] ^ _SALT), doc[lead], len(texts), bits)


def _tally(hashes: U64, doc: I64, n_texts: int, bits: int) -> sp.csr_matrix:
    n_uni = 1 << (bits - 2)
    pair = doc[1:] == doc[:-1]
    pair_hashes = _mix(hashes[:-1][pair] * _K1 ^ hashes[1:][pair])
    cols = np.concatenate(
        [
            (hashes >> np.uint64(66 - bits)).astype(np.int64),
            (pair_hashes >> np.uint64(64 - bits)).astype(np.int64) + n_uni,
        ]
    )
    rows = np.concatenate([doc, doc[:-1][pair]])
    cols_per_row = width(bits)
    # One sort of (row, column) keys counts the repeats, rows and columns in order.
    keys = np.sort(rows * cols_per_row + cols)
    first = np.ones(len(keys), bool)
    np.not_equal(keys[1:], keys[:-1], out=first[1:])
    starts = np.flatnonzero(first)
    tally = np.diff(np.append(starts, len(keys))).astype(np.float32)
    row, col = np.divmod(keys[starts], cols_per_row)
    indptr = np.zeros(n_texts + 1, np.int32)  # a chunk holds far fewer than 2**31 terms
    np.cumsum(np.bincount(row, minlength=n_texts), out=indptr[1:])
    shape = (n_texts, cols_per_row)
    return sp.csr_matrix((tally, col.astype(np.int32), indptr), shape=shape)
