"""Signed reader ids, CSRF tokens bound to a reader and article, daily view marks."""

from __future__ import annotations

import pytest

from diemtin.engage import (
    csrf_token,
    read_reader,
    sign_reader,
    valid_csrf,
    vietnam_day,
    view_mark,
)

SECRET = "s" * 64
READER = "r" * 24


def test_a_signed_reader_reads_back_and_a_forged_one_does_not() -> None:
    cookie = sign_reader(READER, SECRET)
    assert read_reader(cookie, SECRET) == READER
    assert read_reader(cookie, "another secret") is None
    assert read_reader("x" * 24 + cookie[24:], SECRET) is None  # id swapped, old MAC
    assert read_reader(cookie[:-1] + ("0" if cookie[-1] != "0" else "1"), SECRET) is None


@pytest.mark.parametrize(
    "cookie", [None, "", "no-dot", "a.b", "x" * 200, "bad id!!!!!!!!!!!!!!.abc"]
)
def test_malformed_cookies_are_no_reader(cookie: str | None) -> None:
    assert read_reader(cookie, SECRET) is None


def test_reader_ids_must_be_url_safe() -> None:
    with pytest.raises(ValueError, match="URL-safe"):
        sign_reader("short", SECRET)
    with pytest.raises(ValueError, match="URL-safe"):
        sign_reader("has spaces in it, not ok", SECRET)


def test_a_csrf_token_is_good_for_its_reader_and_article_for_a_day() -> None:
    now = 1_760_000_000
    token = csrf_token(READER, 7, SECRET, now)
    assert valid_csrf(token, READER, 7, SECRET, now + 60)
    assert not valid_csrf(token, "o" * 24, 7, SECRET, now)  # another reader
    assert not valid_csrf(token, READER, 8, SECRET, now)  # another article
    assert not valid_csrf(token, None, 7, SECRET, now)  # no cookie
    assert not valid_csrf(token, READER, 7, SECRET, now + 2 * 86400)  # expired
    assert not valid_csrf(token, READER, 7, SECRET, now - 10)  # from the future
    assert not valid_csrf(token, READER, 7, "other", now)


@pytest.mark.parametrize("token", [None, "", "nodot", "abc.def", "12.", "-5.abc", "9" * 70])
def test_malformed_tokens_are_refused(token: str | None) -> None:
    assert not valid_csrf(token, READER, 7, SECRET, 1_760_000_000)


def test_the_day_turns_at_midnight_in_vietnam() -> None:
    midnight_vn = 1_759_942_800  # 2025-10-09 00:00 +07:00
    assert vietnam_day(midnight_vn - 1) + 1 == vietnam_day(midnight_vn)
    assert vietnam_day(midnight_vn) == vietnam_day(midnight_vn + 86399)


def test_view_marks_differ_by_reader_article_day_and_secret() -> None:
    base = view_mark("r:a", 1, 100, SECRET)
    others = {
        view_mark("r:b", 1, 100, SECRET),
        view_mark("r:a", 2, 100, SECRET),
        view_mark("r:a", 1, 101, SECRET),
        view_mark("r:a", 1, 100, "other"),
    }
    assert base == view_mark("r:a", 1, 100, SECRET)
    assert base not in others and len(others) == 4
    assert 0 <= base < 2**63  # fits a signed BIGINT on both engines
