"""Fixtures shared by all three tiers (unit, loopback, browser)."""

from __future__ import annotations

import os
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
