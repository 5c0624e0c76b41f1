"""Values and judgements as people read them: the unit with every figure, a status word with every colour."""

from __future__ import annotations

from dataclasses import dataclass

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from eduplan.indicators.catalog import Indicator, catalog
from eduplan.indicators.targets import is_increase
from eduplan.reader.numerals import plain

from .judging import TargetJudgement, as_read_target, judge_targets

# status → (word, sign): the label reads without colour; the colour only repeats it. The one vocabulary of a
# target's verdict: the dashboard, the reports page, the summary .docx (reports/data/labels.toml) and the ledger's
# export say the same words (docs/glossary.md). 达标 / 未达标 stay the words for an indicator against a standard.
STATUS_LABELS = {
    "met": (gettext_lazy("已达成"), "✓"),
    "on_track": (gettext_lazy("进度正常"), "↗"),
    "at_risk": (gettext_lazy("存在风险"), "!"),
    "missed": (gettext_lazy("未达成"), "✗"),
    "no_data": (gettext_lazy("无数据"), "—"),
}
VERDICT_WORDS = {status: word for status, (word, _sign) in STATUS_LABELS.items()}
WHOLE_UNITS = {"所", "人", "个", "间", "名", "元"}


def format_value(value: float | None, unit: str = "", kind: str = "ratio", against: float | None = None) -> str:
    """A figure with its unit: 51.76%, 14,303 人, 0.87 人, 0.379 (a 差异系数 has no unit).

    `against` (the target or standard it was judged by): the figure gets the digits that keep it on
    its side of that figure (0.87 is not shown as 1 against ≥ 0.9, nor 0.5601 as 0.56 against ≤ 0.56).
    """
    if value is None:
        return "—"
    if kind in ("cv", "worst"):
        return f"{value:.{_digits(value, against, 3)}f}"
    whole = abs(value) >= 10000 or (unit in WHOLE_UNITS and float(value).is_integer())
    digits = _digits(value, against, 0 if whole else 2)
    text = f"{value:,.{digits}f}"
    if not unit:
        return text
    return f"{text}{unit}" if unit == "%" else f"{text} {unit}"


def _digits(value: float, against: float | None, digits: int) -> int:
    """The fewest digits from `digits` on that show the value on its own side of `against` (up to 6)."""
    if against is None:
        return digits
    side = (value > against) - (value < against)
    while digits < 6:
        shown = round(value, digits)
        if (shown > against) - (shown < against) == side:
            break
        digits += 1
    return digits


def format_gap(value: float | None, unit: str, kind: str = "ratio") -> str:
    if value is None:
        return "—"
    sign = "+" if value > 0 else ""
    if unit == "%":  # a difference of percentages is in percentage points
        return f"{sign}{value:.2f} " + _("个百分点")
    return sign + format_value(value, unit, kind)


def unit_of(item: Indicator) -> str:
    return _("差异系数") if item.kind in ("cv", "worst") else item.unit


@dataclass(frozen=True)
class JudgedTarget:
    target: object
    judged: TargetJudgement
    item: Indicator | None

    @property
    def status(self) -> str:
        return self.judged.status

    @property
    def label(self) -> str:
        return str(STATUS_LABELS[self.status][0])

    @property
    def sign(self) -> str:
        return STATUS_LABELS[self.status][1]

    def _figure(self, value) -> str:
        if self.item is None:
            return "—"
        return format_value(value, self.item.unit, self.item.kind, against=self.judged.judgement.target)

    @property
    def value(self) -> str:
        """The judged figure and its year; a 新增 target's is the increase over the year before."""
        j = self.judged.judgement
        if j.value is None:
            return "—"
        if self.judged.source == "reported":
            return f"{plain(j.value)}{self.target.unit}（" + _("单位报送") + "）"
        if is_increase(as_read_target(self.target)):
            return _("新增 %(figure)s（%(before)s→%(year)s年）") % {
                "figure": self._figure(j.value), "before": j.year - 1, "year": j.year}
        return f"{self._figure(j.value)}（{j.year}" + _("年") + "）"

    @property
    def goal(self) -> str:
        t = self.target
        return f"{t.get_comparator_display()} {t.figure}{t.unit}"

    @property
    def gap(self) -> str:
        j = self.judged.judgement
        if self.judged.source == "reported" and j.gap is not None:
            return f"{j.gap:+g}{self.target.unit}"
        return "—" if self.item is None else format_gap(j.gap, self.item.unit, self.item.kind)

    @property
    def projected(self) -> str:
        return self._figure(self.judged.judgement.projected) if self.judged.judgement.projected is not None else "—"

    @property
    def reason(self) -> str:
        return reason(self.judged, self.projected)


def reason(judged: TargetJudgement, projected: str) -> str:
    """Why the status, in the page's language (the judge's own reason is for logs and JSON)."""
    why = _reason(judged, projected)
    item = catalog().get(judged.indicator_id or "")
    if item is not None and item.kind in ("cv", "worst") and judged.judgement.value is not None:
        why += _("（按各区县中最大的差异系数判定）")
    awaiting = judged.judgement.awaiting
    if awaiting is not None and judged.source != "reported":
        why += _("（完成时限已过，待%(year)s年统计数据后判定）") % {"year": awaiting}
    return why


def _reason(judged: TargetJudgement, projected: str) -> str:
    j = judged.judgement
    if judged.source == "reported":
        return reported_reason(j)
    if j.status == "met":
        return _("%(year)s年统计值已达到目标") % {"year": j.year}
    if j.status == "missed":
        return _("完成时限 %(deadline)s 已过，%(year)s年统计值未达到目标") % {"deadline": j.deadline, "year": j.year}
    if j.status == "on_track":
        return _("按近年趋势，到完成时限（%(deadline)s）可达 %(projected)s") % {"deadline": j.deadline,
                                                                     "projected": projected}
    if j.status == "at_risk":
        if j.projected is None:
            return _("统计年份不足，无法推算趋势，尚未达到目标")
        return _("按近年趋势，到完成时限（%(deadline)s）只能达到 %(projected)s") % {"deadline": j.deadline,
                                                                         "projected": projected}
    if judged.indicator_id is None:
        return _("督查室已确认：没有指标能衡量此目标") if judged.confirmed else _("没有可靠匹配的监测指标")
    if j.year is not None:
        return _("新增目标需要 %(before)s 年和 %(year)s 年两年的统计值") % {"before": j.year - 1, "year": j.year}
    return _("该指标暂无统计数据：请导入统计数据")


def reported_reason(j) -> str:
    """A target no indicator measures with data is judged on what its units reported (judging.judge_reported)."""
    if j.status == "met":
        return _("无统计数据，按单位报送值已达到目标")
    if j.status == "missed":
        return _("完成时限 %(deadline)s 已过，单位报送值未达到目标") % {"deadline": j.deadline}
    return _("无统计数据，单位报送值尚未达到目标（月报无趋势可推算）")


def judged_targets(task) -> list[JudgedTarget]:
    """Every target of a ledger item with its link and judgement (one query for the targets)."""
    return judged_rows([task.pk]).get(task.pk, [])


def judged_rows(task_ids: list[int]) -> dict[int, list[JudgedTarget]]:
    """task id → its targets judged, for many items at once (the ledger's export)."""
    from eduplan.ledger.models import Target

    targets = list(Target.objects.filter(task_id__in=task_ids).select_related("link", "task__plan")
                   .defer("task__plan__parse_json", "task__plan__source_text"))  # large; judging reads the year
    judged = judge_targets(targets)
    items = catalog()
    rows: dict[int, list[JudgedTarget]] = {}
    for t in targets:
        rows.setdefault(t.task_id, []).append(JudgedTarget(t, judged[t.id], items.get(judged[t.id].indicator_id)))
    return rows
