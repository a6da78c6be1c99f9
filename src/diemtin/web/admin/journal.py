"""The audit log: every change made through the console, newest first, with who and when."""

from __future__ import annotations

from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import BaseRoute, Route

from diemtin.store import admin as store
from diemtin.web.admin.core import Console

PER_PAGE = 100


def routes(console: Console) -> list[BaseRoute]:
    async def journal(request: Request, session: store.Session) -> Response:
        before = request.query_params.get("truoc", "")
        start = int(before) if before.isdigit() and len(before) < 18 else None
        with console.site.db.read() as conn:
            entries = store.audit_log(conn, limit=PER_PAGE, before=start)
        return console.render(
            request,
            "admin/journal.html",
            session,
            entries=entries,
            more=len(entries) == PER_PAGE,
        )

    return [Route("/admin/nhat-ky", console.page(journal), methods=["GET"])]
