"""Spacing defects the product must never show, fixed conservatively.

Only whitespace is ever removed or merged: every other character survives, so
"2+2", "0,34", "21:03", URLs and ".NET" come out as they went in.
"""

from __future__ import annotations

import re

_HSPACE = "[ \t\u00a0\u2000-\u200a\u202f\u205f\u3000]"
_ODD_SPACE = re.compile("[\t\u00a0\u2000-\u200a\u202f\u205f\u3000]")
_RUNS = re.compile(f"{_HSPACE}{{2,}}|\t")
_AROUND_BREAKS = re.compile(f"{_HSPACE}*\n{_HSPACE}*")
# Space before sentence punctuation, when that punctuation ends a word: followed
# by a space, the end, or a closing bracket/quote. "dùng .NET" and "x ,y" stay;
# ":)" and ";)" are smileys, and "2 : 1" a score or ratio, not punctuation.
_BEFORE_PUNCT = re.compile(
    f"{_HSPACE}+(?![:;][()]|:{_HSPACE}+\\d)(?=[.,;:!?…]+(?:[\\s)\\]}}”»]|$))"
)
_BEFORE_CLOSING = re.compile(f"{_HSPACE}+(?=[)\\]}}”»])")
_AFTER_OPENING = re.compile(f"(?<=[(\\[{{“«]){_HSPACE}+")
# Most text has no defect: plain-space probes (fast substring searches) skip
# the regex passes that could not match.
_PUNCT_PROBES = tuple(" " + ch for ch in ".,;:!?…)]}”»")
_OPENING_PROBES = tuple(ch + " " for ch in "([{“«")


def tidy(text: str) -> str:
    """No space before . , ; : ! ? … ) ] } ” », none after ( [ { “ «, no doubled spaces.

    Lines are trimmed and the text stripped; line breaks themselves are kept.
    Straight quotes and ’ are left alone: they open and close alike.
    """
    if not text:
        return text
    odd = _ODD_SPACE.search(text) is not None
    if odd or "  " in text:
        text = _RUNS.sub(" ", text)
    if odd or " \n" in text or "\n " in text:
        text = _AROUND_BREAKS.sub("\n", text)
    if odd or any(probe in text for probe in _PUNCT_PROBES):
        text = _BEFORE_PUNCT.sub("", text)
        text = _BEFORE_CLOSING.sub("", text)
    if odd or any(probe in text for probe in _OPENING_PROBES):
        text = _AFTER_OPENING.sub("", text)
    return text.strip()
