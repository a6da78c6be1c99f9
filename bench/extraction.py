"""Extraction quality and speed: diemtin against raw trafilatura, in the same run.

    python bench/extraction.py [--data PATH] [--output PATH] [--rounds N]

Reads the public article-extraction benchmark (181 pages ``html/<id>.html.gz`` and
``ground-truth.json``) from ``../shared/data/extraction-benchmark`` or the given path,
scores every extractor as that benchmark does (4-word shingles, precision and recall
averaged over pages, F1 from the averages) and times them page by page, interleaved,
so that a busy machine slows every extractor alike. Writes a table to stdout and the
results to ``bench/results/extraction.json``.

diemtin is scored on the article's text as the page shows it: the lead when the page
shows it, then paragraphs, headings, quotes and lists; figure captions are kept apart
(``Figure.caption``), as the benchmark's ground truth leaves captions out. The literal
``Article.body_text`` (captions in, lead out) is scored too.
"""

from __future__ import annotations

import argparse
import gzip
import json
import logging
import os
import sys
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from importlib.metadata import version
from pathlib import Path

import trafilatura

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "src"))

from diemtin.extract.article import extract  # noqa: E402
from diemtin.extract.errors import ExtractError  # noqa: E402
from diemtin.extract.score import Score, aggregate, article_text, score_page  # noqa: E402
from machine import describe  # noqa: E402  (bench/machine.py; bench/ is on sys.path)

Extractor = Callable[[str, str], dict[str, str]]


@dataclass
class Run:
    name: str
    extract: Extractor
    outputs: dict[str, dict[str, str]] = field(default_factory=dict)
    wall: float = 0.0
    cpu: float = 0.0


def default_data() -> Path:
    shared = os.environ.get("DIEMTIN_SHARED_DATA")
    base = Path(shared) if shared else ROOT.parent / "shared" / "data"
    return base / "extraction-benchmark"


def load_pages(data: Path) -> tuple[dict[str, str], dict[str, dict[str, str]]]:
    truth = json.loads((data / "ground-truth.json").read_text(encoding="utf-8"))
    pages = {}
    for key in truth:
        with gzip.open(data / "html" / f"{key}.html.gz", "rt", encoding="utf-8") as handle:
            pages[key] = handle.read()
    return pages, truth


def diemtin_texts(html: str, url: str) -> dict[str, str]:
    try:
        result = extract(html, url)
    except ExtractError:
        return {"text": "", "body_text": ""}
    return {"text": article_text(result), "body_text": result.article.body_text}


def trafilatura_run(**options: bool) -> Extractor:
    def run(html: str, url: str) -> dict[str, str]:
        return {"text": trafilatura.extract(html, **options) or ""}

    return run


def measure(
    runs: list[Run], pages: dict[str, str], truth: dict[str, dict[str, str]], rounds: int
) -> None:
    keys = list(pages)
    for run in runs:  # warm up: imports, regex and XPath compilation, first-call caches
        for key in keys[:5]:
            run.extract(pages[key], truth[key]["url"])
    for round_index in range(rounds):
        for index, key in enumerate(keys):
            # rotate the order so that no extractor always runs on a cold cache
            shift = (index + round_index) % len(runs)
            for run in runs[shift:] + runs[:shift]:
                wall, cpu = time.perf_counter(), time.process_time()
                output = run.extract(pages[key], truth[key]["url"])
                run.cpu += time.process_time() - cpu
                run.wall += time.perf_counter() - wall
                run.outputs[key] = output


def score(run: Run, truth: dict[str, dict[str, str]], field_name: str = "text") -> Score:
    return aggregate(
        score_page(truth[key].get("articleBody", ""), run.outputs[key].get(field_name, ""))
        for key in truth
    )


def machine() -> dict[str, object]:
    return {**describe(), "trafilatura": version("trafilatura")}


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n", 1)[0])
    parser.add_argument("--data", type=Path, default=default_data())
    parser.add_argument(
        "--output", type=Path, default=ROOT / "bench" / "results" / "extraction.json"
    )
    parser.add_argument("--rounds", type=int, default=1, help="timing rounds over all pages")
    args = parser.parse_args()
    if not (args.data / "ground-truth.json").is_file():
        print(f"benchmark data not found in {args.data}", file=sys.stderr)
        return 2
    logging.disable(logging.WARNING)  # trafilatura logs every page it discards
    pages, truth = load_pages(args.data)
    runs = [
        Run("diemtin", diemtin_texts),
        Run("trafilatura (default)", trafilatura_run()),
        Run("trafilatura favor_precision", trafilatura_run(favor_precision=True)),
        Run("trafilatura no comments", trafilatura_run(include_comments=False)),
        Run(
            "trafilatura favor_precision, no comments",
            trafilatura_run(favor_precision=True, include_comments=False),
        ),
    ]
    measure(runs, pages, truth, args.rounds)
    report(runs, truth, len(pages) * args.rounds, args.output)
    return 0


def report(runs: list[Run], truth: dict[str, dict[str, str]], timed: int, output: Path) -> None:
    info = machine()
    reference = runs[1]
    rows = []
    for run in runs:
        rows.append(_row(run.name, score(run, truth), run, timed, reference))
        if run.name == "diemtin":
            rows.append(
                _row(
                    "diemtin Article.body_text",
                    score(run, truth, "body_text"),
                    run,
                    timed,
                    reference,
                )
            )
    print(f"machine: {info['cpu']}, {info['cores']} cores, load {info['load_average']}")
    print(
        f"pages: {len(truth)}, timed runs per extractor: {timed}, trafilatura {info['trafilatura']}"
    )
    header = (
        f"{'extractor':44} {'F1':>7} {'P':>7} {'R':>7} {'pages/s':>8} {'cpu p/s':>8} {'speed':>6}"
    )
    print(header)
    print("-" * len(header))
    for row in rows:
        print(
            f"{row['extractor']:44} {row['f1']:7.4f} {row['precision']:7.4f} {row['recall']:7.4f}"
            f" {row['pages_per_s']:8.1f} {row['cpu_pages_per_s']:8.1f}"
            f" {row['speed_vs_trafilatura']:6.2f}"
        )
    output.parent.mkdir(parents=True, exist_ok=True)
    output.write_text(
        json.dumps({"machine": info, "pages": len(truth), "results": rows}, indent=2) + "\n"
    )
    print(f"written: {output}")


def _row(name: str, result: Score, run: Run, timed: int, reference: Run) -> dict[str, object]:
    return {
        "extractor": name,
        "f1": round(result.f1, 4),
        "precision": round(result.precision, 4),
        "recall": round(result.recall, 4),
        "pages_per_s": round(timed / run.wall, 2),
        "cpu_pages_per_s": round(timed / run.cpu, 2),
        # CPU time ratio: other work on a shared machine inflates wall time unevenly
        "speed_vs_trafilatura": round(reference.cpu / run.cpu, 3),
    }


if __name__ == "__main__":
    sys.exit(main())
