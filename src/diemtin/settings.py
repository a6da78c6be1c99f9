"""Every setting, declared once: name, type, default and help.

Values come from the defaults, then an optional TOML file, then environment
variables ``DIEMTIN_<NAME>``. The resulting frozen ``Settings`` is passed
explicitly to whatever needs it; nothing reads the environment elsewhere.
"""

from __future__ import annotations

import os
import tomllib
from collections.abc import Mapping
from dataclasses import dataclass, field, fields, replace
from pathlib import Path
from typing import Any

ENV_PREFIX = "DIEMTIN_"


def _setting(default: Any, help: str) -> Any:
    if isinstance(default, list | tuple):
        value = tuple(default)
        return field(default_factory=lambda: value, metadata={"help": help})
    return field(default=default, metadata={"help": help})


@dataclass(frozen=True)
class Settings:
    database_url: str = _setting(
        "sqlite:///diemtin.db", "sqlite:///path or postgresql://user@host/db"
    )
    site_name: str = _setting("Điểm tin", "the site's name, shown in pages and feeds")
    base_url: str = _setting("http://127.0.0.1:8000", "public URL of the site")
    host: str = _setting("127.0.0.1", "address the web server listens on")
    port: int = _setting(8000, "port the web server listens on")
    builtin_sources: bool = _setting(True, "sync the shipped registry of Vietnamese publishers")
    sources_file: str = _setting(
        "", "a TOML file of extra publishers, merged over the shipped registry"
    )
    user_agent: str = _setting(
        "diemtin/0.1 (+https://github.com/diemtin/diemtin)", "User-Agent sent to publishers"
    )
    fetch_allow_hosts: tuple[str, ...] = _setting(
        [], "hosts the SSRF guard lets through even if non-public (tests: 127.0.0.1,localhost)"
    )
    fetch_timeout: float = _setting(20.0, "total seconds one request may take, body included")
    fetch_connect_timeout: float = _setting(5.0, "seconds to connect")
    fetch_max_bytes: int = _setting(5_000_000, "largest body accepted, after decompression")
    fetch_max_redirects: int = _setting(5, "redirect hops followed, each one checked")
    fetch_retries: int = _setting(2, "retries on connection errors and 5xx, with backoff")
    fetch_backoff: float = _setting(0.5, "first retry delay in seconds; doubles each retry")
    fetch_per_host: int = _setting(2, "concurrent requests to one host")
    fetch_host_delay: float = _setting(1.0, "seconds between two requests to one host")
    fetch_concurrency: int = _setting(8, "concurrent requests in all")
    respect_robots: bool = _setting(True, "obey robots.txt")
    poll_min_minutes: float = _setting(5.0, "shortest interval between checks of one feed")
    poll_max_minutes: float = _setting(240.0, "longest interval between checks of one feed")
    crawl_every_seconds: float = _setting(60.0, "how often `run` looks for due feeds")
    log_format: str = _setting("text", "log lines as text, or json (one object per line)")
    metrics_from: tuple[str, ...] = _setting(
        ["127.0.0.1", "::1"], "addresses or networks allowed to read /metrics; * for anyone"
    )
    lease_seconds: int = _setting(
        600, "how long a worker holds a feed or page it took; a dead worker's come back after"
    )
    articles_per_feed: int = _setting(50, "newest feed entries fetched per check")
    import_batch: int = _setting(500, "articles written per transaction on import")
    import_processes: int = _setting(
        0, "processes preparing articles on a large import; 0: one per core, 1: only the importer"
    )
    models_dir: str = _setting(
        "", "where `diemtin train` saves category models; empty: <database>-models beside SQLite"
    )
    category_threshold: float = _setting(
        0.6, "least model confidence to file an article; below it the article goes to review"
    )
    # Reader signals and sidebars (issue 4): counts, windows and weights of each block.
    sidebar_hot: int = _setting(8, "items in Tin đang nóng")
    sidebar_spotlight: int = _setting(8, "items in Tiêu điểm")
    sidebar_latest: int = _setting(12, "items in Tin mới nhất")
    sidebar_related: int = _setting(6, "items in Tin liên quan")
    sidebar_for_you: int = _setting(10, "items in Có thể bạn quan tâm")
    hot_window_hours: float = _setting(72.0, "Tin đang nóng considers articles this recent")
    hot_half_life_hours: float = _setting(6.0, "a view counts half as much after this many hours")
    hot_per_source: int = _setting(2, "most items one publisher may hold in Tin đang nóng")
    spotlight_window_hours: float = _setting(48.0, "Tiêu điểm counts reads over this window")
    for_you_window_hours: float = _setting(48.0, "Có thể bạn quan tâm picks from this window")
    for_you_per_category: int = _setting(2, "most items of one category in Có thể bạn quan tâm")
    video_window_hours: float = _setting(72.0, "Video đang HOT picks from this window")
    related_window_days: float = _setting(30.0, "Tin liên quan compares with articles this close")
    helpful_vote_weight: float = _setting(5.0, "views one helpful vote is worth in ranking")
    unhelpful_vote_weight: float = _setting(2.0, "views one unhelpful vote takes away in ranking")
    sidebar_cache_seconds: float = _setting(30.0, "sidebars are recomputed at most this often")
    reader_secret: str = _setting(
        "", "key signing reader cookies; empty: generated once and kept in the store"
    )
    trusted_proxies: tuple[str, ...] = _setting(
        [], "proxy addresses or networks whose X-Forwarded-For is believed"
    )
    vote_rate_per_client: int = _setting(30, "votes one client may cast per hour")
    vote_rate_per_network: int = _setting(300, "votes one /24 or /64 network may cast per hour")
    view_rate_per_client: int = _setting(600, "views one client may record per hour")
    view_readers_per_client: int = _setting(
        100, "readers one address may add to an article's views per day (shared NATs)"
    )

    # The reader's pages (issue 3).
    follow_google_news: str = _setting("", "Google News link in the follow line; empty: hidden")
    follow_facebook: str = _setting("", "Facebook page link in the follow line; empty: hidden")
    follow_zalo: str = _setting("", "Zalo page link in the follow line; empty: hidden")
    follow_rss: str = _setting("/rss.xml", "RSS link in the follow line; empty: hidden")
    page_size: int = _setting(20, "articles per page of a category, source or tag list")
    home_hot_stories: int = _setting(8, "stories in the home page's hot block")
    home_per_category: int = _setting(6, "latest articles shown per category on the home page")
    page_cache_seconds: float = _setting(
        30.0, "a cached page is re-rendered after this long (sidebars reflect now)"
    )
    page_cache_mb: int = _setting(32, "memory for cached pages per process, in MiB; 0: off")

    def describe(self) -> list[tuple[str, str, str, str]]:
        """(name, type, value, help) for each setting, in declaration order."""
        rows = []
        for f in fields(self):
            value = getattr(self, f.name)
            shown = ",".join(value) if isinstance(value, tuple) else str(value)
            rows.append((f.name, _type_name(f.type), shown, f.metadata["help"]))
        return rows


def _type_name(t: Any) -> str:
    return t if isinstance(t, str) else getattr(t, "__name__", str(t))


class SettingsError(ValueError):
    pass


def _convert(name: str, type_name: str, raw: Any) -> Any:
    try:
        if type_name == "bool":
            if isinstance(raw, bool):
                return raw
            text = str(raw).strip().lower()
            if text in ("1", "true", "yes", "on"):
                return True
            if text in ("0", "false", "no", "off"):
                return False
            raise ValueError(raw)
        if type_name == "int":
            return int(raw)
        if type_name == "float":
            return float(raw)
        if type_name.startswith("tuple"):
            items = raw if isinstance(raw, list) else str(raw).split(",")
            return tuple(str(i).strip() for i in items if str(i).strip())
        return str(raw)
    except ValueError as exc:
        raise SettingsError(f"setting {name}: cannot read {raw!r} as {type_name}") from exc


def load(env: Mapping[str, str] | None = None, toml_path: str | Path | None = None) -> Settings:
    """Defaults, then the TOML file (``DIEMTIN_CONFIG`` if no path), then the environment."""
    env = os.environ if env is None else env
    path = toml_path or env.get(ENV_PREFIX + "CONFIG")
    values: dict[str, Any] = {}
    known = {f.name: _type_name(f.type) for f in fields(Settings)}
    if path:
        try:
            data = tomllib.loads(Path(path).read_text(encoding="utf-8"))
        except (OSError, tomllib.TOMLDecodeError) as exc:
            raise SettingsError(f"config file {path}: {exc}") from exc
        for key, raw in data.items():
            if key not in known:
                raise SettingsError(f"config file {path}: unknown setting {key!r}")
            values[key] = _convert(key, known[key], raw)
    for name, type_name in known.items():
        raw = env.get(ENV_PREFIX + name.upper())
        if raw is not None:
            values[name] = _convert(name, type_name, raw)
    settings = replace(Settings(), **values)
    if settings.log_format not in ("text", "json"):
        raise SettingsError(f"setting log_format: {settings.log_format!r} is not text or json")
    if not 0.0 <= settings.category_threshold <= 1.0:
        raise SettingsError(
            f"setting category_threshold: {settings.category_threshold} is not between 0 and 1"
        )
    if settings.import_processes < 0:
        raise SettingsError(f"setting import_processes: {settings.import_processes} is negative")
    return settings


def defaults() -> Settings:
    return Settings()
