"""Bulk ingest gives the same graph as the default ingest, in worker processes too, and keeps a consistent
store when a bad document stops it part-way."""
import random

import pytest

from conftest import DEFAULTS, GRAPH, ROOT, write
from lithkg.errors import DocumentError
from lithkg.kg import KnowledgeGraph, build_record_time

SENTENCES = ["{e} ranks {o} in the National Cyber Security Index.", "The {e} line is {n} kilometres long.",
             "In {y}, {e} was ranked {o} in the Henley Passport Index.", "Some {c} people live in {e}."]
NAMES = ["Lithuania", "Latvia", "Estonia", "Poland", "Finland", "Vilnius", "Kaunas"]


def corpus(folder, documents=60, seed=3):
    """Small documents over a few sources, each source in several dated versions (so versions are compared)."""
    rng = random.Random(seed)
    for i in range(documents):
        source, version = i % 20, i // 20
        body = " ".join(rng.choice(SENTENCES).format(e=rng.choice(NAMES), o=rng.choice(["2nd", "4th", "6th"]),
                                                      n=rng.choice([100, 120]), y=rng.choice([2020, 2021]),
                                                      c=rng.choice(["10,000", "12,000"])) for _ in range(6))
        write(folder / f"s{source:02d}-v{version}.md",
              f"---\nurl: https://s{source}.example/page\npublished: 202{version}-03-01\n---\n{body}\n")
    return folder


def quads(graph: KnowledgeGraph) -> set:
    return set(graph.store.quads())


def test_bulk_gives_the_same_graph_as_one_transaction_per_document(tmp_path):
    with KnowledgeGraph(tmp_path / "one", settings=DEFAULTS) as one:
        one.ingest([GRAPH / "sources", GRAPH / "claims"], relative_to=ROOT, record_time=build_record_time)
        expected = quads(one)
    with KnowledgeGraph(tmp_path / "bulk", settings=DEFAULTS) as bulk:
        report = bulk.ingest([GRAPH / "sources", GRAPH / "claims"], relative_to=ROOT, record_time=build_record_time,
                             bulk=True)
        assert report.count("added") == 6 and report.claims == 91
        assert quads(bulk) == expected
        for g in [g for g in bulk.store.named_graphs() if "/derived/" in g][:5]:  # as a crash before deriving
            bulk.store._store.remove_graph(__import__("pyoxigraph").NamedNode(g))
        assert quads(bulk) != expected
        again = bulk.ingest([GRAPH / "sources", GRAPH / "claims"], relative_to=ROOT, record_time=build_record_time,
                            bulk=True)
        assert again.count("unchanged") == 6 and quads(bulk) == expected  # run again: derived again


def test_bulk_in_two_worker_processes(tmp_path):
    docs = corpus(tmp_path / "docs")
    with KnowledgeGraph(tmp_path / "one", settings=DEFAULTS) as one:
        one.ingest([docs], record_time="2024-01-01T00:00:00Z")
        expected = quads(one)
    with KnowledgeGraph(tmp_path / "bulk", settings=DEFAULTS) as bulk:
        report = bulk.ingest([docs], record_time="2024-01-01T00:00:00Z", bulk=True, workers=2)
        assert len(report.documents) == 60 and report.claims > 200
        assert quads(bulk) == expected
        statuses = {r["status"] for r in bulk.claims()}
        assert {"retracted", "updated"} & statuses and "preferred" in statuses


def test_a_bad_document_stops_the_bulk_ingest_and_what_was_written_is_derived(tmp_path):
    docs = corpus(tmp_path / "docs", documents=10)
    (docs / "s99-zz.md").write_bytes(b"\x00\x01binary")
    with KnowledgeGraph(tmp_path / "bulk", settings=DEFAULTS) as bulk:
        with pytest.raises(DocumentError) as exc:
            bulk.ingest([docs], bulk=True, workers=1)
        assert exc.value.message == "the file is binary, not text"
        rows = bulk.claims()
        assert rows and all(r["status"] and r["group"] for r in rows)  # every written claim has its derivation
        documents = {r["document"] for r in rows}
        assert len(documents) == 10
        groups = {r["group"] for r in rows}
        derived = {g.value for g in bulk.store._store.named_graphs() if "/derived/" in g.value}
        assert {bulk.ids.derived_graph(g) for g in groups} <= derived


def test_bulk_refuses_stdin(tmp_path):
    from lithkg.errors import UsageError
    with KnowledgeGraph(tmp_path / "s", settings=DEFAULTS) as kg:
        with pytest.raises(UsageError, match="--bulk reads files, not stdin"):
            kg.ingest(["-"], stdin=b"x", bulk=True)
        assert len(kg.store) == 0  # nothing written
