"""Signing in and out.

The sign-in form is protected before any session exists by a double-submit token: the
GET sets a random value in a SameSite=Strict cookie and the form, and the POST must
bring both, equal. Attempts are counted per account and per client address in the
store (so every web process shares the count) before the password is checked; over
either limit the answer is 429 and the password is not even tried. A successful sign-in
ends the session the browser came with and starts a new one (a fresh id).
"""

from __future__ import annotations

import asyncio
import secrets

from starlette.requests import Request
from starlette.responses import RedirectResponse, Response
from starlette.routing import BaseRoute, Route

from diemtin.store import admin as store
from diemtin.web.admin.core import (
    COOKIE,
    HEADERS,
    PATH,
    SIGN_IN,
    Act,
    Console,
    back,
    forbidden,
    read_form,
    same,
)

PRE_COOKIE = "dt_admin_pre"
WINDOW = 15 * 60
PER_ACCOUNT = 10
PER_CLIENT = 30


def _next(target: str) -> str:
    """Only a console path, so the sign-in cannot send anyone elsewhere."""
    ok = target.startswith(PATH) and not target.startswith("//") and "\\" not in target
    return target if ok and not target.startswith(SIGN_IN) else PATH


def _form(
    console: Console, request: Request, status: int = 200, error: str = "", name: str = ""
) -> Response:
    token = request.cookies.get(PRE_COOKIE) or secrets.token_urlsafe(24)
    response = console.render(
        request,
        "admin/signin.html",
        None,
        status,
        pre=token,
        error=error,
        name=name,
        tiep=_next(request.query_params.get("tiep", "")),
    )
    response.set_cookie(
        PRE_COOKIE, token, max_age=3600, path=PATH, httponly=True, samesite="strict",
        secure=console.secure,
    )  # fmt: skip
    return response


def _authenticate(console: Console, name: str, password: str) -> store.User | None:
    # argon2 takes a good fraction of a second on purpose: off the event loop
    with console.site.db.read() as conn:
        return store.authenticate(conn, name, password)


def routes(console: Console) -> list[BaseRoute]:
    async def sign_in_form(request: Request) -> Response:
        # shown even to a signed-in browser: signing in again swaps the session for a new one
        return _form(console, request)

    async def sign_in(request: Request) -> Response:
        form = await read_form(request)
        if not same(form.get("csrf"), request.cookies.get(PRE_COOKIE, "")):
            return forbidden()
        name = form.get("ten", "").strip().lower()[:64]
        password = form.get("mat_khau", "")
        now = console.now()
        keys = ("c:" + console.client(request), "u:" + name)
        with console.site.db.write() as conn:
            by_client, by_account = (store.count_attempt(conn, k, now, WINDOW) for k in keys)
        if by_client > PER_CLIENT or by_account > PER_ACCOUNT:
            message = f"Quá nhiều lần đăng nhập. Hãy thử lại sau {WINDOW // 60} phút."
            return _form(console, request, 429, message, name)
        user = await asyncio.to_thread(_authenticate, console, name, password)
        if user is None:
            return _form(console, request, 401, "Tên đăng nhập hoặc mật khẩu không đúng.", name)
        with console.site.db.write() as conn:
            for key in keys:
                store.uncount_attempt(conn, key, now, WINDOW)
            token = store.start_session(conn, user, now, replaces=request.cookies.get(COOKIE))
            store.record(conn, user.name, "đăng nhập", "", console.client(request), now)
        response = RedirectResponse(_next(form.get("tiep", "")), 303, headers=HEADERS)
        response.set_cookie(
            COOKIE, token, max_age=store.SESSION_SECONDS, path=PATH, httponly=True,
            samesite="strict", secure=console.secure,
        )  # fmt: skip
        response.delete_cookie(PRE_COOKIE, path=PATH)
        return response

    async def sign_out(request: Request, act: Act) -> Response:
        token = request.cookies.get(COOKIE, "")
        with console.site.db.write() as conn:
            store.end_session(conn, token)
            store.record(conn, act.user, "đăng xuất", "", "", act.now)
        response = back(SIGN_IN)
        response.delete_cookie(COOKIE, path=PATH)
        return response

    return [
        Route(SIGN_IN, sign_in_form, methods=["GET"]),
        Route(SIGN_IN, sign_in, methods=["POST"]),
        Route("/admin/dang-xuat", console.action(sign_out), methods=["POST"]),
    ]
