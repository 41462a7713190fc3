"""A user's own entities, aliases and frames in their own Turtle file (the ``ontology`` setting, ``--ontology``):
read on top of the package's ontology/, the same in every process that reads the store, recorded in the store's
ontology graph, and refused in one line (file, line and column, exit code) when it cannot be used."""
import hashlib
import json
import subprocess
import sys

import httpx
import pytest
from click.testing import CliRunner

from lithkg.cli import main
from lithkg.config import data_dir, load_settings
from lithkg.kg import KnowledgeGraph
from lithkg.rdf.ontology import MAX_USER_FILE, ONTOLOGY_FILES, load

from conftest import ROOT, write
from helpers import digest, free_port, stop, wait_until_serving

LT = "https://w3id.org/lithkg/id/entity/lithuania"
COOP = "https://example.org/kg/brambleworks"

MINE = """\
@prefix lkg:    <https://w3id.org/lithkg/ns#> .
@prefix lkgp:   <https://w3id.org/lithkg/prop/> .
@prefix lke:    <https://w3id.org/lithkg/id/entity/> .
@prefix ex:     <https://example.org/kg/> .
@prefix rdfs:   <http://www.w3.org/2000/01/rdf-schema#> .
@prefix skos:   <http://www.w3.org/2004/02/skos/core#> .
@prefix schema: <http://schema.org/> .

ex:brambleworks a lkg:Entity, schema:Organization ;
    rdfs:label "Brambleworks Cooperative" ;
    skos:altLabel "Brambleworks" .

lke:lithuania skos:altLabel "Lietuva" .

lkgp:pollinates a lkg:Property ;
    rdfs:label "pollinates" ; lkg:valueKind lkg:EntityValue ;
    lkg:trigger "pollinates", "pollinating" .

lkgp:hivesKept a lkg:Property ;
    rdfs:label "hives kept" ; lkg:valueKind lkg:Count ;
    lkg:qualifier lkgp:citedSource .
"""

DOC = """\
---
title: Bees in the valley
url: https://example.org/bees
published: 2024-03-01
---
# Bees in the valley

Brambleworks Cooperative keeps 1,240 beehives on the southern slopes.

Lietuva ranked 6th in the National Cyber Security Index in 2022.

In summer Brambleworks pollinates the orchards of Lietuva.
"""

CURATED = """\
document: bees.md
claims:
  - subject: Brambleworks
    property: hives kept
    value: 1240
    time: "2024"
    quote: "keeps 1,240 beehives"
"""


@pytest.fixture
def work(tmp_path, monkeypatch):
    """A project folder with the user's Turtle file and one document with its curated claims; the commands run
    from it with both extractors."""
    write(tmp_path / "mine.ttl", MINE)
    write(tmp_path / "docs" / "bees.md", DOC)
    write(tmp_path / "docs" / "bees.yaml", CURATED)
    monkeypatch.chdir(tmp_path)
    monkeypatch.setenv("LITHKG_EXTRACTORS", "curated,frames")
    return tmp_path


def run(store, *args):
    result = CliRunner().invoke(main, ["--store", str(store), *args], catch_exceptions=False)
    return result.exit_code, result.stdout, result.stderr


def claims(store, *flags):
    code, out, err = run(store, *flags, "claims", "-f", "jsonl")
    assert code == 0, err
    return [json.loads(line) for line in out.splitlines()]


def test_user_entities_aliases_and_frames_reach_the_claims(work):
    store = work / "store"
    code, _, err = run(store, "--ontology", "mine.ttl", "ingest", "docs")
    assert code == 0, err
    rows = claims(store, "--ontology", "mine.ttl")
    subjects = {(r["subject"], r["property_label"], str(r["value"])) for r in rows}
    assert (COOP, "hives kept", "1240") in subjects         # a curated claim names it by its alias
    hives = next(r for r in rows if r["value"] == 1240)     # the automatic extractor links the user's entity too:
    assert hives["extractors"] == ["curated@1", "frames@1"]  # one statement, read by both
    assert hives["disagreements"][0].startswith("frames@1 read property number of, qualifiers [of: beehive]")
    assert (LT, "rank", "6") in subjects                    # an alias added to a package entity
    assert (COOP, "pollinates", LT) in subjects             # the user's frame, from its trigger word


def test_an_alias_resolves_in_query_parameters_only_with_the_file(work):
    store = work / "store"
    assert run(store, "--ontology", "mine.ttl", "ingest", "docs")[0] == 0
    code, out, _ = run(store, "--ontology", "mine.ttl", "query", "claims", "--param", "subject=Brambleworks",
                       "--param", "property=pollinates", "-f", "csv")
    assert code == 0 and len(out.splitlines()) == 2 and f"{COOP}," in out and LT in out
    code, out, _ = run(store, "--ontology", "mine.ttl", "query", "claims", "--param", "subject=Lietuva", "-f", "csv")
    assert code == 0 and len(out.splitlines()) == 2
    code, _, err = run(store, "query", "claims", "--param", "subject=Brambleworks")
    assert code == 2 and err == ("lithkg: error: parameter 'subject': unknown entity 'Brambleworks' (use a label or "
                                 "alias from ontology/entities.ttl, or an IRI)\n")


def test_the_store_records_the_users_additions_and_a_changed_file_updates_them(work):
    store = work / "store"
    assert run(store, "--ontology", "mine.ttl", "ingest", "docs")[0] == 0
    ask = ("ASK { GRAPH <https://w3id.org/lithkg/graph/ontology> { <%s> skos:altLabel \"%s\" } }")
    assert run(store, "query", "-e", ask % (COOP, "Brambleworks"), "-f", "csv")[1].strip().endswith("true")
    exported = run(store, "export", "-f", "nquads")[1]
    assert f"<{COOP}> <http://www.w3.org/2000/01/rdf-schema#label> \"Brambleworks Cooperative\"" in exported
    assert "<https://w3id.org/lithkg/prop/pollinates> <https://w3id.org/lithkg/ns#trigger> \"pollinates\"" in exported
    write(work / "mine.ttl", MINE.replace('skos:altLabel "Brambleworks" .', 'skos:altLabel "Bramble Co-op" .'))
    assert run(store, "--ontology", "mine.ttl", "ingest", "docs")[0] == 0
    assert run(store, "query", "-e", ask % (COOP, "Bramble Co-op"), "-f", "csv")[1].strip().endswith("true")
    assert run(store, "query", "-e", ask % (COOP, "Brambleworks"), "-f", "csv")[1].strip().endswith("false")


def test_without_a_user_file_the_ontology_is_the_packages_alone():
    folder = data_dir("ontology")
    package = hashlib.sha256(b"".join((folder / f).read_bytes() for f in ONTOLOGY_FILES)).hexdigest()
    assert load().digest == package and load().user_files == ()


def test_bulk_ingest_workers_read_the_users_file(work):
    for i in range(50):  # enough documents for worker processes
        write(work / "many" / f"d{i:02}.md", f"# Note {i}\n\nBrambleworks Cooperative keeps {100 + i} beehives.\n")
    settings = load_settings(store=str(work / "store"), ontology=["mine.ttl"])
    with KnowledgeGraph(settings=settings) as kg:
        report = kg.ingest([work / "many"], bulk=True, workers=2)
        assert report.claims == 50
        rows = kg.session.store.select("SELECT (COUNT(?c) AS ?n) WHERE { ?c a lkg:Claim ; lkg:subject <%s> }" % COOP)
    assert int(rows[0]["n"].value) == 50


def test_served_named_queries_resolve_the_users_aliases(work):
    store = work / "store"
    assert run(store, "--ontology", "mine.ttl", "ingest", "docs")[0] == 0
    port = free_port()
    with open(work / "serve.log", "w+b") as log:
        proc = subprocess.Popen([sys.executable, "-m", "lithkg.cli", "--store", str(store), "--ontology",
                                 str(work / "mine.ttl"), "serve", "--port", str(port), "--workers", "1"],
                                stdout=log, stderr=log, cwd=str(ROOT))
        try:
            url = f"http://127.0.0.1:{port}"
            wait_until_serving(httpx.get, url + "/sparql", proc, log=log)
            r = httpx.get(url + "/queries/claims", params={"subject": "Brambleworks", "property": "pollinates"},
                          headers={"Accept": "text/csv"}, timeout=30)
            assert r.status_code == 200 and len(r.text.splitlines()) == 2 and COOP in r.text
        finally:
            stop(proc)


BAD_TURTLE = '@prefix lkg: <https://w3id.org/lithkg/ns#> .\nlkg:a lkg:b lkg:c .\nlkg:a lkg:b "open\n'
IMPORTS = ('@prefix owl: <http://www.w3.org/2002/07/owl#> .\n'
           '<https://example.org/mine> owl:imports <https://example.org/theirs.ttl> .\n')
OUTSIDE = ('@prefix lkg: <https://w3id.org/lithkg/ns#> .\n'
           '<https://example.org/kg/hives> a lkg:Property ; lkg:valueKind lkg:Count .\n')


@pytest.mark.parametrize("name,text,code,message", [
    ("bad.ttl", BAD_TURTLE, 4, "bad.ttl:3:13: not valid Turtle: Unexpected end of file"),
    ("gone.ttl", None, 2, "gone.ttl: no such ontology file (check the ontology setting, LITHKG_ONTOLOGY or "
                          "--ontology)"),
    ("big.ttl", "#" * (MAX_USER_FILE + 1), 4, "big.ttl: the ontology file is over 4 MiB (4,194,304 bytes) (keep "
                                               "your own entities and frames in files under that size)"),
    ("imports.ttl", IMPORTS, 4, "imports.ttl: owl:imports is not followed: lithkg reads only the files it is given "
                                "(remove it, and give the imported file as another ontology file)"),
    ("outside.ttl", OUTSIDE, 4, "outside.ttl: the property https://example.org/kg/hives is not in lithkg's property "
                                "namespace https://w3id.org/lithkg/prop/ (name your properties and qualifiers "
                                "lkgp:NAME, as ontology/frames.ttl does)"),
])
def test_an_unusable_file_is_refused_in_one_line_and_nothing_is_written(work, name, text, code, message):
    if text is not None:
        write(work / name, text)
    store = work / "store"
    assert run(store, "--ontology", "mine.ttl", "ingest", "docs")[0] == 0
    before = digest(store)
    for args in (["ingest", "docs"], ["ingest", "--bulk", "docs"], ["claims"]):
        assert run(store, "--ontology", "mine.ttl", "--ontology", name, *args)[::2] == \
            (code, f"lithkg: error: {message}\n"), args
    assert digest(store) == before
    assert run(work / "new", "--ontology", name, "ingest", "docs")[0] == code
    assert not (work / "new").exists()


def test_a_users_alias_never_shadows_a_property_of_that_name(tmp_path):
    mine = tmp_path / "mine.ttl"
    mine.write_text('@prefix lkg: <https://w3id.org/lithkg/ns#> .\n@prefix lkgp: <https://w3id.org/lithkg/prop/> .\n'
                    '@prefix skos: <http://www.w3.org/2004/02/skos/core#> .\n'
                    'lkgp:aaupkeep a lkg:Property ; skos:altLabel "cost" ; lkg:valueKind lkg:Money .\n',
                    encoding="utf-8")
    onto = load(user_files=(mine,))
    assert onto.property("cost").name == "cost" and onto.property("aaupkeep").name == "aaupkeep"
