"""lithkg check: the store's invariants, each broken on purpose on a real store, and --repair."""
from __future__ import annotations

import json
import shutil

import pyoxigraph as ox
import pytest

from lithkg.cli import main
from lithkg.read.integrity import check
from lithkg.kg import KnowledgeGraph
from lithkg.rdf.mapping import LKG

OA = "http://www.w3.org/ns/oa#"


@pytest.fixture
def store(built_store, tmp_path):
    """A private copy of the bundled store, not open (the CLI under test opens it)."""
    copy = tmp_path / "store"
    shutil.copytree(built_store, copy)
    return copy


def raw(path):
    """The store opened with pyoxigraph alone, to break it behind lithkg's back."""
    return ox.Store(str(path))


def quads(path) -> set:
    s = ox.Store.read_only(str(path))
    return set(s.quads_for_pattern(None, None, None, None))


def first(store: ox.Store, sparql: str):
    return next(iter(store.query(sparql, use_default_graph_as_union=True)))


def run(runner, path, *args):
    return runner.invoke(main, ["--store", str(path), "check", "--no-shacl", *args], catch_exceptions=False)


def test_a_whole_store_passes(runner, store):
    r = run(runner, store)
    assert r.exit_code == 0
    assert r.stdout == ""
    assert r.stderr.splitlines()[-1] == "all invariants hold: 6 versions, 91 claims, 5 sources, 52 groups"


def test_a_wrong_status_is_found_and_repaired_to_exactly_the_original(runner, store):
    before = quads(store)
    s = raw(store)
    row = first(s, "SELECT ?c ?g ?st WHERE { GRAPH ?g { ?c <%sstatus> ?st } FILTER(?st = 'updated') }" % LKG)
    s.remove(ox.Quad(row["c"], ox.NamedNode(LKG + "status"), row["st"], row["g"]))
    s.add(ox.Quad(row["c"], ox.NamedNode(LKG + "status"), ox.Literal("preferred"), row["g"]))
    del s
    r = run(runner, store, "--format", "jsonl")
    assert r.exit_code == 3
    assert '"check": "derivations"' in r.stdout and '"repairable": true' in r.stdout
    assert "differs from a fresh derivation (1 statement(s) missing, 1 extra)" in r.stdout
    assert r.stderr.splitlines()[-1] == "lithkg: 1 problem(s) in 6 versions, 91 claims, 5 sources, 52 groups"
    r = run(runner, store, "--repair")
    assert r.exit_code == 0
    assert f"repaired {row['g'].value}" in r.stderr
    assert quads(store) == before


def test_a_missing_relation_and_a_leftover_group_graph_are_repaired(runner, store):
    before = quads(store)
    s = raw(store)
    rel = first(s, "SELECT ?r ?g WHERE { GRAPH ?g { ?r a <%sConflict> } }" % LKG)
    for q in list(s.quads_for_pattern(rel["r"], None, None, rel["g"])):
        s.remove(q)
    orphan = ox.NamedNode(rel["g"].value.rsplit("/", 1)[0] + "/0000orphan")
    s.add(ox.Quad(ox.NamedNode("https://w3id.org/lithkg/id/group/0000orphan"), ox.NamedNode(
        "http://www.w3.org/1999/02/22-rdf-syntax-ns#type"), ox.NamedNode(LKG + "ClaimGroup"), orphan))
    del s
    with KnowledgeGraph(store, read_only=True) as kg:
        report = check(kg, shacl=False)
    assert [(p.check, p.repairable) for p in report.problems] == [("derivations", True)] * 2
    assert any("no claims" in p.message for p in report.problems)
    assert run(runner, store, "--repair").exit_code == 0
    assert quads(store) == before


def test_a_stale_source_graph_is_repaired(runner, store):
    before = quads(store)
    s = raw(store)
    row = first(s, "SELECT ?s ?v ?g WHERE { GRAPH ?g { ?s <%slatestVersion> ?v } }" % LKG)
    s.remove(ox.Quad(row["s"], ox.NamedNode(LKG + "latestVersion"), row["v"], row["g"]))
    del s
    r = run(runner, store)
    assert r.exit_code == 3 and "the source's graph differs from a fresh derivation" in r.stdout
    assert run(runner, store, "--repair").exit_code == 0
    assert quads(store) == before


def test_a_moved_quote_is_reported_and_never_rewritten(runner, store):
    s = raw(store)
    row = first(s, "SELECT ?sel ?start ?g WHERE { GRAPH ?g { ?sel <%sstart> ?start } }" % OA)
    moved = ox.Literal(str(int(row["start"].value) + 1), datatype=row["start"].datatype)
    s.remove(ox.Quad(row["sel"], ox.NamedNode(OA + "start"), row["start"], row["g"]))
    s.add(ox.Quad(row["sel"], ox.NamedNode(OA + "start"), moved, row["g"]))
    del s
    broken = quads(store)
    r = run(runner, store, "--repair", "--format", "csv")
    assert r.exit_code == 3
    lines = r.stdout.splitlines()
    assert lines[0] == "check,iri,message,repairable" and len(lines) == 2
    assert lines[1].startswith("quotes,") and "is not the text at" in lines[1] and lines[1].endswith(",False")
    assert quads(store) == broken


def test_a_partly_written_version_is_found(runner, store):
    s = raw(store)
    row = first(s, "SELECT ?c ?g WHERE { GRAPH ?g { ?c <%sgroup> ?grp ; <http://www.w3.org/ns/prov#wasDerivedFrom> ?g } }"
                % LKG)
    for q in list(s.quads_for_pattern(row["c"], None, None, row["g"])):
        s.remove(q)
    del s
    r = run(runner, store, "--format", "jsonl")
    assert r.exit_code == 3
    assert f'"check": "versions", "iri": "{row["g"].value}"' in r.stdout
    assert "claim(s) but the store holds" in r.stdout


def test_check_with_shacl_on_a_small_store(runner, store_path, two_versions):
    with KnowledgeGraph(store_path) as kg:
        kg.ingest([two_versions])
    r = runner.invoke(main, ["--store", str(store_path), "check"], catch_exceptions=False)
    assert r.exit_code == 0, r.stdout
    assert r.stderr.splitlines()[-1] == "all invariants hold: 2 versions, 3 claims, 1 sources, 1 groups"


def test_repair_needs_a_writable_store(store):
    with KnowledgeGraph(store, read_only=True) as kg:
        with pytest.raises(Exception, match="cannot repair a store opened read-only"):
            kg.check(repair=True)


def test_validate_reports_each_broken_shape_for_its_own_focus_node(runner, store):
    """The SPARQL-based constraints run once per focus node with the query parsed once: each broken node is reported
    with its own bindings in the message, and no other node is."""
    s = raw(store)
    exact, subject = OA + "exact", LKG + "subject"
    rows = list(s.query(f"SELECT ?c ?ev ?q ?x ?g WHERE {{ GRAPH ?g {{ ?c <{LKG}evidence> ?ev . ?ev <{OA}hasSelector> ?q"
                        f" . ?q <{exact}> ?x }} }} ORDER BY ?c LIMIT 2"))
    quoted, moved = rows
    s.remove(ox.Quad(quoted["q"], ox.NamedNode(exact), quoted["x"], quoted["g"]))
    s.add(ox.Quad(quoted["q"], ox.NamedNode(exact), ox.Literal("not in the text"), quoted["g"]))
    old = first(s, f"SELECT ?v WHERE {{ GRAPH ?g {{ <{moved['c'].value}> <{subject}> ?v }} }}")["v"]
    group = first(s, f"SELECT ?v WHERE {{ GRAPH ?g {{ <{moved['c'].value}> <{LKG}group> ?v }} }}")["v"].value
    s.remove(ox.Quad(moved["c"], ox.NamedNode(subject), old, moved["g"]))
    nowhere = "https://w3id.org/lithkg/id/entity/Nowhere"
    s.add(ox.Quad(moved["c"], ox.NamedNode(subject), ox.NamedNode(nowhere), moved["g"]))
    start = first(s, f"SELECT ?v WHERE {{ <{quoted['ev'].value}> <{OA}hasSelector>/<{OA}start> ?v }}")["v"].value
    end = first(s, f"SELECT ?v WHERE {{ <{quoted['ev'].value}> <{OA}hasSelector>/<{OA}end> ?v }}")["v"].value
    del s
    r = runner.invoke(main, ["--store", str(store), "validate", "-f", "jsonl"], catch_exceptions=False)
    assert r.exit_code == 3
    assert [json.loads(line) for line in r.stdout.splitlines()] == [
        {"focus": quoted["ev"].value, "path": "", "severity": "Violation",
         "message": f"The quote \"not in the text\" (oa:exact) is not the document text between oa:start {start} and "
                    f"oa:end {end} (offsets count characters of lkg:text from 0, end exclusive)."},
        {"focus": moved["c"].value, "path": subject, "severity": "Violation",
         "message": f"The claim's {subject} differs from that of its claim group {group} ({nowhere} is not the "
                    "group's)."}]
    assert r.stderr.splitlines() == ["[1/2] read 6599 statements for SHACL validation",
                                     "[2/2] validated against the SHACL shapes",
                                     "lithkg: the store does not conform: 2 problem(s)"]
