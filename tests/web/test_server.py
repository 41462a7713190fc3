"""The HTTP endpoint as a real process on a loopback port, spoken to with httpx and SPARQLWrapper."""
import json
import os
import socket
import subprocess
import sys

import httpx
import pytest
from SPARQLWrapper import JSON, SPARQLWrapper

from conftest import ROOT
from helpers import SERVED, free_port, serving, server  # noqa: F401  (server: the fixture)


SELECT = "SELECT ?v WHERE { lke:lithuania lp:rank ?c . ?c lps:rank ?v } ORDER BY ?v"


@pytest.mark.parametrize("accept,media,check", [
    ("application/sparql-results+json", "application/sparql-results+json",
     lambda b: [x["v"]["value"] for x in json.loads(b)["results"]["bindings"]] == ["4", "4", "5", "6", "11", "57"]),
    ("application/sparql-results+xml", "application/sparql-results+xml", lambda b: b"<sparql" in b),
    ("text/csv", "text/csv", lambda b: b.splitlines()[0] == b"v"),
    ("text/tab-separated-values", "text/tab-separated-values", lambda b: b.splitlines()[0] == b"?v"),
    ("text/plain;q=0.1, text/csv;q=0.9, application/sparql-results+json;q=0.5", "text/csv", lambda b: True),
])
def test_select_in_every_results_format(server, accept, media, check):
    r = httpx.get(server + "/sparql", params={"query": SELECT}, headers={"Accept": accept})
    assert r.status_code == 200 and r.headers["content-type"].startswith(media)
    assert check(r.content)


@pytest.mark.parametrize("accept,media", [("text/turtle", "text/turtle"), ("application/ld+json", "application/ld+json"),
                                          ("application/n-triples", "application/n-triples"),
                                          ("application/n-quads", "application/n-quads"),
                                          ("application/trig", "application/trig")])
def test_construct_in_every_rdf_format(server, accept, media):
    q = "CONSTRUCT { ?e ldt:rank ?v } WHERE { ?e ldt:rank ?v }"
    r = httpx.post(server + "/sparql", content=q, headers={"Content-Type": "application/sparql-query",
                                                            "Accept": accept})
    assert r.status_code == 200 and r.headers["content-type"].startswith(media)
    assert b"lithuania" in r.content


def test_form_post_ask_and_sparqlwrapper(server):
    r = httpx.post(server + "/sparql", data={"query": "ASK { ?c a lkg:Claim }"},
                   headers={"Accept": "application/sparql-results+json"})
    assert r.json() == {"head": {}, "boolean": True}
    sw = SPARQLWrapper(server + "/sparql")
    sw.setQuery("PREFIX lkg: <https://w3id.org/lithkg/ns#> SELECT (COUNT(?c) AS ?n) WHERE { ?c a lkg:Claim }")
    sw.setReturnFormat(JSON)
    n = int(sw.query().convert()["results"]["bindings"][0]["n"]["value"])
    assert n >= 85


@pytest.mark.parametrize("method,kwargs,status,text", [
    ("post", {"content": "INSERT DATA { <urn:a> <urn:b> <urn:c> }",
              "headers": {"Content-Type": "application/sparql-update"}}, 403, "updates are refused"),
    ("post", {"data": {"update": "DROP ALL"}}, 403, "updates are refused"),
    ("get", {"params": {"query": "DROP ALL"}}, 403, "DROP is refused"),
    ("get", {"params": {"query": "SELECT * WHERE { ?s ?p }"}}, 400, "query:1:25: SPARQL syntax error"),
    ("get", {"params": {"query": SELECT}, "headers": {"Accept": "image/png"}}, 406, "no acceptable format"),
    ("post", {"content": b"\x00", "headers": {"Content-Type": "application/octet-stream"}}, 415,
     "unsupported request body"),
    ("get", {"params": {"query": "SELECT * FROM <http://127.0.0.1:9/x> WHERE { ?s ?p ?o }"}}, 400,
     "FROM <http://127.0.0.1:9/x> is refused"),
])
def test_errors(server, method, kwargs, status, text):
    r = getattr(httpx, method)(server + "/sparql", **kwargs)
    assert r.status_code == status and text in r.text


def test_service_never_reaches_the_network(server):
    listener = socket.socket()
    listener.bind(("127.0.0.1", 0))
    listener.listen(1)
    listener.settimeout(1.5)
    port = listener.getsockname()[1]
    r = httpx.get(server + "/sparql", params={"query": f"SELECT * WHERE {{ SERVICE <http://127.0.0.1:{port}/> "
                                                       "{ ?s ?p ?o } }"})
    assert r.status_code == 400 and "SERVICE is refused" in r.text
    with pytest.raises(socket.timeout):
        listener.accept()
    listener.close()


def test_row_cap_time_limit_and_service_description(server):
    r = httpx.get(server + "/sparql", params={"query": "SELECT * WHERE { ?s ?p ?o }"},
                  headers={"Accept": "application/sparql-results+json"})
    assert len(r.json()["results"]["bindings"]) == 50
    slow = "SELECT (COUNT(*) AS ?n) WHERE { ?a ?b ?c . ?d ?e ?f . ?g ?h ?i }"
    r = httpx.get(server + "/sparql", params={"query": slow}, timeout=30)
    assert r.status_code == 503 and "time limit (5 s)" in r.text
    d = httpx.get(server + "/sparql")
    assert d.status_code == 200 and "sd:Service" in d.text


def test_named_queries(server):
    assert "conflicts" in httpx.get(server + "/queries").text
    r = httpx.get(server + "/queries/history", params={"subject": "Lithuania", "property": "rank"},
                  headers={"Accept": "text/csv"})
    assert r.status_code == 200 and r.text.splitlines()[0].startswith("subject,property,group")
    assert httpx.get(server + "/queries/history").status_code == 400
    assert httpx.get(server + "/queries/nope").status_code == 404


def test_disputes_page_search_timeline_and_source_view(server):
    page = httpx.get(server + "/").text
    assert "Lithuania / rank / index: National Cyber Security Index" in page
    assert "★ 5" in page and "why" not in page.lower() or "the latest valid time (2022)" in page
    assert "<svg" in page and "values over valid time" in page
    only = httpx.get(server + "/", params={"q": "baltic way"}).text
    assert only.count("<section") == 2 and "Baltic Way / participants" in only  # and its length: different figures
    assert "different figures" in only and "conflicts with about 2,000,000" in only
    import re
    doc = re.search(r"href='/source\?doc=([^']+)'", page).group(1)
    src = httpx.get(server + "/source?doc=" + doc)
    assert src.status_code == 200 and src.text.count("<tr>") > 2
    assert httpx.get(server + "/source", params={"doc": "https://nowhere.example/"}).status_code == 404


def test_analyses_page(server):
    page = httpx.get(server + "/analyses")
    assert page.status_code == 200 and "<table id='agreement'>" in page.text
    assert "title='8 group(s) agree, 1 conflict'>✓8 ✗1</td>" in page.text
    assert "Stand alone (corroborate no other source): none" in page.text


def test_query_editor_page(server):
    page = httpx.get(server + "/query").text
    assert "<textarea id='q' name='query'" in page and "<a href='/query?name=conflicts'>conflicts</a>" in page
    r = httpx.get(server + "/sparql", params={"query": SELECT, "format": "csv"})
    assert r.status_code == 200 and r.headers["content-type"].startswith("text/csv")


def test_iris_dereference_as_html_or_rdf(server):
    import rdflib
    html_page = httpx.get(server + "/id/entity/lithuania", headers={"Accept": "text/html"})
    assert html_page.status_code == 200 and "Lithuania" in html_page.text
    ttl = httpx.get(server + "/id/entity/lithuania", headers={"Accept": "text/turtle"})
    g = rdflib.Graph().parse(data=ttl.text, format="turtle")
    assert (rdflib.URIRef("https://w3id.org/lithkg/id/entity/lithuania"), rdflib.RDFS.label,
            rdflib.Literal("Lithuania")) in g
    claim = json.loads(httpx.get(server + "/sparql", params={"query": "SELECT ?c WHERE { ?c a lkg:Claim } LIMIT 1"},
                                 headers={"Accept": "application/sparql-results+json"}).text)
    iri = claim["results"]["bindings"][0]["c"]["value"]
    local = iri.split("/id/", 1)[1]
    jsonld = httpx.get(server + "/id/" + local, headers={"Accept": "application/ld+json"})
    assert jsonld.status_code == 200 and json.loads(jsonld.text)["@graph"]
    assert httpx.get(server + "/id/claim/0000").status_code == 404


def test_ingest_while_serving(server, tmp_path):
    """The server opens the store read-only per request: the CLI can write to it meanwhile, and the next request
    sees the new version."""
    doc = tmp_path / "late.md"
    doc.write_text("---\nurl: https://late.example/a\npublished: 2024-01-01\n---\nVilnius ranks 3rd in the "
                   "National Cyber Security Index.\n", encoding="utf-8")
    env = {k: v for k, v in os.environ.items() if not k.startswith("LITHKG_")}
    r = subprocess.run([sys.executable, "-m", "lithkg.cli", "--store", str(SERVED["store"]), "ingest", str(doc)],
                       capture_output=True, text=True, env=env, cwd=str(ROOT), timeout=120)
    assert r.returncode == 0, r.stderr
    q = "ASK { ?d lkg:fileName ?f . FILTER(CONTAINS(?f, 'late.md')) }"
    assert httpx.get(server + "/sparql", params={"query": q},
                     headers={"Accept": "application/sparql-results+json"}).json()["boolean"] is True


def test_a_store_minted_under_the_servers_own_base_dereferences_directly(tmp_path):
    """With ``--base http://HOST:PORT/id/`` the IRIs in the store are this server's URLs."""
    from lithkg.cli import main
    from click.testing import CliRunner
    port = free_port()
    base = f"http://127.0.0.1:{port}/id/"
    store = tmp_path / "store"
    seeds = ROOT.parent / "shared" / "seeds"
    r = CliRunner().invoke(main, ["--store", str(store), "--base", base, "ingest", str(seeds)],
                           env={"LITHKG_EXTRACTORS": "frames"}, catch_exceptions=False)
    assert r.exit_code == 0, r.output
    with serving(store, port) as url:
        q = "SELECT ?c WHERE { lke:lithuania lp:rank ?c } LIMIT 1"
        claim = httpx.get(url + "/sparql", params={"query": q}, headers={"Accept": "application/sparql-results+json"})
        iri = claim.json()["results"]["bindings"][0]["c"]["value"]
        assert iri.startswith(base + "claim/")
        ttl = httpx.get(iri, headers={"Accept": "text/turtle"})
        assert ttl.status_code == 200 and ttl.headers["content-type"].startswith("text/turtle")
        import rdflib
        g = rdflib.Graph().parse(data=ttl.text, format="turtle")
        assert (rdflib.URIRef(base + "entity/lithuania"), rdflib.URIRef("https://w3id.org/lithkg/prop/p/rank"),
                rdflib.URIRef(iri)) in g
        page = httpx.get(iri, headers={"Accept": "text/html"}).text
        assert f"<a href='/id/entity/lithuania' title='{base}entity/lithuania'>Lithuania</a>" in page
