"""Title, sapo (lead), author, canonical URL and tags of an article page.

Read on the whole page before the body is extracted: the sapo and a byline are
found here and taken out of the page, so that the body never repeats them.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass, field
from urllib.parse import urljoin, urlsplit

from lxml.html import HtmlElement

from diemtin.extract.pagemeta import PageMeta, ld_names
from diemtin.extract.rules import select_first
from diemtin.extract.scan import PageScan
from diemtin.extract.textutil import collapse, element_text, fold
from diemtin.model import ExtractionRules

_TITLE_SEPARATORS = re.compile(r"\s+[-|–—:]\s+")
_BYLINE_PREFIX = re.compile(r"^(?:by|bài(?:\s+và\s+ảnh)?|tác giả|người viết)\s*:?\s+", re.I)
_BY = re.compile(r"(?:^|\s)by\s+", re.IGNORECASE)
_MAX_AUTHOR, _MAX_TAGS, _MAX_TAG = 80, 20, 60
_MIN_SAPO = 20


@dataclass(slots=True)
class Lead:
    """Where the page's lead and byline are; removed from the page before body extraction."""

    sapo: str = ""
    sapo_from_page: bool = False  # False: the meta description, which the body may repeat
    author: str = ""
    remove: list[HtmlElement] = field(default_factory=list)


def site_name(meta: PageMeta, url: str) -> str:
    return (
        meta.first("og:site_name", "application-name", "copyright") or urlsplit(url).hostname or ""
    )


def find_title(
    tree: HtmlElement, meta: PageMeta, scan: PageScan, rules: ExtractionRules, url: str
) -> str:
    site = site_name(meta, url)
    element = select_first(tree, rules.title) if rules.title else None
    candidates = [
        element_text(element),
        element_text(scan.title_h1[0] if scan.title_h1 else None),
        meta.first("og:title", "twitter:title", "headline"),
        meta.ld_text("headline"),
        element_text(scan.first_h1),
        element_text(next(tree.iter("title"), None)),
    ]
    return next((_strip_site(c, site, url) for c in candidates if c), "")


def _strip_site(title: str, site: str, url: str) -> str:
    """Drop a trailing " - VnExpress" / " | Tuổi Trẻ Online": the site's name, not the title."""
    parts = _TITLE_SEPARATORS.split(title)
    if len(parts) < 2:
        return title
    last = fold(parts[-1]).replace(" ", "")
    host = (urlsplit(url).hostname or "").replace("www.", "")
    if last and (last in fold(site).replace(" ", "") or (host and last in host)):
        match = list(_TITLE_SEPARATORS.finditer(title))[-1]
        return title[: match.start()].strip()
    return title


def find_lead(
    tree: HtmlElement, meta: PageMeta, scan: PageScan, rules: ExtractionRules, url: str
) -> Lead:
    """The sapo (lead) and the author, and which elements of the page hold them."""
    lead = Lead()
    sapo_element = select_first(tree, rules.sapo) if rules.sapo else _sapo_element(scan)
    if sapo_element is not None:
        lead.sapo, lead.sapo_from_page = element_text(sapo_element), True
        lead.remove.append(sapo_element)
    else:
        description = meta.first("description", "og:description", "twitter:description")
        lead.sapo = _strip_description_suffix(description, site_name(meta, url))
    lead.author, byline = _author(tree, meta, scan, rules, url)
    if byline is not None:
        lead.remove.append(byline)
    return lead


def _sapo_element(scan: PageScan) -> HtmlElement | None:
    """The first lead-classed element outside link lists; VnExpress p.description, h2.detail-sapo
    (Tuổi Trẻ, Thanh Niên, NLĐ), h2.singular-sapo (Dân Trí), .content-detail-sapo (VietNamNet)."""
    for element in scan.sapos:
        # related-article lists carry their own sapos: the article's comes first, outside them
        if any(a.tag in ("li", "a") for a in element.iterancestors()):
            continue
        if len(element_text(element)) >= _MIN_SAPO:
            return element
    return None


def _strip_description_suffix(description: str, site: str) -> str:
    """VnExpress ends its meta description with " - VnExpress"; that is not the lead."""
    head, sep, tail = description.rpartition(" - ")
    sentence = head.rstrip().endswith((".", "!", "?", "…", '"', "”"))
    names_site = not site or fold(tail).replace(" ", "") in fold(site).replace(" ", "")
    if sep and sentence and len(tail) <= 30 and (names_site or len(tail) < 20):
        return head.strip()
    return description


def _author(
    tree: HtmlElement, meta: PageMeta, scan: PageScan, rules: ExtractionRules, url: str
) -> tuple[str, HtmlElement | None]:
    """The author's name, and the element to take out of the body when it stands in it.

    In order of trust: the publisher's rule, a closing right-aligned byline (VnExpress,
    Tuổi Trẻ, Dân Trí), schema.org people, an author-classed element, ``<meta name=author>``
    unless it names the site.
    """
    if rules.author:
        element = select_first(tree, rules.author)
        if element is not None and (name := clean_author(element_text(element))):
            return name, element
    byline = _closing_byline(scan)
    if byline is not None:
        return clean_author(element_text(byline)), byline
    people = [n for n in map(clean_author, ld_names(meta.article.get("author"))) if n]
    if people:
        return ", ".join(dict.fromkeys(people)), None
    for element in scan.authors:
        if name := clean_author(element.text_content()):
            return name, None
    declared = meta.first("author", "article:author", "dc.creator", "parsely-author")
    site = fold(site_name(meta, url))
    if declared and fold(declared) not in site and not declared.startswith("http"):
        return clean_author(declared), None
    return "", None


def _closing_byline(scan: PageScan) -> HtmlElement | None:
    """A short right-aligned paragraph after which no paragraph of text follows."""
    for element in reversed(scan.right_aligned):
        if not clean_author(element_text(element)):
            continue
        later = element.itersiblings("p")
        if all(len(element_text(p)) < _MAX_AUTHOR for p in later):
            return element
    return None


def clean_author(text: str) -> str:
    """A plausible name from a byline, or "" (too long or sentence-like to be one).

    "Monday November 18, 2019 7:45 am PST by Joe Rossignol" gives "Joe Rossignol".
    """
    name = collapse(unicodedata.normalize("NFC", text))
    by = list(_BY.finditer(name))
    if by:
        name = name[by[-1].end() :]
    name = _BYLINE_PREFIX.sub("", name).strip(" -–|,")
    if not name or len(name) > _MAX_AUTHOR or len(name.split()) > 10:
        return ""
    if any(ch.isdigit() for ch in name) or name.endswith(("?", "!", ":")):
        return ""
    if name.endswith(".") and not re.search(r"\b\w\.$", name):
        return ""
    return name


def find_canonical(tree: HtmlElement, meta: PageMeta, url: str) -> str:
    for link in tree.iterfind(".//link[@href]"):
        if "canonical" in (link.get("rel") or "").lower().split():
            candidate = urljoin(url, str(link.get("href", "")).strip())
            if candidate.startswith(("http://", "https://")):
                return candidate
    og = meta.first("og:url")
    if og.startswith(("http://", "https://")):
        return og
    return url


def find_tags(meta: PageMeta, scan: PageScan) -> list[str]:
    """Declared keywords, else the page's tag links; case-insensitive duplicates dropped."""
    raw: list[str] = []
    for value in meta.all("keywords", "news_keywords", "article:tag"):
        raw.extend(value.split(","))
    keywords = meta.article.get("keywords")
    if isinstance(keywords, str):
        raw.extend(keywords.split(","))
    elif isinstance(keywords, list):
        raw.extend(k for k in keywords if isinstance(k, str))
    if not raw:
        raw.extend(_tag_links(scan))
    tags: dict[str, str] = {}
    for tag in raw:
        cleaned = collapse(unicodedata.normalize("NFC", tag)).strip("#").strip()
        if cleaned and len(cleaned) <= _MAX_TAG:
            tags.setdefault(cleaned.casefold(), cleaned)
    return list(tags.values())[:_MAX_TAGS]


def _tag_links(scan: PageScan) -> list[str]:
    texts: list[str] = []
    for box in scan.tag_boxes:
        if box.tag in ("body", "html"):
            continue
        links = [box] if box.tag == "a" else box.iter("a")
        texts.extend(link.text_content() for link in links)
        if len(texts) >= _MAX_TAGS:
            break
    return texts
