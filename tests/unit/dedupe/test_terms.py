"""Grouping's tokens: UTF-8 syllables, punctuation gone, names with "&" kept whole."""

from __future__ import annotations

from diemtin.dedupe.terms import content, shingles, tokens


def test_tokens_are_lowercased_utf8_syllables_without_punctuation() -> None:
    text = "Bộ GD&ĐT: “Thi tốt nghiệp” – năm 2024…\u00a0TP.HCM, 6/2 (sáng)!"
    assert tokens(text, 1000) == [
        w.encode()
        for w in [
            "bộ",
            "gd&đt",
            "thi",
            "tốt",
            "nghiệp",
            "năm",
            "2024",
            "tp",
            "hcm",
            "6",
            "2",
            "sáng",
        ]
    ]


def test_tokens_read_only_the_first_characters() -> None:
    assert tokens("một hai ba", 6) == ["một".encode(), b"ha"]


def test_a_lone_surrogate_does_not_stop_tokenizing() -> None:
    assert tokens("a \ud800 b", 100) == [b"a", b"b"]


def test_content_drops_function_syllables_and_shingles_span_three() -> None:
    words = tokens("Đây là cuộc họp của Quốc hội", 100)
    assert content(words) == [w.encode() for w in ("cuộc", "họp", "quốc", "hội")]
    assert shingles(words[:4]) == ["đây là cuộc".encode(), "là cuộc họp".encode()]
    assert shingles([b"a", b"b"]) == [b"a b"]
    assert shingles([]) == []
