"""What every console screen shares: the session guard, CSRF, form reading and rendering.

A GET handler is wrapped by ``page``: no live session, and the browser is sent to
sign in. A change is wrapped by ``action``: no session or no matching CSRF token,
and the answer is 403 before the handler runs, so nothing changes. Console pages
are never cached: they say ``no-store`` and never opt in to the page cache.
"""

from __future__ import annotations

import hashlib
import hmac
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import parse_qsl, quote, urlencode

from starlette.requests import Request
from starlette.responses import HTMLResponse, PlainTextResponse, RedirectResponse, Response

from diemtin import engage
from diemtin.store import admin as store
from diemtin.web.site import Site

COOKIE = "dt_admin"
PATH = "/admin"
SIGN_IN = "/admin/dang-nhap"
MAX_FORM_BYTES = 64 * 1024
HEADERS = {
    "Cache-Control": "no-store",
    "Content-Security-Policy": (
        "default-src 'self'; img-src 'self' data:; script-src 'none'; object-src 'none';"
        " frame-ancestors 'none'; form-action 'self'; base-uri 'none'"
    ),
    "X-Frame-Options": "DENY",
    "Referrer-Policy": "same-origin",
    "X-Content-Type-Options": "nosniff",
}
CSS = Path(__file__).parent.parent / "templates" / "admin" / "admin.css"


class Refused(Exception):
    """Bad input to an action: shown to the operator with ``status``; nothing was changed."""

    def __init__(self, message: str, status: int = 400) -> None:
        super().__init__(message)
        self.message, self.status = message, status


@dataclass(frozen=True)
class Act:
    """What an action gets: who is acting, the form, and the time."""

    session: store.Session
    form: dict[str, str]
    now: int

    @property
    def user(self) -> str:
        return self.session.user.name

    def text(self, name: str, limit: int = 500) -> str:
        value = self.form.get(name, "").strip()
        if len(value) > limit:
            raise Refused(f"'{name}' dài quá {limit} ký tự.")
        return value

    def number(self, name: str) -> int:
        value = self.form.get(name, "").strip()
        if not value.isdigit() or len(value) > 18:
            raise Refused(f"'{name}' phải là một số nguyên dương.")
        return int(value)


Page = Callable[[Request, store.Session], Awaitable[Response]]
Action = Callable[[Request, Act], Awaitable[Response]]


class Console:
    def __init__(self, site: Site) -> None:
        self.site = site
        self.proxies = engage.parse_proxies(site.settings.trusted_proxies)
        self.secure = site.settings.base_url.lower().startswith("https://")

    def now(self) -> int:
        return self.site.now()

    def client(self, request: Request) -> str:
        peer = request.client.host if request.client else None
        return engage.client_address(peer, request.headers.get("x-forwarded-for"), self.proxies)

    def render(
        self,
        request: Request,
        template: str,
        session: store.Session | None,
        code: int = 200,
        **context: object,
    ) -> HTMLResponse:
        html = self.site.env.get_template(template).render(
            session=session,
            csrf=session.csrf if session else "",
            path=request.url.path,
            query=request.url.query,
            notice=notice(request, session),
            here=_here(request),
            **context,
        )
        return HTMLResponse(html, status_code=code, headers=HEADERS)

    def refuse(self, request: Request, session: store.Session | None, err: Refused) -> Response:
        return self.render(request, "admin/message.html", session, err.status, message=err.message)

    def session(self, request: Request) -> store.Session | None:
        with self.site.db.read() as conn:
            return store.load_session(conn, request.cookies.get(COOKIE), self.now())

    def page(self, handler: Page) -> Callable[[Request], Awaitable[Response]]:
        async def guarded(request: Request) -> Response:
            session = self.session(request)
            if session is None:
                target = request.url.path + (f"?{request.url.query}" if request.url.query else "")
                return RedirectResponse(f"{SIGN_IN}?tiep={quote(target)}", 303, headers=HEADERS)
            try:
                return await handler(request, session)
            except Refused as err:
                return self.refuse(request, session, err)

        return guarded

    def action(self, handler: Action) -> Callable[[Request], Awaitable[Response]]:
        async def guarded(request: Request) -> Response:
            session = self.session(request)
            form = await read_form(request)
            if session is None or not same(form.get("csrf"), session.csrf):
                return forbidden()
            try:
                return await handler(request, Act(session, form, self.now()))
            except Refused as err:
                return self.refuse(request, session, err)

        return guarded


def same(given: str | None, expected: str) -> bool:
    # as bytes: compare_digest refuses str with non-ASCII characters, which a form can hold
    return (
        bool(given)
        and bool(expected)
        and hmac.compare_digest(str(given).encode(), expected.encode())
    )


def forbidden() -> Response:
    return PlainTextResponse(
        "Yêu cầu bị từ chối: phiên đăng nhập hoặc mã chống giả mạo (CSRF) không hợp lệ.",
        403,
        headers=HEADERS,
    )


async def read_form(request: Request) -> dict[str, str]:
    """An url-encoded form, at most 64 KiB; anything else reads as an empty form."""
    media = request.headers.get("content-type", "").split(";")[0].strip().lower()
    if media != "application/x-www-form-urlencoded":
        return {}
    size = 0
    chunks: list[bytes] = []
    async for chunk in request.stream():
        size += len(chunk)
        if size > MAX_FORM_BYTES:
            return {}
        chunks.append(chunk)
    try:
        pairs = parse_qsl(b"".join(chunks).decode("utf-8"), max_num_fields=200)
    except (UnicodeDecodeError, ValueError):
        return {}
    return dict(pairs)


def _seal(key: str, message: str) -> str:
    return hmac.new(key.encode(), message.encode(), hashlib.sha256).hexdigest()[:24]


def back(path: str, message: str = "", act: Act | None = None) -> RedirectResponse:
    """After a change, the screen it was made from (Post/Redirect/Get) with a notice, sealed
    with the session's key so a link from elsewhere cannot put words on a console page."""
    target = path if path.startswith(PATH) and "//" not in path and "\\" not in path else PATH
    if message and act is not None:
        seal = _seal(act.session.csrf, message)
        target += ("&" if "?" in target else "?") + f"tb={quote(message)}&ky={seal}"
    return RedirectResponse(target, 303, headers=HEADERS)


def _here(request: Request) -> str:
    """This page's path and query without its notice: where a form on it comes back to."""
    kept = [(k, v) for k, v in request.query_params.multi_items() if k not in ("tb", "ky")]
    return request.url.path + ("?" + urlencode(kept) if kept else "")


def notice(request: Request, session: store.Session | None) -> str:
    message = request.query_params.get("tb", "")[:300]
    if not message or session is None:
        return ""
    return message if same(request.query_params.get("ky"), _seal(session.csrf, message)) else ""


def css(request: Request) -> Response:
    return Response(CSS.read_bytes(), media_type="text/css", headers={"Cache-Control": "no-cache"})
