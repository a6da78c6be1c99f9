"""Which language a text is in: Vietnamese or not, cheaply, without a model.

Vietnamese is recognised by its own letters (ă đ ơ ư ĩ ũ and the letters with
a dot below or a hook above), which no other language writes; text typed
without accents by its function words. Other languages are named by their
script, or for Latin script by their most common words. Anything too short or
too unclear is "und" (undetermined, as in ISO 639-2).
"""

from __future__ import annotations

import re
import unicodedata
from collections import Counter

from diemtin.text import fold

SAMPLE_CHARS = 3000  # enough to decide; long texts cost no more
_OPENING_CHARS = 500
_OPENING_WORDS = 40  # a title and a sapo's worth
_MIN_WORDS = 3
_VI_SHARE = 0.15  # of Latin words with a Vietnamese-only letter
_STOPWORD_SHARE = 0.12  # of words that are one language's function words
_WORD = re.compile(r"[^\W\d_]+")
_NON_LATIN = re.compile(r"[^\W\d_\x00-\u024f\u1e00-\u1eff]")  # other scripts' letters
_VI_LETTERS = "ăđơưĩũ\u1ea0-\u1ef9"  # after lowercasing
# a whole word holding at least one of them: findall counts such words in one pass
_VI_WORD = re.compile(rf"[^\W\d_]*[{_VI_LETTERS}][^\W\d_]*")

# Function words, frequent and specific enough to tell Latin-script languages
# apart. Vietnamese ones are in their accentless form, for text typed without
# accents; words shared with another list ("la", "de", "da") are left out.
_STOPWORDS = {
    "vi": "cua nhung duoc khong nguoi trong mot nhieu voi cac nay cung theo tai sau "
    "truoc hien nhat dang viec cho tren duoi thi chung toi ban nhu",
    "en": "the and of to is that for with was are this have from were been which "
    "their would there will about they what when it its on by has had said",
    "fr": "le les des est une pour dans qui que sur pas par avec sont ont cette mais "
    "aux du ces elle nous un au et",
    "es": "el los las del por una con para como pero sus esta fue son entre tiene "
    "desde muy cuando también y se lo",
    "pt": "os uma para com não por mais das dos como mas foi ao ele seu sua ou "
    "quando muito também são o do da em no na pela pelo pelas pelos foram",
    "de": "der die und das ist nicht mit den von zu ein eine sich auch auf dem "
    "für wird sind bei nach im zum",
    "it": "il di che della per sono con non una gli nel alla anche come più dei "
    "delle questo essere",
    "nl": "het een van en zijn niet met voor dat op ook aan bij wordt worden maar naar dit deze",
    "id": "yang dan di ini itu dengan untuk dari tidak dalam akan pada juga ke "
    "karena adalah oleh bisa",
}
_STOPWORD_SETS = {lang: frozenset(words.split()) for lang, words in _STOPWORDS.items()}

# Scripts by Unicode name prefix, and the language each most likely means.
_SCRIPTS = {
    "CJK": "zh",
    "HIRAGANA": "ja",
    "KATAKANA": "ja",
    "HANGUL": "ko",
    "CYRILLIC": "ru",
    "GREEK": "el",
    "ARABIC": "ar",
    "HEBREW": "he",
    "THAI": "th",
    "LAO": "lo",
    "KHMER": "km",
    "DEVANAGARI": "hi",
}


def language_of(text: str) -> str:
    """ "vi", another ISO 639-1 code ("en", "fr", "zh"...), or "und" when unsure."""
    # Nearly every text here is plainly Vietnamese from its opening: a look at that
    # settles it at a fifth of the cost of the whole sample.
    opening = unicodedata.normalize("NFC", text[:_OPENING_CHARS]).lower()
    if _mostly_vietnamese(opening) and not _NON_LATIN.search(opening):
        return "vi"
    sample = unicodedata.normalize("NFC", text[:SAMPLE_CHARS]).lower()
    script = _main_script(sample)
    if script is not None:
        return script
    words = _WORD.findall(sample)
    if len(words) < _MIN_WORDS:
        return "und"
    vi_letters = len(_VI_WORD.findall(sample)) / len(words)
    if vi_letters >= 0.5:
        # No other language's function word has a Vietnamese-only letter, so their
        # share is at most 1 - vi_letters: the answer below could only be "vi".
        return "vi"
    lang, share = _by_stopwords(words)
    # Vietnamese names in a foreign text bring Vietnamese letters, not Vietnamese grammar.
    if vi_letters >= _VI_SHARE and vi_letters >= share:
        return "vi"
    return lang if share >= _STOPWORD_SHARE else "und"


def _mostly_vietnamese(sample: str) -> bool:
    """Plainly Vietnamese: many words, and a third of them spelled with letters only
    Vietnamese writes (the rest, "vòng", "cho", are Vietnamese words too, but shared
    letters; a foreign text naming Vietnamese people and places comes nowhere near)."""
    words = _WORD.findall(sample)
    return len(words) >= _OPENING_WORDS and 3 * len(_VI_WORD.findall(sample)) >= len(words)


def _main_script(sample: str) -> str | None:
    """The language of a non-Latin script that writes most of the letters, if one does."""
    others = _NON_LATIN.findall(sample)
    if not others:
        return None
    scripts: Counter[str] = Counter()
    for ch in others:
        name = unicodedata.name(ch, "")
        for prefix, lang in _SCRIPTS.items():
            if name.startswith(prefix):
                scripts[lang] += 1
                break
    if not scripts:
        return None
    latin = sum(1 for ch in sample if ch.isalpha()) - len(others)
    # Japanese writes kanji (CJK) among its kana: any kana at all means Japanese.
    if scripts["ja"] and scripts["zh"]:
        scripts["ja"] += scripts.pop("zh")
    lang, n = scripts.most_common(1)[0]
    return lang if n > latin else None


def _by_stopwords(words: list[str]) -> tuple[str, float]:
    """The language whose function words make up the largest share of ``words``, and that share.

    Vietnamese function words are compared without accents: "trên" meets "tren".
    """
    # one fold of the whole sample, not one per word; fold keeps words whole
    folded = fold(" ".join(words)).split()
    if len(folded) != len(words):
        folded = [fold(w) for w in words]
    shares = {
        lang: sum(1 for w in (folded if lang == "vi" else words) if w in stop) / len(words)
        for lang, stop in _STOPWORD_SETS.items()
    }
    return max(shares.items(), key=lambda item: item[1])
