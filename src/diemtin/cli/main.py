"""`diemtin`: one command for the operator; each sub-command a thin edge over the pipeline."""

from __future__ import annotations

import functools
import threading
from pathlib import Path
from typing import Annotated

import typer
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn
from rich.table import Table

from diemtin import settings as settings_mod
from diemtin.archive import ArchiveError
from diemtin.cli.admin import admin_app
from diemtin.cli.backup import backup, restore
from diemtin.cli.context import console, err, settings_of, store_of
from diemtin.cli.logs import setup_logging
from diemtin.cli.sources import sources_app
from diemtin.cli.train import train
from diemtin.fetch import Fetcher
from diemtin.pipeline.crawl import Crawler
from diemtin.pipeline.importing import Importer, ImportReport
from diemtin.pipeline.setup import category_model, publishers
from diemtin.settings import SettingsError
from diemtin.store.migrate import current_version
from diemtin.store.sources import make_all_due
from diemtin.worker.loop import run_worker

app = typer.Typer(
    help="Điểm tin: a self-hostable Vietnamese news aggregation portal.",
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
)
app.add_typer(sources_app, name="sources")
app.add_typer(admin_app, name="admin")


@app.callback()
def main_options(
    ctx: typer.Context,
    config: Annotated[Path | None, typer.Option(help="a TOML file of settings")] = None,
    verbose: Annotated[bool, typer.Option("--verbose", "-v", help="log more")] = False,
) -> None:
    try:
        ctx.obj = settings_mod.load(toml_path=config)
    except SettingsError as exc:
        err.print(f"[red]Settings error:[/red] {exc}")
        raise typer.Exit(2) from exc
    setup_logging(ctx.obj.log_format, verbose)


@app.command()
def migrate(ctx: typer.Context) -> None:
    """Create or upgrade the database schema (every other command does this too)."""
    _, db = store_of(ctx)
    console.print(f"Database {db.safe_url()} is at schema version {current_version(db)}.")


@app.command()
def config(ctx: typer.Context) -> None:
    """Print every setting with its type, current value and meaning."""
    table = Table("setting", "type", "value", "environment variable / meaning")
    for name, type_name, value, help_text in settings_of(ctx).describe():
        table.add_row(
            name,
            type_name,
            value,
            f"{settings_mod.ENV_PREFIX}{name.upper()}\n[dim]{help_text}[/dim]",
        )
    console.print(table)


@app.command("import")
def import_(
    ctx: typer.Context,
    paths: Annotated[list[Path], typer.Argument(help="JSONL(.gz), WARC(.gz) or a folder of HTML")],
    restart: Annotated[
        bool, typer.Option(help="forget earlier progress and read from the start")
    ] = False,
) -> None:
    """Import archives through the pipeline; interrupted imports resume where they stopped."""
    cfg, db = store_of(ctx)
    columns = (
        TextColumn("{task.description}"),
        BarColumn(),
        MofNCompleteColumn(),
        TimeElapsedColumn(),
    )
    failed = False
    model = category_model(cfg)
    for path in paths:
        with Progress(*columns, console=console, transient=False) as bar:
            task = bar.add_task(path.name, total=None)
            importer = Importer(
                db,
                publishers(cfg),
                batch=cfg.import_batch,
                processes=cfg.import_processes,
                on_record=functools.partial(bar.advance, task),
                model=model.get,
                threshold=cfg.category_threshold,
            )
            try:
                report = importer.run(path, restart=restart)
            except ArchiveError as exc:
                err.print(f"[red]Error:[/red] {exc}")
                failed = True
                continue
            except KeyboardInterrupt:
                err.print(
                    "Interrupted: everything up to the last batch is stored;"
                    " run the same command again to resume."
                )
                raise typer.Exit(130) from None
        _print_import(report)
    if failed:
        raise typer.Exit(1)


def _print_import(report: ImportReport) -> None:
    if report.already_done:
        console.print(f"{report.path}: already imported (use --restart to read it again).")
        return
    resumed = f", resumed at record {report.resumed_from + 1}" if report.resumed_from else ""
    console.print(
        f"{report.path}: {report.new} new, {report.updated} updated,"
        f" {report.unchanged} unchanged, {report.failed} unreadable{resumed}."
    )
    for line in report.errors:
        console.print(f"  [yellow]skipped[/yellow] {line}")


@app.command()
def crawl(
    ctx: typer.Context,
    once: Annotated[
        bool, typer.Option("--once", help="one pass over the due feeds, then exit")
    ] = False,
    all_feeds: Annotated[bool, typer.Option("--all", help="check every feed, due or not")] = False,
) -> None:
    """Fetch due feeds and their new articles; without --once, keep crawling."""
    cfg, db = store_of(ctx)
    if all_feeds:
        with db.write() as conn:
            make_all_due(conn)
    if not once:
        run_worker(db, cfg, threading.Event(), owner="crawl")
        return
    with Fetcher(cfg) as fetcher:
        report = Crawler(db, fetcher, cfg, owner="crawl-once").run_once()
    console.print(
        f"{report.feeds_checked} feeds checked ({report.feeds_failed} failed),"
        f" {report.entries_new} new entries, {report.articles_new} new articles,"
        f" {report.articles_updated} updated, {report.items_failed} pages failed."
    )
    for line in report.errors[:20]:
        console.print(f"  [yellow]error[/yellow] {line}")


@app.command()
def run(
    ctx: typer.Context,
    host: Annotated[str | None, typer.Option(help="listen address")] = None,
    port: Annotated[int | None, typer.Option(help="listen port")] = None,
) -> None:
    """Migrate, ingest on a schedule and serve the site, in one process."""
    import uvicorn

    from diemtin.web.app import create_app

    cfg, db = store_of(ctx)
    stop = threading.Event()
    worker = threading.Thread(target=run_worker, args=(db, cfg, stop), daemon=True, name="ingest")
    worker.start()
    console.print(
        f"Điểm tin on http://{host or cfg.host}:{port or cfg.port}/"
        f" (database {db.safe_url()}); ingesting every {cfg.crawl_every_seconds:g} s."
    )
    try:
        uvicorn.run(
            create_app(db, cfg), host=host or cfg.host, port=port or cfg.port, log_level="warning"
        )
    finally:
        stop.set()


@app.command()
def serve(
    ctx: typer.Context,
    host: Annotated[str | None, typer.Option(help="listen address")] = None,
    port: Annotated[int | None, typer.Option(help="listen port")] = None,
    workers: Annotated[int, typer.Option(min=1, max=64, help="server processes")] = 1,
) -> None:
    """Serve the site alone (no ingest); several processes share the port."""
    from diemtin.web.serve import serve as serve_web

    cfg, db = store_of(ctx)
    console.print(
        f"Điểm tin on http://{host or cfg.host}:{port or cfg.port}/"
        f" ({workers} process{'es' if workers > 1 else ''}, database {db.safe_url()})."
    )
    serve_web(db, cfg, host or cfg.host, port or cfg.port, workers)


app.command()(train)
app.command()(backup)
app.command()(restore)


def main() -> None:
    app()


if __name__ == "__main__":
    main()
