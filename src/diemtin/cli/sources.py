"""`diemtin sources`: list publishers with their health, add one by URL, disable or enable."""

from __future__ import annotations

import time
from typing import Annotated
from urllib.parse import urlsplit

import typer
from rich.table import Table

from diemtin.cli.context import console, err, store_of
from diemtin.fetch import Fetcher
from diemtin.model import FeedSpec, IngestError, Publisher
from diemtin.pipeline.discover import find_feed
from diemtin.pipeline.prepare import slugify
from diemtin.store.sources import health, set_enabled, upsert_source
from diemtin.timefmt import vietnam_time

sources_app = typer.Typer(help="List, add, disable and enable publishers.", no_args_is_help=True)


@sources_app.command("list")
def list_(ctx: typer.Context) -> None:
    """Every source with its feeds, articles, last success, next check and last error."""
    _, db = store_of(ctx)
    with db.read() as conn:
        rows = health(conn)
    table = Table(
        "source", "on", "feeds", "articles", "last ok", "next check", "errors", "last error"
    )
    for h in rows:
        error = f"[red]{h.last_error_kind}[/red]: {h.last_error}" if h.last_error else ""
        table.add_row(
            h.slug,
            "yes" if h.enabled else "[dim]no[/dim]",
            str(h.feeds),
            str(h.articles),
            vietnam_time(h.last_ok_at),
            vietnam_time(h.next_check_at) if h.next_check_at else "now",
            str(h.error_streak),
            error,
        )
    console.print(table)


@sources_app.command("add")
def add(
    ctx: typer.Context,
    url: Annotated[str, typer.Argument(help="a site, section page, feed or sitemap URL")],
    name: Annotated[str | None, typer.Option(help="the publisher's name")] = None,
    category: Annotated[str | None, typer.Option(help="category slug for all its articles")] = None,
) -> None:
    """Add a publisher by URL; its feed is discovered through the same SSRF guard as all fetches."""
    cfg, db = store_of(ctx)
    if not url.startswith(("http://", "https://")):
        err.print(f"[red]Error:[/red] {url!r} is not an http(s) URL")
        raise typer.Exit(2)
    try:
        with Fetcher(cfg) as fetcher:
            spec, _ = find_feed(fetcher, url)
    except IngestError as exc:
        err.print(f"[red]Error:[/red] cannot add {url}: {exc}")
        raise typer.Exit(1) from exc
    host = (urlsplit(spec.url).hostname or "").removeprefix("www.")
    pub = Publisher(
        slug=slugify(host),
        name=name or host,
        homepage=f"{urlsplit(url).scheme}://{urlsplit(url).netloc}/",
        feeds=(FeedSpec(spec.url, spec.kind, category),),
    )
    with db.write() as conn:
        upsert_source(conn, pub, int(time.time()), origin="operator")
    console.print(f"Added {pub.slug}: {spec.kind.value} {spec.url}")


def _toggle(ctx: typer.Context, slug: str, enabled: bool) -> None:
    _, db = store_of(ctx)
    with db.write() as conn:
        found = set_enabled(conn, slug, enabled)
    if not found:
        err.print(f"[red]Error:[/red] no source {slug!r}; see `diemtin sources list`")
        raise typer.Exit(1)
    console.print(f"{slug} {'enabled' if enabled else 'disabled'}.")


@sources_app.command("disable")
def disable(ctx: typer.Context, slug: str) -> None:
    """Stop fetching a source; its articles stay."""
    _toggle(ctx, slug, False)


@sources_app.command("enable")
def enable(ctx: typer.Context, slug: str) -> None:
    """Fetch a disabled source again."""
    _toggle(ctx, slug, True)
