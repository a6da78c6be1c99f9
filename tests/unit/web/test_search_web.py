"""Search as readers reach it: /tim-kiem, /api/v1/search and /api/v1/suggest."""

from __future__ import annotations

from pathlib import Path

import pytest
from starlette.testclient import TestClient

from diemtin.pipeline.importing import Importer
from diemtin.pipeline.setup import open_store
from diemtin.search import index_pending
from diemtin.settings import Settings
from diemtin.web.app import create_app
from tests.support.archives import write_jsonl

ARTICLES = [
    {
        "id": "1",
        "url": "https://a.vn/1",
        "title": "Bộ trưởng Quốc phòng thăm đơn vị",
        "sapo": "Chuyến thăm đầu năm.",
        "body": "Bộ trưởng gặp cán bộ chiến sĩ.",
        "published": "2025-10-01T08:00:00+07:00",
        "category": "Thời sự",
    },
    {
        "id": "2",
        "url": "https://a.vn/2",
        "title": "Quy hoạch đô thị Hà Nội",
        "sapo": "Đô thị vệ tinh.",
        "body": "Thành phố lấy ý kiến về quy hoạch.",
        "published": "2025-10-02T08:00:00+07:00",
        "category": "Thời sự",
    },
    {
        "id": "3",
        "url": "https://a.vn/3",
        "title": "Đội tuyển thắng <b>đậm</b>",
        "sapo": "Trận đấu tối qua.",
        "body": "Đội tuyển ghi ba bàn.",
        "published": "2025-10-03T08:00:00+07:00",
        "category": "Thể thao",
    },
]


@pytest.fixture
def client(database_url: str, tmp_path: Path) -> TestClient:
    settings = Settings(
        database_url=database_url, builtin_sources=False, base_url="https://diemtin.example"
    )
    db = open_store(settings)
    Importer(db, []).run(write_jsonl(tmp_path / "a.jsonl", ARTICLES))  # type: ignore[arg-type]
    with db.write() as conn:
        index_pending(conn, db.dialect.name)
    return TestClient(create_app(db, settings))


@pytest.mark.parametrize("query", ["bo truong quoc phong", "Bộ trưởng Quốc phòng", "bộ truởng"])
def test_accentless_and_misplaced_tone_queries_find_the_article(
    client: TestClient, query: str
) -> None:
    found = client.get("/api/v1/search", params={"q": query}).json()
    assert found["articles"][0]["title"] == "Bộ trưởng Quốc phòng thăm đơn vị"
    listing = client.get("/api/v1/articles").json()["articles"]
    assert set(found["articles"][0]) == set(listing[0])  # the same article objects


def test_filters_and_the_search_page(client: TestClient) -> None:
    assert client.get("/api/v1/search?q=do+thi").json()["articles"][0]["source_url"].endswith("/2")
    assert client.get("/api/v1/search?q=do+thi&category=the-thao").json()["articles"] == []
    page = client.get("/tim-kiem?q=doi+tuyen")
    assert page.status_code == 200 and "<mark>" in page.text
    assert "<b>đậm</b>" not in page.text  # titles are escaped; only <mark> is ours
    empty = client.get("/tim-kiem?q=%21%21%21")
    assert empty.status_code == 200 and "kết quả" not in empty.text


def test_suggestions_as_you_type(client: TestClient) -> None:
    titles = client.get("/api/v1/suggest?q=quy+hoa").json()["suggestions"]
    assert titles == ["Quy hoạch đô thị Hà Nội"]


@pytest.mark.parametrize(
    "query",
    [
        '"',
        "*",
        "NEAR",
        "a OR b",
        "((x",
        "'; DROP TABLE articles; --",
        "\x00\x01\x02",
        "",
        "AND NOT",
        "x" * 400,
    ],
)
def test_hostile_queries_are_answered_normally(client: TestClient, query: str) -> None:
    for path in ("/api/v1/search", "/tim-kiem", "/api/v1/suggest"):
        response = client.get(path, params={"q": query})
        assert response.status_code in (200, 400), (path, query)
    assert client.get("/api/v1/articles").json()["articles"]  # nothing was dropped


@pytest.mark.parametrize(
    "params",
    [
        {"q": "x" * 20_000},
        {"q": "a", "page": "0"},
        {"q": "a", "from": "hôm qua"},
        {"q": "a", "category": "../"},
        {"q": "a", "page": "11"},  # past the ranked candidates: refused, not a 500
        {"q": "a", "per_page": "100", "page": "3"},
    ],
)
def test_malformed_parameters_are_400(client: TestClient, params: dict[str, str]) -> None:
    assert client.get("/api/v1/search", params=params).status_code == 400
    assert client.get("/tim-kiem", params=params).status_code == 400


def test_the_to_date_takes_in_the_whole_day(client: TestClient) -> None:
    # article 2 was published at 08:00 on 2025-10-02, Vietnam time
    found = client.get("/api/v1/search?q=do+thi&from=2025-10-02&to=2025-10-02").json()
    assert [a["source_url"] for a in found["articles"]] == ["https://a.vn/2"]
    before = client.get("/api/v1/search?q=do+thi&to=2025-10-01").json()
    assert before["articles"] == []


def test_the_last_allowed_page_is_answered(client: TestClient) -> None:
    assert client.get("/api/v1/search?q=do+thi&page=10").status_code == 200
    assert client.get("/tim-kiem?q=do+thi&page=10").status_code == 200
