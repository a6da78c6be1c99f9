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
    articles_per_feed: int = _setting(50, "newest feed entries fetched per check")
    import_batch: int = _setting(500, "articles written per transaction on import")

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
    return replace(Settings(), **values)


def defaults() -> Settings:
    return Settings()
