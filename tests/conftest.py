"""Fixtures shared by all three tiers (unit, loopback, browser)."""

from __future__ import annotations

import itertools
import os
from collections.abc import Iterator
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent


def shared_data_dir() -> Path | None:
    """../shared/data beside the checkout, or DIEMTIN_SHARED_DATA when set."""
    configured = os.environ.get("DIEMTIN_SHARED_DATA")
    path = Path(configured) if configured else ROOT.parent / "shared" / "data"
    return path if path.is_dir() else None


@pytest.fixture(scope="session")
def shared_data() -> Path:
    path = shared_data_dir()
    if path is None:
        pytest.skip("real data absent: set DIEMTIN_SHARED_DATA or place ../shared/data")
    return path


@pytest.fixture(scope="session")
def postgres_admin_url() -> Iterator[str]:
    """A PostgreSQL server on loopback: yours (DIEMTIN_TEST_POSTGRES_URL) or a throwaway one.

    Skips where PostgreSQL is not installed, except in CI, where that is a failure.
    """
    from tests.support.postgres import Cluster, PostgresUnavailable

    configured = os.environ.get("DIEMTIN_TEST_POSTGRES_URL")
    if configured:
        yield configured
        return
    cluster = Cluster()
    try:
        cluster.start()
    except PostgresUnavailable as exc:
        if os.environ.get("CI"):
            pytest.fail(f"PostgreSQL is required in CI: {exc}")
        pytest.skip(f"PostgreSQL unavailable: {exc}")
    try:
        yield cluster.url()
    finally:
        cluster.stop()


_db_counter = itertools.count()


@pytest.fixture(params=["sqlite", pytest.param("postgresql", marks=pytest.mark.loopback)])
def database_url(request: pytest.FixtureRequest, tmp_path: Path) -> str:
    """A fresh, empty database on each engine in turn."""
    if request.param == "sqlite":
        return f"sqlite:///{tmp_path / 'diemtin.db'}"
    from tests.support.postgres import create_database

    admin = request.getfixturevalue("postgres_admin_url")
    return create_database(admin, f"diemtin_test_{os.getpid()}_{next(_db_counter)}")
