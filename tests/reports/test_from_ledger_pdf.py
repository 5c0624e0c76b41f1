"""The summary and 月报 drawn from the ledger, as an office opens them: .docx → PDF (LibreOffice)
→ PNG pages under test-artifacts/ (look at them)."""

from __future__ import annotations

import datetime as dt
import os
import re
import subprocess
from pathlib import Path

import pytest
from PIL import Image

from eduplan.reports import write_monthly, write_summary
from eduplan.reports.from_ledger import monthly_from_ledger, summary_from_ledger

pytestmark = pytest.mark.slow
ARTIFACTS = Path(__file__).resolve().parents[2] / "test-artifacts"


def _pdf_text(pdf: Path) -> str:
    """The page text without the spaces pdftotext sets between Chinese and figures, or line breaks."""
    text = subprocess.run(["pdftotext", str(pdf), "-"], capture_output=True, text=True, check=True).stdout
    return re.sub(r"\s+", "", text)


def _to_pdf(sources: list[Path], folder: Path, font_environment) -> list[Path]:
    profile = (folder / "lo-profile").as_uri()  # own profile: parallel runs must not share one
    subprocess.run(["soffice", f"-env:UserInstallation={profile}", "--headless", "--convert-to", "pdf",
                    "--outdir", str(folder), *map(str, sources)],
                   check=True, capture_output=True, timeout=120, env=os.environ | font_environment)
    return [source.with_suffix(".pdf") for source in sources]


def test_ledger_drafts_reach_the_page(ledger, no_statistics, office, font_environment, tmp_path):
    summary = write_summary(summary_from_ledger(ledger["plan"], as_of=dt.date(2025, 1, 1)), tmp_path / "summary.docx")
    monthly = write_monthly(monthly_from_ledger(ledger["plan"], 2024, 11, today=dt.date(2024, 12, 15)),
                            tmp_path / "monthly.docx")
    summary_pdf, monthly_pdf = _to_pdf([summary, monthly], tmp_path, font_environment)
    text = _pdf_text(summary_pdf)
    for words in ("滨江市教育局2024年工作总结", "新建幼儿园13所，新增学位3000个", "三、存在问题",
                  "部分项目用地未落实", "新增学位未达成目标", "培训教师未达成目标"):
        assert words in text, words
    text = _pdf_text(monthly_pdf)
    assert "未报送单位：教师工作处" in text and "（已逾期）" in text
    ARTIFACTS.mkdir(exist_ok=True)
    for name, pdf in (("reports-ledger-summary", summary_pdf), ("reports-ledger-monthly", monthly_pdf)):
        subprocess.run(["pdftoppm", "-r", "60", "-png", "-f", "1", "-l", "1", str(pdf), str(ARTIFACTS / name)],
                       check=True, timeout=60)
    for path in ARTIFACTS.glob("reports-ledger-*.png"):
        with Image.open(path) as image:
            assert abs(image.size[1] / image.size[0] - 297 / 210) < 0.01
            assert image.convert("L").getextrema()[0] < 100, f"{path.name} is blank"
