"""Small archives written by the tests themselves (never text from ../shared/data)."""

from __future__ import annotations

import gzip
import json
from pathlib import Path

WORDS = (
    "Hà Nội",
    "thành phố",
    "người dân",
    "giao thông",
    "Bộ Y tế",
    "học sinh",
    "mưa lớn",
    "kinh tế",
    "xuất khẩu",
    "bóng đá",
    "đội tuyển",
    "bệnh viện",
    "công nghệ",
    "nông dân",
)


def article_record(i: int, **extra: object) -> dict[str, object]:
    """A distinct, plausible Vietnamese article; ``i`` makes it unique."""
    w = WORDS
    body = " ".join(
        f"Câu {j} về {w[(i + j) % len(w)]} và {w[(i * 3 + j) % len(w)]} số {i}." for j in range(12)
    )
    record: dict[str, object] = {
        "id": f"rec-{i}",
        "url": f"https://example.vn/tin-tuc/bai-{i}.html",
        "title": f"Tin số {i}: {w[i % len(w)]} và {w[(i + 5) % len(w)]}",
        "sapo": f"Tóm tắt bài {i} về {w[(i + 2) % len(w)]}.",
        "body": body,
        "published": f"2025-10-{1 + i % 28:02d}T08:{i % 60:02d}:00+07:00",
    }
    record.update(extra)
    return record


def write_jsonl(
    path: Path, records: list[dict[str, object]], *, extra_lines: list[str] = ()
) -> Path:
    lines = [json.dumps(r, ensure_ascii=False) for r in records] + list(extra_lines)
    data = ("\n".join(lines) + "\n").encode("utf-8")
    if path.suffix == ".gz":
        path.write_bytes(gzip.compress(data))
    else:
        path.write_bytes(data)
    return path
