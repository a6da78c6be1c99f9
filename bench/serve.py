"""Article-page serving: `diemtin serve` next to nginx serving the same page as a file.

With ../shared/data/baomoi imported (35,440 articles; the database is kept at
--db so reruns skip the import), starts `diemtin serve --workers N` and an
nginx of its own (config, pid and logs in a temp dir, loopback only, never the
system service), saves one article page's HTML as nginx's file, and loads both
with wrk in the same run. Goal (shared/spec/goals.md): >= 25% of nginx's req/s,
p99 < 50 ms.

    .venv/bin/python bench/serve.py [--db PATH] [--duration 15] [--connections 50]
        [--threads 2] [--workers 2] [--profile]

Needs Debian's nginx and wrk (installed here when run as root). --profile
samples the server with py-spy during a second diemtin run and prints where the
time goes.
"""

from __future__ import annotations

import argparse
import gzip
import itertools
import json
import os
import re
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
from collections import Counter
from pathlib import Path
from typing import Any

import httpx

from machine import describe  # bench/machine.py: run as a script, bench/ is on sys.path

ROOT = Path(__file__).resolve().parent.parent
RESULTS = ROOT / "bench" / "results"
GOAL_SHARE, GOAL_P99_MS = 0.25, 50.0
NGINX_CONF = """worker_processes {workers};
pid {tmp}/nginx.pid;
error_log {tmp}/error.log warn;
{user}
events {{ worker_connections 4096; }}
http {{
  access_log off;
  sendfile on;
  tcp_nopush on;
  keepalive_requests 100000;
  client_body_temp_path {tmp}/body;
  proxy_temp_path {tmp}/proxy;
  fastcgi_temp_path {tmp}/fastcgi;
  uwsgi_temp_path {tmp}/uwsgi;
  scgi_temp_path {tmp}/scgi;
  server {{
    listen 127.0.0.1:{port};
    root {tmp}/www;
    default_type "text/html; charset=utf-8";
    location / {{ try_files /article.html =404; }}
  }}
}}
"""


def data_dir() -> Path:
    return Path(os.environ.get("DIEMTIN_SHARED_DATA", ROOT.parent / "shared" / "data"))


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def need_tools() -> None:
    """nginx and wrk from Debian's packages: installed when missing and we are root."""
    missing = [pkg for tool, pkg in (("nginx", "nginx-light"), ("wrk", "wrk")) if not _which(tool)]
    if not missing:
        return
    if os.geteuid() != 0:
        sys.exit(f"missing {', '.join(missing)}: sudo apt-get install {' '.join(missing)}")
    env = {**os.environ, "DEBIAN_FRONTEND": "noninteractive"}
    subprocess.run(["apt-get", "update", "-qq"], check=True, env=env)
    subprocess.run(
        ["apt-get", "install", "-y", "-qq", "--no-install-recommends", *missing],
        check=True,
        env=env,
        stdout=subprocess.DEVNULL,
    )
    # Debian may start the system nginx on install; this bench uses its own.
    subprocess.run(["service", "nginx", "stop"], check=False, capture_output=True)


def _which(tool: str) -> str | None:
    return shutil.which(tool) or shutil.which(tool, path="/usr/sbin:/sbin")


def diemtin_env(db: Path) -> dict[str, str]:
    return {
        **os.environ,
        "DIEMTIN_DATABASE_URL": f"sqlite:///{db}",
        "DIEMTIN_BUILTIN_SOURCES": "0",
    }


def import_corpus(db: Path, limit: int | None) -> None:
    corpus = data_dir() / "baomoi" / "baomoi_2017.jsonl.gz"
    if not corpus.is_file():
        sys.exit(f"{corpus} missing: set DIEMTIN_SHARED_DATA or place ../shared/data")
    db.parent.mkdir(parents=True, exist_ok=True)
    if limit:  # a quick check of the bench itself, not a figure to report
        part = db.with_suffix(f".first{limit}.jsonl")
        with gzip.open(corpus, "rb") as src, part.open("wb") as out:
            out.writelines(itertools.islice(src, limit))
        corpus = part
    started = time.perf_counter()
    done = subprocess.run(
        [sys.executable, "-m", "diemtin.cli.main", "import", str(corpus)],
        env=diemtin_env(db),
        capture_output=True,
        text=True,
    )
    if done.returncode != 0:
        sys.exit(f"import failed: {done.stderr[-2000:]}")
    # rich wraps its lines: the report is the text after the progress bar, unwrapped
    summary = " ".join(done.stdout.split()).rpartition(f"{corpus}:")[2].strip()
    print(f"import: {summary} ({time.perf_counter() - started:.0f} s)", file=sys.stderr)


def wait_http(url: str, proc: subprocess.Popen[bytes], seconds: float = 60) -> None:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            sys.exit(f"{proc.args!r} exited {proc.returncode}")
        try:
            if httpx.get(url, timeout=2).status_code < 500:
                return
        except httpx.TransportError:
            pass
        time.sleep(0.2)
    sys.exit(f"{url} never answered")


def start_diemtin(db: Path, workers: int, log: Path) -> tuple[subprocess.Popen[bytes], str]:
    port = free_port()
    base = f"http://127.0.0.1:{port}"
    env = {**diemtin_env(db), "DIEMTIN_BASE_URL": base}
    args = ["serve", "--host", "127.0.0.1", "--port", str(port), "--workers", str(workers)]
    with log.open("wb") as out:
        proc = subprocess.Popen(
            [sys.executable, "-m", "diemtin.cli.main", *args],
            env=env,
            stdout=out,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )
    wait_http(base + "/healthz", proc)
    return proc, base


def start_nginx(tmp: Path, page: bytes, workers: int) -> tuple[subprocess.Popen[bytes], str]:
    (tmp / "www").mkdir()
    (tmp / "www" / "article.html").write_bytes(page)
    for path in (tmp, tmp / "www"):
        path.chmod(0o755)  # nginx's workers run as another user
    (tmp / "www" / "article.html").chmod(0o644)
    port = free_port()
    user = "user root;" if os.geteuid() == 0 else ""
    conf = tmp / "nginx.conf"
    conf.write_text(NGINX_CONF.format(workers=workers, tmp=tmp, port=port, user=user))
    proc = subprocess.Popen(
        [_which("nginx") or "nginx", "-c", str(conf), "-p", str(tmp), "-g", "daemon off;"],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
        start_new_session=True,
    )
    base = f"http://127.0.0.1:{port}"
    wait_http(base + "/", proc)
    return proc, base


def stop(proc: subprocess.Popen[bytes]) -> None:
    if proc.poll() is None:
        os.killpg(proc.pid, signal.SIGTERM)
        try:
            proc.wait(timeout=20)
        except subprocess.TimeoutExpired:
            os.killpg(proc.pid, signal.SIGKILL)
            proc.wait()


def _ms(value: str) -> float:
    number, unit = re.fullmatch(r"([\d.]+)(us|ms|s|m)", value.strip()).groups()  # type: ignore[union-attr]
    return float(number) * {"us": 0.001, "ms": 1.0, "s": 1000.0, "m": 60_000.0}[unit]


def wrk(url: str, threads: int, connections: int, seconds: int) -> dict[str, Any]:
    done = subprocess.run(
        ["wrk", f"-t{threads}", f"-c{connections}", f"-d{seconds}s", "--latency", url],
        capture_output=True,
        text=True,
        check=True,
    )
    out = done.stdout
    rps = float(re.search(r"Requests/sec:\s+([\d.]+)", out).group(1))  # type: ignore[union-attr]
    latency = dict(re.findall(r"^\s+(50|99)%\s+(\S+)", out, re.M))
    errors = re.search(r"Non-2xx or 3xx responses: (\d+)", out)
    socket_errors = re.search(r"Socket errors: (.*)", out)
    return {
        "req_per_s": round(rps, 1),
        "p50_ms": round(_ms(latency["50"]), 2),
        "p99_ms": round(_ms(latency["99"]), 2),
        "non_2xx": int(errors.group(1)) if errors else 0,
        "socket_errors": socket_errors.group(1).strip() if socket_errors else "none",
    }


def pick_article(base: str) -> tuple[str, bytes]:
    listing = httpx.get(base + "/api/v1/articles", params={"per_page": 50}, timeout=30).json()
    article = listing["articles"][len(listing["articles"]) // 2]
    path = "/" + str(article["url"]).split("/", 3)[3]
    for _ in range(5):  # warm the page and its sidebars
        page = httpx.get(base + path, timeout=30)
    page.raise_for_status()
    return path, page.content


def profile(pid: int, seconds: int, out: Path) -> dict[str, list[tuple[str, int]]]:
    """py-spy on the server and its workers while wrk runs: frames by share of samples."""
    spy = shutil.which("py-spy") or str(Path(sys.executable).parent / "py-spy")
    subprocess.run(
        [
            *(spy, "record", "--pid", str(pid), "--subprocesses", "--duration", str(seconds)),
            *("--format", "raw", "--output", str(out), "--nonblocking"),
        ],
        check=True,
        capture_output=True,
    )
    inclusive: Counter[str] = Counter()
    own: Counter[str] = Counter()
    total = 0
    for line in out.read_text().splitlines():
        stack, _, count = line.rpartition(" ")
        frames = [f for f in stack.split(";") if not f.lstrip().startswith(("process ", "thread "))]
        n = int(count)
        total += n
        if frames:
            own[frames[-1]] += n
        for frame in set(frames):
            inclusive[frame] += n
    share = [(frame, round(100 * n / max(total, 1))) for frame, n in inclusive.most_common(60)]
    return {
        # the event loop and process start-up hold every sample: left out
        "inclusive": [(f, pct) for f, pct in share if pct < 85][:20],
        "self": [(f, round(100 * n / max(total, 1))) for f, n in own.most_common(15)],
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--db", type=Path, default=RESULTS / "serve-baomoi.db")
    parser.add_argument("--duration", type=int, default=15)
    parser.add_argument("--connections", type=int, default=50)
    parser.add_argument("--threads", type=int, default=2)
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--profile", action="store_true", help="py-spy the server under load")
    parser.add_argument("--limit", type=int, help="import only the first N articles (a dry run)")
    args = parser.parse_args()
    need_tools()
    import_corpus(args.db.resolve(), args.limit)
    tmp = Path(tempfile.mkdtemp(prefix="diemtin-bench-"))
    app, app_base = start_diemtin(args.db.resolve(), args.workers, tmp / "serve.log")
    nginx = None
    try:
        path, page = pick_article(app_base)
        nginx, nginx_base = start_nginx(tmp, page, args.workers)
        load = (args.threads, args.connections, args.duration)
        wrk(nginx_base + "/", args.threads, args.connections, 2)  # warm-up, not measured
        static = wrk(nginx_base + "/", *load)
        wrk(app_base + path, args.threads, args.connections, 2)
        ours = wrk(app_base + path, *load)
        hot = None
        if args.profile:
            url = app_base + path
            spy = subprocess.Popen(
                ["wrk", f"-t{args.threads}", f"-c{args.connections}", f"-d{args.duration}s", url],
                stdout=subprocess.DEVNULL,
            )
            hot = profile(app.pid, max(args.duration - 2, 3), tmp / "profile.txt")
            spy.wait()
    finally:
        stop(app)
        if nginx is not None:
            stop(nginx)
    share = ours["req_per_s"] / static["req_per_s"]
    result = {
        "page": path,
        "page_bytes": len(page),
        "load": f"wrk -t{args.threads} -c{args.connections} -d{args.duration}s",
        "diemtin_workers": args.workers,
        "nginx": static,
        "diemtin": ours,
        "share_of_nginx": round(share, 3),
        "goal_met": share >= GOAL_SHARE and ours["p99_ms"] < GOAL_P99_MS,
        "articles_imported": "first " + str(args.limit) if args.limit else "all of baomoi",
        "machine": describe(),
    }
    print(json.dumps(result, indent=2, ensure_ascii=False))
    for kind, frames in (hot or {}).items():
        print(f"\nwhere the server's time goes ({kind}, share of samples):")
        for frame, pct in frames:
            print(f"  {pct:3d}%  {frame}")
    RESULTS.mkdir(parents=True, exist_ok=True)
    (RESULTS / "serve.json").write_text(json.dumps(result, indent=2, ensure_ascii=False))
    shutil.rmtree(tmp, ignore_errors=True)


if __name__ == "__main__":
    main()
