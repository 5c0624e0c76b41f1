"""The 督导评估 a county (区县) is assessed on: 优质均衡 (2017 办法) and 普及普惠 (2020 办法).

The criteria are data (data/assessments.toml). assess() judges every district of a computed year at
once, from the computed values (run compute() first) and a few queries over the school rows:
- indicator:    the district's value against the indicator's threshold; the schools whose own value
                breaks the criterion's school_rule are listed;
- six_of_seven: every school of the stage with pupils meets at least 6 of the 7 resource standards and
                reaches 85 % of the rest; a school with one of the 7 unknown makes the criterion no data;
- school_size:  every school of the levels has at most `limit` pupils.
A county passes when every criterion passes; any no data leaves it undecided (None), never a pass.
What the statistics cannot judge is listed with every county.
"""

from __future__ import annotations

import tomllib
from collections.abc import Iterator
from concurrent.futures import Future, ThreadPoolExecutor
from dataclasses import dataclass, field
from functools import cache
from importlib.resources import files
from itertools import groupby

from .catalog import Threshold, indicator
from .engine import VALUES_TABLE
from .errors import IndicatorError
from .missing import reason
from .schema import levels_with_stage, split_levels, stage_grades

PASS, FAIL, NO_DATA = "pass", "fail", "no_data"
_OPS = {">=": ">=", "<=": "<="}


@dataclass(frozen=True)
class Criterion:
    id: str
    kind: str
    label: str
    standard: str
    source: str
    spec: dict = field(repr=False, hash=False, compare=False)


@dataclass(frozen=True)
class Assessment:
    id: str
    name: str
    source: str
    criteria: tuple[Criterion, ...]
    cannot_judge: tuple[str, ...]


@dataclass
class Verdict:
    criterion: Criterion
    status: str
    value: float | None = None
    shown: str = ""  # the figure as read: 0.423, 92.10 %, 3 / 40 所
    reason: str = ""
    schools: list[dict] = field(default_factory=list)  # failing or undecided schools: code, name, detail


@dataclass
class County:
    code: str
    name: str
    verdicts: list[Verdict]

    @property
    def passed(self) -> bool | None:
        statuses = {v.status for v in self.verdicts}
        if FAIL in statuses:
            return False
        return None if NO_DATA in statuses else True

    def count(self, status: str) -> int:
        return sum(v.status == status for v in self.verdicts)


def _standard_text(threshold: Threshold, unit: str) -> str:
    op = "≥" if threshold.op == ">=" else "≤"
    return f"{op} {threshold.value:g}{'' if unit in ('', '%') else ' '}{unit}"


def _criterion(spec: dict) -> Criterion:
    if spec["kind"] == "indicator":
        item = indicator(spec["indicator"])
        if item.threshold is None:
            raise IndicatorError(f"assessments.toml: {item.id} has no threshold to judge")
        return Criterion(
            spec.get("id", item.id),
            "indicator",
            spec.get("label", item.name),
            _standard_text(item.threshold, item.unit),
            spec.get("source", item.source or ""),
            spec,
        )
    if spec["kind"] == "six_of_seven":
        for item_id in spec["indicators"]:
            indicator(item_id)  # a typo fails at load time
        return Criterion(
            spec["id"],
            "six_of_seven",
            spec["label"],
            f"≥ 6/7，余项 ≥ {spec['floor']:.0%}",
            "《县域义务教育优质均衡发展督导评估办法》第六条（资源配置）",
            spec,
        )
    if spec["kind"] == "school_size":
        return Criterion(
            spec["id"], "school_size", spec["label"], f"≤ {spec['limit']} 人/校", spec["source"], spec
        )
    raise IndicatorError(f"assessments.toml: unknown criterion kind {spec['kind']!r}")


@cache
def assessments() -> dict[str, Assessment]:
    raw = tomllib.loads(files("eduplan.indicators").joinpath("data/assessments.toml").read_text("utf-8"))
    return {
        a["id"]: Assessment(
            a["id"],
            a["name"],
            a["source"],
            tuple(_criterion(c) for c in a["criterion"]),
            tuple(a.get("cannot_judge", ())),
        )
        for a in raw["assessment"]
    }


def assessment(assessment_id: str) -> Assessment:
    try:
        return assessments()[assessment_id]
    except KeyError:
        raise IndicatorError(f"no assessment {assessment_id!r}") from None


def assess(con, assessment_id: str, year: int) -> list[County]:
    """Every district of the year, each criterion judged (districts in code order). The indicator criteria
    read their district values and their schools in one query each, whatever their number. The queries run
    on cursors of `con` at once (one result is turned into Python objects while the next query runs), or one
    after another on `con` itself while it has a transaction open: a cursor would not see what it wrote."""
    spec = assessment(assessment_id)
    indicators = [c for c in spec.criteria if c.kind == "indicator"]
    rules = {c.spec["indicator"]: c.spec["school_rule"] for c in indicators if "school_rule" in c.spec}
    concurrent = not _in_transaction(con)
    run = _on_cursor if concurrent else _on_connection
    with ThreadPoolExecutor(2) if concurrent else _InOrder() as pool:
        jobs = {
            c.id: pool.submit(run, con, _JUDGES[c.kind], c, year)
            for c in spec.criteria
            if c.kind != "indicator"
        }
        failing = pool.submit(run, con, _failing_schools, rules, year)
        districts = con.execute(
            "SELECT code, name FROM org_units WHERE level = 'district' ORDER BY code"
        ).fetchall()
        values = _Values(con, indicators, year, failing)
        judged = {c.id: job.result() for c, job in ((c, jobs.get(c.id)) for c in spec.criteria) if job}
    verdicts: dict[str, list[Verdict]] = {code: [] for code, _ in districts}
    for criterion in spec.criteria:
        found = (
            _indicator_verdicts(values, criterion) if criterion.kind == "indicator" else judged[criterion.id]
        )
        for code in verdicts:
            verdicts[code].append(
                found.get(code) or Verdict(criterion, NO_DATA, reason="本区县无相关学校或统计数据")
            )
    return [County(code, name, verdicts[code]) for code, name in districts]


def _on_cursor(con, query, *args):
    """query(cursor, *args) on a cursor of its own (a connection to the same database, safe from a thread)."""
    with con.cursor() as cursor:
        return query(cursor, *args)


def _on_connection(con, query, *args):
    return query(con, *args)


def _in_transaction(con) -> bool:
    """Whether `con` has a transaction open (BEGIN without COMMIT yet): then two statements share one id."""
    first = con.execute("SELECT txid_current()").fetchone()[0]
    return con.execute("SELECT txid_current()").fetchone()[0] == first


class _InOrder:
    """An executor that runs each job when it is submitted, in the caller's thread."""

    def __enter__(self):
        return self

    def __exit__(self, *exc) -> None:
        return None

    def submit(self, job, *args) -> Future:
        future: Future = Future()
        future.set_result(job(*args))
        return future


def _rows(result) -> list[tuple]:
    """The result's rows, read column by column: DuckDB makes Python objects of a column (fetchnumpy) in
    about half the time it takes to make them row by row (fetchall). Its columns need distinct names."""
    columns = result.fetchnumpy()
    return list(zip(*(column.tolist() for column in columns.values()), strict=True))


def _meets(value: float, op: str, target: float) -> bool:
    return value >= target if op == ">=" else value <= target


class _Values:
    """The district rows of the criteria's indicators, and the schools breaking each school_rule (`failing`,
    from _failing_schools on another cursor)."""

    def __init__(self, con, criteria: list[Criterion], year: int, failing: Future):
        ids = sorted({c.spec["indicator"] for c in criteria})
        marks = ", ".join("?" * len(ids)) or "NULL"
        cursor = con.execute(
            f"SELECT * FROM {VALUES_TABLE} WHERE year = ? AND level = 'district' "
            f"AND indicator_id IN ({marks})",
            [year, *ids],
        )
        names = [d[0] for d in cursor.description]
        self.district: dict[str, dict[str, dict]] = {}  # indicator → district → its row
        for row in _rows(cursor):
            record = dict(zip(names, row, strict=True))
            self.district.setdefault(record["indicator_id"], {})[record["unit_code"]] = record
        self.failing = failing.result()

    def rows(self, indicator_id: str) -> list[dict]:
        return list(self.district.get(indicator_id, {}).values())


def _indicator_verdicts(values: _Values, criterion: Criterion) -> dict[str, Verdict]:
    item = indicator(criterion.spec["indicator"])
    failing = values.failing.get(item.id, {})
    result = {}
    for row in values.rows(item.id):
        value = row["value"]
        if value is None:
            result[row["unit_code"]] = Verdict(criterion, NO_DATA, reason=reason(item.id, row, "district"))
            continue
        status = PASS if _meets(value, item.threshold.op, item.threshold.value) else FAIL
        result[row["unit_code"]] = Verdict(
            criterion, status, value, _shown(value, item), schools=failing.get(row["unit_code"], [])
        )
    return result


def _shown(value: float, item) -> str:
    spec, unit = _format(item)
    return spec.format(value) + unit


def _format(item) -> tuple[str, str]:
    """How a value of the indicator is shown, 0.423, 92.10%, 16.20 人: a format spec that Python's
    str.format and DuckDB's format() read alike, and the unit after it."""
    if item.kind in ("cv", "worst"):
        return "{:.3f}", ""
    return "{:,.2f}", item.unit if item.unit in ("%", "") else f" {item.unit}"


def _literal(text: str) -> str:
    return "'" + text.replace("'", "''") + "'"


def _failing_schools(con, rules: dict[str, dict], year: int) -> dict[str, dict[str, list[dict]]]:
    """indicator → district → the schools whose own value breaks its rule (or is no data where one is needed).
    At province scale they are tens of thousands (most kindergartens break a class-size rule): the query
    writes each school's detail and orders the rows, Python cuts them into one list per (indicator, district)."""
    if not rules:
        return {}
    table = ", ".join(
        f"('{item}', {rule['value']!r}, {rule['op'] == '>='}, {', '.join(map(_literal, _format(indicator(item))))})"
        for item, rule in rules.items()
    )
    columns = con.execute(
        f"WITH r(indicator_id, target, at_least, spec, unit) AS (VALUES {table}) "
        "SELECT v.indicator_id, s.district_code, s.school_code, s.name, "
        "CASE WHEN v.value IS NULL THEN '无数据' ELSE format(r.spec, v.value) || r.unit END AS detail "
        f"FROM {VALUES_TABLE} v JOIN r USING (indicator_id) "
        "JOIN schools s ON s.year = v.year AND s.school_code = v.unit_code "
        "WHERE v.year = ? AND v.level = 'school' "
        "AND NOT coalesce(CASE WHEN r.at_least THEN v.value >= r.target ELSE v.value <= r.target END, FALSE) "
        "AND (v.value IS NOT NULL OR coalesce(v.missing, 0) > 0) ORDER BY v.indicator_id, s.district_code, s.school_code",
        [year],
    ).fetchnumpy()
    schools = _school_list(columns)
    found: dict[str, dict[str, list[dict]]] = {}
    for (indicator_id, district), start, end in _runs(columns["indicator_id"], columns["district_code"]):
        found.setdefault(indicator_id, {})[district] = schools[start:end]
    return found


def _school_list(columns: dict) -> list[dict]:
    """A fetchnumpy() result's schools as the verdicts list them: code, name, detail."""
    return [
        {"code": code, "name": name, "detail": detail}
        for code, name, detail in zip(
            columns["school_code"].tolist(), columns["name"].tolist(), columns["detail"].tolist(), strict=True
        )
    ]


def _runs(*keys) -> Iterator[tuple[tuple, int, int]]:
    """(key, first row, row after the last) of each run of equal keys down the columns."""
    start = 0
    for key, run in groupby(zip(*(column.tolist() for column in keys), strict=True)):
        end = start + len(list(run))
        yield key, start, end
        start = end


def _six_of_seven(con, criterion: Criterion, year: int) -> dict[str, Verdict]:
    """Per school: how many of the 7 meet their standard, how many reach the floor, how many are known; the
    query ranks the schools of each district (unknown, failing, passing) and writes their details."""
    spec = criterion.spec
    items = [indicator(i) for i in spec["indicators"]]
    total = len(items)
    standards = ", ".join(f"('{i.id}', '{i.threshold.op}', {i.threshold.value!r})" for i in items)
    # a 九年一贯制 school's 小学部 is a primary school here: its primary values are its 小学部's
    levels = levels_with_stage(spec["stage"])
    marks = ", ".join("?" * len(levels))
    columns = con.execute(
        f"""WITH std(indicator_id, op, target) AS (VALUES {standards}),
                 per AS (SELECT v.unit_code AS school_code, count(v.value) AS known,
                                count(*) FILTER (WHERE CASE WHEN std.op = '>=' THEN v.value >= std.target
                                                            ELSE v.value <= std.target END) AS met,
                                count(*) FILTER (WHERE CASE WHEN std.op = '>=' THEN v.value >= ? * std.target
                                                            ELSE v.value <= std.target / ? END) AS near
                         FROM {VALUES_TABLE} v JOIN std USING (indicator_id)
                         WHERE v.year = ? AND v.level = 'school' AND (v.denominator > 0 OR coalesce(v.missing, 0) > 0)
                         GROUP BY v.unit_code),
                 ranked AS (SELECT s.district_code, s.school_code, s.name, met, near,
                                   CASE WHEN known < {total} THEN {_UNKNOWN}
                                        WHEN met >= {total - 1} AND near = {total} THEN {_PASSING}
                                        ELSE {_FAILING} END AS status
                            FROM per JOIN schools s ON s.year = ? AND s.school_code = per.school_code
                            AND s.level IN ({marks}))
            SELECT district_code, status, school_code, name,
                   CASE status WHEN {_UNKNOWN} THEN '缺数据，不能判定' WHEN {_FAILING} THEN met || '项达标'
                        || CASE WHEN near < {total} THEN '，' || ({total} - near) || '项低于标准的85%' ELSE '' END
                   END AS detail
            FROM ranked ORDER BY district_code, status, school_code""",
        [spec["floor"], spec["floor"], year, year, *levels],
    ).fetchnumpy()
    schools = _school_list(columns)
    # district → (its first row, its count of unknown, failing and passing schools)
    by_district: dict[str, tuple[int, list[int]]] = {}
    for (district, status), start, end in _runs(columns["district_code"], columns["status"]):
        by_district.setdefault(district, (start, [0, 0, 0]))[1][status] = end - start
    result = {}
    for district, (first, (unknown, failing, passing)) in by_district.items():
        listed = schools[first : first + unknown + failing]
        count = unknown + failing + passing
        shown = f"{passing} / {count} 所达到"
        if unknown:
            verdict = Verdict(criterion, NO_DATA, None, shown, f"{unknown}所学校缺少数据，不能判定", listed)
        else:
            verdict = Verdict(
                criterion, PASS if not failing else FAIL, passing / count, shown, schools=listed
            )
        result[district] = verdict
    return result


_UNKNOWN, _FAILING, _PASSING = 0, 1, 2  # a six_of_seven school's status, in the order its schools are listed


def _school_size(con, criterion: Criterion, year: int) -> dict[str, Verdict]:
    """The schools of the stages (`levels`) and those spanning them; a spanning school (九年一贯制,
    完全中学) counts its pupils in those stages only (its 义务教育阶段规模, not its 高中部)."""
    spec = criterion.spec
    levels = list(dict.fromkeys(level for stage in spec["levels"] for level in levels_with_stage(stage)))
    marks = ", ".join("?" * len(levels))
    spanning = ", ".join(f"'{level}'" for level in split_levels())
    in_stages = " OR ".join(
        f"grade BETWEEN {first} AND {last}"
        for stage, (first, last) in stage_grades().items()
        if stage in spec["levels"]
    )
    # the pupils summed per school both ways before the schools are joined (25,000 rows, not 100,000)
    rows = con.execute(
        "WITH p AS (SELECT school_code, sum(enrolled) AS pupils, "
        f"sum(CASE WHEN NOT ({in_stages}) THEN 0 ELSE enrolled END) AS in_stages "
        "FROM students WHERE year = ? GROUP BY school_code), "
        f"q AS (SELECT s.district_code, s.school_code, s.name, CASE WHEN s.level IN ({spanning}) "
        "THEN p.in_stages ELSE p.pupils END AS pupils "
        f"FROM schools s LEFT JOIN p USING (school_code) WHERE s.year = ? AND s.level IN ({marks})) "
        "SELECT district_code, count(*) AS n, list([school_code, name, pupils::VARCHAR] ORDER BY school_code) "
        "FILTER (WHERE pupils > ?) AS big FROM q GROUP BY district_code",
        [year, year, *levels, spec["limit"]],
    ).fetchall()
    result = {}
    for district, count, big in rows:
        listed = [
            {"code": code, "name": name, "detail": f"{int(pupils):,} 人"} for code, name, pupils in big or []
        ]
        result[district] = Verdict(
            criterion,
            FAIL if listed else PASS,
            len(listed),
            f"{len(listed)} / {count} 所超规模",
            schools=listed,
        )
    return result


_JUDGES = {"six_of_seven": _six_of_seven, "school_size": _school_size}
