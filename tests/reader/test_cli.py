"""The CLI as a user meets it: wrong input gives one line on stderr and exit 2."""

from __future__ import annotations

from click.testing import CliRunner

from eduplan.cli import main


def test_missing_file_is_one_line_and_exit_2(tmp_path):
    result = CliRunner().invoke(main, ["parse", str(tmp_path / "nope.docx")])
    assert result.exit_code == 2
    assert "no such file" in result.output
    assert "Traceback" not in result.output


def test_empty_file_is_refused(tmp_path):
    empty = tmp_path / "empty.txt"
    empty.write_bytes(b"")
    result = CliRunner().invoke(main, ["parse", str(empty)])
    assert result.exit_code == 2
    assert "empty" in result.output


def test_folder_without_out_is_refused(tmp_path):
    result = CliRunner().invoke(main, ["parse", str(tmp_path)])
    assert result.exit_code == 2
    assert "--out" in result.output


def test_the_outline_shows_written_deadlines_and_units(tmp_path):
    plan = tmp_path / "plan.txt"
    plan.write_text("某市2031年教育工作要点\n一、重点任务\n"
                    "1.新建学校6所。完成时限：2031年8月31日。（牵头单位：基础教育处；配合单位：财务处、江东区）\n",
                    encoding="utf-8")
    result = CliRunner().invoke(main, ["parse", str(plan)])
    assert result.exit_code == 0, result.output
    assert "新建学校: = 6 所 by 2031-08-31" in result.output
    assert "👥 牵头 基础教育处；配合 财务处、江东区" in result.output
