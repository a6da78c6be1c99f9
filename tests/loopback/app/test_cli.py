"""The CLI and the app as real subprocesses: offline start, config, sources, bad settings."""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import time
from pathlib import Path

import httpx
import pytest

from tests.support.archives import article_record, write_jsonl

pytestmark = pytest.mark.loopback


def _env(tmp_path: Path, **extra: str) -> dict[str, str]:
    return {
        **os.environ,
        "DIEMTIN_DATABASE_URL": f"sqlite:///{tmp_path / 'site.db'}",
        "COLUMNS": "200",
        **extra,
    }


def diemtin(
    env: dict[str, str], *args: str, check: bool = True
) -> subprocess.CompletedProcess[str]:
    done = subprocess.run(
        [sys.executable, "-m", "diemtin.cli.main", *args],
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )
    if check:
        assert done.returncode == 0, done.stderr
    return done


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def _wait_for(url: str, proc: subprocess.Popen[str]) -> None:
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline:
        assert proc.poll() is None, proc.communicate()[1]
        try:
            httpx.get(url, timeout=1)
            return
        except httpx.TransportError:
            time.sleep(0.2)
    raise AssertionError(f"{url} never answered")


def test_offline_run_starts_and_says_why_nothing_arrived(tmp_path: Path) -> None:
    """No network: the site starts, its home page names the fetch errors and the way out."""
    port = _free_port()
    env = _env(tmp_path, DIEMTIN_PORT=str(port), DIEMTIN_CRAWL_EVERY_SECONDS="3600")
    proc = subprocess.Popen(
        [sys.executable, "-m", "diemtin.cli.main", "run"],
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    try:
        home = f"http://127.0.0.1:{port}/"
        _wait_for(home, proc)
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline:
            page = httpx.get(home).text
            if "nguồn báo lỗi" in page:
                break
            time.sleep(0.5)
        assert "Chưa có bài viết nào" in page
        assert "nguồn báo lỗi" in page and "VnExpress" in page
        assert "diemtin import" in page
        listing = diemtin(env, "sources", "list").stdout
        assert "vnexpress" in listing and "connect" in listing
    finally:
        proc.terminate()
        proc.wait(timeout=30)


def test_import_then_serve_article_pages(tmp_path: Path) -> None:
    env = _env(tmp_path, DIEMTIN_BUILTIN_SOURCES="0")
    path = write_jsonl(tmp_path / "a.jsonl", [article_record(i) for i in range(3)])
    out = diemtin(env, "import", str(path)).stdout
    assert "3 new" in out
    assert "already imported" in diemtin(env, "import", str(path)).stdout
    port = _free_port()
    proc = subprocess.Popen(
        [sys.executable, "-m", "diemtin.cli.main", "run", "--port", str(port)],
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    try:
        _wait_for(f"http://127.0.0.1:{port}/healthz", proc)
        home = httpx.get(f"http://127.0.0.1:{port}/").text
        assert "Tin số 2" in home
        page = httpx.get(f"http://127.0.0.1:{port}/a/1")
        assert page.status_code == 200 and "Tóm tắt bài 0" in page.text
        assert "default-src 'self'" in page.headers["content-security-policy"]
        assert httpx.get(f"http://127.0.0.1:{port}/a/999").status_code == 404
        assert httpx.get(f"http://127.0.0.1:{port}/a/abc").status_code == 404
    finally:
        proc.terminate()
        proc.wait(timeout=30)


def test_config_lists_every_setting_and_bad_values_are_refused(tmp_path: Path) -> None:
    env = _env(tmp_path)
    out = diemtin(env, "config").stdout
    for name in ("database_url", "fetch_allow_hosts", "DIEMTIN_FETCH_MAX_BYTES"):
        assert name in out
    bad = diemtin({**env, "DIEMTIN_PORT": "eighty"}, "config", check=False)
    assert bad.returncode == 2 and "cannot read 'eighty' as int" in bad.stderr
    toml = tmp_path / "bad.toml"
    toml.write_text("no_such_setting = 1\n")
    bad = diemtin(env, "--config", str(toml), "config", check=False)
    assert bad.returncode == 2 and "unknown setting 'no_such_setting'" in bad.stderr
    broken = diemtin({**env, "DIEMTIN_DATABASE_URL": "mysql://x/y"}, "migrate", check=False)
    assert broken.returncode == 1 and "only sqlite" in broken.stderr


def test_sources_disable_enable_and_unknown(tmp_path: Path) -> None:
    env = _env(tmp_path)
    assert "disabled" in diemtin(env, "sources", "disable", "vnexpress").stdout
    listing = diemtin(env, "sources", "list").stdout
    line = next(ln for ln in listing.splitlines() if "vnexpress" in ln)
    assert " no " in line
    diemtin(env, "migrate")  # a registry sync must not re-enable it
    line = next(
        ln for ln in diemtin(env, "sources", "list").stdout.splitlines() if "vnexpress" in ln
    )
    assert " no " in line
    assert "enabled" in diemtin(env, "sources", "enable", "vnexpress").stdout
    missing = diemtin(env, "sources", "disable", "no-such-paper", check=False)
    assert missing.returncode == 1 and "no source 'no-such-paper'" in missing.stderr
    bad_url = diemtin(env, "sources", "add", "ftp://example.com/feed", check=False)
    assert bad_url.returncode == 2
    private = diemtin(env, "sources", "add", "http://10.1.2.3/rss", check=False)
    assert private.returncode == 1 and "non-public address" in private.stderr


def test_sources_add_discovers_the_feed_behind_a_site(tmp_path: Path) -> None:
    from tests.support.publisher import Publisher
    from tests.support.site import serve_site

    with Publisher() as pub:
        feed = serve_site(pub, range(3))
        home = (
            f'<html><head><link rel="alternate" type="application/rss+xml" href="{feed}">'
            "</head><body><a href='/tin-tuc/bai-1.html'>Bài 1</a></body></html>"
        )
        pub.route("/", home, headers={"Content-Type": "text/html; charset=utf-8"})
        pub.route(
            "/chuyen-muc",
            "<html><body><a href='/tin-tuc/bai-2.html'>Bài 2</a></body></html>",
            headers={"Content-Type": "text/html; charset=utf-8"},
        )
        env = _env(
            tmp_path,
            DIEMTIN_BUILTIN_SOURCES="0",
            DIEMTIN_FETCH_ALLOW_HOSTS="127.0.0.1",
            DIEMTIN_FETCH_HOST_DELAY="0",
        )
        out = diemtin(env, "sources", "add", pub.url("/"), "--name", "Báo Mẫu").stdout
        assert f"rss {feed}" in out
        out = diemtin(env, "sources", "add", pub.url("/chuyen-muc")).stdout
        assert "section" in out
        done = diemtin(env, "crawl", "--once").stdout
        assert "3 new articles" in done
        assert "127-0-0-1" in diemtin(env, "sources", "list").stdout
    # without the allow-list the same loopback address is refused by the SSRF guard
    env = _env(tmp_path / "x", DIEMTIN_BUILTIN_SOURCES="0")
    (tmp_path / "x").mkdir()
    refused = diemtin(env, "sources", "add", "http://127.0.0.1:9/", check=False)
    assert refused.returncode == 1 and "non-public address" in refused.stderr
