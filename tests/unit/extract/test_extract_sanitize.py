"""sanitize_inline: the allow-list every served HTML fragment goes through."""

from __future__ import annotations

import pytest

from diemtin.extract import sanitize_inline


@pytest.mark.parametrize(
    ("dirty", "clean"),
    [
        ("<script>alert(1)</script>tin", "tin"),
        ('<img src="x" onerror="alert(1)">ảnh', "ảnh"),
        ('<a href="javascript:alert(1)">bấm</a>', "bấm"),
        ('<a href="JaVaScRiPt:alert(1)">bấm</a>', "bấm"),
        ('<a href="data:text/html;base64,PHNjcmlwdD4=">bấm</a>', "bấm"),
        ('<a href="/tuong-doi">bấm</a>', "bấm"),
        ("<svg onload=alert(1)><text>vẽ</text></svg>chữ", "chữ"),
        ("<style>p{color:red}</style>chữ", "chữ"),
        ('<p style="color:red" onclick="x()">đoạn</p>', "đoạn"),
        ('<iframe src="https://evil.example"></iframe>khung', "khung"),
        ("<math><mi>x</mi></math>toán", "toán"),
        ('<b onmouseover="x()">đậm</b>', "<b>đậm</b>"),
        ("<strong>a</strong> <em>b</em> <i>c</i> H<sub>2</sub>O x<sup>2</sup>", None),
    ],
)
def test_allow_list(dirty: str, clean: str | None) -> None:
    assert sanitize_inline(dirty) == (clean if clean is not None else dirty)


def test_http_links_keep_href_and_get_rel() -> None:
    out = sanitize_inline('<a href="https://vnexpress.net/a.html" target="_blank" id="x">bài</a>')
    assert out == '<a href="https://vnexpress.net/a.html" rel="nofollow noopener">bài</a>'
    assert 'href="http://a.example/"' in sanitize_inline('<a href="http://a.example/">a</a>')


def test_text_is_escaped_and_kept_whole() -> None:
    assert sanitize_inline("2+2 &lt; 5 &amp; Sjögren") == "2+2 &lt; 5 &amp; Sjögren"
    assert sanitize_inline("a < b > c") == "a &lt; b &gt; c"


def test_stripped_blocks_do_not_glue_words() -> None:
    assert sanitize_inline("<div>vaccine</div><div>và</div>") == "vaccine và"
    assert sanitize_inline("<li>một</li><li>hai</li>") == "một hai"
    assert sanitize_inline("<span>vaccine </span><a href='https://a.example'>và</a>") == (
        'vaccine <a href="https://a.example" rel="nofollow noopener">và</a>'
    )


def test_whitespace_and_breaks() -> None:
    assert sanitize_inline("  một\n\n  hai  <br/>  ba ") == "một hai<br>ba"
    assert sanitize_inline("") == ""
