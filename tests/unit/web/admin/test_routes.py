"""Every route of the whole app, walked: console changes need a session and a CSRF token
(403 and nothing changes without), console pages need a session, and no GET anywhere
changes the database.
"""

from __future__ import annotations

import re

import pytest
from sqlalchemy import text
from starlette.routing import Route
from starlette.testclient import TestClient

from diemtin.store.db import Database
from tests.unit.web.admin.conftest import new_client, sign_in
from tests.unit.web.portal import Portal

OPEN = {"/admin/dang-nhap", "/admin/admin.css"}  # reachable before signing in
# The no-script view beacon is an image: a GET that counts a view, as it must to count
# readers without script. It may touch the view counters and nothing else.
COUNTERS = {"/v/{article_id}.gif": {"view_counts", "view_marks"}}
# The reader-cookie key is generated on first use when the operator set none (web/engage.py)
# and written once for every process to share: set up, not a change anyone sees.
GENERATED = {"site_secrets"}
PARAM = re.compile(r"{(\w+)(?::\w+)?}")


def tables(db: Database) -> list[str]:
    with db.read() as conn:
        if db.is_sqlite:
            query = (
                "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%'"
            )
        else:
            query = "SELECT tablename FROM pg_tables WHERE schemaname = current_schema()"
        return sorted(str(n) for n in conn.execute(text(query)).scalars())


def dump(db: Database) -> dict[str, list[str]]:
    """Every row of every table, as sorted text: equal dumps mean nothing changed."""
    out: dict[str, list[str]] = {}
    with db.read() as conn:
        for table in tables(db):
            rows = conn.execute(text(f'SELECT * FROM "{table}"')).all()
            out[table] = sorted(repr(tuple(r)) for r in rows)
    return out


def changed(before: dict[str, list[str]], after: dict[str, list[str]]) -> set[str]:
    return {t for t in before.keys() | after.keys() if before.get(t) != after.get(t)}


def concrete(portal: Portal, path: str) -> str:
    with portal.db.read() as conn:
        story = conn.execute(text("SELECT MIN(id) FROM stories")).scalar_one()
        slug = conn.execute(text("SELECT MIN(slug) FROM categories")).scalar_one()
    values = {
        "article_id": str(portal.ids[5]),
        "story_id": str(story),
        "slug": str(slug),
        "tag": "Hà Nội",
        "day": "2025-10-08",
        "path": "site.css",
        "source_id": "1",
        "category_id": "1",
    }
    return PARAM.sub(lambda m: values.get(m.group(1), "1"), path)


def app_routes(client: TestClient) -> list[Route]:
    app = client.app
    while not hasattr(app, "routes"):
        app = app.app  # type: ignore[attr-defined]  # through the page cache
    found = [r for r in app.routes if isinstance(r, Route)]
    assert len(found) == len(app.routes), "a mounted sub-app would escape this walk"
    return found


@pytest.fixture
def signed_in(portal: Portal) -> tuple[TestClient, str]:
    client = new_client(portal)
    return client, sign_in(client)


def test_no_get_changes_the_database(portal: Portal, signed_in: tuple[TestClient, str]) -> None:
    admin, _ = signed_in
    anonymous = new_client(portal)
    walked = 0
    for route in app_routes(admin):
        if "GET" not in (route.methods or set()):
            continue
        path = concrete(portal, route.path)
        for client in (anonymous, admin):
            before = dump(portal.db)
            response = client.get(path)
            assert response.status_code < 500, (path, response.text[:300])
            touched = changed(before, dump(portal.db))
            allowed = COUNTERS.get(route.path, set()) | GENERATED
            assert touched <= allowed, f"GET {path} changed {sorted(touched - allowed)}"
            walked += 1
    assert walked > 40


def test_console_pages_need_a_session(portal: Portal) -> None:
    anonymous = new_client(portal)
    pages = [
        r.path
        for r in app_routes(anonymous)
        if r.path.startswith("/admin") and "GET" in (r.methods or set()) and r.path not in OPEN
    ]
    assert len(pages) >= 6
    for path in pages:
        response = anonymous.get(concrete(portal, path))
        assert response.status_code == 303, path
        assert response.headers["location"].startswith("/admin/dang-nhap?tiep=/admin")
        assert response.headers["cache-control"] == "no-store"


def test_every_console_change_needs_its_csrf_token(
    portal: Portal, signed_in: tuple[TestClient, str]
) -> None:
    admin, token = signed_in
    anonymous = new_client(portal)
    changes = [
        r
        for r in app_routes(admin)
        if r.path.startswith("/admin") and (r.methods or set()) - {"GET", "HEAD"}
    ]
    assert len(changes) >= 10
    forms = [
        {},
        {"csrf": ""},
        {"csrf": token[:-1] + ("A" if token[-1] != "A" else "B")},
        {"csrf": "mã giả"},  # not ASCII: still a plain refusal
    ]
    for route in changes:
        if route.path == "/admin/dang-nhap":
            continue  # guarded by its own pre-session token: test_auth.py
        path = concrete(portal, route.path)
        for method in sorted((route.methods or set()) - {"GET", "HEAD"}):
            before = dump(portal.db)
            for form in forms:
                response = admin.request(method, path, data=form)
                assert response.status_code == 403, (method, path, form)
            # a valid token is still refused without the session it belongs to
            response = anonymous.request(method, path, data={"csrf": token})
            assert response.status_code == 403, (method, path)
            # and a JSON or multipart body never passes for a form
            response = admin.request(method, path, json={"csrf": token})
            assert response.status_code == 403, (method, path)
            assert not changed(before, dump(portal.db)), f"{method} {path} changed the store"


def test_console_pages_are_never_kept_by_the_page_cache(
    portal: Portal, signed_in: tuple[TestClient, str]
) -> None:
    admin, token = signed_in
    first = admin.get("/admin/bai-viet?q=" + str(portal.ids[7]))
    assert "x-page-cache" not in first.headers
    assert first.headers["cache-control"] == "no-store"
    assert "Ghim Tiêu điểm" in first.text
    response = admin.post(f"/admin/bai-viet/{portal.ids[7]}/ghim", data={"csrf": token})
    assert response.status_code == 303
    second = admin.get("/admin/bai-viet?q=" + str(portal.ids[7]))
    assert "Bỏ ghim" in second.text  # the same URL, a fresh page
    admin.post(f"/admin/bai-viet/{portal.ids[7]}/bo-ghim", data={"csrf": token})
