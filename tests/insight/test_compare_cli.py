"""`eduplan compare A B`: a table for people, JSON for scripts, one line for wrong input."""

from __future__ import annotations

import json

from click.testing import CliRunner

from eduplan.cli import main
from eduplan.samples import sample_path

SUMMARY, PLAN = str(sample_path("summary")), str(sample_path("plan"))


def test_table_names_both_plans_and_a_raised_target():
    result = CliRunner().invoke(main, ["compare", SUMMARY, PLAN])
    assert result.exit_code == 0, result.output
    assert "滨江市教育局2023年工作总结" in result.output
    assert "培养市级名师 ≥100名" not in result.output  # a count is printed without a sign
    assert "tightened" in result.output and "培养市级名师 100名" in result.output


def test_json_is_the_comparison():
    result = CliRunner().invoke(main, ["compare", SUMMARY, PLAN, "--json"])
    data = json.loads(result.output)
    assert {"a": "学前教育普惠发展", "b": "推动学前教育普及普惠"} in [
        {"a": p["a"], "b": p["b"]} for p in data["pairs"]]
    assert any(t["change"] == "tightened" and t["b"]["indicator"] == "义务教育阶段大班额比例" for t in data["targets"])


def test_wrong_input_is_one_line_and_exit_2(tmp_path):
    for args in (["compare", SUMMARY, str(tmp_path / "none.txt")], ["compare", SUMMARY, PLAN, "--doc-b", "3"]):
        result = CliRunner().invoke(main, args)
        assert result.exit_code == 2, result.output
        assert len(result.output.strip().splitlines()) == 1
        assert "Traceback" not in result.output
