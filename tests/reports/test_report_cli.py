"""`eduplan report …` as a user meets it: a .docx out, wrong input one line and exit 2."""

from __future__ import annotations

import json

import pytest
from click.testing import CliRunner
from docx import Document as open_docx

from eduplan.cli import main
from eduplan.samples import sample_path

PLAN = str(sample_path("plan"))


def run(*args):
    return CliRunner().invoke(main, list(args))


def test_summary_from_a_plan_file_with_progress(tmp_path):
    progress = tmp_path / "progress.json"
    progress.write_text(json.dumps({"progress": {"2.1": "新增学位10500个。"}, "values": {"新增公办幼儿园学位": 10500},
                                    "problems": ["经费缺口较大。"]}, ensure_ascii=False), encoding="utf-8")
    out = tmp_path / "s.docx"
    result = run("report", "summary", PLAN, "--out", str(out), "--progress", str(progress))
    assert result.exit_code == 0, result.output
    text = "\n".join(p.text for p in open_docx(out).paragraphs)
    assert "新增学位10500个。" in text
    assert "经费缺口较大。" in text
    assert "新增公办幼儿园学位未达成目标" in text


def test_monthly_from_a_plan_file(tmp_path):
    updates = tmp_path / "u.json"
    updates.write_text(json.dumps({"推进教师交流轮岗": {"lead_unit": "人事处", "status": "done"}},
                                  ensure_ascii=False), encoding="utf-8")
    out = tmp_path / "m.docx"
    result = run("report", "monthly", PLAN, "--month", "2024-03", "--updates", str(updates), "--out", str(out))
    assert result.exit_code == 0, result.output
    document = open_docx(out)
    assert document.paragraphs[0].text == "滨江市教育局2024年3月工作进展月报"
    assert any(row.cells[2].text == "人事处" for row in document.tables[0].rows)


@pytest.mark.parametrize(("args", "message"), [
    (["report", "summary", "/nonexistent/plan.txt"], "no such file"),
    (["report", "summary", PLAN, "--out", "x.pdf"], "*.docx"),
    (["report", "summary", PLAN, "--out", "/nonexistent/dir/x.docx"], "does not exist"),
    (["report", "summary", PLAN, "--doc", "5"], "--doc must be 1 to 1"),
    (["report", "summary", PLAN, "--progress", "/nonexistent/p.json"], "no such file"),
    (["report", "monthly", PLAN, "--month", "March"], "YYYY-MM"),
    (["report", "monthly", PLAN, "--month", "2024-13"], "YYYY-MM"),
])
def test_wrong_input_is_one_line_and_exit_2(args, message, tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    result = run(*args)
    assert result.exit_code == 2
    assert message in result.output
    assert "Traceback" not in result.output
    assert len(result.output.strip().splitlines()) == 1


def test_progress_that_is_not_json_is_refused(tmp_path):
    bad = tmp_path / "p.json"
    bad.write_text("{not json", encoding="utf-8")
    result = run("report", "summary", PLAN, "--progress", str(bad), "--out", str(tmp_path / "s.docx"))
    assert result.exit_code == 2
    assert "not a UTF-8 JSON file" in result.output


# --- from the ledger database -------------------------------------------------------------------

def test_summary_from_the_ledger(ledger, no_statistics, tmp_path):
    out = tmp_path / "s.docx"
    result = run("report", "summary", "--plan-id", str(ledger["plan"].pk), "--as-of", "2025-01-01", "--out", str(out))
    assert result.exit_code == 0, result.output
    text = [p.text for p in open_docx(out).paragraphs]
    assert text[0] == "滨江市教育局2024年工作总结"
    assert "11月：新建幼儿园13所，新增学位3000个" in text and "四、下一步工作打算" in text and text[-2:][0] == "滨江市教育局"
    assert "1．增加普惠学位：部分项目用地未落实" in text


def test_monthly_from_the_ledger(ledger, tmp_path):
    out = tmp_path / "m.docx"
    result = run("report", "monthly", "--plan-id", str(ledger["plan"].pk), "--month", "2024-11", "--out", str(out))
    assert result.exit_code == 0, result.output
    assert open_docx(out).paragraphs[0].text == "滨江市教育局2024年11月工作进展月报"


@pytest.mark.parametrize(("args", "message"), [
    (["report", "summary", "--plan-id", "99999"], "--plan-id 99999: no such plan in the ledger (plans: "),
    (["report", "summary"], "either PLAN_FILE or --plan-id"),
    (["report", "summary", PLAN, "--plan-id", "1"], "either PLAN_FILE or --plan-id"),
    (["report", "summary", "--plan-id", "1", "--progress", "p.json"], "--progress goes with PLAN_FILE"),
    (["report", "summary", PLAN, "--as-of", "2024-12-31"], "--as-of goes with --plan-id"),
    (["report", "summary", "--plan-id", "1", "--as-of", "31.12.2024"], "YYYY-MM-DD"),
    (["report", "monthly", "--plan-id", "1", "--month", "2024-13"], "YYYY-MM"),
    (["report", "monthly", "--plan-id", "1", "--month", "2024-03", "--updates", "u.json"], "--updates goes with"),
])
def test_wrong_ledger_arguments_are_one_line_and_exit_2(ledger, args, message, tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    result = run(*args)
    assert result.exit_code == 2
    assert message in result.output and len(result.output.strip().splitlines()) == 1
    assert not (tmp_path / "summary.docx").exists()


def test_a_ledger_database_without_tables(tmp_path):
    import os
    import subprocess
    import sys

    environment = {k: v for k, v in os.environ.items() if k not in ("DATABASE_URL", "DJANGO_SETTINGS_MODULE")}
    environment["EDUPLAN_DATA_DIR"] = str(tmp_path)
    result = subprocess.run([sys.executable, "-m", "eduplan.cli", "report", "summary", "--plan-id", "1"],
                            capture_output=True, text=True, env=environment, cwd=tmp_path, timeout=120)
    assert result.returncode == 2
    assert result.stderr.startswith("eduplan: the ledger database cannot be read (no such table")
    assert "Traceback" not in result.stderr
