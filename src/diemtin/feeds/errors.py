"""The one error type of the feed parsers."""

from __future__ import annotations

from diemtin.model import IngestError


class FeedError(IngestError):
    """Bytes that cannot be read as a feed, sitemap or section page.

    ``kind`` is ``malformed_feed`` unless told otherwise: ``entity_expansion``
    for XML that declares entities (billion laughs, XXE), ``too_large`` for a
    compressed document that inflates past the cap.
    """

    kind = "malformed_feed"
