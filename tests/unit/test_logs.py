"""Structured logs: one JSON object per line with the extra fields; a bad format is refused."""

from __future__ import annotations

import json
import logging
import sys

import pytest

from diemtin.cli.logs import JsonFormatter
from diemtin.settings import SettingsError, load


def test_a_json_line_carries_the_message_and_the_extra_fields() -> None:
    record = logging.makeLogRecord(
        {"name": "diemtin.worker", "levelname": "INFO", "msg": "crawl: %d feeds", "args": (3,)}
    )
    record.feed = "https://báo.vn/rss"
    line = json.loads(JsonFormatter().format(record))
    assert line["message"] == "crawl: 3 feeds" and line["level"] == "info"
    assert line["logger"] == "diemtin.worker" and line["feed"] == "https://báo.vn/rss"
    assert line["time"].endswith("+00:00")


def test_an_exception_is_kept_in_one_line() -> None:
    try:
        raise ValueError("hỏng")
    except ValueError:
        record = logging.makeLogRecord({"msg": "failed", "exc_info": sys.exc_info()})
    out = JsonFormatter().format(record)
    assert "\n" not in out and "ValueError: hỏng" in json.loads(out)["error"]


def test_an_unknown_log_format_is_refused() -> None:
    with pytest.raises(SettingsError, match="log_format"):
        load({"DIEMTIN_LOG_FORMAT": "xml"})
