"""The publisher registry as data: who we read, their feeds, how to read them."""

from __future__ import annotations

from diemtin.sources.registry import (
    RegistryError,
    category_for_url,
    load_categories,
    load_publishers,
    publisher_for_url,
)

__all__ = [
    "RegistryError",
    "category_for_url",
    "load_categories",
    "load_publishers",
    "publisher_for_url",
]
