"""The console in real Chromium: sign in, hide an article and see it gone from the site;
add a source served by the loopback publisher, see its preview, save it, watch it ingest.
"""

from __future__ import annotations

import time
from collections.abc import Callable, Iterator
from pathlib import Path

import httpx
import pytest
from playwright.sync_api import Page, expect

from tests.support import browser as support
from tests.support.app_server import AppServer, diemtin, environment, running
from tests.support.archives import article_record, write_jsonl
from tests.support.publisher import Publisher
from tests.support.site import serve_site

pytestmark = pytest.mark.browser

NAME = "bientap"
PASSWORD = "mật khẩu của biên tập viên"
OpenPage = Callable[..., tuple[Page, support.Watch]]


@pytest.fixture(scope="module")
def console_site(tmp_path_factory: pytest.TempPathFactory) -> Iterator[AppServer]:
    work = tmp_path_factory.mktemp("console-site")
    archive = write_jsonl(work / "tin.jsonl", [article_record(i) for i in range(12)])
    extra = {"DIEMTIN_FETCH_ALLOW_HOSTS": "127.0.0.1", "DIEMTIN_FETCH_HOST_DELAY": "0"}
    secret = work / "pw"
    secret.write_text(PASSWORD, encoding="utf-8")
    diemtin(environment(work / "site.db", **extra), "admin", "create-user", NAME,
            "--password-file", str(secret))  # fmt: skip
    with running(work, [archive], **extra) as server:
        yield server


def sign_in(page: Page, server: AppServer) -> None:
    page.goto(server.url("/admin/bai-viet"))
    expect(page).to_have_url(server.url("/admin/dang-nhap?tiep=/admin/bai-viet"))
    page.get_by_label("Tên đăng nhập").fill(NAME)
    page.get_by_label("Mật khẩu").fill(PASSWORD)
    page.get_by_role("button", name="Đăng nhập").click()
    expect(page).to_have_url(server.url("/admin/bai-viet"))


def article_id(server: AppServer) -> int:
    response = httpx.get(server.url("/api/v1/articles"), params={"per_page": 5}, timeout=10)
    response.raise_for_status()
    return int(response.json()["articles"][0]["id"])


def eventually(check: Callable[[], bool], seconds: float = 5.0) -> bool:
    """The page cache reads the store's generation at most once a second."""
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if check():
            return True
        time.sleep(0.2)
    return check()


def test_sign_in_hide_an_article_and_it_is_gone_from_the_site(
    console_site: AppServer, open_page: OpenPage
) -> None:
    page, seen = open_page()
    target = article_id(console_site)
    reader = console_site.url(f"/a/{target}")
    assert httpx.get(reader, timeout=10).status_code == 200
    sign_in(page, console_site)
    page.goto(console_site.url(f"/admin/bai-viet?q={target}"))
    row = page.locator(f"#bai-{target}")
    row.get_by_role("button", name="Ẩn").click()
    expect(page.locator(".notice")).to_contain_text(f"Đã ẩn bài {target}.")
    expect(page.locator(f"#bai-{target}")).to_contain_text("Đã ẩn")
    assert eventually(lambda: httpx.get(reader, timeout=10).status_code == 404)
    shown = page.goto(reader)
    assert shown is not None and shown.status == 404  # in the browser too
    home = httpx.get(console_site.url("/"), timeout=10).text
    assert f"/a/{target}" not in home
    page.goto(console_site.url("/admin/nhat-ky"))
    expect(page.locator("table.list tbody tr").first).to_contain_text("ẩn")
    expect(page.locator("table.list tbody tr").first).to_contain_text(NAME)
    errors = [e for e in seen.console_errors if not e.endswith(f"/a/{target}")]  # the 404 above
    assert not seen.page_errors and not errors, seen


@pytest.fixture
def publisher() -> Iterator[Publisher]:
    with Publisher() as pub:
        yield pub


def test_add_a_source_see_its_preview_save_it_and_watch_it_ingest(
    console_site: AppServer, open_page: OpenPage, publisher: Publisher, tmp_path: Path
) -> None:
    feed = serve_site(publisher, range(200, 204))
    publisher.route(
        "/", f'<html><head><link rel="alternate" type="application/rss+xml" href="{feed}">'
        "</head><body>Báo Loopback</body></html>",
    )  # fmt: skip
    page, seen = open_page()
    sign_in(page, console_site)
    page.goto(console_site.url("/admin/nguon/them"))
    page.get_by_label("Địa chỉ").fill(publisher.url("/"))
    page.get_by_label("Tên báo").fill("Báo Loopback")
    page.get_by_role("button", name="Xem trước").click()
    previews = page.locator("section.preview article h2")
    expect(previews).to_have_count(3)
    expect(previews.first).to_have_text(str(article_record(200)["title"]))
    page.get_by_role("button", name="Lưu nguồn").click()
    expect(page.locator(".notice")).to_contain_text("Đã thêm nguồn Báo Loopback.")
    expect(page.locator("#nguon-127-0-0-1")).to_contain_text("Báo Loopback")
    # the next crawl picks it up, and its articles reach the site
    env = environment(
        Path(console_site.log).parent / "site.db",
        DIEMTIN_FETCH_ALLOW_HOSTS="127.0.0.1",
        DIEMTIN_FETCH_HOST_DELAY="0",
    )
    diemtin(env, "crawl", "--once", timeout=120)
    title = str(article_record(201)["title"])
    assert eventually(lambda: title in httpx.get(console_site.url("/"), timeout=10).text, 10)
    page.goto(console_site.url("/admin/nguon"))
    expect(page.locator("#nguon-127-0-0-1")).to_contain_text("4 bài")
    page.screenshot(path=support.artifacts_dir() / "admin-sources.png", full_page=True)
    page.goto(console_site.url("/admin"))
    expect(page.locator("svg.chart")).to_have_count(3)
    page.screenshot(path=support.artifacts_dir() / "admin-dashboard.png", full_page=True)
    assert not seen.page_errors and not seen.console_errors, seen
