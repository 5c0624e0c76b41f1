"""Reader throughput: the five seeds read 100 times, against OpenCC conversion alone.

The floor is OpenCC's t2s conversion of the same text: every document passes through it,
so the whole pipeline cannot beat it. The goal is at least 1 MB of text per second per
core for the pipeline from text to tree. Run: .venv/bin/python benchmarks/reader.py
"""

from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path

import opencc

from eduplan.reader import read
from eduplan.samples import sample_path

SEEDS = Path(__file__).resolve().parents[2] / "shared" / "seeds"


def corpus() -> list[tuple[str, bytes]]:
    paths = sorted(SEEDS.glob("*.txt")) or [sample_path("plan"), sample_path("summary")]
    return [(p.name, p.read_bytes()) for p in paths]


def best_of(runs: int, job) -> float:
    """Seconds of the fastest run: the least disturbed by the other core's work."""
    times = []
    for _ in range(runs):
        start = time.perf_counter()
        job()
        times.append(time.perf_counter() - start)
    return min(times)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=100, help="times each document is read (default 100)")
    parser.add_argument("--runs", type=int, default=3, help="timed runs; the fastest counts (default 3)")
    args = parser.parse_args()

    documents = corpus()
    texts = [data.decode("utf-8", errors="replace") for _, data in documents]
    megabytes = sum(len(data) for _, data in documents) * args.repeat / 1e6
    converter = opencc.OpenCC("t2s")

    def pipeline():
        for _ in range(args.repeat):
            for name, data in documents:
                read(data, name=name)

    def opencc_only():
        for _ in range(args.repeat):
            for text in texts:
                converter.convert(text)

    pipeline_s = best_of(args.runs, pipeline)
    floor_s = best_of(args.runs, opencc_only)
    source = "seeds" if SEEDS.is_dir() else "the project's samples (../shared is absent)"
    print(f"corpus: {len(documents)} documents from {source}, x{args.repeat} = {megabytes:.1f} MB, one core")
    print(f"reader pipeline : {pipeline_s:7.2f} s  {megabytes / pipeline_s:6.2f} MB/s")
    print(f"OpenCC t2s alone: {floor_s:7.2f} s  {megabytes / floor_s:6.2f} MB/s  (the floor)")
    print(f"pipeline / floor time ratio: {pipeline_s / floor_s:.1f}x; goal >= 1 MB/s: "
          f"{'met' if megabytes / pipeline_s >= 1 else 'NOT met'}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
