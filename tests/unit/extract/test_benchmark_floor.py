"""Quality gate: diemtin's F1 on the public article-extraction benchmark must not regress.

Scored as ``bench/extraction.py`` scores it (see ``diemtin.extract.score``). The floor is
the last measured F1 (0.9732 on 2026-11-23) rounded down to two decimals; raise it when
extraction gets better, never lower it to make a change pass.
"""

from __future__ import annotations

import gzip
import json
import logging
from pathlib import Path

import pytest

from diemtin.extract import ExtractError
from diemtin.extract.article import extract
from diemtin.extract.score import aggregate, article_text, score_page

F1_FLOOR = 0.97


def test_f1_floor(shared_data: Path) -> None:
    data = shared_data / "extraction-benchmark"
    if not (data / "ground-truth.json").is_file():
        pytest.skip(f"extraction benchmark absent from {data}")
    truth = json.loads((data / "ground-truth.json").read_text(encoding="utf-8"))
    logging.disable(logging.WARNING)  # trafilatura logs each page it discards
    try:
        pages = []
        for key, record in truth.items():
            with gzip.open(data / "html" / f"{key}.html.gz", "rt", encoding="utf-8") as handle:
                html = handle.read()
            try:
                text = article_text(extract(html, record["url"]))
            except ExtractError:
                text = ""
            pages.append(score_page(record.get("articleBody", ""), text))
    finally:
        logging.disable(logging.NOTSET)
    result = aggregate(pages)
    assert result.pages == len(truth) == 181
    assert result.f1 >= F1_FLOOR, (
        f"F1 {result.f1:.4f} < floor {F1_FLOOR} (P {result.precision:.4f}, R {result.recall:.4f})"
    )
