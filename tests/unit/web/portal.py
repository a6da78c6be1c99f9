"""A small portal for the page tests: 40 articles ten minutes apart in three categories
and two sources, one rich body (figures, video, links), a story, tags and one removal."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from sqlalchemy import text

from diemtin.model import Block, BlockKind, Figure
from diemtin.pipeline.importing import Importer
from diemtin.pipeline.setup import open_store
from diemtin.settings import Settings
from diemtin.store.codec import blocks_to_json
from diemtin.store.db import Database
from tests.support.archives import article_record, write_jsonl
from tests.support.newsroom import epoch

NOW = epoch("2025-10-08 12:00")
COUNT = 40
CATEGORIES = ("Thế giới", "Thể thao", "Sức khỏe")
SOURCES = ("Báo Khác", "Báo Mẫu", "Báo Ba", "Báo Tư", "Báo Năm")  # hot caps each publisher

RICH = [
    Block(BlockKind.PARAGRAPH, text="Đoạn một của bài."),
    Block(
        BlockKind.PARAGRAPH,
        text="Đoạn hai có liên kết tới nguồn.",
        html='Đoạn hai có <a href="https://example.vn/x">liên kết</a> tới nguồn.',
    ),
    Block(BlockKind.PARAGRAPH, text="Giá 2<3 và <b>không in đậm</b>, vaccine và Sjögren."),
    Block(
        BlockKind.FIGURE,
        figure=Figure("https://example.vn/a.jpg", "Người dân xếp hàng", "Ảnh: TTXVN", 800, 450),
    ),
    Block(BlockKind.PARAGRAPH, text="Đoạn sau ảnh thứ nhất."),
    Block(BlockKind.VIDEO, src="https://example.vn/video/1"),
    Block(BlockKind.HEADING, text="Tiêu đề phụ", level=2),
    Block(BlockKind.FIGURE, figure=Figure("https://example.vn/b.jpg", "", "Ảnh minh hoạ: TASS")),
    Block(BlockKind.QUOTE, text="Một câu trích dẫn."),
    Block(BlockKind.LIST, items=("Ý một", "Ý hai")),
]


@dataclass
class Portal:
    db: Database
    settings: Settings
    ids: dict[int, int]  # record number -> article id
    tmp: Path

    def sql(self, statement: str, **params: object) -> None:
        with self.db.write() as conn:
            conn.execute(text(statement), params)

    def add(self, record: int, **extra: object) -> int:
        """Imports one more article, as the pipeline would; its id."""
        path = write_jsonl(self.tmp / f"more-{record}.jsonl", [article_record(record, **extra)])
        Importer(self.db, [], group_stories=False).run(path)
        with self.db.read() as conn:
            found = conn.execute(
                text("SELECT id FROM articles WHERE url = :u"),
                {"u": f"https://example.vn/tin-tuc/bai-{record}.html"},
            ).scalar_one()
        return int(found)


def build(tmp: Path, database_url: str = "", **overrides: object) -> Portal:
    settings = Settings(
        database_url=database_url or f"sqlite:///{tmp / 'portal.db'}",
        builtin_sources=False,
        base_url="https://diemtin.example",
        follow_facebook="https://facebook.com/diemtin",
        **overrides,  # type: ignore[arg-type]
    )
    db = open_store(settings)
    records = [
        article_record(i, category=CATEGORIES[i % 3], source=SOURCES[i % 5]) for i in range(COUNT)
    ]
    Importer(db, [], group_stories=False).run(write_jsonl(tmp / "portal.jsonl", records))
    with db.read() as conn:
        rows = conn.execute(text("SELECT id, url FROM articles")).all()
    by_url = {url: article_id for article_id, url in rows}
    ids = {i: by_url[f"https://example.vn/tin-tuc/bai-{i}.html"] for i in range(COUNT)}
    portal = Portal(db, settings, ids, tmp)
    hour = NOW // 3600 * 3600 - 3600
    for i, article_id in ids.items():  # newest first: record 0 ten minutes before NOW
        portal.sql(
            "UPDATE articles SET published_at = :t WHERE id = :id",
            t=NOW - 600 * (i + 1),
            id=article_id,
        )
        portal.sql(  # readers came: the most read sidebars have something to rank
            "INSERT INTO view_counts (article_id, bucket, views) VALUES (:a, :b, :n)",
            a=article_id,
            b=hour,
            n=100 - i,
        )
    portal.sql("UPDATE articles SET body = :b WHERE id = :id", b=blocks_to_json(RICH), id=ids[0])
    video = [Block(BlockKind.PARAGRAPH, text="Có video."), Block(BlockKind.VIDEO, src="https://v")]
    portal.sql("UPDATE articles SET body = :b WHERE id = :id", b=blocks_to_json(video), id=ids[1])
    with db.write() as conn:
        story = conn.execute(
            text(
                "INSERT INTO stories (title, article_count, created_at) VALUES ('', 3, 0)"
                " RETURNING id"
            )
        ).scalar_one()
        for record in (0, 3, 6):
            conn.execute(
                text("UPDATE articles SET story_id = :s WHERE id = :id"),
                {"s": story, "id": ids[record]},
            )
        for record in (0, 2):
            conn.execute(
                text("INSERT INTO article_tags (article_id, tag) VALUES (:a, 'Hà Nội')"),
                {"a": ids[record]},
            )
    portal.sql("UPDATE articles SET status = 'removed' WHERE id = :id", id=ids[39])
    portal.sql("UPDATE articles SET status = 'hidden' WHERE id = :id", id=ids[38])
    return portal
