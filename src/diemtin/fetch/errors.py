"""The one error type ``diemtin.fetch`` lets out of ``Fetcher.get``."""

from __future__ import annotations

from typing import Literal

from diemtin.model import IngestError

FetchErrorKind = Literal[
    "ssrf",
    "invalid_url",
    "timeout",
    "too_large",
    "too_many_redirects",
    "http_status",
    "connect",
    "robots",
    "decode",
]

# Kinds worth another attempt: the server may answer next time.
RETRYABLE_KINDS: frozenset[str] = frozenset({"connect", "timeout"})


class FetchError(IngestError):
    """A fetch that failed; ``kind`` says why in one stable word.

    ``status`` is set for ``http_status`` (and for a ``robots`` failure caused by
    one); ``retry_after`` carries the server's Retry-After in seconds, if any.
    """

    kind: str = "error"

    def __init__(
        self,
        message: str,
        *,
        kind: FetchErrorKind,
        url: str = "",
        status: int | None = None,
        retry_after: float | None = None,
    ) -> None:
        super().__init__(message, kind=kind)
        self.url = url
        self.status = status
        self.retry_after = retry_after

    @property
    def retryable(self) -> bool:
        return self.kind in RETRYABLE_KINDS
