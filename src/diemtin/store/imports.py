"""How far each archive's import got; written in the same transaction as its articles."""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import Connection, text


@dataclass(frozen=True)
class Progress:
    position: int
    stored: int
    skipped: int
    failed: int
    done: bool


def resume(conn: Connection, path: str, fingerprint: str, now: int) -> Progress:
    """Where to pick up. A changed file (other fingerprint) starts over."""
    row = conn.execute(
        text(
            "SELECT fingerprint, position, stored, skipped, failed, done FROM imports"
            " WHERE path = :p"
        ),
        {"p": path},
    ).first()
    if row is not None and row[0] == fingerprint:
        return Progress(int(row[1]), int(row[2]), int(row[3]), int(row[4]), bool(row[5]))
    conn.execute(
        text(
            "INSERT INTO imports (path, fingerprint, started_at, updated_at)"
            " VALUES (:p, :f, :t, :t)"
            " ON CONFLICT (path) DO UPDATE SET fingerprint = :f, position = 0, stored = 0,"
            " skipped = 0, failed = 0, done = 0, started_at = :t, updated_at = :t"
        ),
        {"p": path, "f": fingerprint, "t": now},
    )
    return Progress(0, 0, 0, 0, False)


def forget(conn: Connection, path: str) -> None:
    """Drop an archive's progress, so its next import reads it from the start."""
    conn.execute(text("DELETE FROM imports WHERE path = :p"), {"p": path})


def advance(conn: Connection, path: str, progress: Progress, now: int) -> None:
    conn.execute(
        text(
            "UPDATE imports SET position = :pos, stored = :s, skipped = :k, failed = :f,"
            " done = :d, updated_at = :t WHERE path = :p"
        ),
        {
            "pos": progress.position,
            "s": progress.stored,
            "k": progress.skipped,
            "f": progress.failed,
            "d": int(progress.done),
            "t": now,
            "p": path,
        },
    )
