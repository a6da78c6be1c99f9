"""XSS through content: > 400 vectors imported the way an operator imports, 0 executions.

The vectors of vectors.py go in through `diemtin import` (a JSONL archive and
a folder of saved pages, so both the plain-text fields and the extractor's HTML
path are attacked) and the search page's query string. Every page they reach,
article pages, lists, search, feeds, is then opened in real Chromium with its
CSP switched off, so a vector counts as executed even where only the CSP would
have stopped it: the escaping and the sanitizer are measured on their own.
"""

from __future__ import annotations

import json
import re
import sys
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import quote, urljoin, urlsplit

import httpx
import pytest
from lxml import html as lxml_html
from playwright.sync_api import Browser, Route
from playwright.sync_api import Error as PlaywrightError

from tests.browser import vectors
from tests.browser.conftest import offsite, require_browser
from tests.support import browser as support
from tests.support.app_server import AppServer, running

pytestmark = pytest.mark.browser

MIN_VECTORS = 400
SKIP_PREFIXES = ("/static/", "/api/", "/v/", "/healthz")
LABEL = re.compile(r"xv(\d+)")

# Markup a vector could have planted that would run on a click or in another browser.
ARMED_SCAN = r"""() => {
  const found = [];
  const risky = /^(javascript:|vbscript:|data:text\/html|data:application)/i;
  const urlAttrs = ['href', 'src', 'action', 'formaction', 'xlink:href', 'data', 'poster',
                    'background', 'srcdoc'];
  for (const el of document.querySelectorAll('*')) {
    const tag = el.tagName.toLowerCase();
    for (const attr of el.attributes) {
      const name = attr.name.toLowerCase();
      const value = attr.value.replace(/[\u0000-\u0020]/g, '');
      if (name.startsWith('on')) found.push(`${tag}[${name}]`);
      else if (urlAttrs.includes(name) && risky.test(value)) {
        found.push(`${tag}[${name}=${value.slice(0, 40)}]`);
      }
      else if (name === 'srcset' && /javascript:/i.test(value)) found.push(`${tag}[srcset]`);
      else if (name === 'style' && /javascript:|expression\(/i.test(value)) {
        found.push(`${tag}[style]`);
      }
    }
    if (['object', 'embed', 'frame', 'base'].includes(tag)) found.push(tag);
    if (tag === 'iframe' && !/^https:/i.test(el.getAttribute('src') || '')) found.push('iframe');
    if (tag === 'meta' && /refresh/i.test(el.httpEquiv || '')) found.push('meta refresh');
    if (tag === 'script' && el.type !== 'application/ld+json'
        && !(el.src && new URL(el.src).origin === location.origin)) {
      found.push('script: ' + (el.src || el.textContent).slice(0, 60));
    }
  }
  if (/\b1337\b/.test(document.body ? document.body.innerText : '')) found.push('template 1337');
  return found;
}"""


@dataclass
class Sweep:
    pages: int = 0
    delivered: set[int] = field(default_factory=set)
    armed: list[str] = field(default_factory=list)


@pytest.fixture(scope="module")
def xss_site(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[AppServer, list[str]]]:
    require_browser()
    work = tmp_path_factory.mktemp("xss-site")
    numbers = vectors.Numbering()
    archive = work / "xss.jsonl"
    archive.write_text(
        "".join(json.dumps(r, ensure_ascii=False) + "\n" for r in vectors.jsonl_records(numbers))
    )
    pages = vectors.write_pages(work / "pages", numbers)
    queries = [f"{v.label} {v.payload}" for v in vectors.reflected(numbers)]
    with running(work, [archive, pages]) as server:
        yield server, queries


def same_origin_links(base: str, url: str, body: str) -> set[str]:
    tree = lxml_html.fromstring(body or "<html></html>")
    found = set()
    for el in tree.iter("a", "link"):
        href = el.get("href")
        if not href or (el.tag == "link" and el.get("rel") not in ("alternate", "canonical")):
            continue
        target = urljoin(url, href).split("#", 1)[0]
        if target.startswith(base) and not urlsplit(target).path.startswith(SKIP_PREFIXES):
            found.add(target)
    return found


def article_urls(server: AppServer, client: httpx.Client) -> set[str]:
    urls: set[str] = set()
    for page in range(1, 100):
        params = {"page": page, "per_page": 100}
        items = client.get(server.url("/api/v1/articles"), params=params).json()["articles"]
        urls.update(str(item["url"]) for item in items)
        if len(items) < 100:
            return urls
    raise AssertionError("more pages of articles than the test expects")


def pages_to_visit(server: AppServer, queries: list[str]) -> dict[str, httpx.Response]:
    """Every page the vectors can reach: articles and what they link to, lists, search, feeds."""
    responses: dict[str, httpx.Response] = {}
    with httpx.Client(timeout=30) as client:
        frontier = {server.url("/"), server.url("/sitemap.xml")} | article_urls(server, client)
        frontier |= {server.url("/tim-kiem?q=") + quote(q) for q in [*queries, "xv"]}
        frontier |= {server.url("/khong-co/") + quote(q, safe="") for q in queries[:5]}
        for _depth in range(2):
            found: set[str] = set()
            for url in sorted(frontier - responses.keys()):
                response = client.get(url)
                responses[url] = response
                if "html" in response.headers.get("content-type", ""):
                    found |= same_origin_links(server.base, url, response.text)
            frontier = found
    return responses


def without_csp(responses: dict[str, httpx.Response]) -> list[str]:
    """HTML pages served without the second fence: a CSP allowing only our own scripts."""
    return [
        url
        for url, r in responses.items()
        if "html" in r.headers.get("content-type", "")
        and "script-src 'self'" not in r.headers.get("content-security-policy", "")
    ]


def as_plain_xml(route: Route) -> None:
    """Feeds (application/rss+xml) as application/xml: Chromium then renders them, and
    would run any XHTML script a feed let through, instead of saving them as downloads."""
    response = route.fetch()
    headers = {**response.headers, "content-type": "application/xml; charset=utf-8"}
    route.fulfill(response=response, headers=headers)


def test_xss_vectors_never_execute(browser: Browser, xss_site: tuple[AppServer, list[str]]) -> None:
    server, queries = xss_site
    responses = pages_to_visit(server, queries)
    sweep = Sweep()
    for response in responses.values():
        sweep.delivered.update(int(n) for n in LABEL.findall(response.text))
    context = browser.new_context(bypass_csp=True, java_script_enabled=True)
    context.route(lambda url: urlsplit(url).hostname != "127.0.0.1", offsite)
    for url, response in responses.items():
        if "+xml" in response.headers.get("content-type", ""):
            context.route(url, as_plain_xml)
    page = context.new_page()
    seen = support.watch(page)
    try:
        for url in sorted(responses):
            try:
                page.goto(url, wait_until="load", timeout=15_000)
            except PlaywrightError as exc:
                if "Download is starting" in str(exc):  # a feed Chromium saves, never runs
                    continue
                raise
            sweep.pages += 1
            sweep.armed.extend(f"{url}: {a}" for a in page.evaluate(ARMED_SCAN))
        page.wait_for_timeout(300)  # late timers and toggles of the last page
    finally:
        context.close()
    executed = seen.executions()
    print(
        f"\nXSS: {len(sweep.delivered)} vectors reached {sweep.pages} pages in Chromium:"
        f" {len(executed)} executed, {len(sweep.armed)} armed",
        file=sys.stderr,
    )
    assert len(sweep.delivered) >= MIN_VECTORS, f"only {len(sweep.delivered)} vectors delivered"
    assert executed == [], executed[:20]
    assert without_csp(responses) == []
    assert sweep.armed == [], "\n".join(sweep.armed[:40])


def test_the_hooks_see_an_execution(browser: Browser) -> None:
    """The same hooks on a page that does run vectors: each kind of execution is caught."""
    page = browser.new_page(bypass_csp=True)
    seen = support.watch(page)
    try:
        page.set_content(
            vectors.fill('<img src=x onerror="{js}"><a href="javascript:{js}">l</a>', 7)
            + vectors.fill("<svg onload={js}>", 8)
            + "<p>1337</p>"
        )
        page.wait_for_timeout(200)
        armed = page.evaluate(ARMED_SCAN)
    finally:
        page.close()
    assert seen.dialogs == ["alert: 8"]  # even numbers call alert(), odd ones __xss()
    assert len(seen.marker_calls) == 1 and "__xss(7)" in seen.marker_calls[0]
    assert "img[onerror]" in armed and "svg[onload]" in armed
    assert any(a.startswith("a[href=javascript") for a in armed) and "template 1337" in armed


def test_vectors_cover_the_goal(tmp_path: Path) -> None:
    numbers = vectors.Numbering()
    vectors.jsonl_records(numbers)
    vectors.write_pages(tmp_path, numbers)
    vectors.reflected(numbers)
    assert len(numbers.vectors) >= MIN_VECTORS * 2
    assert len({v.context for v in numbers.vectors}) >= 15
