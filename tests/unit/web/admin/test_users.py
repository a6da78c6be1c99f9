"""The users screen: add, remove, change one's own password; and what it refuses."""

from __future__ import annotations

import pytest
from sqlalchemy import text
from starlette.testclient import TestClient

from diemtin.store import admin as store
from tests.unit.web.admin.conftest import NAME, PASSWORD, new_client, sign_in
from tests.unit.web.portal import Portal

HOME = "/admin/nguoi-dung"
OTHER_PASSWORD = "một mật khẩu khác 456"


def _users(portal: Portal) -> dict[str, int]:
    with portal.db.read() as conn:
        return {r[1]: int(r[0]) for r in conn.execute(text("SELECT id, name FROM admin_users"))}


def _audit(portal: Portal) -> list[tuple[str, str]]:
    with portal.db.read() as conn:
        return [(e.action, e.target) for e in store.audit_log(conn)]


def _signed_in(client: TestClient) -> bool:
    return client.get(HOME).status_code == 200


def test_an_added_user_can_sign_in_and_a_removed_one_is_signed_out(
    admin: tuple[TestClient, str], portal: Portal
) -> None:
    client, token = admin
    form = {"csrf": token, "ten": "Phong.Vien", "mat_khau": OTHER_PASSWORD}
    added = client.post(HOME + "/them", data={**form, "nhap_lai": OTHER_PASSWORD})
    assert added.status_code == 303
    assert "phong.vien" in _users(portal) and ("thêm người dùng", "phong.vien") in _audit(portal)
    assert 'id="nd-phong.vien"' in client.get(HOME).text
    theirs = new_client(portal)
    sign_in(theirs, "phong.vien", OTHER_PASSWORD)
    removed = client.post(f"{HOME}/{_users(portal)['phong.vien']}/xoa", data={"csrf": token})
    assert removed.status_code == 303 and "phong.vien" not in _users(portal)
    assert not _signed_in(theirs)  # their session went with the account
    assert ("xoá người dùng", "phong.vien") in _audit(portal)


@pytest.mark.parametrize(
    ("form", "status", "says"),
    [
        ({"ten": "co cach", "mat_khau": OTHER_PASSWORD, "nhap_lai": OTHER_PASSWORD}, 400, "hợp"),
        ({"ten": "ngan", "mat_khau": "ngắn", "nhap_lai": "ngắn"}, 400, "ít nhất 10"),
        ({"ten": "lech", "mat_khau": OTHER_PASSWORD, "nhap_lai": PASSWORD}, 400, "không khớp"),
        ({"ten": NAME, "mat_khau": OTHER_PASSWORD, "nhap_lai": OTHER_PASSWORD}, 400, "đã có"),
        ({"ten": "", "mat_khau": OTHER_PASSWORD, "nhap_lai": OTHER_PASSWORD}, 400, "hợp lệ"),
    ],
)
def test_a_bad_new_user_is_refused_and_nothing_is_added(
    admin: tuple[TestClient, str], portal: Portal, form: dict[str, str], status: int, says: str
) -> None:
    client, token = admin
    before = _users(portal)
    refused = client.post(HOME + "/them", data={"csrf": token, **form})
    assert refused.status_code == status and says in refused.text
    assert _users(portal) == before


def test_nobody_removes_themselves_or_someone_who_is_not_there(
    admin: tuple[TestClient, str], portal: Portal
) -> None:
    client, token = admin
    me = _users(portal)[NAME]
    refused = client.post(f"{HOME}/{me}/xoa", data={"csrf": token})
    assert refused.status_code == 400 and "tự xoá" in refused.text
    assert client.post(f"{HOME}/999999/xoa", data={"csrf": token}).status_code == 404
    assert NAME in _users(portal)


def test_changes_need_the_session_csrf_token(admin: tuple[TestClient, str], portal: Portal) -> None:
    client, _ = admin
    form = {"ten": "khong-csrf", "mat_khau": OTHER_PASSWORD, "nhap_lai": OTHER_PASSWORD}
    assert client.post(HOME + "/them", data=form).status_code == 403
    assert client.post(HOME + "/them", data={**form, "csrf": "sai"}).status_code == 403
    assert "khong-csrf" not in _users(portal)


def test_changing_ones_password_signs_out_ones_other_browsers(portal: Portal) -> None:
    with portal.db.write() as conn:
        store.create_user(conn, "doi-mat-khau", PASSWORD, 0)
    here, elsewhere = new_client(portal), new_client(portal)
    token = sign_in(here, "doi-mat-khau", PASSWORD)
    sign_in(elsewhere, "doi-mat-khau", PASSWORD)
    change = {"csrf": token, "moi": OTHER_PASSWORD, "nhap_lai": OTHER_PASSWORD}
    wrong = here.post(HOME + "/mat-khau", data={**change, "hien_tai": "không phải mật khẩu"})
    assert wrong.status_code == 400 and "không đúng" in wrong.text
    same = {**change, "hien_tai": PASSWORD, "moi": PASSWORD, "nhap_lai": PASSWORD}
    assert "phải khác" in here.post(HOME + "/mat-khau", data=same).text
    assert _signed_in(elsewhere)  # nothing changed yet
    done = here.post(HOME + "/mat-khau", data={**change, "hien_tai": PASSWORD})
    assert done.status_code == 303
    assert _signed_in(here) and not _signed_in(elsewhere)
    with portal.db.read() as conn:
        assert store.authenticate(conn, "doi-mat-khau", PASSWORD) is None
        assert store.authenticate(conn, "doi-mat-khau", OTHER_PASSWORD) is not None
    assert ("đổi mật khẩu", "doi-mat-khau") in _audit(portal)
