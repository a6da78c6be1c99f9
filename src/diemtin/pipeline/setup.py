"""Opening the store for work: migrated, with the shipped categories and publishers in it."""

from __future__ import annotations

import time
from pathlib import Path

from diemtin.classify import LatestModel, default_model_dir
from diemtin.model import Publisher
from diemtin.search import index_pending
from diemtin.settings import Settings
from diemtin.sources import load_categories, load_publishers
from diemtin.store.db import Database, open_database
from diemtin.store.sources import sync_categories, upsert_source


def publishers(settings: Settings) -> list[Publisher]:
    """The shipped registry (unless switched off) with the operator's file merged over it."""
    extra = Path(settings.sources_file) if settings.sources_file else None
    return load_publishers(extra, builtin=settings.builtin_sources)


def category_model(settings: Settings) -> LatestModel:
    """The newest model `diemtin train` saved for this database, picked up when it appears."""
    return LatestModel(default_model_dir(settings.database_url, settings.models_dir))


def open_store(settings: Settings, *, sync: bool = True) -> Database:
    """Migrate, then sync the registry (an operator's disabled sources stay disabled)."""
    db = open_database(settings.database_url)
    if sync:
        now = int(time.time())
        with db.write() as conn:
            sync_categories(conn, load_categories(), now)
            for pub in publishers(settings):
                upsert_source(conn, pub, now)
    catch_up_search(db)
    return db


def catch_up_search(db: Database) -> int:
    """Index what a migration or an outside writer queued; nothing to do on most starts."""
    done = 0
    while True:
        with db.write() as conn:
            count = index_pending(conn, db.dialect.name)
        if not count:
            return done
        done += count
