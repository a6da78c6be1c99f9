"""What the rankings read and return. Times are UTC epoch seconds."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field

HOUR = 3600


@dataclass(frozen=True)
class Candidate:
    """One visible article with its reader signals.

    ``views`` maps the start of each hourly bucket to the views counted in it;
    ``published_at`` is the publish time, or the time it was stored when the
    publisher gave none.
    """

    id: int
    published_at: int
    category_id: int | None = None
    source_id: int | None = None
    story_id: int | None = None
    has_video: bool = False
    views: Mapping[int, int] = field(default_factory=dict)
    helpful: int = 0
    unhelpful: int = 0


@dataclass(frozen=True)
class Ranked:
    """An item's place and the signals behind it (shown by the "why" API)."""

    id: int
    score: float
    why: Mapping[str, float | int | str]


@dataclass(frozen=True)
class Reader:
    """A reader's own history, sent by their browser; never stored on the server."""

    seen: frozenset[int] = frozenset()
    # how many of the articles they read fell in each category
    categories: Mapping[int, int] = field(default_factory=dict)
