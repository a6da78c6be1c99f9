"""CategoryModel: training, prediction, files, reproducibility and bad input."""

from __future__ import annotations

import json
import re
import shutil
import time
from pathlib import Path

import numpy as np
import pytest

from diemtin.classify import CategoryModel, ClassifyError, ModelFileError, Prediction, TrainingError
from diemtin.classify.features import width
from diemtin.classify.modelfile import (
    FORMAT,
    FORMAT_VERSION,
    Contents,
    digest,
    round_bf16,
    write,
)
from tests.unit.classify.corpus import TOPICS, texts

NAME = re.compile(r"categories-\d{8}T\d{6}Z-[0-9a-f]{12}\.npz")


@pytest.fixture(scope="module")
def model() -> CategoryModel:
    train_texts, labels = texts(40, seed=1)
    m = CategoryModel(seed=0)
    m.fit(train_texts, labels)
    return m


def test_learns_the_topics_and_measures_itself(model: CategoryModel) -> None:
    fresh, truth = texts(20, seed=2)
    predicted = [p.label for p in model.predict(fresh)]
    accuracy = sum(p == t for p, t in zip(predicted, truth, strict=True)) / len(truth)
    assert accuracy >= 0.95
    meta = model.metadata
    assert meta["trained_on"] == 120
    assert meta["classes"] == sorted(TOPICS)
    assert meta["class_counts"] == {topic: 40 for topic in TOPICS}
    assert meta["metrics"]["holdout"] == 12  # a tenth of each category
    assert meta["metrics"]["accuracy"] >= 0.9
    assert set(meta["libraries"]) >= {"python", "numpy", "scipy", "scikit-learn", "diemtin"}
    assert re.fullmatch(r"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ", meta["created_at"])


def test_confidence_is_high_on_a_clear_text_and_lower_on_a_mixed_one(
    model: CategoryModel,
) -> None:
    clear = "Cầu thủ ghi bàn thắng, đội tuyển vô địch, thủ môn và tiền đạo ăn mừng trận đấu."
    mixed = "Bệnh viện mua cổ phiếu ngân hàng."
    sure, unsure = model.predict([clear, mixed])
    assert sure.label == "the-thao"
    assert 0.0 <= unsure.confidence < sure.confidence <= 1.0


def test_save_and_load_round_trip(model: CategoryModel, tmp_path: Path) -> None:
    path = model.save(tmp_path)
    assert NAME.fullmatch(path.name)
    assert model.version in path.name
    loaded = CategoryModel.load(path)
    assert loaded.version == model.version
    assert loaded.metadata == model.metadata
    sample, _ = texts(10, seed=3)
    assert loaded.predict(sample) == model.predict(sample)  # exactly, confidences too
    assert list(tmp_path.iterdir()) == [path]  # no temporary file left behind


def test_latest_finds_the_newest_file(model: CategoryModel, tmp_path: Path) -> None:
    assert CategoryModel.latest(tmp_path / "missing") is None
    assert CategoryModel.latest(tmp_path) is None
    path = model.save(tmp_path)
    older = tmp_path / f"categories-20000101T000000Z-{'0' * 12}.npz"
    (tmp_path / "notes.txt").write_text("not a model")
    shutil.copy(path, older)
    latest = CategoryModel.latest(tmp_path)
    assert latest is not None and latest.path == path


def test_same_data_and_seed_give_the_same_model(model: CategoryModel) -> None:
    train_texts, labels = texts(40, seed=1)
    again = CategoryModel(seed=0)
    again.fit(train_texts, labels)
    assert again.version == model.version
    sample, _ = texts(10, seed=4)
    assert again.predict(sample) == model.predict(sample)


def test_a_full_size_model_loads_in_well_under_a_second(tmp_path: Path) -> None:
    """Every feature column used, 24 categories: the largest file training can write."""
    rng = np.random.default_rng(0)
    classes = [f"c{i:02d}" for i in range(24)]
    n = width(19)
    meta = {
        "format": FORMAT,
        "format_version": FORMAT_VERSION,
        "created_at": "2026-01-01T00:00:00Z",
        "classes": classes,
        "bits": 19,
        "lead_words": 20,
        "lead_weight": 0.3,
        "temperature": 5.0,
        "idf_unseen": 12.0,
        "trained_on": 100_000,
    }
    weights = round_bf16(rng.standard_normal((n, len(classes)), dtype=np.float32))
    idf = rng.uniform(1, 11, n).astype(np.float32)
    contents = Contents(idf, weights, np.zeros(len(classes), np.float32), meta)
    meta["version"] = digest(contents)
    path = write(contents, tmp_path)
    started = time.perf_counter()
    loaded = CategoryModel.load(path)
    elapsed = time.perf_counter() - started
    print(f"full-size model ({path.stat().st_size / 1e6:.0f} MB) loaded in {elapsed:.3f} s")
    assert loaded.classes == tuple(classes)
    assert elapsed < 1.0, f"loading took {elapsed:.2f} s"


# -- bad input


def test_texts_without_words_get_no_label(model: CategoryModel) -> None:
    junk = bytes(range(256)).decode("latin-1") + "\ufffd\x00" * 50
    empty, punctuation, binary = model.predict(["", " .,;!? — … ", junk])
    assert empty == Prediction(None, 0.0)
    assert punctuation == Prediction(None, 0.0)
    assert binary.confidence <= 1.0  # latin-1 letters are words; it must simply not crash


def test_lone_surrogates_and_huge_texts_do_not_crash(model: CategoryModel) -> None:
    huge = "bóng đá " * 200_000
    odd, big = model.predict(["cầu thủ \udcff ghi bàn", huge])
    assert odd.label == "the-thao"
    assert big.label == "the-thao"


def test_non_text_input_is_refused_clearly(model: CategoryModel) -> None:
    with pytest.raises(TypeError, match="text 1 is bytes"):
        model.predict(["bóng đá", b"bong da"])  # type: ignore[list-item]


def test_one_category_only_is_refused() -> None:
    with pytest.raises(TrainingError, match="only one category"):
        CategoryModel().fit(["bóng đá hay", "cầu thủ giỏi"], ["the-thao", "the-thao"])


def test_too_few_articles_in_a_category_are_refused() -> None:
    train_texts, labels = texts(5)
    with pytest.raises(TrainingError, match=r"at least 2 .*xe \(1\)"):
        CategoryModel().fit([*train_texts, "xe máy điện"], [*labels, "xe"])


def test_no_words_at_all_is_refused() -> None:
    with pytest.raises(TrainingError, match="no labelled article has any words"):
        CategoryModel().fit(["", "...", "  "], ["a", "b", "a"])


def test_mismatched_or_empty_labels_are_refused() -> None:
    with pytest.raises(TrainingError, match="2 texts but 1 labels"):
        CategoryModel().fit(["a", "b"], ["x"])
    with pytest.raises(TrainingError, match="non-empty category slug"):
        CategoryModel().fit(["a", "b"], ["x", ""])


def test_an_untrained_model_says_so() -> None:
    with pytest.raises(ClassifyError, match="not trained or loaded"):
        CategoryModel().predict(["bóng đá"])


# -- bad files


def _saved(model: CategoryModel, directory: Path) -> Path:
    return model.save(directory)


def test_truncated_file_is_refused(model: CategoryModel, tmp_path: Path) -> None:
    path = _saved(model, tmp_path)
    path.write_bytes(path.read_bytes()[: path.stat().st_size // 2])
    with pytest.raises(ModelFileError, match="not a readable category model"):
        CategoryModel.load(path)


def test_random_bytes_and_missing_files_are_refused(tmp_path: Path) -> None:
    junk = tmp_path / "categories-20260101T000000Z-000000000000.npz"
    junk.write_bytes(bytes(range(256)) * 10)
    with pytest.raises(ModelFileError, match="not a readable category model"):
        CategoryModel.load(junk)
    with pytest.raises(ModelFileError, match="no such model file"):
        CategoryModel.load(tmp_path / "absent.npz")
    with pytest.raises(ModelFileError):
        CategoryModel.latest(tmp_path)  # the newest file is junk: say so, do not guess


def test_foreign_npz_and_pickles_are_refused(tmp_path: Path) -> None:
    foreign = tmp_path / "foreign.npz"
    np.savez(foreign, weights=np.zeros(3))
    with pytest.raises(ModelFileError, match="not a category model"):
        CategoryModel.load(foreign)
    pickled = tmp_path / "pickled.npz"
    arrays = {k: np.array([{"x": 1}], dtype=object) for k in ("columns", "idf", "weights")}
    np.savez(pickled, intercept=np.zeros(2), meta=np.zeros(2), **arrays)
    with pytest.raises(ModelFileError, match="not a readable category model"):
        CategoryModel.load(pickled)


def _rewrite(path: Path, **changes: object) -> None:
    with np.load(path) as npz:
        arrays = {k: npz[k] for k in npz.files}
    meta = json.loads(arrays["meta"].tobytes())
    for key, value in changes.items():
        if key in arrays:
            arrays[key] = np.asarray(value, dtype=arrays[key].dtype)
        else:
            meta[key] = value
    arrays["meta"] = np.frombuffer(json.dumps(meta).encode(), dtype=np.uint8)
    np.savez(path, **arrays)


def test_a_model_of_the_first_format_asks_to_retrain(model: CategoryModel, tmp_path: Path) -> None:
    """Format 1 had no title and lead features: its weights would be read wrongly."""
    path = _saved(model, tmp_path)
    _rewrite(path, format_version=1, lead_words=None, lead_weight=None)
    with pytest.raises(ModelFileError, match="model format 1, this version reads 2"):
        CategoryModel.load(path)


def test_lead_settings_are_checked_and_kept(model: CategoryModel, tmp_path: Path) -> None:
    with pytest.raises(ValueError, match="lead_words"):
        CategoryModel(lead_words=0)
    with pytest.raises(ValueError, match="lead_weight"):
        CategoryModel(lead_weight=-0.1)
    loaded = CategoryModel.load(_saved(model, tmp_path))
    assert (loaded.lead_words, loaded.lead_weight) == (model.lead_words, model.lead_weight)
    assert loaded.metadata["lead_words"] == model.lead_words


def test_edited_weights_fail_the_hash(model: CategoryModel, tmp_path: Path) -> None:
    path = _saved(model, tmp_path)
    with np.load(path) as npz:
        intercept = npz["intercept"] + 1
    _rewrite(path, intercept=intercept)
    with pytest.raises(ModelFileError, match="does not match its hash"):
        CategoryModel.load(path)


def test_other_formats_and_broken_metadata_are_refused(
    model: CategoryModel, tmp_path: Path
) -> None:
    path = _saved(model, tmp_path)
    _rewrite(path, format_version=FORMAT_VERSION + 1)
    with pytest.raises(ModelFileError, match="run `diemtin train` again"):
        CategoryModel.load(path)
    _rewrite(path, format_version=FORMAT_VERSION, format="something-else")
    with pytest.raises(ModelFileError, match="not a diemtin category model"):
        CategoryModel.load(path)
    _rewrite(path, format=FORMAT, bits="many")
    with pytest.raises(ModelFileError, match="lacks a valid 'bits'"):
        CategoryModel.load(path)
    _rewrite(path, bits=19, lead_weight=-1.0)
    with pytest.raises(ModelFileError, match="impossible model"):
        CategoryModel.load(path)
    _rewrite(path, lead_weight=0.3, columns=np.array([width(19) + 5], dtype=np.uint32))
    with pytest.raises(ModelFileError, match="do not fit together"):
        CategoryModel.load(path)
