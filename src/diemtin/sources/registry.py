"""The publisher and category registry: TOML shipped with the package, plus
an operator's TOML merged over it by slug.

Errors are for operators: each names the file, the publisher and the field.
"""

from __future__ import annotations

import re
import tomllib
from collections.abc import Iterable, Mapping
from importlib import resources
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

from diemtin.model import Category, ExtractionRules, FeedKind, FeedSpec, Publisher

PUBLISHERS_FILE = "publishers.toml"
CATEGORIES_FILE = "categories.toml"

_SLUG = re.compile(r"^[a-z0-9]+(?:-[a-z0-9]+)*$")
_PUBLISHER_KEYS = frozenset({"slug", "name", "homepage", "feeds", "sections", "rules", "disabled"})
_FEED_KEYS = frozenset({"url", "kind", "category"})
_RULE_KEYS = frozenset({"title", "sapo", "body", "author", "drop"})
_CATEGORY_KEYS = frozenset({"slug", "name"})
_MERGED_TABLES = ("sections", "rules")  # merged key by key; other fields replaced


class RegistryError(ValueError):
    """A publisher or category file that cannot be used as it stands."""


# ---------------------------------------------------------------- categories


def load_categories(extra: Path | None = None) -> list[Category]:
    """Our categories in display order; ``extra`` may rename or add some."""
    source, doc = _shipped(CATEGORIES_FILE)
    merged: dict[str, str] = _category_table(doc, source)
    if extra is not None:
        extra_doc = _read(extra)
        if "categories" in extra_doc:
            merged.update(_category_table(extra_doc, str(extra)))
    return [
        Category(slug=slug, name=name, position=i)
        for i, (slug, name) in enumerate(merged.items(), start=1)
    ]


def _category_table(doc: Mapping[str, Any], source: str) -> dict[str, str]:
    table: dict[str, str] = {}
    for i, raw in enumerate(_array_of_tables(doc, "categories", source), start=1):
        where = f"{source}: category #{i}"
        _no_unknown_keys(raw, _CATEGORY_KEYS, where)
        slug = _slug(raw, where)
        if slug in table:
            raise RegistryError(f"{source}: category {slug!r} is listed twice")
        table[slug] = _nonempty_str(raw, "name", f"{source}: category {slug!r}")
    return table


# ---------------------------------------------------------------- publishers


def load_publishers(extra: Path | None = None, *, builtin: bool = True) -> list[Publisher]:
    """Shipped publishers, with the operator's ``extra`` TOML merged over them.

    ``builtin=False`` leaves the shipped registry out: only ``extra`` counts.
    """
    raw: dict[str, dict[str, Any]] = {}
    sources: dict[str, str] = {}
    if builtin:
        source, doc = _shipped(PUBLISHERS_FILE)
        raw = _publisher_table(doc, source)
        sources = dict.fromkeys(raw, source)
    if extra is not None:
        extra_raw = _publisher_table(_read(extra), str(extra))
        for slug, entry in extra_raw.items():
            raw[slug] = _merge(raw.get(slug, {}), entry)
            sources[slug] = str(extra)
    categories = {c.slug for c in load_categories(extra)}
    publishers = [
        _publisher(entry, sources[slug], categories)
        for slug, entry in raw.items()
        if not _disabled(entry, sources[slug])
    ]
    _no_shared_feeds(publishers)
    return publishers


def _publisher_table(doc: Mapping[str, Any], source: str) -> dict[str, dict[str, Any]]:
    table: dict[str, dict[str, Any]] = {}
    for i, raw in enumerate(_array_of_tables(doc, "publishers", source), start=1):
        slug = _slug(raw, f"{source}: publisher #{i}")
        if slug in table:
            raise RegistryError(f"{source}: publisher {slug!r} is listed twice")
        _no_unknown_keys(raw, _PUBLISHER_KEYS, f"{source}: publisher {slug!r}")
        table[slug] = raw
    return table


def _merge(base: Mapping[str, Any], override: Mapping[str, Any]) -> dict[str, Any]:
    merged = dict(base)
    for key, value in override.items():
        if key in _MERGED_TABLES and isinstance(value, dict) and isinstance(base.get(key), dict):
            merged[key] = {**base[key], **value}
        else:
            merged[key] = value
    return merged


def _disabled(raw: Mapping[str, Any], source: str) -> bool:
    value = raw.get("disabled", False)
    if not isinstance(value, bool):
        raise RegistryError(f"{source}: publisher {raw['slug']!r}: disabled must be true/false")
    return value


def _publisher(raw: Mapping[str, Any], source: str, categories: set[str]) -> Publisher:
    slug = raw["slug"]
    where = f"{source}: publisher {slug!r}"
    feeds = raw.get("feeds")
    if not isinstance(feeds, list) or not feeds:
        raise RegistryError(f"{where}: needs at least one feed in `feeds`")
    return Publisher(
        slug=slug,
        name=_nonempty_str(raw, "name", where),
        homepage=_http_url(raw.get("homepage"), f"{where}: homepage"),
        feeds=_feeds(feeds, where, categories),
        rules=_rules(raw.get("rules", {}), where),
        sections=_sections(raw.get("sections", {}), where, categories),
    )


def _feeds(raw: list[Any], where: str, categories: set[str]) -> tuple[FeedSpec, ...]:
    specs: list[FeedSpec] = []
    for i, feed in enumerate(raw, start=1):
        at = f"{where}: feed #{i}"
        if not isinstance(feed, dict):
            raise RegistryError(f'{at}: must be a table like {{ url = "https://..." }}')
        _no_unknown_keys(feed, _FEED_KEYS, at)
        url = _http_url(feed.get("url"), at)
        at = f"{where}: feed {url!r}"
        if any(spec.url == url for spec in specs):
            raise RegistryError(f"{at}: listed twice")
        specs.append(
            FeedSpec(
                url=url,
                kind=_kind(feed.get("kind", "rss"), at),
                category=_category(feed.get("category"), at, categories, optional=True),
            )
        )
    return tuple(specs)


def _kind(value: Any, where: str) -> FeedKind:
    try:
        return FeedKind(value)
    except ValueError:
        allowed = ", ".join(k.value for k in FeedKind)
        raise RegistryError(f"{where}: kind {value!r} is not one of {allowed}") from None


def _category(value: Any, where: str, categories: set[str], *, optional: bool) -> str | None:
    if value is None and optional:
        return None
    if not isinstance(value, str) or value not in categories:
        raise RegistryError(
            f"{where}: unknown category {value!r} (known: {', '.join(sorted(categories))})"
        )
    return value


def _sections(raw: Any, where: str, categories: set[str]) -> tuple[tuple[str, str], ...]:
    if not isinstance(raw, dict):
        raise RegistryError(f"{where}: sections must be a table of prefix = category")
    pairs: list[tuple[str, str]] = []
    for prefix, slug in raw.items():
        at = f"{where}: section {prefix!r}"
        if not prefix.startswith("/"):
            _http_url(prefix, at)
        pairs.append((prefix, str(_category(slug, at, categories, optional=False))))
    return tuple(pairs)


def _rules(raw: Any, where: str) -> ExtractionRules:
    at = f"{where}: rules"
    if not isinstance(raw, dict):
        raise RegistryError(f"{at}: must be a table")
    _no_unknown_keys(raw, _RULE_KEYS, at)
    drop = raw.get("drop", [])
    if isinstance(drop, str):
        drop = [drop]
    if not isinstance(drop, list):
        raise RegistryError(f"{at}: drop must be a list of CSS selectors")
    selectors = {key: raw.get(key) for key in ("title", "sapo", "body", "author")}
    for key, selector in [*selectors.items(), *(("drop", s) for s in drop)]:
        if selector is not None:
            _check_selector(selector, f"{at}.{key}")
    return ExtractionRules(
        title=selectors["title"],
        sapo=selectors["sapo"],
        body=selectors["body"],
        author=selectors["author"],
        drop=tuple(drop),
    )


def _check_selector(selector: Any, where: str) -> None:
    if not isinstance(selector, str) or not selector.strip():
        raise RegistryError(f"{where}: must be a non-empty CSS selector")
    try:
        from cssselect import GenericTranslator, SelectorError
    except ImportError:  # the extractor reports bad selectors itself then
        return
    try:
        GenericTranslator().css_to_xpath(selector)
    except SelectorError as exc:
        raise RegistryError(f"{where}: invalid CSS selector {selector!r}: {exc}") from None


def _no_shared_feeds(publishers: Iterable[Publisher]) -> None:
    owner: dict[str, str] = {}
    for publisher in publishers:
        for feed in publisher.feeds:
            other = owner.setdefault(feed.url, publisher.slug)
            if other != publisher.slug:
                raise RegistryError(
                    f"feed {feed.url!r} is listed by both {other!r} and {publisher.slug!r}"
                )


# ---------------------------------------------------------------- lookups


def publisher_for_url(publishers: Iterable[Publisher], url: str) -> Publisher | None:
    """The publisher whose homepage host (or a subdomain of it) serves ``url``."""
    host = _bare_host(url)
    best: Publisher | None = None
    best_len = 0
    for publisher in publishers:
        home = _bare_host(publisher.homepage)
        if home and (host == home or host.endswith("." + home)) and len(home) > best_len:
            best, best_len = publisher, len(home)
    return best


def category_for_url(publisher: Publisher, url: str) -> str | None:
    """The category of the longest ``sections`` prefix that ``url`` falls under."""
    host, path = _bare_host(url), (urlsplit(url).path or "/").lower()
    best: str | None = None
    best_len = 0
    for prefix, slug in publisher.sections:
        if len(prefix) > best_len and _under(prefix, host, path):
            best, best_len = slug, len(prefix)
    return best


def _under(prefix: str, host: str, path: str) -> bool:
    if prefix.startswith("/"):
        return path.startswith(prefix.lower())
    parts = urlsplit(prefix)
    return _bare_host(prefix) == host and path.startswith((parts.path or "/").lower())


def _bare_host(url: str) -> str:
    host = (urlsplit(url).hostname or "").rstrip(".")
    return host.removeprefix("www.")


# ---------------------------------------------------------------- TOML


def _shipped(name: str) -> tuple[str, dict[str, Any]]:
    label = f"{__package__}/{name}"
    text = resources.files(__package__ or "diemtin.sources").joinpath(name).read_text("utf-8")
    return label, _parse(text, label)


def _read(path: Path) -> dict[str, Any]:
    try:
        text = path.read_text("utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        raise RegistryError(f"{path}: cannot read: {exc}") from exc
    return _parse(text, str(path))


def _parse(text: str, source: str) -> dict[str, Any]:
    try:
        return tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        raise RegistryError(f"{source}: not valid TOML: {exc}") from exc


def _array_of_tables(doc: Mapping[str, Any], key: str, source: str) -> list[dict[str, Any]]:
    value = doc.get(key, [])
    if not isinstance(value, list) or not all(isinstance(v, dict) for v in value):
        raise RegistryError(f"{source}: `{key}` must be an array of tables ([[{key}]])")
    return value


def _no_unknown_keys(raw: Mapping[str, Any], allowed: frozenset[str], where: str) -> None:
    unknown = ", ".join(sorted(set(raw) - allowed))
    if unknown:
        known = ", ".join(sorted(allowed))
        raise RegistryError(f"{where}: unknown field(s) {unknown} (allowed: {known})")


def _slug(raw: Mapping[str, Any], where: str) -> str:
    slug = raw.get("slug")
    if not isinstance(slug, str) or not _SLUG.match(slug):
        raise RegistryError(f"{where}: slug {slug!r} must be lowercase ASCII words joined by '-'")
    return slug


def _nonempty_str(raw: Mapping[str, Any], key: str, where: str) -> str:
    value = raw.get(key)
    if not isinstance(value, str) or not value.strip():
        raise RegistryError(f"{where}: {key} must be a non-empty string")
    return value.strip()


def _http_url(value: Any, where: str) -> str:
    if not isinstance(value, str):
        raise RegistryError(f"{where}: URL must be a string, not {value!r}")
    parts = urlsplit(value.strip())
    if parts.scheme not in ("http", "https") or not parts.hostname:
        raise RegistryError(f"{where}: {value!r} is not an http(s) URL")
    return value.strip()
