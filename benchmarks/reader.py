"""Reader throughput: the seeds read 100 times, against OpenCC conversion alone; then the PDF path.

The floor is OpenCC's t2s conversion of the same text: every document passes through it,
so the whole pipeline cannot beat it. The goal is at least 2 MB of text per second per
core for the pipeline from text to tree, and 0.5 MB/s (of PDF bytes) for a PDF read whole.
The PDF section typesets the same texts with reportlab and measures, in the same run, the
reader on the PDF (its pages read by pdflines' lean interpreter) against the same reader with
every page read by pdfminer's interpreter and layout pass (the engine it had before: the baseline).

Each figure is given twice: by the clock (the fastest run) and by the process's CPU time
(the fastest run's). The goals are per core, so they are judged on CPU time: on a machine
whose cores other work shares, the clock counts that work too and the CPU time does not.
Run: .venv/bin/python benchmarks/reader.py [--repeat N] [--runs N] [--pdf-pages N]
"""

from __future__ import annotations

import argparse
import io
import sys
import time
from dataclasses import dataclass
from pathlib import Path

import opencc

from eduplan.reader import read
from eduplan.samples import sample_path

SEEDS = Path(__file__).resolve().parents[2] / "shared" / "seeds"


def corpus() -> list[tuple[str, bytes]]:
    paths = sorted(SEEDS.glob("*.txt")) or [sample_path("plan"), sample_path("summary")]
    return [(p.name, p.read_bytes()) for p in paths]


@dataclass(frozen=True)
class Timing:
    wall: float  # seconds by the clock
    cpu: float  # seconds of this process on a core

    def rates(self, megabytes: float) -> str:
        return f"{self.wall:7.2f} s  {megabytes / self.wall:6.2f} MB/s by the clock, {megabytes / self.cpu:6.2f} MB/s of CPU"


def best_of(runs: int, job) -> Timing:
    """The fastest run, by the clock and by CPU time: the least disturbed by other work."""
    walls, cpus = [], []
    for _ in range(runs):
        start, start_cpu = time.perf_counter(), time.process_time()
        job()
        walls.append(time.perf_counter() - start)
        cpus.append(time.process_time() - start_cpu)
    return Timing(min(walls), min(cpus))


def verdict(megabytes: float, timing: Timing, goal: float) -> str:
    return f"goal >= {goal} MB/s per core: {'met' if megabytes / timing.cpu >= goal else 'NOT met'}"


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=100, help="times each document is read (default 100)")
    parser.add_argument("--runs", type=int, default=3, help="timed runs; the fastest counts (default 3)")
    parser.add_argument("--pdf-pages", type=int, default=40, help="pages of the PDF measured (0: skip)")
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
    print(f"reader pipeline : {pipeline_s.rates(megabytes)}")
    print(f"OpenCC t2s alone: {floor_s.rates(megabytes)}  (the floor)")
    print(f"pipeline / floor CPU time ratio: {pipeline_s.cpu / floor_s.cpu:.1f}x; "
          f"{verdict(megabytes, pipeline_s, TEXT_GOAL)}")
    if args.pdf_pages:
        pdf_section(texts, args.pdf_pages, args.runs)
    return 0


TEXT_GOAL = 2.0  # MB/s per core, text to tree
PDF_GOAL = 0.5  # MB/s of PDF bytes, file to tree


def make_pdf(texts: list[str], pages: int) -> bytes:
    """The texts typeset 26 characters to a line, 30 lines to a page, as a plan's PDF is."""
    from reportlab.pdfbase import pdfmetrics
    from reportlab.pdfbase.cidfonts import UnicodeCIDFont
    from reportlab.pdfgen import canvas

    pdfmetrics.registerFont(UnicodeCIDFont("STSong-Light"))
    lines = [para[i:i + 26] for text in texts for para in text.splitlines() if para.strip()
             for i in range(0, len(para), 26)]
    buffer = io.BytesIO()
    page = canvas.Canvas(buffer, pagesize=(400, 600))
    for number in range(pages):
        page.setFont("STSong-Light", 12)
        for row in range(30):
            page.drawString(40, 560 - row * 18, lines[(number * 30 + row) % len(lines)])
        page.showPage()
    page.save()
    return buffer.getvalue()


def pdf_section(texts: list[str], pages: int, runs: int) -> None:
    from eduplan.reader import pdf

    data = make_pdf(texts, pages)
    megabytes = len(data) / 1e6
    reader_s = best_of(runs, lambda: read(data, name="bench.pdf"))
    pdf.LEAN = False
    try:
        baseline = read(data, name="bench.pdf").to_dict()
        pdfminer_s = best_of(runs, lambda: read(data, name="bench.pdf"))
    finally:
        pdf.LEAN = True
    same = "the same tree" if read(data, name="bench.pdf").to_dict() == baseline else "A DIFFERENT TREE"
    print(f"PDF: {pages} pages, {megabytes:.2f} MB")
    print(f"reader on the PDF      : {reader_s.rates(megabytes)}; {verdict(megabytes, reader_s, PDF_GOAL)}")
    print(f"reader, pdfminer pages : {pdfminer_s.rates(megabytes)}  (the baseline: pdfminer's interpreter and layout)")
    print(f"baseline / reader CPU time ratio: {pdfminer_s.cpu / reader_s.cpu:.1f}x; {same} either way")


if __name__ == "__main__":
    sys.exit(main())
