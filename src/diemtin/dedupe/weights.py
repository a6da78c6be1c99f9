"""TF-IDF over the docs a grouper keeps, with numpy: term ids, frequencies, cosines.

Each doc keeps its term frequencies beside its weights, so the weights can be
worked out again as the document frequencies grow: the first articles of a
fresh grouper were weighed against almost nothing.
"""

from __future__ import annotations

import math
from collections.abc import Collection, Sequence
from dataclasses import dataclass, field

import numpy as np
import numpy.typing as npt

Ids = npt.NDArray[np.int32]
Counts = npt.NDArray[np.uint8]
Floats = npt.NDArray[np.float32]
Dots = npt.NDArray[np.float32]

# 1 + log(count): a term said ten times is not ten times the evidence.
_SUBLINEAR = np.concatenate(([0.0], 1.0 + np.log(np.arange(1, 64)))).astype(np.float32)
_EMPTY = np.zeros(0, dtype=np.float32)


@dataclass(slots=True)
class Vector:
    """A doc's distinct terms as ids, their counts and unit TF-IDF weights.

    Kept compact (4 + 1 + 4 bytes a term): a grouper holds tens of thousands.
    """

    ids: Ids
    counts: Counts  # capped at 63
    weights: Floats = field(default_factory=lambda: _EMPTY)
    weighed_at: int = 0  # how many docs the frequencies counted when it was weighed


class TermTable:
    """How many kept docs hold each term, by a hash of the term.

    Terms are hashed into a fixed table rather than numbered through a growing
    vocabulary: one cheap pass per doc and bounded memory. The rare collision
    only blurs two terms' frequencies. ``hash()`` varies between processes,
    which is fine: the table lives in memory, signatures store the terms.
    """

    def __init__(self, bits: int = 21) -> None:
        self._mask = (1 << bits) - 1
        self._df = np.zeros(1 << bits, dtype=np.int32)
        # a query's weights by id; zero between uses
        self._scratch = np.zeros(1 << bits, dtype=np.float32)
        self.docs = 0

    def ids(self, terms: Collection[bytes]) -> Ids:
        hashed = np.fromiter(map(hash, terms), np.int64, len(terms)) & self._mask
        return hashed.astype(np.int32)

    def vector(self, counts: dict[bytes, int]) -> Vector:
        capped = np.minimum(np.fromiter(counts.values(), np.int64, len(counts)), 63)
        return Vector(self.ids(counts), capped.astype(np.uint8))

    def add(self, vector: Vector) -> None:
        """Count a doc's distinct terms."""
        self._df[vector.ids] += 1  # a collision inside one doc counts once: harmless
        self.docs += 1

    def remove(self, vector: Vector) -> None:
        self._df[vector.ids] -= 1
        self.docs -= 1

    def weigh(self, vector: Vector) -> None:
        """Unit TF-IDF weights with today's frequencies; IDF smoothed, log((n+2)/(df+1)) + 1."""
        # in place and in float32 throughout: each numpy step on a short vector costs more
        # in overhead than in arithmetic
        weights = np.log1p(self._df[vector.ids], dtype=np.float32)
        np.subtract(math.log(self.docs + 2) + 1.0, weights, out=weights)
        weights *= _SUBLINEAR[vector.counts]
        norm = float(weights @ weights)
        if norm:
            weights *= np.float32(1.0 / math.sqrt(norm))
        vector.weights = weights
        vector.weighed_at = self.docs

    def cosines(self, query: Vector, others: Sequence[Vector]) -> Dots:
        """The query's cosine with each of the others, in one pass over all of them.

        A vector weighed when the table knew less than half of today's docs is
        weighed again first: early frequencies say little.
        """
        if not others:
            return np.zeros(0, dtype=np.float32)
        for other in others:
            if other.weighed_at * 2 < self.docs:
                self.weigh(other)
        ids = np.concatenate([o.ids for o in others])
        weights = np.concatenate([o.weights for o in others])
        starts = np.fromiter(_starts(others), np.int64, len(others))
        scratch = self._scratch
        scratch[query.ids] = query.weights
        dots = np.add.reduceat(scratch[ids] * weights, starts)
        scratch[query.ids] = 0.0
        return dots


def _starts(vectors: Sequence[Vector]) -> list[int]:
    out, at = [], 0
    for v in vectors:
        out.append(at)
        at += len(v.ids)
    return out
