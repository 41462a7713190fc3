"""benchmarks/linguistics.py on a small sample: sentences written here (not realdev's), a gold file for them, and
the report must give every figure for the baseline and for each candidate that is installed."""
import importlib.util
import json
import subprocess
import sys
from pathlib import Path

import pytest

from conftest import ROOT

DOC = """---
title: A sample for the linguistics benchmark
published: 2024-05-01
---
Northwind Energy reported revenue of €1.2 billion in 2023, up from €1.0 billion a year earlier.

The company's wind farm in Norland has a capacity of 450 MW.

Analysts expect the Harbor Line to carry 30,000 passengers a day by 2027.
"""

GOLD = """document: 01_sample.md
claims:
  - {subject: Northwind Energy, property: revenue, value: 1200000000, unit: EUR, quote: "revenue of €1.2 billion"}
  - {subject: wind farm, property: capacity, value: 450, unit: MW, quote: "a capacity of 450 MW"}
  - {subject: Harbor Line, property: daily passengers, value: 30000, unit: people, quote: "30,000 passengers a day"}
"""

FIGURES = ("sentences_per_s", "analysed_share", "subject_share", "subject_right", "subject_total")


def _linkgrammar_installed() -> bool:
    return importlib.util.find_spec("linkgrammar") is not None or \
        Path("/usr/lib/python3/dist-packages/linkgrammar/__init__.py").exists()


def test_linguistics_benchmark_reports_every_figure(tmp_path):
    docs, gold = tmp_path / "docs", tmp_path / "gold"
    docs.mkdir()
    gold.mkdir()
    (docs / "01_sample.md").write_text(DOC, encoding="utf-8")
    (gold / "01_sample.yaml").write_text(GOLD, encoding="utf-8")
    out = tmp_path / "linguistics.json"
    r = subprocess.run([sys.executable, str(ROOT / "benchmarks" / "linguistics.py"), "--docs", str(docs),
                        "--gold", str(gold), "--time-limit", "2", "--out", str(out)],
                       capture_output=True, text=True, timeout=120, cwd=str(ROOT))
    assert r.returncode == 0, r.stderr
    assert "|---|" in r.stdout
    report = json.loads(out.read_text())
    assert report["documents"] == 1 and report["sentences"] >= 3 and report["gold_claims"] == 3
    assert report["gold_quotes_not_found"] == 0 and report["date"] and report["machine"]["platform"]
    cands = report["candidates"]

    base = cands["baseline"]
    assert base["subject_total"] == 3 and 0 <= base["subject_right"] <= 3
    assert base["subject_right"] >= 1  # "Northwind Energy" is the capitalised name before its figure

    blank = cands["spacy-blank"]
    for key in FIGURES:
        assert blank[key] is not None, key
    assert blank["sentences_per_s"] > 0 and blank["tokens"] > 0
    assert blank["analysed_share"] == 0 and blank["tokens_with_pos"] == 0 and blank["subject_given"] == 0

    lg = cands["link-grammar"]
    if not _linkgrammar_installed():
        assert lg["available"] is False and "python3-link-grammar" in lg["reason"]
        pytest.skip("link-grammar is not installed (apt-get install python3-link-grammar "
                    "link-grammar-dictionaries-en): its figures were not checked")
    assert lg["available"] is True, lg
    for key in FIGURES + ("full_parse_share", "subject_share_with_fallback", "ms_per_sentence_p50"):
        assert lg[key] is not None, key
    assert lg["sentences_per_s"] > 0 and lg["analysed_share"] > 0 and lg["subject_given"] >= 1

    for name, rec in cands.items():  # trained pipelines, when one is installed; else a reason
        if name == "baseline":
            continue
        if rec.get("available"):
            for key in FIGURES:
                assert rec[key] is not None, (name, key)
        else:
            assert rec["reason"], name
