"""The one error extraction raises."""

from __future__ import annotations

from diemtin.model import IngestError


class ExtractError(IngestError):
    """The page holds no article we can read (empty, not HTML, no main text, bad rules)."""

    kind = "extract"
