"""Politeness: a few requests at a time per host, spaced out, and a global cap.

Safe to share between the threads of a small pool.
"""

from __future__ import annotations

import threading
from collections.abc import Callable, Iterator
from contextlib import contextmanager

from diemtin.fetch.deadline import Clock, Deadline
from diemtin.fetch.errors import FetchError

Sleep = Callable[[float], None]


class HostSlots:
    """Per-host and global concurrency limits plus a minimum gap between starts.

    A request takes, in order: its host's semaphore, its turn in the host's
    schedule (``delay`` seconds after the previous start), then a global slot.
    The global slot comes last so a request waiting for its host's turn does
    not hold up other hosts.
    """

    def __init__(
        self,
        *,
        per_host: int,
        total: int,
        delay: float,
        clock: Clock,
        sleep: Sleep,
    ) -> None:
        self._per_host = max(1, per_host)
        self._global = threading.BoundedSemaphore(max(1, total))
        self._delay = max(0.0, delay)
        self._clock = clock
        self._sleep = sleep
        self._lock = threading.Lock()
        self._hosts: dict[str, threading.BoundedSemaphore] = {}
        self._next_start: dict[str, float] = {}
        self._gaps: dict[str, float] = {}  # hosts asking for more than ``delay`` (Crawl-delay)

    @contextmanager
    def hold(self, host: str, budget: Deadline) -> Iterator[None]:
        """Wait for a turn at ``host``; starts ``budget`` once the turn comes."""
        host_sem = self._host_semaphore(host)
        _acquire(host_sem, budget, f"a free slot for {host}")
        try:
            self._wait_turn(host, budget)
            _acquire(self._global, budget, "a free global slot")
            try:
                budget.start()
                yield
            finally:
                self._global.release()
        finally:
            host_sem.release()

    def _host_semaphore(self, host: str) -> threading.BoundedSemaphore:
        with self._lock:
            sem = self._hosts.get(host)
            if sem is None:
                sem = self._hosts[host] = threading.BoundedSemaphore(self._per_host)
            return sem

    def _wait_turn(self, host: str, budget: Deadline) -> None:
        with self._lock:
            now = self._clock()
            start = max(now, self._next_start.get(host, now))
            wait = start - now
            if budget.started and wait > budget.remaining():
                raise FetchError(
                    f"{host}'s next turn is {wait:.1f}s away, past the deadline", kind="timeout"
                )
            self._next_start[host] = start + max(self._delay, self._gaps.get(host, 0.0))
        if wait > 0:
            self._sleep(wait)

    def space(self, host: str, seconds: float) -> None:
        """Keep at least ``seconds`` between starts at ``host`` from now on (its Crawl-delay)."""
        with self._lock:
            if seconds > self._delay:
                self._gaps[host] = seconds
            else:
                self._gaps.pop(host, None)

    def defer(self, host: str, seconds: float) -> None:
        """Push ``host``'s next turn at least ``seconds`` from now (Retry-After)."""
        with self._lock:
            until = self._clock() + seconds
            self._next_start[host] = max(self._next_start.get(host, until), until)


def _acquire(sem: threading.BoundedSemaphore, budget: Deadline, what: str) -> None:
    timeout = budget.remaining() if budget.started else None
    if timeout is not None and (timeout <= 0 or not sem.acquire(timeout=timeout)):
        raise FetchError(f"deadline passed waiting for {what}", kind="timeout")
    if timeout is None:
        sem.acquire()
