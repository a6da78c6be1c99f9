"""End to end: a slice of baomoi imported, served by the real server, crawled to depth 2.

Every same-origin link from the home page, and every link on those pages, must
answer 200; every HTML page must parse with html5lib in strict mode (the HTML
standard's parsing algorithm, failing on any parse error); every feed and
sitemap (link rel=alternate, /sitemap.xml, robots.txt's Sitemap lines and what
a sitemap index lists) must be well-formed XML of the kind it claims to be.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import urljoin, urlsplit

import html5lib
import httpx
import pytest
from defusedxml import ElementTree
from lxml import html as lxml_html

from tests.support.app_server import AppServer, baomoi_slice, running

pytestmark = pytest.mark.loopback

SLICE = 120
DEPTH = 2
SITEMAP_NS = "{http://www.sitemaps.org/schemas/sitemap/0.9}"
FEED_ROOTS = ("rss", "{http://www.w3.org/2005/Atom}feed")


@dataclass
class Crawl:
    pages: dict[str, httpx.Response] = field(default_factory=dict)
    feeds: set[str] = field(default_factory=set)
    failures: list[str] = field(default_factory=list)


@pytest.fixture(scope="module")
def site(tmp_path_factory: pytest.TempPathFactory, shared_data: Path) -> Iterator[AppServer]:
    work = tmp_path_factory.mktemp("e2e")
    archive = baomoi_slice(shared_data, work / "baomoi.jsonl", SLICE)
    with running(work, [archive]) as server:
        yield server


def links(server: AppServer, url: str, body: str) -> tuple[set[str], set[str]]:
    """Same-origin pages and feeds this page links to (fragments dropped)."""
    tree = lxml_html.fromstring(body)
    pages: set[str] = set()
    feeds: set[str] = set()
    for el in tree.iter("a", "link"):
        href = el.get("href")
        if not href:
            continue
        target = urljoin(url, href).split("#", 1)[0]
        if urlsplit(target).netloc != urlsplit(server.base).netloc:
            continue
        rel = (el.get("rel") or "").split()
        if el.tag == "link" and "alternate" in rel and "xml" in (el.get("type") or ""):
            feeds.add(target)
        elif el.tag == "a" or "alternate" in rel or "canonical" in rel:
            pages.add(target)
    return pages, feeds


def crawl(server: AppServer, client: httpx.Client) -> Crawl:
    seen = Crawl()
    frontier = {server.url("/")}
    for depth in range(DEPTH + 1):
        found: set[str] = set()
        for url in sorted(frontier - seen.pages.keys()):
            response = client.get(url)
            seen.pages[url] = response
            if response.status_code != 200:
                seen.failures.append(f"{url}: HTTP {response.status_code}")
            elif "text/html" in response.headers.get("content-type", "") and depth < DEPTH:
                pages, feeds = links(server, url, response.text)
                found |= pages
                seen.feeds |= feeds
        frontier = found
    return seen


def html_errors(body: str) -> str | None:
    parser = html5lib.HTMLParser(strict=True, namespaceHTMLElements=False)
    try:
        parser.parse(body)
    except html5lib.html5parser.ParseError as exc:
        line, col = parser.errors[-1][0] if parser.errors else ("?", "?")
        return f"{exc} at {line}:{col}"
    return None


def xml_root(client: httpx.Client, url: str) -> tuple[str, object]:
    response = client.get(url)
    assert response.status_code == 200, f"{url}: HTTP {response.status_code}"
    assert "xml" in response.headers.get("content-type", ""), f"{url}: not served as XML"
    root = ElementTree.fromstring(response.content)
    return str(root.tag), root


def sitemaps(client: httpx.Client, server: AppServer) -> set[str]:
    robots = client.get(server.url("/robots.txt"))
    assert robots.status_code == 200
    listed = {
        line.split(":", 1)[1].strip()
        for line in robots.text.splitlines()
        if line.lower().startswith("sitemap:")
    }
    assert listed, "robots.txt names no sitemap"
    return listed | {server.url("/sitemap.xml")}


@pytest.fixture(scope="module")
def crawled(site: AppServer) -> Crawl:
    with httpx.Client(timeout=30) as client:
        return crawl(site, client)


def test_every_page_to_depth_two_is_200_and_valid_html(crawled: Crawl) -> None:
    assert crawled.failures == []
    html_pages = {
        url: r.text
        for url, r in crawled.pages.items()
        if "text/html" in r.headers.get("content-type", "")
    }
    assert len(html_pages) >= 30, f"only {len(html_pages)} pages reached from the home page"
    invalid = [f"{url}: {err}" for url, body in html_pages.items() if (err := html_errors(body))]
    assert invalid == []


def test_every_feed_and_sitemap_is_valid_xml(site: AppServer, crawled: Crawl) -> None:
    assert crawled.feeds, "no page announces a feed (link rel=alternate)"
    with httpx.Client(timeout=30) as client:
        for url in sorted(crawled.feeds):
            tag, _ = xml_root(client, url)
            assert tag in FEED_ROOTS, f"{url}: root {tag} is not a feed"
        pending = sorted(sitemaps(client, site))
        checked = 0
        while pending:
            url = pending.pop()
            tag, root = xml_root(client, url)
            assert tag in (f"{SITEMAP_NS}urlset", f"{SITEMAP_NS}sitemapindex"), f"{url}: {tag}"
            if tag.endswith("sitemapindex"):
                pending += [loc.text or "" for loc in root.iter(f"{SITEMAP_NS}loc")]  # type: ignore[attr-defined]
            checked += 1
        assert checked >= 2


def test_html_check_is_strict() -> None:
    """The validator the crawl relies on refuses what a browser would silently repair."""
    assert (
        html_errors("<!DOCTYPE html><html><head><title>t</title></head><body></body></html>")
        is None
    )
    assert html_errors("<!DOCTYPE html><title>t</title><p><div></span></div>") is not None
    assert html_errors("<html><title>t</title></html>") is not None  # no doctype
