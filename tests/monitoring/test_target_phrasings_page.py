"""The audit's target phrasings on the ledger item page: what each is judged against, and how its figure
is shown (with the digits its verdict used)."""

from __future__ import annotations

import datetime as dt

import pytest

from eduplan.ledger import services
from eduplan.ledger.models import Assignment, Target
from eduplan.ledger.plan_import import import_plan
from eduplan.monitoring.display import format_value

pytestmark = pytest.mark.django_db

PLAN = """滨江市教育局2024年工作要点

一、优质均衡
1.推进义务教育优质均衡。消除56人以上大班额，大班额比例降至0%，小学校际差异系数控制在0.45以内，小学骨干教师校际差异系数控制在0.40以内。
二、学前教育
2.扩大公办学前资源。新增公办幼儿园学位8000个。
"""


@pytest.fixture
def phrasings(people):
    office, units = people["office"], people["_units"]
    plan = import_plan(office, PLAN.encode(), "plan.txt")
    services.publish_plan(office, plan)
    for task in plan.tasks.all():
        services.assign(
            office, task, units["basic"], Assignment.Role.LEAD, dt.date.today() + dt.timedelta(days=60)
        )
    return plan


def rows(page, plan) -> dict[str, str]:
    """target indicator text → its row on the item page."""
    found = {}
    for target in Target.objects.filter(task__plan=plan):
        html = page("office").get(f"/tasks/{target.task_id}/").content.decode()
        block = html.split('id="target-judgements"', 1)[1].split("</table>", 1)[0]
        found[target.quote] = block.split(f'id="judgement-{target.id}"', 1)[1].split("</tr>", 1)[0]
    return found


def test_each_phrasing_on_the_item_page(page, phrasings):
    shown = rows(page, phrasings)
    assert "义务教育大班额比例" in shown["消除56人以上大班额"] and "≤ 0%" in shown["消除56人以上大班额"]
    assert "≤ 0%" in shown["大班额比例降至0%"]  # a ceiling, not "= 0"
    cv = shown["小学校际差异系数控制在0.45以内"]
    assert "小学校际差异系数（7项中最大）" in cv and "≤ 0.45" in cv
    assert "按各区县中最大的差异系数判定" in cv  # per county, the worst: not the city-wide figure
    assert (
        "小学每百名学生拥有县级以上骨干教师数校际差异系数" in shown["小学骨干教师校际差异系数控制在0.40以内"]
    )
    places = shown["新增公办幼儿园学位8000个"]
    assert "未匹配" in places and "— 无数据" in places  # 学位 are not children (人) nor kindergartens (所)


@pytest.mark.parametrize(
    ("value", "unit", "kind", "against", "shown"),
    [
        (
            0.8749,
            "人",
            "ratio",
            0.9,
            "0.87 人",
        ),  # per 100 pupils: never rounded to a whole "1 人" against ≥ 0.9
        (0.5601, "%", "ratio", 0.56, "0.5601%"),  # not "0.56%" failing ≤ 0.56
        (0.5593, "%", "ratio", 0.56, "0.559%"),  # below the line, shown below it
        (0.5593, "%", "ratio", 1, "0.56%"),
        (0.4501, "", "cv", 0.45, "0.4501"),
        (14303.0, "人", "count", None, "14,303 人"),
    ],
)
def test_a_figure_keeps_the_side_of_its_standard(value, unit, kind, against, shown):
    assert format_value(value, unit, kind, against) == shown
