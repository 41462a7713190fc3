"""Extraction measured with the shared scorer (../shared/tools/score_claims.py), through the CLI contract."""
import json
import subprocess
import sys

from click.testing import CliRunner

from lithkg.cli import main

from conftest import GRAPH, ROOT, SEEDS, SHARED

SCORER = SHARED / "tools" / "score_claims.py"


def score(tmp_path, monkeypatch, docs, golds, *bars):
    monkeypatch.setenv("LITHKG_EXTRACTORS", "frames")
    store = tmp_path / "store"
    runner = CliRunner()
    files = sorted(str(p) for p in docs.iterdir() if p.is_file())
    r = runner.invoke(main, ["--store", str(store), "ingest", *files])
    assert r.exit_code == 0, r.output
    out = tmp_path / "claims.jsonl"
    out.write_text(runner.invoke(main, ["--store", str(store), "claims", "--format", "jsonl"]).stdout,
                   encoding="utf-8")
    args = [sys.executable, str(SCORER), "--docs", str(docs), "--claims", str(out), "--json", *bars]
    for g in golds:
        args += ["--gold", str(g)]
    res = subprocess.run(args, capture_output=True, text=True, timeout=300)
    figures = json.loads(res.stdout.strip().splitlines()[-1])
    return res.returncode, figures


BARS = ["--min-recall", "0.95", "--min-precision", "0.90", "--min-time", "0.90", "--min-pairs", "1.0",
        "--max-merges", "0"]


def test_seeds_meet_the_bars(tmp_path, monkeypatch):
    code, figures = score(tmp_path, monkeypatch, SEEDS, [SHARED / "gold" / "seeds.yaml"], *BARS)
    assert code == 0, figures


def test_bundled_corpus_meets_the_bars(tmp_path, monkeypatch):
    code, figures = score(tmp_path, monkeypatch, GRAPH / "sources", [ROOT / "tests" / "gold" / "corpus.yaml"],
                          *BARS)
    assert code == 0, figures


def test_documents_on_other_topics_meet_the_bars(tmp_path, monkeypatch):
    """Documents written for measuring, in other wordings and on other topics (tests/extraction/)."""
    folder = ROOT / "tests" / "extraction"
    code, figures = score(tmp_path, monkeypatch, folder / "docs", sorted((folder / "gold").glob("*.yaml")), *BARS)
    assert code == 0, figures


def test_prose_alone_shows_the_disputes_a_reader_would_point_at(tmp_path, monkeypatch):
    """No curated claims: the automatic extractor alone, on the bundled corpus and the documents on other topics."""
    monkeypatch.setenv("LITHKG_EXTRACTORS", "frames")
    store = tmp_path / "store"
    runner = CliRunner()
    assert runner.invoke(main, ["--store", str(store), "ingest", str(GRAPH / "sources"),
                                str(ROOT / "tests" / "extraction" / "docs")]).exit_code == 0
    rows = json.loads(runner.invoke(main, ["--store", str(store), "conflicts", "--format", "json"]).stdout)
    groups = {}
    for r in rows:
        groups.setdefault(r["group_label"], []).append(r)
    ncsi = groups["Lithuania / rank / index: National Cyber Security Index"]
    assert {r["value"] for r in ncsi} >= {57, 4, 5, 6} and ncsi[0]["disputed"]
    participants = groups["Baltic Way / participants"]
    assert {r["value"] for r in participants} >= {1000000, 2000000} and participants[0]["disputed"]
    cargo = next(v for k, v in groups.items() if k.startswith("Freeport of Riga / mass"))
    assert {r["value"] for r in cargo} >= {19600000, 20100000} and cargo[0]["disputed"]
    population = groups["Tallinn / population"]
    assert {r["value"] for r in population} == {457572, 461143}
    assert any(r["relation"] == "updates" for r in population) and not population[0]["disputed"]
    for r in ncsi + participants + cargo:
        assert r["quote"] and r["source"]
