"""Articles in the console: hide and restore (readers see it at once, through the page
cache), correct the category, pin to Tiêu điểm, the review list; each change audited."""

from __future__ import annotations

from sqlalchemy import text
from starlette.testclient import TestClient

from diemtin.store import admin as store
from diemtin.text import fold
from tests.unit.web.admin.conftest import NAME, new_client, sign_in
from tests.unit.web.portal import NOW, Portal


def _audit(portal: Portal) -> list[tuple[str, str, str, int]]:
    with portal.db.read() as conn:
        return [(e.user, e.action, e.target, e.at) for e in store.audit_log(conn, limit=5)]


def test_hiding_takes_the_article_off_the_site_at_once(portal: Portal) -> None:
    timer = [1000.0]
    client = new_client(portal, timer=lambda: timer[0])
    token = sign_in(client)
    article_id = portal.ids[4]
    reader = f"/a/{article_id}"
    assert client.get(reader).status_code == 200
    assert client.get(reader).status_code == 200  # now served from the page cache
    title = client.get(f"/admin/bai-viet?q={article_id}").text
    assert "Ẩn" in title
    response = client.post(
        f"/admin/bai-viet/{article_id}/an", data={"csrf": token, "ve": "/admin/bai-viet"}
    )
    assert response.status_code == 303
    assert response.headers["location"].startswith("/admin/bai-viet?tb=")
    timer[0] += 1.1  # the cache reads the store's generation at most once a second
    assert client.get(reader).status_code == 404
    assert f"/a/{article_id}" not in client.get("/").text
    assert _audit(portal)[0] == (NAME, "ẩn", f"bài {article_id}", NOW)
    # restored, it is back for readers
    client.post(f"/admin/bai-viet/{article_id}/hien", data={"csrf": token})
    timer[0] += 1.1
    assert client.get(reader).status_code == 200
    assert _audit(portal)[0][1] == "hiện lại"


def test_a_removed_article_stays_removed(admin: tuple[TestClient, str], portal: Portal) -> None:
    client, token = admin
    removed = portal.ids[39]
    client.post(f"/admin/bai-viet/{removed}/hien", data={"csrf": token})
    with portal.db.read() as conn:
        status = conn.execute(
            text("SELECT status FROM articles WHERE id = :a"), {"a": removed}
        ).scalar_one()
    assert status == "removed"


def test_correcting_the_category_marks_it_as_the_operators(
    admin: tuple[TestClient, str], portal: Portal
) -> None:
    client, token = admin
    article_id = portal.ids[8]
    with portal.db.read() as conn:
        target = conn.execute(
            text(
                "SELECT id, name FROM categories WHERE id <> (SELECT category_id FROM articles"
                " WHERE id = :a) AND merged_into IS NULL ORDER BY id LIMIT 1"
            ),
            {"a": article_id},
        ).one()
    response = client.post(
        f"/admin/bai-viet/{article_id}/chuyen-muc", data={"csrf": token, "chuyen_muc": target[0]}
    )
    assert response.status_code == 303
    with portal.db.read() as conn:
        row = conn.execute(
            text("SELECT category_id, category_source FROM articles WHERE id = :a"),
            {"a": article_id},
        ).one()
    assert tuple(row) == (target[0], "operator")
    assert _audit(portal)[0][1:3] == ("đổi chuyên mục", f"bài {article_id}")


def test_bad_input_is_refused_and_changes_nothing(
    admin: tuple[TestClient, str], portal: Portal
) -> None:
    client, token = admin
    before = _audit(portal)
    cases = [
        (f"/admin/bai-viet/{portal.ids[8]}/chuyen-muc", {"chuyen_muc": "abc"}, 400),
        (f"/admin/bai-viet/{portal.ids[8]}/chuyen-muc", {"chuyen_muc": "999999"}, 404),
        (f"/admin/bai-viet/{portal.ids[8]}/chuyen-muc", {}, 400),
        ("/admin/bai-viet/999999/an", {}, 404),
        ("/admin/bai-viet/999999/ghim", {}, 404),
    ]
    for path, form, status in cases:
        response = client.post(path, data={"csrf": token, **form})
        assert response.status_code == status, (path, form)
        assert "Không thực hiện được" in response.text
    assert _audit(portal) == before


def test_pins_are_stored_for_ranking_newest_first(portal: Portal) -> None:
    clock = [float(NOW)]
    client = new_client(portal, clock=lambda: clock[0])
    token = sign_in(client)
    first, second = portal.ids[21], portal.ids[20]
    for article_id in (first, second):
        assert client.post(f"/admin/bai-viet/{article_id}/ghim", data={"csrf": token}).is_redirect
        clock[0] += 5
    with portal.db.read() as conn:
        assert store.pinned(conn)[:2] == [second, first]
    assert "Đã ghim" in client.get(f"/admin/bai-viet?q={first}").text
    portal.sql("UPDATE articles SET status = 'hidden' WHERE id = :a", a=second)
    with portal.db.read() as conn:
        assert second not in store.pinned(conn)  # a hidden article is not shown pinned
    portal.sql("UPDATE articles SET status = 'visible' WHERE id = :a", a=second)
    for article_id in (first, second):
        client.post(f"/admin/bai-viet/{article_id}/bo-ghim", data={"csrf": token})
    with portal.db.read() as conn:
        assert not {first, second} & set(store.pinned(conn))


def test_the_review_list_shows_only_articles_waiting_for_a_category(
    admin: tuple[TestClient, str], portal: Portal
) -> None:
    client, _ = admin
    waiting = portal.ids[30]
    portal.sql(
        "UPDATE articles SET category_id = NULL, category_source = 'review' WHERE id = :a",
        a=waiting,
    )
    page = client.get("/admin/bai-viet/cho-duyet").text
    assert f'id="bai-{waiting}"' in page
    assert f'id="bai-{portal.ids[31]}"' not in page


def test_search_finds_by_id_url_and_title(admin: tuple[TestClient, str], portal: Portal) -> None:
    client, _ = admin
    article_id = portal.ids[12]
    with portal.db.read() as conn:
        url, title = conn.execute(
            text("SELECT url, title FROM articles WHERE id = :a"), {"a": article_id}
        ).one()
    words = title.split()[1:4]
    typed = (" ".join(words), fold(" ".join(words)), " ".join(words).upper())
    for q in (str(article_id), url, title[3:15], *typed):  # accents or none, any case
        page = client.get("/admin/bai-viet", params={"q": q}).text
        assert f'id="bai-{article_id}"' in page, q
    assert 'id="bai-' not in client.get("/admin/bai-viet", params={"q": "không-có-bài-này"}).text


def test_hiding_one_and_restoring_another_at_once_still_reaches_readers(portal: Portal) -> None:
    # the count of articles off the site is unchanged by the pair; the audit log is not
    timer = [5000.0]
    client = new_client(portal, timer=lambda: timer[0])
    token = sign_in(client)
    shown, hidden = portal.ids[14], portal.ids[15]
    portal.sql("UPDATE articles SET status = 'hidden' WHERE id = :a", a=hidden)
    timer[0] += 1.1
    assert client.get(f"/a/{shown}").status_code == 200
    assert client.get(f"/a/{hidden}").status_code == 404
    client.post(f"/admin/bai-viet/{shown}/an", data={"csrf": token})
    client.post(f"/admin/bai-viet/{hidden}/hien", data={"csrf": token})
    timer[0] += 1.1
    assert client.get(f"/a/{shown}").status_code == 404
    assert client.get(f"/a/{hidden}").status_code == 200
    client.post(f"/admin/bai-viet/{shown}/hien", data={"csrf": token})


def test_only_the_consoles_own_notices_are_shown(
    admin: tuple[TestClient, str], portal: Portal
) -> None:
    client, token = admin
    article_id = portal.ids[16]
    done = client.post(
        f"/admin/bai-viet/{article_id}/ghim",
        data={"csrf": token, "ve": f"/admin/bai-viet?q={article_id}"},
    )
    location = done.headers["location"]
    assert location.startswith(f"/admin/bai-viet?q={article_id}&tb=")
    page = client.get(location).text
    assert f"Đã ghim bài {article_id}." in page
    assert 'name="ve" value="/admin/bai-viet?q=' + str(article_id) + '"' in page  # notice dropped
    forged = client.get("/admin/bai-viet?tb=Mật khẩu đã hết hạn, hãy gửi lại&ky=0").text
    assert "Mật khẩu đã hết hạn" not in forged
    client.post(f"/admin/bai-viet/{article_id}/bo-ghim", data={"csrf": token})
