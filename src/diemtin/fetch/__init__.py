"""Everything diemtin fetches from the network goes through ``Fetcher``.

SSRF guard at connect time, robots.txt, per-host politeness, retries, one
deadline per request, a decoded-size cap. ``next_check`` (adaptive polling)
lives in ``diemtin.fetch.schedule``.
"""

from diemtin.fetch.client import Fetcher, FetchResponse
from diemtin.fetch.errors import FetchError, FetchErrorKind
from diemtin.fetch.schedule import next_check

__all__ = ["FetchError", "FetchErrorKind", "FetchResponse", "Fetcher", "next_check"]
