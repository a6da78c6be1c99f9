"""Figures and embedded videos, read off the page before trafilatura sees it.

trafilatura keeps an image as a bare ``<graphic>`` and turns its caption into an
ordinary paragraph, and it deletes iframes. So each figure container (``<figure>``,
the caption tables and photo boxes of Vietnamese CMSes, a WordPress caption box),
each lone image and each video embed is replaced by a placeholder image whose URL
carries its index in a ``MediaTable``; trafilatura then decides which of them belong
to the article, and ``blocks`` swaps them back in place.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from urllib.parse import urljoin

from lxml.etree import XPath
from lxml.html import HtmlElement

from diemtin.extract.credits import split_credit
from diemtin.extract.scan import MediaScan, scan_media
from diemtin.extract.textutil import attached, element_text
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
# caption boxes besides <figcaption>: VnExpress p.Image, VCCorp .PhotoCMS_Caption,
# WordPress .wp-caption-text, "desc" and "chu-thich" (caption) classes
_CAPTION_TEST = (
    "contains(@class, 'caption') or contains(@class, 'Caption') or @class='Image'"
    " or contains(@class, 'desc') or contains(@class, 'chu-thich')"
)
_CAPTION = XPath(f".//*[{_CAPTION_TEST}]")
_CREDIT = XPath(
    ".//*[contains(@class, 'credit') or contains(@class, 'copyright')"
    " or contains(@class, 'author') or contains(@class, 'source')]"
)
_PLAYERS = XPath(".//*[self::iframe or self::video or @type='VideoStream']")
_ORPHAN_TAGS = frozenset({"figcaption", "div", "p", "span", "section"})
_WRAPPER_DEPTH = 3  # how far above an image its caption box may start
_WRAPPER_TEXT = 100  # text beside the caption: more, and the ancestor is the article itself
_WRAPPER_CAPTION_MAX = 500
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


class MediaTable:
    """Media by placeholder index.

    A lone image is only read (URL, size) when trafilatura keeps its placeholder:
    most images of a page are thumbnails of other articles, and reading them all
    costs more than the rest of our work on the page.
    """

    def __init__(self, base_url: str) -> None:
        self._base = base_url
        self._items: list[Media | HtmlElement | None] = []

    def add(self, item: Media | HtmlElement) -> int:
        self._items.append(item)
        return len(self._items) - 1

    def get(self, index: int) -> Media | None:
        if not 0 <= index < len(self._items):
            return None
        item = self._items[index]
        if isinstance(item, HtmlElement):
            figure = _figure(item, self._base)
            item = self._items[index] = Media(figure=figure) if figure is not None else None
        return item


def collect_media(root: HtmlElement, base_url: str, scan: MediaScan | None = None) -> MediaTable:
    """Swap every figure, image and video of ``root`` for a placeholder image, in place.

    ``scan`` may come from an earlier walk of the same tree: elements since taken out
    of ``root`` are passed over.
    """
    table = MediaTable(base_url)
    scan = scan if scan is not None else scan_media(root)
    wrappers = _caption_wrappers(scan.captions)
    for element in scan.containers:
        if not attached(element, root):
            continue  # inside a container already replaced
        if element.tag == "img":
            container = _captioned_wrapper(element, wrappers)
            media = _read_container(container, base_url) if container is not None else None
            if container is None or not media:
                picture = next(element.iterancestors("picture"), None)
                _replace(picture if picture is not None else element, [table.add(element)])
                continue
        elif element.tag in ("iframe", "video"):
            url = _video_url(element, base_url)
            container, media = element, [Media(video=url)] if url else None
        else:
            container, media = element, _read_container(element, base_url)
        if media:
            _replace(container, [table.add(item) for item in media])
    # captions left over belong to images we dropped or never saw: not article text
    for caption in scan.captions:
        if _is_orphan(caption, root) and len(caption.text_content()) <= _WRAPPER_CAPTION_MAX:
            _detach(caption)
    return table


def _is_orphan(caption: HtmlElement, root: HtmlElement) -> bool:
    """A caption box still in the page (no figure took it) that is a caption, not a wrapper."""
    if caption.tag not in _ORPHAN_TAGS or not attached(caption, root):
        return False
    marks = (caption.get("class") or "") + " " + (caption.get("id") or "")
    return caption.tag == "figcaption" or "caption" in marks


def _caption_wrappers(captions: list[HtmlElement]) -> dict[HtmlElement, HtmlElement]:
    """Each close ancestor of a caption, mapped to the first caption under it.

    Computed once per page so that each lone image only looks up its few ancestors.
    """
    wrappers: dict[HtmlElement, HtmlElement] = {}
    for caption in captions:
        if next(caption.iter("img"), None) is not None:
            continue  # a wrapper of the image, not its caption
        for depth, ancestor in enumerate(caption.iterancestors()):
            if depth > _WRAPPER_DEPTH:
                break
            wrappers.setdefault(ancestor, caption)
    return wrappers


def _captioned_wrapper(
    img: HtmlElement, wrappers: dict[HtmlElement, HtmlElement]
) -> HtmlElement | None:
    """The close ancestor holding just this image and a caption (WordPress div.wp-caption...)."""
    for depth, ancestor in enumerate(img.iterancestors()):
        if depth >= _WRAPPER_DEPTH or ancestor.tag in ("body", "article", "main", "html"):
            return None
        caption = wrappers.get(ancestor)
        if caption is None:
            continue
        if sum(1 for _ in ancestor.iter("img")) > 1:
            return None
        rest = len(ancestor.text_content()) - len(caption.text_content())
        return ancestor if rest <= _WRAPPER_TEXT else None
    return None


def _read_container(container: HtmlElement, base_url: str) -> list[Media] | None:
    # a VCCorp VideoStream box is itself the player; other containers hold one
    players = [container] if container.get("type") == "VideoStream" else _PLAYERS(container)
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
    credit_element = next(iter(_CREDIT(container)), None)
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
    candidates = _CAPTION(container)
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
    # <picture> sources; libxml2 knows no void <source>, so the <img> may sit inside one
    picture = next((a for a in img.iterancestors("picture")), None)
    for source in picture.iter("source") if picture is not None else ():
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


def _replace(element: HtmlElement, indexes: list[int]) -> None:
    """Put one placeholder image per media index where ``element`` stood."""
    parent = element.getparent()
    if parent is None:
        return
    position = parent.index(element)
    for offset, index in enumerate(indexes):
        marker = element.makeelement("img", {"src": f"{PLACEHOLDER}{index}.jpg"})
        parent.insert(position + offset, marker)
    # the tail is text of the parent that followed the element: keep it after the markers
    parent[position + len(indexes) - 1].tail = element.tail
    parent.remove(element)


def _detach(element: HtmlElement) -> None:
    if element.getparent() is not None:
        element.drop_tree()
