"""Reports fixtures: a small ledger and statistics (LibreOffice and its fonts: tests/conftest.py's `office`,
`font_environment`)."""

from __future__ import annotations

import pytest

# --- a small ledger whose summary is worked out by hand (test_from_ledger.py, test_web.py) -------

@pytest.fixture
def no_statistics(settings, tmp_path):
    """No statistics database: every target falls back to what the units reported."""
    from eduplan.monitoring import statistics

    settings.EDUPLAN_STATS_DB = tmp_path / "absent.duckdb"
    statistics.reset_cache()
    yield
    statistics.reset_cache()


@pytest.fixture
def city_statistics(settings, tmp_path):
    """The city's 公办园在园幼儿占比: 53 % in 2023 and 57 % in 2024, nothing else."""
    import duckdb

    from eduplan.monitoring import statistics

    path = tmp_path / "statistics.duckdb"
    with duckdb.connect(str(path)) as con:
        con.execute("CREATE TABLE indicator_values (year INTEGER, level VARCHAR, unit_code VARCHAR, "
                    "indicator_id VARCHAR, value DOUBLE)")
        con.execute("INSERT INTO indicator_values VALUES (2023, 'city', 'C', 'kg_public_share', 53), "
                    "(2024, 'city', 'C', 'kg_public_share', 57)")
    settings.EDUPLAN_STATS_DB = path
    statistics.reset_cache()
    yield
    statistics.reset_cache()


@pytest.fixture
def ledger(db, settings):
    """A published 2024 plan of three tasks in two sections, with a year of reports.

    Task 1 增加普惠学位 (基础教育处 leads, 江东区 helps): targets 新建改扩建公办幼儿园 = 12所 and
      新增学位 = 3600个; reports in March (8所), November (13所, 3000个, a problem), 江东区 in
      October and November (the same words as the lead's), one of December 2023 (not this year).
    Task 2 推进优质均衡 (江北区, closed): 公办园在园幼儿占比 ≥ 55%, reported 50 in September, with a
      problem that no longer counts because the task is closed.
    Task 3 加强师德建设 (教师工作处, due 30 June): 培训教师 = 5000人次 by 30 June, 4200 reported in May.
    """
    import datetime as dt

    from eduplan.ledger.models import Assignment, Org, Plan, ProgressReport, Target, TargetValue, Task, User

    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    bureau = Org.objects.create(kind="bureau", code="B", name="滨江市教育局")
    units = {code: Org.objects.create(kind=kind, code=code, name=name, parent=bureau) for code, kind, name in (
        ("sup", "department", "督查室"), ("basic", "department", "基础教育处"), ("teachers", "department", "教师工作处"),
        ("d1", "district", "江东区"), ("d2", "district", "江北区"))}
    users = {name: User.objects.create_user(name, password=f"pw-{name}", role=role, org=units.get(unit, bureau))
             for name, role, unit in (("leader", "leader", "B"), ("office", "office", "sup"),
                                      ("basic", "department", "basic"), ("jiangdong", "district", "d1"),
                                      ("admin", "admin", "B"))}
    plan = Plan.objects.create(title="滨江市教育局2024年工作要点", year=2024, status="published")
    first = Task.objects.create(plan=plan, position=1, section="扩大优质教育资源", title="增加普惠学位",
                                status="active", due_date=dt.date(2024, 12, 31))
    second = Task.objects.create(plan=plan, position=2, section="扩大优质教育资源", title="推进优质均衡",
                                 status="closed", due_date=dt.date(2024, 12, 31))
    third = Task.objects.create(plan=plan, position=3, section="建设教师队伍", title="加强师德建设",
                                status="active", due_date=dt.date(2024, 6, 30))
    for task, org, role in ((first, "basic", "lead"), (first, "d1", "cooperate"), (second, "d2", "lead"),
                            (third, "teachers", "lead")):
        Assignment.objects.create(task=task, org=units[org], role=role, status="signed")
    schools = Target.objects.create(task=first, indicator="新建改扩建公办幼儿园", comparator="=", value=12, unit="所",
                                    deadline=dt.date(2024, 12, 31), quote="年内新建改扩建公办幼儿园12所")
    places = Target.objects.create(task=first, indicator="新增学位", comparator="=", value=3600, unit="个",
                                   quote="新增学位3600个")
    share = Target.objects.create(task=second, indicator="公办园在园幼儿占比", comparator=">=", value=55, unit="%",
                                  quote="公办园在园幼儿占比达到55%以上")
    trained = Target.objects.create(task=third, indicator="培训教师", comparator="=", value=5000, unit="人次",
                                    deadline=dt.date(2024, 6, 30), quote="6月底前培训教师5000人次")

    def made_in(year, month):
        from django.utils import timezone

        return timezone.make_aware(dt.datetime(year, month, 15))

    Assignment.objects.update(created_at=made_in(2024, 1))  # given at the start of the plan's year

    def report(task, org, month, progress, problems="", values=(), year=2024):
        made = ProgressReport.objects.create(task=task, org=units[org], period=dt.date(year, month, 1),
                                             progress=progress, problems=problems, next_steps="继续推进")
        # reported during its month, as units do: a past month's 月报 counts what was reported by its end
        ProgressReport.objects.filter(pk=made.pk).update(created_at=made_in(year, month))
        for target, value in values:
            TargetValue.objects.create(report=made, target=target, value=value)

    report(first, "basic", 12, "上年度结转项目收尾", values=[(schools, 2)], year=2023)
    report(first, "basic", 3, "已开工8所", values=[(schools, 8)])
    report(first, "d1", 10, "江东区新建3所")
    report(first, "basic", 11, "新建幼儿园13所，新增学位3000个", problems="部分项目用地未落实",
           values=[(schools, 13), (places, 3000)])
    report(first, "d1", 11, "新建幼儿园13所，新增学位3000个")
    report(second, "d2", 9, "公办园占比提高到50%", problems="师资不足", values=[(share, 50)])
    report(third, "teachers", 5, "完成师德专题培训4200人次", values=[(trained, 4200)])
    return {"plan": plan, "users": users, "units": units, "tasks": (first, second, third),
            "targets": {"schools": schools, "places": places, "share": share, "trained": trained}}
