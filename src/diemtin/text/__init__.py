"""Pure Vietnamese text functions: canonical spelling, legacy encodings, keys, spacing.

Typical order on fetched text: ``decode_bytes`` → ``fix_legacy`` → ``normalize``
→ ``tidy`` for display, and ``fold`` for search and matching keys.
"""

from diemtin.text.clean import tidy
from diemtin.text.fold import fold, words
from diemtin.text.legacy import decode_bytes, detect_legacy, fix_legacy
from diemtin.text.normalize import normalize
from diemtin.text.syllable import is_syllable

__all__ = [
    "decode_bytes",
    "detect_legacy",
    "fix_legacy",
    "fold",
    "is_syllable",
    "normalize",
    "tidy",
    "words",
]
