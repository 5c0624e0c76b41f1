"""The demo city's statistics (seeded, calibrated, scalable) and the `eduplan indicators` commands."""

from __future__ import annotations

import json

import pytest
from click.testing import CliRunner

from eduplan.cli import main
from eduplan.demo.statistics import DemoSpec, generate, write_files
from eduplan.indicators import IndicatorError, compute, connect, trace, values
from eduplan.indicators.schema import imported_tables, tables


@pytest.fixture(scope="module")
def demo():
    con = connect()
    generate(con)
    compute(con)
    return con


def city_value(con, indicator_id: str, year: int) -> float:
    return values(con, year, levels=("city",), indicator_id=indicator_id)[0]["value"]


def test_calibrated_on_the_published_figures(demo):
    levels = dict(demo.execute("SELECT level, count(*) FROM schools WHERE year = 2024 GROUP BY level").fetchall())
    # every 12th junior school of a district is 九年一贯制, every 12th senior one a 完全中学
    assert sum(levels[n] for n in ("primary", "junior", "senior", "nine_year", "complete")) == 1571
    assert levels["nine_year"] > 0 and levels["complete"] > 0
    assert levels["kindergarten"] == 2000
    assert demo.execute("SELECT count(*) FROM org_units WHERE level = 'district'").fetchone()[0] == 11
    assert 49 <= city_value(demo, "kg_public_share", 2024) <= 53  # about 51 %
    assert 85 <= city_value(demo, "kg_puhui_share", 2024) <= 89  # about 87 %
    assert 0 < city_value(demo, "compulsory_big_class_share", 2024) < 2  # some oversized classes


def test_several_years_with_trends(demo):
    assert city_value(demo, "kg_public_share", 2019) < city_value(demo, "kg_public_share", 2024)
    assert city_value(demo, "compulsory_big_class_share", 2019) > city_value(demo, "compulsory_big_class_share", 2024)
    assert city_value(demo, "kg_public_count", 2019) < city_value(demo, "kg_public_count", 2024)  # 新增


def test_classes_sum_to_their_grade(demo):
    mismatched = demo.execute("""
        SELECT count(*) FROM students s
        JOIN (SELECT year, school_code, grade, sum(size) AS total FROM classes GROUP BY ALL) c
          USING (year, school_code, grade)
        WHERE c.total <> s.enrolled""").fetchone()[0]
    assert mismatched == 0


def dump(con, year: int) -> list:
    return [con.execute(f"SELECT * FROM {name} WHERE year = {year} ORDER BY ALL").fetchall() for name in tables()]


def test_seeded_and_reproducible(demo):
    again = connect()
    generate(again, DemoSpec(years=(2022,)))  # one year alone equals that year of the six
    assert dump(again, 2022) == dump(demo, 2022)
    other = connect()
    generate(other, DemoSpec(years=(2022,), seed=7))
    assert dump(other, 2022) != dump(demo, 2022)


def test_scale_factor_and_its_bounds():
    con = connect()
    generate(con, DemoSpec(years=(2024,), scale=3))
    assert con.execute("SELECT count(*) FROM schools").fetchone()[0] == 3 * 3571
    assert con.execute("SELECT count(*) FROM org_units WHERE level = 'district'").fetchone()[0] == 33
    with pytest.raises(IndicatorError, match="scale"):
        generate(con, DemoSpec(scale=16))


def test_demo_writes_the_import_templates(tmp_path):
    write_files(tmp_path / "csv", 2024, DemoSpec(scale=0.05))
    assert sorted(p.stem for p in (tmp_path / "csv").glob("*.csv")) == sorted(imported_tables())  # not the derived fitness


def test_trace_errors_are_one_line(demo):
    with pytest.raises(IndicatorError, match="no indicator"):
        trace(demo, "no_such_indicator", "3399", 2024)
    with pytest.raises(IndicatorError, match="no org unit"):
        trace(demo, "kg_public_share", "nowhere", 2024)


# ---------------------------------------------------------------- CLI

@pytest.fixture(scope="module")
def db(tmp_path_factory):
    path = tmp_path_factory.mktemp("stats") / "stats.duckdb"
    result = CliRunner().invoke(main, ["indicators", "demo", "--years", "2020-2021", "--db", str(path)])
    assert result.exit_code == 0, result.output
    return path


def run(*args: str):
    return CliRunner().invoke(main, ["indicators", *args])


def test_compute_json(db):
    result = run("compute", "--year", "2020", "--json", "--db", str(db))
    assert result.exit_code == 0
    payload = json.loads(result.stdout)
    assert payload["year"] == 2020
    levels = {v["level"] for v in payload["values"]}
    assert levels == {"city", "district", "school"}


def test_compute_table(db):
    result = run("compute", "--year", "2021", "--db", str(db))
    assert result.exit_code == 0
    assert "kg_public_share" in result.stdout and "公办园在园幼儿占比" in result.stdout


@pytest.mark.parametrize("args", [["--year", "1999"], ["--year", "abc"], []])
def test_compute_bad_year_exits_2_with_a_message(db, args):
    result = run("compute", *args, "--db", str(db))
    assert result.exit_code == 2
    assert "Traceback" not in result.output


def test_missing_year_message(db):
    result = run("compute", "--year", "1999", "--db", str(db))
    assert "no statistics for 1999 (years loaded: 2020, 2021)" in result.stderr


def test_template_and_rejected_import(db, tmp_path):
    out = tmp_path / "t.xlsx"
    assert run("template", str(out)).exit_code == 0
    result = run("import", str(out), "--year", "2021", "--db", str(db))  # an empty template: nothing to import
    assert result.exit_code == 2
    assert run("compute", "--year", "2021", "--db", str(db)).exit_code == 0  # 2021 still there


def test_trace_cli(db):
    result = run("trace", "kg_public_share", "339901", "--year", "2020", "--db", str(db))
    rows = json.loads(result.stdout)
    assert {r["role"] for r in rows} == {"numerator", "denominator"}


def test_without_db_the_cli_shares_the_web_platforms_statistics(tmp_path, monkeypatch):
    """No --db: the file under EDUPLAN_DATA_DIR, seeded on first use and ending the year before today."""
    import datetime as dt

    monkeypatch.delenv("EDUPLAN_STATS_DB", raising=False)
    monkeypatch.setenv("EDUPLAN_DATA_DIR", str(tmp_path))
    last_year = dt.date.today().year - 1
    result = CliRunner().invoke(main, ["indicators", "compute", "--year", str(last_year), "--json"])
    assert result.exit_code == 0, result.output
    assert (tmp_path / "statistics.duckdb").exists()
    rows = json.loads(result.stdout)["values"]
    city = next(r for r in rows if r["level"] == "city" and r["indicator_id"] == "kg_public_share")
    assert 45 < city["value"] < 60  # the demo city's calibrated 公办园 share, about 51 %
