"""/api/v1/stories: paging, one story oldest first with its first report, hidden articles."""

from __future__ import annotations

from pathlib import Path

import pytest
from starlette.testclient import TestClient

from diemtin.web.app import create_app
from tests.support.newsroom import BASE, Newsroom, epoch, newsroom

ARTICLE_KEYS = {
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


@pytest.fixture
def room(database_url: str, tmp_path: Path) -> Newsroom:
    return newsroom(database_url, tmp_path, count=8)


@pytest.fixture
def stories(room: Newsroom) -> dict[str, int]:
    made = {
        # record 5 is the oldest of its story but hidden: the first report is record 6
        "big": room.story([5, 6, 7, 2], title="Bão số 9 đổ bộ"),
        "pair": room.story([0, 1]),
        "hidden": room.story([4]),
    }
    room.set(5, status="hidden")
    room.set(4, status="removed")
    room.set(2, published_at=epoch("2025-10-12 09:00"))  # the latest report of the big story
    return made


@pytest.fixture
def client(room: Newsroom, stories: dict[str, int]) -> TestClient:
    return TestClient(create_app(room.db, room.settings))


def test_stories_list_counts_visible_articles_and_names_the_first_report(
    client: TestClient, room: Newsroom, stories: dict[str, int]
) -> None:
    body = client.get("/api/v1/stories").json()
    listed = {s["id"]: s for s in body["stories"]}
    assert list(listed) == [stories["big"], stories["pair"]]  # latest change first
    big = listed[stories["big"]]
    assert big["title"] == "Bão số 9 đổ bộ"
    assert big["url"] == f"{BASE}/s/{stories['big']}"
    assert big["article_count"] == 3
    assert big["first_report"]["id"] == room.ids[6]
    assert big["first_published_at"] == "2025-10-07T08:06:00+07:00"
    assert big["last_updated_at"] == "2025-10-12T09:00:00+07:00"
    pair = listed[stories["pair"]]
    assert pair["title"] == pair["first_report"]["title"]  # an untitled story borrows it
    assert set(pair["first_report"]) >= ARTICLE_KEYS


def test_stories_page_through_without_repeats(
    client: TestClient, room: Newsroom, stories: dict[str, int]
) -> None:
    first = client.get("/api/v1/stories?per_page=1").json()
    assert len(first["stories"]) == 1 and "page=2" in first["next"]
    second = client.get(first["next"].removeprefix("http://testserver")).json()
    assert len(second["stories"]) == 1 and "next" not in second
    assert first["stories"][0]["id"] != second["stories"][0]["id"]
    crowded = client.get("/api/v1/stories?min_articles=3").json()["stories"]
    assert [s["id"] for s in crowded] == [stories["big"]]


def test_one_story_lists_its_articles_oldest_first(
    client: TestClient, room: Newsroom, stories: dict[str, int]
) -> None:
    body = client.get(f"/api/v1/stories/{stories['big']}").json()
    ids = [a["id"] for a in body["articles"]]
    assert ids == [room.ids[6], room.ids[7], room.ids[2]]  # hidden record 5 left out
    assert body["first_report"] == body["articles"][0]
    for article in body["articles"]:
        assert set(article) >= ARTICLE_KEYS
        assert article["story_id"] == stories["big"]
        assert article["url"] == f"{BASE}/a/{article['id']}"
        assert article["source_url"].startswith("https://example.vn/")
        assert article["source"]["slug"] == "bao-mau"
        assert article["category"]["slug"] in {"the-gioi", "the-thao"}
    assert body["article_count"] == 3


def test_story_members_also_come_through_the_articles_filter(
    client: TestClient, room: Newsroom, stories: dict[str, int]
) -> None:
    sid = stories["big"]
    listed = client.get(f"/api/v1/articles?story={sid}").json()["articles"]
    assert {a["id"] for a in listed} == {room.ids[6], room.ids[7], room.ids[2]}


def test_unknown_stories_are_404(client: TestClient) -> None:
    unknown = ("999999", "abc", "1" + "0" * 30, "%C2%B2", "%D9%A3", "-1")
    for path in [f"/api/v1/stories/{raw}" for raw in unknown] + ["/api/v1/articles/%C2%B2"]:
        response = client.get(path)
        assert response.status_code == 404 and response.json()["error"], path


def test_a_story_of_only_withdrawn_articles_is_404(
    client: TestClient, stories: dict[str, int]
) -> None:
    assert client.get(f"/api/v1/stories/{stories['hidden']}").status_code == 404


BAD_PAGING = (
    "page=0",
    "page=x",
    "per_page=101",
    "per_page=-3",
    "min_articles=0",
    "page=" + "9" * 30,
    "page=%C2%B2",  # "²" passes str.isdigit() but not int()
    "per_page=%D9%A3",  # an Arabic-Indic three
)


def test_bad_paging_is_400(client: TestClient) -> None:
    for query in BAD_PAGING:
        paths = ["/api/v1/stories"] + ([] if "min_articles" in query else ["/api/v1/articles"])
        for path in paths:
            response = client.get(f"{path}?{query}")
            assert response.status_code == 400 and response.json()["error"], (path, query)
