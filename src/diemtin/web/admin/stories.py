"""Stories: merge two that are one, or split an article out of a story it does not belong to.

Both go through ``diemtin.store.stories``, which locks the stories and marks the moved
articles as placed by the operator, so automatic grouping leaves the decision be.
"""

from __future__ import annotations

from sqlalchemy import Connection, text
from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import BaseRoute, Route

from diemtin.store import admin as store
from diemtin.store.stories import Member, merge_stories, split_article, story_members
from diemtin.web.admin.core import Act, Console, Refused, back

SHOWN = 30


def recent(conn: Connection, story_id: int | None) -> list[tuple[int, str, bool, list[Member]]]:
    """The latest-updated live stories (or the one asked for), each with its articles."""
    rows = conn.execute(
        text(
            "SELECT id, title, locked FROM stories WHERE merged_into IS NULL AND article_count > 0"
            " AND (CAST(:s AS BIGINT) IS NULL OR id = :s)"
            " ORDER BY last_updated_at DESC, id DESC LIMIT :n"
        ),
        {"s": story_id, "n": SHOWN},
    ).all()
    return [(int(r[0]), str(r[1]), bool(r[2]), story_members(conn, int(r[0]))) for r in rows]


def routes(console: Console) -> list[BaseRoute]:
    db = console.site.db

    async def listing(request: Request, session: store.Session) -> Response:
        q = request.query_params.get("so", "").strip()
        wanted = int(q) if q.isdigit() and len(q) < 18 else None
        with db.read() as conn:
            stories = recent(conn, wanted)
        return console.render(
            request,
            "admin/stories.html",
            session,
            stories=stories,
            q=q,
        )

    async def merge(request: Request, act: Act) -> Response:
        keep, absorb = act.number("giu"), act.number("gop")
        with db.write() as conn:
            try:
                merge_stories(conn, keep, absorb)
            except (LookupError, ValueError) as exc:
                raise Refused(f"Không gộp được: {exc}.") from exc
            detail = f"câu chuyện {absorb} vào {keep}"
            store.record(conn, act.user, "gộp câu chuyện", f"câu chuyện {keep}", detail, act.now)
        return back(f"/admin/cau-chuyen?so={keep}", f"Đã gộp câu chuyện {absorb} vào {keep}.", act)

    async def split(request: Request, act: Act) -> Response:
        article_id = act.number("bai")
        with db.write() as conn:
            try:
                new_id = split_article(conn, article_id, now=act.now)
            except LookupError as exc:
                raise Refused(f"Không tách được: {exc}.", 404) from exc
            detail = f"sang câu chuyện mới {new_id}"
            store.record(conn, act.user, "tách bài", f"bài {article_id}", detail, act.now)
        return back(
            f"/admin/cau-chuyen?so={new_id}", f"Bài {article_id} thành câu chuyện {new_id}.", act
        )

    return [
        Route("/admin/cau-chuyen", console.page(listing), methods=["GET"]),
        Route("/admin/cau-chuyen/gop", console.action(merge), methods=["POST"]),
        Route("/admin/cau-chuyen/tach", console.action(split), methods=["POST"]),
    ]
