"""Tin liên quan: the same story's other versions first, then the most similar by content.

Similarity is over Vietnamese words, not syllables: the article being read is
segmented with pyvi ("Thủ_tướng", "giải_ngân"), so "tướng" in one article does
not meet "thủ tướng" in another. Candidates are not segmented (that would cost
a model run each); a word is found in a candidate when its syllables appear
there in a row. Each shared word weighs its rarity in the pool (idf), and the
score is the share of the article's weighted words the candidate holds.
"""

from __future__ import annotations

import math
import re
from array import array
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass
from functools import cached_property, lru_cache
from typing import Any

import numpy as np

from diemtin.rank.model import Ranked

# ASCII and typographic punctuation to spaces: far cheaper than a Unicode regex
_EDGES = "!\"#$%&'()*+,-./:;<=>?@[\\]^_`{|}~“”‘’…–—«»"
_PUNCT = str.maketrans({c: " " for c in "!\"#$%&'()*+,-./:;<=>?@[\\]^_`{|}~“”‘’…–—«»"})
_HAS_LETTER = re.compile(r"[^\W\d_]")
LEAD_CHARS = 1200  # title plus the opening: what a story is about, at a bounded cost
MIN_SCORE = 0.2  # below this a candidate shares only common words
COMMON_SHARE = 0.3  # a word in more of the pool than this says nothing of the topic
MAX_TERMS = 48
MAX_SYLLABLES = 3  # longer words are names the shorter runs already catch
HEAD = 60  # syllables: two articles opening alike over this many are copies
MIN_OPENING = 15  # shorter texts (a feed's one-line summary) prove nothing alike
MAX_CHECKED = 64  # words looked up in the pool: bounds the cost per article
_MIX_INT = 0x5851F42D4C957F2D  # odd: runs of syllables in another order get other keys
_MIX = np.int64(_MIX_INT)
_WRAP = 1 << 63


@dataclass(frozen=True)
class Doc:
    id: int
    title: str
    text: str  # sapo and body; only the lead is read
    published_at: int
    story_id: int | None = None
    dup_key: str = ""  # equal keys: the same article (title key or content hash)
    duplicate_of: int | None = None  # a reprint of this article, as grouping found

    def syllables(self) -> list[str]:
        """The lead's lowercase syllables, punctuation at their edges dropped."""
        return _split(f"{self.title} . {self.text[:LEAD_CHARS]}")

    @cached_property
    def opening(self) -> list[str]:
        """The first syllables of the text, title aside: copies under a new title share them."""
        return _split(self.text[: HEAD * 12])[:HEAD]

    @cached_property
    def grams(self) -> array[int]:
        """Every run of one to three syllables, as the segmenter would join a word, hashed
        (``word_key`` of the run).

        Hashes in an array take 8 bytes a run where a set of strings took ~100: caches
        keep thousands of these. The runs' keys are combined from the syllables' in
        numpy, not joined and hashed as strings: a quarter of the cost, and a page
        compares hundreds of articles it has not seen yet."""
        s = self.syllables()
        one = np.fromiter(map(hash, s), np.int64, len(s))
        with np.errstate(over="ignore"):  # wrapping, as word_key's arithmetic
            two = one[:-1] * _MIX + one[1:]
            three = two[:-1] * _MIX + one[2:]
        return array("q", np.unique(np.concatenate([one, two, three])).tobytes())


def word_key(word: str) -> int:
    """A segmented word's key ("thủ_tướng"), equal to its syllables' run in ``Doc.grams``.

    Python's string hash is fixed within a process, and the keys never leave it."""
    first, *rest = word.split("_")
    key = hash(first)
    for syllable in rest:  # int64 arithmetic that wraps, as numpy's does in Doc.grams
        key = (key * _MIX_INT + hash(syllable) + _WRAP) % (2 * _WRAP) - _WRAP
    return key


def _split(text: str) -> list[str]:
    # stripping each word's edges is several times faster than translating the text
    return [s for w in text.lower().split() if (s := w.strip(_EDGES))]


@lru_cache(maxsize=1)
def _tokenizer() -> Any:
    # pyvi loads its model on import (over a second): only when first needed
    from pyvi import ViTokenizer

    return ViTokenizer


def load_segmenter() -> None:
    """Load the word segmenter now (a serving process calls this at start, in the background),
    so no reader's first article page waits for it."""
    _tokenizer()


def segment(text: str) -> list[str]:
    """Lowercase words, syllables of one word joined by "_"; punctuation and numbers dropped."""
    if not text.strip():
        return []
    tokens = _tokenizer().tokenize(text).split()
    return [t.lower() for t in tokens if _HAS_LETTER.search(t) and t.count("_") < MAX_SYLLABLES]


def flat_words(text: str) -> list[str]:
    """Lowercase syllables with punctuation and numbers dropped: raw syllables, unsegmented."""
    return [w for w in text.lower().translate(_PUNCT).split() if _HAS_LETTER.search(w)]


def weighted_terms(doc: Doc) -> Counter[str]:
    """The article's words; title words count twice."""
    terms = Counter(segment(doc.title))
    terms.update(terms)
    terms.update(segment(doc.text[:LEAD_CHARS]))
    return terms


def similarities(target: Doc, pool: Sequence[Doc]) -> list[tuple[float, list[str]]]:
    """For each pool doc: the share of the target's weighted words it holds, and its best
    shared words (listed only where the share reaches ``MIN_SCORE``: sorting costs)."""
    terms = weighted_terms(target)
    # a word of several syllables says more than a frequent single syllable
    checked = sorted(terms, key=lambda t: -terms[t] * (1 + t.count("_")))[:MAX_CHECKED]
    wanted = {word_key(t): t for t in checked}
    keys = set(wanted)
    hits = [{wanted[h] for h in keys.intersection(d.grams)} for d in pool]
    held: Counter[str] = Counter()
    for found in hits:
        held.update(found)
    n = len(pool)
    weights: dict[str, float] = {}
    for term in checked:
        if n >= 20 and held[term] > COMMON_SHARE * n:
            continue  # too common in the pool to say anything of the topic
        weights[term] = terms[term] * math.log((n + 1) / (held[term] + 0.5))
    top = sorted(weights, key=lambda t: -weights[t])[:MAX_TERMS]
    total = sum(weights[t] for t in top) or 1.0
    best = set(top)
    out: list[tuple[float, list[str]]] = []
    for found in hits:
        shared = found & best
        score = sum(weights[t] for t in shared) / total
        words = sorted(shared, key=lambda t: (-weights[t], t))[:6] if score >= MIN_SCORE else []
        out.append((score, words))
    return out


def _is_duplicate(target: Doc, doc: Doc) -> bool:
    if doc.dup_key and doc.dup_key == target.dup_key:
        return True
    if target.id == doc.duplicate_of or doc.id == target.duplicate_of:
        return True
    return len(target.opening) >= MIN_OPENING and doc.opening == target.opening


def related(target: Doc, pool: Sequence[Doc], n: int) -> list[Ranked]:
    """Same story first, then by similarity; never the article itself, never a copy of it.

    Of several copies of one article (same key), only the newest is kept.
    """
    pool = [d for d in pool if d.id != target.id and not _is_duplicate(target, d)]
    scored = []
    for doc, (score, shared) in zip(pool, similarities(target, pool), strict=True):
        same = target.story_id is not None and doc.story_id == target.story_id
        if same or score >= MIN_SCORE:
            scored.append((same, score, doc, shared))
    scored.sort(key=lambda s: (not s[0], -s[1], -s[2].published_at, -s[2].id))
    seen_keys: set[str] = set()
    out: list[Ranked] = []
    for same, score, doc, shared in sorted(scored, key=lambda s: -s[2].published_at):
        if doc.dup_key and doc.dup_key in seen_keys:
            scored.remove((same, score, doc, shared))  # an older copy of a newer one: stale
        elif doc.dup_key:
            seen_keys.add(doc.dup_key)
    for same, score, doc, shared in scored[:n]:
        why: dict[str, float | int | str] = {
            "block": "related",
            "same_story": int(same),
            "similarity": round(score, 4),
            "shared_words": " ".join(w.replace("_", " ") for w in shared),
            "rank": len(out) + 1,
        }
        out.append(Ranked(doc.id, round(score + (1.0 if same else 0.0), 6), why))
    return out
