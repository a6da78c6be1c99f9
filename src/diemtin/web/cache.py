"""A full-page cache in front of the routing: a hit is a dict lookup and one send.

Pages are the same for every reader (no cookies; personalisation is client
side), so an anonymous GET is keyed by path and query. Only responses that opt
in (the private ``x-page-cache`` header, set by ``Site.render(cache=...)``),
say ``Cache-Control: public`` and set no cookie are kept, precompressed. An entry
lives ``ttl`` seconds (sidebars reflect now) and dies as soon as the store's
generation changes (a new, updated or removed article), which is read at most
once a second.
"""

from __future__ import annotations

import asyncio
import gzip
import hashlib
from collections import OrderedDict
from collections.abc import Callable
from dataclasses import dataclass
from email.utils import parsedate_to_datetime

from starlette.types import ASGIApp, Message, Receive, Scope, Send

MAX_TARGET = 2048  # longer paths or query strings are refused (400), never rendered
CHECK_SECONDS = 1.0
COMPRESSIBLE = (b"text/", b"json", b"xml", b"javascript")
Headers = list[tuple[bytes, bytes]]
OPT_IN = b"x-page-cache"


@dataclass
class Variant:
    body: bytes
    headers: Headers  # complete response headers, built once
    etag: bytes


@dataclass
class Entry:
    status: int
    variants: dict[str, Variant]  # "identity" and, for text, "gzip"
    born: float
    generation: object
    size: int


def _variant(status_headers: Headers, body: bytes, tag: str, encoding: str | None) -> Variant:
    etag = f'"{tag}{"-" + encoding if encoding else ""}"'.encode()
    dropped = (b"content-length", b"etag", OPT_IN)
    headers = [(k, v) for k, v in status_headers if k not in dropped]
    headers += [(b"content-length", str(len(body)).encode()), (b"etag", etag)]
    headers.append((b"vary", b"Accept-Encoding"))
    if encoding:
        headers.append((b"content-encoding", encoding.encode()))
    return Variant(body, headers, etag)


def build_entry(
    status: int, headers: Headers, body: bytes, generation: object, now: float
) -> Entry:
    tag = hashlib.blake2b(body, digest_size=12).hexdigest()
    variants = {"identity": _variant(headers, body, tag, None)}
    media = dict(headers).get(b"content-type", b"")
    if not any(kind in media for kind in COMPRESSIBLE):
        return Entry(status, variants, now, generation, len(body))
    variants["gzip"] = _variant(headers, gzip.compress(body, 6, mtime=0), tag, "gzip")
    size = sum(len(v.body) for v in variants.values())
    return Entry(status, variants, now, generation, size)


def pick(entry: Entry, accept_encoding: str) -> Variant:
    accepted = {p.split(";")[0].strip().lower() for p in accept_encoding.split(",")}
    if "gzip" in accepted and "gzip" in entry.variants:
        return entry.variants["gzip"]
    return entry.variants["identity"]


def _header(scope: Scope, name: bytes) -> str:
    for key, value in scope["headers"]:
        if key == name:
            return str(value.decode("latin-1"))
    return ""


def _matches(if_none_match: str, etag: bytes) -> bool:
    wanted = etag.decode()
    tags = [t.strip().removeprefix("W/") for t in if_none_match.split(",")]
    return wanted in tags or "*" in tags


def _not_modified(scope: Scope, variant: Variant) -> bool:
    if_none_match = _header(scope, b"if-none-match")
    if if_none_match:
        return _matches(if_none_match, variant.etag)
    since = _header(scope, b"if-modified-since")
    modified = dict(variant.headers).get(b"last-modified")
    if not since or modified is None:
        return False
    try:
        return parsedate_to_datetime(modified.decode()) <= parsedate_to_datetime(since)
    except (TypeError, ValueError):
        return False


class PageCache:
    def __init__(
        self,
        app: ASGIApp,
        generation: Callable[[], object],
        clock: Callable[[], float],
        *,
        ttl: float,
        max_bytes: int,
        bad_request: ASGIApp,
        on_lookup: Callable[[str], None] = lambda result: None,
    ) -> None:
        self.app, self.generation, self.clock = app, generation, clock
        self.on_lookup = on_lookup  # "hit" or "miss", for the metrics
        self.ttl, self.max_bytes, self.bad_request = ttl, max_bytes, bad_request
        self.entries: OrderedDict[str, Entry] = OrderedDict()
        self.bytes = 0
        self._gen: object = None
        self._checked = float("-inf")
        self._lock = asyncio.Lock()

    async def current(self) -> object:
        now = self.clock()
        if now - self._checked >= CHECK_SECONDS:
            async with self._lock:
                if now - self._checked >= CHECK_SECONDS:
                    self._gen = await asyncio.to_thread(self.generation)
                    self._checked = now
        return self._gen

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        if len(scope["raw_path"] or b"") > MAX_TARGET or len(scope["query_string"]) > MAX_TARGET:
            await self.bad_request(scope, receive, send)
            return
        if scope["method"] not in ("GET", "HEAD"):
            await self.app(scope, receive, send)
            return
        if self.max_bytes <= 0:
            await self._fill(scope, receive, send, "", None)
            return
        key = scope["path"] + "?" + scope["query_string"].decode("latin-1")
        generation = await self.current()
        entry = self.entries.get(key)
        fresh = entry is not None and self.clock() - entry.born < self.ttl
        if entry is not None and fresh and entry.generation == generation:
            self.entries.move_to_end(key)
            self.on_lookup("hit")
            await self._send(scope, send, entry)
            return
        self.on_lookup("miss")
        await self._fill(scope, receive, send, key, generation)

    async def _send(self, scope: Scope, send: Send, entry: Entry) -> None:
        variant = pick(entry, _header(scope, b"accept-encoding"))
        if _not_modified(scope, variant):
            headers = [(k, v) for k, v in variant.headers if k != b"content-length"]
            await send({"type": "http.response.start", "status": 304, "headers": headers})
            await send({"type": "http.response.body", "body": b""})
            return
        await send(
            {"type": "http.response.start", "status": entry.status, "headers": variant.headers}
        )
        body = b"" if scope["method"] == "HEAD" else variant.body
        await send({"type": "http.response.body", "body": body})

    async def _fill(
        self, scope: Scope, receive: Receive, send: Send, key: str, gen: object
    ) -> None:
        start: Message = {}
        chunks: list[bytes] = []

        async def capture(message: Message) -> None:
            nonlocal start
            if message["type"] == "http.response.start":
                start = message
            elif message["type"] == "http.response.body":
                chunks.append(message.get("body", b""))

        await self.app(scope, receive, capture)
        headers: Headers = [(bytes(k).lower(), bytes(v)) for k, v in start.get("headers", [])]
        status = int(start.get("status", 500))
        names = {k: v for k, v in headers}
        keep = (
            OPT_IN in names
            and status in (200, 404, 410)
            and b"public" in names.get(b"cache-control", b"")
            and b"set-cookie" not in names
            and b"content-encoding" not in names
            and scope["method"] == "GET"
            and self.max_bytes > 0
        )
        body = b"".join(chunks)
        if not keep:
            if OPT_IN in names:
                start["headers"] = [(k, v) for k, v in headers if k != OPT_IN]
            await send(start)
            await send({"type": "http.response.body", "body": body})
            return
        entry = build_entry(status, headers, body, gen, self.clock())
        self._store(key, entry)
        await self._send(scope, send, entry)

    def _store(self, key: str, entry: Entry) -> None:
        old = self.entries.pop(key, None)
        if old is not None:
            self.bytes -= old.size
        self.entries[key] = entry
        self.bytes += entry.size
        while self.bytes > self.max_bytes and self.entries:
            _, evicted = self.entries.popitem(last=False)
            self.bytes -= evicted.size
