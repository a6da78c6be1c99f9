"""Stable identity for exact duplicates: re-fetching or re-importing never adds a row.

Priority: the feed's or archive's own GUID, else the canonical URL cleaned of
tracking parameters, else a hash of the content. A GUID that is itself a URL is
treated as a URL, so the same page reached through a feed and through a
sitemap gets one key.
"""

from __future__ import annotations

import hashlib
import re
from urllib.parse import parse_qsl, urlencode, urlsplit, urlunsplit

from diemtin.text import fold

# Parameters that only say where a click came from, never which page it is.
_TRACKING = re.compile(
    r"^(utm_\w+|fbclid|gclid|dclid|msclkid|zarsrc|zarsrc\w*|gidzl|_gl|mc_cid|mc_eid|"
    r"ref|ref_src|refsrc|src|from|source|cmpid|icid|ito|vn_source|vn_medium|vn_campaign)$",
    re.I,
)


def clean_url(url: str) -> str:
    """Lower-case scheme and host, no default port, fragment or tracking parameters."""
    try:
        parts = urlsplit(url.strip())
        port = parts.port
    except ValueError:
        return url.strip()
    scheme = parts.scheme.lower()
    host = (parts.hostname or "").lower().rstrip(".")
    if host.startswith("www."):
        host = host[4:]
    if port and (scheme, port) not in (("http", 80), ("https", 443)):
        host = f"{host}:{port}"
    query = urlencode(
        [
            (k, v)
            for k, v in parse_qsl(parts.query, keep_blank_values=True)
            if not _TRACKING.match(k)
        ]
    )
    path = parts.path or "/"
    # http and https copies of one page are the same article
    return urlunsplit(("https" if scheme in ("http", "https") else scheme, host, path, query, ""))


def content_hash(title: str, body: str) -> str:
    """Hash of the folded text, so spacing, case and tone placement do not count."""
    folded = fold(f"{title}\n{body}")
    squeezed = " ".join(folded.split())
    return hashlib.sha256(squeezed.encode("utf-8")).hexdigest()


def _looks_like_url(value: str) -> bool:
    return value.startswith(("http://", "https://"))


def article_key(
    *, guid: str | None, canonical_url: str = "", url: str = "", content: str = "", scope: str = ""
) -> str:
    """The article's identity. ``scope`` (a source slug) keeps two sources' GUIDs apart."""
    if guid and guid.strip():
        guid = guid.strip()
        if _looks_like_url(guid):
            return "u:" + clean_url(guid)
        return f"g:{scope}:{guid}"
    for candidate in (canonical_url, url):
        if candidate and _looks_like_url(candidate):
            return "u:" + clean_url(candidate)
    return "h:" + hashlib.sha256(content.encode("utf-8")).hexdigest()
