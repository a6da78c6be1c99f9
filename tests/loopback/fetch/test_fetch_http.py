"""Plain fetching: headers, conditional GET, statuses, retries, redirects."""

from __future__ import annotations

import gzip
import time
from collections.abc import Callable

import brotli  # type: ignore[import-untyped]
import pytest

from diemtin.fetch import Fetcher, FetchError
from tests.support.publisher import Publisher

pytestmark = pytest.mark.loopback

FetcherFactory = Callable[..., Fetcher]
RSS = '<?xml version="1.0"?><rss><channel><title>Thời sự</title></channel></rss>'


def test_get_returns_body_headers_and_charset(publisher: Publisher, fetcher: Fetcher) -> None:
    publisher.route("/rss", RSS, headers={"Content-Type": "application/rss+xml; charset=UTF-8"})
    response = fetcher.get(publisher.url("/rss"), accept="application/rss+xml")
    assert response.status == 200
    assert response.body == RSS.encode()
    assert response.charset == "utf-8"
    assert response.content_type == "application/rss+xml"
    assert response.headers["content-type"].startswith("application/rss+xml")
    assert response.url == publisher.url("/rss")
    assert not response.not_modified
    assert 0 < response.elapsed < 2
    seen = publisher.seen("/rss")[0]
    assert seen.headers["user-agent"] == "diemtin-test/1.0 (+https://example.invalid)"
    assert seen.headers["accept"] == "application/rss+xml"
    assert {"gzip", "br"} <= {c.strip() for c in seen.headers["accept-encoding"].split(",")}


def test_no_charset_is_none(publisher: Publisher, fetcher: Fetcher) -> None:
    publisher.route("/x", b"\x00\x01", headers={"Content-Type": "application/octet-stream"})
    assert fetcher.get(publisher.url("/x")).charset is None


def test_gzip_body_is_decoded(publisher: Publisher, fetcher: Fetcher) -> None:
    publisher.route("/gz", gzip.compress(RSS.encode()), headers={"Content-Encoding": "gzip"})
    assert fetcher.get(publisher.url("/gz")).body == RSS.encode()


def test_brotli_body_is_decoded(publisher: Publisher, fetcher: Fetcher) -> None:
    publisher.route("/br", brotli.compress(RSS.encode()), headers={"Content-Encoding": "br"})
    assert fetcher.get(publisher.url("/br")).body == RSS.encode()


def test_conditional_get_with_etag(publisher: Publisher, fetcher: Fetcher) -> None:
    publisher.route("/rss", RSS, etag='"v1"')
    first = fetcher.get(publisher.url("/rss"))
    assert first.etag == '"v1"' and first.body
    second = fetcher.get(publisher.url("/rss"), etag=first.etag)
    assert second.not_modified and second.status == 304
    assert second.body == b""
    assert second.etag == '"v1"'
    assert publisher.seen("/rss")[1].headers["if-none-match"] == '"v1"'


def test_conditional_get_with_last_modified(publisher: Publisher, fetcher: Fetcher) -> None:
    stamp = "Mon, 06 May 2024 08:00:00 GMT"
    publisher.route("/rss", RSS, last_modified=stamp)
    first = fetcher.get(publisher.url("/rss"))
    assert first.last_modified == stamp
    second = fetcher.get(publisher.url("/rss"), last_modified=stamp)
    assert second.not_modified and second.body == b""
    assert second.last_modified == stamp
    assert publisher.seen("/rss")[1].headers["if-modified-since"] == stamp
    older = fetcher.get(publisher.url("/rss"), last_modified="Sun, 05 May 2024 08:00:00 GMT")
    assert not older.not_modified and older.body


@pytest.mark.parametrize("status", [400, 403, 404, 410, 451])
def test_4xx_is_http_status_without_retry(
    publisher: Publisher, fetcher: Fetcher, status: int
) -> None:
    publisher.route("/gone", "no", status=status)
    with pytest.raises(FetchError) as info:
        fetcher.get(publisher.url("/gone"))
    assert info.value.kind == "http_status"
    assert info.value.status == status
    assert publisher.hits["/gone"] == 1


def test_5xx_retried_then_succeeds(publisher: Publisher, fetcher: Fetcher) -> None:
    publisher.route("/rss", RSS)
    publisher.flaky("/rss", failures=2, status=503)
    assert fetcher.get(publisher.url("/rss")).body == RSS.encode()
    assert publisher.hits["/rss"] == 3


def test_retries_back_off_exponentially(publisher: Publisher, make_fetcher: FetcherFactory) -> None:
    publisher.route("/rss", RSS)
    publisher.flaky("/rss", failures=2, status=500)
    fetcher = make_fetcher(fetch_backoff=0.2)
    fetcher.get(publisher.url("/rss"))
    at = [s.at for s in publisher.seen("/rss")]
    assert at[1] - at[0] >= 0.19
    assert at[2] - at[1] >= 0.39


def test_5xx_gives_up_after_retries(publisher: Publisher, fetcher: Fetcher) -> None:
    publisher.route("/rss", RSS)
    publisher.flaky("/rss", failures=10, status=502)
    with pytest.raises(FetchError) as info:
        fetcher.get(publisher.url("/rss"))
    assert info.value.kind == "http_status" and info.value.status == 502
    assert publisher.hits["/rss"] == 3  # one try and fetch_retries=2 retries


def test_429_honours_retry_after(publisher: Publisher, make_fetcher: FetcherFactory) -> None:
    publisher.route("/rss", RSS)
    publisher.flaky("/rss", failures=1, status=429, headers={"Retry-After": "1"})
    fetcher = make_fetcher(fetch_timeout=3.0)
    assert fetcher.get(publisher.url("/rss")).body
    at = [s.at for s in publisher.seen("/rss")]
    assert at[1] - at[0] >= 0.95


def test_retry_after_beyond_budget_is_not_waited(publisher: Publisher, fetcher: Fetcher) -> None:
    publisher.route("/rss", RSS)
    publisher.flaky("/rss", failures=1, status=503, headers={"Retry-After": "120"})
    started = time.monotonic()
    with pytest.raises(FetchError) as info:
        fetcher.get(publisher.url("/rss"))
    assert time.monotonic() - started < 1
    assert info.value.status == 503 and info.value.retry_after == 120
    assert publisher.hits["/rss"] == 1


def test_connection_refused_is_connect_error_after_retries(fetcher: Fetcher) -> None:
    with Publisher() as gone:
        url = gone.url("/rss")
    with pytest.raises(FetchError) as info:
        fetcher.get(url)
    assert info.value.kind == "connect"


def test_follows_redirects(publisher: Publisher, fetcher: Fetcher) -> None:
    publisher.route("/final", RSS)
    publisher.redirect("/a", "/b", status=301)
    publisher.redirect("/b", publisher.url("/c"), status=307)
    publisher.redirect("/c", "final", status=308)
    response = fetcher.get(publisher.url("/a"))
    assert response.url == publisher.url("/final")
    assert response.body == RSS.encode()


def test_redirect_loop_is_too_many_redirects(publisher: Publisher, fetcher: Fetcher) -> None:
    publisher.redirect("/a", "/b")
    publisher.redirect("/b", "/a")
    with pytest.raises(FetchError) as info:
        fetcher.get(publisher.url("/a"))
    assert info.value.kind == "too_many_redirects"
    assert publisher.hits["/a"] + publisher.hits["/b"] == 6  # the first request and 5 hops


def test_five_redirects_allowed_six_not(publisher: Publisher, fetcher: Fetcher) -> None:
    publisher.route("/r0", RSS)
    for i in range(1, 7):
        publisher.redirect(f"/r{i}", f"/r{i - 1}")
    assert fetcher.get(publisher.url("/r5")).url == publisher.url("/r0")
    with pytest.raises(FetchError) as info:
        fetcher.get(publisher.url("/r6"))
    assert info.value.kind == "too_many_redirects"


@pytest.mark.parametrize("target", ["file:///etc/passwd", "ftp://example.com/x", "gopher://x/"])
def test_redirect_to_other_scheme_refused(
    publisher: Publisher, fetcher: Fetcher, target: str
) -> None:
    publisher.redirect("/a", target)
    with pytest.raises(FetchError) as info:
        fetcher.get(publisher.url("/a"))
    assert info.value.kind == "invalid_url"


def test_redirect_without_location_is_http_status(publisher: Publisher, fetcher: Fetcher) -> None:
    publisher.route("/a", "", status=302)
    with pytest.raises(FetchError) as info:
        fetcher.get(publisher.url("/a"))
    assert info.value.kind == "http_status" and info.value.status == 302


def test_invalid_url_is_fetch_error(fetcher: Fetcher) -> None:
    for url in ["", "nonsense", "http://", "mailto:a@b.vn"]:
        with pytest.raises(FetchError) as info:
            fetcher.get(url)
        assert info.value.kind == "invalid_url", url
