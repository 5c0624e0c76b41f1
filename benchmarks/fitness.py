"""Scoring a province's year of 学生体质健康 results, against a plain per-pupil scorer and DuckDB's bare scan.

A province's year (10 million pupils by default, --pupils N for smaller runs) is generated into an
in-memory DuckDB table in the engine's input shape: every grade code 11–44, both sexes, each tested
item's value drawn on its entry grid across the whole table (a tenth of the values sit exactly on a
threshold), 0.5 % exempt. Then:
  engine     eduplan.fitness.engine.score: every item score, BMI, 标准分, 附加分, 学年总分 and 等级 for
             every pupil, written to a table. The standard's value grid (install_standard, built once per
             database) and the validation pass (engine.problems, run before scoring on import) are timed
             and printed on their own.
  plain      tests/fitness/fitness_reference.py, a per-pupil loop with binary search over the tables,
             as a careful Python programmer writes it from the standard's text. It is timed on a sample
             (--sample pupils, read into Python beforehand, not timed) and extrapolated linearly to all
             pupils; its answers on the sample are compared with the engine's (every item score and total).
  floor      DuckDB reading every column of the same rows once (a sum per column).
Peak memory is the process's maximum resident set (Python, DuckDB and the generated table).
Goal: engine under 60 s for 10 million pupils on a 2-core machine, at least 20× the plain scorer,
peak memory under 4 GB; the exit status is 0 when all three hold.
Run: .venv/bin/python benchmarks/fitness.py [--pupils 10000000] [--sample 100000] [--threads 2]
"""

from __future__ import annotations

import argparse
import resource
import sys
import tempfile
import time
from pathlib import Path

import duckdb

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "src"))
sys.path.insert(0, str(ROOT / "tests" / "fitness"))

from fitness_reference import ReferenceScorer  # noqa: E402

from eduplan.fitness import engine, standard  # noqa: E402

GOAL_SECONDS, GOAL_RATIO, GOAL_PEAK_GB = 60.0, 20.0, 4.0


def generate(con: duckdb.DuckDBPyConnection, pupils: int) -> None:
    """The results table `r`: values on each item's grid; an item only where the grade and sex test it."""
    engine.install_standard(con)
    con.execute(engine.results_table_sql("r"))
    tested = {(code, sex): set(standard.items_for(code, sex)) for code in standard.grades() for sex in "MF"}
    columns = []
    for n, (key, item) in enumerate(standard.items().items(), start=1):
        span = (item.high - item.low) // item.step
        draw = f"{item.low} + ((hash(i, {n}) % {span + 1})::BIGINT) * {item.step}"
        if key in ("height", "weight"):
            draw = {"height": "10000 + ((hash(i, 101) % 900)::BIGINT) * 10",
                    "weight": "2000 + ((hash(i, 102) % 5000)::BIGINT) * 1"}[key]
            columns.append(draw)
            continue
        # most values near the middle of the item's tables: a threshold-dense band, not the plausible extremes
        lows = [t for t in _thresholds(con, key)]
        band_low, band_high = min(lows), max(lows)
        near = (f"{band_low - (band_low % item.step)} + ((hash(i, {n}) % {(band_high - band_low) // item.step + 3})"
                f"::BIGINT) * {item.step}")
        value = f"CASE WHEN hash(i, {n + 50}) % 10 = 0 THEN {draw} ELSE {near} END"
        where = " OR ".join(f"(g = {code} AND s = '{sex}')" for (code, sex), items in tested.items() if key in items)
        columns.append(f"CASE WHEN {where} THEN {value} END")
    codes = sorted(standard.grades())
    con.execute(f"""
        INSERT INTO r
        SELECT i, 'P' || i, g, s, hash(i, 99) % 200 = 0, {', '.join(columns)}
        FROM (SELECT i, {codes}[1 + (hash(i) % {len(codes)})::INTEGER] AS g,
                     CASE WHEN hash(i, 98) % 2 = 0 THEN 'M' ELSE 'F' END AS s
              FROM range({pupils}) t(i))
    """)


def _thresholds(con, item: str) -> list[int]:
    return [abs(k) for (k,) in con.execute("SELECT key FROM std_levels WHERE item = ?", [item]).fetchall()]


def timed(action) -> float:
    start = time.perf_counter()
    action()
    return time.perf_counter() - start


def plain(con: duckdb.DuckDBPyConnection, sample: int) -> tuple[float, int, int]:
    """(seconds for the sample, pupils compared, pupils that differ from the engine)."""
    keys = list(standard.items())
    rows = con.execute(f"SELECT grade_code, sex, exempt, {', '.join(keys)} FROM r ORDER BY row_no LIMIT {sample}").fetchall()
    pupils = [(code, sex, exempt, {k: v for k, v in zip(keys, values, strict=True) if v is not None})
              for code, sex, exempt, *values in rows]
    reference = ReferenceScorer()
    start = time.perf_counter()
    answers = [reference.score(code, sex, values, exempt) for code, sex, exempt, values in pupils]
    seconds = time.perf_counter() - start
    score_keys = [*standard.scored_items(), standard.BMI_ITEM]
    engine_rows = con.execute(f"SELECT {', '.join(score_keys)}, total10, band FROM s ORDER BY row_no LIMIT {sample}").fetchall()
    differ = 0
    for answer, row in zip(answers, engine_rows, strict=True):
        if answer is None:
            differ += row[-1] != engine.EXEMPT_BAND
            continue
        items = {k: v for k, v in zip(score_keys, row, strict=False) if v is not None}
        differ += (items, row[-2], row[-1]) != (answer["items"], int(answer["total"] * 10), answer["band"])
    return seconds, len(answers), differ


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--pupils", type=int, default=10_000_000)
    parser.add_argument("--sample", type=int, default=100_000)
    parser.add_argument("--threads", type=int, default=2)
    parser.add_argument("--memory-limit", default="3GB", help="DuckDB's memory_limit (it spills beyond it)")
    args = parser.parse_args()
    con = duckdb.connect()
    con.execute(f"SET threads = {args.threads}")
    con.execute(f"SET memory_limit = '{args.memory_limit}'")
    con.execute(f"SET temp_directory = '{tempfile.mkdtemp(prefix='eduplan-fitness-bench-')}'")
    con.execute("SET enable_progress_bar = false")
    grid = timed(lambda: engine.install_standard(con))
    made = timed(lambda: generate(con, args.pupils))
    print(f"{args.pupils:,} pupils generated in {made:.1f} s; the standard's value grid built in {grid:.1f} s")
    checked = timed(lambda: engine.problems(con, "r"))
    scored = timed(lambda: engine.score(con, "r", "s"))
    columns = ", ".join(f"sum({c})" for c in ["grade_code", "exempt::INTEGER", *standard.items()]) + ", count(sex)"
    floor = min(timed(lambda: con.execute(f"SELECT {columns} FROM r").fetchall()) for _ in range(3))
    sample = min(args.sample, args.pupils)
    sample_seconds, compared, differ = plain(con, sample)
    plain_total = sample_seconds * args.pupils / sample
    peak_gb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024 / 1024
    bands = dict(con.execute("SELECT band, count(*) FROM s GROUP BY band ORDER BY band").fetchall())
    print(f"engine: scored in {scored:.1f} s ({args.pupils / scored / 1e6:.2f} M pupils/s); validation pass {checked:.1f} s")
    print(f"plain scorer: {sample_seconds:.2f} s for a sample of {sample:,} pupils, extrapolated to "
          f"{plain_total:.0f} s for all: engine {plain_total / scored:.1f}× faster "
          f"({compared:,} sampled pupils compared, {differ} differ)")
    print(f"floor (bare DuckDB scan of the same rows): {floor:.2f} s; engine/floor = {scored / floor:.1f}×")
    print(f"peak memory (max RSS): {peak_gb:.2f} GB; bands: {bands}")
    ok = scored < GOAL_SECONDS * args.pupils / 10_000_000 and plain_total / scored >= GOAL_RATIO \
        and peak_gb < GOAL_PEAK_GB and differ == 0
    print("goal " + ("met" if ok else "NOT met") + f" (scaled to {args.pupils:,} pupils: < "
          f"{GOAL_SECONDS * args.pupils / 10_000_000:.1f} s, ≥ {GOAL_RATIO:.0f}×, < {GOAL_PEAK_GB:.0f} GB, no difference)")
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
