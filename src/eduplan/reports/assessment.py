"""A county's 督导评估 自评报告 (.docx) in the GB/T 9704 layout, from indicators.assessment.assess()."""

from __future__ import annotations

from typing import BinaryIO

from eduplan.indicators.assessment import FAIL, NO_DATA, PASS, Assessment, County

from .layout import add_body, add_heading, add_table, add_title, official_document, save

VERDICT_WORDS = {PASS: "达标", FAIL: "未达标", NO_DATA: "无数据，不能判定"}
SCHOOLS_LISTED = 30  # per criterion; the count says how many there are


def conclusion(county: County) -> str:
    failed, undecided = county.count(FAIL), county.count(NO_DATA)
    total = len(county.verdicts)
    if county.passed:
        return f"统计数据可判定的{total}项指标全部达标。"
    parts = [f"统计数据可判定的{total}项指标中，{county.count(PASS)}项达标"]
    if failed:
        parts.append(f"{failed}项未达标")
    if undecided:
        parts.append(f"{undecided}项因数据缺失不能判定")
    verdict = "尚未达到督导评估要求" if failed else "待补齐数据后再行判定"
    return "，".join(parts) + f"，{verdict}。"


def build(spec: Assessment, county: County, year: int, out: str | BinaryIO) -> str | BinaryIO:
    document = official_document()
    add_title(document, f"{county.name}{spec.name.removeprefix('县域')}自评报告")
    add_body(document, f"依据{spec.source}，按{year}学年教育事业统计数据，对{county.name}逐项自评如下。")
    add_heading(document, "一、总体结论", 1)
    add_body(document, conclusion(county))
    add_heading(document, "二、逐项评估", 1)
    rows = [
        [str(n), v.criterion.label, v.criterion.standard, v.shown or "—", VERDICT_WORDS[v.status]]
        for n, v in enumerate(county.verdicts, start=1)
    ]
    add_table(document, ["序号", "评估指标", "标准", f"{county.name}", "结论"], rows, [14, 66, 26, 28, 22])
    add_heading(document, "三、未达标及不能判定的项目", 1)
    flagged = [v for v in county.verdicts if v.status != PASS]
    if not flagged:
        add_body(document, "无。")
    for n, verdict in enumerate(flagged, start=1):
        add_heading(document, f"（{_chinese(n)}）{verdict.criterion.label}", 2)
        why = verdict.reason or f"本区县{verdict.shown}，标准{verdict.criterion.standard}。"
        add_body(document, f"{VERDICT_WORDS[verdict.status]}：{why}依据{verdict.criterion.source}。")
        if verdict.schools:
            listed = "；".join(f"{s['name']}（{s['detail']}）" for s in verdict.schools[:SCHOOLS_LISTED])
            more = f"等{len(verdict.schools)}所" if len(verdict.schools) > SCHOOLS_LISTED else ""
            add_body(document, f"涉及学校：{listed}{more}。")
    add_heading(document, "四、统计数据不能判定的项目", 1)
    for n, line in enumerate(spec.cannot_judge, start=1):
        add_body(document, f"{n}. {line}。")
    add_body(document, "以上项目须由相关部门提供材料另行评估，本报告不作结论。")
    return save(document, out)


def _chinese(n: int) -> str:
    digits = "零一二三四五六七八九"
    if n < 10:
        return digits[n]
    tens, ones = divmod(n, 10)
    return (digits[tens] if tens > 1 else "") + "十" + (digits[ones] if ones else "")
