"""Reader signals over HTTP, in process: pages stay reader-free, the beacon and the image
count once per reader per day, the poll needs its token, and scripts count once."""

from __future__ import annotations

import asyncio
from collections import Counter
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import pytest
from sqlalchemy import text
from starlette.testclient import TestClient
from starlette.types import ASGIApp, Message

from diemtin.pipeline.importing import Importer
from diemtin.pipeline.setup import open_store
from diemtin.settings import Settings
from diemtin.store import signals
from diemtin.store.db import Database
from diemtin.web.app import create_app
from tests.support.archives import article_record, write_jsonl

NOW = 1_761_600_000
UA = {"user-agent": "Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 Chrome/131.0 Safari/537.36"}


class Clock:
    def __init__(self) -> None:
        self.now = float(NOW)

    def __call__(self) -> float:
        return self.now


@pytest.fixture
def site(tmp_path: Path) -> tuple[TestClient, Database, Clock]:
    settings = Settings(
        database_url=f"sqlite:///{tmp_path / 'site.db'}",
        builtin_sources=False,
        vote_rate_per_client=5,
        view_readers_per_client=3,
        trusted_proxies=("10.9.0.0/16",),
    )
    db = open_store(settings)
    records = [article_record(i, category="Thế giới" if i % 2 else "Thể thao") for i in range(8)]
    Importer(db, []).run(write_jsonl(tmp_path / "a.jsonl", records))
    clock = Clock()
    client = TestClient(create_app(db, settings, clock=clock), base_url="https://diemtin.example")
    return client, db, clock


def views(db: Database, article_id: int = 1) -> int:
    with db.read() as conn:
        return signals.total_views(conn, article_id)


def votes(db: Database, article_id: int = 1) -> tuple[int, int]:
    with db.read() as conn:
        p = signals.poll(conn, article_id, None)
    return p.helpful, p.unhelpful


def test_the_page_is_the_same_for_everyone_and_sets_no_cookie(site: tuple) -> None:  # type: ignore[type-arg]
    client, _, _ = site
    page = client.get("/a/1", headers=UA)
    assert page.status_code == 200 and "set-cookie" not in page.headers
    assert 'data-engage="1"' in page.text and 'data-poll="1"' in page.text
    assert '<noscript><img src="/v/1.gif"' in page.text
    assert "Bạn thấy bài viết này có hữu ích không?" in page.text
    client.cookies.set("dt_reader", "whatever")
    assert client.get("/a/1", headers=UA).text == page.text


def test_the_beacon_sets_a_reader_cookie_and_counts_once_a_day(site: tuple) -> None:  # type: ignore[type-arg]
    client, db, clock = site
    first = client.post("/api/v1/articles/1/view", headers=UA)
    assert first.status_code == 204
    cookie = first.headers["set-cookie"]
    assert "HttpOnly" in cookie and "SameSite=lax" in cookie and "Secure" in cookie
    for _ in range(3):  # the browser keeps its cookie: the same reader
        assert client.post("/api/v1/articles/1/view", headers=UA).status_code == 204
    assert views(db) == 1
    clock.now += 86400  # the next Vietnam day
    client.post("/api/v1/articles/1/view", headers=UA)
    assert views(db) == 2


def test_the_no_script_image_counts_the_same_way(site: tuple) -> None:  # type: ignore[type-arg]
    client, db, _ = site
    image = client.get("/v/2.gif", headers=UA)
    assert image.status_code == 200 and image.headers["content-type"] == "image/gif"
    assert image.headers["cache-control"] == "private, no-store"
    client.get("/v/2.gif", headers=UA)
    assert views(db, 2) == 1


def test_bots_are_not_counted_and_unknown_articles_are_refused(site: tuple) -> None:  # type: ignore[type-arg]
    client, db, _ = site
    bot = {"user-agent": "Mozilla/5.0 (compatible; Googlebot/2.1; +http://www.google.com/bot.html)"}
    client.post("/api/v1/articles/1/view", headers=bot)
    client.get("/v/1.gif", headers={"user-agent": "HeadlessChrome/120"})
    assert views(db) == 0
    client.post("/api/v1/articles/999/view", headers=UA)
    assert client.get("/api/v1/articles/999/poll").status_code == 404
    assert client.get("/api/v1/articles/abc/why").status_code == 404


def test_a_vote_needs_the_reader_cookie_and_its_token(site: tuple) -> None:  # type: ignore[type-arg]
    client, db, _ = site
    assert client.post("/api/v1/articles/1/vote", json={"helpful": True}).status_code == 403
    state = client.get("/api/v1/articles/1/poll", headers=UA).json()
    assert state["mine"] is None and state["share"] is None
    token = {"x-csrf-token": state["token"]}
    assert (
        client.post("/api/v1/articles/2/vote", json={"helpful": True}, headers=token).status_code
        == 403
    )
    # one hex digit changed (to another: a token may already end in "0")
    last = state["token"][-1]
    bad = {"x-csrf-token": state["token"][:-1] + ("1" if last == "0" else "0")}
    assert (
        client.post("/api/v1/articles/1/vote", json={"helpful": True}, headers=bad).status_code
        == 403
    )
    assert votes(db) == (0, 0)
    voted = client.post("/api/v1/articles/1/vote", json={"helpful": True}, headers=token)
    assert voted.json() == {"helpful": 1, "unhelpful": 0, "share": 1.0, "mine": True}
    changed = client.post("/api/v1/articles/1/vote", json={"helpful": False}, headers=token)
    assert changed.json()["mine"] is False and votes(db) == (0, 1)
    assert client.post("/api/v1/articles/1/vote", content=b"yes", headers=token).status_code == 400


def test_votes_are_rate_limited_per_client(site: tuple) -> None:  # type: ignore[type-arg]
    client, _, _ = site
    token = {"x-csrf-token": client.get("/api/v1/articles/1/poll").json()["token"]}
    codes = [
        client.post("/api/v1/articles/1/vote", json={"helpful": True}, headers=token).status_code
        for _ in range(7)
    ]
    assert codes == [200] * 5 + [429] * 2


async def _call(app: ASGIApp, method: str, path: str, headers: dict[str, str], body: bytes) -> int:
    """One request straight into the ASGI app (TestClient's threads cost 5 ms a request)."""
    scope = {
        "type": "http",
        "http_version": "1.1",
        "method": method,
        "scheme": "https",
        "path": path,
        "raw_path": path.encode(),
        "query_string": b"",
        "root_path": "",
        "headers": [(k.lower().encode(), v.encode()) for k, v in headers.items()],
        "client": ("192.0.2.10", 40000),
        "server": ("diemtin.example", 443),
    }
    sent: list[Message] = []

    async def receive() -> Message:
        return {"type": "http.request", "body": body, "more_body": False}

    async def send(message: Message) -> None:
        sent.append(message)

    await app(scope, receive, send)
    return int(next(m["status"] for m in sent if m["type"] == "http.response.start"))


def test_ten_thousand_scripted_views_and_votes_from_one_client_count_once(site: tuple) -> None:  # type: ignore[type-arg]
    """No cookie kept, a rotating X-Forwarded-For from an untrusted peer, a replayed token."""
    client, db, _ = site
    stolen = client.get("/api/v1/articles/1/poll").json()["token"]  # a token, no cookie kept

    async def script() -> Counter[int]:
        codes: Counter[int] = Counter()
        for n in range(10_000):
            forged = {**UA, "x-forwarded-for": f"198.51.{n // 256 % 256}.{n % 256}"}
            if n % 2:
                codes[await _call(client.app, "POST", "/api/v1/articles/1/view", forged, b"")] += 1
            else:
                vote = {**forged, "x-csrf-token": stolen, "content-type": "application/json"}
                body = b'{"helpful": true}'
                codes[await _call(client.app, "POST", "/api/v1/articles/1/vote", vote, body)] += 1
        return codes

    # in a thread of its own: another tier's browser may keep a loop running in this one
    with ThreadPoolExecutor(1) as pool:
        codes = pool.submit(asyncio.run, script()).result()
    assert codes == {204: 5000, 403: 5000}
    assert views(db) == 1
    assert votes(db) == (0, 0)


def test_readers_minted_in_a_loop_stop_at_the_client_cap(site: tuple) -> None:  # type: ignore[type-arg]
    client, db, _ = site
    for _ in range(10):
        client.cookies.clear()
        client.get("/api/v1/articles/1/poll", headers=UA)  # a fresh reader each time
        client.post("/api/v1/articles/1/view", headers=UA)
    assert views(db) == 3  # view_readers_per_client


def test_forwarded_for_is_believed_from_a_trusted_proxy(site: tuple) -> None:  # type: ignore[type-arg]
    client, db, _ = site
    behind = TestClient(client.app, base_url="https://diemtin.example", client=("10.9.0.1", 5000))
    for n in range(3):  # three households behind our proxy, no cookies
        behind.post("/api/v1/articles/3/view", headers={**UA, "x-forwarded-for": f"203.0.113.{n}"})
        behind.cookies.clear()
    assert views(db, 3) == 3


def test_why_shows_the_signals_behind_each_block(site: tuple) -> None:  # type: ignore[type-arg]
    client, db, clock = site
    with db.write() as conn:
        conn.execute(text("UPDATE articles SET published_at = :t - id * 600"), {"t": NOW})
    client.post("/api/v1/articles/2/view", headers=UA)
    clock.now += 60
    body = client.get("/api/v1/articles/1/why").json()
    assert body["article"]["id"] == 1 and set(body["blocks"]) >= {"hot", "spotlight", "related"}
    hot = body["blocks"]["hot"]
    assert [x["id"] for x in hot] == [2]
    assert hot[0]["why"]["decayed_views"] > 0 and "half_life_hours" in hot[0]["why"]
    assert all(x["id"] != 1 for block in body["blocks"].values() for x in block)


def test_for_you_follows_the_history_sent_and_refuses_bad_input(site: tuple) -> None:  # type: ignore[type-arg]
    client, _, _ = site
    plain = client.get("/api/v1/for-you?article=1").json()["items"]
    mine = client.get("/api/v1/for-you?article=1&seen=3,5").json()["items"]
    assert plain and mine
    assert not {3, 5} & {x["id"] for x in mine}
    assert all(x["url"] == f"/a/{x['id']}" and x["time"] for x in mine)
    assert client.get("/api/v1/for-you?article=1&seen=1,x").status_code == 400
    assert client.get("/api/v1/for-you?seen=1").status_code == 400
