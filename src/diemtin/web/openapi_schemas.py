"""The component schemas of the OpenAPI document (openapi.py): what /api/v1 answers hold."""

from __future__ import annotations

from typing import Any


def ref(name: str) -> dict[str, str]:
    return {"$ref": f"#/components/schemas/{name}"}


_NULLABLE_TIME = {"type": ["string", "null"], "format": "date-time"}
_NAMED = {
    "type": "object",
    "required": ["slug", "name"],
    "properties": {"slug": {"type": "string"}, "name": {"type": "string"}},
}
_PAGING = {
    "page": {"type": "integer"},
    "per_page": {"type": "integer"},
    "next": {"type": "string", "format": "uri"},
}

SCHEMAS: dict[str, Any] = {
    "Error": {"type": "object", "required": ["error"], "properties": {"error": {"type": "string"}}},
    "Named": _NAMED,
    "Article": {
        "type": "object",
        "required": [
            "id",
            "title",
            "sapo",
            "url",
            "source_url",
            "source",
            "category",
            "published_at",
            "story_id",
        ],
        "properties": {
            "id": {"type": "integer"},
            "title": {"type": "string"},
            "sapo": {"type": "string"},
            "url": {
                "type": "string",
                "format": "uri",
                "description": "the article's page on this site",
            },
            "source_url": {
                "type": "string",
                "format": "uri",
                "description": "the publisher's original",
            },
            "published_at": {**_NULLABLE_TIME, "description": "Vietnam time, +07:00"},
            "updated_at": _NULLABLE_TIME,
            "story_id": {"type": ["integer", "null"]},
            "lead_image": {"type": ["string", "null"]},
            "source": {"oneOf": [ref("Named"), {"type": "null"}]},
            "category": {"oneOf": [ref("Named"), {"type": "null"}]},
        },
    },
    "ArticleList": {
        "type": "object",
        "required": ["page", "per_page", "articles"],
        "properties": {**_PAGING, "articles": {"type": "array", "items": ref("Article")}},
    },
    "Story": {
        "type": "object",
        "required": [
            "id",
            "title",
            "url",
            "article_count",
            "first_published_at",
            "last_updated_at",
            "first_report",
        ],
        "properties": {
            "id": {"type": "integer"},
            "title": {"type": "string"},
            "url": {"type": "string", "format": "uri", "description": "the story's page here"},
            "article_count": {"type": "integer", "description": "visible articles"},
            "first_published_at": _NULLABLE_TIME,
            "last_updated_at": _NULLABLE_TIME,
            "first_report": ref("Article"),
        },
    },
    "StoryDetail": {
        "allOf": [
            ref("Story"),
            {
                "type": "object",
                "required": ["articles"],
                "properties": {
                    "articles": {
                        "type": "array",
                        "items": ref("Article"),
                        "description": "oldest first",
                    }
                },
            },
        ]
    },
    "StoryList": {
        "type": "object",
        "required": ["page", "per_page", "stories"],
        "properties": {**_PAGING, "stories": {"type": "array", "items": ref("Story")}},
    },
    "CategoryList": {
        "type": "object",
        "required": ["categories"],
        "properties": {
            "categories": {
                "type": "array",
                "items": {
                    "type": "object",
                    "required": ["slug", "name", "articles"],
                    "properties": {
                        "slug": {"type": "string"},
                        "name": {"type": "string"},
                        "articles": {"type": "integer"},
                    },
                },
            }
        },
    },
    "SourceList": {
        "type": "object",
        "required": ["sources"],
        "properties": {
            "sources": {
                "type": "array",
                "items": {
                    "type": "object",
                    "required": ["slug", "name", "homepage", "enabled"],
                    "properties": {
                        "slug": {"type": "string"},
                        "name": {"type": "string"},
                        "homepage": {"type": "string"},
                        "enabled": {"type": "boolean"},
                    },
                },
            }
        },
    },
    "SearchResult": {
        "type": "object",
        "required": ["query", "total", "articles"],
        "properties": {
            "query": {"type": "string"},
            "total": {"type": "integer"},
            "articles": {"type": "array", "items": ref("Article"), "description": "best first"},
            "reason": {"type": "string", "description": "why there are no results, when known"},
            "message": {"type": "string"},
        },
    },
    "Suggestions": {
        "type": "object",
        "required": ["query", "suggestions"],
        "properties": {
            "query": {"type": "string"},
            "suggestions": {"type": "array", "items": {"type": "string"}},
        },
    },
    "Poll": {
        "type": "object",
        "required": ["helpful", "unhelpful", "share", "mine"],
        "properties": {
            "helpful": {"type": "integer"},
            "unhelpful": {"type": "integer"},
            "share": {
                "type": ["number", "null"],
                "description": "helpful share, null before votes",
            },
            "mine": {"type": ["boolean", "null"], "description": "this reader's vote"},
            "token": {"type": "string", "description": "send back as X-CSRF-Token to vote"},
        },
    },
    "Why": {
        "type": "object",
        "required": ["article", "now", "blocks"],
        "properties": {
            "article": {"type": "object", "required": ["id", "views"]},
            "now": {"type": "integer", "description": "the ranking clock, epoch seconds"},
            "blocks": {
                "type": "object",
                "description": "each sidebar block: its articles with score and signals",
                "additionalProperties": {"type": "array", "items": {"type": "object"}},
            },
        },
    },
    "ForYou": {
        "type": "object",
        "required": ["items"],
        "properties": {
            "items": {
                "type": "array",
                "items": {
                    "type": "object",
                    "required": ["id", "url", "title"],
                    "properties": {
                        "id": {"type": "integer"},
                        "url": {"type": "string"},
                        "title": {"type": "string"},
                        "category": {"type": ["string", "null"]},
                        "category_url": {"type": ["string", "null"]},
                        "time": {"type": "string", "description": "HH:MM:SS DD/MM/YYYY"},
                        "summary": {"type": "string"},
                    },
                },
            }
        },
    },
}
