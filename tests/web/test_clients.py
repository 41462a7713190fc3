"""Real SPARQL clients against a real ``lithkg serve`` process on loopback: SPARQLWrapper (GET, POST form, POST
direct, in its eight return formats), rdflib's SPARQLStore, and YASGUI (the npm package @zazuko/yasgui, installed by
.ci/run from tests/browser/package-lock.json) on a page of another origin in Debian's Chromium."""
from __future__ import annotations

import contextlib
import functools
import http.server
import json
import shutil
import threading
from pathlib import Path

import pytest
import rdflib
from rdflib.plugins.stores.sparqlstore import SPARQLStore
from SPARQLWrapper import (CSV, GET, JSON, JSONLD, N3, POST, POSTDIRECTLY, RDFXML, TSV, TURTLE, URLENCODED, XML,
                           SPARQLWrapper)

from conftest import ROOT
from helpers import free_port, server, serving  # noqa: F401  (server: the fixture)

SELECT = ("PREFIX lke: <https://w3id.org/lithkg/id/entity/> PREFIX lp: <https://w3id.org/lithkg/prop/p/> "
          "PREFIX lps: <https://w3id.org/lithkg/prop/ps/> "
          "SELECT ?v WHERE { lke:lithuania lp:rank ?c . ?c lps:rank ?v } ORDER BY ?v LIMIT 3")
ASK = "PREFIX lkg: <https://w3id.org/lithkg/ns#> ASK { ?c a lkg:Claim }"
CONSTRUCT = ("PREFIX lke: <https://w3id.org/lithkg/id/entity/> PREFIX rdfs: <http://www.w3.org/2000/01/rdf-schema#> "
             "CONSTRUCT { lke:lithuania rdfs:label ?l } WHERE { lke:lithuania rdfs:label ?l }")
LITHUANIA = (rdflib.URIRef("https://w3id.org/lithkg/id/entity/lithuania"), rdflib.RDFS.label,
             rdflib.Literal("Lithuania"))
METHODS = {"get": (GET, URLENCODED), "post-form": (POST, URLENCODED), "post-direct": (POST, POSTDIRECTLY)}


def wrapper(url: str, method: str, query: str, fmt: str) -> SPARQLWrapper:
    sw = SPARQLWrapper(url + "/sparql")
    sw.setMethod(METHODS[method][0])
    sw.setRequestMethod(METHODS[method][1])
    sw.setQuery(query)
    sw.setReturnFormat(fmt)
    return sw


def rows_of(fmt: str, converted) -> list[str]:
    """The values of ?v as SPARQLWrapper's convert() hands them over in each results format."""
    if fmt == JSON:
        return [b["v"]["value"] for b in converted["results"]["bindings"]]
    if fmt == XML:
        return [n.firstChild.data for n in converted.getElementsByTagName("literal")]
    text = converted.decode("utf-8")
    return text.split("\r\n" if fmt == CSV else "\n")[1:-1]


@pytest.mark.parametrize("method", list(METHODS))
@pytest.mark.parametrize("fmt", [JSON, XML, CSV, TSV])
def test_sparqlwrapper_select_and_ask(server, method, fmt):  # noqa: F811
    result = wrapper(server, method, SELECT, fmt).query()
    assert rows_of(fmt, result.convert()) == ["4", "4", "5"]  # (TSV writes integers as Turtle does)
    converted = wrapper(server, method, ASK, fmt).query().convert()
    if fmt == JSON:
        assert converted["boolean"] is True
    elif fmt == XML:
        assert converted.getElementsByTagName("boolean")[0].firstChild.data == "true"
    else:
        assert converted == (b"_askResult\r\ntrue\r\n" if fmt == CSV else b"?_askResult\ntrue\n")


@pytest.mark.parametrize("method", list(METHODS))
@pytest.mark.parametrize("fmt,media", [(JSON, "application/ld+json"), (XML, "application/rdf+xml"),
                                       (RDFXML, "application/rdf+xml"), (TURTLE, "text/turtle"), (N3, "text/n3"),
                                       (JSONLD, "application/ld+json")])
def test_sparqlwrapper_construct(server, method, fmt, media):  # noqa: F811
    result = wrapper(server, method, CONSTRUCT, fmt).query()
    assert result.info()["content-type"].split(";")[0] == media
    converted = result.convert()
    if isinstance(converted, bytes):  # Turtle and N3 come as text
        converted = rdflib.Graph().parse(data=converted, format="turtle" if fmt == TURTLE else "n3")
    assert set(converted) == {LITHUANIA}


@pytest.mark.parametrize("method", ["GET", "POST", "POST_FORM"])
def test_rdflib_sparqlstore_select_and_construct(server, method):  # noqa: F811
    graph = rdflib.Graph(SPARQLStore(server + "/sparql", method=method))  # results asked as XML, graphs as RDF/XML
    assert [int(row.v) for row in graph.query(SELECT)] == [4, 4, 5]
    assert set(graph.query(CONSTRUCT)) == {LITHUANIA}
    assert graph.query(ASK).askAnswer is True
    as_json = rdflib.Graph(SPARQLStore(server + "/sparql", method=method, returnFormat="json"))
    assert [int(row.v) for row in as_json.query(SELECT)] == [4, 4, 5]
    assert as_json.query(ASK).askAnswer is True


# ------------------------------------------------------------------------------------------ YASGUI in Chromium
BROWSER = ROOT / "tests" / "browser"
CHROMIUM = shutil.which("chromium") or "/usr/bin/chromium"
ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
        "--disable-background-networking", "--disable-component-update", "--disable-sync"]
PAGE = """<!doctype html>
<html><head><meta charset="utf-8"><title>YASGUI on another origin</title>
<link rel="stylesheet" href="/node_modules/@zazuko/yasgui/build/yasgui.min.css">
<script src="/node_modules/@zazuko/yasgui/build/yasgui.min.js"></script></head>
<body><div id="yasgui"></div>
<script>
  window.yasgui = new Yasgui(document.getElementById("yasgui"), {
    requestConfig: {endpoint: ENDPOINT, method: "POST"}, copyEndpointOnNewTab: false, persistenceId: null});
  window.outcome = null;  // what YASGUI's editor reports: the response it got, or the error fetch raised
  yasgui.getTab().getYasqe().on("queryResponse", (yasqe, response) => {
    window.outcome = response instanceof Error ? "error: " + response.message : "response " + response.status;
  });
</script></body></html>
"""


@contextlib.contextmanager
def static_site(folder: Path):
    """A tiny HTTP server for ``folder`` on another loopback port (another origin than the endpoint's)."""
    handler = functools.partial(http.server.SimpleHTTPRequestHandler, directory=str(folder))
    handler.log_message = lambda *a, **k: None
    site = http.server.ThreadingHTTPServer(("127.0.0.1", free_port()), handler)
    thread = threading.Thread(target=site.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{site.server_address[1]}"
    finally:
        site.shutdown()
        site.server_close()


@pytest.fixture(scope="module")
def chromium():
    playwright_api = pytest.importorskip("playwright.sync_api")
    if not Path(CHROMIUM).exists():
        pytest.fail("Chromium is not installed: .ci/run installs Debian's chromium package")
    if not (BROWSER / "node_modules" / "@zazuko" / "yasgui" / "build" / "yasgui.min.js").exists():
        pytest.fail("YASGUI is not installed: run 'npm ci' in tests/browser (.ci/run does)")
    with playwright_api.sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, args=ARGS)
        yield browser
        browser.close()


def run_in_yasgui(browser, site: str, endpoint: str, query: str):
    """Open the YASGUI page of ``site``, run ``query`` against ``endpoint``; the page, and what YASGUI reported."""
    page = browser.new_page()
    page.goto(f"{site}/index.html?endpoint={endpoint}")
    page.wait_for_function("window.yasgui && window.yasgui.getTab()")
    page.evaluate("q => { window.outcome = null; const tab = yasgui.getTab(); tab.getYasqe().setValue(q); "
                  "tab.query(); }", query)
    page.wait_for_function("window.outcome !== null", timeout=30000)
    return page, page.evaluate("window.outcome")


@pytest.fixture(scope="module")
def yasgui_site(tmp_path_factory):
    folder = tmp_path_factory.mktemp("yasgui-site")
    (folder / "node_modules").symlink_to(BROWSER / "node_modules")
    with static_site(folder) as site:
        yield folder, site


def test_yasgui_on_another_origin_queries_the_endpoint_with_cors(built_store, tmp_path, chromium, yasgui_site):
    folder, site = yasgui_site
    store = tmp_path / "store"
    shutil.copytree(built_store, store)
    port = free_port()
    endpoint = f"http://127.0.0.1:{port}/sparql"
    (folder / "index.html").write_text(PAGE.replace("ENDPOINT", json.dumps(endpoint)), encoding="utf-8")
    with serving(store, port, "--cors", site):
        page, outcome = run_in_yasgui(chromium, site, endpoint, SELECT)
        assert outcome == "response 200"
        page.wait_for_selector(".yasr table td", timeout=30000)
        cells = page.locator(".yasr table tbody tr").all_inner_texts()
        assert len(cells) == 3 and "4" in cells[0] and "5" in cells[2]
        page, outcome = run_in_yasgui(chromium, site, endpoint, CONSTRUCT)
        assert outcome == "response 200"
    with serving(store, port):  # the same page, the endpoint without --cors: the browser refuses the answer
        page, outcome = run_in_yasgui(chromium, site, endpoint, SELECT)
        assert outcome == "error: Failed to fetch"
        assert page.locator(".yasr table tbody tr").count() == 0
