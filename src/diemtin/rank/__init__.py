"""Pure rankings of the article page's sidebars: candidates and a clock in, ranked items out.

Each block is one function (``hot``, ``spotlight``, ``latest``, ``for_you``,
``video_hot``, ``related``); each returns ``Ranked`` items that carry the
signals behind their place, so ``/api/v1/articles/{id}/why`` can show them.
Nothing here reads the store or the time: the caller passes both.
"""

from diemtin.rank.blocks import (
    Scored,
    for_you,
    for_you_order,
    hot,
    hot_order,
    latest,
    pinned_first,
    spotlight,
    video_hot,
)
from diemtin.rank.model import Candidate, Ranked, Reader
from diemtin.rank.similar import Doc, related

__all__ = [
    "Candidate",
    "Doc",
    "Ranked",
    "Reader",
    "Scored",
    "for_you",
    "for_you_order",
    "hot",
    "hot_order",
    "latest",
    "pinned_first",
    "related",
    "spotlight",
    "video_hot",
]
