"""Refusals: every one names the row, the column and the reason, in Chinese."""

from __future__ import annotations

from dataclasses import dataclass

SHOWN = 50  # a report lists this many problems, then says how many more
PROBLEM_LIMIT = 10_000  # a file wrong in every cell is not listed cell by cell (memory stays bounded)


@dataclass(frozen=True)
class Problem:
    row: int | None  # the spreadsheet's row number (header = row 1); None for the file as a whole
    column: str
    message: str

    def __str__(self) -> str:
        where = "文件" if self.row is None else f"第 {self.row} 行"
        return f"{where}【{self.column}】{self.message}" if self.column else f"{where}：{self.message}"


class FitnessError(Exception):
    """Nothing was stored: the problems say why."""

    def __init__(self, problems: list[Problem]):
        self.problems = problems
        super().__init__(self.report())

    def report(self) -> str:
        count = (
            f"{len(self.problems)} 处以上"
            if len(self.problems) >= PROBLEM_LIMIT
            else f"{len(self.problems)} 处"
        )
        lines = [f"未导入任何数据：发现 {count}问题，请修改后重新导入。"]
        lines += [str(p) for p in self.problems[:SHOWN]]
        if len(self.problems) > SHOWN:
            lines.append(f"……另有 {len(self.problems) - SHOWN} 处问题未列出。")
        return "\n".join(lines)
