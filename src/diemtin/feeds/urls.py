"""Canonical article URLs: tracking parameters and fragments removed."""

from __future__ import annotations

from urllib.parse import parse_qsl, urlencode, urlsplit, urlunsplit

from courlan import clean_url

# Zalo's share parameters, everywhere on Vietnamese links and unknown to courlan
_EXTRA_TRACKERS = frozenset({"gidzl", "zarsrc", "_gl"})
# Second-level labels under which registries sell names ("vnexpress.com.vn").
_SECOND_LEVEL = frozenset(
    ["ac", "biz", "co", "com", "edu", "gov", "health", "info", "int", "name", "net", "org", "pro"]
)


def clean_link(url: str) -> str:
    """``url`` without utm_*/fbclid-style parameters or a fragment.

    courlan's cleaning also lowercases the host and drops default ports; if it
    rejects the URL the original is kept, the caller having checked it is http(s).
    """
    cleaned = clean_url(url) or url
    parts = urlsplit(cleaned)
    query = parse_qsl(parts.query, keep_blank_values=True)
    kept = [(k, v) for k, v in query if k.lower() not in _EXTRA_TRACKERS]
    new_query = urlencode(kept) if len(kept) != len(query) else parts.query
    return urlunsplit(parts._replace(query=new_query, fragment=""))


def site_of(url: str) -> str:
    """The registrable domain of a URL's host, approximately and offline.

    ``kinhdoanh.vnexpress.net`` -> ``vnexpress.net``; ``www.abc.com.vn`` ->
    ``abc.com.vn``. No public-suffix download: this is only for "same site".
    """
    host = (urlsplit(url).hostname or "").rstrip(".")
    labels = host.split(".")
    keep = 2
    if len(labels) >= 3 and labels[-2] in _SECOND_LEVEL and len(labels[-1]) == 2:
        keep = 3
    return ".".join(labels[-keep:])
