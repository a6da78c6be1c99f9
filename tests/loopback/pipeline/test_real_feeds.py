"""`crawl --once` over the real VnExpress RSS files and pages of ../shared/data, on loopback.

The feeds are served as published, with their vnexpress.net links pointed at
the loopback publisher. Each linked page is built from its own feed item (title,
description, image: the real text), except that two entries carry the real
VnExpress article pages of vi-html. A news sitemap, written here, lists those.
"""

from __future__ import annotations

import dataclasses
import html
import re
from pathlib import Path

import pytest
from sqlalchemy import text

from diemtin.fetch import Fetcher
from diemtin.pipeline.crawl import Crawler
from diemtin.pipeline.setup import open_store
from diemtin.settings import Settings
from tests.support.publisher import Publisher
from tests.support.site import page_html

pytestmark = pytest.mark.loopback
ITEM = re.compile(r"<item>.*?</item>", re.S)
# vnexpress.net and its section hosts (dulich., video.) all move onto the loopback publisher
VNEXPRESS = re.compile(r"https?://(?:(\w+\.)(?=vnexpress))?vnexpress\.net/")


def _field(item: str, name: str) -> str:
    match = re.search(rf"<{name}>\s*(?:<!\[CDATA\[)?(.*?)(?:\]\]>)?\s*</{name}>", item, re.S)
    return match.group(1).strip() if match else ""


def _serve_feed(pub: Publisher, path: Path, base: str) -> tuple[str, set[str]]:
    raw = VNEXPRESS.sub(lambda m: f"{base}/{m.group(1) or ''}", path.read_text(encoding="utf-8"))
    links: set[str] = set()
    for item in ITEM.findall(raw):
        link = _field(item, "link")
        if not link.startswith(base):
            continue
        summary = html.unescape(re.sub(r"<[^>]+>", " ", _field(item, "description"))).strip()
        image = re.search(r'src="([^"]+)"', _field(item, "description"))
        page = page_html(
            title=html.unescape(_field(item, "title")),
            sapo=summary,
            canonical=link,
            paragraphs=[f"{summary} (1)", f"{summary} (2)"],
            image=image.group(1) if image else f"{base}/a.jpg",
            caption="Ảnh: VnExpress",
            published="2017-02-18T15:16:55+07:00",
        )
        pub.route(
            link.removeprefix(base),
            page.encode(),
            headers={"Content-Type": "text/html; charset=utf-8"},
        )
        links.add(link)
    pub.route(f"/rss/{path.name}", raw.encode(), headers={"Content-Type": "application/rss+xml"})
    return pub.url(f"/rss/{path.name}"), links


def _sources(tmp: Path, feeds: list[str], sitemap: str, home: str) -> Path:
    lines = [
        "[[publishers]]",
        'slug = "vnexpress-loopback"',
        'name = "VnExpress"',
        f'homepage = "{home}"',
        "feeds = [",
    ]
    lines += [f'  {{ url = "{u}" }},' for u in feeds]
    lines += [f'  {{ url = "{sitemap}", kind = "sitemap" }},', "]"]
    path = tmp / "sources.toml"
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


def test_crawl_real_feeds_and_pages(shared_data: Path, tmp_path: Path) -> None:
    with Publisher() as pub:
        base = pub.url("").rstrip("/")
        feeds: list[str] = []
        expected: set[str] = set()
        for rss in sorted((shared_data / "rss-xml").glob("*.rss.xml")):
            url, links = _serve_feed(pub, rss, base)
            feeds.append(url)
            expected |= links
        real_pages = sorted((shared_data / "vi-html").glob("*.html"))
        locs = []
        for i, page in enumerate(real_pages):
            pub.route(
                f"/real-{i}.html",
                page.read_bytes(),
                headers={"Content-Type": "text/html; charset=utf-8"},
            )
            locs.append(f"<url><loc>{base}/real-{i}.html</loc></url>")
        sitemap = (
            '<?xml version="1.0"?><urlset xmlns="http://www.sitemaps.org/schemas/'
            f'sitemap/0.9">{"".join(locs)}</urlset>'
        )
        pub.route("/sitemap-news.xml", sitemap.encode(), headers={"Content-Type": "text/xml"})
        settings = dataclasses.replace(
            Settings(),
            database_url=f"sqlite:///{tmp_path / 'd.db'}",
            builtin_sources=False,
            sources_file=str(_sources(tmp_path, feeds, pub.url("/sitemap-news.xml"), base + "/")),
            fetch_allow_hosts=("127.0.0.1",),
            fetch_host_delay=0.0,
            fetch_per_host=4,
            articles_per_feed=100,
        )
        db = open_store(settings)
        with Fetcher(settings) as fetcher:
            report = Crawler(db, fetcher, settings).run_once()
    assert report.feeds_failed == 0 and report.items_failed == 0, report.errors[:5]
    with db.read() as conn:
        rows = conn.execute(
            text(
                "SELECT a.url, a.title, a.sapo, a.body_text, a.published_at,"
                " (SELECT COUNT(*) FROM article_images i WHERE i.article_id = a.id) FROM articles a"
            )
        ).all()
    urls = [r[0] for r in rows]
    real = {f"{base}/real-{i}.html" for i in range(len(real_pages))}
    # every linked article once, though snapshots of one feed repeat items
    assert sorted(urls) == sorted(expected | real)
    for url, title, sapo, body, published, figures in rows:
        assert title and sapo and body and published, url
        if "/real-" not in url:
            assert figures == 1, url
