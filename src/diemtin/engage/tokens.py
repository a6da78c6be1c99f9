"""Signed reader ids, CSRF tokens bound to a reader, and daily view marks (all HMAC-SHA256)."""

from __future__ import annotations

import hashlib
import hmac
import re

VIETNAM_OFFSET = 7 * 3600  # Vietnam keeps no daylight saving time
_READER = re.compile(r"[A-Za-z0-9_-]{16,64}")
_TOKEN_MAX_AGE = 24 * 3600


def _mac(secret: str, *parts: object) -> str:
    message = "|".join(str(p) for p in parts).encode()
    return hmac.new(secret.encode(), message, hashlib.sha256).hexdigest()[:32]


def sign_reader(reader: str, secret: str) -> str:
    """The cookie value: the reader id and its MAC, so a forged or edited id is refused."""
    if not _READER.fullmatch(reader):
        raise ValueError("a reader id is 16-64 URL-safe characters")
    return f"{reader}.{_mac(secret, 'reader', reader)}"


def read_reader(cookie: str | None, secret: str) -> str | None:
    """The reader id of a cookie this site signed, else None."""
    if not cookie or len(cookie) > 128 or "." not in cookie:
        return None
    reader, mac = cookie.rsplit(".", 1)
    if not _READER.fullmatch(reader):
        return None
    return reader if hmac.compare_digest(mac, _mac(secret, "reader", reader)) else None


def csrf_token(reader: str, article_id: int, secret: str, now: int) -> str:
    """A vote token good for this reader and article only, for a day."""
    return f"{now}.{_mac(secret, 'csrf', reader, article_id, now)}"


def valid_csrf(
    token: str | None,
    reader: str | None,
    article_id: int,
    secret: str,
    now: int,
    max_age: int = _TOKEN_MAX_AGE,
) -> bool:
    if not token or reader is None or len(token) > 64 or "." not in token:
        return False
    issued, mac = token.split(".", 1)
    if not issued.isdigit() or not 0 <= now - int(issued) <= max_age:
        return False
    return hmac.compare_digest(mac, _mac(secret, "csrf", reader, article_id, int(issued)))


def vietnam_day(now: int) -> int:
    """Days since the epoch, counted in Vietnam time: a view counts once per reader per day."""
    return (now + VIETNAM_OFFSET) // 86400


def view_mark(who: str, article_id: int, day: int, secret: str) -> int:
    """A keyed 63-bit mark of (reader or client, article, day): nobody is stored in the clear."""
    digest = hmac.new(secret.encode(), f"view|{who}|{article_id}|{day}".encode(), hashlib.sha256)
    return int.from_bytes(digest.digest()[:8], "big") >> 1
