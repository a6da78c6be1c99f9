"""A fake publisher on loopback for tests: routes, misbehaviours and counters.

    with Publisher() as pub:
        pub.route("/rss", b"<rss/>", etag='"v1"', headers={"Content-Type": "application/rss+xml"})
        pub.drip("/slow", bytes_per_second=1)
        fetch(pub.url("/rss"))
        assert pub.hits["/rss"] == 1

Every handler thread is a daemon and every wait watches the stop event, so a
hung or dripping response ends as soon as the publisher stops.
``ConnectionCounter`` is a bare TCP listener that only counts accepts, for
proving that nothing connected at all.
"""

from __future__ import annotations

import gzip
import select
import socket
import threading
import time
from collections import Counter
from dataclasses import dataclass, field
from email.utils import parsedate_to_datetime
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from types import TracebackType
from typing import Literal
from urllib.parse import urlsplit

DEFAULT_ROBOTS = "User-agent: *\nDisallow:\n"

Behaviour = Literal["static", "drip", "hang"]


@dataclass
class Route:
    body: bytes = b""
    status: int = 200
    headers: dict[str, str] = field(default_factory=dict)
    etag: str | None = None
    last_modified: str | None = None
    delay: float = 0.0  # seconds to wait before answering
    failures: int = 0  # the first `failures` requests get `fail_status`
    fail_status: int = 503
    fail_headers: dict[str, str] = field(default_factory=dict)
    behaviour: Behaviour = "static"
    bytes_per_second: float = 1.0
    drip_head: bool = False  # drip the status line and headers too
    announce: bool = True  # send Content-Length


@dataclass(frozen=True)
class Seen:
    """One request as the publisher saw it."""

    path: str
    host: str
    headers: dict[str, str]  # lower-case names
    at: float  # time.monotonic() when the request line arrived


class Publisher:
    def __init__(self, host: str = "127.0.0.1", *, robots_txt: str | None = DEFAULT_ROBOTS) -> None:
        self.host = host
        self.routes: dict[str, Route] = {}
        self.hits: Counter[str] = Counter()
        self.requests: list[Seen] = []
        self.max_concurrent: dict[str, int] = {}  # per Host header name
        self.max_concurrent_total = 0
        self.max_concurrent_path: Counter[str] = Counter()  # most requests for one path at once
        self._active: Counter[str] = Counter()
        self._active_path: Counter[str] = Counter()
        self._lock = threading.Lock()
        self.stopping = threading.Event()
        self._server: _Server | None = None
        self._thread: threading.Thread | None = None
        self.robots(robots_txt)

    # --- lifecycle ---------------------------------------------------------

    def start(self) -> Publisher:
        self._server = _Server((self.host, 0), _Handler, self)
        self._thread = threading.Thread(
            target=self._server.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True
        )
        self._thread.start()
        return self

    def stop(self) -> None:
        self.stopping.set()
        if self._server is not None:
            self._server.shutdown()
            self._server.server_close()
        if self._thread is not None:
            self._thread.join(timeout=5)

    def __enter__(self) -> Publisher:
        return self.start()

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self.stop()

    @property
    def port(self) -> int:
        assert self._server is not None, "publisher not started"
        return int(self._server.server_address[1])

    def url(self, path: str = "/", host: str | None = None) -> str:
        """``http://host:port/path``; ``host`` replaces the name (e.g. "localhost")."""
        name = host or self.host
        name = f"[{name}]" if ":" in name else name
        return f"http://{name}:{self.port}{path}"

    # --- configuration -----------------------------------------------------

    def route(
        self,
        path: str,
        body: bytes | str = b"",
        status: int = 200,
        headers: dict[str, str] | None = None,
        *,
        etag: str | None = None,
        last_modified: str | None = None,
        delay: float = 0.0,
    ) -> Route:
        data = body.encode("utf-8") if isinstance(body, str) else body
        all_headers = {"Content-Type": "text/html; charset=utf-8", **(headers or {})}
        route = Route(data, status, all_headers, etag, last_modified, delay)
        self.routes[path] = route
        return route

    def flaky(
        self, path: str, failures: int, status: int = 503, headers: dict[str, str] | None = None
    ) -> None:
        """The first ``failures`` requests to ``path`` get ``status`` instead."""
        route = self.routes.setdefault(path, Route())
        route.failures, route.fail_status, route.fail_headers = failures, status, headers or {}

    def drip(
        self,
        path: str,
        bytes_per_second: float,
        body: bytes = b"x" * 200,
        *,
        head: bool = False,
        announce: bool = True,
    ) -> None:
        """Send ``body`` a byte at a time; ``head`` drips the status line and headers too,
        ``announce=False`` leaves out Content-Length (the body ends at close)."""
        self.routes[path] = Route(
            body,
            behaviour="drip",
            bytes_per_second=bytes_per_second,
            drip_head=head,
            announce=announce,
        )

    def hang(self, path: str) -> None:
        """Read the request, then never answer (until the publisher stops)."""
        self.routes[path] = Route(behaviour="hang")

    def redirect(self, path: str, to: str, status: int = 302) -> None:
        self.routes[path] = Route(status=status, headers={"Location": to})

    def gzip_bomb(self, path: str, size: int) -> int:
        """``size`` zero bytes, gzipped; returns the compressed length."""
        packed = gzip.compress(b"\0" * size, compresslevel=9)
        headers = {"Content-Type": "text/html", "Content-Encoding": "gzip"}
        self.routes[path] = Route(packed, headers=headers)
        return len(packed)

    def robots(self, text: str | None, status: int = 200) -> None:
        """Serve ``text`` as /robots.txt; None answers 404."""
        if text is None:
            self.routes.pop("/robots.txt", None)
        else:
            self.route("/robots.txt", text, status, {"Content-Type": "text/plain"})

    # --- bookkeeping (called from handler threads) ---------------------------

    def _enter(self, seen: Seen) -> None:
        with self._lock:
            self.hits[seen.path] += 1
            self.requests.append(seen)
            self._active[seen.host] += 1
            top = max(self.max_concurrent.get(seen.host, 0), self._active[seen.host])
            self.max_concurrent[seen.host] = top
            total = sum(self._active.values())
            self.max_concurrent_total = max(self.max_concurrent_total, total)
            self._active_path[seen.path] += 1
            top = max(self.max_concurrent_path[seen.path], self._active_path[seen.path])
            self.max_concurrent_path[seen.path] = top

    def _leave(self, host: str, path: str = "") -> None:
        with self._lock:
            self._active[host] -= 1
            self._active_path[path] -= 1

    def _take_failure(self, route: Route) -> bool:
        with self._lock:
            if route.failures > 0:
                route.failures -= 1
                return True
            return False

    def seen(self, path: str) -> list[Seen]:
        with self._lock:
            return [s for s in self.requests if s.path == path]


class _Server(ThreadingHTTPServer):
    daemon_threads = True
    block_on_close = False

    def __init__(
        self, address: tuple[str, int], handler: type[_Handler], publisher: Publisher
    ) -> None:
        self.address_family = socket.AF_INET6 if ":" in address[0] else socket.AF_INET
        self.publisher = publisher
        super().__init__(address, handler)


class _Handler(BaseHTTPRequestHandler):
    server: _Server
    timeout = 5  # idle client sockets end instead of pinning a thread

    def log_message(self, format: str, *args: object) -> None:
        pass

    def do_GET(self) -> None:
        pub = self.server.publisher
        path = urlsplit(self.path).path
        host = (self.headers.get("Host") or "").rsplit(":", 1)[0]
        headers = {k.lower(): v for k, v in self.headers.items()}
        pub._enter(Seen(path, host, headers, time.monotonic()))
        try:
            self._answer(pub, pub.routes.get(path))
        except (BrokenPipeError, ConnectionResetError, TimeoutError):
            pass  # the client gave up, as tests expect it to
        finally:
            pub._leave(host, path)

    def _answer(self, pub: Publisher, route: Route | None) -> None:
        if route is None:
            self._send(404, b"not found", {"Content-Type": "text/plain"})
        elif route.behaviour == "hang":
            pub.stopping.wait()
        elif route.behaviour == "drip":
            self._drip(pub, route)
        else:
            if route.delay and pub.stopping.wait(route.delay):
                return
            if pub._take_failure(route):
                self._send(route.fail_status, b"try later", route.fail_headers)
            elif self._not_modified(route):
                self._send(304, b"", self._validators(route))
            else:
                self._send(route.status, route.body, {**route.headers, **self._validators(route)})

    def _send(self, status: int, body: bytes, headers: dict[str, str]) -> None:
        self.send_response(status)
        for name, value in headers.items():
            self.send_header(name, value)
        if status != 304:
            self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def _drip(self, pub: Publisher, route: Route) -> None:
        length = b"Content-Length: %d\r\n" % len(route.body) if route.announce else b""
        head = b""
        if route.drip_head:
            head = b"HTTP/1.0 200 OK\r\n" + length + b"\r\n"
        else:
            self.send_response(200)
            if route.announce:
                self.send_header("Content-Length", str(len(route.body)))
            self.end_headers()
        data = head + route.body
        for i in range(len(data)):
            if pub.stopping.wait(1.0 / route.bytes_per_second):
                return
            self.wfile.write(data[i : i + 1])

    def _validators(self, route: Route) -> dict[str, str]:
        found = {"ETag": route.etag, "Last-Modified": route.last_modified}
        return {k: v for k, v in found.items() if v}

    def _not_modified(self, route: Route) -> bool:
        inm = self.headers.get("If-None-Match")
        if route.etag and inm:
            tags = [t.strip() for t in inm.split(",")]
            return "*" in tags or route.etag in tags
        ims = self.headers.get("If-Modified-Since")
        if route.last_modified and ims:
            try:
                return parsedate_to_datetime(ims) >= parsedate_to_datetime(route.last_modified)
            except (TypeError, ValueError):
                return False
        return False


class ConnectionCounter:
    """A TCP listener on every local address (v4 and v6) that only counts accepts.

    With ``reply``, each connection gets those bytes (say, a broken HTTP
    response) before it is closed.
    """

    def __init__(self, reply: bytes = b"") -> None:
        self.reply = reply
        self.accepted: list[tuple[str, str]] = []  # (peer, local address)
        self._stop = threading.Event()
        if socket.has_dualstack_ipv6():
            self._sock = socket.create_server(
                ("::", 0), family=socket.AF_INET6, dualstack_ipv6=True
            )
        else:
            self._sock = socket.create_server(("0.0.0.0", 0))
        self._sock.settimeout(0.02)
        self.port: int = self._sock.getsockname()[1]
        self._thread = threading.Thread(target=self._serve, daemon=True)

    @property
    def count(self) -> int:
        return len(self.accepted)

    def settled_count(self) -> int:
        """The count once any connection still in the backlog has been accepted."""
        deadline = time.monotonic() + 1.0
        time.sleep(0.02)
        while select.select([self._sock], [], [], 0)[0] and time.monotonic() < deadline:
            time.sleep(0.01)
        time.sleep(0.01)  # the accept just taken is being recorded
        return self.count

    def reset(self) -> None:
        self.accepted.clear()

    def _serve(self) -> None:
        while not self._stop.is_set():
            try:
                conn, peer = self._sock.accept()
            except TimeoutError:
                continue
            except OSError:
                return
            self.accepted.append((str(peer[0]), str(conn.getsockname()[0])))
            self._answer(conn)

    def _answer(self, conn: socket.socket) -> None:
        try:
            if self.reply:
                conn.settimeout(1)
                conn.recv(65536)  # the request, so closing does not reset the connection
                conn.sendall(self.reply)
        except OSError:
            pass
        finally:
            conn.close()

    def __enter__(self) -> ConnectionCounter:
        self._thread.start()
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self._stop.set()
        self._thread.join(timeout=5)
        self._sock.close()
