"""The operator's console in the store: admin users, sessions, sign-in attempts, the audit log
of every change (who, what, when) and pins to Tiêu điểm.

Passwords are hashed with argon2id. A session cookie holds a random token; only its
SHA-256 is stored, beside the session's CSRF token. Reading a session never writes:
expired rows are swept when someone signs in.
"""

from __future__ import annotations

import hashlib
import re
import secrets
from dataclasses import dataclass

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError
from sqlalchemy import Connection, text

SESSION_SECONDS = 12 * 3600
MIN_PASSWORD = 10
MAX_PASSWORD = 1024  # hashing is deliberately slow: a megabyte password is refused first
NAME = re.compile(r"^[a-z0-9][a-z0-9._-]{0,63}$")

_hasher = PasswordHasher()
# Verified against when the name is unknown, so a wrong name costs what a wrong password does.
_DUMMY = _hasher.hash("không có người dùng này")


class AdminError(ValueError):
    """A request the console refuses, with a message the operator can act on."""


@dataclass(frozen=True)
class User:
    id: int
    name: str


@dataclass(frozen=True)
class Session:
    user: User
    csrf: str
    expires_at: int


@dataclass(frozen=True)
class AuditEntry:
    id: int
    user: str
    action: str
    target: str
    detail: str
    at: int


def check_password(password: str) -> None:
    if len(password) < MIN_PASSWORD:
        raise AdminError(f"mật khẩu cần ít nhất {MIN_PASSWORD} ký tự")
    if len(password) > MAX_PASSWORD:
        raise AdminError(f"mật khẩu dài quá {MAX_PASSWORD} ký tự")


def create_user(conn: Connection, name: str, password: str, now: int) -> User:
    """A new admin; a bad name, a short password or a taken name is an ``AdminError``."""
    if not NAME.match(name):
        raise AdminError(
            f"tên {name!r} không hợp lệ: chữ thường không dấu, số, '.', '_' hoặc '-', tối đa 64"
        )
    check_password(password)
    taken = conn.execute(text("SELECT 1 FROM admin_users WHERE name = :n"), {"n": name}).first()
    if taken:
        raise AdminError(f"đã có người dùng {name!r}")
    user_id = conn.execute(
        text(
            "INSERT INTO admin_users (name, password_hash, created_at)"
            " VALUES (:n, :h, :t) RETURNING id"
        ),
        {"n": name, "h": _hasher.hash(password), "t": now},
    ).scalar_one()
    return User(int(user_id), name)


def authenticate(conn: Connection, name: str, password: str) -> User | None:
    """The user when the password is theirs; None otherwise, in about the same time."""
    if len(password) > MAX_PASSWORD:
        return None
    row = conn.execute(
        text("SELECT id, name, password_hash FROM admin_users WHERE name = :n"), {"n": name}
    ).first()
    try:
        _hasher.verify(row.password_hash if row else _DUMMY, password)
    except (VerificationError, InvalidHashError):
        return None
    return User(int(row.id), str(row.name)) if row else None


@dataclass(frozen=True)
class Account:
    """A console user as the users screen lists them."""

    id: int
    name: str
    created_at: int
    last_signin_at: int | None
    sessions: int  # signed-in browsers right now


def accounts(conn: Connection, now: int) -> list[Account]:
    rows = conn.execute(
        text(
            "SELECT u.id, u.name, u.created_at, u.last_signin_at, (SELECT COUNT(*)"
            " FROM admin_sessions s WHERE s.user_id = u.id AND s.expires_at > :now)"
            " FROM admin_users u ORDER BY u.name"
        ),
        {"now": now},
    ).all()
    return [Account(int(r[0]), r[1], int(r[2]), r[3], int(r[4])) for r in rows]


def change_password(
    conn: Connection, user: User, current: str, new: str, *, keep_token: str | None = None
) -> None:
    """Replace ``user``'s password once ``current`` proves it is them; every other
    signed-in browser of theirs is signed out. ``AdminError`` says what is wrong."""
    if authenticate(conn, user.name, current) is None:
        raise AdminError("mật khẩu hiện tại không đúng")
    check_password(new)
    if new == current:
        raise AdminError("mật khẩu mới phải khác mật khẩu cũ")
    conn.execute(
        text("UPDATE admin_users SET password_hash = :h WHERE id = :u"),
        {"h": _hasher.hash(new), "u": user.id},
    )
    conn.execute(
        text("DELETE FROM admin_sessions WHERE user_id = :u AND token_hash <> :keep"),
        {"u": user.id, "keep": _digest(keep_token or "")},
    )


def remove_user(conn: Connection, user_id: int, by: User) -> str:
    """Remove an account (its sessions end with it); its name. Nobody removes themselves,
    so the console always keeps someone who can sign in."""
    if user_id == by.id:
        raise AdminError("không thể tự xoá tài khoản của mình")
    name = conn.execute(
        text("DELETE FROM admin_users WHERE id = :u RETURNING name"), {"u": user_id}
    ).scalar_one_or_none()
    if name is None:
        raise LookupError(f"no admin user {user_id}")
    return str(name)


def _digest(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def start_session(conn: Connection, user: User, now: int, *, replaces: str | None = None) -> str:
    """A fresh session token for ``user``; the session ``replaces`` (if any) ends with it."""
    if replaces:
        end_session(conn, replaces)
    conn.execute(text("DELETE FROM admin_sessions WHERE expires_at < :now"), {"now": now})
    conn.execute(
        text("UPDATE admin_users SET last_signin_at = :now WHERE id = :u"),
        {"now": now, "u": user.id},
    )
    token = secrets.token_urlsafe(32)
    conn.execute(
        text(
            "INSERT INTO admin_sessions (token_hash, user_id, csrf, created_at, expires_at)"
            " VALUES (:h, :u, :c, :now, :exp)"
        ),
        {
            "h": _digest(token),
            "u": user.id,
            "c": secrets.token_urlsafe(32),
            "now": now,
            "exp": now + SESSION_SECONDS,
        },
    )
    return token


def load_session(conn: Connection, token: str | None, now: int) -> Session | None:
    """The live session the cookie's token names, or None; reads only."""
    if not token or len(token) > 200:
        return None
    row = conn.execute(
        text(
            "SELECT u.id, u.name, s.csrf, s.expires_at FROM admin_sessions s"
            " JOIN admin_users u ON u.id = s.user_id WHERE s.token_hash = :h"
        ),
        {"h": _digest(token)},
    ).first()
    if row is None or int(row.expires_at) <= now:
        return None
    return Session(User(int(row.id), str(row.name)), str(row.csrf), int(row.expires_at))


def end_session(conn: Connection, token: str) -> None:
    conn.execute(text("DELETE FROM admin_sessions WHERE token_hash = :h"), {"h": _digest(token)})


def count_attempt(conn: Connection, key: str, now: int, window: int) -> int:
    """Counts one sign-in attempt for ``key`` in the current window; the window's total."""
    slot = now // window
    conn.execute(text("DELETE FROM admin_attempts WHERE slot < :s"), {"s": slot - 1})
    return int(
        conn.execute(
            text(
                "INSERT INTO admin_attempts (key, slot, hits) VALUES (:k, :s, 1)"
                " ON CONFLICT (key, slot) DO UPDATE SET hits = admin_attempts.hits + 1"
                " RETURNING hits"
            ),
            {"k": key[:300], "s": slot},
        ).scalar_one()
    )


def uncount_attempt(conn: Connection, key: str, now: int, window: int) -> None:
    """Takes back an attempt that succeeded: only failures use up the limit."""
    conn.execute(
        text("UPDATE admin_attempts SET hits = hits - 1 WHERE key = :k AND slot = :s AND hits > 0"),
        {"k": key[:300], "s": now // window},
    )


def record(conn: Connection, user: str, action: str, target: str, detail: str, now: int) -> None:
    """One line in the audit log, written in the transaction of the change it describes."""
    conn.execute(
        text(
            "INSERT INTO admin_audit (user_name, action, target, detail, at)"
            " VALUES (:u, :a, :t, :d, :now)"
        ),
        {"u": user, "a": action, "t": target[:500], "d": detail[:2000], "now": now},
    )


def audit_log(conn: Connection, *, limit: int = 100, before: int | None = None) -> list[AuditEntry]:
    """The newest entries first; ``before`` (an entry id) pages back."""
    rows = conn.execute(
        text(
            "SELECT id, user_name, action, target, detail, at FROM admin_audit"
            " WHERE (CAST(:b AS BIGINT) IS NULL OR id < :b) ORDER BY id DESC LIMIT :n"
        ),
        {"b": before, "n": limit},
    ).all()
    return [AuditEntry(int(r[0]), r[1], r[2], r[3], r[4], int(r[5])) for r in rows]


def pin(conn: Connection, article_id: int, user: str, now: int) -> None:
    conn.execute(
        text(
            "INSERT INTO article_pins (article_id, pinned_by, pinned_at) VALUES (:a, :u, :t)"
            " ON CONFLICT (article_id) DO UPDATE SET pinned_by = :u, pinned_at = :t"
        ),
        {"a": article_id, "u": user, "t": now},
    )


def unpin(conn: Connection, article_id: int) -> bool:
    found = conn.execute(text("DELETE FROM article_pins WHERE article_id = :a"), {"a": article_id})
    return bool(found.rowcount)


def pinned(conn: Connection) -> list[int]:
    """Pinned visible articles, newest pin first: what Tiêu điểm shows before its ranking."""
    rows = conn.execute(
        text(
            "SELECT p.article_id FROM article_pins p JOIN articles a ON a.id = p.article_id"
            " WHERE a.status = 'visible' ORDER BY p.pinned_at DESC, p.article_id DESC"
        )
    ).scalars()
    return [int(r) for r in rows]
