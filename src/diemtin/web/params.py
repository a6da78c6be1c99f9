"""Reading path and query parameters: anything odd is a 404 (paths) or a 400 (queries)."""

from __future__ import annotations

import re
from collections.abc import Mapping

from starlette.exceptions import HTTPException

ASCII_DIGITS = re.compile(r"[0-9]{1,18}")  # str.isdigit() would take "٣" and "²"
MAX_PAGE = 1000
MAX_NAME = 120


def path_id(raw: str) -> int:
    if not ASCII_DIGITS.fullmatch(raw):
        raise HTTPException(404)
    return int(raw)


def path_name(raw: str) -> str:
    """A slug or tag from the path; control characters (NUL breaks PostgreSQL) never match."""
    value = raw.strip()
    if not value or len(value) > MAX_NAME or not value.isprintable():
        raise HTTPException(404)
    return value


def page_number(params: Mapping[str, str]) -> int:
    raw = params.get("page", "1")
    if not ASCII_DIGITS.fullmatch(raw) or not 1 <= int(raw) <= MAX_PAGE:
        raise HTTPException(400, f"Số trang phải là số nguyên từ 1 đến {MAX_PAGE}.")
    return int(raw)
