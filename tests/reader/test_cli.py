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
