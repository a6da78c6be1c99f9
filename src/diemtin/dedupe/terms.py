"""Text to matching units for story grouping: syllables and shingles.

Vietnamese writes one syllable per space-separated token; a word is one to
four syllables. Shingles of three syllables already span most words, so the
segmentation the shingles need comes from the shingling itself. A CRF word
segmenter (pyvi, words glued into single tokens) measured worse on the ViMs
clusters, BCubed F1 0.955 at its best threshold against 0.961 for syllables,
while costing 5.4 ms per article, more than the whole grouping budget; so
terms stay syllables (bench/grouping.py measures both when pyvi is importable).

Text is expected as the store keeps it: ``diemtin.text.normalize``d, so one
spelling of each syllable; it is not normalized again here.
"""

from __future__ import annotations

from itertools import filterfalse, repeat

# Punctuation that also joins syllables ("TP.HCM", "6/2", "2-1") becomes a space;
# the rest is trimmed from each end. Plain string methods, about twice as fast as
# a regular expression and as good a match.
_JOINERS = '.,-/:;()"“”–—…'
_EDGES = "!\"#$%&'()*+,-./:;<=>?@[\\]^_`{|}~“”‘’«»‹›„…–—·•°"

# Function syllables: frequent everywhere, they only add noise, most of all
# while the document frequencies are still few.
_STOPWORDS = """
    và của là có được cho các những một này trong với không đã để người khi từ đến về
    theo tại trên như ra vào còn cũng thì sẽ đang nhiều năm ngày nhưng do bị làm lại sau
    đó rất hơn nên mà đây chỉ vì nếu hay hoặc nhất đều cùng phải tới qua bằng họ ông bà
    anh chị em tôi chúng ta mình việc điều nói biết thể sự nào gì rằng vẫn mới thêm luôn
    trước
"""
STOPWORDS = frozenset(_STOPWORDS.split())


def tokens(text: str, limit: int) -> list[str]:
    """Lower-cased syllables and numbers of the first ``limit`` characters."""
    text = text[:limit].lower()
    for joiner in _JOINERS:
        text = text.replace(joiner, " ")
    return list(filter(None, map(str.strip, text.split(), repeat(_EDGES))))


def content(tokens_: list[str]) -> list[str]:
    return list(filterfalse(STOPWORDS.__contains__, tokens_))


def shingles(tokens_: list[str]) -> list[str]:
    """Overlapping three-syllable runs; a shorter text is its own single shingle."""
    if len(tokens_) <= 3:
        return [" ".join(tokens_)] if tokens_ else []
    return list(map(" ".join, zip(tokens_, tokens_[1:], tokens_[2:], strict=False)))
