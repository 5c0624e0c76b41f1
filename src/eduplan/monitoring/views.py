"""指标监测 pages: the catalog, one page per indicator, a value's trace, the statistics import, link confirmation.

Every page reads through statistics.reading(); with no statistics (or none computed) it shows what
to do instead of an error. Who sees which schools is access.scope_of(); nothing is decided here.
"""

from __future__ import annotations

import functools
import tempfile
from pathlib import Path

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.contrib.staticfiles import finders
from django.http import FileResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from eduplan.indicators.catalog import catalog
from eduplan.indicators.errors import IndicatorError
from eduplan.indicators.importer import ImportRejected, write_template
from eduplan.ledger import policy
from eduplan.ledger.models import Target
from eduplan.ledger.plan_import import too_large
from eduplan.ledger.services import audit
from eduplan.limits import TooLarge, size_text

from . import access, pages, statistics, uploads
from .judging import confirm_link

ECHARTS = "vendor/echarts/echarts.min.js"
REPORT_LIMIT = 300  # problems listed on the page; the count says how many there were


def _forbidden(request, message: str):
    return render(request, "ledger/forbidden.html", {"message": message}, status=403)


def _empty(request, reason: str, status: int = 200, **extra):
    """No statistics yet, none computed, or nothing for this indicator: say what to do."""
    return render(request, "monitoring/empty.html", {
        "reason": reason, "can_import": access.can_import_statistics(request.user), **extra}, status=status)


def _int(text: str | None, default: int = 1) -> int:
    return int(text) if text and text.isdigit() else default


def with_statistics(view):
    """Sign-in, the indicator (for /indicators/<id>/…), an open statistics cursor and the chosen year;
    or the page that says what is missing (no such indicator, no statistics file, nothing computed)."""

    @functools.wraps(view)
    @login_required
    def wrapper(request, indicator_id: str | None = None, **kwargs):
        item = None
        if indicator_id is not None:
            item = catalog().get(indicator_id)
            if item is None:
                return _empty(request, "unknown_indicator", status=404, indicator_id=indicator_id)
        with statistics.reading() as con:
            if con is None:
                return _empty(request, "no_file", item=item)
            year, years = pages.choose_year(con, request.GET.get("year"))
            if year is None:
                return _empty(request, "not_computed", item=item)
            return view(request, con, item, year, years, **kwargs)

    return wrapper


@with_statistics
def catalog_page(request, con, item, year: int, years: list[int]):
    return render(request, "monitoring/catalog.html", {
        "rows": pages.catalog_rows(con, year), "year": year, "years": years,
        "can_import": access.can_import_statistics(request.user)})


@with_statistics
def indicator_page(request, con, item, year: int, years: list[int]):
    scope = access.scope_of(request.user)
    city, districts = pages.city_and_districts(con, item, year)
    if city is None and not districts:
        return _empty(request, "no_values", item=item, year=year, years=years)
    district = request.GET.get("district", "")
    schools = pages.school_page(con, item, year, scope, request.GET.get("sort", ""), _int(request.GET.get("page")),
                                district)
    trend_years, trend = pages.trend(con, item)
    return render(request, "monitoring/indicator.html", {
        "item": item, "year": year, "years": years, "city": city, "districts": districts, "schools": schools,
        "district": district, "district_name": next((d["name"] for d in districts if d["code"] == district), district),
        "scope": scope, "trend_years": trend_years, "trend": trend,
        "chart": _chart(item, districts) if finders.find(ECHARTS) else None, "echarts": ECHARTS,
        "query": request.GET.copy(), "sort_columns": _sort_links(schools.sort)})


def _county(request, con, year: int, assessment_id: str):
    """(spec, every county, the chosen one) or None for an unknown assessment."""
    from eduplan.indicators.assessment import assess, assessments

    spec = assessments().get(assessment_id)
    if spec is None:
        return None
    counties = assess(con, assessment_id, year)
    chosen = next((c for c in counties if c.code == request.GET.get("district")), counties[0] if counties else None)
    return spec, counties, chosen


@with_statistics
def assessment_page(request, con, item, year: int, years: list[int], assessment_id: str):
    from eduplan.indicators.assessment import FAIL, NO_DATA, PASS, assessments

    found = _county(request, con, year, assessment_id)
    if found is None or found[2] is None:
        return _empty(request, "unknown_indicator", status=404, indicator_id=assessment_id)
    spec, counties, county = found
    scope = access.scope_of(request.user)
    for c in counties:
        c.passes, c.fails, c.undecided = c.count(PASS), c.count(FAIL), c.count(NO_DATA)
    for verdict in county.verdicts:  # the school names a user may see; the counts are open, as aggregates are
        verdict.visible_schools = [s for s in verdict.schools if scope.sees_school(s["code"], county.code)]
    return render(request, "monitoring/assessment.html", {
        "spec": spec, "counties": counties, "county": county, "year": year, "years": years,
        "others": list(assessments().values())})


@with_statistics
def assessment_report(request, con, item, year: int, years: list[int], assessment_id: str):
    """The chosen county's 自评报告 as .docx; the school names only for those who may see them."""
    import io

    from eduplan.reports.assessment import build

    found = _county(request, con, year, assessment_id)
    if found is None or found[2] is None:
        return _empty(request, "unknown_indicator", status=404, indicator_id=assessment_id)
    spec, _counties, county = found
    scope = access.scope_of(request.user)
    if not scope.sees_district_schools(county.code):
        for verdict in county.verdicts:
            verdict.schools = [s for s in verdict.schools if scope.sees_school(s["code"], county.code)]
    buffer = io.BytesIO()
    build(spec, county, year, buffer)
    buffer.seek(0)
    name = f"{county.name}{spec.name}自评报告-{year}.docx"
    return FileResponse(buffer, as_attachment=True, filename=name,
                        content_type="application/vnd.openxmlformats-officedocument.wordprocessingml.document")


def _sort_links(current: str) -> list[tuple[str, str]]:
    """(the ?sort= a column header links to, its label): a second click on the sorted column reverses it."""
    labels = {"code": _("代码"), "name": _("学校"), "district": _("区县"), "value": _("数值"),
              "numerator": _("分子"), "denominator": _("分母")}
    links = []
    for key, label in labels.items():
        if current == key:
            links.append((f"-{key}", f"{label} ▲"))
        elif current == f"-{key}":
            links.append((key, f"{label} ▼"))
        else:
            links.append((key, label))
    return links


def _chart(item, districts: list[dict]) -> dict:
    """The districts side by side as an ECharts bar chart (only when echarts is served locally)."""
    chart = {"names": [d["name"] or d["code"] for d in districts],
             "values": [None if d["value"] is None else round(d["value"], 4) for d in districts],
             "unit": item.unit}
    if item.threshold is not None:
        chart |= {"standard": item.threshold.value, "label": _("国家标准")}
    return chart


@with_statistics
def trace_page(request, con, item, year: int, years: list[int], unit_code: str):
    try:
        level, rows = pages.trace_page(con, item, unit_code, year, access.scope_of(request.user),
                                       _int(request.GET.get("page")))
    except pages.Hidden:
        return _forbidden(request, _("您只能查看本单位的学校数据"))
    except IndicatorError:
        return _empty(request, "unknown_unit", status=404, item=item, unit_code=unit_code, year=year)
    value = con.execute("SELECT value FROM indicator_values WHERE year = ? AND indicator_id = ? AND unit_code = ?",
                        [year, item.id, unit_code]).fetchone()
    names = con.execute("SELECT name FROM org_units WHERE code = ? UNION ALL "
                        "SELECT name FROM schools WHERE year = ? AND school_code = ?",
                        [unit_code, year, unit_code]).fetchone()
    template = "monitoring/_trace.html" if request.headers.get("HX-Request") else "monitoring/trace.html"
    return render(request, template, {
        "item": item, "year": year, "level": level, "rows": rows, "unit_code": unit_code,
        "unit_name": names[0] if names else unit_code, "value": value[0] if value else None})


@with_statistics
def fitness_pupils_page(request, con, item, year: int, years: list[int], school_code: str):
    """A school's pupils and their 学生体质健康 scores: for that school's own staff only."""
    from eduplan.fitness.store import pupil_scores

    if not access.scope_of(request.user).sees_pupils(school_code):
        return _forbidden(request, _("学生个人体质健康成绩仅本校用户可以查看；其他用户请查看汇总指标"))
    pupils = pupil_scores(con, year, school_code)
    for pupil in pupils:  # scores are kept in tenths
        for key in ("standard10", "total10"):
            pupil[key[:-2]] = "" if pupil[key] is None else f"{pupil[key] / 10:.1f}"
    return render(request, "monitoring/fitness_pupils.html",
                  {"year": year, "years": years, "school_code": school_code, "pupils": pupils})


@login_required
def import_page(request):
    if not access.can_import_statistics(request.user):
        return _forbidden(request, _("只有督查室和管理员可以导入统计数据"))
    year = request.POST.get("year") if request.method == "POST" else uploads.next_year_due(timezone.localdate())
    context = {"report": None, "year": year, "limit": size_text(uploads.max_bytes())}
    if request.method == "POST":
        files = request.FILES.getlist("files")
        try:
            year = uploads.parse_year(request.POST.get("year"))
            report = uploads.import_upload(files, year)
        except uploads.UploadRefused as refused:
            _refuse(request, files, str(refused))
        except ImportRejected as rejected:
            _refuse(request, files, _("%(year)s 年统计数据未通过校验，未导入任何数据，原有数据保持不变") %
                    {"year": rejected.report.year}, problems=len(rejected.report.problems))
            context["report"] = rejected.report
            context["problems"] = rejected.report.problems[:REPORT_LIMIT]
        except TooLarge as error:
            _refuse(request, files, too_large(", ".join(f.name for f in files), error))
        except IndicatorError as error:
            _refuse(request, files, _("未导入任何数据：%(error)s") % {"error": error})
        else:
            audit(request.user, "statistics-import", after={"year": report.year, "rows": sum(report.rows.values()),
                                                             "files": [f.name for f in files]})
            messages.success(request, _("已导入 %(year)s 年统计数据（%(rows)s 行），指标已重新计算") %
                             {"year": report.year, "rows": sum(report.rows.values())})
            return redirect(reverse("monitoring:catalog") + f"?year={report.year}")
    return render(request, "monitoring/import.html", context)


def _refuse(request, files, message: str, problems: int = 0) -> None:
    """The page's message, and the same words in the audit trail (audit M8): who tried to import which files
    for which year, and why nothing was imported; never a row of the refused data, only how many were wrong."""
    messages.error(request, message)
    after = {"year": request.POST.get("year", "")[:20], "files": [f.name for f in files], "reason": message}
    if problems:
        after["problems"] = problems
    audit(request.user, "statistics-import-refused", after=after)


@login_required
def template_download(request):
    """The blank import template (.xlsx: a sheet per table, field notes in Chinese)."""
    folder = tempfile.mkdtemp(prefix="eduplan-template-")
    path = Path(folder) / "statistics-template.xlsx"
    write_template(path)
    handle = path.open("rb")
    path.unlink()  # the open handle keeps the bytes until the response is sent
    Path(folder).rmdir()
    return FileResponse(handle, as_attachment=True, filename="统计数据导入模板.xlsx")


@login_required
@require_POST
def confirm_link_view(request, target_id: int):
    target = get_object_or_404(Target.objects.select_related("task__plan"), pk=target_id)
    if not policy.can_view_task(request.user, target.task) or not access.can_confirm_links(request.user):
        return _forbidden(request, _("只有督查室可以确认目标对应的指标"))
    choice = request.POST.get("indicator", "").strip()
    if not choice:
        messages.error(request, _("请选择一个指标，或选择“没有指标能衡量此目标”"))
        return redirect(reverse("ledger:task", args=[target.task_id]) + "#target-judgements")
    try:
        confirm_link(request.user, target, "" if choice == "none" else choice)
    except ValueError:
        messages.error(request, _("没有这个指标：%(id)s，未作修改") % {"id": choice})
    else:
        messages.success(request, _("已确认目标“%(target)s”对应的指标") % {"target": target.indicator})
    return redirect(reverse("ledger:task", args=[target.task_id]) + "#target-judgements")
