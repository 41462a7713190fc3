"""One statement, one claim: when the curated claims and the automatic extractor read the same sentence (the same
quote, subject and value), the store holds one claim, with both extractors in its provenance and what the automatic
one read otherwise; every listing, graph, plot and page counts it once, in the default and the bulk ingest alike.
A different value on the same quote stays a claim of its own."""
import dataclasses
import json
import random

import httpx
import pytest

from conftest import write
from helpers import free_port, serving
from lithkg.ingest.statements import merge
from lithkg.kg import KnowledgeGraph
from lithkg.model import Claim, Evidence, Term, TimeSpec, Value
from lithkg.read.plot import group_marks

RECORDED = "2024-01-01T00:00:00Z"
GIPL = "https://w3id.org/lithkg/id/entity/gipl"

NOTE = """\
---
title: Pipeline note
url: https://note.example/pipeline
published: 2023-02-01
---
# Pipeline note

The GIPL pipeline is 508 km long. Lithuania ranked 6th in the National Cyber Security Index in 2022.
The Baltic Way took place on 23 August 1989.
"""

# the same length (no time; the automatic extractor resolves one), the Baltic Way's date at a lower precision and
# under another property, and a rank the sentence does not give (7: a different value on the same quote)
NOTE_CLAIMS = """\
document: note.md
claims:
  - subject: GIPL
    property: length
    value: 508
    unit: km
    quote: "The GIPL pipeline is 508 km long"
  - subject: Baltic Way
    property: start date
    value: "1989-08"
    quote: "took place on 23 August 1989"
  - subject: Lithuania
    property: rank
    value: 7
    time: "2022"
    qualifiers: {index: National Cyber Security Index}
    quote: "Lithuania ranked 6th in the National Cyber Security Index"
"""

OTHER = """\
---
title: Another note
url: https://other.example/gipl
published: 2023-03-01
---
The interconnector GIPL is 508 km long.
"""

OTHER_CLAIMS = """\
document: other.md
claims:
  - subject: GIPL
    property: length
    value: 508
    unit: km
    quote: "GIPL is 508 km long"
"""

BOTH = ["curated@1", "frames@1"]


@pytest.fixture
def docs(tmp_path, monkeypatch):
    """Two sources, each with its curated claims; both extractors run, from the folder that holds them."""
    monkeypatch.setenv("LITHKG_EXTRACTORS", "curated,frames")
    monkeypatch.chdir(tmp_path)
    folder = tmp_path / "docs"
    write(folder / "note.md", NOTE)
    write(folder / "note.yaml", NOTE_CLAIMS)
    write(folder / "other.md", OTHER)
    write(folder / "other.yaml", OTHER_CLAIMS)
    return folder


def ingested(path, docs, **kw) -> KnowledgeGraph:
    graph = KnowledgeGraph(path)
    graph.ingest([docs], relative_to=docs.parent, record_time=RECORDED, **kw)
    return graph


def jsonl(result) -> list[dict]:
    assert result.exit_code == 0, result.stderr
    return [json.loads(line) for line in result.stdout.splitlines()]


def test_one_sentence_read_by_both_extractors_is_one_row_in_the_claims_listing(cli, docs):
    r = cli("ingest", "docs")
    assert r.exit_code == 0, r.stderr
    assert r.stderr.splitlines()[-1] == "2 document(s): 2 added, 0 updated, 0 unchanged; 5 claim(s)"
    rows = jsonl(cli("claims", "--format", "jsonl"))
    shown = [(r["source"], r["property_label"], r["value"], r["time"], r["extractor"], r["extractors"],
              r["disagreements"]) for r in rows]
    assert shown == [
        ("docs/note.md", "length", 508, None, "curated", BOTH,
         ['frames@1 read time 2023 (inferred), quote "508 km" at 38-44']),
        ("docs/note.md", "rank", 7, "2022", "curated", ["curated@1"], []),   # another value: two claims
        ("docs/note.md", "rank", 6, "2022", "frames", ["frames@1"], []),
        ("docs/note.md", "start date", "1989-08", None, "curated", BOTH,  # curated's property and precision win
         ["frames@1 read value 1989-08-23, property date"]),
        ("docs/other.md", "length", 508, None, "curated", BOTH,
         ['frames@1 read time 2023 (inferred), quote "508 km" at 27-33']),
    ]
    table = cli("claims", "--subject", "GIPL", "--property", "length").stdout.splitlines()
    assert len(table) == 4 and "docs/note.md" in table[2] and "docs/other.md" in table[3]  # head, rule, 2 rows
    assert [r["status"] for r in rows if r["subject"] == GIPL] == ["corroborated", "preferred"]


def test_history_conflicts_stats_log_stale_and_the_graphs_count_the_statement_once(cli, docs):
    assert cli("ingest", "docs").exit_code == 0
    history = jsonl(cli("history", "GIPL", "length", "--format", "jsonl"))
    assert [(h["source"], h["value"], h["relation_to_previous"]) for h in history] == [
        ("docs/note.md", 508, None), ("docs/other.md", 508, "corroborates")]
    conflicts = jsonl(cli("conflicts", "--format", "jsonl"))
    assert sorted((c["value"], c["status"]) for c in conflicts) == [(6, "conflicting"), (7, "conflicting")]
    stats = json.loads(cli("stats", "--format", "json").stdout)
    assert (stats["claims"], stats["claim_groups"], stats["claims_by_extractor"]) == (5, 3, {"curated": 4,
                                                                                               "frames": 1})
    assert [(v["file"], v["claims"]) for v in jsonl(cli("log", "--format", "jsonl"))] == [("docs/note.md", 4),
                                                                                          ("docs/other.md", 1)]
    stale = jsonl(cli("stale", "--now", "2030-01-01", "--format", "jsonl"))
    assert stale == []  # a built length and ranks with their own time are never stale (docs/commands.md, stale)
    r = cli("graph", "sources")
    assert "https://note.example/pipeline + https://other.example/gipl: 1 agree, 0 conflict" in r.stdout
    # 5 claims; the two lengths corroborate each other, the two ranks conflict
    assert cli("graph", "disputes").stdout.startswith("disputes: 5 node(s), 2 edge(s)")


def test_the_plot_has_one_mark_per_source(docs, tmp_path):
    with ingested(tmp_path / "store", docs) as graph:
        rows = graph.group_claims("interconnection length")
        assert len(rows) == 2
        marks = group_marks(rows)
        assert [(m["source"], m["label"], m["preferred"]) for m in marks] == [
            ("docs/note.md", "508 km", False), ("docs/other.md", "508 km", True)]
        entities = graph.network("entities")
        assert entities.nodes["https://w3id.org/lithkg/id/entity/lithuania"]["claims"] == 2  # rank 7 and rank 6


def test_the_bulk_ingest_merges_the_same_way(docs, tmp_path):
    with ingested(tmp_path / "one", docs) as one:
        expected, listing = set(one.store.quads()), one.claims()
    with ingested(tmp_path / "bulk", docs, bulk=True) as bulk:
        assert set(bulk.store.quads()) == expected
        assert bulk.claims() == listing and len(listing) == 5


def test_the_provenance_and_the_disagreement_are_in_the_exports(docs, tmp_path):
    with ingested(tmp_path / "store", docs) as graph:
        claim = next(r for r in graph.claims() if r["property_label"] == "start date")
        turtle = graph.export("turtle").decode()
        document = json.loads(graph.export("json-ld"))
        runs = graph.query(f"SELECT ?label WHERE {{ <{claim['id']}> prov:wasGeneratedBy ?run . "
                           "?run prov:wasAssociatedWith ?agent . ?agent rdfs:label ?label } ORDER BY ?label").rows
    assert [r["label"] for r in runs] == BOTH
    assert 'lkg:extractorDisagreement "frames@1 read value 1989-08-23, property date"' in turtle
    nodes = [n for n in document["@graph"] for n in n.get("@graph", [n]) if n.get("@id", "").endswith(
        claim["id"].rsplit("/", 1)[-1])]
    assert any(n.get("extractorDisagreement") == "frames@1 read value 1989-08-23, property date" for n in nodes)


def test_the_same_inputs_give_the_same_claims_and_exports_whatever_the_order(docs, tmp_path, monkeypatch):
    def exports(graph):
        return [graph.export(fmt) for fmt in ("turtle", "json-ld", "trig", "nquads")]

    with ingested(tmp_path / "a", docs) as a:
        first, ids = exports(a), [r["id"] for r in a.claims()]
    monkeypatch.setenv("LITHKG_EXTRACTORS", "frames,curated")  # the extractors run the other way round
    with KnowledgeGraph(tmp_path / "b") as b:
        b.ingest(sorted(docs.iterdir(), reverse=True), relative_to=docs.parent, record_time=RECORDED)
        assert exports(b) == first and [r["id"] for r in b.claims()] == ids
    monkeypatch.setenv("LITHKG_EXTRACTORS", "curated")  # a curated claim keeps its IRI when frames reads it too
    with ingested(tmp_path / "c", docs) as c:
        alone = {(r["source"], r["property_label"], r["value"]): r["id"] for r in c.claims()}
    assert alone[("docs/note.md", "start date", "1989-08")] in ids and alone[("docs/other.md", "length", 508)] in ids


def test_the_pages_show_the_statement_once(docs, tmp_path):
    store = tmp_path / "store"
    with ingested(store, docs) as graph:
        note = next(r["document"] for r in graph.claims() if r["source"] == "docs/note.md")
    with serving(store, free_port()) as url:
        source = httpx.get(url + "/source", params={"doc": note}).text
        home = httpx.get(url + "/").text
        analyses = httpx.get(url + "/analyses").text
    assert "4 claim(s); every quote is marked" in source and source.count("<tr><td><a href='#claim-") == 4
    assert source.count("The GIPL pipeline is 508 km long") == 1 and source.count(">508 km</a></td>") == 1
    assert home.count("<section") == 1 and home.count("<q>") == 2  # the rank group: 7 and 6
    assert "title='1 group(s) agree, 0 conflict'>✓1 ✗0</td>" in analyses


# ------------------------------------------------------------------------------ the rule, claim by claim
def claim(extractor, value="508", *, start=10, end=20, subject="gipl", prop="length", time=None, kind="number"):
    return Claim(subject=Term(f"https://w3id.org/lithkg/id/entity/{subject}", subject),
                 property=Term(f"https://w3id.org/lithkg/prop/{prop}", prop), value=Value(kind, value),
                 evidence=Evidence("x" * (end - start), start, end), extractor=extractor,
                 time=TimeSpec(point=time) if time else TimeSpec())


@pytest.mark.parametrize("other,merged", [
    (claim("frames", start=15, end=30), True),                     # overlapping quotes
    (claim("frames", start=20, end=30), False),                    # quotes side by side
    (claim("frames", subject="poland"), False),                    # another subject
    (claim("frames", "534"), False),                               # another value
    (claim("frames", "508.0"), True),                              # the same number
    (claim("curated", prop="width"), False),                       # the same extractor: someone wrote two claims
])
def test_which_claims_are_one_statement(other, merged):
    out = merge([claim("curated"), other])
    assert len(out) == (1 if merged else 2)
    assert out[0].extractors == (("curated@1", "frames@1") if merged else ("curated@1",))


def test_dates_merge_when_one_is_a_more_precise_form_of_the_other():
    day, month, other = (claim("frames", d, kind="date", prop="date") for d in ("1989-08-23", "1989-08", "1989-09"))
    merged = merge([claim("curated", "1989", kind="date", prop="date"), day])
    assert len(merged) == 1 and merged[0].value.lexical == "1989"
    assert merged[0].disagreements == ("frames@1 read value 1989-08-23",)
    assert len(merge([month, claim("curated", "1989-08-23", kind="date", prop="date")])) == 1
    assert len(merge([other, claim("curated", "1989-08", kind="date", prop="date")])) == 2


def test_a_claim_joins_the_best_fitting_statement_and_the_result_does_not_depend_on_the_order():
    claims = [claim("curated", start=0, end=30, prop="length"), claim("curated", start=25, end=40, prop="width"),
              claim("frames", start=26, end=29, prop="width", time="2022"), claim("other", start=0, end=5)]
    expected = merge(claims)
    assert [(c.property.label, c.extractors) for c in expected] == [
        ("length", ("curated@1", "other@1")), ("width", ("curated@1", "frames@1"))]
    assert expected[1].disagreements == ('frames@1 read time 2022, quote "xxx" at 26-29',)
    for seed in range(5):
        shuffled = claims[:]
        random.Random(seed).shuffle(shuffled)
        assert sorted(merge(shuffled), key=repr) == sorted(expected, key=repr)
    assert merge(expected) == expected  # merging again changes nothing
    assert dataclasses.replace(expected[0], also_read_by=()).extractors == ("curated@1",)
