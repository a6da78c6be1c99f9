"""An archive's javascript:, data: or vbscript: URL never becomes a link on our pages."""

from __future__ import annotations

from pathlib import Path

import pytest
from sqlalchemy import text
from starlette.testclient import TestClient

from diemtin.pipeline.importing import Importer
from diemtin.pipeline.setup import open_store
from diemtin.settings import Settings
from diemtin.web.app import create_app
from diemtin.web.site import web_url
from tests.support.archives import article_record, write_jsonl

BAD = ["javascript:alert(1)", "JaVaScRiPt:alert(1)", "vbscript:msgbox(1)",
       "data:text/html,<script>alert(1)</script>", " javascript:alert(1)"]  # fmt: skip


@pytest.mark.parametrize("url", BAD)
def test_the_source_line_links_only_web_addresses(tmp_path: Path, url: str) -> None:
    settings = Settings(database_url=f"sqlite:///{tmp_path / 'u.db'}", builtin_sources=False)
    db = open_store(settings)
    record = article_record(1, url=url)
    Importer(db, []).run(write_jsonl(tmp_path / "a.jsonl", [record]))
    with db.read() as conn:
        article_id, stored = conn.execute(text("SELECT id, url FROM articles")).one()
    assert stored == ""
    page = TestClient(create_app(db, settings)).get(f"/a/{article_id}")
    assert page.status_code == 200
    lowered = page.text.lower()
    assert "javascript:" not in lowered and "vbscript:" not in lowered
    assert "data:text/html" not in lowered


def test_web_url_keeps_http_and_https_only() -> None:
    assert web_url("https://vnexpress.net/a.html") == "https://vnexpress.net/a.html"
    assert web_url("HTTP://x.vn/") == "HTTP://x.vn/"
    assert [web_url(u) for u in BAD] == [""] * len(BAD)
    assert web_url(None) == "" and web_url("https://") == ""
