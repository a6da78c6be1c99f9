"""Signing in: argon2 passwords, a new session id each time, strict cookies, rate limits."""

from __future__ import annotations

import pytest
from sqlalchemy import text
from starlette.testclient import TestClient

from diemtin.store import admin as store
from diemtin.web.admin import auth
from tests.unit.web.admin.conftest import NAME, PASSWORD, csrf_of, new_client, sign_in
from tests.unit.web.portal import NOW, Portal


def test_password_is_stored_as_argon2id_never_in_clear(portal: Portal) -> None:
    with portal.db.read() as conn:
        stored = conn.execute(
            text("SELECT password_hash FROM admin_users WHERE name = :n"), {"n": NAME}
        ).scalar_one()
    assert stored.startswith("$argon2id$")
    assert PASSWORD not in stored


def test_cookies_are_httponly_samesite_strict_and_secure_over_https(portal: Portal) -> None:
    client = new_client(portal)
    form = client.get("/admin/dang-nhap")
    pre = form.headers["set-cookie"].lower()
    assert "httponly" in pre and "samesite=strict" in pre and "secure" in pre
    response = client.post(
        "/admin/dang-nhap",
        data={"csrf": csrf_of(form.text), "ten": NAME, "mat_khau": PASSWORD},
    )
    assert response.status_code == 303
    assert response.headers["location"] == "/admin"
    cookies = [v.lower() for k, v in response.headers.multi_items() if k == "set-cookie"]
    session = next(c for c in cookies if c.startswith("dt_admin="))
    assert "httponly" in session and "samesite=strict" in session and "secure" in session
    assert "path=/admin" in session
    assert response.headers["cache-control"] == "no-store"


def test_signing_in_again_renews_the_session_id(portal: Portal) -> None:
    client = new_client(portal)
    sign_in(client)
    old = client.cookies.get("dt_admin")
    sign_in(client)
    new = client.cookies.get("dt_admin")
    assert old and new and old != new
    with portal.db.read() as conn:
        assert store.load_session(conn, old, NOW) is None  # the old id is dead
        assert store.load_session(conn, new, NOW) is not None


def test_a_planted_session_cookie_is_not_adopted(portal: Portal) -> None:
    client = new_client(portal)
    client.cookies.set("dt_admin", "planted-by-someone", domain="testserver.local", path="/admin")
    sign_in(client)
    assert client.cookies.get("dt_admin") != "planted-by-someone"


@pytest.mark.parametrize(
    ("name", "password"),
    [(NAME, "sai mật khẩu rồi"), ("khong-co-ai", PASSWORD), (NAME, ""), (NAME, "x" * 5000)],
)
def test_wrong_credentials_are_refused_with_one_message(
    portal: Portal, name: str, password: str
) -> None:
    client = new_client(portal)
    form = client.get("/admin/dang-nhap")
    response = client.post(
        "/admin/dang-nhap", data={"csrf": csrf_of(form.text), "ten": name, "mat_khau": password}
    )
    assert response.status_code == 401
    assert "Tên đăng nhập hoặc mật khẩu không đúng." in response.text
    assert "dt_admin=" not in response.headers.get("set-cookie", "").replace("dt_admin_pre", "")


def test_sign_in_without_its_form_token_is_refused(portal: Portal) -> None:
    client = new_client(portal)
    client.get("/admin/dang-nhap")
    for token in ("", "guessed", "đoán"):
        response = client.post(
            "/admin/dang-nhap", data={"csrf": token, "ten": NAME, "mat_khau": PASSWORD}
        )
        assert response.status_code == 403
    assert client.cookies.get("dt_admin") is None


def test_next_page_stays_inside_the_console(portal: Portal) -> None:
    client = new_client(portal)
    for target, expected in [
        ("/admin/nguon", "/admin/nguon"),
        ("https://evil.example/", "/admin"),
        ("//evil.example/admin", "/admin"),
        ("/adminx/../x", "/adminx/../x"),
    ]:
        form = client.get("/admin/dang-nhap")
        response = client.post(
            "/admin/dang-nhap",
            data={"csrf": csrf_of(form.text), "ten": NAME, "mat_khau": PASSWORD, "tiep": target},
        )
        assert response.headers["location"] == expected


def _attempt(client: TestClient, name: str, password: str) -> int:
    form = client.get("/admin/dang-nhap")
    response = client.post(
        "/admin/dang-nhap", data={"csrf": csrf_of(form.text), "ten": name, "mat_khau": password}
    )
    return response.status_code


@pytest.fixture
def low_limits(monkeypatch: pytest.MonkeyPatch) -> None:
    # the limits' values do not matter to the logic; small ones keep argon2's cost down
    monkeypatch.setattr(auth, "PER_ACCOUNT", 3)
    monkeypatch.setattr(auth, "PER_CLIENT", 4)


@pytest.mark.usefixtures("low_limits")
def test_sign_in_is_rate_limited_per_account(portal: Portal) -> None:
    clock = [float(NOW + 10 * 86400)]  # a window of its own
    target = "limite"
    with portal.db.write() as conn:
        store.create_user(conn, target, PASSWORD, NOW)
    # attempts from many addresses against one account
    statuses = []
    for i in range(auth.PER_ACCOUNT + 1):
        client = new_client(portal, clock=lambda: clock[0])
        client.headers["x-forwarded-for"] = f"203.0.113.{i}"  # ignored: no trusted proxy
        statuses.append(_attempt(client, target, "sai" * 4))
    assert statuses[:-1] == [401] * auth.PER_ACCOUNT
    assert statuses[-1] == 429
    # even the right password is not tried until the window turns
    assert _attempt(new_client(portal, clock=lambda: clock[0]), target, PASSWORD) == 429
    clock[0] += auth.WINDOW
    assert _attempt(new_client(portal, clock=lambda: clock[0]), target, PASSWORD) == 303


@pytest.mark.usefixtures("low_limits")
def test_sign_in_is_rate_limited_per_client_address(portal: Portal) -> None:
    clock = [float(NOW + 20 * 86400)]
    client = new_client(portal, clock=lambda: clock[0])
    codes = [_attempt(client, f"ai-{i}", "sai" * 4) for i in range(auth.PER_CLIENT + 1)]
    assert codes[:-1] == [401] * auth.PER_CLIENT
    assert codes[-1] == 429
    form = client.get("/admin/dang-nhap")
    late = client.post(
        "/admin/dang-nhap", data={"csrf": csrf_of(form.text), "ten": NAME, "mat_khau": PASSWORD}
    )
    assert late.status_code == 429
    assert "Quá nhiều lần đăng nhập" in late.text
    assert client.cookies.get("dt_admin") is None


def test_sign_out_ends_the_session(portal: Portal) -> None:
    client = new_client(portal)
    token = sign_in(client)
    assert client.post("/admin/dang-xuat", data={"csrf": token}).status_code == 303
    assert client.get("/admin/bai-viet").status_code == 303


def test_sessions_expire(portal: Portal) -> None:
    clock = [float(NOW)]
    client = new_client(portal, clock=lambda: clock[0])
    sign_in(client)
    assert client.get("/admin/bai-viet").status_code == 200
    clock[0] += store.SESSION_SECONDS + 1
    response = client.get("/admin/bai-viet")
    assert response.status_code == 303
    assert response.headers["location"].startswith("/admin/dang-nhap?tiep=")
