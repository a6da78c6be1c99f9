"""MinHash signatures (rensa, in Rust) and a banded LSH index over them.

The index is ours rather than rensa's ``RMinHashLSH`` because it works on
plain signatures: the store keeps them as bytes and rebuilds the index at
startup without re-reading any text, and it can drop what leaves the window.
"""

from __future__ import annotations

import heapq
from array import array
from collections import Counter
from collections.abc import Iterable

from rensa import RMinHash  # type: ignore[import-untyped]

# Part of the stored signature's scheme: a different rensa algorithm means other hashes.
ALGORITHM = f"rensa-r{getattr(RMinHash, 'ALGORITHM_VERSION', 0)}"
_SEED = 20_160_523


def signature(units: Iterable[bytes], num_perm: int) -> array[int]:
    """The MinHash of a set of byte strings; an empty set gets an all-ones signature."""
    items = list(units)
    if not items:
        return array("I", [0xFFFFFFFF] * num_perm)
    sketch = RMinHash(num_perm=num_perm, seed=_SEED)
    sketch.update(items)
    return array("I", sketch.digest())


def similarity(a: array[int], b: array[int]) -> float:
    """Estimated Jaccard similarity: the share of positions where the minima agree."""
    if not a or len(a) != len(b):
        return 0.0
    return sum(x == y for x, y in zip(a, b, strict=True)) / len(a)


def bands_for(threshold: float, num_perm: int) -> int:
    """The band count whose S-curve midpoint (1/b)^(1/r) lies closest to ``threshold``."""
    best, best_gap = 1, 2.0
    for bands in range(1, num_perm + 1):
        if num_perm % bands:
            continue
        rows = num_perm // bands
        gap = abs((1 / bands) ** (1 / rows) - threshold)
        if gap < best_gap:
            best, best_gap = bands, gap
    return best


class LshIndex:
    """Keys by band hash: a query returns the keys sharing at least one whole band.

    A band is kept as the hash of its bytes: a rare collision only adds a
    candidate, which the caller's similarity check turns away. A bucket keeps
    its ``bucket_cap`` latest keys: a text reprinted a thousand times would
    otherwise make every later copy cost a thousand comparisons, and its latest
    copies are as good a match as any.
    """

    def __init__(self, num_perm: int, bands: int, *, bucket_cap: int = 64) -> None:
        if bands < 1 or num_perm % bands:
            raise ValueError(f"{bands} bands do not divide {num_perm} permutations")
        self._rows = num_perm // bands
        self._cap = bucket_cap
        # Nearly every bucket holds one key, kept as itself; more go in a tuple,
        # which (unlike a list) the garbage collector leaves alone.
        self._tables: list[dict[int, int | tuple[int, ...]]] = [{} for _ in range(bands)]
        self._sigs: dict[int, array[int]] = {}  # the caller's own arrays, not copies
        # A new doc is queried, then inserted: its band hashes are worked out once.
        self._last: tuple[array[int] | None, list[int]] = (None, [])

    def __len__(self) -> int:
        return len(self._sigs)

    def _band_keys(self, sig: array[int]) -> list[int]:
        last, keys = self._last
        if last is sig:
            return keys
        raw, width = sig.tobytes(), self._rows * sig.itemsize
        keys = [hash(raw[i : i + width]) for i in range(0, width * len(self._tables), width)]
        self._last = (sig, keys)
        return keys

    def insert(self, key: int, sig: array[int]) -> None:
        self.remove(key)
        for table, band in zip(self._tables, self._band_keys(sig), strict=True):
            held = table.get(band)
            table[band] = key if held is None else (*_keys(held), key)[-self._cap :]
        self._sigs[key] = sig

    def remove(self, key: int) -> None:
        sig = self._sigs.pop(key, None)
        if sig is None:
            return
        for table, band in zip(self._tables, self._band_keys(sig), strict=True):
            held = table.get(band)
            if held is None:  # pushed out of a full bucket, which has emptied since
                continue
            rest = tuple(k for k in _keys(held) if k != key)
            if len(rest) > 1:
                table[band] = rest
            elif rest:
                table[band] = rest[0]
            else:
                del table[band]

    def query(self, sig: array[int]) -> set[int]:
        return set(self._shared(sig))

    def query_best(self, sig: array[int], limit: int) -> list[int]:
        """At most ``limit`` of ``query``'s keys: those sharing the most bands, newest first
        among equals. Shared bands track similarity, so the closest is among them."""
        shared = self._shared(sig)
        if len(shared) <= limit:
            return list(shared)
        return heapq.nlargest(limit, shared, key=lambda k: (shared[k], k))

    def _shared(self, sig: array[int]) -> Counter[int]:
        """The keys sharing at least one band with ``sig``, and how many bands each."""
        found: list[int] = []
        for table, band in zip(self._tables, self._band_keys(sig), strict=True):
            held = table.get(band)
            if held is None:
                continue
            if isinstance(held, tuple):
                found.extend(held)
            else:
                found.append(held)
        return Counter(found)  # counted once: Counter.update costs far more than a list append


def _keys(held: int | tuple[int, ...]) -> tuple[int, ...]:
    return held if isinstance(held, tuple) else (held,)
