"""The reader's reading history, as engage.js sends it: ids of articles read, newest first."""

from __future__ import annotations

MAX_SEEN = 50


class HistoryError(ValueError):
    """A malformed ``seen`` parameter: answered with 400 and the reason."""


def parse_seen(raw: str | None, limit: int = MAX_SEEN) -> list[int]:
    """ "12,7,3" → [12, 7, 3]; repeats dropped, at most ``limit`` kept (the newest)."""
    if raw is None or raw.strip() == "":
        return []
    if len(raw) > limit * 13:
        raise HistoryError(f"seen holds at most {limit} article ids")
    out: list[int] = []
    for part in raw.split(","):
        part = part.strip()
        if not part.isdigit() or len(part) > 12:
            raise HistoryError("seen must be article ids separated by commas, such as 12,7,3")
        value = int(part)
        if value not in out:
            out.append(value)
    return out[:limit]
