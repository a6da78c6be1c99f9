"""Word spacing at inline-element boundaries, checked against the page's own text.

trafilatura trims the text around links and emphasis in some of its paths, which
glues words ("hit another snag</ref>last week" → "snaglast"), and pads a tail that
starts with punctuation ("Anora ."). At each such boundary we look at how the page
itself wrote the two neighbouring words, and follow it.
"""

from __future__ import annotations

import re

_WORD_END = re.compile(r"\w+$")
_WORD_START = re.compile(r"^\w+")
_SPACED_PUNCT = re.compile(r"^\s+([.,;:!?)\]}…])")


class Spacing:
    def __init__(self, source_text: str) -> None:
        self._source = source_text

    def adjust(self, before: str, piece: str) -> str:
        """``piece`` as it follows ``before`` on the page: a space added or dropped to match."""
        if not before or not piece or not before[-1].isalnum():
            return piece
        left = _WORD_END.search(before)
        if left is None:
            return piece
        if piece[0].isalnum():
            right = _WORD_START.search(piece)
            if right is not None and left[0] + right[0] not in self._source:
                return " " + piece  # the page never glues these two words
            return piece
        spaced = _SPACED_PUNCT.match(piece)
        if spaced is not None:
            glued, apart = left[0] + spaced[1], f"{left[0]} {spaced[1]}"
            if glued in self._source and apart not in self._source:
                return piece.lstrip()
        return piece
