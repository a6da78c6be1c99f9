"""/metrics: request latency and cache hits from the process, ingest figures from the store."""

from __future__ import annotations

import dataclasses
import re
from pathlib import Path

import pytest
from starlette.testclient import TestClient

from diemtin.pipeline.importing import Importer
from diemtin.pipeline.setup import open_store
from diemtin.settings import Settings
from diemtin.web.app import create_app
from diemtin.web.metrics import area_of, method_of
from tests.support.archives import article_record, write_jsonl


def _client(tmp_path: Path, **overrides: object) -> TestClient:
    settings = dataclasses.replace(
        Settings(database_url=f"sqlite:///{tmp_path / 'm.db'}", builtin_sources=False),
        **overrides,  # type: ignore[arg-type]
    )
    db = open_store(settings)
    Importer(db, []).run(write_jsonl(tmp_path / "a.jsonl", [article_record(i) for i in range(3)]))
    return TestClient(create_app(db, settings))


def _value(body: str, series: str) -> float:
    match = re.search(rf"^{re.escape(series)} ([0-9.e+]+)$", body, re.MULTILINE)
    assert match, f"{series} missing from /metrics"
    return float(match.group(1))


def test_metrics_count_requests_cache_hits_and_the_store(tmp_path: Path) -> None:
    client = _client(tmp_path, metrics_from=("*",))
    for _ in range(3):
        assert client.get("/a/1").status_code == 200
    assert client.get("/a/999999").status_code == 404
    body = client.get("/metrics").text
    assert _value(body, 'diemtin_page_cache_total{result="hit"}') == 2
    assert _value(body, 'diemtin_page_cache_total{result="miss"}') >= 1
    timed = 'diemtin_http_request_seconds_count{area="a",method="GET",status="2xx"}'
    assert _value(body, timed) == 1  # the two cache hits are counted, not timed
    assert (
        _value(body, 'diemtin_http_request_seconds_count{area="a",method="GET",status="4xx"}') == 1
    )
    assert _value(body, 'diemtin_articles{status="visible"}') == 3
    assert _value(body, "diemtin_articles_stored_last_hour") == 3


def test_metrics_are_refused_outside_the_allowed_addresses(tmp_path: Path) -> None:
    client = _client(tmp_path)  # default: loopback only, and the test client is not an address
    assert client.get("/metrics").status_code == 403


@pytest.mark.parametrize(
    ("path", "area"),
    [("/", "home"), ("/a/12", "a"), ("/sitemap-2025-10.xml", "sitemap"), ("/rss.xml", "rss"),
     ("/api/v1/search", "api"), ("/wp-login.php", "other"), ("/%00", "other")],
)  # fmt: skip
def test_odd_paths_and_methods_cannot_add_series(path: str, area: str) -> None:
    assert area_of(path) == area
    assert method_of("BREW") == "other" and method_of("GET") == "GET"
