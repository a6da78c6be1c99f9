"""From an article page's HTML to a clean ``diemtin.model.Article``.

``extract_article`` reads title, sapo, body blocks (paragraphs, headings, quotes,
lists, figures with caption and credit, videos), author, dates, canonical URL and
tags; ``sanitize_inline`` is the HTML allow-list every served fragment goes through.
"""

from diemtin.extract.article import extract_article
from diemtin.extract.errors import ExtractError
from diemtin.extract.sanitize import sanitize_inline

__all__ = ["ExtractError", "extract_article", "sanitize_inline"]
