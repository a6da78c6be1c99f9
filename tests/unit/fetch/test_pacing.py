"""Per-host and global limits, pacing and the deadline, without a network."""

from __future__ import annotations

import itertools
import threading
import time
from collections import Counter
from concurrent.futures import ThreadPoolExecutor

import pytest

from diemtin.fetch.deadline import Deadline
from diemtin.fetch.errors import FetchError
from diemtin.fetch.pacing import HostSlots


class FakeClock:
    def __init__(self) -> None:
        self.now = 1000.0
        self.sleeps: list[float] = []

    def __call__(self) -> float:
        return self.now

    def sleep(self, seconds: float) -> None:
        self.sleeps.append(seconds)
        self.now += seconds


def slots(clock: FakeClock, delay: float = 1.0, per_host: int = 2, total: int = 8) -> HostSlots:
    return HostSlots(per_host=per_host, total=total, delay=delay, clock=clock, sleep=clock.sleep)


def test_requests_to_one_host_are_spaced() -> None:
    clock = FakeClock()
    pacing = slots(clock, delay=1.5)
    starts = []
    for _ in range(4):
        with pacing.hold("a.vn", Deadline(10, clock)):
            starts.append(clock.now)
            clock.now += 0.2  # the request itself
    assert [round(b - a, 6) for a, b in itertools.pairwise(starts)] == [1.5] * 3


def test_a_host_may_ask_for_a_longer_gap() -> None:
    """Its Crawl-delay: only that host, and never shorter than the fetcher's own gap."""
    clock = FakeClock()
    pacing = slots(clock, delay=1.0)
    pacing.space("a.vn", 4.0)
    pacing.space("b.vn", 0.5)  # shorter than our own: ours stands
    starts: dict[str, list[float]] = {"a.vn": [], "b.vn": []}
    for _ in range(3):
        for host in starts:
            with pacing.hold(host, Deadline(30, clock)):
                starts[host].append(clock.now)
    gaps = {h: [round(b - a, 6) for a, b in itertools.pairwise(s)] for h, s in starts.items()}
    assert gaps["a.vn"] == [4.0, 4.0] and min(gaps["b.vn"]) >= 1.0
    pacing.space("a.vn", 0.0)  # the rule is gone: back to our gap
    with pacing.hold("a.vn", Deadline(30, clock)):
        first = clock.now
    with pacing.hold("a.vn", Deadline(30, clock)):
        assert round(clock.now - first, 6) == 1.0


def test_other_hosts_do_not_wait() -> None:
    clock = FakeClock()
    pacing = slots(clock, delay=5)
    for host in ["a.vn", "b.vn", "c.vn"]:
        with pacing.hold(host, Deadline(10, clock)):
            pass
    assert clock.sleeps == []


def test_deadline_starts_when_turn_comes() -> None:
    clock = FakeClock()
    pacing = slots(clock, delay=3)
    with pacing.hold("a.vn", Deadline(10, clock)):
        pass
    budget = Deadline(10, clock)
    with pacing.hold("a.vn", budget):
        assert budget.started and budget.remaining() == 10  # the 3 s wait was not counted


def test_turn_past_deadline_is_a_timeout() -> None:
    clock = FakeClock()
    pacing = slots(clock, delay=0)
    budget = Deadline(2, clock)
    budget.start()
    pacing.defer("a.vn", 5)
    with pytest.raises(FetchError) as info, pacing.hold("a.vn", budget):
        pass
    assert info.value.kind == "timeout"


def test_defer_pushes_next_turn() -> None:
    clock = FakeClock()
    pacing = slots(clock, delay=0)
    pacing.defer("a.vn", 4)
    with pacing.hold("a.vn", Deadline(10, clock)):
        pass
    assert clock.sleeps == [4]


def peaks(pacing: HostSlots, hosts: list[str]) -> Counter[str]:
    """Run one short job per entry of ``hosts`` at once; the peak concurrency seen."""
    lock = threading.Lock()
    active: Counter[str] = Counter()
    peak: Counter[str] = Counter()

    def work(host: str) -> None:
        with pacing.hold(host, Deadline(10, time.monotonic)):
            with lock:
                active[host] += 1
                active["*"] += 1
                peak[host] = max(peak[host], active[host])
                peak["*"] = max(peak["*"], active["*"])
            time.sleep(0.05)
            with lock:
                active[host] -= 1
                active["*"] -= 1

    with ThreadPoolExecutor(max_workers=len(hosts)) as pool:
        list(pool.map(work, hosts))
    return peak


def test_per_host_limit() -> None:
    pacing = HostSlots(per_host=2, total=10, delay=0, clock=time.monotonic, sleep=time.sleep)
    peak = peaks(pacing, ["a.vn"] * 8)
    assert peak["a.vn"] == 2


def test_global_limit() -> None:
    pacing = HostSlots(per_host=4, total=3, delay=0, clock=time.monotonic, sleep=time.sleep)
    peak = peaks(pacing, ["a.vn", "b.vn", "c.vn"] * 4)
    assert peak["*"] == 3
    assert max(peak[h] for h in ("a.vn", "b.vn", "c.vn")) <= 3
