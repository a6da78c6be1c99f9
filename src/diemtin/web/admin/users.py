"""Users: who may sign in to the console. Add one, remove one, change one's own password.

Nobody removes their own account, so someone can always sign in; a changed
password signs out every other browser of that user. The command line
(`diemtin admin create-user`) makes the first account.
"""

from __future__ import annotations

from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import BaseRoute, Route

from diemtin.store import admin as store
from diemtin.web.admin.core import COOKIE, Act, Console, Refused, back

HOME = "/admin/nguoi-dung"


def _password_pair(act: Act, name: str, again: str) -> str:
    password = act.form.get(name, "")
    if password != act.form.get(again, ""):
        raise Refused("Hai lần nhập mật khẩu mới không khớp nhau.")
    return password


def routes(console: Console) -> list[BaseRoute]:
    db = console.site.db

    async def listing(request: Request, session: store.Session) -> Response:
        with db.read() as conn:
            rows = store.accounts(conn, console.now())
        return console.render(request, "admin/users.html", session, rows=rows)

    async def add(request: Request, act: Act) -> Response:
        name = act.text("ten", 64).lower()
        password = _password_pair(act, "mat_khau", "nhap_lai")
        with db.write() as conn:
            try:
                store.create_user(conn, name, password, act.now)
            except store.AdminError as err:
                raise Refused(f"Không thêm được: {err}.") from None
            store.record(conn, act.user, "thêm người dùng", name, "", act.now)
        return back(HOME, f"Đã thêm người dùng {name}.", act)

    async def remove(request: Request, act: Act) -> Response:
        user_id = int(request.path_params["user_id"])
        with db.write() as conn:
            try:
                name = store.remove_user(conn, user_id, act.session.user)
            except LookupError:
                raise Refused(f"Không có người dùng số {user_id}.", 404) from None
            except store.AdminError as err:
                raise Refused(f"Không xoá được: {err}.") from None
            store.record(conn, act.user, "xoá người dùng", name, "", act.now)
        return back(HOME, f"Đã xoá người dùng {name}.", act)

    async def password(request: Request, act: Act) -> Response:
        new = _password_pair(act, "moi", "nhap_lai")
        with db.write() as conn:
            try:
                store.change_password(
                    conn,
                    act.session.user,
                    act.form.get("hien_tai", ""),
                    new,
                    keep_token=request.cookies.get(COOKIE),
                )
            except store.AdminError as err:
                raise Refused(f"Không đổi được mật khẩu: {err}.") from None
            store.record(conn, act.user, "đổi mật khẩu", act.user, "", act.now)
        return back(HOME, "Đã đổi mật khẩu; các trình duyệt khác của bạn đã bị đăng xuất.", act)

    return [
        Route(HOME, console.page(listing), methods=["GET"]),
        Route(HOME + "/them", console.action(add), methods=["POST"]),
        Route(HOME + "/mat-khau", console.action(password), methods=["POST"]),
        Route(HOME + "/{user_id:int}/xoa", console.action(remove), methods=["POST"]),
    ]
