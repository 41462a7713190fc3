"""The benchmarks run from a fresh clone: each is run small here and its report checked (speed is not judged)."""
import json
import subprocess
import sys

from conftest import ROOT


def _run(script: str, *args: str, tmp_path) -> dict:
    out = tmp_path / "result.json"
    r = subprocess.run([sys.executable, str(ROOT / "benchmarks" / script), *args, "--out", str(out)],
                       capture_output=True, text=True, timeout=600, cwd=str(ROOT))
    assert r.returncode == 0, r.stderr
    assert "|---|" in r.stdout  # the Markdown table
    return json.loads(out.read_text())


def test_server_load_benchmark_reports_latency_and_no_errors(tmp_path):
    result = _run("server_load.py", "--clients", "4", "--requests", "40", tmp_path=tmp_path)
    assert result["requests"] == 40 and result["errors"] == 0
    assert result["result_rows"] > 0 and result["claims"] > 50  # the bundled graph: 91 claims
    assert 0 < result["p50_ms"] <= result["p99_ms"]
    assert result["requests_per_s"] > 0 and result["baseline_in_process_per_s"] > 0


def test_extraction_speed_benchmark_reports_its_baseline(tmp_path):
    result = _run("extraction_speed.py", "--documents", "20", "--repeat", "1", tmp_path=tmp_path)
    assert result["documents"] == 20 and result["claims"] > 20
    assert result["sentences_per_s"] > 0 and result["baseline_sentences_per_s"] > result["sentences_per_s"]


def test_scale_benchmark_reports_every_figure_with_its_baseline(tmp_path):
    out = tmp_path / "scale.json"
    r = subprocess.run([sys.executable, str(ROOT / "benchmarks" / "scale.py"), "--sizes", "20", "--bulk",
                        "--repeat", "1", "--add-docs", "1", "--out", str(out)],
                       capture_output=True, text=True, timeout=600, cwd=str(ROOT))
    assert r.returncode == 0, r.stderr
    (record,) = json.loads(out.read_text())["records"]
    assert record["documents"] == 20 and record["claims"] > 100
    for key in ("ingest_claims_per_s", "add_one_document_ms", "conflicts_query_ms", "baseline_conflicts_query_ms",
                "disputes_query_ms", "baseline_disputes_query_ms",
                "export_nquads_triples_per_s", "baseline_export_nquads_triples_per_s", "peak_rss_mb"):
        assert record[key] > 0, key
    assert out.with_suffix(".md").read_text().startswith("# lithkg scale benchmark")


def test_fuzz_runs_each_target_briefly_without_failures():
    """benchmarks/fuzz.py for 5 s per target: every target tried examples, none failed, and the summary line."""
    r = subprocess.run([sys.executable, str(ROOT / "benchmarks" / "fuzz.py"), "--seconds", "5", "--seed", "1"],
                       capture_output=True, text=True, timeout=600, cwd=str(ROOT))
    assert r.returncode == 0, r.stdout + r.stderr
    lines = r.stdout.splitlines()
    for target in ("parse_document", "load_claims_file", "extract"):
        row = next(ln for ln in lines if ln.startswith(target + " "))
        assert int(row.split()[1]) > 0 and " 0 failures" in row, row
    assert lines[-1].startswith("fuzz: 3 target(s), ") and lines[-1].endswith(", 0 failures"), r.stdout
