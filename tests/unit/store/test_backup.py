"""Backup under load, restore, integrity: on SQLite and PostgreSQL; bad files refused."""

from __future__ import annotations

import itertools
import os
import threading
from pathlib import Path

import pytest
from sqlalchemy import text
from typer.testing import CliRunner

from diemtin.cli.main import app
from diemtin.pipeline.importing import Importer
from diemtin.pipeline.setup import open_store
from diemtin.settings import Settings
from diemtin.store.backup import BackupError, backup, check_sqlite_file, restore
from diemtin.store.db import Database
from tests.support.archives import article_record, write_jsonl

_names = itertools.count()


@pytest.fixture
def db(database_url: str) -> Database:
    return open_store(Settings(database_url=database_url, builtin_sources=False))


@pytest.fixture
def empty(database_url: str, request: pytest.FixtureRequest, tmp_path: Path) -> Database:
    """A second, empty store on the same engine to restore into."""
    if database_url.startswith("sqlite"):
        url = f"sqlite:///{tmp_path / 'restored.db'}"
    else:
        from tests.support.postgres import create_database

        admin = request.getfixturevalue("postgres_admin_url")
        url = create_database(admin, f"diemtin_restore_{os.getpid()}_{next(_names)}")
    return open_store(Settings(database_url=url, builtin_sources=False))


def _import(db: Database, folder: Path, start: int, count: int) -> None:
    records = [article_record(i) for i in range(start, start + count)]
    Importer(db, [], batch=10).run(write_jsonl(folder / f"part-{start}.jsonl", records))


def _titles(db: Database) -> dict[str, str]:
    with db.read() as conn:
        rows = conn.execute(text("SELECT guid, title FROM articles")).all()
    return {str(guid): str(title) for guid, title in rows}


def test_backup_under_load_restores_everything_committed_before_it(
    db: Database, empty: Database, tmp_path: Path
) -> None:
    _import(db, tmp_path, 0, 120)
    before = _titles(db)
    stop, writing = threading.Event(), threading.Event()

    def keep_writing() -> None:
        start = 1000
        while not stop.is_set():
            _import(db, tmp_path, start, 20)
            start += 20
            writing.set()

    writer = threading.Thread(target=keep_writing)
    writer.start()
    try:
        assert writing.wait(60)  # the backup starts while imports are committing
        report = backup(db, tmp_path / "site.backup")
    finally:
        stop.set()
        writer.join()
    after = _titles(db)
    assert len(after) >= len(before) + 20
    assert report.size > 0 and report.counts["articles"] >= 120

    restore(empty, report.path)
    restored = _titles(empty)
    # everything committed before the backup began, complete; nothing invented
    assert before.items() <= restored.items()
    assert restored.items() <= after.items()
    with empty.read() as conn:
        orphans = conn.execute(
            text(
                "SELECT COUNT(*) FROM search_docs d LEFT JOIN articles a ON a.id = d.article_id"
                " WHERE a.id IS NULL"
            )
        ).scalar_one()
    assert orphans == 0


def test_an_existing_file_or_a_missing_folder_is_refused(db: Database, tmp_path: Path) -> None:
    taken = tmp_path / "taken.backup"
    taken.write_bytes(b"keep me")
    with pytest.raises(BackupError, match="already exists"):
        backup(db, taken)
    assert taken.read_bytes() == b"keep me"
    with pytest.raises(BackupError, match="does not exist"):
        backup(db, tmp_path / "no" / "such.backup")
    assert not list(tmp_path.glob("*.partial"))


def test_a_store_with_articles_is_not_overwritten_without_force(
    db: Database, tmp_path: Path
) -> None:
    _import(db, tmp_path, 0, 5)
    copy = backup(db, tmp_path / "a.backup").path
    _import(db, tmp_path, 100, 3)
    with pytest.raises(BackupError, match="already holds 8 articles"):
        restore(db, copy)
    assert len(_titles(db)) == 8
    restore(db, copy, force=True)
    assert len(_titles(db)) == 5


@pytest.mark.parametrize("content", [b"", b"not a backup at all\x00\xff" * 100])
def test_a_file_that_is_no_backup_changes_nothing(
    db: Database, tmp_path: Path, content: bytes
) -> None:
    _import(db, tmp_path, 0, 4)
    bogus = tmp_path / "bogus.backup"
    bogus.write_bytes(content)
    with pytest.raises(BackupError):
        restore(db, bogus, force=True)
    assert len(_titles(db)) == 4


def test_a_truncated_sqlite_backup_fails_its_check(tmp_path: Path) -> None:
    db = open_store(Settings(database_url=f"sqlite:///{tmp_path / 's.db'}", builtin_sources=False))
    _import(db, tmp_path, 0, 50)
    whole = backup(db, tmp_path / "whole.backup").path
    cut = tmp_path / "cut.backup"
    cut.write_bytes(whole.read_bytes()[: whole.stat().st_size // 2])
    with pytest.raises(BackupError):
        check_sqlite_file(cut)


def test_the_commands_back_up_and_restore(tmp_path: Path) -> None:
    site = f"sqlite:///{tmp_path / 'site.db'}"
    _import(open_store(Settings(database_url=site)), tmp_path, 0, 6)
    runner = CliRunner()
    out = tmp_path / "nightly.backup"
    done = runner.invoke(app, ["backup", str(out)], env={"DIEMTIN_DATABASE_URL": site})
    assert done.exit_code == 0, done.output
    assert "integrity checked" in done.output and "6 articles" in done.output
    again = runner.invoke(app, ["backup", str(out)], env={"DIEMTIN_DATABASE_URL": site})
    assert again.exit_code == 1 and "already exists" in again.output

    fresh = f"sqlite:///{tmp_path / 'fresh.db'}"
    back = runner.invoke(app, ["restore", str(out)], env={"DIEMTIN_DATABASE_URL": fresh})
    assert back.exit_code == 0, back.output
    assert "6 articles" in back.output
    refused = runner.invoke(app, ["restore", str(out)], env={"DIEMTIN_DATABASE_URL": fresh})
    assert refused.exit_code == 1 and "--force" in refused.output
