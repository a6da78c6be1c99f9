"""The console over the page tests' portal: an admin user and signed-in clients."""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator

import pytest
from argon2 import PasswordHasher
from starlette.testclient import TestClient

from diemtin.store import admin as admin_store
from diemtin.store.admin import create_user
from diemtin.web.app import create_app
from tests.unit.web.portal import NOW, Portal, build

NAME = "bientap"
PASSWORD = "mật khẩu đủ dài 123"
TOKEN = re.compile(r'name="csrf" value="([^"]+)"')


@pytest.fixture(scope="session", autouse=True)
def cheap_hashes() -> Iterator[None]:
    """argon2id at its lightest for test users: the same code path, a fraction of the time.
    Hashes carry their parameters, so verifying them is as cheap; production keeps the
    library's defaults (64 MiB, 3 passes)."""
    default = admin_store._hasher
    admin_store._hasher = PasswordHasher(time_cost=1, memory_cost=1024, parallelism=1)
    yield
    admin_store._hasher = default


@pytest.fixture(scope="module")
def portal(tmp_path_factory: pytest.TempPathFactory) -> Portal:
    built = build(tmp_path_factory.mktemp("admin-portal"))
    with built.db.write() as conn:
        create_user(conn, NAME, PASSWORD, NOW)
    return built


def new_client(
    portal: Portal,
    clock: Callable[[], float] = lambda: NOW,
    timer: Callable[[], float] | None = None,
) -> TestClient:
    # the portal's base_url is https, so the console's cookies are Secure: speak https
    app = create_app(portal.db, portal.settings, clock=clock, timer=timer or clock)
    return TestClient(app, base_url="https://testserver", follow_redirects=False)


@pytest.fixture
def client(portal: Portal) -> TestClient:
    return new_client(portal)


def csrf_of(html: str) -> str:
    found = TOKEN.search(html)
    assert found, "no CSRF field on the page"
    return found.group(1)


def sign_in(client: TestClient, name: str = NAME, password: str = PASSWORD) -> str:
    """Signs in through the form; the session's CSRF token, read from a console page."""
    form = client.get("/admin/dang-nhap")
    assert form.status_code == 200
    response = client.post(
        "/admin/dang-nhap",
        data={"csrf": csrf_of(form.text), "ten": name, "mat_khau": password, "tiep": "/admin"},
    )
    assert response.status_code == 303, response.text[:300]
    page = client.get("/admin/nhat-ky")
    assert page.status_code == 200
    return csrf_of(page.text)


@pytest.fixture(scope="module")
def admin(portal: Portal) -> tuple[TestClient, str]:
    """One signed-in client per module: argon2 makes every sign-in cost a fraction of a second."""
    client = new_client(portal)
    return client, sign_in(client)
