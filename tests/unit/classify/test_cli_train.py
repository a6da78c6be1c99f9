"""`diemtin train` as the operator runs it: a model file and a report, or a clear refusal."""

from __future__ import annotations

from pathlib import Path

import typer
from typer.testing import CliRunner

from diemtin.classify import CategoryModel
from diemtin.cli.train import train
from diemtin.settings import Settings
from tests.unit.classify.stored import fill, make_store


def _app(database_url: str) -> typer.Typer:
    """The command under a root that loads settings, as cli/main.py registers it."""
    app = typer.Typer()

    @app.callback()
    def root(ctx: typer.Context) -> None:
        ctx.obj = Settings(database_url=database_url)

    app.command()(train)
    return app


def test_train_saves_a_model_beside_the_database(tmp_path: Path) -> None:
    url = f"sqlite:///{tmp_path / 'site.db'}"
    fill(make_store(url))
    result = CliRunner().invoke(_app(url), ["train", "--min-per-class", "5", "--seed", "3"])
    assert result.exit_code == 0, result.output
    model = CategoryModel.latest(tmp_path / "site-models")
    assert model is not None and model.version in result.output
    assert "trained on 36 articles" in result.output
    assert "Held-out check on" in result.output and "the-thao" in result.output


def test_train_refuses_an_empty_store_clearly(tmp_path: Path) -> None:
    url = f"sqlite:///{tmp_path / 'site.db'}"
    make_store(url)
    out = tmp_path / "models"
    result = CliRunner().invoke(_app(url), ["train", "--out", str(out)])
    assert result.exit_code == 1
    assert "cannot train yet: no labelled articles" in result.output
    assert not out.exists()
