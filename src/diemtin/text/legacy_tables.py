"""VNI-Windows and TCVN3 (ABC) code tables, generated from compact rows.

Both are 1990s 8-bit font encodings: the bytes only look Vietnamese in their own
fonts. Read as Windows-1252, which is how they reach us, they show as Latin-1
letters: "Việt Nam" is "Vieät Nam" in VNI and "ViÖt Nam" in TCVN3. The keys
below are those Windows-1252 readings.

Each row lists one vowel with its six tones in the order: none, sắc, huyền, hỏi,
ngã, nặng (the tone order of ``syllable.TONE_MARKS``).
"""

from __future__ import annotations

from diemtin.text.syllable import JOIN

# VNI writes a toned vowel as the base letter plus one "mark" letter, except i
# and ỵ, which have letters of their own, and ơ/ư, written ô/ö before the tone.
_VNI_ROWS = {
    "a": "a aù aø aû aõ aï",
    "ă": "aê aé aè aú aü aë",
    "â": "aâ aá aà aå aã aä",
    "e": "e eù eø eû eõ eï",
    "ê": "eâ eá eà eå eã eä",
    "i": "i í ì æ ó ò",
    "o": "o où oø oû oõ oï",
    "ô": "oâ oá oà oå oã oä",
    "ơ": "ô ôù ôø ôû ôõ ôï",
    "u": "u uù uø uû uõ uï",
    "ư": "ö öù öø öû öõ öï",
    "y": "y yù yø yû yõ î",
}
_VNI_D = "ñ"  # đ; capitals are the row letters in upper case: "AÙ" is Á, "Ñ" is Đ

# TCVN3 (TCVN 5712:1993, VN3) gives each lowercase letter one byte. Toned
# capitals do not exist: documents used a second font (.VnTimeH) that draws the
# lowercase bytes as capitals, so only the seven untoned capitals are mapped.
_TCVN3_ROWS = {
    "a": "61 b8 b5 b6 b7 b9",
    "ă": "a8 be bb bc bd c6",
    "â": "a9 ca c7 c8 c9 cb",
    "e": "65 d0 cc ce cf d1",
    "ê": "aa d5 d2 d3 d4 d6",
    "i": "69 dd d7 d8 dc de",
    "o": "6f e3 df e1 e2 e4",
    "ô": "ab e8 e5 e6 e7 e9",
    "ơ": "ac ed ea eb ec ee",
    "u": "75 f3 ef f1 f2 f4",
    "ư": "ad f8 f5 f6 f7 f9",
    "y": "79 fd fa fb fc fe",
}
_TCVN3_OTHERS = {"đ": 0xAE, "Ă": 0xA1, "Â": 0xA2, "Ê": 0xA3, "Ô": 0xA4, "Ơ": 0xA5, "Ư": 0xA6}
_TCVN3_OTHERS["Đ"] = 0xA7


def _vni_encoding() -> dict[str, str]:
    table: dict[str, str] = {"đ": _VNI_D, "Đ": _VNI_D.upper()}
    for base, row in _VNI_ROWS.items():
        for tone, code in enumerate(row.split()):
            table[JOIN[base, tone]] = code
            table[JOIN[base.upper(), tone]] = code.upper()
    return table


def _tcvn3_encoding() -> dict[str, str]:
    table = {letter: chr(byte) for letter, byte in _TCVN3_OTHERS.items()}
    for base, row in _TCVN3_ROWS.items():
        codes = bytes.fromhex(row).decode("latin-1")
        for tone, code in enumerate(codes):
            table[JOIN[base, tone]] = code
    return table


def _without_ascii(table: dict[str, str]) -> dict[str, str]:
    return {letter: code for letter, code in table.items() if not letter.isascii()}


# Unicode letter → legacy spelling: the 134 Vietnamese letters (67 per case)
# for VNI; the 67 lowercase letters and 7 untoned capitals for TCVN3.
VNI_ENCODE = _without_ascii(_vni_encoding())
TCVN3_ENCODE = _without_ascii(_tcvn3_encoding())


def _vni_decoding() -> dict[str, str]:
    table = {code: letter for letter, code in VNI_ENCODE.items()}
    # Leniency seen in real documents: a mark of the other case ("Aù" for Á),
    # and ỵ typed as y + the nặng mark. The base letter decides the case.
    for code, letter in list(table.items()):
        if len(code) == 2:
            table.setdefault(code[0] + code[1].swapcase(), letter)
    table.setdefault("yï", JOIN["y", 5])
    table.setdefault("YÏ", JOIN["Y", 5])
    table.setdefault("Yï", JOIN["Y", 5])
    table.setdefault("yÏ", JOIN["y", 5])
    return table


VNI_DECODE = _vni_decoding()
TCVN3_DECODE = {code: letter for letter, code in TCVN3_ENCODE.items()}
