"""Extraction on real pages written by others: ../shared/realdev (18 news and official pages with an analyst's gold),
scored with the shared scorer through the CLI contract, with the automatic extractor alone.

Two sets of bars. ``REACHED`` is what the extractor reaches today: a change that falls below it is a regression
and fails. ``TARGET`` is what issue 16 asks for; it is not reached yet, so that test is a strict expected failure
that turns red (and must be promoted) the day the extractor meets it.
"""
import pytest

from conftest import SHARED
from extract.test_extraction_scores import score

REALDEV = SHARED / "realdev"

REACHED = ["--min-recall", "0.88", "--min-precision", "0.94", "--min-subject", "0.87", "--min-pairs", "0.76",
           "--min-disputes", "0.75", "--max-mixed", "5"]
TARGET = ["--min-recall", "0.85", "--min-subject", "0.90", "--min-pairs", "0.75", "--min-disputes", "0.75",
          "--max-mixed", "2"]


@pytest.fixture(scope="module")
def golds():
    if not REALDEV.is_dir():
        pytest.fail(f"{REALDEV} is missing: the realdev set sits beside the project (../shared/realdev)")
    return sorted((REALDEV / "gold").glob("*.yaml"))


def test_real_pages_stay_at_what_the_extractor_reaches(tmp_path, monkeypatch, golds):
    code, figures = score(tmp_path, monkeypatch, REALDEV / "docs", golds, *REACHED)
    assert code == 0, figures


@pytest.mark.xfail(strict=True, reason="issue 16 is open: realdev targets not met yet (see the closing note)")
def test_real_pages_meet_the_targets_of_issue_16(tmp_path, monkeypatch, golds):
    code, figures = score(tmp_path, monkeypatch, REALDEV / "docs", golds, *TARGET)
    assert code == 0, figures
