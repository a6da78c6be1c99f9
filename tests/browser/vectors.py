"""XSS vectors, made here from templates × the places content enters the site.

Each vector carries a label ``xvN`` in text beside it, so a test can tell the
vector reached a page. Its script, if it ever runs, calls ``__xss(N)`` (a
binding the browser test records) or ``alert(N)`` (a dialog it records).
Template-injection vectors compute 7*191 = 1337, a number no page otherwise
shows. Nothing here comes from the network; the list is ours.
"""

from __future__ import annotations

import base64
import json
from dataclasses import dataclass
from html import escape
from pathlib import Path

# {js} is the script to run, {n} the vector's number, {b64} a base64 page running {js}.
MARKUP = (
    "<script>{js}</script>",
    "<SCRIPT SRC=data:text/javascript,{js}></SCRIPT>",
    "<img src=x onerror={js}>",
    '<img src="x" onerror="{js}">',
    '<IMG SRC=x ONERROR="{js}">',
    "<svg onload={js}>",
    "<svg/onload={js}>",
    "<svg><script>{js}</script></svg>",
    "<svg><animate onbegin={js} attributeName=x dur=1s>",
    '<svg><a xlink:href="javascript:{js}"><text x=1 y=9>xv</text></a></svg>',
    "<math><mtext><table><mglyph><style><img src=x onerror={js}>",
    '<math href="javascript:{js}">m</math>',
    "<body onload={js}>",
    '<iframe src="javascript:{js}"></iframe>',
    '<iframe srcdoc="<script>{js}</script>"></iframe>',
    '<iframe src="data:text/html,<script>{js}</script>"></iframe>',
    '<object data="javascript:{js}"></object>',
    '<embed src="javascript:{js}">',
    "<details open ontoggle={js}>d</details>",
    "<input autofocus onfocus={js}>",
    "<video><source onerror={js}></video>",
    "<audio src=x onerror={js}>",
    "<marquee onstart={js}>m</marquee>",
    '<form action="javascript:{js}"><button>f</button></form>',
    '<button formaction="javascript:{js}">b</button>',
    '"><script>{js}</script>',
    "'><img src=x onerror={js}>",
    "</title><script>{js}</script>",
    "</textarea><script>{js}</script>",
    "</script><script>{js}</script>",
    "</script><img src=x onerror={js}>",
    '<!--<img src="--><img src=x onerror={js}//">',
    '<noscript><p title="</noscript><img src=x onerror={js}>">',
    "<noembed><img src=x onerror={js}></noembed>",
    "<xmp><img src=x onerror={js}></xmp>",
    "<template><img src=x onerror={js}></template>",
    "<svg><style><img src=x onerror={js}></style></svg>",
    "<style>@import 'javascript:{js}';</style>",
    '<div style="background:url(javascript:{js})">s</div>',
    '<img srcset="x 1x, javascript:{js} 2x">',
    '<meta http-equiv="refresh" content="0;url=javascript:{js}">',
    '<base href="javascript:{js}//">',
    '<link rel=stylesheet href="javascript:{js}">',
    "<scr<script>ipt>{js}</scr</script>ipt>",
    '<img """><script>{js}</script>">',
    "<xss onpointerover={js} style=display:block>p</xss>",
    "<div onmouseover={js}>h</div>",
    '<img src=x onerror="&#97;&#108;&#101;&#114;&#116;({n})">',
    '<a href="javascript:{js}">l</a>',
    '<a href="JaVaScRiPt:{js}">l</a>',
    '<a href="&#106;avascript:{js}">l</a>',
    '<a href="jav&#x09;ascript:{js}">l</a>',
    '<a href=" javascript:{js}">l</a>',
    '<a href="javascript&colon;{js}">l</a>',
    '<a href="&#x6A;&#x61;&#x76;&#x61;&#x73;&#x63;&#x72;&#x69;&#x70;&#x74;&#x3A;{js}">l</a>',
    '<a href="data:text/html;base64,{b64}">l</a>',
    "&lt;script&gt;{js}&lt;/script&gt;",
    "&#60;img src=x onerror={js}&#62;",
    "\\u003cscript\\u003e{js}\\u003c/script\\u003e",
    "\u2028</script><script>{js}</script>",
)
# Places where a URL goes (link targets, image sources, the article's own URL).
URLS = (
    "javascript:{js}",
    "JAVASCRIPT:{js}",
    " javascript:{js}",
    "java\tscript:{js}",
    "javascript&colon;{js}",
    "&#106;avascript:{js}",
    "vbscript:msgbox({n})",
    "data:text/html,<script>{js}</script>",
    "data:text/html;base64,{b64}",
    "data:image/svg+xml,<svg onload={js}>",
    'https://x.example/"><script>{js}</script>',
    "https://x.example/'onmouseover='{js}",
)
# Template languages: if one is ever evaluated, the page shows 1337.
TEMPLATES = (
    "{{7*191}}",
    "{{ 7*191 }}",
    "${7*191}",
    "#{7*191}",
    "<%= 7*191 %>",
    "{% print(7*191) %}",
    "{{constructor.constructor('{js}')()}}",
    "[[${7*191}]]",
)
TEMPLATE_RESULT = "1337"


@dataclass(frozen=True)
class Vector:
    n: int
    context: str
    payload: str

    @property
    def label(self) -> str:
        return f"xv{self.n}"


def _script(n: int) -> str:
    # both: __xss where the test's binding exists, a dialog in frames it cannot reach
    return f"__xss({n})" if n % 2 else f"alert({n})"


def fill(template: str, n: int) -> str:
    js = _script(n)
    b64 = base64.b64encode(f"<script>{js}</script>".encode()).decode()
    return template.replace("{js}", js).replace("{n}", str(n)).replace("{b64}", b64)


class Numbering:
    def __init__(self) -> None:
        self.vectors: list[Vector] = []

    def make(self, context: str, template: str) -> Vector:
        n = len(self.vectors) + 1
        vector = Vector(n, context, fill(template, n))
        self.vectors.append(vector)
        return vector


TEXT_CONTEXTS = ("title", "sapo", "body", "author", "source", "category")


def jsonl_records(numbers: Numbering) -> list[dict[str, object]]:
    """One JSONL article per markup template: the vector in every text field, URLs too."""
    records = []
    texts = MARKUP + TEMPLATES
    for i, template in enumerate(texts):
        v = {c: numbers.make(f"jsonl {c}", template) for c in TEXT_CONTEXTS}
        url = f"https://bao-thu.example/bai-{i}.html"
        body = f"Đoạn mở đầu của bài thử {i}.\n{v['body'].label} {v['body'].payload}\nĐoạn cuối."
        if i < len(URLS):
            url_vector = numbers.make("jsonl url", URLS[i])
            url = url_vector.payload
            body += f"\n{url_vector.label} là địa chỉ của bài."
        records.append(
            {
                "id": f"xss-{i}",
                "url": url,
                "title": f"{v['title'].label} {v['title'].payload} bài thử {i}",
                "sapo": f"{v['sapo'].label} {v['sapo'].payload} tóm tắt {i}.",
                "body": body,
                "author": f"{v['author'].label} {v['author'].payload}",
                "source": f"{v['source'].label} {v['source'].payload}",
                "category": f"{v['category'].label} {v['category'].payload}",
            }
        )
    return records


def _page(i: int, numbers: Numbering, template: str) -> str:
    """A saved article page with the vector in every place a page can carry it."""
    t, d, a, k, body, cap, cred, ld = (
        numbers.make(f"page {c}", template)
        for c in ("title", "description", "author", "keywords", "body", "caption", "credit", "ld")
    )
    url = numbers.make("page url", URLS[i % len(URLS)])
    src = numbers.make("page img", URLS[(i + 3) % len(URLS)])
    ld_json = json.dumps(
        {"@type": "NewsArticle", "headline": f"{ld.label} {ld.payload}"}, ensure_ascii=False
    ).replace("</", "<\\/")
    return f"""<!doctype html><html lang="vi"><head><meta charset="utf-8">
<title>{escape(t.label + " " + t.payload)} trang thử {i}</title>
<meta property="og:title" content="{escape(t.label + " " + t.payload)} trang thử {i}">
<meta name="description" content="{escape(d.label + " " + d.payload)}">
<meta name="author" content="{escape(a.label + " " + a.payload)}">
<meta name="keywords" content="{escape(k.label + " " + k.payload)}, thử nghiệm">
<meta property="og:image" content="{escape(src.payload)}">
<link rel="canonical" href="https://trang-thu.example/the-gioi/trang-{i}.html">
<script type="application/ld+json">{ld_json}</script>
</head><body><article>
<h1>{escape(t.label + " " + t.payload)} trang thử {i}</h1>
<p class="description">{escape(d.label + " " + d.payload)}</p>
<div class="content">
<p>Bài thử số {i} kể chuyện một ngày ở phố cổ, {body.label} {body.payload} và người dân.</p>
<p>Đường dẫn {url.label} <a href="{escape(url.payload)}">tới trang gốc</a> của bài viết.</p>
<figure><img src="{escape(src.payload)}" srcset="{escape(src.payload)} 2x" width="600"
 height="400" alt="{escape(cap.payload)}"><figcaption>{cap.label} {cap.payload} chú thích
 {src.label}. Ảnh: {cred.label} {cred.payload}</figcaption></figure>
<p>Câu cuối của bài thử số {i} nói về thời tiết ấm áp và những con phố đông người.</p>
<p class="author">{escape(a.label + " " + a.payload)}</p>
</div></article></body></html>"""


def write_pages(folder: Path, numbers: Numbering) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    for i, template in enumerate(MARKUP + TEMPLATES):
        (folder / f"trang-{i:03d}.html").write_text(_page(i, numbers, template))
    return folder


def reflected(numbers: Numbering) -> list[Vector]:
    """Vectors for the query string of the search page (reflected, never stored)."""
    return [numbers.make("search query", t) for t in MARKUP[::3] + TEMPLATES[:3]]
