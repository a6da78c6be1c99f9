"""Static files under content-hashed names, so browsers may keep them for a year.

``url("engage.js")`` gives ``/static/engage.3f2a9c1d.js``; the hashed path is
served with ``immutable``; the plain path still works (short cache) for tools.
"""

from __future__ import annotations

import hashlib
import mimetypes
import re
from dataclasses import dataclass
from pathlib import Path

from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import Route

IMMUTABLE = "public, max-age=31536000, immutable"
SHORT = "public, max-age=300"
PREFIX = "/static/"
URL_REF = re.compile(r"url\(([^)]+)\)")


@dataclass(frozen=True)
class Asset:
    body: bytes
    media_type: str
    digest: str


def _hashed(name: str, digest: str) -> str:
    stem, dot, ext = name.rpartition(".")
    return f"{stem}.{digest}.{ext}" if dot else f"{name}.{digest}"


class Assets:
    """Reads the static folder once; files are small (CSS, one script, a font)."""

    def __init__(self, root: Path) -> None:
        self.root = root
        self._by_name: dict[str, Asset] = {}
        self._by_hashed: dict[str, Asset] = {}
        self._names: dict[str, str] = {}
        if root.is_dir():
            files = sorted(p for p in root.rglob("*") if p.is_file())
            # stylesheets last, so the fonts they name already have hashed URLs
            for path in sorted(files, key=lambda p: p.suffix == ".css"):
                name = path.relative_to(root).as_posix()
                body = path.read_bytes()
                self._add(name, self._link(name, body) if name.endswith(".css") else body)

    def _add(self, name: str, body: bytes) -> None:
        digest = hashlib.sha256(body).hexdigest()[:12]
        media = mimetypes.guess_type(name)[0] or "application/octet-stream"
        if name.endswith(".woff2"):
            media = "font/woff2"
        if media.startswith("text/") or media.endswith("javascript"):
            media += "; charset=utf-8"
        asset = Asset(body, media, digest)
        hashed = _hashed(name, digest)
        self._by_name[name] = asset
        self._by_hashed[hashed] = asset
        self._names[name] = PREFIX + hashed

    def _link(self, name: str, css: bytes) -> bytes:
        """Points the stylesheet's url(...) references at the hashed names."""
        folder = name.rpartition("/")[0]

        def swap(match: re.Match[str]) -> str:
            target = match.group(1).strip("'\"")
            full = f"{folder}/{target}" if folder else target
            return f"url({self._names[full]})" if full in self._names else match.group(0)

        return URL_REF.sub(swap, css.decode("utf-8")).encode("utf-8")

    def url(self, name: str) -> str:
        """The long-cached URL of a static file; unknown names keep their plain path."""
        return self._names.get(name, PREFIX + name)

    def lookup(self, path: str) -> tuple[Asset, str] | None:
        """The asset at ``path`` (under /static/) and its Cache-Control."""
        if path in self._by_hashed:
            return self._by_hashed[path], IMMUTABLE
        if path in self._by_name:
            return self._by_name[path], SHORT
        return None

    def routes(self) -> list[Route]:
        async def static(request: Request) -> Response:
            found = self.lookup(request.path_params["path"])
            if found is None:
                return Response("not found", status_code=404, media_type="text/plain")
            asset, cache = found
            etag = f'"{asset.digest}"'
            headers = {"Cache-Control": cache, "ETag": etag, "X-Content-Type-Options": "nosniff"}
            if request.headers.get("if-none-match") == etag:
                return Response(status_code=304, headers=headers)
            return Response(asset.body, media_type=asset.media_type, headers=headers)

        return [Route(PREFIX + "{path:path}", static)]
