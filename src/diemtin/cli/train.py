"""`diemtin train`: learn categories from the store's labelled articles, save the model."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn
from rich.table import Table

from diemtin.classify import TrainingError, TrainReport, default_model_dir, train_from_store
from diemtin.classify.train import DEFAULT_MIN_PER_CLASS
from diemtin.cli.context import console, fail, store_of


def train(
    ctx: typer.Context,
    out: Annotated[
        Path | None,
        typer.Option(help="directory for the model; default: <database>-models beside SQLite"),
    ] = None,
    min_per_class: Annotated[
        int, typer.Option(min=2, help="leave out categories with fewer labelled articles")
    ] = DEFAULT_MIN_PER_CLASS,
    seed: Annotated[
        int, typer.Option(help="random seed: the same store and seed give the same model")
    ] = 0,
) -> None:
    """Train the category model on articles whose source or an operator set the category."""
    cfg, db = store_of(ctx)
    directory = out or default_model_dir(cfg.database_url)
    columns = (
        TextColumn("{task.description:<32}"),
        BarColumn(),
        MofNCompleteColumn(),
        TimeElapsedColumn(),
    )
    with Progress(*columns, console=console) as bar:
        task = bar.add_task("reading articles", total=None)

        def progress(stage: str, done: int, total: int) -> None:
            bar.update(task, description=stage, completed=done, total=total)

        try:
            report = train_from_store(
                db, directory, min_per_class=min_per_class, seed=seed, on_progress=progress
            )
        except TrainingError as exc:
            raise fail(f"cannot train yet: {exc}") from exc
        except OSError as exc:
            raise fail(f"cannot write the model into {directory}: {exc}") from exc
    _print(report)


def _print(report: TrainReport) -> None:
    m = report.metrics
    console.print(
        f"Model [bold]{report.version}[/bold] trained on {report.trained_on} articles"
        f" in {report.seconds:g} s: {report.path}"
    )
    console.print(
        f"Held-out check on {m.holdout} articles: accuracy {m.accuracy:.2%},"
        f" macro-F1 {m.macro_f1:.2%}"
    )
    table = Table("category", "articles", "held-out F1")
    for slug, n in sorted(report.class_counts.items(), key=lambda item: -item[1]):
        table.add_row(slug, str(n), f"{m.per_class_f1.get(slug, 0.0):.2%}")
    console.print(table)
    if report.dropped:
        left_out = ", ".join(f"{slug} ({n})" for slug, n in report.dropped.items())
        console.print(f"[yellow]Left out, too few articles:[/yellow] {left_out}")
