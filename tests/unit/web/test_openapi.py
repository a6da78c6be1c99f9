"""The hand-kept OpenAPI document against the app: same paths both ways, answers that fit."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import pytest
from starlette.routing import Route
from starlette.testclient import TestClient

from diemtin.settings import Settings
from diemtin.web.app import create_app, routes
from diemtin.web.openapi import PATH, document
from diemtin.web.site import Site
from tests.support.newsroom import BASE, Newsroom, newsroom

TYPES: dict[str, tuple[type, ...]] = {
    "object": (dict,),
    "array": (list,),
    "string": (str,),
    "integer": (int,),
    "boolean": (bool,),
    "number": (int, float),
    "null": (type(None),),
}


@pytest.fixture
def room(database_url: str, tmp_path: Path) -> Newsroom:
    room = newsroom(database_url, tmp_path, count=4)
    room.story([0, 1], title="Một câu chuyện")
    return room


def api_paths(room: Newsroom) -> dict[str, set[str]]:
    """Every /api/ route the app serves, written as OpenAPI writes paths, with its methods."""
    found: dict[str, set[str]] = {}
    for route in routes(Site(room.db, room.settings)):
        if isinstance(route, Route) and route.path.startswith("/api/"):
            path = re.sub(r"\{(\w+)(:\w+)?\}", r"{\1}", route.path)
            found[path] = {m.lower() for m in route.methods or ()} - {"head"}
    return found


def resolve(doc: dict[str, Any], schema: dict[str, Any]) -> dict[str, Any]:
    while "$ref" in schema:
        name = schema["$ref"].removeprefix("#/components/schemas/")
        schema = doc["components"]["schemas"][name]
    return schema


def check(doc: dict[str, Any], schema: dict[str, Any], value: Any, where: str) -> None:
    """Enough of JSON Schema for our documents: types, required fields, items, allOf, oneOf."""
    schema = resolve(doc, schema)
    for part in schema.get("allOf", []):
        check(doc, part, value, where)
    if "oneOf" in schema:
        errors = []
        for option in schema["oneOf"]:
            try:
                check(doc, option, value, where)
            except AssertionError as exc:
                errors.append(exc)
        assert len(errors) == len(schema["oneOf"]) - 1, f"{where}: not exactly one of oneOf"
    kinds = schema.get("type")
    if kinds is None:
        return
    kinds = [kinds] if isinstance(kinds, str) else kinds
    ok = any(isinstance(value, TYPES[k]) for k in kinds)
    assert ok and not (isinstance(value, bool) and "boolean" not in kinds), f"{where}: {value!r}"
    if isinstance(value, dict):
        for name in schema.get("required", []):
            assert name in value, f"{where}: no {name}"
        for name, sub in schema.get("properties", {}).items():
            if name in value:
                check(doc, sub, value[name], f"{where}.{name}")
    if isinstance(value, list):
        for n, item in enumerate(value):
            check(doc, schema.get("items", {}), item, f"{where}[{n}]")


def test_every_api_route_is_described_and_every_description_is_served(tmp_path: Path) -> None:
    small = newsroom(f"sqlite:///{tmp_path / 'routes.db'}", tmp_path, count=1)
    served = api_paths(small)
    described = document(small.settings)["paths"]
    assert set(served) - set(described) == set(), "routes missing from openapi.py"
    assert set(described) - set(served) == set(), "described paths that nothing serves"
    for path, methods in served.items():
        assert set(described[path]) == methods, path


def test_document_is_openapi_3_1_and_self_consistent() -> None:
    doc = document(Settings(base_url=BASE))
    assert doc["servers"] == [{"url": BASE}]
    assert doc["openapi"] == "3.1.0" and doc["info"]["title"] and doc["info"]["version"]
    text = repr(doc)
    for name in re.findall(r"#/components/schemas/(\w+)", text):
        assert name in doc["components"]["schemas"], name
    for path, item in doc["paths"].items():
        declared = set(re.findall(r"\{(\w+)\}", path))
        for operation in item.values():
            assert operation["summary"] and any(c[0] == "2" for c in operation["responses"])
            in_path = {p["name"] for p in operation["parameters"] if p["in"] == "path"}
            assert in_path == declared, path
            assert all(p["required"] for p in operation["parameters"] if p["in"] == "path")


def fits(doc: dict[str, Any], path: str, method: str, response: Any) -> None:
    described = doc["paths"][path][method]["responses"]
    assert str(response.status_code) in described, (path, response.status_code)
    content = described[str(response.status_code)].get("content")
    if content:
        check(doc, content["application/json"]["schema"], response.json(), path)


def test_answers_fit_their_descriptions(room: Newsroom) -> None:
    client = TestClient(create_app(room.db, room.settings))
    doc = client.get(PATH).json()
    assert doc == document(room.settings)
    story = client.get("/api/v1/stories").json()["stories"][0]["id"]
    article = room.ids[0]
    concrete = {
        "/api/v1/articles/{article_id}": f"/api/v1/articles/{article}",
        "/api/v1/stories/{story_id}": f"/api/v1/stories/{story}",
        "/api/v1/search": "/api/v1/search?q=tin",
        "/api/v1/suggest": "/api/v1/suggest?q=tin",
        "/api/v1/for-you": f"/api/v1/for-you?article={article}",
    }
    for path, item in doc["paths"].items():
        url = concrete.get(path, path.replace("{article_id}", str(article)))
        if "get" in item:
            response = client.get(url)
            assert response.status_code == 200, path
            fits(doc, path, "get", response)
        if "post" in item:
            fits(doc, path, "post", client.post(url, json={"helpful": True}))
    fits(doc, "/api/v1/articles", "get", client.get("/api/v1/articles?page=0"))
    fits(doc, "/api/v1/stories/{story_id}", "get", client.get("/api/v1/stories/0"))


def test_the_checker_itself_rejects_a_missing_field() -> None:
    doc = document(Settings())
    with pytest.raises(AssertionError, match="no url"):
        check(
            doc, {"$ref": "#/components/schemas/Article"}, {"id": 1, "title": "t", "sapo": ""}, "x"
        )
