"""Stable identity: the same article always gets the same key, other articles never do."""

from __future__ import annotations

from diemtin.dedupe.keys import article_key, clean_url, content_hash


def test_clean_url_drops_tracking_fragment_www_and_scheme_difference() -> None:
    messy = "http://www.VnExpress.net:80/bai-viet-4954454.html?utm_source=fb&zarsrc=1&p=2#binh-luan"
    assert clean_url(messy) == "https://vnexpress.net/bai-viet-4954454.html?p=2"
    assert clean_url("https://dantri.com.vn/a.htm?fbclid=x") == "https://dantri.com.vn/a.htm"
    assert clean_url("https://example.vn:8443/a") == "https://example.vn:8443/a"


def test_key_priority_guid_then_canonical_then_url_then_content() -> None:
    assert article_key(guid="123", url="https://a.vn/x", scope="tt") == "g:tt:123"
    assert article_key(guid="123", scope="vne") != article_key(guid="123", scope="tt")
    # a GUID that is a URL is the same article as the URL
    assert article_key(guid="https://a.vn/x?utm_medium=rss") == article_key(
        guid=None, url="https://a.vn/x"
    )
    assert article_key(guid=None, canonical_url="https://a.vn/c", url="https://a.vn/x") == (
        "u:https://a.vn/c"
    )
    assert article_key(guid=None, content="abc").startswith("h:")
    assert article_key(guid=" ", content="abc") == article_key(guid=None, content="abc")


def test_content_hash_ignores_tone_placement_case_and_spacing_but_not_words() -> None:
    a = content_hash("Hòa bình", "Thủy  điện\nmới")
    assert a == content_hash("hoà BÌNH", "thuỷ điện mới")
    assert a != content_hash("Hòa bình", "Thủy điện cũ")
