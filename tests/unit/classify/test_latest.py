"""LatestModel: a running process picks up a newly trained model, and survives a bad one."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from diemtin.classify import CategoryModel, LatestModel
from tests.unit.classify.corpus import texts


class Clock:
    def __init__(self) -> None:
        self.now = 0.0

    def __call__(self) -> float:
        return self.now


@pytest.fixture(scope="module")
def trained() -> CategoryModel:
    model = CategoryModel()
    model.fit(*texts(10))
    return model


def test_none_until_a_model_is_written_then_the_newest(
    trained: CategoryModel, tmp_path: Path
) -> None:
    clock = Clock()
    latest = LatestModel(tmp_path, check_every=60, clock=clock)
    assert latest.get() is None
    first = trained.save(tmp_path)
    assert latest.get() is None  # not looked again yet
    clock.now = 60
    model = latest.get()
    assert model is not None and model.path == first
    assert latest.get() is model  # the same object until a newer file appears
    newer = tmp_path / f"categories-29990101T000000Z-{trained.version}.npz"
    shutil.copy(first, newer)
    clock.now = 120
    reloaded = latest.get()
    assert reloaded is not None and reloaded.path == newer


def test_a_damaged_newer_file_keeps_the_current_model(
    trained: CategoryModel, tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    clock = Clock()
    good = trained.save(tmp_path)
    latest = LatestModel(tmp_path, check_every=0, clock=clock)
    assert latest.get() is not None
    (tmp_path / "categories-29990101T000000Z-000000000000.npz").write_bytes(b"junk")
    model = latest.get()
    assert model is not None and model.path == good
    assert "keeping the current category model" in caplog.text
