"""Fixed-window rate limits per key, in memory; the caller passes the clock."""

from __future__ import annotations

from threading import Lock


class RateLimiter:
    """At most ``limit`` hits per key in each window of ``window`` seconds.

    Only the current window is kept, so memory is bounded by the keys seen in it;
    ``max_keys`` bounds even that against a flood of distinct keys, which then
    share one overflow key (and its limit) until the window turns.
    """

    def __init__(self, limit: int, window: int = 3600, max_keys: int = 100_000) -> None:
        if limit < 0 or window <= 0:
            raise ValueError("a rate limit needs limit >= 0 and window > 0")
        self.limit = limit
        self.window = window
        self.max_keys = max_keys
        self._slot = -1
        self._hits: dict[str, int] = {}
        self._lock = Lock()  # handlers run in a thread pool

    def allow(self, key: str, now: int) -> bool:
        """Count a hit for ``key``; False when it is over the limit (and not counted)."""
        slot = now // self.window
        with self._lock:
            if slot != self._slot:
                self._slot, self._hits = slot, {}
            if key not in self._hits and len(self._hits) >= self.max_keys:
                key = "\0overflow"
            hits = self._hits.get(key, 0)
            if hits >= self.limit:
                return False
            self._hits[key] = hits + 1
            return True
