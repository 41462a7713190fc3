"""The bundled graph in graph/: its corpus, curated claims, committed exports and the conflicts it shows."""
import subprocess
import sys


from lithkg.kg import KnowledgeGraph

from conftest import DEFAULTS, GRAPH, ROOT, SEEDS


def test_the_committed_build_is_current(tmp_path):
    with KnowledgeGraph(tmp_path / "store", settings=DEFAULTS) as kg:
        result = kg.build(GRAPH, check=True)
    assert result["documents"] >= 6 and result["claims"] >= 60


def test_two_builds_are_byte_identical(tmp_path):
    # Two copies at a/graph and b/graph, built from different working directories.
    g1, g2 = tmp_path / "a" / "graph", tmp_path / "b" / "graph"
    import shutil
    for g in (g1, g2):
        shutil.copytree(GRAPH / "sources", g / "sources")
        shutil.copytree(GRAPH / "claims", g / "claims")
    with KnowledgeGraph(tmp_path / "s1", settings=DEFAULTS) as kg:
        kg.build(g1)
    with KnowledgeGraph(tmp_path / "s2", settings=DEFAULTS) as kg:
        kg.build(g2)
    for name in ("kg.ttl", "kg.jsonld", "kg.trig", "kg.nq"):
        assert (g1 / "build" / name).read_bytes() == (g2 / "build" / name).read_bytes(), name


def test_ncsi_rank_from_both_page_versions_side_by_side(bundled):
    rows = [r for r in bundled.conflicts() if r["group_label"] == "Lithuania / rank / index: National Cyber Security Index"]
    by_source = {(r["source"], r["value"]): r for r in rows}
    old = by_source[("graph/sources/official-page-2021.md", 4)]
    new = by_source[("graph/sources/official-page-2022.md", 6)]
    assert old["time"] == "2021" and new["time"] == "2022"
    assert old["quote"] and new["quote"]
    assert old["status"] == "updated" and old["relation"] == "updates"
    assert "a change over time, not a contradiction" in old["reason"]


def test_versions_of_the_official_page_chain(bundled):
    rows = bundled.run_named("sources").rows
    page = [r for r in rows if r["source_key"] == "https://official.example/lithuania/facts"]
    assert [(r["version"], r["file"]) for r in page] == [(1, "graph/sources/official-page-2021.md"),
                                                         (2, "graph/sources/official-page-2022.md")]


def test_the_bundled_store_conforms_to_the_shapes(bundled):
    report = bundled.validate()
    assert report.conforms, report.results[:5]


def test_the_corpus_does_not_copy_the_seeds():
    seed_text = " ".join((SEEDS / f).read_text(encoding="utf-8") for f in sorted(p.name for p in SEEDS.iterdir()))
    seed_words = seed_text.split()
    # 12 words: longer than any proper name the corpus shares with the seeds (the PESCO project's title).
    seed_runs = {" ".join(seed_words[i:i + 12]) for i in range(len(seed_words) - 11)}
    for doc in (GRAPH / "sources").iterdir():
        words = doc.read_text(encoding="utf-8").split()
        runs = {" ".join(words[i:i + 12]) for i in range(len(words) - 11)}
        assert not (runs & seed_runs), (doc.name, sorted(runs & seed_runs)[:2])


def test_the_shared_scorer_reads_the_claims_listing(bundled, tmp_path):
    import json
    out = tmp_path / "claims.jsonl"
    out.write_text("".join(json.dumps(r) + "\n" for r in bundled.claims()), encoding="utf-8")
    scorer = ROOT.parent / "shared" / "tools" / "score_claims.py"
    # The corpus gold names files by their bare names; the scorer matches on the basename of 'source'.
    res = subprocess.run([sys.executable, str(scorer), "--gold", str(ROOT / "tests" / "gold" / "corpus.yaml"),
                          "--docs", str(GRAPH / "sources"), "--claims", str(out), "--json"],
                         capture_output=True, text=True, timeout=120)
    assert res.returncode == 0, res.stderr
    figures = json.loads(res.stdout.strip().splitlines()[-1])
    assert figures["recall"] == 1.0 and figures["wrong_merges"].startswith("0/")


def test_disputes_query_gives_one_row_per_disputed_group(bundled):
    rows = bundled.run_named("disputes").rows
    assert [(r["group_label"], r["claims"], r["sources"], r["values"], r["lowest"], r["highest"]) for r in rows] == [
        ("Baltic Way / participants", 4, 3, 3, 1000000, 2000000),  # more than 1M, about 1M, about 2M
        ("Lithuania / rank / index: National Cyber Security Index", 5, 2, 3, 4, 57)]
