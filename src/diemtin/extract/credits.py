"""Telling a photo credit ("Ảnh: Kyodo/TTXVN") from the caption it ends."""

from __future__ import annotations

import re
import unicodedata

from diemtin.extract.textutil import collapse

# the words a credit starts with; "Ảnh minh họa" may stand alone (the image only illustrates)
_LABEL = (
    r"(?:Ảnh(?:\s+(?:minh\s+h(?:ọa|oạ)|chụp\s+màn\s+hình|tư\s+liệu|cắt\s+từ\s+(?:video|clip)"
    r"|nguồn))?|Nguồn(?:\s+ảnh)?|Đồ\s+h(?:ọa|oạ)|Video|Clip|Photo(?:s|\s+credit)?|Image"
    r"|Credit|Graphic|Source)"
)
_ALONE = re.compile(r"^(?:Ảnh\s+(?:minh\s+h(?:ọa|oạ)|tư\s+liệu)|Ảnh\s+chụp\s+màn\s+hình)$", re.I)
# a credit begins the caption, follows a sentence end, or follows a " - " / " | " separator
_TRAILING = re.compile(
    rf"(?:^|(?<=[.!?…\"”)\]])\s+|\s+[-–—|/]\s+|\n)(?P<credit>{_LABEL}(?:\s*:|\s+by\b)?.*)$",
    re.IGNORECASE | re.DOTALL,
)
_BRACKETED = re.compile(
    rf"\s*[(\[]\s*(?P<credit>{_LABEL}(?:\s*:|\s+by\b)?[^()\[\]]*?)\s*[)\]]\s*\.?\s*$",
    re.IGNORECASE,
)
_MAX_CREDIT = 100  # longer than this, the "credit" is a sentence of the caption


def split_credit(text: str) -> tuple[str, str]:
    """``(caption, credit)`` of a caption that may end with a credit, label kept in the credit.

    >>> split_credit("Y bác sĩ nội soi cho bệnh nhân. Ảnh: Bệnh viện cung cấp")
    ('Y bác sĩ nội soi cho bệnh nhân.', 'Ảnh: Bệnh viện cung cấp')
    """
    caption = collapse(unicodedata.normalize("NFC", text))
    if not caption:
        return "", ""
    for pattern in (_BRACKETED, _TRAILING):
        match = pattern.search(caption)
        if match and _is_credit(match["credit"]):
            head = caption[: match.start()].rstrip(" -–—|/")
            return head, match["credit"].strip().rstrip(".").strip()
    return caption, ""


def _is_credit(candidate: str) -> bool:
    candidate = candidate.strip().rstrip(".").strip()
    if not candidate or len(candidate) > _MAX_CREDIT:
        return False
    label = re.match(_LABEL, candidate, re.IGNORECASE)
    if label is None:
        return False
    rest = candidate[label.end() :].strip()
    if rest.startswith(":"):
        return bool(rest[1:].strip())
    if re.match(r"by\b", rest, re.IGNORECASE):
        return bool(rest[2:].strip())
    return not rest and _ALONE.match(candidate) is not None
