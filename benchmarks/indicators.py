"""Indicator engine throughput at province scale, against plain pandas and DuckDB's bare scan.

One school year of the demo city scaled up (×7 ≈ 25,000 schools, ×15 ≈ 53,000 schools and
830,000 classes) is generated into an in-memory DuckDB. Then, best of --runs:
  engine  eduplan.indicators.compute: every catalog indicator for the city, every district and
          every school (SQL generated from the catalog, one GROUP BY GROUPING SETS per table);
  pandas  the same indicators from the same catalog definitions in plain pandas (merge with the
          schools, eval the filters, group by school / district / city, divide);
  floor   DuckDB reading every column the indicators use, once (a sum per column): no engine
          can compute the indicators faster than it can read their input.
The pandas and engine values are compared, so the figures time the same answers.
Goal: engine under 10 s on a 2-core machine and at least 10× faster than pandas.
Run: .venv/bin/python benchmarks/indicators.py [--scale 7] [--runs 3]
"""

from __future__ import annotations

import argparse
import math
import re
import sys
import time

import pandas as pd

from eduplan.demo.statistics import DemoSpec, generate
from eduplan.indicators import catalog, compute, connect
from eduplan.indicators.schema import city, tables

YEAR = 2024


def best_of(runs: int, job) -> tuple[float, object]:
    """Seconds of the fastest run (the least disturbed by the other helpers' work) and its result."""
    best, result = math.inf, None
    for _ in range(runs):
        start = time.perf_counter()
        result = job()
        best = min(best, time.perf_counter() - start)
    return best, result


def floor_scan(con) -> None:
    for name, table in tables().items():
        sums = ", ".join(f"count({c.name})" if c.type in ("VARCHAR", "BOOLEAN") else f"sum({c.name})"
                         for c in table.columns)
        con.execute(f"SELECT {sums} FROM {name} WHERE year = {YEAR}").fetchall()


# ---------------------------------------------------------------- the pandas baseline

def _pandas_expr(sql: str) -> str:
    """The catalog's small SQL expressions in DataFrame.eval syntax."""
    text = re.sub(r"CASE WHEN (.+?) THEN 1 ELSE 0 END", r"(\1)", sql)
    text = re.sub(r"\bIN \(([^)]*)\)", r"in [\1]", text)
    text = text.replace("<>", "!=").replace(" AND ", " and ").replace(" OR ", " or ")
    return re.sub(r"(?<![<>!=])=(?!=)", "==", text)


def load_frames(con) -> dict[str, pd.DataFrame]:
    frames = {name: con.execute(f"SELECT * FROM {name} WHERE year = {YEAR}").df() for name in tables()}
    schools = frames["schools"][["school_code", "district_code", "level", "public", "puhui"]]
    for name in ("classes", "students", "teachers", "health_staff", "facilities"):
        frames[name] = frames[name]
    frames["_schools"] = schools
    return frames


def pandas_indicators(frames: dict[str, pd.DataFrame], city_code: str) -> dict[tuple[str, str], float]:
    joined = {name: frames[name].merge(frames["_schools"], on="school_code")
              for name in ("classes", "students", "teachers", "health_staff", "facilities")}
    joined["schools"] = frames["schools"]
    joined["population"] = frames["population"]
    sums: dict[tuple, dict[str, float]] = {}

    def part_sums(part) -> dict[str, float]:
        key = (part.table, part.expr, part.where)
        if key not in sums:
            df = joined[part.table]
            rows = df[df.eval(_pandas_expr(part.where)).fillna(False).astype(bool)]
            value = rows.eval(_pandas_expr(part.expr)) if part.expr != "1" else pd.Series(1.0, index=rows.index)
            rows = rows.assign(_v=pd.to_numeric(value, errors="coerce").astype(float))
            result = {city_code: rows["_v"].sum()}
            result |= rows.groupby("district_code")["_v"].sum().to_dict()
            if "school_code" in rows:
                result |= rows.groupby("school_code")["_v"].sum().to_dict()
            sums[key] = result
        return sums[key]

    values: dict[tuple[str, str], float] = {}
    for item in catalog().values():
        if item.kind == "count":
            for unit, v in part_sums(item.numerator).items():
                values[(item.id, unit)] = v
        elif item.kind == "ratio":
            num, den = part_sums(item.numerator), part_sums(item.denominator)
            for unit, d in den.items():
                if d:
                    values[(item.id, unit)] = item.factor * num.get(unit, 0.0) / d
    school_district = frames["_schools"].set_index("school_code")["district_code"]
    for item in catalog().values():
        if item.kind == "cv":
            ratio = catalog()[item.of]
            num, den = part_sums(ratio.numerator), part_sums(ratio.denominator)
            per_school = pd.DataFrame({"x": pd.Series(num), "p": pd.Series(den)}).dropna()
            per_school = per_school[(per_school.p > 0) & per_school.index.isin(school_district.index)]
            per_school["district"] = school_district.reindex(per_school.index).to_numpy()
            groups = [(city_code, per_school), *per_school.groupby("district")]
            for unit, g in groups:
                mean = g.x.sum() / g.p.sum()
                s = math.sqrt((g.p / g.p.sum() * (g.x / g.p - mean) ** 2).sum())
                values[(item.id, unit)] = s / mean if mean else float("nan")
    return values


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--scale", type=float, default=7.0, help="×1 the demo city, ×7 ≈ 25,000 schools (default 7)")
    parser.add_argument("--runs", type=int, default=3, help="timed runs; the fastest counts (default 3)")
    args = parser.parse_args()

    con = connect()
    start = time.perf_counter()
    generate(con, DemoSpec(years=(YEAR,), scale=args.scale))
    generated_s = time.perf_counter() - start
    schools, classes = (con.execute(f"SELECT count(*) FROM {t}").fetchone()[0] for t in ("schools", "classes"))
    print(f"scale ×{args.scale:g}: {schools:,} schools, {classes:,} classes "
          f"(generated in {generated_s:.2f} s); {len(catalog())} indicators")

    engine_s, _ = best_of(args.runs, lambda: compute(con, [YEAR]))
    written = con.execute("SELECT count(value) FROM indicator_values").fetchone()[0]
    floor_s, _ = best_of(args.runs, lambda: floor_scan(con))
    frames = load_frames(con)
    city_code = city(con)[0]
    pandas_s, expected = best_of(args.runs, lambda: pandas_indicators(frames, city_code))

    engine = {(i, u): v for i, u, v in con.execute(
        "SELECT indicator_id, unit_code, value FROM indicator_values WHERE value IS NOT NULL").fetchall()}
    shared = [k for k in expected if k in engine and not math.isnan(expected[k])]
    worst = max(abs(engine[k] - expected[k]) / max(1.0, abs(expected[k])) for k in shared)
    print(f"engine  {engine_s:7.3f} s  ({written:,} values for city, districts and schools)")
    print(f"pandas  {pandas_s:7.3f} s  engine is {pandas_s / engine_s:5.1f}× faster "
          f"(same values: {len(shared):,} compared, worst relative difference {worst:.1e})")
    print(f"floor   {floor_s:7.3f} s  engine takes {engine_s / floor_s:5.1f}× the bare scan of its input")
    goal = engine_s < 10 and pandas_s / engine_s >= 10
    print("goal (under 10 s, ≥ 10× pandas):", "met" if goal else "NOT met")
    return 0 if goal else 1


if __name__ == "__main__":
    sys.exit(main())
