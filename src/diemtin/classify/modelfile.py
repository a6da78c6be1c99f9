"""The model file: one ``.npz`` of plain arrays (never pickle) with JSON metadata inside.

The name carries the creation time and a hash of the content,
``categories-20260101T120000Z-1a2b3c4d5e6f.npz``: names sort by age, and the
same data and seed give the same hash. Only the feature columns that training
saw are stored, weights as bfloat16 (the top half of a float32: converting back
is a shift). Loading checks the format, the shapes and the hash, so a
truncated, edited or foreign file is refused with a reason.
"""

from __future__ import annotations

import hashlib
import json
import os
import tempfile
import zipfile
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np
import numpy.typing as npt

from diemtin.classify.errors import ModelFileError
from diemtin.classify.features import width

FORMAT = "diemtin-categories"
FORMAT_VERSION = 2  # 2: title and lead counted again (lead_words, lead_weight)
PREFIX = "categories-"
_ARRAYS = ("columns", "idf", "weights", "intercept", "meta")
_DECISIVE = ("classes", "bits", "lead_words", "lead_weight", "temperature", "idf_unseen")
F32 = npt.NDArray[np.float32]


@dataclass
class Contents:
    """A model as it predicts: dense float32 arrays over every feature column."""

    idf: F32  # (columns,)
    weights: F32  # (columns, classes)
    intercept: F32  # (classes,)
    meta: dict[str, Any]  # classes, bits, temperature, metrics, provenance


def round_bf16(values: F32) -> F32:
    """Round float32 to the nearest bfloat16, as stored; round-tripping is then exact."""
    bits = np.ascontiguousarray(values, dtype=np.float32).view(np.uint32)
    rounded = (bits + np.uint32(0x7FFF) + ((bits >> np.uint32(16)) & np.uint32(1))) & np.uint32(
        0xFFFF0000
    )
    return rounded.view(np.float32)


def digest(c: Contents) -> str:
    """A hash of everything that decides a prediction, not of when it was made."""
    return _digest(c.meta, _pack(c))


def _digest(meta: dict[str, Any], packed: dict[str, npt.NDArray[Any]]) -> str:
    h = hashlib.sha256()
    decisive = {k: meta[k] for k in _DECISIVE}
    h.update(json.dumps(decisive, sort_keys=True).encode())
    for name in _ARRAYS[:4]:
        h.update(np.ascontiguousarray(packed[name]).data)
    return h.hexdigest()[:12]


def write(c: Contents, directory: Path) -> Path:
    """Write atomically (a temporary file renamed), so a reader never sees half a model."""
    directory.mkdir(parents=True, exist_ok=True)
    stamp = str(c.meta["created_at"]).replace("-", "").replace(":", "")  # 20260101T120000Z
    path = directory / f"{PREFIX}{stamp}-{c.meta['version']}.npz"
    arrays: dict[str, Any] = _pack(c)
    arrays["meta"] = np.frombuffer(json.dumps(c.meta, sort_keys=True).encode(), dtype=np.uint8)
    fd, tmp = tempfile.mkstemp(dir=directory, prefix=".tmp-", suffix=".npz")
    try:
        with os.fdopen(fd, "wb") as handle:
            np.savez(handle, **arrays)
        os.chmod(tmp, 0o644)  # mkstemp makes it private; the web process may be another user
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise
    return path


def read(path: Path) -> Contents:
    try:
        with np.load(path, allow_pickle=False) as npz:
            missing = [k for k in _ARRAYS if k not in npz.files]
            if missing:
                raise ModelFileError(f"{path}: not a category model (no {', '.join(missing)})")
            arrays = {k: npz[k] for k in _ARRAYS}
        meta = json.loads(arrays.pop("meta").tobytes().decode("utf-8"))
    except ModelFileError:
        raise
    except FileNotFoundError as exc:
        raise ModelFileError(f"{path}: no such model file") from exc
    except (OSError, ValueError, EOFError, zipfile.BadZipFile, UnicodeDecodeError) as exc:
        raise ModelFileError(f"{path}: not a readable category model ({exc})") from exc
    _check_meta(path, meta)
    contents = _unpack(path, arrays, meta)
    if _digest(meta, arrays) != meta["version"]:
        raise ModelFileError(f"{path}: content does not match its hash; the file is damaged")
    return contents


def newest(directory: Path) -> Path | None:
    """The most recent model file in ``directory``, by the time in its name."""
    if not directory.is_dir():
        return None
    found = sorted(p for p in directory.glob(f"{PREFIX}*.npz") if p.is_file())
    return found[-1] if found else None


def _pack(c: Contents) -> dict[str, npt.NDArray[Any]]:
    """The stored arrays: rows that differ from an unseen column's, weights as bfloat16."""
    fill = np.float32(c.meta["idf_unseen"])
    columns = np.flatnonzero((c.idf != fill) | np.any(c.weights != 0, axis=1)).astype(np.uint32)
    halves = (c.weights[columns].view(np.uint32) >> np.uint32(16)).astype(np.uint16)
    return {
        "columns": columns,
        "idf": c.idf[columns],
        "weights": halves,
        "intercept": c.intercept,
    }


def _unpack(path: Path, arrays: dict[str, npt.NDArray[Any]], meta: dict[str, Any]) -> Contents:
    columns, idf, halves, intercept = (arrays[k] for k in _ARRAYS[:4])
    n_columns, n_classes = width(meta["bits"]), len(meta["classes"])
    if (
        columns.ndim != 1
        or columns.dtype != np.uint32
        or idf.shape != columns.shape
        or idf.dtype != np.float32
        or halves.shape != (len(columns), n_classes)
        or halves.dtype != np.uint16
        or intercept.shape != (n_classes,)
        or intercept.dtype != np.float32
        or (len(columns) and int(columns.max()) >= n_columns)
    ):
        raise ModelFileError(f"{path}: arrays do not fit together; the file is damaged")
    dense_idf = np.full(n_columns, np.float32(meta["idf_unseen"]), dtype=np.float32)
    dense_idf[columns] = idf
    weights = np.zeros((n_columns, n_classes), dtype=np.float32)
    weights[columns] = (halves.astype(np.uint32) << np.uint32(16)).view(np.float32)
    return Contents(idf=dense_idf, weights=weights, intercept=intercept, meta=meta)


def _check_meta(path: Path, meta: Any) -> None:
    if not isinstance(meta, dict) or meta.get("format") != FORMAT:
        raise ModelFileError(f"{path}: not a diemtin category model")
    if meta.get("format_version") != FORMAT_VERSION:
        raise ModelFileError(
            f"{path}: model format {meta.get('format_version')!r}, this version reads"
            f" {FORMAT_VERSION}; run `diemtin train` again"
        )
    expected = {"classes": list, "bits": int, "temperature": float, "idf_unseen": float}
    expected |= {"version": str, "lead_words": int, "lead_weight": float}
    for key, kind in expected.items():
        if not isinstance(meta.get(key), kind):
            raise ModelFileError(f"{path}: metadata lacks a valid {key!r}")
    if (
        not 4 <= meta["bits"] <= 26
        or len(meta["classes"]) < 2
        or meta["lead_words"] < 1
        or meta["lead_weight"] < 0
    ):
        raise ModelFileError(f"{path}: metadata describes an impossible model")
