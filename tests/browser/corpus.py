"""The browser tier's site content, written here (never text from ../shared/data).

Enough recent articles that every sidebar of the article page can fill: eight
categories, six publishers, published over the last hours (so the sidebars'
time windows hold them). Three saved pages of one publisher add what a JSONL
line cannot carry: figures with captions and credits, a video, inline links.
"""

from __future__ import annotations

import json
import random
from datetime import datetime, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

VIETNAM = ZoneInfo("Asia/Ho_Chi_Minh")
CATEGORIES = (
    "the-gioi",
    "tin-noi-bat",
    "phap-luat",
    "suc-khoe",
    "netizen",
    "la-vui",
    "sao-viet",
    "sao-chau-a",
)
CATEGORY_NAMES = (
    "Thế giới",
    "Tin nổi bật",
    "Pháp luật",
    "Sức khỏe",
    "Netizen",
    "Lạ vui",
    "Sao việt",
    "Sao châu á",
)
SOURCES = ("Tin Nhanh", "Thời Báo Số", "Nhật Báo Phố", "Tạp Chí Xanh", "Bản Tin Sáng", "Báo Gió")
PLACES = ("Hà Nội", "Đà Nẵng", "Huế", "Cần Thơ", "Hải Phòng", "Nha Trang", "Vũng Tàu", "Sa Pa")
TOPICS = (
    "lễ hội mùa xuân",
    "giá xăng dầu",
    "mùa thi tốt nghiệp",
    "tuyến metro mới",
    "dịch sốt xuất huyết",
    "giải bóng đá trẻ",
    "thị trường vàng",
    "mưa bão miền Trung",
    "chợ nông sản",
    "phim chiếu rạp",
    "ca sĩ trẻ",
)
PER_CATEGORY = 16
MAIN_TITLE = "Thủ đô Hà Nội mở lại phố đi bộ quanh hồ Hoàn Kiếm sau đợt tu sửa"
SEQUEL_TITLE = "Phố đi bộ hồ Hoàn Kiếm đón hàng nghìn lượt khách trong tối mở lại"
VIDEO_TITLE = "Video: màn pháo hoa rực rỡ trên sông Hàn đêm khai mạc lễ hội"
PAGE_TITLES = frozenset({MAIN_TITLE, SEQUEL_TITLE, VIDEO_TITLE})
MAIN_CATEGORY = "the-gioi"  # the saved pages' section, see sources_toml()
PUBLISHER_NAME = "Báo Mẫu"
PUBLISHER_HOST = "https://baomau.example"


def _iso(when: datetime) -> str:
    return when.astimezone(VIETNAM).isoformat(timespec="seconds")


# Syllables for bodies: each article draws its own words from hundreds, so no two
# read alike and story grouping keeps them apart (sidebars show one item per story).
ONSETS = ("b", "c", "d", "đ", "g", "h", "kh", "l", "m", "n", "ng", "nh", "ph", "qu", "s", "t")
RHYMES = ("a", "ai", "am", "an", "ang", "ao", "ân", "âu", "e", "em", "ên", "i", "inh", "o")
RHYMES += ("oa", "ong", "ô", "ôi", "ông", "ơ", "ơn", "u", "uy", "ư", "ươi", "ương", "yên")


def _words(rng: random.Random, n: int) -> str:
    return " ".join(rng.choice(ONSETS) + rng.choice(RHYMES) for _ in range(n))


def records(now: datetime) -> list[dict[str, object]]:
    """One JSONL record per article: every category gets PER_CATEGORY, newest first."""
    out: list[dict[str, object]] = []
    for i in range(PER_CATEGORY * len(CATEGORIES)):
        rng = random.Random(i)
        place = PLACES[(i // len(CATEGORIES) + i) % len(PLACES)]
        topic = TOPICS[(i // len(CATEGORIES) + i) % len(TOPICS)]
        body = "\n".join(
            f"{_words(rng, 3).capitalize()} ở {place}: {_words(rng, 10)}, {_words(rng, 8)}."
            for _ in range(4)
        )
        out.append(
            {
                "id": f"trinh-duyet-{i}",
                "url": f"https://tin{i % len(SOURCES)}.example/bai-{i}.html",
                "title": f"Bản tin số {i}: {_words(rng, 3)} và {topic} ở {place}",
                "sapo": f"Tóm tắt {_words(rng, 8)}.",
                "body": body,
                "category": CATEGORIES[i % len(CATEGORIES)],
                "source": SOURCES[i % len(SOURCES)],
                "published": _iso(now - timedelta(minutes=11 + 7 * i)),
            }
        )
    return out


def write_jsonl(path: Path, now: datetime) -> Path:
    path.write_text("".join(json.dumps(r, ensure_ascii=False) + "\n" for r in records(now)))
    return path


def sources_toml() -> str:
    """Our publisher for the saved pages: its /the-gioi/ section decides their category."""
    return f"""[[publishers]]
slug = "bao-mau"
name = "{PUBLISHER_NAME}"
homepage = "{PUBLISHER_HOST}/"
feeds = [{{ url = "{PUBLISHER_HOST}/rss/the-gioi.rss", category = "the-gioi" }}]

[publishers.sections]
"/the-gioi/" = "the-gioi"
"""


def _page(*, slug: str, title: str, sapo: str, body: str, published: datetime) -> str:
    return f"""<!doctype html><html lang="vi"><head><meta charset="utf-8">
<title>{title} - {PUBLISHER_NAME}</title>
<link rel="canonical" href="{PUBLISHER_HOST}/the-gioi/{slug}.html">
<meta property="article:published_time" content="{_iso(published)}">
<meta name="description" content="{sapo}">
<meta name="keywords" content="phố đi bộ, Hoàn Kiếm">
</head><body><header><nav><a href="/">Trang chủ</a></nav></header>
<main><article>
<h1 class="title-detail">{title}</h1>
<p class="description">{sapo}</p>
<article class="fck_detail">{body}
<p class="author"><strong>Lê Phương</strong></p>
</article></article></main>
<footer><p>© {PUBLISHER_NAME}.</p></footer></body></html>"""


def _figure(n: int, caption: str, credit: str) -> str:
    return (
        f'<figure><img src="{PUBLISHER_HOST}/img/{n}.jpg" width="680" height="408" alt="">'
        f"<figcaption><p>{caption} {credit}</p></figcaption></figure>"
    )


MAIN_PARAGRAPHS = (
    # links inside the text: stripping them must keep words apart and punctuation tight
    '<p>Sau ba tháng tu sửa, người dân đã được tiêm <a href="/vac">vaccine</a> và '
    'xếp hàng dạo quanh hồ từ sáng sớm, nhiều người xem phim <a href="/p">Anora</a>. '
    "Ban quản lý cho biết mỗi tối cuối tuần có hàng trăm nghệ sĩ biểu diễn.</p>",
    "<p>Các gian hàng được bố trí lại theo khu, mỗi khu có lối thoát riêng để bảo đảm an toàn "
    "khi đông người; trẻ em học phép cộng 2+2 ngay bên bờ hồ.</p>",
    "<p>Một bác sĩ nghiên cứu hội chứng Sjögren cũng có mặt để tư vấn miễn phí cho người cao "
    "tuổi, theo chương trình của thành phố.</p>",
    "<p>Thành phố dự kiến đánh giá lại sau sáu tháng để quyết định có mở rộng không gian đi bộ "
    "sang các tuyến phố lân cận hay không.</p>",
)


def write_pages(folder: Path, now: datetime) -> Path:
    """Three saved pages of Báo Mẫu: the main article, its follow-up, a video report."""
    folder.mkdir(parents=True, exist_ok=True)
    main_body = (
        MAIN_PARAGRAPHS[0]
        + _figure(1, "Người dân dạo bộ quanh hồ Hoàn Kiếm tối thứ bảy.", "Ảnh: Ngọc Thành")
        + MAIN_PARAGRAPHS[1]
        + _figure(2, "Nghệ sĩ đường phố biểu diễn bên tháp Rùa.", "Ảnh minh hoạ: TTXVN")
        + "".join(MAIN_PARAGRAPHS[2:])
    )
    (folder / "a-main.html").write_text(
        _page(
            slug="pho-di-bo-mo-lai",
            title=MAIN_TITLE,
            sapo="Phố đi bộ quanh hồ Hoàn Kiếm mở lại từ tối nay với nhiều hoạt động văn hóa mới.",
            body=main_body,
            published=now - timedelta(minutes=3),
        )
    )
    sequel = (
        "<p>Tối mở lại, phố đi bộ quanh hồ Hoàn Kiếm đón hàng nghìn lượt khách, nhiều gia đình "
        "đưa trẻ em đi xem biểu diễn nghệ thuật đường phố.</p>"
        + _figure(3, "Khách du lịch chụp ảnh bên hồ Hoàn Kiếm.", "Ảnh: Minh Đức")
        + "<p>Ban quản lý phố đi bộ Hoàn Kiếm bố trí thêm lực lượng giữ trật tự và điểm gửi xe "
        "quanh khu vực hồ.</p>"
    )
    (folder / "b-sequel.html").write_text(
        _page(
            slug="pho-di-bo-don-khach",
            title=SEQUEL_TITLE,
            sapo="Phố đi bộ hồ Hoàn Kiếm mở lại, hàng nghìn người dân và du khách đổ về.",
            body=sequel,
            published=now - timedelta(minutes=6),
        )
    )
    video = (
        "<p>Màn pháo hoa kéo dài mười lăm phút trên sông Hàn thu hút đông đảo người xem.</p>"
        f'<figure><video src="{PUBLISHER_HOST}/video/phao-hoa.mp4" controls></video>'
        "<figcaption>Pháo hoa trên sông Hàn.</figcaption></figure>"
        "<p>Lễ hội kéo dài đến cuối tháng với nhiều đội trình diễn quốc tế.</p>"
    )
    (folder / "c-video.html").write_text(
        _page(
            slug="video-phao-hoa-song-han",
            title=VIDEO_TITLE,
            sapo="Đà Nẵng khai mạc lễ hội pháo hoa với màn trình diễn trên sông Hàn.",
            body=video,
            published=now - timedelta(minutes=9),
        )
    )
    return folder
