"""Training from the store: the articles whose category a source or an operator decided.

The model learns only from categories decided by a feed, a URL section, an
import or an operator, never from its own earlier guesses (``model``), which
would teach it its own mistakes. Articles are read in id order, so the same
store and seed train the same model.
"""

from __future__ import annotations

import time
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path

from sqlalchemy import Connection, bindparam, text
from sqlalchemy.engine import make_url
from sqlalchemy.exc import ArgumentError

from diemtin.classify.errors import TrainingError
from diemtin.classify.evaluate import Metrics
from diemtin.classify.model import CategoryModel, Progress
from diemtin.store.db import Database

TRUSTED_SOURCES = ("feed", "section", "import", "operator")
DEFAULT_MIN_PER_CLASS = 20

_LABELLED = text(
    "SELECT a.title, a.sapo, a.body_text, a.category_id FROM articles a"
    " WHERE a.category_id IS NOT NULL AND a.category_source IN :sources"
    " AND a.status <> 'removed' AND a.language = 'vi'"
    " ORDER BY a.id"
).bindparams(bindparam("sources", expanding=True))
_COUNT = text(
    "SELECT COUNT(*) FROM articles a"
    " WHERE a.category_id IS NOT NULL AND a.category_source IN :sources"
    " AND a.status <> 'removed' AND a.language = 'vi'"
).bindparams(bindparam("sources", expanding=True))


@dataclass(frozen=True)
class TrainReport:
    path: Path  # the saved model file
    version: str
    trained_on: int
    class_counts: dict[str, int]
    metrics: Metrics
    seconds: float
    # categories left out for having fewer than min_per_class articles
    dropped: dict[str, int] = field(default_factory=dict)


def article_text(title: str, sapo: str, body: str) -> str:
    """What the model reads of an article; the same when training and predicting."""
    return "\n".join(part for part in (title, sapo, body) if part)


def default_model_dir(database_url: str, configured: str = "") -> Path:
    """The configured directory, else ``<name>-models/`` beside the SQLite file, else ./models."""
    if configured:
        return Path(configured).expanduser()
    try:
        url = make_url(database_url)
    except ArgumentError:
        return Path("models")
    if url.get_backend_name() == "sqlite" and url.database and url.database != ":memory:":
        db_file = Path(url.database).expanduser()
        return db_file.with_name(f"{db_file.stem}-models")
    return Path("models")


def train_from_store(
    db: Database,
    out_dir: str | Path,
    *,
    min_per_class: int = DEFAULT_MIN_PER_CLASS,
    seed: int = 0,
    on_progress: Progress | None = None,
) -> TrainReport:
    """Train on the store's labelled articles, save the model into ``out_dir``, report.

    Raises ``TrainingError`` saying what is missing when the store cannot make a
    model yet (too few articles, or fewer than two categories with enough).
    """
    started = time.perf_counter()
    texts, labels = _read(db, on_progress)
    counts = Counter(labels)
    dropped = {slug: n for slug, n in sorted(counts.items()) if n < min_per_class}
    if len(counts) - len(dropped) < 2:
        raise TrainingError(_too_few(counts, min_per_class))
    if dropped:
        pairs = [(t, s) for t, s in zip(texts, labels, strict=True) if s not in dropped]
        texts, labels = [t for t, _ in pairs], [s for _, s in pairs]
    model = CategoryModel(seed=seed)
    metrics = model.fit(texts, labels, on_progress=on_progress)
    path = model.save(out_dir)
    return TrainReport(
        path=path,
        version=model.version,
        trained_on=int(model.metadata["trained_on"]),
        class_counts=dict(model.metadata["class_counts"]),
        metrics=metrics,
        seconds=round(time.perf_counter() - started, 2),
        dropped=dropped,
    )


def _read(db: Database, on_progress: Progress | None) -> tuple[list[str], list[str]]:
    texts: list[str] = []
    labels: list[str] = []
    with db.read() as conn:
        slugs = _category_slugs(conn)
        total = int(conn.execute(_COUNT, {"sources": TRUSTED_SOURCES}).scalar_one())
        rows = conn.execution_options(yield_per=2000).execute(
            _LABELLED, {"sources": TRUSTED_SOURCES}
        )
        for title, sapo, body, category_id in rows:
            texts.append(article_text(title or "", sapo or "", body or ""))
            labels.append(slugs[category_id])
            if on_progress is not None and (len(texts) % 1000 == 0 or len(texts) == total):
                on_progress("reading articles", len(texts), total)
    return texts, labels


def _category_slugs(conn: Connection) -> dict[int, str]:
    """Each category id's slug, following operators' merges to the surviving category."""
    rows = conn.execute(text("SELECT id, slug, merged_into FROM categories")).all()
    slug = {row[0]: row[1] for row in rows}
    into = {row[0]: row[2] for row in rows if row[2] is not None}
    resolved = {}
    for cid in slug:
        target, seen = cid, {cid}
        while target in into and into[target] not in seen and into[target] in slug:
            target = into[target]
            seen.add(target)
        resolved[cid] = slug[target]
    return resolved


def _too_few(counts: Counter[str], min_per_class: int) -> str:
    if not counts:
        return (
            "no labelled articles in the store yet: a model learns from articles whose"
            " feed, section, import or operator gave a category"
        )
    have = ", ".join(f"{slug} ({n})" for slug, n in counts.most_common())
    return (
        f"a model needs at least two categories with {min_per_class} or more labelled"
        f" articles each; the store has {have}"
    )
