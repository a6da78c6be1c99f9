"""The real app as a subprocess on a free loopback port, over its own SQLite database.

Data goes in the way an operator puts it in: `diemtin import` of archive files
(a slice of ../shared/data/baomoi, or archives the tests write themselves).
The server is `diemtin serve` (the web alone, no crawling), so nothing leaves
loopback.
"""

from __future__ import annotations

import gzip
import os
import socket
import subprocess
import sys
import time
from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

import httpx

START_SECONDS = 60.0


class AppError(RuntimeError):
    """The app could not be set up: a command failed or the server never answered."""


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def environment(database: Path, **extra: str) -> dict[str, str]:
    """The environment of every command: this database, without the shipped publishers."""
    return {
        **os.environ,
        "DIEMTIN_DATABASE_URL": f"sqlite:///{database}",
        "DIEMTIN_BUILTIN_SOURCES": "0",
        "COLUMNS": "200",
        **extra,
    }


def diemtin(env: Mapping[str, str], *args: str, timeout: float = 900) -> str:
    """Runs one CLI command to completion; its stdout, or AppError with its stderr."""
    done = subprocess.run(
        [sys.executable, "-m", "diemtin.cli.main", *args],
        env=dict(env),
        capture_output=True,
        text=True,
        timeout=timeout,
    )
    if done.returncode != 0:
        raise AppError(f"diemtin {' '.join(args)} exited {done.returncode}: {done.stderr[-2000:]}")
    return done.stdout


def baomoi_slice(shared_data: Path, dest: Path, count: int) -> Path:
    """The first ``count`` articles of the baomoi dump as a JSONL file of the test's own."""
    source = shared_data / "baomoi" / "baomoi_2017.jsonl.gz"
    if not source.is_file():
        raise FileNotFoundError(source)
    with gzip.open(source, "rb") as src, dest.open("wb") as out:
        for i, line in enumerate(src):
            if i >= count:
                break
            out.write(line)
    return dest


def serve_args(host: str, port: int, workers: int = 1) -> list[str]:
    return ["serve", "--host", host, "--port", str(port), "--workers", str(workers)]


@dataclass
class AppServer:
    base: str
    proc: subprocess.Popen[bytes]
    log: Path

    def url(self, path: str = "/") -> str:
        return self.base + path

    def log_tail(self) -> str:
        try:
            return self.log.read_text(errors="replace")[-3000:]
        except OSError:
            return ""

    def stop(self) -> None:
        if self.proc.poll() is None:
            self.proc.terminate()
            try:
                self.proc.wait(timeout=20)
            except subprocess.TimeoutExpired:
                self.proc.kill()
                self.proc.wait(timeout=10)


def start(env: Mapping[str, str], log: Path, *, workers: int = 1) -> AppServer:
    """Starts the server on a free port and waits until /healthz answers."""
    port = free_port()
    base = f"http://127.0.0.1:{port}"
    env = {**env, "DIEMTIN_BASE_URL": base, "DIEMTIN_PORT": str(port)}
    with log.open("wb") as out:
        proc = subprocess.Popen(
            [sys.executable, "-m", "diemtin.cli.main", *serve_args("127.0.0.1", port, workers)],
            env=env,
            stdout=out,
            stderr=subprocess.STDOUT,
        )
    server = AppServer(base, proc, log)
    deadline = time.monotonic() + START_SECONDS
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            raise AppError(f"the server exited {proc.returncode}: {server.log_tail()}")
        try:
            if httpx.get(server.url("/healthz"), timeout=2).status_code == 200:
                return server
        except httpx.TransportError:
            pass
        time.sleep(0.2)
    server.stop()
    raise AppError(f"the server never answered on {base}: {server.log_tail()}")


@contextmanager
def running(
    workdir: Path, archives: list[Path], *, workers: int = 1, **env_extra: str
) -> Iterator[AppServer]:
    """Imports ``archives`` into a fresh database under ``workdir``, serves it, stops it."""
    env = environment(workdir / "site.db", **env_extra)
    for archive in archives:
        diemtin(env, "import", str(archive))
    server = start(env, workdir / "server.log", workers=workers)
    try:
        yield server
    finally:
        server.stop()
