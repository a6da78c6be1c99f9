"""Text to matching units for story grouping: syllables and shingles.

Vietnamese writes one syllable per space-separated token; a word is one to
four syllables. Shingles of three syllables already span most words, so the
segmentation the shingles need comes from the shingling itself. A CRF word
segmenter (pyvi, words glued into single tokens) measured worse on the ViMs
clusters, BCubed F1 0.955 at its best threshold against 0.961 for syllables,
while costing 5.4 ms per article, more than the whole grouping budget; so
terms stay syllables (bench/grouping.py measures both when pyvi is importable).

Syllables are UTF-8 bytes, never decoded: they are only hashed, compared and
stored, and one ``bytes.translate`` turns every ASCII punctuation mark into a
space without touching the bytes of Vietnamese letters (all 0x80 and above),
about twice as fast as splitting and trimming strings.

Text is expected as the store keeps it: ``diemtin.text.normalize``d, so one
spelling of each syllable; it is not normalized again here.
"""

from __future__ import annotations

from itertools import filterfalse

# "&" stays inside a word: "GD&ĐT", "NN&PTNT" are names of their own.
_WORD_BYTES = {*range(0x30, 0x3A), *range(0x61, 0x7B), ord("&"), *range(0x80, 0x100)}
_ASCII_TO_SPACE = bytes(b if b in _WORD_BYTES else 0x20 for b in range(256))
# Punctuation (and the no-break space) outside ASCII, replaced before encoding.
_WIDE_PUNCTUATION = "“”‘’«»‹›„…–—·•°\u00a0"

# Function syllables: frequent everywhere, they only add noise, most of all
# while the document frequencies are still few.
_STOPWORDS = """
    và của là có được cho các những một này trong với không đã để người khi từ đến về
    theo tại trên như ra vào còn cũng thì sẽ đang nhiều năm ngày nhưng do bị làm lại sau
    đó rất hơn nên mà đây chỉ vì nếu hay hoặc nhất đều cùng phải tới qua bằng họ ông bà
    anh chị em tôi chúng ta mình việc điều nói biết thể sự nào gì rằng vẫn mới thêm luôn
    trước
"""
STOPWORDS = frozenset(word.encode() for word in _STOPWORDS.split())


def tokens(text: str, limit: int) -> list[bytes]:
    """Lower-cased syllables and numbers of the first ``limit`` characters, as UTF-8."""
    text = text[:limit].lower()
    for mark in _WIDE_PUNCTUATION:
        if mark in text:  # a search is cheaper than a copy, and most marks are absent
            text = text.replace(mark, " ")
    return text.encode("utf-8", "replace").translate(_ASCII_TO_SPACE).split()


def content(tokens_: list[bytes]) -> list[bytes]:
    return list(filterfalse(STOPWORDS.__contains__, tokens_))


def shingles(tokens_: list[bytes]) -> list[bytes]:
    """Overlapping three-syllable runs; a shorter text is its own single shingle."""
    if len(tokens_) <= 3:
        return [b" ".join(tokens_)] if tokens_ else []
    return list(map(b" ".join, zip(tokens_, tokens_[1:], tokens_[2:], strict=False)))
