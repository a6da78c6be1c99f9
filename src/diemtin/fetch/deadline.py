"""One time budget per ``Fetcher.get`` call, visible to the socket layer.

httpx timeouts apply to each socket operation; a server dripping a byte a
second never trips them. The transport's streams read the current deadline
from a context variable (sync httpx does all I/O on the calling thread) and
cap every connect, read and write to what is left of it.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import contextmanager
from contextvars import ContextVar

Clock = Callable[[], float]


class Deadline:
    """A budget of ``total`` seconds that starts when the first request goes out.

    Waiting in the queue for a host's turn happens before ``start`` and is not
    counted; everything from the first byte sent on (robots.txt, redirects,
    retries and their back-off) is.
    """

    def __init__(self, total: float, clock: Clock) -> None:
        self.total = total
        self._clock = clock
        self._started: float | None = None

    def start(self) -> None:
        if self._started is None:
            self._started = self._clock()

    @property
    def started(self) -> bool:
        return self._started is not None

    def elapsed(self) -> float:
        return 0.0 if self._started is None else self._clock() - self._started

    def remaining(self) -> float:
        return self.total - self.elapsed()

    def expired(self) -> bool:
        return self.started and self.remaining() <= 0

    def cap(self, timeout: float | None) -> float | None:
        """``timeout`` shortened to the time left, once started."""
        if self._started is None:
            return timeout
        left = max(self.remaining(), 0.0)
        return left if timeout is None else min(timeout, left)


_current: ContextVar[Deadline | None] = ContextVar("diemtin_fetch_deadline", default=None)


def current() -> Deadline | None:
    return _current.get()


@contextmanager
def active(deadline: Deadline) -> Iterator[Deadline]:
    token = _current.set(deadline)
    try:
        yield deadline
    finally:
        _current.reset(token)
