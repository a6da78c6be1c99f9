"""diemtin.store.admin on both engines: users, sessions, attempts, the audit log, pins."""

from __future__ import annotations

import pytest
from sqlalchemy import text

from diemtin.store import admin
from diemtin.store.db import open_database


def test_users_sessions_attempts_audit_and_pins(database_url: str) -> None:
    db = open_database(database_url)
    now = 1_760_000_000
    with db.write() as conn:
        user = admin.create_user(conn, "bientap", "mật khẩu đủ dài", now)
        with pytest.raises(admin.AdminError, match="đã có"):
            admin.create_user(conn, "bientap", "mật khẩu khác dài", now)
    with db.read() as conn:
        assert admin.authenticate(conn, "bientap", "mật khẩu đủ dài") == user
        assert admin.authenticate(conn, "bientap", "sai mật khẩu") is None
        assert admin.authenticate(conn, "ai-do", "mật khẩu đủ dài") is None
    with db.write() as conn:
        first = admin.start_session(conn, user, now)
        second = admin.start_session(conn, user, now + 1, replaces=first)
    with db.read() as conn:
        assert admin.load_session(conn, first, now + 2) is None
        session = admin.load_session(conn, second, now + 2)
        assert session is not None and session.user == user and len(session.csrf) > 30
        assert admin.load_session(conn, second, now + admin.SESSION_SECONDS + 2) is None
        stored = conn.execute(text("SELECT token_hash FROM admin_sessions")).scalars().all()
    assert second not in stored  # only a hash of the token is kept
    with db.write() as conn:
        counts = [admin.count_attempt(conn, "u:bientap", now, 900) for _ in range(3)]
        admin.uncount_attempt(conn, "u:bientap", now, 900)
        assert admin.count_attempt(conn, "u:bientap", now, 900) == 3
        assert admin.count_attempt(conn, "u:bientap", now + 900, 900) == 1  # a new window
        admin.record(conn, "bientap", "ẩn", "bài 1", "chi tiết", now)
        admin.record(conn, "bientap", "hiện lại", "bài 1", "", now + 5)
    assert counts == [1, 2, 3]
    with db.read() as conn:
        log = admin.audit_log(conn)
        assert [(e.action, e.at) for e in log] == [("hiện lại", now + 5), ("ẩn", now)]
        assert admin.audit_log(conn, before=log[0].id) == log[1:]
        assert admin.pinned(conn) == []
    db.close()


@pytest.mark.parametrize("password", ["", "ngắn", "x" * (admin.MAX_PASSWORD + 1)])
def test_passwords_out_of_bounds_are_refused(password: str) -> None:
    with pytest.raises(admin.AdminError):
        admin.check_password(password)
