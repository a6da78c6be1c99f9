"""Articles: find recent ones, hide or restore, correct the category, pin to Tiêu điểm, and
the review list (articles the model would not file, waiting for a category).

Hiding changes ``articles.status``, which the page cache's generation counts, so
readers stop seeing the article within the cache's one-second check.
"""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import Connection, text
from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import BaseRoute, Route

from diemtin.store import admin as store
from diemtin.text import fold
from diemtin.web.admin.core import Act, Action, Console, Refused, back

PER_PAGE = 50
STATUSES = {"visible": "Đang hiện", "hidden": "Đã ẩn", "removed": "Đã gỡ"}


@dataclass(frozen=True)
class Row:
    id: int
    title: str
    url: str
    source: str
    category: str
    category_source: str
    status: str
    published_at: int | None
    pinned: bool


def categories(conn: Connection) -> list[tuple[int, str]]:
    rows = conn.execute(
        text("SELECT id, name FROM categories WHERE merged_into IS NULL ORDER BY position, name")
    ).all()
    return [(int(r[0]), str(r[1])) for r in rows]


def find(conn: Connection, q: str, status: str, review: bool, page: int) -> list[Row]:
    """Newest first; ``q`` is an id, a URL, or words of the title with or without accents."""
    where, params = ["1 = 1"], {"n": PER_PAGE, "o": (page - 1) * PER_PAGE}
    if q.isdigit() and len(q) < 18:
        where.append("a.id = :id")
        params["id"] = int(q)
    elif q.startswith(("http://", "https://")):
        where.append("(a.url = :q OR a.canonical_url = :q)")
        params["q"] = q  # type: ignore[assignment]
    elif folded := fold(q).replace("%", "").replace("_", ""):
        # the stored folded title: "bo truong" finds "Bộ trưởng", whatever the case
        where.append("a.title_key LIKE :like")
        params["like"] = f"%{folded}%"  # type: ignore[assignment]
    if status in STATUSES:
        where.append("a.status = :st")
        params["st"] = status  # type: ignore[assignment]
    if review:
        where.append("a.category_source = 'review' AND a.category_id IS NULL")
    rows = conn.execute(
        text(
            "SELECT a.id, a.title, a.url, COALESCE(s.name, ''), COALESCE(c.name, ''),"
            " COALESCE(a.category_source, ''), a.status, a.published_at,"
            " (SELECT 1 FROM article_pins p WHERE p.article_id = a.id)"
            " FROM articles a LEFT JOIN sources s ON s.id = a.source_id"
            " LEFT JOIN categories c ON c.id = a.category_id"
            f" WHERE {' AND '.join(where)} ORDER BY a.id DESC LIMIT :n OFFSET :o"
        ),
        params,
    ).all()
    return [
        Row(
            id=int(r[0]),
            title=str(r[1]),
            url=str(r[2]),
            source=str(r[3]),
            category=str(r[4]),
            category_source=str(r[5]),
            status=str(r[6]),
            published_at=r[7],
            pinned=r[8] is not None,
        )
        for r in rows
    ]


def _exists(conn: Connection, article_id: int) -> str:
    title = conn.execute(
        text("SELECT title FROM articles WHERE id = :a"), {"a": article_id}
    ).scalar_one_or_none()
    if title is None:
        raise Refused(f"Không có bài số {article_id}.", 404)
    return str(title)


def routes(console: Console) -> list[BaseRoute]:
    db = console.site.db

    async def listing(request: Request, session: store.Session, review: bool = False) -> Response:
        params = request.query_params
        q = params.get("q", "").strip()[:300]
        page = int(p) if (p := params.get("trang", "1")).isdigit() and 0 < len(p) < 6 else 1
        with db.read() as conn:
            rows = find(conn, q, params.get("trang-thai", ""), review, page)
            cats = categories(conn)
        return console.render(
            request,
            "admin/articles.html",
            session,
            rows=rows,
            q=q,
            status=params.get("trang-thai", ""),
            statuses=STATUSES,
            categories=cats,
            page=page,
            more=len(rows) == PER_PAGE,
            review=review,
        )

    async def review_list(request: Request, session: store.Session) -> Response:
        return await listing(request, session, review=True)

    def set_status(status: str, label: str) -> Action:
        async def change(request: Request, act: Act) -> Response:
            article_id = int(request.path_params["article_id"])
            with db.write() as conn:
                title = _exists(conn, article_id)
                conn.execute(
                    text("UPDATE articles SET status = :s WHERE id = :a AND status <> 'removed'"),
                    {"s": status, "a": article_id},
                )
                store.record(conn, act.user, label, f"bài {article_id}", title, act.now)
            return back(act.form.get("ve", "/admin/bai-viet"), f"Đã {label} bài {article_id}.", act)

        return change

    async def set_category(request: Request, act: Act) -> Response:
        article_id = int(request.path_params["article_id"])
        category_id = act.number("chuyen_muc")
        with db.write() as conn:
            title = _exists(conn, article_id)
            name = conn.execute(
                text("SELECT name FROM categories WHERE id = :c AND merged_into IS NULL"),
                {"c": category_id},
            ).scalar_one_or_none()
            if name is None:
                raise Refused(f"Không có chuyên mục số {category_id}.", 404)
            conn.execute(
                text(
                    "UPDATE articles SET category_id = :c, category_source = 'operator',"
                    " category_confidence = NULL WHERE id = :a"
                ),
                {"c": category_id, "a": article_id},
            )
            detail = f"{name}: {title}"
            store.record(conn, act.user, "đổi chuyên mục", f"bài {article_id}", detail, act.now)
        return back(act.form.get("ve", "/admin/bai-viet"), f"Bài {article_id} vào mục {name}.", act)

    async def pin(request: Request, act: Act) -> Response:
        article_id = int(request.path_params["article_id"])
        with db.write() as conn:
            title = _exists(conn, article_id)
            store.pin(conn, article_id, act.user, act.now)
            store.record(conn, act.user, "ghim Tiêu điểm", f"bài {article_id}", title, act.now)
        return back(act.form.get("ve", "/admin/bai-viet"), f"Đã ghim bài {article_id}.", act)

    async def unpin(request: Request, act: Act) -> Response:
        article_id = int(request.path_params["article_id"])
        with db.write() as conn:
            title = _exists(conn, article_id)
            store.unpin(conn, article_id)
            store.record(conn, act.user, "bỏ ghim", f"bài {article_id}", title, act.now)
        return back(act.form.get("ve", "/admin/bai-viet"), f"Đã bỏ ghim bài {article_id}.", act)

    one = "/admin/bai-viet/{article_id:int}"
    return [
        Route("/admin/bai-viet", console.page(listing), methods=["GET"]),
        Route("/admin/bai-viet/cho-duyet", console.page(review_list), methods=["GET"]),
        Route(one + "/an", console.action(set_status("hidden", "ẩn")), methods=["POST"]),
        Route(one + "/hien", console.action(set_status("visible", "hiện lại")), methods=["POST"]),
        Route(one + "/chuyen-muc", console.action(set_category), methods=["POST"]),
        Route(one + "/ghim", console.action(pin), methods=["POST"]),
        Route(one + "/bo-ghim", console.action(unpin), methods=["POST"]),
    ]
