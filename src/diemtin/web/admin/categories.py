"""Categories: add, rename, merge one into another, and set the menu order.

A merged category stays as a row pointing at the one it went into: feeds and old
links that name it by slug follow it there (``store.sources.category_ids``).
"""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import Connection, text
from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import BaseRoute, Route

from diemtin.pipeline.prepare import slugify
from diemtin.store import admin as store
from diemtin.web.admin.core import Act, Console, Refused, back

HOME = "/admin/chuyen-muc"


@dataclass(frozen=True)
class Row:
    id: int
    slug: str
    name: str
    position: int
    merged_into: str | None
    articles: int


def listing_rows(conn: Connection) -> list[Row]:
    rows = conn.execute(
        text(
            "SELECT c.id, c.slug, c.name, c.position, m.name,"
            " (SELECT COUNT(*) FROM articles a WHERE a.category_id = c.id)"
            " FROM categories c LEFT JOIN categories m ON m.id = c.merged_into"
            " ORDER BY c.merged_into IS NOT NULL, c.position, c.name"
        )
    ).all()
    return [Row(int(r[0]), r[1], r[2], int(r[3]), r[4], int(r[5])) for r in rows]


def _live(conn: Connection, category_id: int) -> str:
    name = conn.execute(
        text("SELECT name FROM categories WHERE id = :c AND merged_into IS NULL"),
        {"c": category_id},
    ).scalar_one_or_none()
    if name is None:
        raise Refused(f"Không có chuyên mục số {category_id} (hoặc nó đã được gộp).", 404)
    return str(name)


def _name(act: Act) -> str:
    name = act.text("ten", 100)
    if not name:
        raise Refused("Chuyên mục cần một tên.")
    return name


def routes(console: Console) -> list[BaseRoute]:
    db = console.site.db

    async def listing(request: Request, session: store.Session) -> Response:
        with db.read() as conn:
            rows = listing_rows(conn)
        return console.render(request, "admin/categories.html", session, rows=rows)

    async def add(request: Request, act: Act) -> Response:
        name = _name(act)
        slug = slugify(act.text("slug", 100) or name)
        if not slug:
            raise Refused("Không tạo được mã (slug) từ tên này: hãy nhập mã.")
        with db.write() as conn:
            if conn.execute(text("SELECT 1 FROM categories WHERE slug = :s"), {"s": slug}).first():
                raise Refused(f"Đã có chuyên mục mã {slug!r}.", 409)
            last = conn.execute(text("SELECT MAX(position) FROM categories")).scalar_one()
            conn.execute(
                text(
                    "INSERT INTO categories (slug, name, position, created_at)"
                    " VALUES (:s, :n, :p, :t)"
                ),
                {"s": slug, "n": name, "p": int(last or 0) + 10, "t": act.now},
            )
            store.record(conn, act.user, "thêm chuyên mục", slug, name, act.now)
        return back(HOME, f"Đã thêm chuyên mục {name}.", act)

    async def rename(request: Request, act: Act) -> Response:
        category_id, name = int(request.path_params["category_id"]), _name(act)
        with db.write() as conn:
            old = _live(conn, category_id)
            conn.execute(
                text("UPDATE categories SET name = :n WHERE id = :c"), {"n": name, "c": category_id}
            )
            store.record(conn, act.user, "đổi tên chuyên mục", old, name, act.now)
        return back(HOME, f"Đã đổi tên {old} thành {name}.", act)

    async def order(request: Request, act: Act) -> Response:
        category_id, position = int(request.path_params["category_id"]), act.number("thu_tu")
        if position > 1_000_000:
            raise Refused("Thứ tự tối đa là 1000000.")
        with db.write() as conn:
            name = _live(conn, category_id)
            conn.execute(
                text("UPDATE categories SET position = :p WHERE id = :c"),
                {"p": position, "c": category_id},
            )
            store.record(conn, act.user, "đổi thứ tự", name, str(position), act.now)
        return back(HOME, f"{name} ở vị trí {position}.", act)

    async def merge(request: Request, act: Act) -> Response:
        source, into = act.number("tu"), act.number("vao")
        if source == into:
            raise Refused("Không gộp một chuyên mục vào chính nó.")
        with db.write() as conn:
            gone, kept = _live(conn, source), _live(conn, into)
            conn.execute(
                text("UPDATE categories SET merged_into = :i WHERE id = :s OR merged_into = :s"),
                {"i": into, "s": source},
            )
            conn.execute(
                text("UPDATE articles SET category_id = :i WHERE category_id = :s"),
                {"i": into, "s": source},
            )
            store.record(conn, act.user, "gộp chuyên mục", gone, f"vào {kept}", act.now)
        return back(HOME, f"Đã gộp {gone} vào {kept}.", act)

    one = HOME + "/{category_id:int}"
    return [
        Route(HOME, console.page(listing), methods=["GET"]),
        Route(HOME + "/them", console.action(add), methods=["POST"]),
        Route(HOME + "/gop", console.action(merge), methods=["POST"]),
        Route(one + "/doi-ten", console.action(rename), methods=["POST"]),
        Route(one + "/thu-tu", console.action(order), methods=["POST"]),
    ]
