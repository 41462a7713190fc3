"""lithkg on real SPARQL servers on loopback: Oxigraph's server and OpenLink Virtuoso.

`.ci/run` starts both (`.ci/servers.sh`) and exports their URLs as LITHKG_TEST_*; run alone, this module starts
them itself for the session. The same corpus must give the same claims, conflicts and export (isomorphic) on the
embedded store and on each server.
"""
from __future__ import annotations

import os
import subprocess
import tempfile
from pathlib import Path

import pyoxigraph as ox
import pytest

from conftest import GRAPH, ROOT
from lithkg.config import Settings
from lithkg.errors import EndpointError, QueryError
from lithkg.kg import KnowledgeGraph, build_record_time

SERVERS = ("oxigraph", "virtuoso")


def _env(name: str) -> dict[str, str | None]:
    up = name.upper()
    store = os.environ.get(f"LITHKG_TEST_{up}_STORE")
    if store and name == "virtuoso":
        store += "?graph-uri="
    return {"endpoint": os.environ.get(f"LITHKG_TEST_{up}_QUERY"),
            "update_endpoint": os.environ.get(f"LITHKG_TEST_{up}_UPDATE"), "graph_store": store}


@pytest.fixture(scope="session")
def servers():
    """The servers' URLs: from .ci/run's environment, else started here for the session."""
    if all(os.environ.get(f"LITHKG_TEST_{s.upper()}_QUERY") for s in SERVERS):
        yield {s: _env(s) for s in SERVERS}
        return
    folder = Path(tempfile.mkdtemp(prefix="lithkg-servers-"))
    script = ROOT / ".ci" / "servers.sh"
    env = dict(os.environ, LITHKG_SERVERS_OXIGRAPH_ARGS="--union-default-graph")  # lithkg's queries need the union
    r = subprocess.run(["bash", str(script), "start", str(folder)], capture_output=True, text=True, timeout=600,
                       env=env)
    if r.returncode != 0:
        subprocess.run(["bash", str(script), "stop", str(folder)], capture_output=True, timeout=120)
        pytest.fail(f"could not start the SPARQL servers: {r.stderr[-2000:]}")
    saved = dict(os.environ)
    for line in (folder / "env").read_text().splitlines():
        if line.startswith("export "):
            key, _, value = line[len("export "):].partition("=")
            os.environ[key] = value.strip().strip("'\"")
    try:
        yield {s: _env(s) for s in SERVERS}
    finally:
        os.environ.clear()
        os.environ.update(saved)
        subprocess.run(["bash", str(script), "stop", str(folder)], capture_output=True, timeout=120)


def _remote(urls: dict, **kw) -> KnowledgeGraph:
    return KnowledgeGraph(settings=Settings(**urls, **kw))


@pytest.fixture(scope="module")
def local_bundled(tmp_path_factory):
    path = tmp_path_factory.mktemp("local") / "store"
    with KnowledgeGraph(path, settings=Settings()) as kg:
        kg.ingest([GRAPH / "sources", GRAPH / "claims"], relative_to=ROOT, record_time=build_record_time)
        yield {"claims": kg.claims(), "conflicts": kg.conflicts(), "export": kg.export("nquads"),
               "stats": kg.stats()}


def _quads(nquads: bytes) -> set:
    return set(ox.parse(nquads, format=ox.RdfFormat.N_QUADS))


def _comparable(rows: list[dict]) -> list[dict]:
    return sorted(rows, key=lambda r: sorted((k, str(v)) for k, v in r.items()))


@pytest.mark.parametrize("name", SERVERS)
def test_the_bundled_graph_is_the_same_on_the_server(servers, local_bundled, name):
    urls = servers[name]
    with _remote(urls) as kg:
        kg.store.clear()
        report = kg.ingest([GRAPH / "sources", GRAPH / "claims"], relative_to=ROOT, record_time=build_record_time)
        assert report.count("added") == 6
        assert _comparable(kg.claims()) == _comparable(local_bundled["claims"])
        assert _comparable(kg.conflicts()) == _comparable(local_bundled["conflicts"])
        remote, local = _quads(kg.export("nquads")), _quads(local_bundled["export"])
        assert remote == local  # the same quads (lithkg writes no blank nodes: equal sets are isomorphic)
        assert kg.stats() == local_bundled["stats"]
        again = kg.ingest([GRAPH / "sources", GRAPH / "claims"], relative_to=ROOT, record_time=build_record_time)
        assert again.count("unchanged") == 6


@pytest.mark.parametrize("name", SERVERS)
def test_errors_from_the_server_are_one_line_and_change_nothing(servers, name, tmp_path):
    urls = servers[name]
    with _remote(urls) as kg:
        kg.store.clear()
        doc = tmp_path / "a.md"
        doc.write_text("---\nurl: https://x.example/a\npublished: 2024-01-01\n---\nLithuania ranks 3rd in the "
                       "National Cyber Security Index.\n", encoding="utf-8")
        kg.settings = kg.settings.replace(extractors=("frames",))
        kg.ingest([doc])
        before = kg.export("nquads")
        with pytest.raises(QueryError) as exc:
            kg.query("SELECT ?x WHERE { ?x ?y }")
        assert exc.value.line == 1 and exc.value.column == 26  # found locally: never sent
    broken = dict(urls, update_endpoint=urls["update_endpoint"].rsplit("/", 1)[0] + "/no-such-route")
    with _remote(broken, extractors=("frames",)) as kg:
        doc.write_text(doc.read_text(encoding="utf-8").replace("3rd", "2nd"), encoding="utf-8")
        with pytest.raises(EndpointError) as exc:
            kg.ingest([doc])
        assert "the endpoint answered 404" in exc.value.message or "answered 4" in exc.value.message
        assert kg.export("nquads") == before


def test_an_unreachable_endpoint_is_a_clear_error():
    with KnowledgeGraph(settings=Settings(endpoint="http://127.0.0.1:9/query")) as kg:
        with pytest.raises(EndpointError) as exc:
            kg.claims()
    assert exc.value.format().startswith("http://127.0.0.1:9/query: cannot reach the SPARQL endpoint:")
    assert exc.value.format().endswith("(check the URL and that the server is running)")


@pytest.mark.parametrize("name", SERVERS)
def test_a_long_document_and_a_large_insert(servers, name, tmp_path):
    """An 80 KB document (Virtuoso reads a graph store body's format from its first 64 KB) and a request of more
    than 5,000 triples (Virtuoso refuses that many in one INSERT DATA block)."""
    filler = "Officials met to discuss cooperation and the shared history of the region. " * 1100
    doc = tmp_path / "long.md"
    doc.write_text(f"---\nurl: https://long.example/a\npublished: 2024-01-01\n---\n{filler}\n\nLithuania ranks 3rd "
                   "in the National Cyber Security Index.\n", encoding="utf-8")
    with KnowledgeGraph(tmp_path / "local", settings=Settings(extractors=("frames",))) as local:
        local.ingest([doc], record_time="2024-01-02T00:00:00Z")
        expected = _quads(local.export("nquads"))
    with _remote(servers[name], extractors=("frames",)) as kg:
        kg.store.clear()
        kg.ingest([doc], record_time="2024-01-02T00:00:00Z")
        assert _quads(kg.export("nquads")) == expected
        big = [ox.Quad(ox.NamedNode(f"https://x.example/s{i}"), ox.NamedNode("https://x.example/p"), ox.Literal(str(i)),
                       ox.NamedNode("https://w3id.org/lithkg/graph/test")) for i in range(6000)]
        kg.store.apply(insert=big)
        assert kg.store.select("SELECT (COUNT(*) AS ?n) WHERE { GRAPH <https://w3id.org/lithkg/graph/test> "
                               "{ ?s ?p ?o } }")[0]["n"].value == "6000"
        kg.store.apply(drop_graphs=["https://w3id.org/lithkg/graph/test"])
