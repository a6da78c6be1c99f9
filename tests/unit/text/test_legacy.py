from __future__ import annotations

import json
import unicodedata
from pathlib import Path

import pytest

from diemtin.text import decode_bytes, detect_legacy, fix_legacy
from diemtin.text.legacy_tables import TCVN3_ENCODE, VNI_DECODE, VNI_ENCODE
from diemtin.text.syllable import SPLIT, TONE_MARKS
from tests.unit.text.samples import ENGLISH, OTHER_LATIN, VIETNAMESE

LEGACY_SENTENCES = (
    "Thủ tướng Chính phủ vừa ký quyết định thành lập Ban chỉ đạo quốc gia.",
    "Người dân Đà Nẵng đổ ra đường xem pháo hoa.",
    "Ông Nguyễn Văn Thuận được bầu làm chủ tịch hội đồng quản trị.",
    "Trường đại học công bố điểm chuẩn, nhiều ngành tăng mạnh so với năm ngoái.",
    "Chiều nay, trời chuyển mưa to kèm gió giật, nhiệt độ giảm sâu.",
    "Đường dây nóng tiếp nhận hàng nghìn cuộc gọi phản ánh về giá điện.",
    "Ủy ban kiểm tra đề nghị kỷ luật cán bộ vi phạm quy định về tài chính.",
    "Cô giáo trẻ ở vùng cao vượt suối đến trường mỗi sáng.",
)


def vni(text: str) -> str:
    return "".join(VNI_ENCODE.get(ch, ch) for ch in text)


def tcvn3(text: str) -> str:
    """TCVN3 has no toned capitals: like .VnTimeH, write them with the lowercase code."""
    return "".join(TCVN3_ENCODE.get(ch, TCVN3_ENCODE.get(ch.lower(), ch)) for ch in text)


def tcvn3_expected(text: str) -> str:
    return "".join(ch if ch in TCVN3_ENCODE or ch.isascii() else ch.lower() for ch in text)


def cp1258(text: str) -> bytes:
    """windows-1258: precomposed ă â ê ô ơ ư đ, tones as combining marks."""
    out = bytearray()
    for ch in text:
        try:
            out += ch.encode("cp1258")
        except UnicodeEncodeError:
            base, tone = SPLIT[ch]
            out += (base + TONE_MARKS[tone - 1]).encode("cp1258")
    return bytes(out)


def test_tables_are_complete() -> None:
    letters = {ch for ch in SPLIT if not ch.isascii()} | {"đ", "Đ"}
    assert len(letters) == 134
    assert set(VNI_ENCODE) == letters
    assert len(set(VNI_ENCODE.values())) == 134
    lowercase = {ch for ch in letters if ch.islower()}
    assert lowercase <= set(TCVN3_ENCODE)
    assert {ch for ch in TCVN3_ENCODE if ch.isupper()} == set("ĂÂÊÔƠƯĐ")
    assert len(set(TCVN3_ENCODE.values())) == len(TCVN3_ENCODE)
    assert all(len(code) == 1 and "\u00a1" <= code <= "\u00fe" for code in TCVN3_ENCODE.values())


def test_known_spellings() -> None:
    assert vni("Việt Nam") == "Vieät Nam"
    assert vni("Đà Nẵng người được") == "Ñaø Naüng ngöôøi ñöôïc"
    assert tcvn3("Việt Nam") == "ViÖt Nam"
    assert tcvn3("Hà Nội các đã") == "Hµ Néi c¸c ®·"


@pytest.mark.parametrize("sentence", LEGACY_SENTENCES + VIETNAMESE[:8])
def test_vni_round_trip(sentence: str) -> None:
    encoded = vni(sentence)
    assert detect_legacy(encoded) == "vni"
    assert fix_legacy(encoded) == sentence


@pytest.mark.parametrize("sentence", LEGACY_SENTENCES + VIETNAMESE[:8])
def test_tcvn3_round_trip(sentence: str) -> None:
    encoded = tcvn3(sentence)
    assert detect_legacy(encoded) == "tcvn3"
    assert fix_legacy(encoded) == tcvn3_expected(sentence)


def test_legacy_in_nfd() -> None:
    sentence = LEGACY_SENTENCES[1]
    for encoded in (vni(sentence), tcvn3(sentence)):
        decomposed = unicodedata.normalize("NFD", encoded)
        assert decomposed != encoded
        assert detect_legacy(decomposed) == detect_legacy(encoded)
        assert fix_legacy(decomposed) == fix_legacy(encoded)


def test_tcvn3_capitals_font() -> None:
    assert fix_legacy("VIÖT NAM §¶NG CHIÕN TH¾NG") == "VIỆT NAM ĐẢNG CHIẾN THẮNG"
    assert fix_legacy("Hµ Néi vµ §µ N½ng") == "Hà Nội và Đà Nẵng"


def test_vni_mark_of_the_other_case() -> None:
    assert VNI_DECODE["Aù"] == "Á"
    assert fix_legacy("Aùnh saùng vaø Ñöôøng phoá") == "Ánh sáng và Đường phố"


def test_whole_paragraph() -> None:
    paragraph = " ".join(LEGACY_SENTENCES)
    assert fix_legacy(vni(paragraph)) == paragraph
    assert fix_legacy(tcvn3(paragraph)) == tcvn3_expected(paragraph)


@pytest.mark.parametrize("sentence", VIETNAMESE + ENGLISH + OTHER_LATIN)
def test_no_false_positive(sentence: str) -> None:
    assert detect_legacy(sentence) is None
    assert fix_legacy(sentence) == sentence


def test_no_false_positive_on_paragraphs() -> None:
    for group in (VIETNAMESE, ENGLISH, OTHER_LATIN, VIETNAMESE + ENGLISH):
        paragraph = " ".join(group)
        assert detect_legacy(paragraph) is None
        assert detect_legacy(unicodedata.normalize("NFD", paragraph)) is None


def test_single_word_is_not_enough() -> None:
    assert detect_legacy("Vieät") is None
    assert detect_legacy("Où est-il ?") is None


def test_fixed_text_is_left_alone() -> None:
    fixed = fix_legacy(vni(LEGACY_SENTENCES[0]))
    assert detect_legacy(fixed) is None
    assert fix_legacy(fixed) == fixed


@pytest.mark.parametrize("junk", ["", "\u0301", "\x00\xff\xfe", "¸¸¸ µµµ", "ñ" * 50_000])
def test_bad_text_never_raises(junk: str) -> None:
    detect_legacy(junk)
    fix_legacy(junk)


def test_decode_utf8_even_when_labelled_latin1() -> None:
    text = VIETNAMESE[0]
    assert decode_bytes(text.encode("utf-8")) == text
    assert decode_bytes(text.encode("utf-8"), "iso-8859-1") == text
    assert decode_bytes(b"\xef\xbb\xbf" + text.encode("utf-8")) == text


def test_decode_windows_1258() -> None:
    for sentence in LEGACY_SENTENCES:
        data = cp1258(sentence)
        assert decode_bytes(data) == sentence
        assert decode_bytes(data, "windows-1258") == sentence


def test_decode_nfd_utf8() -> None:
    text = VIETNAMESE[1]
    assert decode_bytes(unicodedata.normalize("NFD", text).encode("utf-8")) == text


def test_decode_legacy_bytes() -> None:
    sentence = LEGACY_SENTENCES[3]
    assert decode_bytes(vni(sentence).encode("cp1252")) == sentence
    assert decode_bytes(vni(sentence).encode("cp1252"), "windows-1252") == sentence
    assert decode_bytes(tcvn3(sentence).encode("latin-1")) == tcvn3_expected(sentence)


def test_decode_declared_and_wide() -> None:
    assert decode_bytes("Привет, как дела?".encode("cp1251"), "windows-1251") == "Привет, как дела?"
    assert decode_bytes("Xin chào".encode("utf-16"), None) == "Xin chào"
    assert decode_bytes("Xin chào".encode("utf-16-le"), "utf-16le") == "Xin chào"
    assert decode_bytes(b"caf\xe9 cr\xe8me", "latin-1") == "café crème"
    assert decode_bytes(b"\x93quoted\x94", "iso-8859-1") == "“quoted”"  # as browsers do


@pytest.mark.parametrize("label", [None, "", "bogus-charset", "base64", "rot13", "utf-8", "ascii"])
@pytest.mark.parametrize(
    "data",
    [b"", b"\x00", bytes(range(256)), b"\xff\xfe\x00", b"\xc3\x28\xa0\xa1" * 1000, b"\x81\x8d"],
)
def test_decode_never_raises(data: bytes, label: str | None) -> None:
    assert isinstance(decode_bytes(data, label), str)


def test_decode_sniffs_meta_and_xml_declaration() -> None:
    page = '<html><head><meta charset="windows-1251"></head><body>Привет</body></html>'
    assert decode_bytes(page.encode("cp1251")) == page
    feed = '<?xml version="1.0" encoding="windows-1258"?><rss><title>Hà Nội</title></rss>'
    assert decode_bytes(cp1258(feed)) == feed
    assert decode_bytes(page.encode("cp1251"), "utf-8").startswith("<html>")  # header wins


def test_decode_truncated_and_slightly_broken_utf8() -> None:
    cut = "Hà Nội đẹ".encode()[:-1]  # a download cut inside "ẹ" (3 bytes)
    assert decode_bytes(cut) == "Hà Nội đ"
    broken = (VIETNAMESE[0] * 5).encode("utf-8") + b"\xff" + VIETNAMESE[1].encode("utf-8")
    assert decode_bytes(broken) == VIETNAMESE[0] * 5 + "\ufffd" + VIETNAMESE[1]
    assert decode_bytes(b"caf\xe9 noir", "utf-8") == "caf\ufffd noir"  # declared stays UTF-8


def test_no_false_positive_on_real_articles(shared_data: Path) -> None:
    path = shared_data / "vims" / "articles.jsonl"
    if not path.exists():
        pytest.skip(f"{path} absent")
    with path.open(encoding="utf-8") as lines:
        bodies = [json.loads(line)["body"] for line in lines if line.strip()]
    assert [b[:60] for b in bodies if detect_legacy(b) is not None] == []
