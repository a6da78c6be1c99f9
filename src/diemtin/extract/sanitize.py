"""Inline HTML sanitising with nh3: the only HTML of an article we ever serve.

Kept apart so the web layer can reuse it for anything it renders unescaped.
"""

from __future__ import annotations

import re

import nh3

INLINE_TAGS = frozenset({"a", "strong", "em", "b", "i", "br", "sub", "sup"})
# removed together with their content, not unwrapped: their text is code, styling or markup
_DROP_WITH_CONTENT = frozenset(
    {
        "script",
        "style",
        "svg",
        "math",
        "noscript",
        "template",
        "iframe",
        "object",
        "embed",
        "textarea",
        "select",
        "head",
        "title",
    }
)
# block-level tags that nh3 unwraps: a space where they stood keeps words apart ("vaccinevà")
_BLOCK_TAG = re.compile(
    r"</?(?:p|div|li|ul|ol|dl|dd|dt|h[1-6]|tr|td|th|table|thead|tbody|tfoot|blockquote|section"
    r"|article|aside|header|footer|figure|figcaption|caption|pre|hr|address|nav|main|details"
    r"|summary)\b[^>]*>",
    re.IGNORECASE,
)
_SPACES = re.compile(r"\s+")
_SPACE_AROUND_BR = re.compile(r"\s*<br>\s*")
# nh3 keeps an <a> whose href it refused; such an anchor links nowhere, so it is unwrapped
_DEAD_LINK = re.compile(r'<a rel="nofollow noopener">(.*?)</a>', re.DOTALL)


def sanitize_inline(html: str) -> str:
    """Reduce ``html`` to safe inline markup: links (http/https only), emphasis, sub/sup, breaks.

    Scripts, styles, SVG and their content go; so do event handlers, ``style`` and every
    attribute but ``a[href]``; links get ``rel="nofollow noopener"``. Whitespace runs are
    collapsed to one space (the markup is inline: layout whitespace means nothing).
    """
    if not html:
        return ""
    spaced = _BLOCK_TAG.sub(" ", html) if "<" in html else html
    cleaned = nh3.clean(
        spaced,
        tags=set(INLINE_TAGS),
        clean_content_tags=set(_DROP_WITH_CONTENT),
        attributes={"a": {"href"}},
        url_schemes={"http", "https"},
        url_relative="deny",
        link_rel="nofollow noopener",
        strip_comments=True,
    )
    if '<a rel="' in cleaned:
        cleaned = _DEAD_LINK.sub(r"\1", cleaned)
    collapsed = _SPACES.sub(" ", cleaned)
    if "<br>" in collapsed:
        collapsed = _SPACE_AROUND_BR.sub("<br>", collapsed)
    return collapsed.strip()
