"""Indicator engine throughput at province scale, against plain pandas and DuckDB's bare scan.

One school year of the demo city scaled up is generated into an in-memory DuckDB, at the two sizes
the goal names: ×7 ≈ 25,000 schools (388,220 classes) and ×13 ≈ 700,000 classes (46,423 schools);
the demo city's calibration gives about 16 classes a school, so one scale cannot match both.
Then, best of --runs:
  engine  eduplan.indicators.compute: every catalog indicator for the city, every district and
          every school, written to indicator_values in a transaction (one INSERT … SELECT generated
          from the catalog: each statistics table summed per school once, the school rows summed
          to districts and the city);
  pandas  the same indicators from the same catalog definitions in vectorised pandas, two ways:
          plain, indicator by indicator, as a pandas user writes it (each indicator's numerator and
          denominator filtered and summed with groupby by school, district and city; each table
          joined with its schools once): the goal's baseline; and, as a stronger reference, the
          engine's own plan ported to pandas, one pass per table (every part of a table a masked
          column, one groupby per table and level, ratios divided column-wise). 差异系数 with
          groupby transforms in both; the result a Series by (indicator, org unit). The frames are
          read from DuckDB beforehand, not timed;
  floor   DuckDB reading every column of the statistics tables once (a sum or count per column):
          no engine can compute the indicators faster than it can read their input.
Every value either pandas gives is compared with the engine's (same org units, relative difference
≤ 1e-9), so the figures time the same answers.
Goal: engine under 10 s on a 2-core machine and at least 10× faster than the plain pandas
implementation, at each scale; the exit status is 0 when it holds at every scale run.
Measured 2026-12-02 (DuckDB 2.0.1, pandas 3.1.1; this machine's speed wandered by a third between
runs, both sides alike), five runs, three of them with --runs 3: ×7 engine 0.19-0.30 s, plain pandas
2.2-3.3 s (9.8-14.8×; 11.1× and 13.6× with the default 5 runs), the ported plan 1.2-1.5 s (4.4-7.2×);
×13 engine 0.33-0.40 s, plain pandas 5.1-5.4 s (12.7-16.0×), the ported plan 1.7-3.0 s (5.2-7.6×).
About 40-60 ms of the engine's time is DuckDB planning the one generated statement (13 kB of SQL),
whatever the data size: a part of why the port, which plans nothing, stays within 4-8× of the engine.
--profile adds where the engine's time goes: its steps, DuckDB's profile of the statement
(planning, CPU, blocked threads, operators by the table they read, writing), 1 against 2 threads.
Run: .venv/bin/python benchmarks/indicators.py [--scale 7 [--scale 13]] [--runs 5] [--profile]
"""

from __future__ import annotations

import argparse
import json
import math
import re
import sys
import tempfile
import time
from collections import Counter
from pathlib import Path

import numpy as np
import pandas as pd

from eduplan.demo.statistics import MAX_SCALE, DemoSpec, generate
from eduplan.indicators import compute, connect
from eduplan.indicators import engine as engine_module
from eduplan.indicators.catalog import catalog, indicator
from eduplan.indicators.schema import city, tables

YEAR = 2024
SCHOOL_COLUMNS = ["school_code", "district_code", "level", "public", "puhui", "boarding"]


def best_of(runs: int, job) -> tuple[float, object]:
    """Seconds of the fastest run (the least disturbed by the other helpers' work) and its result."""
    best, result = math.inf, None
    for _ in range(runs):
        start = time.perf_counter()
        outcome = job()
        seconds = time.perf_counter() - start
        if seconds < best:
            best, result = seconds, outcome
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
    return {name: con.execute(f"SELECT * FROM {name} WHERE year = {YEAR}").df() for name in tables()}


def _part_columns(df: pd.DataFrame, parts: list) -> pd.DataFrame:
    """A column per part: the expr where the filter holds, NaN elsewhere (a masked column)."""
    columns = {}
    for part in parts:
        mask = df.eval(_pandas_expr(part.where)).fillna(False).astype(bool)
        value = df.eval(_pandas_expr(part.expr)) if part.expr != "1" else pd.Series(1.0, index=df.index)
        columns[part] = pd.to_numeric(value, errors="coerce").astype(float).where(mask)
    return pd.DataFrame(columns, index=df.index)


def _level_sums(frames: dict[str, pd.DataFrame], parts_by_table: dict[str, list]) -> dict[str, pd.DataFrame]:
    """Per school, per district and city: one row per org unit, a column per part (NaN as SQL's NULL)."""
    schools = frames["schools"][SCHOOL_COLUMNS]
    sums: dict[str, list[pd.DataFrame]] = {"school": [], "district": [], "city": []}
    for name, parts in parts_by_table.items():
        df = frames[name] if name in ("schools", "population") else frames[name].merge(schools, on="school_code")
        wide = _part_columns(df, parts)
        if "school_code" in df:
            sums["school"].append(wide.groupby(df["school_code"]).sum(min_count=1))
        sums["district"].append(wide.groupby(df["district_code"]).sum(min_count=1))
        sums["city"].append(wide.sum(min_count=1).to_frame().T)
    result = {level: pd.concat(frames_, axis=1) for level, frames_ in sums.items()}
    result["school"] = result["school"].reindex(schools["school_code"])
    return result


def pandas_ported_plan(frames: dict[str, pd.DataFrame], city_code: str) -> pd.Series:
    """Every indicator's value by (indicator id, org unit); the engine's rules for no data."""
    chosen = list(catalog().values())
    parts_by_table: dict[str, list] = {}
    for item in chosen + [indicator(i.of) for i in chosen if i.kind == "cv"]:
        for part in (item.numerator, item.denominator):
            if part is not None and part not in parts_by_table.setdefault(part.table, []):
                parts_by_table[part.table].append(part)
    sums = _level_sums(frames, parts_by_table)
    sums["city"].index = [city_code]
    results = []
    for item in chosen:
        if item.kind == "cv":
            continue
        for level, table in sums.items():
            if item.kind == "count":
                value = table[item.numerator] if level == "school" else table[item.numerator].fillna(0)
            elif item.denominator in table:
                value = item.factor * table[item.numerator].fillna(0) / table[item.denominator].replace(0, np.nan)
            else:
                continue  # population: no school values
            results.append(value.dropna().rename(item.id))
    school_district = frames["schools"].set_index("school_code")["district_code"]
    for item in chosen:
        if item.kind == "cv":
            ratio = indicator(item.of)
            results += _pandas_cvs(item.id, sums["school"][ratio.numerator], sums["school"][ratio.denominator],
                                   school_district, city_code)
    return pd.concat(results, keys=[s.name for s in results], names=["indicator_id", "unit_code"])


def _pandas_cvs(cv_id: str, x: pd.Series, p: pd.Series, school_district: pd.Series, city_code: str) -> list:
    """X̄ = Σx/ΣP, S = √Σ(Pᵢ/P)(xᵢ/Pᵢ − X̄)², CV = S/X̄ per district and for the city, vectorised."""
    d = pd.DataFrame({"x": x, "p": p, "district": school_district.reindex(x.index)}).dropna(subset=["x", "p"])
    d = d[d.p > 0]
    g = d.groupby("district")
    total = g.p.transform("sum")
    mean = g.x.transform("sum") / total
    spread = np.sqrt((d.p / total * (d.x / d.p - mean) ** 2).groupby(d.district).sum())
    by_district = spread / (g.x.sum() / g.p.sum())
    city_mean = d.x.sum() / d.p.sum()
    city_cv = math.sqrt((d.p / d.p.sum() * (d.x / d.p - city_mean) ** 2).sum()) / city_mean if len(d) else np.nan
    values = pd.concat([by_district, pd.Series([city_cv], index=[city_code])])
    return [values[np.isfinite(values)].rename(cv_id)]


def pandas_by_indicator(frames: dict[str, pd.DataFrame], city_code: str) -> pd.Series:
    """Every indicator's value by (indicator id, org unit), as a pandas user writes it: each indicator on its
    own, from its definition, its numerator and denominator filtered and summed by school, district and city
    with groupby (vectorised, no loop over rows or units). Each table is joined with its schools once."""
    schools = frames["schools"][SCHOOL_COLUMNS]
    joined = {name: frame if name in ("schools", "population") else frame.merge(schools, on="school_code")
              for name, frame in frames.items()}
    units = {"school": pd.Index(schools["school_code"]),
             "district": pd.Index(schools["district_code"].dropna().unique()).union(
                 pd.Index(frames["population"]["district_code"].unique())),
             "city": pd.Index([city_code])}
    results = []
    for item in catalog().values():
        if item.kind == "cv":
            ratio = indicator(item.of)
            x, p = _sums_by_unit(joined, ratio.numerator, city_code), _sums_by_unit(joined, ratio.denominator, city_code)
            school_district = schools.set_index("school_code")["district_code"]
            results += _pandas_cvs(item.id, x["school"].reindex(units["school"]), p["school"].reindex(units["school"]),
                                   school_district, city_code)
            continue
        numerator = _sums_by_unit(joined, item.numerator, city_code)
        denominator = _sums_by_unit(joined, item.denominator, city_code) if item.kind == "ratio" else None
        for level, index in units.items():
            if level not in numerator or (denominator is not None and level not in denominator):
                continue  # a district table: no school values
            num = numerator[level].reindex(index)
            if item.kind == "count":
                value = num if level == "school" else num.fillna(0)
            else:
                value = item.factor * num.fillna(0) / denominator[level].reindex(index).replace(0, np.nan)
            results.append(value.dropna().rename(item.id))
    return pd.concat(results, keys=[s.name for s in results], names=["indicator_id", "unit_code"])


def _sums_by_unit(joined: dict[str, pd.DataFrame], part, city_code: str) -> dict[str, pd.Series]:
    """Σ expr over the rows where the filter holds, by school (school tables only), district and city."""
    frame = joined[part.table]
    rows = frame[frame.eval(_pandas_expr(part.where)).fillna(False).astype(bool)]
    value = rows.eval(_pandas_expr(part.expr)) if part.expr != "1" else pd.Series(1.0, index=rows.index)
    value = pd.to_numeric(value, errors="coerce").astype(float)
    sums = {"district": value.groupby(rows["district_code"]).sum(min_count=1),
            "city": pd.Series([value.sum(min_count=1)], index=[city_code])}
    if "school_code" in rows:
        sums["school"] = value.groupby(rows["school_code"]).sum(min_count=1)
    return sums


def compare(con, expected: pd.Series) -> tuple[int, float]:
    """How many values were compared and the worst relative difference; exits when they differ."""
    engine = {(i, u): v for i, u, v in con.execute(
        f"SELECT indicator_id, unit_code, value FROM indicator_values WHERE year = {YEAR} AND value IS NOT NULL"
    ).fetchall()}
    theirs = expected.to_dict()
    if engine.keys() != theirs.keys():
        only = sorted(engine.keys() ^ theirs.keys())[:5]
        sys.exit(f"engine and pandas give values for different org units, e.g. {only}")
    worst = max(abs(engine[k] - theirs[k]) / max(1.0, abs(theirs[k])) for k in engine)
    if worst > 1e-9:
        sys.exit(f"engine and pandas values differ: worst relative difference {worst:.1e}")
    return len(engine), worst


# ---------------------------------------------------------------- --profile

def profile(con, runs: int) -> None:
    """Where the engine's time goes: its steps, DuckDB's profile of its statement, threads."""
    timings: list[dict[str, float]] = []
    for _ in range(runs):
        timings.append({})
        compute(con, [YEAR], timings=timings[-1])
    print("profile: engine steps (fastest run)")
    for step, seconds in min(timings, key=lambda t: sum(t.values())).items():
        print(f"  {seconds:7.4f} s  {step}")
    chosen = list(catalog().values())
    insert = engine_module.insert_sql(chosen, city(con)[0], str(YEAR))
    report = _duckdb_profile(con, insert)
    query, planning = report["query"], sum(report[k]["total_time"] for k in ("planner", "optimizer", "physical_planner"))
    print(f"profile: the INSERT … SELECT in DuckDB: {query['total_time']:.4f} s, of which planning {planning:.4f} s; "
          f"CPU {query['cpu_time']:.4f} s on both threads, threads blocked {report['system']['blocked_thread_time']:.4f} s")
    by_source: Counter[str] = Counter()
    for root in report["operator"]:
        _charge(root, by_source)
    for source, seconds in by_source.most_common(9):
        print(f"  {seconds:7.4f} s  {source}")
    threads = con.execute("SELECT current_setting('threads')").fetchone()[0]
    for count in sorted({1, 2, threads}):
        con.execute(f"SET threads = {count}")
        print(f"  threads = {count}: compute {best_of(runs, lambda: compute(con, [YEAR]))[0]:.4f} s")
    con.execute(f"SET threads = {threads}")


def _duckdb_profile(con, insert: str) -> dict:
    """DuckDB's own profile of the statement, run in a transaction that is rolled back."""
    with tempfile.TemporaryDirectory() as folder, con.cursor() as cur:
        out = Path(folder) / "profile.json"
        cur.execute("BEGIN TRANSACTION")
        cur.execute(f"DELETE FROM indicator_values WHERE year = {YEAR}")
        cur.execute("PRAGMA enable_profiling = 'json'")
        cur.execute(f"PRAGMA profiling_output = '{out}'")
        cur.execute(insert)
        cur.execute("PRAGMA disable_profiling")
        cur.execute("ROLLBACK")
        return json.loads(out.read_text("utf-8"))


VALUES_LABEL = "ratios, counts and 差异系数 from the parts rows"
JOINS_LABEL = "joining the per-school sums, summing districts and the city"


def _charge(node: dict, totals: Counter, ctes: dict[str, str] | None = None) -> str | None:
    """Charge each operator to the one table it reads (scan, filter, sum over that table), to the
    values read off the parts rows, or to the joins and roll-up where its inputs are several."""
    if ctes is None:
        ctes = {}
        _cte_names(node, ctes)
    info = node.get("extra_info", {})
    children = {_charge(child, totals, ctes) for child in node.get("children", [])} - {""}
    if node["type"] == "COLUMN_DATA_SCAN":
        own = ""  # a VALUES list: takes the side of what it is joined to
    elif node["type"] == "CTE_SCAN":
        own = VALUES_LABEL if ctes.get(info.get("CTE Index")) in ("parts", "s") else JOINS_LABEL
    elif info.get("Table"):
        own = f"reading and summing {info['Table'].split('.')[-1]}"
    else:
        own = children.pop() if len(children) == 1 else JOINS_LABEL
    totals["writing indicator_values" if node["type"] == "INSERT" else own or JOINS_LABEL] += node["timing"]
    return own


def _cte_names(node: dict, names: dict[str, str]) -> None:
    info = node.get("extra_info", {})
    if node["type"] == "CTE":
        names[info.get("Table Index")] = info.get("CTE Name")
    for child in node.get("children", []):
        _cte_names(child, names)


def run_scale(scale: float, runs: int, show_profile: bool) -> bool:
    """Generate one scale, time the engine, both pandas versions and the floor; True when the goal holds."""
    con = connect()
    start = time.perf_counter()
    generate(con, DemoSpec(years=(YEAR,), scale=scale))
    generated_s = time.perf_counter() - start
    schools, classes = (con.execute(f"SELECT count(*) FROM {t}").fetchone()[0] for t in ("schools", "classes"))
    print(f"scale ×{scale:g}: {schools:,} schools, {classes:,} classes "
          f"(generated in {generated_s:.2f} s); {len(catalog())} indicators")

    engine_s, _ = best_of(runs, lambda: compute(con, [YEAR]))
    written = con.execute("SELECT count(value) FROM indicator_values").fetchone()[0]
    floor_s, _ = best_of(runs, lambda: floor_scan(con))
    read_s, frames = best_of(runs, lambda: load_frames(con))
    city_code = city(con)[0]
    plain_s, plain = best_of(runs, lambda: pandas_by_indicator(frames, city_code))
    compared, worst = compare(con, plain)
    ported_s, ported = best_of(runs, lambda: pandas_ported_plan(frames, city_code))
    worst = max(worst, compare(con, ported)[1])
    print(f"engine  {engine_s:7.3f} s  ({written:,} values for city, districts and schools)")
    print(f"pandas  {plain_s:7.3f} s  plain, indicator by indicator: engine is {plain_s / engine_s:5.1f}× faster")
    print(f"        {ported_s:7.3f} s  the engine's own plan ported to pandas (one pass per table): engine is "
          f"{ported_s / engine_s:5.1f}× faster")
    print(f"        (both give the engine's values: all {compared:,} compared, worst relative difference {worst:.1e}; "
          f"reading their frames from the statistics database, {read_s:.3f} s, not counted)")
    print(f"floor   {floor_s:7.3f} s  engine takes {engine_s / floor_s:5.1f}× the bare scan of its input")
    met = engine_s < 10 and plain_s / engine_s >= 10
    print(f"goal at ×{scale:g} (under 10 s, ≥ 10× the plain pandas implementation):", "met" if met else "NOT met")
    if show_profile:
        profile(con, runs)
    con.close()
    return met


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--scale", type=float, action="append",
                        help="×1 the demo city, ×7 ≈ 25,000 schools, ×13 ≈ 700,000 classes; "
                             "repeat for several (default: 7 and 13)")
    parser.add_argument("--runs", type=int, default=5, help="timed runs; the fastest counts (default 5)")
    parser.add_argument("--profile", action="store_true", help="also print where the engine's time goes")
    args = parser.parse_args()
    scales = args.scale or [7.0, 13.0]
    if args.runs < 1 or not all(0 < scale <= MAX_SCALE for scale in scales):
        parser.error(f"--runs takes 1 or more, --scale a factor above 0 and at most {MAX_SCALE}")
    results = [run_scale(scale, args.runs, args.profile) for scale in scales]
    return 0 if all(results) else 1


if __name__ == "__main__":
    sys.exit(main())
