"""Stories (merge, split through store.stories) and categories (add, rename, merge, order)."""

from __future__ import annotations

from sqlalchemy import text
from starlette.testclient import TestClient

from diemtin.store import admin as store
from tests.unit.web.portal import Portal


def _story_of(portal: Portal, record: int) -> int | None:
    with portal.db.read() as conn:
        found = conn.execute(
            text("SELECT story_id FROM articles WHERE id = :a"), {"a": portal.ids[record]}
        ).scalar_one()
    return None if found is None else int(found)


def _last_action(portal: Portal) -> tuple[str, str]:
    with portal.db.read() as conn:
        entry = store.audit_log(conn, limit=1)[0]
    return entry.action, entry.target


def test_split_an_article_out_then_merge_it_back(
    admin: tuple[TestClient, str], portal: Portal
) -> None:
    client, token = admin
    story = _story_of(portal, 0)
    assert story is not None and _story_of(portal, 3) == story
    page = client.get(f"/admin/cau-chuyen?so={story}").text
    assert f'id="cc-{story}"' in page and "Tách ra" in page
    response = client.post("/admin/cau-chuyen/tach", data={"csrf": token, "bai": portal.ids[3]})
    assert response.status_code == 303
    alone = _story_of(portal, 3)
    assert alone is not None and alone != story
    assert _last_action(portal) == ("tách bài", f"bài {portal.ids[3]}")
    with portal.db.read() as conn:
        locked = conn.execute(text("SELECT locked FROM stories WHERE id = :s"), {"s": alone})
        assert locked.scalar_one() == 1  # grouping leaves the operator's decision be
    response = client.post(
        "/admin/cau-chuyen/gop", data={"csrf": token, "giu": story, "gop": alone}
    )
    assert response.status_code == 303
    assert _story_of(portal, 3) == story
    assert _last_action(portal) == ("gộp câu chuyện", f"câu chuyện {story}")


def test_story_changes_refuse_bad_input(admin: tuple[TestClient, str], portal: Portal) -> None:
    client, token = admin
    story = _story_of(portal, 0)
    for path, form, status in [
        ("/admin/cau-chuyen/gop", {"giu": story, "gop": story}, 400),
        ("/admin/cau-chuyen/gop", {"giu": story, "gop": 999999}, 400),
        ("/admin/cau-chuyen/gop", {"giu": "x", "gop": story}, 400),
        ("/admin/cau-chuyen/tach", {"bai": 999999}, 404),
    ]:
        assert client.post(path, data={"csrf": token, **form}).status_code == status, form


def _categories(portal: Portal) -> dict[str, tuple[int, str, int, int | None]]:
    with portal.db.read() as conn:
        rows = conn.execute(
            text("SELECT slug, id, name, position, merged_into FROM categories")
        ).all()
    return {r[0]: (int(r[1]), r[2], int(r[3]), r[4]) for r in rows}


def test_add_rename_order_and_merge_categories(
    admin: tuple[TestClient, str], portal: Portal
) -> None:
    client, token = admin
    assert client.post("/admin/chuyen-muc/them", data={"csrf": token, "ten": "Xe cộ"}).is_redirect
    cats = _categories(portal)
    new_id = cats["xe-co"][0]
    assert cats["xe-co"][1] == "Xe cộ"
    assert (
        client.post("/admin/chuyen-muc/them", data={"csrf": token, "ten": "Xe cộ"}).status_code
        == 409
    )
    client.post(f"/admin/chuyen-muc/{new_id}/doi-ten", data={"csrf": token, "ten": "Ô tô, xe máy"})
    client.post(f"/admin/chuyen-muc/{new_id}/thu-tu", data={"csrf": token, "thu_tu": "0"})
    assert _categories(portal)["xe-co"][1:3] == ("Ô tô, xe máy", 0)
    # merge a category holding articles into the new one: its articles follow
    with portal.db.read() as conn:
        old_id, count = conn.execute(
            text(
                "SELECT category_id, COUNT(*) FROM articles WHERE category_id IS NOT NULL"
                " GROUP BY category_id ORDER BY category_id LIMIT 1"
            )
        ).one()
    response = client.post(
        "/admin/chuyen-muc/gop", data={"csrf": token, "tu": old_id, "vao": new_id}
    )
    assert response.status_code == 303
    with portal.db.read() as conn:
        moved = conn.execute(
            text("SELECT COUNT(*) FROM articles WHERE category_id = :c"), {"c": new_id}
        ).scalar_one()
        merged = conn.execute(
            text("SELECT merged_into FROM categories WHERE id = :c"), {"c": old_id}
        ).scalar_one()
    assert moved == count and merged == new_id
    assert _last_action(portal)[0] == "gộp chuyên mục"
    page = client.get("/admin/chuyen-muc").text
    assert "đã gộp vào Ô tô, xe máy" in page
    # a merged category can be neither renamed nor merged again
    bad = [
        (f"/admin/chuyen-muc/{old_id}/doi-ten", {"ten": "Lại"}, 404),
        ("/admin/chuyen-muc/gop", {"tu": old_id, "vao": new_id}, 404),
        ("/admin/chuyen-muc/gop", {"tu": new_id, "vao": new_id}, 400),
        (f"/admin/chuyen-muc/{new_id}/doi-ten", {"ten": "  "}, 400),
        (f"/admin/chuyen-muc/{new_id}/thu-tu", {"thu_tu": "-1"}, 400),
        ("/admin/chuyen-muc/them", {"ten": "x" * 101}, 400),
    ]
    for path, form, status in bad:
        assert client.post(path, data={"csrf": token, **form}).status_code == status, form


def test_dashboard_and_journal_render(admin: tuple[TestClient, str]) -> None:
    client, _ = admin
    page = client.get("/admin").text
    for heading in ("Bài mới lấy về theo giờ", "Lượt đọc theo giờ", "Lượt bình chọn theo giờ"):
        assert heading in page
    assert page.count("<rect ") == 3 * 24
    assert "<strong>3220</strong>lượt đọc" in page  # the portal's views, all in one hour
    assert "Câu chuyện đang được đọc nhiều" in page
    journal = client.get("/admin/nhat-ky").text
    assert "đăng nhập" in journal
