"""The JSON API in process: article objects, paging newest first, filters, bad input."""

from __future__ import annotations

from pathlib import Path

import pytest
from starlette.testclient import TestClient

from diemtin.pipeline.importing import Importer
from diemtin.pipeline.setup import open_store
from diemtin.settings import Settings
from diemtin.web.app import create_app
from tests.support.archives import article_record, write_jsonl


@pytest.fixture
def client(database_url: str, tmp_path: Path) -> TestClient:
    settings = Settings(
        database_url=database_url, builtin_sources=False, base_url="https://diemtin.example"
    )
    db = open_store(settings)
    records = [
        article_record(
            i,
            category="Thế giới" if i % 2 else "Thể thao",
            source="Báo Mẫu" if i < 5 else "Báo Khác",
        )
        for i in range(7)
    ]
    Importer(db, []).run(write_jsonl(tmp_path / "a.jsonl", records))
    return TestClient(create_app(db, settings))


def test_articles_newest_first_with_the_full_object(client: TestClient) -> None:
    body = client.get("/api/v1/articles?per_page=3").json()
    first = body["articles"][0]
    assert set(first) >= {
        "id",
        "title",
        "sapo",
        "url",
        "source_url",
        "source",
        "category",
        "published_at",
        "story_id",
    }
    assert first["url"] == f"https://diemtin.example/a/{first['id']}"
    assert first["source_url"].startswith("https://example.vn/tin-tuc/")
    assert first["published_at"].endswith("+07:00")
    times = [a["published_at"] for a in body["articles"]]
    assert times == sorted(times, reverse=True)
    assert "page=2" in body["next"]
    page2 = client.get(body["next"].replace("https://diemtin.example", "")).json()
    assert not {a["id"] for a in page2["articles"]} & {a["id"] for a in body["articles"]}


def test_filters_by_category_and_source(client: TestClient) -> None:
    world = client.get("/api/v1/articles?category=the-gioi&per_page=100").json()["articles"]
    assert len(world) == 3 and all(a["category"]["slug"] == "the-gioi" for a in world)
    other = client.get("/api/v1/articles?source=bao-khac").json()["articles"]
    assert len(other) == 2 and all(a["source"]["name"] == "Báo Khác" for a in other)
    one = client.get(f"/api/v1/articles/{world[0]['id']}").json()
    assert one == world[0]


@pytest.mark.parametrize(
    "query",
    [
        "page=0",
        "page=abc",
        "per_page=1000",
        "per_page=-1",
        "page=99999999999999999999",
        "category=%27%3B%20DROP%20TABLE%20articles",
        "source=" + "x" * 500,
        "story=1e9",
    ],
)
def test_malformed_query_strings_are_400_never_500(client: TestClient, query: str) -> None:
    response = client.get(f"/api/v1/articles?{query}")
    assert response.status_code == 400 and response.json()["error"]


def test_unknown_articles_are_404(client: TestClient) -> None:
    assert client.get("/api/v1/articles/999999").status_code == 404
    assert client.get("/api/v1/articles/abc").status_code == 404
    assert client.get("/api/v1/categories").json()["categories"][0]["slug"]
    assert {s["slug"] for s in client.get("/api/v1/sources").json()["sources"]} == {
        "bao-mau",
        "bao-khac",
    }
