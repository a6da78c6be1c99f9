"""`diemtin serve` as a real subprocess on SQLite: several workers, cached pages, static files."""

from __future__ import annotations

import subprocess
import sys
import time
from pathlib import Path

import httpx
import pytest

from tests.loopback.app.test_cli import _env, _free_port, diemtin
from tests.support.archives import article_record, write_jsonl

pytestmark = pytest.mark.loopback


def _wait_for(url: str, proc: subprocess.Popen[str], seconds: float = 90) -> None:
    """Each worker imports the whole site: slow on a busy 2-core machine."""
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        assert proc.poll() is None, proc.communicate()[1]
        try:
            if httpx.get(url, timeout=2).status_code == 200:
                return
        except httpx.TransportError:
            pass
        time.sleep(0.3)
    raise AssertionError(f"{url} never answered")


def test_serve_with_two_workers(tmp_path: Path) -> None:
    env = _env(tmp_path, DIEMTIN_BUILTIN_SOURCES="0", DIEMTIN_SITE_NAME="Tin Thử")
    records = [article_record(i, category="Thế giới", source="Báo Mẫu") for i in range(4)]
    diemtin(env, "import", str(write_jsonl(tmp_path / "a.jsonl", records)))
    port = _free_port()
    proc = subprocess.Popen(
        [sys.executable, "-m", "diemtin.cli.main", "serve", "--port", str(port), "--workers", "2"],
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    base = f"http://127.0.0.1:{port}"
    try:
        _wait_for(f"{base}/healthz", proc)
        with httpx.Client(base_url=base, timeout=30) as client:
            home = client.get("/")
            assert home.status_code == 200 and "Tin Thử" in home.text  # settings reach workers
            assert "Tin số 3" in home.text
            page = client.get("/a/1", headers={"Accept-Encoding": "gzip"})
            assert page.status_code == 200 and page.headers["content-encoding"] == "gzip"
            assert "Tóm tắt bài 0" in page.text and "set-cookie" not in page.headers
            listing = client.get("/c/the-gioi")  # one article page only: each is a cold start
            again = client.get("/c/the-gioi", headers={"If-None-Match": listing.headers["etag"]})
            assert listing.status_code == 200 and again.status_code == 304
            assert client.get("/c/the-gioi?page=x").status_code == 400
            assert client.get("/a/999").status_code == 404
            css = client.get(home.text.split('rel="stylesheet" href="')[1].split('"')[0])
            assert "immutable" in css.headers["cache-control"]
    finally:
        proc.terminate()
        proc.wait(timeout=30)
