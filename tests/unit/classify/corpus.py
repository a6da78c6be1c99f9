"""Small synthetic Vietnamese-like corpora for the classifier tests (our own words).

Each category has its own vocabulary mixed into shared filler, so a good model
separates them nearly perfectly while every text still looks like news.
"""

from __future__ import annotations

import random

TOPICS = {
    "the-thao": "bóng đá cầu thủ trận đấu huấn luyện viên bàn thắng giải vô địch sân cỏ "
    "thủ môn tiền đạo đội tuyển",
    "kinh-doanh": "doanh nghiệp cổ phiếu lãi suất ngân hàng xuất khẩu thị trường "
    "lợi nhuận nhà đầu tư giá vàng tỷ giá",
    "suc-khoe": "bệnh viện bác sĩ điều trị vắc xin bệnh nhân dinh dưỡng phẫu thuật "
    "sức khỏe thuốc men y tế",
}
FILLER = "hôm nay theo cho biết người dân năm nay tại trong khi đó cũng đã sẽ được với những"


def _words(spec: str) -> list[str]:
    # two-syllable terms stay together so bigrams carry the topic
    syllables = spec.split()
    return [" ".join(syllables[i : i + 2]) for i in range(0, len(syllables) - 1, 2)]


def texts(
    n_per_topic: int, *, seed: int = 0, topics: tuple[str, ...] = tuple(TOPICS)
) -> tuple[list[str], list[str]]:
    """``n_per_topic`` texts per topic, interleaved, with their labels."""
    rng = random.Random(seed)
    filler = FILLER.split()
    out: list[str] = []
    labels: list[str] = []
    for _ in range(n_per_topic):
        for topic in topics:
            terms = _words(TOPICS[topic])
            words = [
                rng.choice(terms) if rng.random() < 0.3 else rng.choice(filler)
                for _ in range(rng.randint(20, 60))
            ]
            out.append(" ".join(words).capitalize() + ".")
            labels.append(topic)
    return out, labels
