"""Sources in the console: health, disable and enable, and adding one by URL through the
fetcher's SSRF guard, with a preview of three extracted articles before anything is saved."""

from __future__ import annotations

import dataclasses
import json
from collections.abc import Iterator

import pytest
from lxml import html
from sqlalchemy import text
from starlette.testclient import TestClient

from diemtin.model import Publisher as Source
from diemtin.store.sources import upsert_source
from diemtin.web.app import create_app
from tests.support.archives import article_record
from tests.support.publisher import Publisher
from tests.support.site import serve_site
from tests.unit.web.admin.conftest import sign_in
from tests.unit.web.admin.test_routes import changed, dump
from tests.unit.web.portal import NOW, Portal


def _source(portal: Portal, slug: str) -> tuple[int, int]:
    with portal.db.read() as conn:
        row = conn.execute(
            text("SELECT id, enabled FROM sources WHERE slug = :s"), {"s": slug}
        ).one()
    return int(row[0]), int(row[1])


def test_health_shows_fetching_output_and_extraction_quality(
    admin: tuple[TestClient, str], portal: Portal
) -> None:
    client, _ = admin
    source_id, _ = _source(portal, "bao-mau")
    portal.sql(
        "INSERT INTO feeds (source_id, url, kind, next_check_at, last_checked_at, error_streak,"
        " last_error, last_error_kind, created_at) VALUES (:s, 'https://bao-mau.vn/rss', 'rss',"
        " :n, :c, 3, 'kết nối bị từ chối', 'connect', 0)",
        s=source_id,
        n=NOW + 600,
        c=NOW - 60,
    )
    page = client.get("/admin/nguon").text
    row = page[page.index('id="nguon-bao-mau"') :]
    row = row[: row.index("</tr>")]
    assert '<span class="bad">3</span>' in row and "connect: kết nối bị từ chối" in row
    assert "1 kênh" in row
    assert "thân bài" in row and "%" in row  # each part's share of the recent articles
    dashboard = client.get("/admin").text
    assert "Nguồn đang lỗi" in dashboard and "3 lần lỗi liên tiếp" in dashboard
    portal.sql("DELETE FROM feeds WHERE url = 'https://bao-mau.vn/rss'")


def test_disable_and_enable_a_source(admin: tuple[TestClient, str], portal: Portal) -> None:
    client, token = admin
    source_id, _ = _source(portal, "bao-ba")
    assert client.post(f"/admin/nguon/{source_id}/tat", data={"csrf": token}).is_redirect
    assert _source(portal, "bao-ba")[1] == 0
    assert client.post(f"/admin/nguon/{source_id}/bat", data={"csrf": token}).is_redirect
    assert _source(portal, "bao-ba")[1] == 1
    assert client.post("/admin/nguon/999999/tat", data={"csrf": token}).status_code == 404


@pytest.mark.parametrize(
    ("url", "status", "message"),
    [
        ("ftp://example.vn/rss", 400, "http://"),
        ("javascript:alert(1)", 400, "http://"),
        ("http://127.0.0.1:9/rss", 422, "Không đọc được"),  # loopback: the SSRF guard says no
        ("http://169.254.169.254/latest/meta-data/", 422, "Không đọc được"),
        ("http://10.0.0.1/", 422, "Không đọc được"),
    ],
)
def test_a_url_the_guard_refuses_is_never_fetched_nor_saved(
    admin: tuple[TestClient, str], portal: Portal, url: str, status: int, message: str
) -> None:
    client, token = admin
    before = dump(portal.db)
    response = client.post("/admin/nguon/xem-truoc", data={"csrf": token, "url": url})
    assert response.status_code == status
    assert message in response.text
    assert not changed(before, dump(portal.db))


@pytest.fixture
def publisher() -> Iterator[Publisher]:
    with Publisher() as pub:
        yield pub


@pytest.mark.loopback
def test_add_a_source_by_its_home_page_after_a_preview(
    portal: Portal, publisher: Publisher
) -> None:
    feed = serve_site(publisher, range(100, 105))
    publisher.route(
        "/",
        f'<html><head><link rel="alternate" type="application/rss+xml" href="{feed}">'
        "</head><body>Báo Mẫu</body></html>",
    )
    settings = dataclasses.replace(
        portal.settings, fetch_allow_hosts=("127.0.0.1",), fetch_host_delay=0.0, fetch_retries=0
    )
    client = TestClient(
        create_app(portal.db, settings, clock=lambda: NOW),
        base_url="https://testserver",
        follow_redirects=False,
    )
    token = sign_in(client)
    before = dump(portal.db)
    shown = client.post(
        "/admin/nguon/xem-truoc",
        data={"csrf": token, "url": publisher.url("/"), "ten": "Báo Thử"},
    )
    assert shown.status_code == 200, shown.text[:500]
    assert not changed(before, dump(portal.db)), "the preview saved something"
    assert feed in shown.text
    assert shown.text.count("<article>") == 3  # three extracted articles
    doc = html.fromstring(shown.text)
    titles = [" ".join(h.text_content().split()) for h in doc.cssselect("section.preview h2")]
    assert titles == [str(article_record(i)["title"]) for i in (100, 101, 102)]
    assert all("1 ảnh" in a.text_content() for a in doc.cssselect("section.preview article"))
    save_form = doc.cssselect('form[action="/admin/nguon/luu"]')[0]
    form = {i.get("name"): i.get("value") or "" for i in save_form.cssselect("input")}
    form["chuyen_muc"] = ""
    assert form["feed"] == feed and form["kind"] == "rss" and form["ten"] == "Báo Thử"
    saved = client.post("/admin/nguon/luu", data=form)
    assert saved.status_code == 303
    with portal.db.read() as conn:
        row = conn.execute(
            text(
                "SELECT s.name, s.origin, f.kind FROM sources s JOIN feeds f"
                " ON f.source_id = s.id WHERE f.url = :u"
            ),
            {"u": feed},
        ).one()
    assert tuple(row) == ("Báo Thử", "operator", "rss")
    assert "Báo Thử" in client.get("/admin/nguon").text


def test_edit_the_section_map_and_rules_of_an_operators_source(
    admin: tuple[TestClient, str], portal: Portal
) -> None:
    client, token = admin
    source_id, _ = _source(portal, "bao-tu")
    portal.sql("UPDATE sources SET origin = 'operator' WHERE id = :i", i=source_id)
    with portal.db.read() as conn:
        category = conn.execute(
            text("SELECT slug FROM categories WHERE merged_into IS NULL ORDER BY id LIMIT 1")
        ).scalar_one()
    path = f"/admin/nguon/{source_id}/quy-tac"
    assert "Lưu quy tắc" in client.get(path).text
    form = {
        "csrf": token,
        "sections": f"/the-gioi/ {category}\nhttps://bao-tu.vn/xa-hoi/ {category}\n",
        "body": "article.fck_detail",
        "drop": ".ads\ndiv.related",
    }
    assert client.post(path, data=form).status_code == 303
    with portal.db.read() as conn:
        sections, rules = conn.execute(
            text("SELECT sections, rules FROM sources WHERE id = :i"), {"i": source_id}
        ).one()
    assert json.loads(sections) == [
        ["/the-gioi/", category],
        ["https://bao-tu.vn/xa-hoi/", category],
    ]
    assert json.loads(rules) == {"body": "article.fck_detail", "drop": [".ads", "div.related"]}
    page = client.get(path).text
    assert "article.fck_detail" in page and f"/the-gioi/ {category}" in page
    bad = [
        {"sections": "/the-gioi/"},
        {"sections": "the-gioi/ x"},
        {"sections": "/the-gioi/ khong-co-muc-nay"},
        {"body": "p[["},
        {"drop": "div >> >"},
    ]
    for fields in bad:
        response = client.post(path, data={"csrf": token, **fields})
        assert response.status_code == 400, fields
    with portal.db.read() as conn:
        assert (
            conn.execute(
                text("SELECT rules FROM sources WHERE id = :i"), {"i": source_id}
            ).scalar_one()
            == rules
        )  # nothing changed


def test_a_shipped_sources_edited_rules_survive_the_registry_sync(
    admin: tuple[TestClient, str], portal: Portal
) -> None:
    client, token = admin
    registry_id, _ = _source(portal, "bao-nam")
    portal.sql("UPDATE sources SET origin = 'registry' WHERE id = :i", i=registry_id)
    sections = "/the-gioi/ the-gioi"
    response = client.post(
        f"/admin/nguon/{registry_id}/quy-tac", data={"csrf": token, "sections": sections}
    )
    assert response.status_code == 303
    with portal.db.write() as conn:
        slug, name = conn.execute(
            text("SELECT slug, name FROM sources WHERE id = :i"), {"i": registry_id}
        ).one()
        shipped = Source(slug=slug, name=name, homepage="")
        upsert_source(conn, shipped, 0)  # what a restart's registry sync does
        origin, kept = conn.execute(
            text("SELECT origin, sections FROM sources WHERE id = :i"), {"i": registry_id}
        ).one()
    assert origin == "edited" and "/the-gioi/" in kept
