"""Every console screen and one change of each kind, on SQLite and PostgreSQL."""

from __future__ import annotations

from pathlib import Path

from sqlalchemy import text

from diemtin.store.admin import audit_log, create_user
from tests.unit.web.admin.conftest import NAME, PASSWORD, new_client, sign_in
from tests.unit.web.portal import NOW, build


def test_each_screen_and_change_on_both_engines(tmp_path: Path, database_url: str) -> None:
    portal = build(tmp_path, database_url)
    with portal.db.write() as conn:
        create_user(conn, NAME, PASSWORD, NOW)
        story = conn.execute(text("SELECT MIN(id) FROM stories")).scalar_one()
        source_id = conn.execute(text("SELECT MIN(id) FROM sources")).scalar_one()
        cats = conn.execute(text("SELECT id FROM categories ORDER BY id LIMIT 2")).scalars().all()
    client = new_client(portal)
    token = sign_in(client)
    for path in (
        "/admin",
        "/admin/bai-viet?q=Tin",
        "/admin/bai-viet?q=1&trang-thai=hidden",
        "/admin/bai-viet/cho-duyet",
        "/admin/nguon",
        "/admin/nguon/them",
        f"/admin/nguon/{source_id}/quy-tac",
        f"/admin/cau-chuyen?so={story}",
        "/admin/chuyen-muc",
        "/admin/nhat-ky",
    ):
        response = client.get(path)
        assert response.status_code == 200, (path, response.text[:300])
    article = portal.ids[2]
    changes = [
        (f"/admin/bai-viet/{article}/an", {}),
        (f"/admin/bai-viet/{article}/hien", {}),
        (f"/admin/bai-viet/{article}/chuyen-muc", {"chuyen_muc": cats[1]}),
        (f"/admin/bai-viet/{article}/ghim", {}),
        (f"/admin/nguon/{source_id}/tat", {}),
        (f"/admin/nguon/{source_id}/bat", {}),
        ("/admin/cau-chuyen/tach", {"bai": portal.ids[0]}),
        ("/admin/chuyen-muc/them", {"ten": "Xe cộ"}),
        (f"/admin/chuyen-muc/{cats[0]}/thu-tu", {"thu_tu": "5"}),
        (f"/admin/chuyen-muc/{cats[0]}/doi-ten", {"ten": "Tên mới"}),
        ("/admin/chuyen-muc/gop", {"tu": cats[0], "vao": cats[1]}),
    ]
    for path, form in changes:
        response = client.post(path, data={"csrf": token, **form})
        assert response.status_code == 303, (path, response.text[:300])
    with portal.db.read() as conn:
        log = audit_log(conn)
    assert len(log) == len(changes) + 1  # and the sign-in
    assert all(e.user == NAME and e.at == NOW for e in log)
    assert client.get("/admin").status_code == 200
    portal.db.close()
