"""The SPARQL 1.1 Protocol as clients speak it, against a real ``lithkg serve`` process on loopback: the W3C protocol
tests (tests/data/w3c-protocol, see its README), the ``format`` parameter, content negotiation, CORS, and what is
refused and why."""
from __future__ import annotations

import shutil
import urllib.parse
import xml.etree.ElementTree as ET

import httpx
import pyoxigraph as ox
import pytest
import rdflib
from click.testing import CliRunner

from conftest import ROOT
from helpers import free_port, serving
from lithkg.cli import main
from lithkg.store.oxigraph import OxigraphStore

W3C = ROOT / "tests" / "data" / "w3c-protocol"
MF = rdflib.Namespace("http://www.w3.org/2001/sw/DataAccess/tests/test-manifest#")
HT = rdflib.Namespace("http://www.w3.org/2011/http#")
CNT = rdflib.Namespace("http://www.w3.org/2011/content#")
UT = rdflib.Namespace("http://www.w3.org/2009/sparql/tests/test-update#")
KASEI = "http://kasei.us/2009/09/sparql/data/"
BASE = "https://w3id.org/lithkg/id/"
MOVED = BASE + "w3c-protocol/"  # where the tests' graphs live in the served store


@pytest.fixture(scope="module")
def store(built_store, tmp_path_factory):
    """A copy of the bundled store with the W3C tests' three graphs as <base>w3c-protocol/dataN.rdf."""
    path = tmp_path_factory.mktemp("w3c") / "store"
    shutil.copytree(built_store, path)
    target = OxigraphStore(path)
    for n in (1, 2, 3):
        graph = ox.NamedNode(f"{MOVED}data{n}.rdf")
        text = (W3C / f"data{n}.nt").read_text(encoding="utf-8").replace(KASEI, MOVED)
        target.bulk_extend([ox.Quad(t.subject, t.predicate, t.object, graph)
                            for t in ox.parse(text, format=ox.RdfFormat.N_TRIPLES)])
    target.flush()
    target.close()
    return path


@pytest.fixture(scope="module")
def served(store):
    with serving(store, free_port(), "--timeout", "10", "--row-cap", "50") as url:
        yield url


# ------------------------------------------------------------------------------------------ the W3C manifest
def _items(graph, head):
    return list(rdflib.collection.Collection(graph, head))


def manifest_cases():
    """(name, [request...]) for every case of the manifest, in its order; a request is a dict of method, path,
    body bytes or None, headers, expected status classes, boolean and format."""
    g = rdflib.Graph().parse(W3C / "manifest.ttl", format="turtle")
    manifest = next(g.subjects(rdflib.RDF.type, MF.Manifest))
    cases = []
    for entry in _items(g, g.value(manifest, MF.entries)):
        action = g.value(entry, MF.action)
        requests = []
        for req in _items(g, g.value(action, HT.requests)):
            body = g.value(req, HT.body)
            headers = {}
            if g.value(req, HT.headers) is not None:
                for h in _items(g, g.value(req, HT.headers)):
                    headers[str(g.value(h, HT.fieldName))] = str(g.value(h, HT.fieldValue))
            resp = g.value(req, HT.resp)
            statuses = {str(s).rsplit("StatusCode", 1)[1][0] for s in g.objects(resp, MF.expectedStatus)}
            expected_bool = g.value(resp, MF.expectedBoolean)
            requests.append({
                "method": str(g.value(req, HT.methodName)),
                "path": str(g.value(req, HT.absolutePath)),
                "body": None if body is None else (str(g.value(body, CNT.chars)),
                                                   str(g.value(body, CNT.characterEncoding) or "UTF-8")),
                "headers": headers,
                "statuses": statuses,
                "boolean": None if expected_bool is None else expected_bool.toPython(),
                "format": None if g.value(resp, MF.expectedFormat) is None else str(g.value(resp, MF.expectedFormat)),
            })
        cases.append((str(entry).rsplit("#", 1)[1], requests))
    return cases


CASES = manifest_cases()
QUERY_CASES = [c for c in CASES if "update" not in c[0]]
UPDATE_CASES = [c for c in CASES if c[0].startswith("update_")]
BAD_UPDATE_CASES = [c for c in CASES if c[0].startswith("bad_") and "update" in c[0]]
NAMES_REMOTE_GRAPHS = [c for c in QUERY_CASES if c[0].startswith("query_") and any("-graph-uri=http%3A%2F%2Fkasei.us" in r["path"] for r in c[1])]


def moved(text: str) -> str:
    """The graph IRIs of the tests moved under the store's base, plain or percent-encoded."""
    return text.replace(KASEI, MOVED).replace(urllib.parse.quote(KASEI, safe=""), urllib.parse.quote(MOVED, safe=""))


def send(url: str, request: dict, relocate: bool) -> httpx.Response:
    path = request["path"].replace("/sparql/", "/sparql", 1)
    content = None
    if request["body"] is not None:
        chars, encoding = request["body"]
        content = (moved(chars) if relocate else chars).encode(encoding)
    return httpx.request(request["method"], url + (moved(path) if relocate else path), content=content,
                         headers=request["headers"], timeout=30)


def read_boolean(r: httpx.Response) -> bool:
    media = r.headers["content-type"].split(";")[0]
    if media == "application/sparql-results+json":
        return r.json()["boolean"]
    assert media == "application/sparql-results+xml", media
    found = ET.fromstring(r.content).find("{http://www.w3.org/2005/sparql-results#}boolean")
    return found.text == "true"


def check_format(r: httpx.Response, expected: str) -> None:
    media = r.headers["content-type"].split(";")[0]
    if expected == "boolean":
        assert isinstance(read_boolean(r), bool)
    elif expected == "tabular":
        assert media in ("application/sparql-results+json", "application/sparql-results+xml", "text/csv",
                         "text/tab-separated-values"), media
        if media == "application/sparql-results+json":
            assert r.json()["head"]["vars"] == ["value"]
    else:
        assert expected == "RDF"
        rdflib.Graph().parse(data=r.content, format=rdflib.util.guess_format("x.ttl") if media == "text/turtle"
                             else {"application/rdf+xml": "xml", "application/n-triples": "nt"}[media])


@pytest.mark.parametrize("name,requests", QUERY_CASES, ids=[c[0] for c in QUERY_CASES])
def test_w3c_query_cases_pass_with_their_graphs_under_the_base(served, name, requests):
    for request in requests:
        r = send(served, request, relocate=True)
        assert str(r.status_code)[0] in request["statuses"], (name, r.status_code, r.text)
        if request["boolean"] is not None:
            assert read_boolean(r) is request["boolean"], name
        if request["format"] is not None:
            check_format(r, request["format"])


@pytest.mark.parametrize("name,requests", NAMES_REMOTE_GRAPHS, ids=[c[0] for c in NAMES_REMOTE_GRAPHS])
def test_w3c_cases_naming_graphs_outside_the_base_are_refused_by_design(served, name, requests):
    request = requests[0]
    key = "default-graph-uri" if "default-graph-uri=" in request["path"] else "named-graph-uri"
    r = send(served, request, relocate=False)
    assert r.status_code == 400
    assert r.text.startswith(f"{key} <{KASEI}data") and \
        "is refused: lithkg never fetches remote graphs" in r.text and "FROM" not in r.text


def test_the_refused_cases_are_the_ones_the_readme_lists():
    readme = (W3C / "README.md").read_text(encoding="utf-8")
    assert {c[0] for c in NAMES_REMOTE_GRAPHS} == {
        "query_post_form", "query_get", "query_content_type_select", "query_content_type_ask",
        "query_content_type_describe", "query_content_type_construct", "query_dataset_default_graphs_get",
        "query_dataset_default_graphs_post", "query_dataset_named_graphs_post", "query_dataset_named_graphs_get",
        "query_dataset_full", "query_multiple_dataset"}
    for name, _ in QUERY_CASES + UPDATE_CASES + BAD_UPDATE_CASES:
        assert f"`{name}`" in readme or name.startswith(("query_content_type_", "bad_update_")), name
    assert len(CASES) == len(QUERY_CASES) + len(UPDATE_CASES) + len(BAD_UPDATE_CASES) == 34


@pytest.mark.parametrize("name,requests", UPDATE_CASES, ids=[c[0] for c in UPDATE_CASES])
def test_w3c_update_cases_are_refused_by_a_read_only_endpoint(served, name, requests):
    r = send(served, requests[0], relocate=True)
    assert (r.status_code, r.text) == (403, "updates are refused: this endpoint only reads the store\n")


@pytest.mark.parametrize("name,requests", BAD_UPDATE_CASES, ids=[c[0] for c in BAD_UPDATE_CASES])
def test_w3c_bad_update_cases_get_a_client_error(served, name, requests):
    assert requests[0]["statuses"] == {"4"}
    r = send(served, requests[0], relocate=True)
    assert 400 <= r.status_code < 500, (name, r.status_code, r.text)


# ------------------------------------------------------------------------------------------ formats
SELECT = "SELECT ?v WHERE { lke:lithuania lp:rank ?c . ?c lps:rank ?v } ORDER BY ?v LIMIT 2"
CONSTRUCT = "CONSTRUCT { <s> <p> 1 } WHERE {}"


@pytest.mark.parametrize("values,media", [
    (["json"], "application/sparql-results+json"),
    (["xml"], "application/sparql-results+xml"),
    (["csv"], "text/csv"),
    (["tsv", "text/tab-separated-values"], "text/tab-separated-values"),  # SPARQLWrapper sends both
    (["application/sparql-results+json"], "application/sparql-results+json"),
    (["application/sparql-results json"], "application/sparql-results+json"),  # a '+' a form encoding turned to ' '
    (["", "srx"], "application/sparql-results+xml"),
])
def test_the_format_parameter_for_select(served, values, media):
    r = httpx.get(served + "/sparql", params=[("query", SELECT), *(("format", v) for v in values)],
                  headers={"Accept": "text/turtle"})  # the parameter wins over Accept
    assert r.status_code == 200 and r.headers["content-type"].split(";")[0] == media


@pytest.mark.parametrize("value,media,parse", [
    ("turtle", "text/turtle", "turtle"), ("text/turtle", "text/turtle", "turtle"), ("n3", "text/n3", "n3"),
    ("rdf+xml", "application/rdf+xml", "xml"), ("application/rdf+xml", "application/rdf+xml", "xml"),
    ("xml", "application/rdf+xml", "xml"), ("json-ld", "application/ld+json", "json-ld"),
    ("json", "application/ld+json", "json-ld"), ("nt", "application/n-triples", "nt"),
    ("nquads", "application/n-quads", "nquads"), ("trig", "application/trig", "trig"),
])
def test_the_format_parameter_for_construct(served, value, media, parse):
    r = httpx.post(served + "/sparql", data={"query": CONSTRUCT, "format": value})
    assert r.status_code == 200 and r.headers["content-type"].split(";")[0] == media
    g = rdflib.Dataset().parse(data=r.content, format=parse) if parse in ("nquads", "trig") else \
        rdflib.Graph().parse(data=r.content, format=parse)
    assert (rdflib.URIRef(BASE + "s"), rdflib.URIRef(BASE + "p"), rdflib.Literal(1)) in g


def test_an_unknown_format_is_refused_naming_the_supported_ones(served):
    r = httpx.get(served + "/sparql", params={"query": SELECT, "format": "yaml"})
    assert (r.status_code, r.text) == (400, "unknown format 'yaml': use format=json, xml, csv or tsv (SELECT, ASK) or "
                                            "turtle, json-ld, ntriples, rdf+xml, n3, nquads or trig (CONSTRUCT, "
                                            "DESCRIBE), or a media type\n")
    r = httpx.get(served + "/sparql", params={"query": SELECT, "format": "turtle"})
    assert (r.status_code, r.text) == (406, "format 'turtle' does not fit this query: SELECT and ASK results are "
                                            "available as application/sparql-results+json, "
                                            "application/sparql-results+xml, text/csv, text/tab-separated-values\n")


@pytest.mark.parametrize("query,accept,media", [
    (SELECT, "application/json", "application/sparql-results+json"),
    (SELECT, "application/xml", "application/sparql-results+xml"),
    (SELECT, "text/xml", "application/sparql-results+xml"),
    ("ASK {}", "application/json", "application/sparql-results+json"),
    ("ASK {}", "application/xml", "application/sparql-results+xml"),
    (CONSTRUCT, "text/plain", "application/n-triples"),
    (CONSTRUCT, "application/json", "application/ld+json"),
    (CONSTRUCT, "application/xml", "application/rdf+xml"),
    (CONSTRUCT, "text/n3", "text/n3"),
    (SELECT, "*/*", "application/sparql-results+json"),
    (CONSTRUCT, "*/*", "text/turtle"),
    (SELECT, "*/*, application/sparql-results+json;q=0", "application/sparql-results+xml"),  # q=0 excludes it
    (SELECT, "*/*;q=0.9, text/csv", "text/csv"),
    (SELECT, "text/*", "text/csv"),  # a wildcard picks canonical types only (not text/xml)
    (CONSTRUCT, "text/*, text/turtle;q=0", "text/n3"),
    (SELECT, "application/sparql-results+xml;q=0.5, text/tab-separated-values;q=0.6", "text/tab-separated-values"),
])
def test_content_negotiation(served, query, accept, media):
    r = httpx.post(served + "/sparql", data={"query": query}, headers={"Accept": accept})
    assert r.status_code == 200 and r.headers["content-type"].split(";")[0] == media, r.text


@pytest.mark.parametrize("accept,status,text", [
    ("text/html", 406, "no acceptable format: SELECT and ASK results are available as "
                       "application/sparql-results+json, application/sparql-results+xml, text/csv, "
                       "text/tab-separated-values\n"),
    ("*/*;q=0", 406, "no acceptable format"),
    ("text/csv;q=0, application/*;q=0", 406, "no acceptable format"),
    ("nonsense", 400, "the Accept header 'nonsense' is not a list of media types"),
])
def test_nothing_acceptable(served, accept, status, text):
    r = httpx.get(served + "/sparql", params={"query": SELECT}, headers={"Accept": accept})
    assert r.status_code == status and r.text.startswith(text)


def test_ask_in_csv_and_tsv_is_a_header_line_and_the_boolean(served):
    csv = httpx.get(served + "/sparql", params={"query": "ASK { ?c a lkg:Claim }"}, headers={"Accept": "text/csv"})
    assert (csv.headers["content-type"].split(";")[0], csv.content) == ("text/csv", b"_askResult\r\ntrue\r\n")
    tsv = httpx.get(served + "/sparql", params={"query": "ASK { ?c a lkg:Nothing }", "format": "tsv"})
    assert (tsv.headers["content-type"].split(";")[0], tsv.content) == ("text/tab-separated-values",
                                                                         b"?_askResult\nfalse\n")


# ------------------------------------------------------------------------------------------ what is refused
@pytest.mark.parametrize("method,kwargs,status,text", [
    ("get", {"params": [("query", "ASK {}"), ("query", "SELECT * {}")]}, 400,
     "the request gives 2 'query' parameters: send one query per request\n"),
    ("post", {"data": {"query": ["ASK {}", "ASK {}"]}}, 400,
     "the request gives 2 'query' parameters: send one query per request\n"),
    ("post", {"params": {"query": "ASK {}"}, "content": "ASK {}",
              "headers": {"Content-Type": "application/sparql-query"}}, 400,
     "the query is both in the URL and in the body: send it once\n"),
    ("post", {"content": "ASK {}".encode("utf-16"),
              "headers": {"Content-Type": "application/sparql-query; charset=UTF-16"}}, 415,
     "the request body is in UTF-16: send it as UTF-8\n"),
    ("get", {"params": {"update": "DROP ALL", "query": "ASK {}"}}, 403,
     "updates are refused: this endpoint only reads the store\n"),
    ("get", {"params": {"query": "ASK {}", "default-graph-uri": "http://example.org/g"}}, 400,
     "default-graph-uri <http://example.org/g> is refused: lithkg never fetches remote graphs "
     "(default-graph-uri may only name graphs of this store)\n"),
    ("post", {"data": {"query": "ASK {}", "named-graph-uri": "urn:x:g"}}, 400,
     "named-graph-uri <urn:x:g> is refused: it is not a graph of this store (named-graph-uri may "
     "only name graphs of this store)\n"),
])
def test_refusals(served, method, kwargs, status, text):
    r = getattr(httpx, method)(served + "/sparql", **kwargs)
    assert (r.status_code, r.text) == (status, text)


def test_relative_iris_resolve_against_the_stores_base(served):
    r = httpx.get(served + "/sparql", params={"query": CONSTRUCT}, headers={"Accept": "application/n-triples"})
    assert r.text == f'<{BASE}s> <{BASE}p> "1"^^<http://www.w3.org/2001/XMLSchema#integer> .\n'
    r = httpx.get(served + "/sparql", params={"query": "ASK { <entity/lithuania> ?p ?o }", "format": "json"})
    assert r.json()["boolean"] is True
    own = httpx.get(served + "/sparql", params={"query": "BASE <http://x.example/> SELECT (<a> AS ?a) {}",
                                                "format": "csv"})
    assert own.text == "a\r\nhttp://x.example/a\r\n"


def test_a_dataset_in_the_form_body_is_the_dataset(served):
    q = f"ASK {{ <{MOVED}data1.rdf> a ?t }}"
    inside = httpx.post(served + "/sparql", data={"query": q, "default-graph-uri": MOVED + "data1.rdf"},
                        headers={"Accept": "application/json"})
    outside = httpx.post(served + "/sparql", data={"query": q, "default-graph-uri": MOVED + "data2.rdf"},
                         headers={"Accept": "application/json"})
    assert (inside.json()["boolean"], outside.json()["boolean"]) == (True, False)


@pytest.mark.parametrize("path", ["/id/a%20b", "/id/a%7Cb", "/id/claim/a%20b"])
def test_an_id_that_is_no_iri_is_not_found(served, path):
    r = httpx.get(served + path, headers={"Accept": "text/turtle"})
    assert r.status_code == 404 and r.text.startswith("nothing is known about <https://w3id.org/lithkg/id/")


def test_named_queries_take_the_format_parameter(served):
    r = httpx.get(served + "/queries/history", params={"subject": "Lithuania", "property": "rank", "format": "tsv",
                                                       "output": "tsv"})
    assert r.status_code == 200 and r.headers["content-type"].startswith("text/tab-separated-values")
    assert r.text.splitlines()[0].startswith("?subject\t?property\t?group")


# ------------------------------------------------------------------------------------------ CORS
def test_without_cors_no_header_and_a_preflight_gets_405(served):
    pre = httpx.options(served + "/sparql", headers={"Origin": "http://127.0.0.1:1",
                                                      "Access-Control-Request-Method": "POST"})
    assert pre.status_code == 405 and "access-control-allow-origin" not in pre.headers
    r = httpx.get(served + "/sparql", params={"query": "ASK {}"}, headers={"Origin": "http://127.0.0.1:1"})
    assert r.status_code == 200 and "access-control-allow-origin" not in r.headers


def test_cors_for_the_origins_given_and_only_on_the_endpoint(store):
    page = "http://127.0.0.1:9"
    with serving(store, free_port(), "--cors", page, "--cors", "http://localhost:9") as url:
        pre = httpx.options(url + "/sparql", headers={"Origin": page, "Access-Control-Request-Method": "POST",
                                                      "Access-Control-Request-Headers": "content-type"})
        assert pre.status_code == 200 and pre.headers["access-control-allow-origin"] == page
        assert "POST" in pre.headers["access-control-allow-methods"]
        assert pre.headers["access-control-allow-headers"] == "content-type"
        r = httpx.post(url + "/sparql", data={"query": "ASK {}"}, headers={"Origin": page})
        assert r.status_code == 200 and r.headers["access-control-allow-origin"] == page
        other = httpx.options(url + "/sparql", headers={"Origin": "http://evil.example",
                                                        "Access-Control-Request-Method": "POST"})
        assert other.status_code == 400 and "access-control-allow-origin" not in other.headers
        described = httpx.get(url + "/id/entity/lithuania", headers={"Origin": page, "Accept": "text/turtle"})
        assert described.headers["access-control-allow-origin"] == page
        pages = httpx.get(url + "/", headers={"Origin": page})
        assert pages.status_code == 200 and "access-control-allow-origin" not in pages.headers
        assert httpx.options(url + "/corrections", headers={"Origin": page, "Access-Control-Request-Method":
                                                            "POST"}).status_code == 405
    with serving(store, free_port(), "--cors", "*") as url:
        r = httpx.get(url + "/sparql", params={"query": "ASK {}"}, headers={"Origin": "http://any.example"})
        assert r.headers["access-control-allow-origin"] == "*"


def test_cors_refuses_what_is_not_an_origin(store):
    r = CliRunner().invoke(main, ["--store", str(store), "serve", "--cors", "http://127.0.0.1:8080/page"])
    assert r.exit_code == 2
    assert r.stderr == ("lithkg: error: --cors 'http://127.0.0.1:8080/page' is not an origin: give "
                        "scheme://host[:port] (e.g. http://127.0.0.1:8080) or *\n")
