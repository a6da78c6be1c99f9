"""Serving the site with uvicorn, in one process or several.

Worker processes cannot be handed Python objects, so the parent writes every
setting into the environment (``DIEMTIN_*``) and each worker builds its app
with ``factory()`` from there; the parent has already migrated the store.
"""

from __future__ import annotations

import os
import tempfile

import uvicorn
from starlette.types import ASGIApp

from diemtin.settings import ENV_PREFIX, Settings, load
from diemtin.store.db import Database, open_database
from diemtin.web.app import create_app

FACTORY = "diemtin.web.serve:factory"


def settings_env(settings: Settings) -> dict[str, str]:
    """The environment that makes ``settings.load()`` give back these settings."""
    return {ENV_PREFIX + name.upper(): value for name, _, value, _ in settings.describe()}


def factory() -> ASGIApp:
    settings = load()
    return create_app(open_database(settings.database_url), settings)


def serve(db: Database, settings: Settings, host: str, port: int, workers: int = 1) -> None:
    options: dict[str, object] = {
        "host": host,
        "port": port,
        "log_level": "warning",
        "access_log": False,  # a log line per hit would cost more than the hit
        "proxy_headers": False,
    }
    if workers <= 1:
        uvicorn.run(create_app(db, settings), **options)  # type: ignore[arg-type]
        return
    db.close()
    os.environ.update(settings_env(settings))
    # each worker writes its request and cache metrics here; a scrape adds them up
    os.environ["PROMETHEUS_MULTIPROC_DIR"] = tempfile.mkdtemp(prefix="diemtin-metrics-")
    uvicorn.run(FACTORY, factory=True, workers=workers, **options)  # type: ignore[arg-type]
