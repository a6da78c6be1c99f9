"""Editing a source's section-to-category map and its extraction rules.

Only sources an operator added can be edited here: the shipped registry's are synced
from its files at every start (``pipeline.setup``), which would undo the edit without
a word, so for them the screen says to edit the sources file instead.
"""

from __future__ import annotations

import json
from dataclasses import dataclass

from cssselect import GenericTranslator, SelectorError
from sqlalchemy import Connection, text
from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import BaseRoute, Route

from diemtin.store import admin as store
from diemtin.web.admin.core import Act, Console, Refused, back

SELECTORS = ("title", "sapo", "body", "author")
MAX_LINES = 100


@dataclass(frozen=True)
class Editable:
    id: int
    slug: str
    name: str
    origin: str
    sections: str  # one "prefix category-slug" a line
    rules: dict[str, str]  # each selector, and "drop" one a line


def load(conn: Connection, source_id: int) -> Editable:
    row = conn.execute(
        text("SELECT id, slug, name, origin, sections, rules FROM sources WHERE id = :i"),
        {"i": source_id},
    ).first()
    if row is None:
        raise Refused(f"Không có nguồn số {source_id}.", 404)
    pairs = json.loads(row[4] or "[]")
    raw = json.loads(row[5] or "{}")
    rules = {k: str(raw.get(k) or "") for k in SELECTORS}
    rules["drop"] = "\n".join(str(s) for s in raw.get("drop", []))
    lines = "\n".join(f"{p} {c}" for p, c in pairs)
    return Editable(int(row[0]), row[1], row[2], row[3], lines, rules)


def _selector(value: str, field: str) -> str:
    try:
        GenericTranslator().css_to_xpath(value)
    except SelectorError as exc:
        raise Refused(f"Bộ chọn CSS của '{field}' không hợp lệ: {value!r} ({exc}).") from None
    return value


def parse_sections(value: str, live: set[str]) -> list[list[str]]:
    pairs = []
    lines = [line.split() for line in value.splitlines() if line.strip()]
    if len(lines) > MAX_LINES:
        raise Refused(f"Tối đa {MAX_LINES} mục.")
    for parts in lines:
        if len(parts) != 2:
            raise Refused(f"Mỗi dòng là 'tiền tố chuyên-mục', không phải {' '.join(parts)!r}.")
        prefix, slug = parts
        if not prefix.startswith(("/", "http://", "https://")):
            raise Refused(f"Tiền tố {prefix!r} phải bắt đầu bằng / hoặc http(s)://.")
        if slug not in live:
            raise Refused(f"Không có chuyên mục {slug!r}.")
        pairs.append([prefix, slug])
    return pairs


def parse_rules(act: Act) -> dict[str, object]:
    rules: dict[str, object] = {}
    for key in SELECTORS:
        value = act.text(key, 300)
        if value:
            rules[key] = _selector(value, key)
    drop = [line.strip() for line in act.text("drop", 5000).splitlines() if line.strip()]
    if drop:
        rules["drop"] = [_selector(s, "drop") for s in drop[:MAX_LINES]]
    return rules


def routes(console: Console) -> list[BaseRoute]:
    db = console.site.db

    async def form(request: Request, session: store.Session) -> Response:
        with db.read() as conn:
            source = load(conn, int(request.path_params["source_id"]))
        return console.render(request, "admin/source_rules.html", session, s=source)

    async def save(request: Request, act: Act) -> Response:
        source_id = int(request.path_params["source_id"])
        with db.write() as conn:
            source = load(conn, source_id)
            live = set(
                conn.execute(text("SELECT slug FROM categories WHERE merged_into IS NULL"))
                .scalars()
                .all()
            )
            sections = parse_sections(act.text("sections", 20_000), live)
            rules = parse_rules(act)
            conn.execute(
                # a shipped source becomes "edited": the registry sync then keeps these
                text(
                    "UPDATE sources SET sections = :sec, rules = :r, origin = CASE"
                    " WHEN origin = 'registry' THEN 'edited' ELSE origin END WHERE id = :i"
                ),
                {
                    "sec": json.dumps(sections, ensure_ascii=False),
                    "r": json.dumps(rules, ensure_ascii=False),
                    "i": source_id,
                },
            )
            detail = f"{len(sections)} mục, quy tắc: {', '.join(rules) or 'không'}"
            store.record(conn, act.user, "sửa quy tắc nguồn", source.slug, detail, act.now)
        return back("/admin/nguon", f"Đã lưu quy tắc của {source.name}.", act)

    path = "/admin/nguon/{source_id:int}/quy-tac"
    return [
        Route(path, console.page(form), methods=["GET"]),
        Route(path, console.action(save), methods=["POST"]),
    ]
