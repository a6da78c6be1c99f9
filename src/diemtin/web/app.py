"""The reader's site, served by Starlette with Jinja2 templates."""

from __future__ import annotations

from pathlib import Path

from jinja2 import Environment, FileSystemLoader, select_autoescape
from starlette.applications import Starlette
from starlette.exceptions import HTTPException
from starlette.requests import Request
from starlette.responses import HTMLResponse, JSONResponse, Response
from starlette.routing import Route

from diemtin.settings import Settings
from diemtin.store.db import Database
from diemtin.timefmt import vietnam_time
from diemtin.web import queries
from diemtin.web.api import api_routes
from diemtin.web.search import search_routes

TEMPLATES = Path(__file__).parent / "templates"
# Only our own resources; article HTML is sanitized on the way in, and this is the second fence.
CSP = "default-src 'self'; img-src 'self' https: data:; script-src 'self'; object-src 'none'"


def create_app(db: Database, settings: Settings) -> Starlette:
    env = Environment(loader=FileSystemLoader(TEMPLATES), autoescape=select_autoescape())
    env.filters["vntime"] = vietnam_time

    def render(name: str, status: int = 200, **context: object) -> HTMLResponse:
        html = env.get_template(name).render(site=settings.site_name, **context)
        return HTMLResponse(html, status_code=status, headers={"Content-Security-Policy": CSP})

    async def home(request: Request) -> Response:
        with db.read() as conn:
            items = queries.latest(conn)
            status = None if items else queries.why_empty(conn)
        return render("home.html", items=items, empty=status)

    async def article(request: Request) -> Response:
        try:
            article_id = int(request.path_params["article_id"])
        except ValueError:
            raise HTTPException(404) from None
        with db.read() as conn:
            page = queries.article(conn, article_id)
        if page is None or page.status == "hidden":
            raise HTTPException(404)
        if page.status == "removed":
            raise HTTPException(410)
        return render("article.html", a=page)

    async def healthz(request: Request) -> Response:
        db.ping()
        return JSONResponse({"ok": True})

    async def error(request: Request, exc: Exception) -> Response:
        code = exc.status_code if isinstance(exc, HTTPException) else 500
        return render("error.html", status=code, code=code)

    return Starlette(
        routes=[
            Route("/", home),
            Route("/a/{article_id}", article),
            Route("/healthz", healthz),
            *api_routes(db, settings),
            *search_routes(db, settings, render),
        ],
        exception_handlers={HTTPException: error},
    )
