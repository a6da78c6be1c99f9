"""Incremental story grouping: each arriving article joins a story or starts one.

Pure and in memory; ``diemtin.store.stories`` persists what it decides.

Candidates come from two indexes, never from a scan of everything kept: a
MinHash LSH index over three-syllable shingles finds reprints and wire copies
(near-duplicates), and an inverted index over each doc's few heaviest TF-IDF
terms finds other publishers' own reports of the event. A candidate's score
is the TF-IDF cosine of the two texts plus a share of their titles' cosine;
the article joins the story of its best candidate when that score reaches the
threshold. Candidates published further apart than the window are ignored,
unless either time is unknown: a missing date never keeps two reports apart.
"""

from __future__ import annotations

import math
from array import array
from collections import Counter
from dataclasses import dataclass
from datetime import datetime, timedelta
from itertools import chain
from operator import itemgetter
from typing import NamedTuple

import numpy as np

from diemtin.dedupe import minhash
from diemtin.dedupe.signature import Signature, compute
from diemtin.dedupe.weights import TermTable, Vector


@dataclass(frozen=True, slots=True)
class GroupDoc:
    id: int
    title: str
    text: str  # sapo and body, plain and normalized as the store keeps them
    published_at: datetime | None = None
    source: str = ""


@dataclass(frozen=True, slots=True)
class Signer:
    """How a grouper signs a doc, apart from the grouper: small enough to send to a worker."""

    num_perm: int
    lead_chars: int

    @property
    def scheme(self) -> str:
        """Names how signatures are made; a stored one of another scheme is recomputed."""
        return f"{minhash.ALGORITHM}-p{self.num_perm}-c{self.lead_chars}-f2"

    def __call__(self, title: str, text: str) -> Signature:
        return compute(title, text, num_perm=self.num_perm, lead_chars=self.lead_chars)

    def ahead(self, title: str, text: str) -> Signed:
        """The signature and its stored bytes, worked out before the article is stored."""
        sig = self(title, text)
        return Signed(self.scheme, sig, sig.to_bytes())


class Signed(NamedTuple):
    scheme: str
    signature: Signature
    data: bytes  # ``signature.to_bytes()``, as the store saves it


@dataclass(frozen=True, slots=True)
class Assignment:
    story: int  # the story's key: an existing story, or this doc's id for a new one
    near_duplicate_of: int | None  # the closest reprint or wire copy already kept
    score: float  # similarity to the doc it matched; 0.0 for a new story
    new_story: bool = False
    matched: int | None = None  # the kept doc whose story it joined


@dataclass(slots=True)
class _Entry:
    story: int
    at: float | None  # published, epoch seconds
    minhash: array[int]
    text: Vector
    title: frozenset[bytes]  # the title's content syllables
    keys: tuple[int, ...] = ()  # its term ids in the keyword index


class StoryGrouper:
    def __init__(
        self,
        *,
        threshold: float = 0.40,
        title_weight: float = 0.15,
        near_duplicate: float = 0.5,
        num_perm: int = 64,
        window: timedelta = timedelta(days=3),
        lead_chars: int = 1500,
        keywords: int = 10,
        postings: int = 32,
        candidates: int = 8,
        capacity: int = 50_000,  # about 6 KB each
    ) -> None:
        self.threshold = threshold
        self.title_weight = title_weight
        self.near_duplicate = near_duplicate
        self.num_perm = num_perm
        self.window = window.total_seconds()
        self.lead_chars = lead_chars
        self.keywords = keywords
        self.postings = postings
        self.candidates = candidates
        self.capacity = capacity
        self._lsh = minhash.LshIndex(num_perm, minhash.bands_for(near_duplicate, num_perm))
        self._table = TermTable()
        self._entries: dict[int, _Entry] = {}  # in arrival order, oldest first
        self._members: dict[int, set[int]] = {}
        self._index: dict[int, tuple[int, ...]] = {}  # term id -> latest doc ids, oldest first
        self._latest: float | None = None  # the newest publication time kept

    @property
    def signer(self) -> Signer:
        return Signer(self.num_perm, self.lead_chars)

    @property
    def scheme(self) -> str:
        return self.signer.scheme

    def __len__(self) -> int:
        return len(self._entries)

    def __contains__(self, doc_id: object) -> bool:
        return doc_id in self._entries

    def signature(self, doc: GroupDoc) -> Signature:
        return self.signer(doc.title, doc.text)

    def add(self, doc: GroupDoc, sig: Signature | None = None) -> Assignment:
        """Place a new doc and keep it; ``sig`` when the caller already computed it."""
        if doc.id in self._entries:
            raise ValueError(f"doc {doc.id} was already added")
        entry = self._entry(doc.id, doc.published_at, sig or self.signature(doc))
        assignment = self._place(doc.id, entry)
        entry.story = assignment.story
        self._keep(doc.id, entry)
        return assignment

    def restore(
        self, doc_id: int, story: int, published_at: datetime | None, sig: Signature
    ) -> None:
        """Keep a doc placed earlier (rebuilding from the store) without deciding anything."""
        if doc_id in self._entries:
            self._forget(doc_id)
        entry = self._entry(story, published_at, sig)
        self._keep(doc_id, entry)

    def discard(self, doc_id: int) -> None:
        """Forget a doc, as if it had never been added."""
        if doc_id in self._entries:
            self._forget(doc_id)

    def move(self, doc_id: int, story: int) -> None:
        """Record a decision made elsewhere (an operator, the store): the doc is in ``story``."""
        entry = self._entries.get(doc_id)
        if entry is None or entry.story == story:
            return
        self._leave(doc_id, entry.story)
        entry.story = story
        self._members.setdefault(story, set()).add(doc_id)

    def merge(self, keep: int, absorb: int) -> None:
        for doc_id in list(self._members.get(absorb, ())):
            self.move(doc_id, keep)

    def expire(self, now: datetime, *, scan: int = 256) -> int:
        """Forget the oldest arrivals published over two windows before the newest; how many.

        The newest is capped at ``now``, so one article misdated into the future
        cannot flush the window. Undated docs go only by ``capacity``; up to
        ``scan`` of them are stepped over at a time.
        """
        if self._latest is None:
            return 0
        horizon = min(now.timestamp(), self._latest) - 2 * self.window
        old, skipped = [], 0
        for doc_id, entry in self._entries.items():
            if entry.at is None:
                skipped += 1
                if skipped > scan:
                    break
            elif entry.at < horizon:
                old.append(doc_id)
            else:
                break
        for doc_id in old:
            self._forget(doc_id)
        return len(old)

    def members(self, story: int) -> frozenset[int]:
        return frozenset(self._members.get(story, ()))

    def story_of(self, doc_id: int) -> int | None:
        entry = self._entries.get(doc_id)
        return None if entry is None else entry.story

    # -- placing -------------------------------------------------------------

    def _entry(self, story: int, published_at: datetime | None, sig: Signature) -> _Entry:
        text = self._table.vector(sig.terms)
        at = published_at.timestamp() if published_at else None
        self._table.add(text)
        self._table.weigh(text)
        entry = _Entry(story, at, sig.minhash, text, frozenset(sig.title))
        entry.keys = self._keywords(text)
        return entry

    def _keywords(self, text: Vector) -> tuple[int, ...]:
        if len(text.ids) <= self.keywords:
            return tuple(text.ids.tolist())
        top = np.argpartition(-text.weights, self.keywords)[: self.keywords]
        return tuple(text.ids[top].tolist())

    def _place(self, doc_id: int, entry: _Entry) -> Assignment:
        if not len(entry.text.ids):
            return Assignment(doc_id, None, 0.0, new_story=True)
        near, near_sim = self._near_duplicate(entry)
        if near is not None:
            return Assignment(self._entries[near].story, near, near_sim, matched=near)
        found = self._candidates(entry)
        if not found:
            return Assignment(doc_id, None, 0.0, new_story=True)
        others = [self._entries[other] for other in found]
        scores = self._table.cosines(entry.text, [o.text for o in others]).tolist()
        if self.title_weight and entry.title:
            reach = self.threshold - self.title_weight  # below it no title can help
            for i, other in enumerate(others):
                if scores[i] >= reach:
                    scores[i] += self.title_weight * _overlap(entry.title, other.title)
        best = max(range(len(scores)), key=scores.__getitem__)
        if scores[best] < self.threshold:
            return Assignment(doc_id, None, 0.0, new_story=True)
        return Assignment(others[best].story, None, round(scores[best], 4), matched=found[best])

    def _near_duplicate(self, entry: _Entry) -> tuple[int | None, float]:
        if not entry.minhash:
            return None, 0.0
        best, best_sim = None, 0.0
        for other in self._lsh.query_best(entry.minhash, self.candidates):
            candidate = self._entries[other]
            if self._in_window(entry, candidate):
                sim = minhash.similarity(entry.minhash, candidate.minhash)
                if sim > best_sim:
                    best, best_sim = other, sim
        if best is None or best_sim < self.near_duplicate:
            return None, 0.0
        return best, round(best_sim, 4)

    def _candidates(self, entry: _Entry) -> list[int]:
        """Recent docs sharing the most of this doc's keywords, within the window."""
        index, entries = self._index, self._entries
        hits = Counter(chain.from_iterable(index.get(t, ()) for t in entry.keys))
        found: list[int] = []
        for other, _ in sorted(hits.items(), key=itemgetter(1), reverse=True):
            kept = entries.get(other)
            if kept is not None and self._in_window(entry, kept):
                found.append(other)
                if len(found) >= self.candidates:
                    break
        return found

    def _in_window(self, a: _Entry, b: _Entry) -> bool:
        return a.at is None or b.at is None or abs(a.at - b.at) <= self.window

    # -- keeping -------------------------------------------------------------

    def _keep(self, doc_id: int, entry: _Entry) -> None:
        self._entries[doc_id] = entry
        self._members.setdefault(entry.story, set()).add(doc_id)
        if entry.at is not None and (self._latest is None or entry.at > self._latest):
            self._latest = entry.at
        index, cap = self._index, -self.postings
        for term in entry.keys:
            # only the latest few per keyword: kept as tuples, which the GC skips
            index[term] = (*index.get(term, ()), doc_id)[cap:]
        if entry.minhash:
            self._lsh.insert(doc_id, entry.minhash)
        while len(self._entries) > self.capacity:
            self._forget(next(iter(self._entries)))

    def _forget(self, doc_id: int) -> None:
        entry = self._entries.pop(doc_id)
        self._leave(doc_id, entry.story)
        self._table.remove(entry.text)
        for term in entry.keys:
            rest = tuple(d for d in self._index.get(term, ()) if d != doc_id)
            if rest:
                self._index[term] = rest
            else:
                self._index.pop(term, None)
        self._lsh.remove(doc_id)

    def _leave(self, doc_id: int, story: int) -> None:
        members = self._members.get(story)
        if members is not None:
            members.discard(doc_id)
            if not members:
                del self._members[story]


def _overlap(a: frozenset[bytes], b: frozenset[bytes]) -> float:
    """Cosine of two sets: shared over the geometric mean of their sizes."""
    if not a or not b:
        return 0.0
    return len(a & b) / math.sqrt(len(a) * len(b))
