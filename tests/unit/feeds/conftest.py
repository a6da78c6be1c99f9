"""Helpers for the feed parser tests: fixture files and a network tripwire."""

from __future__ import annotations

import socket
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

FIXTURES = Path(__file__).resolve().parents[2] / "fixtures" / "feeds"


@pytest.fixture
def load() -> Callable[[str], bytes]:
    """Bytes of a file under tests/fixtures/feeds."""

    def read(name: str) -> bytes:
        return (FIXTURES / name).read_bytes()

    return read


@pytest.fixture(autouse=True)
def no_network(monkeypatch: pytest.MonkeyPatch) -> None:
    """Any attempt to open a connection fails the test: parsers must never fetch."""

    def refuse(*args: Any, **kwargs: Any) -> None:
        raise AssertionError(f"a parser tried to use the network: {args!r}")

    monkeypatch.setattr(socket.socket, "connect", refuse)
    monkeypatch.setattr(socket, "create_connection", refuse)
    monkeypatch.setattr(socket, "getaddrinfo", refuse)
