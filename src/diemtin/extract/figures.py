"""Figures and embedded videos, read off the page before trafilatura sees it.

trafilatura keeps an image as a bare ``<graphic>`` and turns its caption into an
ordinary paragraph, and it deletes iframes. So each figure container (``<figure>``,
the caption tables and photo boxes of Vietnamese CMSes), each lone content image and
each video embed is read here into a ``Media`` and replaced by a placeholder image
whose URL carries its index; trafilatura then decides which of them belong to the
article, and ``blocks`` swaps them back in place.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from urllib.parse import urljoin

from lxml.html import HtmlElement

from diemtin.extract.credits import split_credit
from diemtin.extract.textutil import element_text
from diemtin.model import Figure

PLACEHOLDER = "https://diemtin.invalid/media/"

# lazy-loading scripts keep the real URL in one of these; ``src`` holds a 1x1 placeholder
_LAZY_SRC = (
    "data-src",
    "data-original",
    "data-lazy-src",
    "data-lazy",
    "data-original-src",
    "data-url",
    "data-full-src",
    "data-hi-res-src",
)
_SRCSET = ("data-srcset", "data-lazy-srcset", "srcset")
_PLACEHOLDER_SRC = re.compile(
    r"^data:|(?:blank|spacer|placeholder|pixel|1x1|transparent|grey|gray|loading|lazy)[^/]*$",
    re.IGNORECASE,
)
_VIDEO_HOST = re.compile(
    r"youtube(?:-nocookie)?\.com/|youtu\.be/|vimeo\.com/|dailymotion\.com/|dai\.ly/"
    r"|facebook\.com/plugins/video|tiktok\.com/embed|video",
    re.IGNORECASE,
)
_NUMBER = re.compile(r"^\s*(\d+(?:\.\d+)?)\s*(?:px)?\s*$")
# photo boxes that are not <figure>: VnExpress/Dân Trí caption tables, VCCorp (Tuổi Trẻ,
# Thanh Niên...) "Photo" boxes
_CONTAINERS = (
    "//figure"
    "|//table[contains(@class, 'tplCaption') or contains(@class, 'image')"
    " or contains(@class, 'picture') or contains(@class, 'photo')]"
    "|//*[@type='Photo' or @type='photo']"
    "|//iframe|//video|//*[@type='VideoStream']"
    "|//img"
)
_CAPTION = (
    ".//*[contains(@class, 'caption') or contains(@class, 'Caption') or @class='Image'"
    " or contains(@class, 'desc') or contains(@class, 'chu-thich')]"
)
_CREDIT = (
    ".//*[contains(@class, 'credit') or contains(@class, 'copyright')"
    " or contains(@class, 'author') or contains(@class, 'source')]"
)
_ICON_SIZE = 48  # images this small are icons, bullets or tracking pixels


@dataclass(frozen=True, slots=True)
class Media:
    """A figure, or a video (``video`` holds its URL and ``figure`` is None)."""

    figure: Figure | None = None
    video: str = ""
    caption: str = ""


def placeholder_index(src: str) -> int | None:
    """The media index a placeholder URL carries, None for any other URL."""
    if not src.startswith(PLACEHOLDER):
        return None
    stem = src[len(PLACEHOLDER) :].split(".", 1)[0]
    return int(stem) if stem.isdigit() else None


def collect_media(root: HtmlElement, base_url: str) -> list[Media]:
    """Read every figure and video of ``root`` and swap each for a placeholder image, in place."""
    found: list[Media] = []
    for element in root.xpath(_CONTAINERS):
        if element.getroottree().getroot() is not root or _inside_noscript(element):
            continue  # inside a container already replaced, or a no-JS duplicate
        media = _read(element, base_url)
        if media is None:
            if element.tag == "img":
                _detach(element)  # an icon or an image with no usable URL
            continue
        _replace(element, len(found), len(media))
        found.extend(media)
    return found


def _read(element: HtmlElement, base_url: str) -> list[Media] | None:
    tag = element.tag
    if tag == "img":
        figure = _figure(element, base_url)
        return [Media(figure=figure)] if figure is not None else None
    if tag in ("iframe", "video") or element.get("type") == "VideoStream":
        url = _video_url(element, base_url)
        return [Media(video=url)] if url else None
    return _read_container(element, base_url)


def _read_container(container: HtmlElement, base_url: str) -> list[Media] | None:
    players = container.xpath(".//iframe|.//video|.//*[@type='VideoStream']")
    video = next((u for p in players if (u := _video_url(p, base_url))), "")
    figures = [f for img in container.iter("img") if (f := _figure(img, base_url)) is not None]
    if not video and not figures:
        return None  # a <figure> around a quote or a table: leave it to trafilatura
    caption, credit = _caption_and_credit(container)
    if video:
        return [Media(video=video, caption=" ".join(p for p in (caption, credit) if p))]
    # a gallery: the shared caption goes under its last image
    last = figures[-1]
    captioned = Figure(last.src, caption, credit, last.width, last.height)
    return [Media(figure=f) for f in [*figures[:-1], captioned]]


def _caption_and_credit(container: HtmlElement) -> tuple[str, str]:
    credit_element = next(iter(container.xpath(_CREDIT)), None)
    credit = element_text(credit_element) if credit_element is not None else ""
    if credit_element is not None:
        _detach(credit_element)  # so that the caption read next leaves it out
    caption, trailing = split_credit(element_text(_caption_element(container)))
    return caption, credit or trailing


def _caption_element(container: HtmlElement) -> HtmlElement | None:
    """The figcaption, else the caption-classed element that is not a wrapper of the image."""
    figcaption = next(container.iter("figcaption"), None)
    if figcaption is not None:
        return figcaption
    candidates = container.xpath(_CAPTION)
    return next((c for c in candidates if next(c.iter("img"), None) is None), None)


def _figure(img: HtmlElement, base_url: str) -> Figure | None:
    width, height = _size(img, "width"), _size(img, "height")
    if (width is not None and width < _ICON_SIZE) or (height is not None and height < _ICON_SIZE):
        return None
    src = image_url(img, base_url)
    if src is None:
        return None
    return Figure(src=src, width=width, height=height)


def image_url(img: HtmlElement, base_url: str) -> str | None:
    """The real URL of an image: lazy-loading attributes first, a placeholder ``src`` never."""
    for attr in _LAZY_SRC:
        if url := _absolute(img.get(attr), base_url):
            return url
    for attr in _SRCSET:
        if url := _absolute(_largest_in_srcset(img.get(attr)), base_url):
            return url
    src = (img.get("src") or "").strip()
    if src and not _PLACEHOLDER_SRC.search(src) and (url := _absolute(src, base_url)):
        return url
    parent = img.getparent()
    if parent is not None and parent.tag == "picture":
        for source in parent.iter("source"):
            for attr in _SRCSET:
                if url := _absolute(_largest_in_srcset(source.get(attr)), base_url):
                    return url
    return None


def _largest_in_srcset(srcset: str | None) -> str | None:
    """The candidate with the largest width or density descriptor of a ``srcset``."""
    if not srcset:
        return None
    best, best_size = None, -1.0
    # candidates are split on a comma followed by space: URLs may hold commas themselves
    for candidate in re.split(r",\s+", srcset.strip()):
        parts = candidate.split()
        if not parts:
            continue
        size = 1.0
        if len(parts) > 1 and (match := re.match(r"^(\d+(?:\.\d+)?)[wx]$", parts[1])):
            size = float(match[1])
        if size > best_size:
            best, best_size = parts[0].rstrip(","), size
    return best


def _absolute(value: str | None, base_url: str) -> str | None:
    if not value:
        return None
    value = value.strip()
    if not value or value.startswith("data:") or len(value) > 2000:
        return None
    url = urljoin(base_url, value)
    return url if url.startswith(("http://", "https://")) else None


def _video_url(element: HtmlElement, base_url: str) -> str:
    if element.tag == "iframe":
        candidates = [element.get(a) for a in ("src", "data-src", "data-lazy-src")]
        urls = [u for c in candidates if (u := _absolute(c, base_url))]
        return next((u for u in urls if _VIDEO_HOST.search(u)), "")
    if element.tag == "video":
        sources = [element.get("src"), *(s.get("src") for s in element.iter("source"))]
        return next((u for s in sources if (u := _absolute(s, base_url))), "")
    candidates = [element.get(a) for a in ("data-src", "data-vid", "data-file")]
    return next((u for c in candidates if c and (u := _absolute(c, base_url))), "")


def _size(img: HtmlElement, name: str) -> int | None:
    for attr in (name, f"data-{name}"):
        match = _NUMBER.match(img.get(attr) or "")
        if match and float(match[1]) > 0:
            return int(float(match[1]))
    return None


def _inside_noscript(element: HtmlElement) -> bool:
    return any(a.tag == "noscript" for a in element.iterancestors())


def _replace(element: HtmlElement, first: int, count: int) -> None:
    """Put one placeholder image per media item where ``element`` stood."""
    parent = element.getparent()
    if parent is None:
        return
    position = parent.index(element)
    for offset in range(count):
        marker = element.makeelement("img", {"src": f"{PLACEHOLDER}{first + offset}.jpg"})
        parent.insert(position + offset, marker)
    # the tail is text of the parent that followed the container: keep it after the markers
    parent[position + count - 1].tail = element.tail
    parent.remove(element)


def _detach(element: HtmlElement) -> None:
    if element.getparent() is not None:
        element.drop_tree()
