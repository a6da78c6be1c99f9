"""Sources: health of each, disable or enable, and add one by URL after a preview.

The preview is a POST (it makes the server fetch, so it needs the CSRF token like any
change) and saves nothing; the save form it shows carries what was found.
"""

from __future__ import annotations

import asyncio

from sqlalchemy import Connection, text
from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import BaseRoute, Route

from diemtin.model import FeedKind, FeedSpec, IngestError, Publisher
from diemtin.pipeline.prepare import slugify
from diemtin.store import admin as store
from diemtin.store.sources import upsert_source
from diemtin.web.admin import discover, health
from diemtin.web.admin.core import Act, Action, Console, Refused, back


def categories(conn: Connection) -> list[tuple[str, str]]:
    """(slug, name) of the live categories: feeds name their category by slug."""
    rows = conn.execute(
        text("SELECT slug, name FROM categories WHERE merged_into IS NULL ORDER BY position, name")
    ).all()
    return [(str(r[0]), str(r[1])) for r in rows]


def _url(value: str) -> str:
    if not value.startswith(("http://", "https://")) or len(value) > 2000:
        raise Refused("Địa chỉ phải bắt đầu bằng http:// hoặc https:// (tối đa 2000 ký tự).")
    return value


def routes(console: Console) -> list[BaseRoute]:
    db, settings = console.site.db, console.site.settings

    async def listing(request: Request, session: store.Session) -> Response:
        with db.read() as conn:
            rows = health.sources(conn, console.now())
        return console.render(
            request,
            "admin/sources.html",
            session,
            rows=rows,
            part_names=health.PART_NAMES,
        )

    async def add_form(request: Request, session: store.Session) -> Response:
        with db.read() as conn:
            cats = categories(conn)
        return console.render(request, "admin/source_add.html", session, categories=cats)

    async def preview(request: Request, act: Act) -> Response:
        url, name = _url(act.text("url", 2000)), act.text("ten", 200)
        category = act.text("chuyen_muc", 100)
        try:
            found = await asyncio.to_thread(discover.preview, settings, url, name)
        except IngestError as exc:
            raise Refused(f"Không đọc được {url}: {exc}", 422) from exc
        with db.read() as conn:
            cats = categories(conn)
            taken = conn.execute(
                text("SELECT 1 FROM sources WHERE slug = :s"), {"s": found.slug}
            ).first()
        return console.render(
            request,
            "admin/source_preview.html",
            act.session,
            p=found,
            categories=cats,
            category=category,
            taken=taken is not None,
        )

    async def save(request: Request, act: Act) -> Response:
        feed_url, homepage = _url(act.text("feed", 2000)), _url(act.text("homepage", 2000))
        kind = act.text("kind", 20)
        if kind not in {k.value for k in FeedKind}:
            raise Refused(f"Loại nguồn không hợp lệ: {kind!r}.")
        slug, name = slugify(act.text("slug", 100)), act.text("ten", 200)
        if not slug or not name:
            raise Refused("Nguồn cần tên và mã (slug).")
        category = act.text("chuyen_muc", 100) or None
        pub = Publisher(
            slug=slug,
            name=name,
            homepage=homepage,
            feeds=(FeedSpec(feed_url, FeedKind(kind), category),),
        )
        with db.write() as conn:
            if (
                category
                and not conn.execute(
                    text("SELECT 1 FROM categories WHERE slug = :c AND merged_into IS NULL"),
                    {"c": category},
                ).first()
            ):
                raise Refused(f"Không có chuyên mục {category!r}.")
            upsert_source(conn, pub, act.now, origin="operator")
            store.record(conn, act.user, "thêm nguồn", slug, f"{kind} {feed_url}", act.now)
        return back("/admin/nguon", f"Đã thêm nguồn {name}.", act)

    def toggle(enabled: bool) -> Action:
        async def change(request: Request, act: Act) -> Response:
            source_id = int(request.path_params["source_id"])
            with db.write() as conn:
                slug = conn.execute(
                    text("SELECT slug FROM sources WHERE id = :i"), {"i": source_id}
                ).scalar_one_or_none()
                if slug is None:
                    raise Refused(f"Không có nguồn số {source_id}.", 404)
                conn.execute(
                    text("UPDATE sources SET enabled = :e WHERE id = :i"),
                    {"e": int(enabled), "i": source_id},
                )
                label = "bật nguồn" if enabled else "tắt nguồn"
                store.record(conn, act.user, label, str(slug), "", act.now)
            return back("/admin/nguon", f"Đã {label} {slug}.", act)

        return change

    one = "/admin/nguon/{source_id:int}"
    return [
        Route("/admin/nguon", console.page(listing), methods=["GET"]),
        Route("/admin/nguon/them", console.page(add_form), methods=["GET"]),
        Route("/admin/nguon/xem-truoc", console.action(preview), methods=["POST"]),
        Route("/admin/nguon/luu", console.action(save), methods=["POST"]),
        Route(one + "/tat", console.action(toggle(False)), methods=["POST"]),
        Route(one + "/bat", console.action(toggle(True)), methods=["POST"]),
    ]
