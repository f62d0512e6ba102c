"""Tests of tools/case_facts.py: the report of dated, placed and evidenced cases."""
from __future__ import annotations

import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def test_case_facts_counts_dated_and_placed_cases(tmp_path):
    (tmp_path / "articles").mkdir()
    (tmp_path / "articles" / "a.txt").write_text(
        "女子网购遇假客服被骗\n"
        "6月9日,浙江省金华市永康市的孙女士接到自称客服的电话,被骗走2万元。"
        "永康市公安局接到孙女士报警后,为其追回1万元。\n", encoding="utf-8")
    out = subprocess.run([sys.executable, str(ROOT / "tools" / "case_facts.py"), str(tmp_path)],
                         capture_output=True, text=True, check=True).stdout
    assert "cases 1; story states a date 1; dated 1 (100 %); placed 1;" in out
    assert "naming none of the case's people 0" in out
