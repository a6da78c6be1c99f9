"""``extract_article``: an article page's HTML to a clean ``Article``."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import tzinfo
from urllib.parse import urljoin

from lxml import etree
from lxml.html import HtmlElement
from trafilatura.utils import load_html

from diemtin.extract.blocks import to_blocks
from diemtin.extract.cleanup import clean_blocks
from diemtin.extract.dates import VIETNAM, find_dates
from diemtin.extract.errors import ExtractError
from diemtin.extract.figures import collect_media
from diemtin.extract.mainbody import main_text
from diemtin.extract.meta import find_canonical, find_lead, find_tags, find_title
from diemtin.extract.pagemeta import read_page_meta
from diemtin.extract.rules import apply_drop, remove, restrict_body
from diemtin.extract.scan import PageScan, scan_page
from diemtin.extract.textutil import attached
from diemtin.model import Article, Block, BlockKind, ExtractionRules

MAX_HTML_CHARS = 20_000_000
# far above any real article page (the 181 benchmark pages peak near 1,600 elements once
# scripts are gone); past it the rest of the page is cut, so a hostile page stays fast
MAX_ELEMENTS = 12_000
_NTH_ELEMENT = etree.XPath("(//*)[$n]")
_CODE = ("script", "style", "noscript", "template", "svg", "math")
# what trafilatura deletes anyway (its settings.MANUALLY_CLEANED), dropped before it copies
# the page, once per run: less to copy and walk; the fallback extractors it compares with
# (readability, jusText) then see no navigation or footer either
_NOT_TEXT = (
    "head", "nav", "footer", "aside", "menu", "menuitem", "dialog", "button", "input", "select",
    "option", "optgroup", "textarea", "label", "fieldset", "legend", "datalist", "output",
    "progress", "object", "embed", "applet", "map", "area", "canvas", "audio", "frame",
    "frameset", "marquee", "blink", "noindex", "link", "meta",
)  # fmt: skip


@dataclass(frozen=True, slots=True)
class Extraction:
    """An article and what extraction knows about it beyond the model."""

    article: Article
    # the sapo is text the page shows (a lead element, or the first paragraph it repeats),
    # not a meta description the reader never saw there
    lead_in_page: bool


def extract_article(
    html: str | bytes,
    url: str,
    *,
    rules: ExtractionRules | None = None,
    default_tz: tzinfo = VIETNAM,
) -> Article:
    """Read one article page. Raises ``ExtractError`` when the page holds no article.

    ``rules`` are the publisher's selectors (title, sapo, body, author, drop), applied
    when given; ``default_tz`` is the zone of times the page gives without one.
    """
    return extract(html, url, rules=rules, default_tz=default_tz).article


def extract(
    html: str | bytes,
    url: str,
    *,
    rules: ExtractionRules | None = None,
    default_tz: tzinfo = VIETNAM,
) -> Extraction:
    """``extract_article`` with the extra facts the benchmark and tests look at."""
    if not html or not html.strip():
        raise ExtractError("empty page")
    if len(html) > MAX_HTML_CHARS:
        raise ExtractError(f"page too large to extract: {len(html)} characters")
    try:
        return _extract(html, url, rules or ExtractionRules(), default_tz)
    except RecursionError as err:
        raise ExtractError("page nested too deeply to read") from err


def _extract(html: str | bytes, url: str, rules: ExtractionRules, tz: tzinfo) -> Extraction:
    tree = load_html(html)
    if tree is None or tree.find(".//body") is None:
        raise ExtractError("not an HTML document")
    base = _base_url(tree, url)
    meta = read_page_meta(tree)  # before the scripts go: JSON-LD lives in one
    etree.strip_elements(tree, *_CODE, with_tail=False)
    _truncate(tree)
    scan = scan_page(tree)
    title = find_title(tree, meta, scan, rules, url)
    published, updated = find_dates(tree, meta, scan, url, tz)
    canonical = find_canonical(tree, meta, url)
    tags = find_tags(meta, scan)
    lead = find_lead(tree, meta, scan, rules, url)
    cleaned = clean_blocks(
        _body_blocks(tree, scan, rules, lead.remove, base),
        url=base,
        title=title,
        sapo=lead.sapo,
        sapo_from_page=lead.sapo_from_page,
        author=lead.author,
    )
    if not any(b.kind is not BlockKind.FIGURE and (b.text or b.items) for b in cleaned.blocks):
        raise ExtractError("no article text on the page")
    article = Article(
        url=url,
        title=title,
        sapo=cleaned.sapo,
        blocks=cleaned.blocks,
        author=cleaned.author,
        published_at=published,
        updated_at=updated,
        canonical_url=canonical,
        tags=tags,
    )
    return Extraction(article=article, lead_in_page=cleaned.lead_in_page)


def _body_blocks(
    tree: HtmlElement,
    scan: PageScan,
    rules: ExtractionRules,
    lead_elements: list[HtmlElement],
    base: str,
) -> list[Block]:
    """The body's blocks: the page without its lead, byline and boilerplate, through trafilatura."""
    for element in lead_elements:
        remove(element)  # read already: the body must not repeat them
    apply_drop(tree, rules)
    region = restrict_body(tree, rules)
    page = region if region is not None else tree
    etree.strip_elements(page, *_NOT_TEXT, with_tail=False)
    if region is None:
        _mark_body(page, scan)
    source_text = page.text_content()
    media = collect_media(page, base, scan.media if region is None else None)
    body = main_text(page, base, len(source_text.split()), narrowed=region is not None)
    return to_blocks(body, media, source_text)


def _mark_body(page: HtmlElement, scan: PageScan) -> None:
    """Name a Vietnamese CMS's article-body container the schema.org way (itemprop=articleBody),
    which trafilatura looks for first: without it, it misses headings and figures there."""
    if scan.has_article_body:
        return
    body = next((b for b in scan.bodies if attached(b, page)), None)
    if body is not None:
        body.set("itemprop", "articleBody")


def _base_url(tree: HtmlElement, url: str) -> str:
    """The page's ``<base href>`` resolved against its URL, else the URL itself."""
    base = tree.find(".//base[@href]")
    if base is None:
        return url
    resolved = urljoin(url, base.get("href", "").strip())
    return resolved if resolved.startswith(("http://", "https://")) else url


def _truncate(tree: HtmlElement) -> None:
    """Cut everything after the first ``MAX_ELEMENTS`` elements (in document order)."""
    found = _NTH_ELEMENT(tree, n=MAX_ELEMENTS)
    if not found:
        return
    cut = found[0]
    for child in list(cut):  # its descendants come after it in document order
        cut.remove(child)
    for node in [cut, *cut.iterancestors()]:
        for sibling in list(node.itersiblings()):
            node.getparent().remove(sibling)
