"""Reader signals over HTTP: the view beacon (and its no-script image), the helpful
poll with its CSRF token, personalised "Có thể bạn quan tâm", and the "why" API.

Pages never set cookies (they are cached whole); only these responses do: the
signed reader cookie, first-party, HttpOnly, SameSite=Lax, Secure over https.
"""

from __future__ import annotations

import base64
import json
import secrets
from collections.abc import Callable
from threading import Lock
from typing import Any

from sqlalchemy import Connection
from starlette.concurrency import run_in_threadpool
from starlette.requests import Request
from starlette.responses import JSONResponse, Response
from starlette.routing import Route

from diemtin import engage
from diemtin.engage import RateLimiter
from diemtin.rank import Reader
from diemtin.store import signals
from diemtin.timefmt import vietnam_time
from diemtin.web.blocks import items, ranking, shared_cache
from diemtin.web.site import Site

COOKIE = "dt_reader"
COOKIE_AGE = 400 * 24 * 3600  # the longest browsers keep a cookie
NO_STORE = {"Cache-Control": "private, no-store"}
GIF = base64.b64decode("R0lGODlhAQABAIAAAAAAAP///yH5BAEAAAAALAAAAAABAAEAAAIBRAA7")
# Handlers that read or write the store are plain functions: Starlette runs them in
# its thread pool, so a writer waiting for SQLite's lock never stalls the event loop.
Handler = Callable[[Request], Response]


class Engage:
    """The state the routes share: the secret, the rate limits, the day marks were pruned."""

    def __init__(self, site: Site) -> None:
        self.site = site
        s = site.settings
        self.proxies = engage.parse_proxies(s.trusted_proxies)
        self.votes_client = RateLimiter(s.vote_rate_per_client)
        self.votes_network = RateLimiter(s.vote_rate_per_network)
        self.views_client = RateLimiter(s.view_rate_per_client)
        self._secret = s.reader_secret
        self._pruned_day = -1
        self._lock = Lock()

    def secret(self) -> str:
        with self._lock:
            if not self._secret:
                with self.site.db.write() as conn:
                    fresh = secrets.token_hex(32)
                    self._secret = signals.ensure_secret(conn, "reader", fresh, self.site.now())
            return self._secret

    def client(self, request: Request) -> str:
        peer = request.client.host if request.client else None
        return engage.client_address(peer, request.headers.get("x-forwarded-for"), self.proxies)

    def reader(self, request: Request) -> str | None:
        return engage.read_reader(request.cookies.get(COOKIE), self.secret())

    def set_reader(self, response: Response, request: Request, reader: str) -> None:
        secure = request.url.scheme == "https" or self.site.settings.base_url.startswith("https")
        response.set_cookie(
            COOKIE,
            engage.sign_reader(reader, self.secret()),
            max_age=COOKIE_AGE,
            httponly=True,
            samesite="lax",
            secure=secure,
        )

    def count_view(self, request: Request, article_id: int) -> str | None:
        """Count one view when it is a reader's first today; the new reader id, if one was made."""
        now = self.site.now()
        if engage.is_bot(request.headers.get("user-agent")):
            return None
        client = self.client(request)
        reader = self.reader(request)
        fresh = None if reader else secrets.token_urlsafe(18)
        if not self.views_client.allow(client, now):
            return fresh
        day, secret = engage.vietnam_day(now), self.secret()
        with self.site.db.write() as conn:
            if not signals.is_visible(conn, article_id):
                return fresh
            if self._pruned_day != day:
                signals.prune_marks(conn, day)
                self._pruned_day = day
            if reader is None:
                # no cookie: the client counts once per article per day; the new reader's
                # own mark is set with it, so keeping the cookie counts nothing more
                who = [f"c:{client}", f"r:{fresh}"]
                marks = [engage.view_mark(w, article_id, day, secret) for w in who]
                signals.record_view(conn, article_id, marks=marks, day=day, now=now)
                return fresh
            mine = engage.view_mark(f"r:{reader}", article_id, day, secret)
            if not signals.mark(conn, mark=mine, day=day):
                return None
            # readers minted by one client in a loop stop counting at the client's cap
            slots = range(self.site.settings.view_readers_per_client)
            caps = [engage.view_mark(f"s{k}:{client}", article_id, day, secret) for k in slots]
            if signals.free_slot(conn, caps, day):
                signals.add_view(conn, article_id, now=now)
        return None


def _article_id(request: Request) -> int | None:
    raw = str(request.path_params["article_id"])
    return int(raw) if raw.isdigit() and len(raw) <= 18 else None


def _error(status: int, message: str) -> JSONResponse:
    return JSONResponse({"error": message}, status_code=status, headers=NO_STORE)


def engage_routes(site: Site) -> list[Route]:
    e = Engage(site)

    def beacon(request: Request) -> Response:
        article_id = _article_id(request)
        if article_id is None:
            return _error(404, "no such article")
        fresh = e.count_view(request, article_id)
        response: Response = Response(status_code=204, headers=NO_STORE)
        if request.url.path.endswith(".gif"):
            response = Response(GIF, media_type="image/gif", headers=NO_STORE)
        if fresh:
            e.set_reader(response, request, fresh)
        return response

    def poll_state(request: Request) -> Response:
        article_id = _article_id(request)
        if article_id is None:
            return _error(404, "no such article")
        reader = e.reader(request)
        fresh = None if reader else secrets.token_urlsafe(18)
        with site.db.read() as conn:
            if not signals.is_visible(conn, article_id):
                return _error(404, "no such article")
            state = signals.poll(conn, article_id, reader)
        token = engage.csrf_token(reader or str(fresh), article_id, e.secret(), site.now())
        response = JSONResponse({**_poll_json(state), "token": token}, headers=NO_STORE)
        if fresh:
            e.set_reader(response, request, fresh)
        return response

    async def vote(request: Request) -> Response:
        article_id = _article_id(request)
        if article_id is None:
            return _error(404, "no such article")
        reader, now = e.reader(request), site.now()
        token = request.headers.get("x-csrf-token")
        if not engage.valid_csrf(token, reader, article_id, e.secret(), now) or reader is None:
            return _error(403, "phiên bình chọn không hợp lệ, hãy tải lại trang")
        helpful = await _helpful(request)
        if helpful is None:
            return _error(400, 'send {"helpful": true} or {"helpful": false}')
        client = e.client(request)
        if not e.votes_client.allow(client, now) or not e.votes_network.allow(
            engage.network_key(client), now
        ):
            return _error(429, "quá nhiều lượt bình chọn, hãy thử lại sau")
        return await run_in_threadpool(_store_vote, site, article_id, reader, helpful)

    return [
        Route("/api/v1/articles/{article_id}/view", beacon, methods=["POST"]),
        Route("/v/{article_id}.gif", beacon),
        Route("/api/v1/articles/{article_id}/poll", poll_state),
        Route("/api/v1/articles/{article_id}/vote", vote, methods=["POST"]),
        Route("/api/v1/articles/{article_id}/why", _why(site)),
        Route("/api/v1/for-you", _for_you(site)),
    ]


def _store_vote(site: Site, article_id: int, reader: str, helpful: bool) -> Response:
    with site.db.write() as conn:
        if not signals.is_visible(conn, article_id):
            return _error(404, "no such article")
        signals.cast_vote(conn, article_id, reader, helpful, site.now())
        state = signals.poll(conn, article_id, reader)
    shared_cache_changed(site)
    return JSONResponse(_poll_json(state), headers=NO_STORE)


def shared_cache_changed(site: Site) -> None:
    with site.db.read() as conn:
        shared_cache(conn).signals_changed()


async def _helpful(request: Request) -> bool | None:
    try:
        body = json.loads(await request.body() or b"null")
    except ValueError:
        return None
    value = body.get("helpful") if isinstance(body, dict) else None
    return value if isinstance(value, bool) else None


def _poll_json(state: signals.Poll) -> dict[str, Any]:
    share = state.share
    return {
        "helpful": state.helpful,
        "unhelpful": state.unhelpful,
        "share": None if share is None else round(share, 4),
        "mine": state.mine,
    }


def _why(site: Site) -> Handler:
    def why(request: Request) -> Response:
        article_id = _article_id(request)
        if article_id is None:
            return _error(404, "no such article")
        now = site.now()
        with site.db.read() as conn:
            if not signals.is_visible(conn, article_id):
                return _error(404, "no such article")
            r = ranking(conn, article_id, now=now, settings=site.settings)
            state = signals.poll(conn, article_id, None)
            views = signals.total_views(conn, article_id)
        blocks = {
            name: [{"id": x.id, "score": x.score, "why": dict(x.why)} for x in ranked]
            for name, ranked in r.blocks().items()
        }
        article = {"id": article_id, "views": views, **_poll_json(state)}
        body = {"article": article, "now": now, "blocks": blocks}
        return JSONResponse(body, headers={"Cache-Control": "public, max-age=30"})

    return why


def _for_you(site: Site) -> Handler:
    def for_you(request: Request) -> Response:
        try:
            seen = engage.parse_seen(request.query_params.get("seen"))
        except engage.HistoryError as exc:
            return _error(400, str(exc))
        raw = request.query_params.get("article", "")
        if not raw.isdigit() or len(raw) > 18:
            return _error(400, "article must be the id of the article being read")
        article_id = int(raw)
        with site.db.read() as conn:
            reader = Reader(frozenset(seen), signals.categories_of(conn, seen))
            r = ranking(conn, article_id, now=site.now(), settings=site.settings, reader=reader)
            found = _items(conn, [x.id for x in r.for_you])
        # the same answer for everyone sending the same history: shared caches may keep it
        return JSONResponse({"items": found}, headers={"Cache-Control": "public, max-age=60"})

    return for_you


def _items(conn: Connection, ids: list[int]) -> list[dict[str, Any]]:
    found = items(conn, ids)
    return [
        {
            "id": i,
            "url": f"/a/{i}",
            "title": found[i].title,
            "category": found[i].category,
            "category_url": f"/c/{found[i].category_slug}" if found[i].category_slug else None,
            "time": vietnam_time(found[i].published_at, ""),
            "summary": found[i].summary,
        }
        for i in ids
        if i in found
    ]
