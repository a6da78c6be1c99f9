"""A small store of imported articles for the web tests that look at the site from outside
(feeds, sitemaps, head tags, the API), with direct edits for what imports cannot set."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import Any

from sqlalchemy import text

from diemtin.pipeline.importing import Importer
from diemtin.pipeline.setup import open_store
from diemtin.settings import Settings
from diemtin.store.db import Database
from diemtin.timefmt import VIETNAM
from tests.support.archives import article_record, write_jsonl

BASE = "https://diemtin.example"


def epoch(text_time: str) -> int:
    """A Vietnam wall-clock time such as ``2025-10-08 12:00`` as epoch seconds."""
    return int(datetime.fromisoformat(text_time).replace(tzinfo=VIETNAM).timestamp())


@dataclass
class Newsroom:
    db: Database
    settings: Settings
    ids: dict[int, int]  # record number -> article id

    def set(self, record: int, **columns: Any) -> None:
        sets = ", ".join(f"{k} = :{k}" for k in columns)
        with self.db.write() as conn:
            conn.execute(
                text(f"UPDATE articles SET {sets} WHERE id = :id"),
                {**columns, "id": self.ids[record]},
            )

    def story(self, members: list[int], title: str = "") -> int:
        """A story holding the given records; its id. Its last_updated_at is the member
        count, so bigger stories list first."""
        with self.db.write() as conn:
            story_id = conn.execute(
                text(
                    "INSERT INTO stories (title, article_count, last_updated_at, created_at)"
                    " VALUES (:t, :n, :u, 0) RETURNING id"
                ),
                {"t": title, "n": len(members), "u": len(members)},
            ).scalar_one()
            for record in members:
                conn.execute(
                    text("UPDATE articles SET story_id = :s WHERE id = :id"),
                    {"s": story_id, "id": self.ids[record]},
                )
        return int(story_id)


def newsroom(database_url: str, tmp_path: Path, count: int = 8) -> Newsroom:
    """``count`` articles, odd ones in Thế giới and even ones in Thể thao, one per day
    from 01/10/2025 at 08:0N Vietnam time."""
    settings = Settings(database_url=database_url, builtin_sources=False, base_url=BASE)
    db = open_store(settings)
    records = [
        article_record(i, category="Thế giới" if i % 2 else "Thể thao", source="Báo Mẫu")
        for i in range(count)
    ]
    Importer(db, [], group_stories=False).run(write_jsonl(tmp_path / "news.jsonl", records))
    with db.read() as conn:
        rows = conn.execute(text("SELECT id, url FROM articles")).all()
    by_url = {url: article_id for article_id, url in rows}
    ids = {i: by_url[f"https://example.vn/tin-tuc/bai-{i}.html"] for i in range(count)}
    return Newsroom(db, settings, ids)
