"""The browser tier: Debian's Chromium (Playwright) against the real app on loopback."""

from __future__ import annotations

import os
import struct
import time
import zlib
from collections.abc import Callable, Iterator
from datetime import UTC, datetime
from typing import TYPE_CHECKING, Any
from urllib.parse import urlsplit

import httpx
import pytest

from tests.browser import corpus
from tests.conftest import shared_data_dir
from tests.support import browser as support
from tests.support.app_server import AppServer, baomoi_slice, running

if TYPE_CHECKING:
    from playwright.sync_api import Browser, Page, Route

BAOMOI_SLICE = 150
READS_ELSEWHERE = 30
READER_AGENT = (
    "Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko)"
    " Chrome/150.0.0.0 Safari/537.36"
)


def grey_png(width: int = 16, height: int = 9) -> bytes:
    """A plain grey PNG: the stand-in for publishers' images, as no route leads to them."""
    rows = b"".join(b"\x00" + b"\xcc\xcc\xcc" * width for _ in range(height))

    def chunk(kind: bytes, data: bytes) -> bytes:
        body = kind + data
        return struct.pack(">I", len(data)) + body + struct.pack(">I", zlib.crc32(body))

    header = struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0)
    return (
        b"\x89PNG\r\n\x1a\n"
        + chunk(b"IHDR", header)
        + chunk(b"IDAT", zlib.compress(rows))
        + chunk(b"IEND", b"")
    )


PNG = grey_png()


def require_browser() -> None:
    """Skips without Chromium or Playwright, except in CI, where that is a failure."""
    reason = support.unavailable_reason()
    if reason and os.environ.get("CI"):
        pytest.fail(f"the browser tier is required in CI: {reason}")
    if reason:
        pytest.skip(reason)


@pytest.fixture(scope="session")
def browser() -> Iterator[Browser]:
    require_browser()
    from playwright.sync_api import sync_playwright

    with sync_playwright() as pw:
        chromium = support.launch(pw)
        try:
            yield chromium
        finally:
            chromium.close()


def offsite(route: Route) -> None:
    """Requests that would leave loopback: images get a PNG, anything else an empty 204."""
    if route.request.resource_type == "image":
        route.fulfill(status=200, body=PNG, content_type="image/png")
    else:
        route.fulfill(status=204, body=b"")


@pytest.fixture
def open_page(browser: Browser) -> Iterator[Callable[..., tuple[Page, support.Watch]]]:
    """Opens pages in fresh contexts of the given viewport, each with a Watch on it."""
    contexts: list[Any] = []

    def open_(viewport: dict[str, int] | None = None) -> tuple[Page, support.Watch]:
        context = browser.new_context(viewport=viewport or support.DESKTOP, locale="vi-VN")
        context.route(
            lambda url: (
                urlsplit(url).hostname not in ("127.0.0.1", "localhost") and url.startswith("http")
            ),
            offsite,
        )
        contexts.append(context)
        page = context.new_page()
        return page, support.watch(page)

    yield open_
    for context in contexts:
        context.close()


@pytest.fixture(scope="session")
def article_site(tmp_path_factory: pytest.TempPathFactory) -> Iterator[AppServer]:
    """The corpus of corpus.py (plus a baomoi slice when the data is here), served and read.

    Tiêu điểm and Tin đang nóng rank by reads, so a reader reads a share of the
    articles first.
    """
    require_browser()
    work = tmp_path_factory.mktemp("article-site")
    now = datetime.now(UTC)
    (work / "sources.toml").write_text(corpus.sources_toml())
    archives = [corpus.write_jsonl(work / "recent.jsonl", now), corpus.write_pages(work / "p", now)]
    data = shared_data_dir()
    if data is not None and (data / "baomoi").is_dir():
        archives.insert(0, baomoi_slice(data, work / "baomoi.jsonl", BAOMOI_SLICE))
    # sidebars and pages recomputed every second: the reads made first show at once
    fresh = {"DIEMTIN_SIDEBAR_CACHE_SECONDS": "1", "DIEMTIN_PAGE_CACHE_SECONDS": "1"}
    sources = str(work / "sources.toml")
    with running(work, archives, DIEMTIN_SOURCES_FILE=sources, **fresh) as server:
        read_articles(server)
        time.sleep(1.1)  # the cached sidebars expire
        yield server


def corpus_articles(server: AppServer) -> list[dict[str, Any]]:
    found: list[dict[str, Any]] = []
    for page in (1, 2, 3):
        params = {"per_page": 100, "page": page}
        response = httpx.get(server.url("/api/v1/articles"), params=params, timeout=30)
        response.raise_for_status()
        found += response.json()["articles"]
    titles = {r["title"] for r in corpus.records(datetime.now(UTC))} | corpus.PAGE_TITLES
    return [a for a in found if a["title"] in titles]


def read_articles(server: AppServer) -> None:
    """One reader's view of every article of the main one's category and of READS_ELSEWHERE
    others, sent to the view beacon as engage.js sends it (the browser's own beacon is
    checked by the poll test; a page load per view would cost a second each)."""
    articles = corpus_articles(server)
    home = [a for a in articles if (a["category"] or {}).get("slug") == corpus.MAIN_CATEGORY]
    elsewhere = [a for a in articles if a not in home][:READS_ELSEWHERE]
    # a reader's browser: a headless one announces itself, and the site rightly ignores it
    with httpx.Client(headers={"User-Agent": READER_AGENT}, timeout=30) as reader:
        for article in home + elsewhere:
            beacon = server.url(f"/api/v1/articles/{article['id']}/view")
            assert reader.post(beacon, json={}).status_code == 204, beacon


def find_article(server: AppServer, title: str, source: str = "bao-mau") -> str:
    """The URL of our page for the article titled ``title``, found through the JSON API."""
    params: dict[str, str | int] = {"per_page": 100, "source": source}
    response = httpx.get(server.url("/api/v1/articles"), params=params, timeout=10)
    response.raise_for_status()
    for item in response.json()["articles"]:
        if item["title"] == title:
            return str(item["url"])
    raise AssertionError(f"{title!r} is not among the newest of {source}")
