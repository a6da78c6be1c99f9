"""Small header parsers of the client."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from email.utils import format_datetime

import httpx
import pytest

from diemtin.fetch.client import _charset, _retry_after


@pytest.mark.parametrize(
    ("content_type", "charset"),
    [
        ("text/html; charset=UTF-8", "utf-8"),
        ('text/html; charset="windows-1258"', "windows-1258"),
        ("text/xml;charset=utf-8;foo=bar", "utf-8"),
        ("text/html", None),
        ("", None),
        ("text/html; charset=", None),
    ],
)
def test_charset(content_type: str, charset: str | None) -> None:
    assert _charset(content_type) == charset


def test_retry_after_seconds_and_date() -> None:
    assert _retry_after(httpx.Headers({"Retry-After": "7"})) == 7.0
    assert _retry_after(httpx.Headers({})) is None
    assert _retry_after(httpx.Headers({"Retry-After": "soon"})) is None
    later = format_datetime(datetime.now(UTC) + timedelta(seconds=60), usegmt=True)
    value = _retry_after(httpx.Headers({"Retry-After": later}))
    assert value is not None and 55 <= value <= 60
    past = format_datetime(datetime.now(UTC) - timedelta(hours=1), usegmt=True)
    assert _retry_after(httpx.Headers({"Retry-After": past})) == 0.0
