"""What every page area is given: the store, the settings, a clock and the renderer."""

from __future__ import annotations

import re
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

from jinja2 import Environment, FileSystemLoader, select_autoescape
from sqlalchemy import text
from starlette.responses import HTMLResponse

from diemtin.settings import Settings
from diemtin.store.db import Database
from diemtin.timefmt import vietnam_time
from diemtin.web.assets import Assets
from diemtin.web.syndication import w3c

TEMPLATES = Path(__file__).parent / "templates"
STATIC = Path(__file__).parent / "static"
# Only our own resources; article HTML is sanitized on the way in, and this is the second fence.
CSP = "default-src 'self'; img-src 'self' https: data:; script-src 'self'; object-src 'none'"
# Pages are the same for every reader, so shared caches may keep them; the home page moves fastest.
PAGE_CACHE = "public, max-age=60, stale-while-revalidate=300"
HOME_CACHE = "public, max-age=15, stale-while-revalidate=60"
NAV_SECONDS = 60.0


_WEB = re.compile(r"https?://[^\s]", re.IGNORECASE)


def web_url(url: str | None) -> str:
    """The URL if it is an http(s) address, else "": an imported javascript: or data: URL
    must never become a link."""
    return url if url and _WEB.match(url) else ""


@dataclass
class Site:
    db: Database
    settings: Settings
    clock: Callable[[], float] = time.time
    assets: Assets = field(default_factory=lambda: Assets(STATIC))
    env: Environment = field(init=False)
    _nav: tuple[float, list[tuple[str, str]]] = field(init=False, default=(float("-inf"), []))

    def __post_init__(self) -> None:
        self.env = Environment(loader=FileSystemLoader(TEMPLATES), autoescape=select_autoescape())
        self.env.filters["vntime"] = vietnam_time
        self.env.filters["isotime"] = w3c  # machine-readable times for _meta.html
        self.env.globals["asset_url"] = self.assets.url
        self.env.globals["site"] = self.settings.site_name
        self.env.globals["base_url"] = self.settings.base_url.rstrip("/")
        self.env.globals["settings"] = self.settings
        self.env.globals["nav"] = self.nav
        self.env.filters["web_url"] = web_url

    def nav(self) -> list[dict[str, str]]:
        """The category menu, read at most once a minute."""
        at, cats = self._nav
        if self.clock() - at > NAV_SECONDS:
            with self.db.read() as conn:
                rows = conn.execute(
                    text(
                        "SELECT slug, name FROM categories WHERE merged_into IS NULL"
                        " ORDER BY position, name"
                    )
                ).all()
            cats = [(str(r[0]), str(r[1])) for r in rows]
            self._nav = (self.clock(), cats)
        return [{"slug": slug, "name": name} for slug, name in cats]

    def render(
        self, name: str, status: int = 200, cache: str | None = None, **context: object
    ) -> HTMLResponse:
        """A page; ``cache`` (a Cache-Control value) lets the page cache and browsers keep it."""
        html = self.env.get_template(name).render(**context)
        headers = {"Content-Security-Policy": CSP}
        if cache:
            headers["Cache-Control"] = cache
            headers["X-Page-Cache"] = "1"  # opts in to cache.PageCache, which strips it
        return HTMLResponse(html, status_code=status, headers=headers)

    def now(self) -> int:
        return int(self.clock())
