"""The dashboard: the last day hour by hour (articles ingested, views, votes), the stories
readers are on now, and the sources that are failing. Charts are SVG drawn on the server:
no script, and nothing the page's CSP has to allow.
"""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import Connection, text
from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import BaseRoute, Route

from diemtin.store import admin as store
from diemtin.timefmt import vietnam_time
from diemtin.web.admin import health
from diemtin.web.admin.core import Console

HOURS = 24
HOT_HOURS = 6
BAR, GAP, HEIGHT = 18, 4, 120


@dataclass(frozen=True)
class Bar:
    x: int
    y: int
    height: int
    value: int
    label: str  # the hour, for the bar's tooltip


@dataclass(frozen=True)
class Chart:
    title: str
    unit: str
    total: int
    peak: int
    bars: list[Bar]
    width: int = HOURS * (BAR + GAP)
    height: int = HEIGHT


def chart(title: str, unit: str, counts: dict[int, int], now: int) -> Chart:
    """Bars for the last ``HOURS`` hours ending with the current one; ``counts`` by hour."""
    last = now // 3600
    hours = range(last - HOURS + 1, last + 1)
    peak = max([counts.get(h, 0) for h in hours] + [1])
    bars = []
    for i, hour in enumerate(hours):
        value = counts.get(hour, 0)
        tall = round(value / peak * (HEIGHT - 12))
        bars.append(Bar(i * (BAR + GAP), HEIGHT - tall, tall, value, vietnam_time(hour * 3600)))
    total = sum(counts.get(h, 0) for h in hours)
    return Chart(title, unit, total, max(counts.get(h, 0) for h in hours), bars)


def _hourly(conn: Connection, sql: str, since: int) -> dict[int, int]:
    return {int(h): int(n) for h, n in conn.execute(text(sql), {"since": since}).all()}


def hot_stories(conn: Connection, now: int) -> list[tuple[int, str, int]]:
    """(story id, title, views) of the most read stories of the last hours."""
    rows = conn.execute(
        text(
            "SELECT s.id, s.title, SUM(v.views) FROM view_counts v"
            " JOIN articles a ON a.id = v.article_id JOIN stories s ON s.id = a.story_id"
            " WHERE v.bucket >= :since AND a.status = 'visible'"
            " GROUP BY s.id, s.title ORDER BY SUM(v.views) DESC, s.id LIMIT 10"
        ),
        {"since": (now // 3600 - HOT_HOURS + 1) * 3600},
    ).all()
    return [(int(r[0]), str(r[1]), int(r[2])) for r in rows]


def routes(console: Console) -> list[BaseRoute]:
    async def dashboard(request: Request, session: store.Session) -> Response:
        now = console.now()
        since = (now // 3600 - HOURS + 1) * 3600
        with console.site.db.read() as conn:
            ingested = _hourly(
                conn,
                "SELECT stored_at / 3600, COUNT(*) FROM articles WHERE stored_at >= :since"
                " GROUP BY stored_at / 3600",
                since,
            )
            views = _hourly(
                conn,
                "SELECT bucket / 3600, SUM(views) FROM view_counts WHERE bucket >= :since"
                " GROUP BY bucket / 3600",
                since,
            )
            votes = _hourly(
                conn,
                "SELECT created_at / 3600, COUNT(*) FROM votes WHERE created_at >= :since"
                " GROUP BY created_at / 3600",
                since,
            )
            hot = hot_stories(conn, now)
            failing = [h for h in health.sources(conn, now) if h.enabled and h.error_streak]
        charts = [
            chart("Bài mới lấy về", "bài", ingested, now),
            chart("Lượt đọc", "lượt", views, now),
            chart("Lượt bình chọn", "phiếu", votes, now),
        ]
        return console.render(
            request, "admin/dashboard.html", session, charts=charts, hot=hot, failing=failing
        )

    return [Route("/admin", console.page(dashboard), methods=["GET"])]
