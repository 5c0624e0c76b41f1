"""Target figures as people write them: 12 not 12.0, 2437000000 not 2.437e+09, ranges as 2–3."""

from __future__ import annotations

from django.utils import translation

from eduplan.ledger.models import Target


@translation.override("zh-hans")  # the comparators' labels; another test may have left English active
def test_figures_are_written_out_whole():
    assert str(Target(indicator="新增学位", comparator="=", value=12.0, unit="所")) == "新增学位 = 12所"
    assert str(Target(indicator="投入", comparator=">=", value=2437000000.0, unit="元")) == "投入 ≥ 2437000000元"
    assert str(Target(indicator="实训中心", comparator="between", value=2.0, value_max=3.0, unit="个")) == \
        "实训中心 区间 2–3个"
    assert Target(indicator="比例", value=2.5).value_text == "2.5"


def test_the_draft_shows_values_without_a_trailing_zero(page, draft_plan):
    task = draft_plan.tasks.order_by("position").first()
    html = page("office").get(f"/plans/{draft_plan.pk}/").content.decode()
    target = task.targets.first()
    assert f'name="value" value="{target.value_text}"' in html and ".0\"" not in html
