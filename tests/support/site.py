"""A small Vietnamese news site for the loopback publisher: article pages and their RSS.

The markup follows the structure of VnExpress article pages (h1.title-detail,
p.description for the sapo, article.fck_detail for the body, figure with
figcaption and a right-aligned byline); the text is generated here.
"""

from __future__ import annotations

import dataclasses
from html import escape
from pathlib import Path
from typing import Any

from diemtin.settings import Settings
from tests.support.archives import article_record
from tests.support.publisher import Publisher


def page_html(
    *,
    title: str,
    sapo: str,
    paragraphs: list[str],
    canonical: str,
    image: str,
    caption: str,
    published: str,
) -> str:
    body = "".join(f'<p class="Normal">{escape(p)}</p>' for p in paragraphs[:1])
    body += (
        f'<figure><img src="{image}" width="680" height="408" alt="">'
        f'<figcaption><p class="Image">{escape(caption)}</p></figcaption></figure>'
    )
    body += "".join(f'<p class="Normal">{escape(p)}</p>' for p in paragraphs[1:])
    return f"""<!doctype html><html lang="vi"><head><meta charset="utf-8">
<title>{escape(title)} - Báo Mẫu</title>
<link rel="canonical" href="{canonical}">
<meta property="article:published_time" content="{published}">
<meta name="description" content="{escape(sapo)}">
</head><body><header><nav><a href="/">Trang chủ</a> <a href="/the-gioi">Thế giới</a></nav></header>
<main><article>
<h1 class="title-detail">{escape(title)}</h1>
<span class="date">Thứ tư, 22/10/2025, 07:00 (GMT+7)</span>
<p class="description">{escape(sapo)}</p>
<article class="fck_detail">{body}
<p class="Normal" style="text-align:right;"><strong>Lê Phương</strong></p>
</article></article></main>
<footer><p>© Báo Mẫu. Giấy phép số 123.</p></footer></body></html>"""


def article_html(i: int, base: str) -> str:
    rec = article_record(i)
    body = str(rec["body"])
    cut = body.index(". ", len(body) // 2) + 1
    return page_html(
        title=str(rec["title"]),
        sapo=str(rec["sapo"]),
        canonical=f"{base}/tin-tuc/bai-{i}.html",
        paragraphs=[
            body[:cut],
            body[cut:].strip(),
            f"Đoạn cuối của bài {i}, có số liệu 2+2 và Sjögren.",
        ],
        image=f"{base}/img/{i}.jpg",
        caption=f"Quang cảnh sự kiện số {i}. Ảnh: Ngọc Thành",
        published=str(rec["published"]),
    )


def rss(base: str, ids: range, *, guid: str = "bai-{i}") -> str:
    items = "".join(
        f"""<item><title>{escape(str(article_record(i)["title"]))}</title>
<link>{base}/tin-tuc/bai-{i}.html</link><guid isPermaLink="false">{guid.format(i=i)}</guid>
<description>{escape(str(article_record(i)["sapo"]))}</description>
<pubDate>Wed, {1 + i % 28:02d} Oct 2025 08:{i % 60:02d}:00 +0700</pubDate></item>"""
        for i in ids
    )
    return (
        f'<?xml version="1.0" encoding="UTF-8"?><rss version="2.0"><channel>'
        f"<title>Báo Mẫu</title><link>{base}/</link>{items}</channel></rss>"
    )


def serve_site(pub: Publisher, ids: range, *, delay: float = 0.0) -> str:
    """Routes for the feed and every article page; returns the feed's URL."""
    base = pub.url("").rstrip("/")
    for i in ids:
        pub.route(
            f"/tin-tuc/bai-{i}.html",
            article_html(i, base).encode(),
            headers={"Content-Type": "text/html; charset=utf-8"},
            delay=delay,
        )
    pub.route(
        "/rss/tin-moi-nhat.rss",
        rss(base, ids).encode(),
        headers={"Content-Type": "application/rss+xml"},
    )
    return pub.url("/rss/tin-moi-nhat.rss")


def sources_toml(feed_url: str, homepage: str, category: str = "the-gioi") -> str:
    return f"""[[publishers]]
slug = "bao-mau"
name = "Báo Mẫu"
homepage = "{homepage}"

[[publishers.feeds]]
url = "{feed_url}"
category = "{category}"
"""


def loopback_settings(database_url: str, sources_file: Path, **overrides: Any) -> Settings:
    """Settings for crawling the loopback publisher: only our sources, 127.0.0.1 allowed."""
    base: dict[str, Any] = {
        "database_url": database_url,
        "builtin_sources": False,
        "sources_file": str(sources_file),
        "fetch_allow_hosts": ("127.0.0.1",),
        "fetch_host_delay": 0.0,
        "fetch_timeout": 5.0,
        "fetch_retries": 0,
        "fetch_backoff": 0.01,
    }
    return dataclasses.replace(Settings(), **(base | overrides))
