"""The httpx transport that does the SSRF check at connect time.

``GuardedBackend`` replaces httpcore's socket backend: it resolves the host
itself, refuses the connection if any resolved address is non-public, and
connects to the checked IP literal, so a DNS answer that changes between a
check and the connect (rebinding) cannot slip through. TLS still uses the
URL's host name for SNI and certificate checks, and the Host header is
untouched, because httpcore takes both from the request, not from us.
"""

from __future__ import annotations

import functools
import socket
import ssl
import threading
import typing
from collections.abc import Callable, Iterable

import httpcore
import httpx

from diemtin.fetch import deadline
from diemtin.fetch.errors import FetchError
from diemtin.fetch.guard import AllowList, IPAddress, block_reason, parse_ip_literal

Resolver = Callable[[str, int], list[str]]
# Opens a TCP stream to an already checked IP literal; tests inject one.
Connector = Callable[[str, int, float | None], httpcore.NetworkStream]


def system_resolver(host: str, port: int) -> list[str]:
    """All addresses the system resolver gives for ``host``, in its order."""
    infos = socket.getaddrinfo(host, port, type=socket.SOCK_STREAM)
    return list(dict.fromkeys(str(info[4][0]) for info in infos))


def plain_connector(ip: str, port: int, timeout: float | None) -> httpcore.NetworkStream:
    return httpcore.SyncBackend().connect_tcp(ip, port, timeout=timeout, socket_options=[])


class GuardedBackend(httpcore.SyncBackend):
    def __init__(
        self,
        allow: AllowList,
        resolver: Resolver = system_resolver,
        connector: Connector = plain_connector,
    ) -> None:
        self._allow = allow
        self._resolver = resolver
        self._connector = connector

    def connect_tcp(
        self,
        host: str,
        port: int,
        timeout: float | None = None,
        local_address: str | None = None,
        socket_options: Iterable[httpcore.SOCKET_OPTION] | None = None,
    ) -> httpcore.NetworkStream:
        addresses = self._addresses(host, port, timeout)
        if host not in self._allow:
            for ip in addresses:
                reason = block_reason(ip)
                if reason is not None:
                    raise FetchError(
                        f"{host} resolves to non-public address {ip} ({reason})", kind="ssrf"
                    )
        return self._connect_first(host, addresses, port, timeout)

    def _addresses(self, host: str, port: int, timeout: float | None) -> list[IPAddress]:
        literal = parse_ip_literal(host)
        if literal is not None:
            return [literal]
        budget = _budget(timeout)
        if budget is not None and budget <= 0:
            raise httpcore.ConnectTimeout(f"deadline passed before resolving {host}")
        try:
            answers = _resolve_within(self._resolver, host, port, budget)
        except (OSError, UnicodeError) as exc:
            raise httpcore.ConnectError(f"cannot resolve {host}: {exc}") from exc
        addresses = [parse_ip_literal(a.split("%", 1)[0]) for a in answers]
        if not answers or any(a is None for a in addresses):
            # an answer that is not an address at all is as suspect as a private one
            raise FetchError(f"{host} resolved to unusable answer {answers!r}", kind="ssrf")
        return [a for a in addresses if a is not None]

    def _connect_first(
        self, host: str, addresses: list[IPAddress], port: int, timeout: float | None
    ) -> httpcore.NetworkStream:
        error: Exception | None = None
        for ip in addresses:
            budget = _budget(timeout)
            if budget is not None and budget <= 0:
                raise httpcore.ConnectTimeout(f"deadline passed while connecting to {host}")
            try:
                return DeadlineStream(self._connector(str(ip), port, budget))
            except (httpcore.ConnectError, httpcore.ConnectTimeout, OSError) as exc:
                error = exc
        if isinstance(error, httpcore.ConnectTimeout):
            raise error
        raise httpcore.ConnectError(f"cannot connect to {host}:{port}: {error}") from error


def _resolve_within(resolver: Resolver, host: str, port: int, budget: float | None) -> list[str]:
    """``resolver(host, port)``, given up on after ``budget`` seconds.

    getaddrinfo has no timeout of its own, so it runs in a thread of its own; a
    daemon one, so a lookup that hangs past the deadline delays neither other
    requests nor the process's exit.
    """
    outcome: list[list[str] | BaseException] = []
    done = threading.Event()

    def lookup() -> None:
        try:
            outcome.append(resolver(host, port))
        except BaseException as exc:  # handed to the caller below
            outcome.append(exc)
        finally:
            done.set()

    threading.Thread(target=lookup, name=f"diemtin-dns-{host}", daemon=True).start()
    if not done.wait(budget):
        raise httpcore.ConnectTimeout(f"resolving {host} outlasted the deadline")
    if isinstance(outcome[0], BaseException):
        raise outcome[0]
    return outcome[0]


def _budget(timeout: float | None) -> float | None:
    current = deadline.current()
    return timeout if current is None else current.cap(timeout)


class DeadlineStream(httpcore.NetworkStream):
    """A stream whose every operation ends by the current request's deadline."""

    def __init__(self, inner: httpcore.NetworkStream) -> None:
        self._inner = inner

    def read(self, max_bytes: int, timeout: float | None = None) -> bytes:
        budget = _budget(timeout)
        if budget is not None and budget <= 0:
            raise httpcore.ReadTimeout("deadline passed while reading")
        return self._inner.read(max_bytes, budget)

    def write(self, buffer: bytes, timeout: float | None = None) -> None:
        budget = _budget(timeout)
        if budget is not None and budget <= 0:
            raise httpcore.WriteTimeout("deadline passed while writing")
        self._inner.write(buffer, budget)

    def close(self) -> None:
        self._inner.close()

    def start_tls(
        self,
        ssl_context: ssl.SSLContext,
        server_hostname: str | None = None,
        timeout: float | None = None,
    ) -> httpcore.NetworkStream:
        budget = _budget(timeout)
        if budget is not None and budget <= 0:
            raise httpcore.ConnectTimeout("deadline passed before TLS handshake")
        return DeadlineStream(self._inner.start_tls(ssl_context, server_hostname, budget))

    def get_extra_info(self, info: str) -> typing.Any:
        return self._inner.get_extra_info(info)


@functools.cache
def _ssl_context() -> ssl.SSLContext:
    # Loading the CA bundle costs ~40 ms; one read-only context serves every Fetcher.
    return httpx.create_ssl_context(trust_env=False)


def guarded_transport(
    allow: AllowList,
    *,
    resolver: Resolver = system_resolver,
    connector: Connector = plain_connector,
    max_connections: int = 20,
) -> httpx.HTTPTransport:
    """An HTTP/1.1 transport whose only way to a socket is ``GuardedBackend``."""
    ssl_context = _ssl_context()
    # trust_env=False: no proxy from the environment, it would bypass the guard
    transport = httpx.HTTPTransport(verify=ssl_context, trust_env=False)
    transport._pool = httpcore.ConnectionPool(
        ssl_context=ssl_context,
        max_connections=max_connections,
        max_keepalive_connections=max_connections,
        keepalive_expiry=5.0,
        network_backend=GuardedBackend(allow, resolver, connector),
    )
    return transport
