"""Nothing reaches the network unless the user asked (``--endpoint``): every test points some input at a listener
on 127.0.0.1 that records each connection, and asserts it got none and that lithkg said no in one line.

* SPARQL ``SERVICE``, ``LOAD`` and a remote ``FROM`` / ``FROM NAMED`` are refused by ``lithkg query`` (exit 5)
  and by ``lithkg serve`` (HTTP 400), including spellings that hide the keyword from a plain text search.
  Oxigraph itself *would* send SERVICE and LOAD requests (the first test shows the listener catching one), so
  the refusal is what keeps them off the network.
* A ``FROM`` naming a graph under the store's own base is a graph of the store, even when that base is an
  http://127.0.0.1:PORT/ address: answered from the store, never fetched.
* JSON-LD: lithkg reads no JSON-LD input (a ``.jsonld`` file, a JSON-LD claims file, JSON-LD inside HTML or front
  matter are refused or ignored, never resolved); its own JSON-LD export carries its context inline and parses
  back (with rdflib's URL loading refused) to the same graph as the N-Triples export.
* ``lithkg build``, export, validate and serve of the bundled graph, whose gazetteer links entities
  ``owl:sameAs`` Wikidata, run with every proxy variable pointing at the listener and a Python audit hook
  logging any outgoing connection: none.
"""
from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
import time
from pathlib import Path

import httpx
import pyoxigraph as ox
import pytest

from conftest import CLAIMS_2021, CLAIMS_2022, GRAPH, PAGE_2021, PAGE_2022, write
from helpers import stop, wait_until_serving
from lithkg.cli import main
from lithkg.config import Settings
from lithkg.kg import KnowledgeGraph
from netguard import Listener, parse_jsonld_offline, rdflib_offline, remote_context_refs

CURATED = Settings(extractors=("curated",))

# Runs lithkg commands in a child process with an audit hook that logs every outgoing connection attempt Python
# makes (sockets other than Unix ones, urllib, http.client, DNS look-ups of other hosts) to $NETGUARD_LOG; prints the
# exit codes.
DRIVER = r"""
import json, os, socket, sys
LOCAL = (None, "", "127.0.0.1", "localhost", "::1", "0.0.0.0")
log = open(os.environ["NETGUARD_LOG"], "a", buffering=1)
def hook(event, args):
    if event == "socket.connect" and args[0].family != socket.AF_UNIX:  # a Unix socket (a worker's pipe) is local
        log.write(f"{event} {args[1]!r}\n")
    elif event == "socket.getaddrinfo" and args[0] not in LOCAL:
        log.write(f"{event} {args[0]!r}\n")
    elif event in ("urllib.Request", "http.client.connect"):
        log.write(f"{event} {args[:3]!r}\n")
sys.addaudithook(hook)
from lithkg.cli import main
codes = []
for argv in json.loads(sys.argv[1]):
    try:
        main(argv, prog_name="lithkg")
    except SystemExit as exc:
        codes.append(exc.code if isinstance(exc.code, int) else (0 if exc.code is None else 1))
print("EXIT CODES " + json.dumps(codes))
"""


def proxied_env(listener: Listener, log: Path) -> dict:
    """The environment of a child: no LITHKG_ settings, every proxy variable pointing at the listener."""
    env = {k: v for k, v in os.environ.items() if not k.startswith("LITHKG_") and k.lower() not in
           ("no_proxy", "http_proxy", "https_proxy", "all_proxy")}
    for key in ("HTTP_PROXY", "HTTPS_PROXY", "ALL_PROXY", "http_proxy", "https_proxy", "all_proxy"):
        env[key] = listener.url("")
    env["NETGUARD_LOG"] = str(log)
    return env


def run_guarded(commands: list[list[str]], env: dict, cwd: Path, timeout: float = 600) -> list[int]:
    r = subprocess.run([sys.executable, "-c", DRIVER, json.dumps(commands)], capture_output=True, text=True,
                       env=env, cwd=str(cwd), timeout=timeout)
    lines = [ln for ln in r.stdout.splitlines() if ln.startswith("EXIT CODES ")]
    assert lines, r.stderr[-3000:]
    return json.loads(lines[-1][len("EXIT CODES "):])


@pytest.fixture
def listener():
    lis = Listener()
    yield lis
    lis.close()


@pytest.fixture(scope="module")
def small_store(tmp_path_factory) -> Path:
    """Two versions of one page with curated claims, under the default base (read by the query tests)."""
    folder = tmp_path_factory.mktemp("offline-docs")
    write(folder / "p2021.md", PAGE_2021)
    write(folder / "p2022.md", PAGE_2022)
    write(folder / "p2021.yaml", CLAIMS_2021)
    write(folder / "p2022.yaml", CLAIMS_2022)
    path = folder.parent / "offline-store"
    with KnowledgeGraph(path, settings=CURATED) as kg:
        kg.ingest([folder], relative_to=folder)
    return path


def lithkg(runner, store: Path, *args, input=None):
    return runner.invoke(main, ["--store", str(store), *args], input=input, catch_exceptions=False)


def assert_refused(r, code: int, start: str):
    assert r.exit_code == code, (r.exit_code, r.stdout, r.stderr)
    assert r.stderr.startswith("lithkg: error: " + start), r.stderr
    assert r.stderr.count("\n") == 1 and r.stdout == ""


# --------------------------------------------------------------------------- the listener catches what would go out
def test_the_listener_sees_the_request_oxigraph_would_send(listener):
    """The control experiment: Oxigraph run directly (no lithkg check) does send a SERVICE request, and rdflib does
    fetch a remote JSON-LD context; the listener records both. So 'no connection' below means lithkg stopped it."""
    import rdflib

    store = ox.Store()
    store.add(ox.Quad(ox.NamedNode("http://x.example/s"), ox.NamedNode("http://x.example/p"), ox.Literal("o")))
    with pytest.raises(OSError):
        list(store.query(f"SELECT * WHERE {{ SERVICE <{listener.url('/sparql')}> {{ ?s ?p ?o }} }}"))
    doc = json.dumps({"@context": listener.url("/ctx.jsonld"), "@id": "http://x.example/a", "name": "b"})
    with pytest.raises(Exception):
        rdflib.Graph().parse(data=doc, format="json-ld")
    time.sleep(0.3)
    asked = b"".join(data for _, data in listener.connections)
    assert len(listener.connections) >= 2 and b"/ctx.jsonld" in asked


# --------------------------------------------------------------------------- lithkg query
# Every spelling of SERVICE found to reach the network: test_oxigraph_itself_sends_each_service_spelling shows that
# Oxigraph run directly sends each one to the listener ({url} is its /sparql address, {base} its root). Those under
# "was not refused" got past the check before it read the query in every way the engine can.
SERVICE_QUERIES = [
    "SELECT * WHERE {{ SERVICE <{url}> {{ ?s ?p ?o }} }}",
    "select * where {{ service silent <{url}> {{ ?s ?p ?o }} }}",
    "SELECT * WHERE {{ SERVICE SILENT <{url}> {{ ?s ?p ?o }} }}",
    "PREFIX r: <{url}>\nSELECT * WHERE {{ SERVICE r:x {{ ?s ?p ?o }} }}",
    "BASE <{url}>\nSELECT * WHERE {{ SERVICE <sparql> {{ ?s ?p ?o }} }}",
    "BASE <{base}>\nPREFIX r: <>\nSELECT * WHERE {{ SERVICE r:sparql {{ ?s ?p ?o }} }}",
    "SELECT * WHERE {{ ?a ?b ?c . SERVICE<{url}>{{ ?s ?p ?o }} }}",
    "SELECT * WHERE {{SERVICE<{url}>{{?s ?p ?o}}}}",
    "SELECT * WHERE {{ SERVICE <{base}spar\\u0071l> {{ ?s ?p ?o }} }}",
    # the keyword read out of a prefixed name or a longer word (was not refused)
    "PREFIX : <{base}>\nSELECT * WHERE {{ SERVICE:sparql {{ ?s ?p ?o }} }}",
    "PREFIX : <{base}>\nSELECT * WHERE {{ {{ SELECT * WHERE {{ service:sparql {{ ?s ?p ?o }} }} }} }}",
    "PREFIX : <{base}>\nSELECT * WHERE {{ Service:sparql {{ ?s ?p ?o }} }}",
    "PREFIX : <{base}>\nASK {{ SERVICE:sparql {{ ?s ?p ?o }} }}",
    "PREFIX x: <{base}>\nSELECT * WHERE {{ SERVICEx:sparql {{ ?s ?p ?o }} }}",
    "SELECT * WHERE {{ SERVICESILENT<{url}> {{ ?s ?p ?o }} }}",
    "PREFIX x: <{base}>\nSELECT * WHERE {{ ?s ?p true SERVICE x:sparql {{ ?s ?p ?o }} }}",
    "PREFIX x: <{base}>\nSELECT * WHERE {{ ?s ?p trueSERVICE x:sparql {{ ?s ?p ?o }} }}",
    "PREFIX x: <{base}>\nSELECT * WHERE {{ ?s ?p trueSERVICEx:sparql {{ ?s ?p ?o }} }}",
    "PREFIX : <{base}>\nSELECT * WHERE {{ ?s ?p falseservice:sparql {{ ?s ?p ?o }} }}",
    "SELECT * WHERE {{ ?s ?p falseSERVICE<{url}> {{ ?s ?p ?o }} }}",
    # glued to a number, a string, a language tag, a blank node
    "SELECT * WHERE {{ ?s ?p 1SERVICE <{url}> {{ ?s ?p ?o }} }}",
    "SELECT * WHERE {{ ?s ?p 'x'SERVICE <{url}> {{ ?s ?p ?o }} }}",
    "SELECT * WHERE {{ ?s ?p 'x'@en SERVICE <{url}> {{ ?s ?p ?o }} }}",
    "SELECT * WHERE {{ ?s ?p []SERVICE <{url}> {{ ?s ?p ?o }} }}",
    # nested wherever a group can be
    "SELECT * WHERE {{ ?s ?p ?o FILTER EXISTS {{ SERVICE <{url}> {{ ?s ?p ?o }} }} }}",
    "SELECT * WHERE {{ ?s ?p ?o FILTER NOT EXISTS {{ SERVICE <{url}> {{ ?a ?b ?c }} }} }}",
    "SELECT * WHERE {{ ?s ?p ?o FILTER(EXISTS {{ SERVICE <{url}> {{ ?a ?b ?c }} }}) }}",
    "SELECT * WHERE {{ ?s ?p ?o BIND(EXISTS {{ SERVICE <{url}> {{ ?a ?b ?c }} }} AS ?e) }}",
    "SELECT * WHERE {{ ?s ?p ?o OPTIONAL {{ SERVICE <{url}> {{ ?s ?p ?o }} }} }}",
    "SELECT * WHERE {{ ?s ?p ?o MINUS {{ SERVICE <{url}> {{ ?a ?b ?c }} }} }}",
    "SELECT * WHERE {{ {{ ?s ?p ?o }} UNION {{ SERVICE <{url}> {{ ?a ?b ?c }} }} }}",
    "SELECT * WHERE {{ GRAPH ?g {{ SERVICE <{url}> {{ ?a ?b ?c }} }} }}",
    "SELECT * WHERE {{ ?s ?p ?o LATERAL {{ SERVICE <{url}> {{ ?a ?b ?c }} }} }}",
    "SELECT (EXISTS {{ SERVICE <{url}> {{ ?a ?b ?c }} }} AS ?e) WHERE {{ }}",
    "SELECT * WHERE {{ ?s ?p ?o }} ORDER BY (EXISTS {{ SERVICE <{url}> {{ ?a ?b ?c }} }})",
    "CONSTRUCT {{ ?a ?b ?c }} WHERE {{ SERVICE <{url}> {{ ?a ?b ?c }} }}",
    "DESCRIBE ?a WHERE {{ SERVICE <{url}> {{ ?a ?b ?c }} }}",
    # spellings that hid SERVICE from the old text search (a quote inside an IRI, a long-string opener in a
    # comment, an escaped quote or # in a prefixed name)
    "SELECT * WHERE {{ BIND(<http://a.example/'> AS ?x) SERVICE <{url}> {{ ?s ?p ?o }} FILTER(?o != '>') }}",
    'SELECT * WHERE {{\n# """\nSERVICE <{url}> {{ ?s ?p ?o }}\n# """\n}}',
    "PREFIX ex: <http://x.example/>\nSELECT * WHERE {{ BIND(ex:a\\' AS ?x) SERVICE <{url}> {{ ?s ?p ?o }} "
    "FILTER(?o != '') }}",
    "PREFIX ex: <http://x.example/>\nSELECT * WHERE {{ BIND(ex:a\\# AS ?x) SERVICE <{url}> {{ ?s ?p ?o }} }}",
    # '<' read as "less than" where the check read an IRI, an IRI with a \u escape the check did not read as one:
    # a string or a comment opened in one reading and not in the other (was not refused); a comment ended by CR
    "SELECT * WHERE {{ ?s ?p ?a FILTER(!(?a<'>')) SERVICE <{url}> {{ ?s ?p ?o }} BIND(')' AS ?z) }}",
    "SELECT * WHERE {{ ?s ?p ?a FILTER(?a<?b#>'''\n) SERVICE <{url}> {{ ?s ?p ?o }}\n# '''\n}}",
    "SELECT * WHERE {{ BIND(<http://a.example/\\u0041'> AS ?x) SERVICE <{url}> {{ ?s ?p ?o }} BIND('x' AS ?y) }}",
    "SELECT * WHERE {{ ?s ?p ?o #\rSERVICE <{url}> {{ ?s ?p ?o }} }}",
]
# Spellings Oxigraph does not send, refused all the same: SERVICE with a variable (Oxigraph fails it as unbound),
# and a \u escape or a look-alike letter outside strings (a syntax error to pyoxigraph 0.5; the first is the keyword
# to a parser that decodes escapes before parsing, as SPARQL 1.1 says)
SERVICE_REFUSED_ANYWAY = [
    "SELECT * WHERE {{ VALUES ?x {{ <{url}> }} SERVICE ?x {{ ?s ?p ?o }} }}",
    "SELECT * WHERE {{ \\u0053ERVICE <{url}> {{ ?s ?p ?o }} }}",
    "SELECT * WHERE {{ \\U00000053ERVICE <{url}> {{ ?s ?p ?o }} }}",
    "SELECT * WHERE {{ BIND('\\u0027 AS ?x) SERVICE <{url}> {{ ?s ?p ?o }} BIND('' AS ?y) }}",
    "SELECT * WHERE {{ \uff33ERVICE <{url}> {{ ?s ?p ?o }} }}",
    "SELECT * WHERE {{ \u017fervice <{url}> {{ ?s ?p ?o }} }}",
]
SERVICE_REFUSAL = ("lithkg: error: SERVICE is refused: lithkg does not send queries to other servers "
                   "(query the other endpoint yourself)\n")
LOAD_REFUSAL = ("lithkg: error: LOAD is refused: lithkg never fetches remote data "
                "(download the data and ingest it with 'lithkg ingest')\n")


def control_store() -> ox.Store:
    """An in-memory store whose ?s ?p ?o matches each object the spellings glue SERVICE to (true, false, 1, 'x',
    'x'@en), so that a SERVICE after them is evaluated."""
    store = ox.Store()
    s, p = ox.NamedNode("http://x.example/s"), ox.NamedNode("http://x.example/p")
    for o in (ox.Literal("o"), ox.Literal(True), ox.Literal(False), ox.Literal(1), ox.Literal("x"),
              ox.Literal("x", language="en")):
        store.add(ox.Quad(s, p, o))
    return store


@pytest.mark.parametrize("template", SERVICE_QUERIES)
def test_oxigraph_itself_sends_each_service_spelling(listener, template):
    """The control experiment for each row: Oxigraph, with no lithkg check, connects to the listener."""
    try:
        list(control_store().query(template.format(url=listener.url("/sparql"), base=listener.url("/"))))
    except OSError:
        pass
    time.sleep(0.2)
    assert listener.connections, "Oxigraph did not send this one"


@pytest.mark.parametrize("template", SERVICE_QUERIES + SERVICE_REFUSED_ANYWAY)
def test_query_refuses_service(runner, small_store, listener, template):
    r = lithkg(runner, small_store, "query", "-e", template.format(url=listener.url("/sparql"), base=listener.url("/")))
    assert (r.exit_code, r.stderr, r.stdout) == (5, SERVICE_REFUSAL, "")
    listener.assert_untouched()


def test_query_refuses_service_from_a_file_and_stdin(runner, small_store, listener, tmp_path):
    text = f"SELECT * WHERE {{ SERVICE <{listener.url('/sparql')}> {{ ?s ?p ?o }} }}\n"
    rq = write(tmp_path / "q.rq", text)
    assert_refused(lithkg(runner, small_store, "query", str(rq)), 5, "SERVICE is refused")
    assert_refused(lithkg(runner, small_store, "query", "-", input=text), 5, "SERVICE is refused")
    listener.assert_untouched()


LOAD_UPDATES = [
    "LOAD <{url}>",
    "load silent <{url}> into graph <urn:g>",
    "LOAD <{url}> INTO GRAPH <urn:g>",
    "PREFIX a: <http://a.example/> LOAD <{url}>",
    "INSERT DATA {{ <urn:a> <urn:b> <urn:c> }} ;\nLOAD <{url}>",
    "LOADSILENT<{url}>",
    "PREFIX : <{base}>\nLOAD:x.ttl",
]


@pytest.mark.parametrize("template", LOAD_UPDATES)
def test_oxigraph_itself_loads_each_load_spelling(listener, template):
    """The control experiment: run as an update by Oxigraph directly, each one connects to the listener."""
    try:
        ox.Store().update(template.format(url=listener.url("/x.ttl"), base=listener.url("/")))
    except OSError:
        pass
    time.sleep(0.2)
    assert listener.connections, "Oxigraph did not fetch this one"


@pytest.mark.parametrize("template", LOAD_UPDATES + ["\\u004cOAD <{url}>", "WITH <urn:g> LOAD <{url}>"])
def test_query_refuses_load(runner, small_store, listener, template):
    r = lithkg(runner, small_store, "query", "-e", template.format(url=listener.url("/x.ttl"), base=listener.url("/")))
    assert (r.exit_code, r.stderr, r.stdout) == (5, LOAD_REFUSAL, "")
    listener.assert_untouched()


@pytest.mark.parametrize("query,word", [
    ("INSERT DATA { <urn:a> <urn:b> <urn:c> }", "INSERT"),
    ("INSERTDATA{<urn:a> <urn:b> <urn:c>}", "INSERT"),
    ("PREFIX x: <http://x.example/>\ndelete where { ?s ?p ?o }", "DELETE"),
    ("WITH <urn:g> DELETE { ?s ?p ?o } WHERE { ?s ?p ?o }", "WITH"),
    ("# a comment\nDROP ALL", "DROP"),
    ("BASE <http://x.example/> CLEAR SILENT DEFAULT", "CLEAR"),
    ("CREATE GRAPH <urn:g>", "CREATE"),
    ("ADD DEFAULT TO <urn:g>", "ADD"),
    ("MOVE <urn:a> TO <urn:b>", "MOVE"),
    ("copy default to <urn:g>", "COPY"),
])
def test_query_refuses_an_update(runner, small_store, query, word):
    r = lithkg(runner, small_store, "query", "-e", query)
    assert (r.exit_code, r.stderr) == (5, f"lithkg: error: {word} is refused: queries here only read the store "
                                          "(change the store with 'lithkg ingest')\n")


@pytest.mark.parametrize("template", [
    "SELECT * FROM <{url}g> WHERE {{ ?s ?p ?o }}",
    "SELECT * FROM NAMED <{url}g> WHERE {{ GRAPH ?g {{ ?s ?p ?o }} }}",
    "SELECT * FROM <https://w3id.org/lithkg/graph/ontology> FROM NAMED <{url}g> WHERE {{ ?s ?p ?o }}",
    "PREFIX r: <{url}>\nSELECT * FROM r:g WHERE {{ ?s ?p ?o }}",
    "BASE <{url}>\nSELECT * FROM <g> WHERE {{ ?s ?p ?o }}",
    "ASK FROM <{url}g> {{ ?s ?p ?o }}",
    "CONSTRUCT {{ ?s ?p ?o }} FROM <{url}g> WHERE {{ ?s ?p ?o }}",
    "DESCRIBE <urn:x> FROM <{url}g>",
    "select * from named <{url}g> where {{ graph ?g {{ ?s ?p ?o }} }}",
    "SELECT*FROM<{url}g>WHERE{{?s ?p ?o}}",
    "SELECT * FROM <{url}\\u0067> WHERE {{ ?s ?p ?o }}",
    "BASE <{url}>\nPREFIX r: <>\nSELECT * FROM r:g WHERE {{ ?s ?p ?o }}",
    "BASE <http://x.example/a/>\nSELECT * FROM <//{host}/g> WHERE {{ ?s ?p ?o }}",
    # the keyword read out of a prefixed name or a longer word
    "PREFIX : <{url}>\nSELECT * FROM:g WHERE {{ ?s ?p ?o }}",
    "PREFIX x: <{url}>\nSELECT * FROMx:g WHERE {{ ?s ?p ?o }}",
    "PREFIXx:<{url}>\nSELECT * FROM x:g WHERE {{ ?s ?p ?o }}",
    "SELECT * FROMNAMED<{url}g> WHERE {{ ?s ?p ?o }}",
    "ASKFROM<{url}g>{{}}",
    "CONSTRUCTFROM<{url}g>WHERE{{?s ?p ?o}}",
])
def test_query_refuses_a_remote_from(runner, small_store, listener, template):
    query = template.format(url=listener.url("/"), host=f"127.0.0.1:{listener.port}")
    r = lithkg(runner, small_store, "query", "-e", query)
    assert (r.exit_code, r.stderr) == (5, f"lithkg: error: FROM <{listener.url('/')}g> is refused: lithkg never "
                                          "fetches remote graphs (FROM may only name graphs of this store)\n")
    listener.assert_untouched()


@pytest.mark.parametrize("graph,reason", [
    ("file:///etc/passwd", "lithkg never fetches remote graphs"),
    ("FILE:/etc/hosts", "lithkg never fetches remote graphs"),
    ("urn:x:g", "it is not a graph of this store"),
    ("g", "a graph is named by an absolute IRI"),
    ("https://w3id.org/lithkg/id/../../g", "lithkg never fetches remote graphs"),
    ("https://w3id.org/lithkg/id/%2E%2E/g", "lithkg never fetches remote graphs"),
])
def test_query_refuses_a_graph_that_is_not_of_the_store(runner, small_store, graph, reason):
    r = lithkg(runner, small_store, "query", "-e", f"SELECT * FROM <{graph}> WHERE {{ ?s ?p ?o }}")
    assert (r.exit_code, r.stderr) == (5, f"lithkg: error: FROM <{graph}> is refused: {reason} "
                                          "(FROM may only name graphs of this store)\n")


def test_keywords_in_strings_variables_and_prefixed_names_are_not_refused(runner, small_store):
    r = lithkg(runner, small_store, "query", "-f", "csv", "-e",
               'SELECT ?service ?load WHERE { BIND("SERVICE <http://127.0.0.1:9/> LOAD FROM" AS ?service) '
               'BIND(schema:Service AS ?load) }')
    assert r.exit_code == 0, r.stderr
    assert r.stdout.splitlines()[1] == "SERVICE <http://127.0.0.1:9/> LOAD FROM,http://schema.org/Service"


def test_from_under_the_stores_own_loopback_base_is_a_store_graph_never_fetched(runner, listener, tmp_path):
    """A store minted under http://127.0.0.1:PORT/id/ (the listener's address): FROM and FROM NAMED of its graphs are
    answered from the store; other graphs at the same host are refused; nothing is fetched."""
    base = listener.url("/id/")
    folder = tmp_path / "docs"
    write(folder / "p2021.md", PAGE_2021)
    write(folder / "p2021.yaml", CLAIMS_2021)
    store = tmp_path / "store"
    r = lithkg(runner, store, "--base", base, "ingest", str(folder))
    assert r.exit_code == 0, r.stderr
    with KnowledgeGraph(store, settings=CURATED) as kg:
        doc = next(g for g in kg.store.named_graphs() if g.startswith(base + "doc/"))
    counts = [lithkg(runner, store, "query", "-f", "csv", "-e", q).stdout.splitlines()[1:] for q in (
        f"SELECT (COUNT(*) AS ?n) FROM <{doc}> WHERE {{ ?c lkg:group ?g }}",
        f"SELECT (COUNT(*) AS ?n) WHERE {{ GRAPH <{doc}> {{ ?c lkg:group ?g }} }}")]
    assert counts[0] == counts[1] and int(counts[0][0]) >= 2
    r = lithkg(runner, store, "query", "-f", "csv", "-e",
               f"SELECT DISTINCT ?g FROM NAMED <{doc}> WHERE {{ GRAPH ?g {{ ?s ?p ?o }} }}")
    assert r.exit_code == 0 and r.stdout.splitlines()[1:] == [doc], r.stderr
    for other in (listener.url("/g"), listener.url("/idx/doc"), base + "../g"):
        r = lithkg(runner, store, "query", "-e", f"SELECT * FROM <{other}> WHERE {{ ?s ?p ?o }}")
        assert_refused(r, 5, f"FROM <{other}> is refused")
    listener.assert_untouched()


# --------------------------------------------------------------------------- lithkg serve
@pytest.fixture(scope="module")
def served(tmp_path_factory):
    """``lithkg serve`` as a real process on loopback, over a store minted under the listener's own address, with
    every proxy variable pointing at the listener and the audit hook logging outgoing connections."""
    from helpers import free_port

    lis = Listener()
    tmp = tmp_path_factory.mktemp("offline-served")
    folder = tmp / "docs"
    write(folder / "p2021.md", PAGE_2021)
    write(folder / "p2022.md", PAGE_2022)
    write(folder / "p2021.yaml", CLAIMS_2021)
    write(folder / "p2022.yaml", CLAIMS_2022)
    store = tmp / "store"
    with KnowledgeGraph(store, settings=Settings(extractors=("curated",), base=lis.url("/id/"))) as kg:
        kg.ingest([folder], relative_to=folder)
        doc = next(g for g in kg.store.named_graphs() if "/doc/" in g)
    log = tmp / "net.log"
    log.write_text("")
    port = free_port()
    proc = subprocess.Popen([sys.executable, "-c", DRIVER, json.dumps([["--store", str(store), "serve", "--port",
                                                                        str(port)]])],
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, env=proxied_env(lis, log), cwd=str(tmp))
    client = httpx.Client(trust_env=False, timeout=30)  # this test process itself uses no proxy
    url = f"http://127.0.0.1:{port}"
    try:
        wait_until_serving(client.get, url, proc)
        yield {"url": url, "client": client, "listener": lis, "doc": doc, "log": log, "base": lis.url("/id/")}
    finally:
        client.close()
        stop(proc, timeout=15)
        lis.close()


def _short_refusal(r: httpx.Response, status: int, text: str):
    assert r.status_code == status, (r.status_code, r.text)
    assert text in r.text and r.text.count("\n") == 1 and len(r.text) < 300, r.text


@pytest.mark.parametrize("how", ["get", "form", "body"])
@pytest.mark.parametrize("template,status,text", [
    ("SELECT * WHERE {{ SERVICE <{u}sparql> {{ ?s ?p ?o }} }}", 400, "SERVICE is refused"),
    ('SELECT * WHERE {{\n# """\nSERVICE <{u}sparql> {{ ?s ?p ?o }}\n# """\n}}', 400, "SERVICE is refused"),
    ("LOAD <{u}x.ttl>", 400, "LOAD is refused"),
    ("SELECT * FROM <{u}g> WHERE {{ ?s ?p ?o }}", 400, "FROM <{u}g> is refused"),
    ("SELECT * FROM NAMED <{u}g> WHERE {{ GRAPH ?g {{ ?s ?p ?o }} }}", 400, "FROM <{u}g> is refused"),
    ("PREFIX : <{u}>\nSELECT * WHERE {{ SERVICE:sparql {{ ?s ?p ?o }} }}", 400, "SERVICE is refused"),
    ("PREFIX : <{u}>\nSELECT * WHERE {{ {{ SELECT * WHERE {{ service:sparql {{ ?s ?p ?o }} }} }} }}", 400,
     "SERVICE is refused"),
    ("PREFIX x: <{u}>\nSELECT * WHERE {{ ?s ?p trueSERVICEx:sparql {{ ?s ?p ?o }} }}", 400, "SERVICE is refused"),
    ("SELECT * WHERE {{ ?s ?p ?a FILTER(!(?a<'>')) SERVICE <{u}sparql> {{ ?s ?p ?o }} BIND(')' AS ?z) }}", 400,
     "SERVICE is refused"),
    ("SELECT * WHERE {{ BIND(<http://a.example/\\u0041'> AS ?x) SERVICE <{u}sparql> {{ ?s ?p ?o }} BIND('x' AS ?y) }}",
     400, "SERVICE is refused"),
    ("SELECT * WHERE {{ ?s ?p ?o FILTER EXISTS {{ SERVICESILENT<{u}sparql> {{ ?s ?p ?o }} }} }}", 400,
     "SERVICE is refused"),
    ("PREFIX : <{u}>\nSELECT * FROM:g WHERE {{ ?s ?p ?o }}", 400, "FROM <{u}g> is refused"),
    ("INSERT DATA {{ <urn:a> <urn:b> <urn:c> }}", 403, "INSERT is refused"),
])
def test_serve_refuses_service_load_and_remote_from(served, how, template, status, text):
    u, lis, client = served["listener"].url("/"), served["listener"], served["client"]
    lis.connections.clear()
    query = template.format(u=u)
    if how == "get":
        r = client.get(served["url"] + "/sparql", params={"query": query})
    elif how == "form":
        r = client.post(served["url"] + "/sparql", data={"query": query})
    else:
        r = client.post(served["url"] + "/sparql", content=query.encode(),
                        headers={"Content-Type": "application/sparql-query"})
    _short_refusal(r, status, text.format(u=u))
    lis.assert_untouched()


def test_serve_refuses_remote_protocol_graphs_and_load_as_an_update(served):
    u, lis, client = served["listener"].url("/"), served["listener"], served["client"]
    lis.connections.clear()
    q = "SELECT * WHERE { ?s ?p ?o } LIMIT 1"
    for param in ("default-graph-uri", "named-graph-uri"):
        for graph in (u + "g", "file:///etc/passwd", served["base"] + "../g", "urn:x:g"):
            r = client.get(served["url"] + "/sparql", params={"query": q, param: graph})
            _short_refusal(r, 400, f"{param} <{graph}> is refused")  # named by the parameter that gave it
    r = client.post(served["url"] + "/sparql", data={"update": f"LOAD <{u}x.ttl>"})
    _short_refusal(r, 403, "updates are refused")
    r = client.post(served["url"] + "/sparql", content=f"LOAD <{u}x.ttl>".encode(),
                    headers={"Content-Type": "application/sparql-update"})
    _short_refusal(r, 403, "updates are refused")
    lis.assert_untouched()


def test_serve_answers_from_a_graph_under_its_own_base(served):
    lis, client, doc = served["listener"], served["client"], served["doc"]
    lis.connections.clear()
    json_accept = {"Accept": "application/sparql-results+json"}
    r = client.get(served["url"] + "/sparql", headers=json_accept,
                   params={"query": f"SELECT (COUNT(*) AS ?n) FROM <{doc}> WHERE {{ ?c lkg:group ?g }}"})
    assert r.status_code == 200, r.text
    n = int(r.json()["results"]["bindings"][0]["n"]["value"])
    r = client.get(served["url"] + "/sparql", headers=json_accept,
                   params={"query": "SELECT (COUNT(*) AS ?n) WHERE { ?c lkg:group ?g }", "default-graph-uri": doc})
    assert r.status_code == 200 and int(r.json()["results"]["bindings"][0]["n"]["value"]) == n >= 1, r.text
    r = client.get(served["url"] + "/sparql", headers=json_accept,
                   params={"query": "SELECT (COUNT(*) AS ?n) WHERE { ?c lkg:group ?g }"})
    assert int(r.json()["results"]["bindings"][0]["n"]["value"]) > n  # the union holds the other version too
    lis.assert_untouched()


def test_serve_pages_and_json_ld_of_an_entity_linked_to_wikidata(served):
    """lke:lithuania is owl:sameAs wd:Q37: its page and its JSON-LD name the Wikidata IRI; nothing dereferences it,
    and the JSON-LD carries its context inline."""
    lis, client = served["listener"], served["client"]
    lis.connections.clear()
    path = "/id/entity/lithuania"
    page = client.get(served["url"] + path, headers={"Accept": "text/html"})
    assert page.status_code == 200 and "lithuania" in page.text.lower()
    r = client.get(served["url"] + path, headers={"Accept": "application/ld+json"})
    assert r.status_code == 200 and r.headers["content-type"].startswith("application/ld+json")
    assert remote_context_refs(r.json()) == [] and isinstance(r.json()["@context"], dict)
    import rdflib
    g = parse_jsonld_offline(r.content)
    assert (rdflib.URIRef(served["base"] + "entity/lithuania"), rdflib.OWL.sameAs,
            rdflib.URIRef("http://www.wikidata.org/entity/Q37")) in g
    c = client.get(served["url"] + "/sparql", headers={"Accept": "application/ld+json"},
                   params={"query": "CONSTRUCT { ?e owl:sameAs ?w } WHERE { ?e owl:sameAs ?w }"})
    assert c.status_code == 200 and remote_context_refs(c.json()) == []
    assert len(parse_jsonld_offline(c.content)) > 0
    lis.assert_untouched()


def test_serve_made_no_outgoing_connection(served):
    """The audit log of the server process, after every request above (this test runs last in the module)."""
    for r in (served["client"].get(served["url"] + "/"), served["client"].get(served["url"] + "/analyses")):
        assert r.status_code == 200
    time.sleep(0.3)
    assert served["log"].read_text() == ""
    served["listener"].assert_untouched()


# --------------------------------------------------------------------------- JSON-LD and other inputs
def test_a_jsonld_document_is_not_read_and_its_context_never_loaded(runner, listener, tmp_path):
    doc = write(tmp_path / "page.jsonld", json.dumps({"@context": listener.url("/ctx.jsonld"), "@id": "urn:x",
                                                      "name": "Lithuania ranks 6th"}))
    r = lithkg(runner, tmp_path / "store", "ingest", str(doc))
    assert_refused(r, 4, "")
    assert "page.jsonld: '.jsonld' is not a document type lithkg reads" in r.stderr
    listener.assert_untouched()


def test_a_jsonld_claims_file_is_refused_without_loading_its_context(runner, listener, tmp_path):
    """Curated claims are YAML, and JSON is YAML: a JSON-LD file named .yaml is read as data, never expanded."""
    write(tmp_path / "page.md", "Lithuania ranks 6th in 2022.\n")
    for name, data in [
        ("a.yaml", {"@context": listener.url("/ctx.jsonld"), "document": "page.md", "claims": {"@id": "x"}}),
        ("b.yaml", {"@context": [listener.url("/ctx.jsonld"), {"@import": listener.url("/i.jsonld")}],
                    "document": "page.md", "claims": [{"@context": listener.url("/c.jsonld"), "subject": "Lithuania",
                                                       "property": "rank", "value": 6, "quote": "ranks 6th"}]}),
    ]:
        claims = write(tmp_path / name, json.dumps(data))
        r = lithkg(runner, tmp_path / "store", "ingest", str(tmp_path / "page.md"), str(claims))
        assert r.exit_code == 4 and r.stderr.startswith("lithkg: error: ") and r.stderr.count("\n") == 1, r.stderr
    assert "unknown key '@context'" in r.stderr
    listener.assert_untouched()


def test_urls_in_inputs_are_never_fetched(runner, listener, tmp_path):
    """A document path that is a URL, a claims file naming a document by URL, a front-matter url, a --source URL,
    and an HTML page full of external references and a JSON-LD block with a remote context."""
    store = tmp_path / "store"
    r = lithkg(runner, store, "ingest", listener.url("/page.md"))
    assert_refused(r, 4, f"{listener.url('/page.md')}: no such file or folder")
    claims = write(tmp_path / "c" / "c.yaml", f"document: {listener.url('/page.md')}\nclaims:\n"
                                              "  - {subject: Lithuania, property: rank, value: 6, quote: x}\n")
    r = lithkg(runner, store, "ingest", str(claims))
    assert_refused(r, 4, "")
    assert f"names document {listener.url('/page.md')}, which is not among the documents given" in r.stderr
    u = listener.url("/")
    html = f"""<!DOCTYPE html PUBLIC "-//W3C//DTD XHTML 1.0 Strict//EN" "{u}dtd/xhtml1-strict.dtd">
<html><head><base href="{u}"><title>Lithuania facts</title>
<link rel="stylesheet" href="{u}style.css"><link rel="alternate" type="application/ld+json" href="{u}page.jsonld">
<script src="{u}app.js"></script>
<script type="application/ld+json">{{"@context": "{u}ctx.jsonld", "@id": "{u}page", "name": "Lithuania"}}</script>
<meta http-equiv="refresh" content="0; url={u}refresh"></head>
<body><img src="{u}logo.png"><iframe src="{u}frame.html"></iframe>
<p style="background: url({u}bg.png)">Lithuania ranks 6th in the National Cyber Security Index in 2022.</p>
<object data="{u}obj.svg"></object><video src="{u}v.mp4" poster="{u}p.png"></video></body></html>
"""
    page = write(tmp_path / "d" / "page.html", html)
    md = write(tmp_path / "d" / "page.md", f'---\ntitle: Facts\nurl: {u}facts\n"@context": {u}ctx.jsonld\n---\n'
                                           f"Lithuania ranks 6th in 2022. See [the index]({u}index) and "
                                           f"![x]({u}x.png).\n")
    r = lithkg(runner, store, "ingest", str(page), str(md))
    assert r.exit_code == 0, r.stderr
    r = lithkg(runner, store, "ingest", "-", "--source", u + "stdin", "--url", u + "stdin",
               input=f'<p>Lithuania ranks 7th <img src="{u}a.png"></p>'.encode())
    assert r.exit_code == 0, r.stderr
    for args in (["claims", "-f", "jsonl"], ["log"], ["stats"], ["export", "-f", "json-ld"], ["validate"]):
        r = lithkg(runner, store, *args)
        assert r.exit_code == 0, (args, r.stderr)
    listener.assert_untouched()


def test_the_jsonld_export_has_its_context_inline_and_parses_back_offline(runner, small_store, listener):
    import rdflib
    from rdflib.compare import isomorphic

    r = lithkg(runner, small_store, "export", "-f", "json-ld")
    assert r.exit_code == 0, r.stderr
    doc = json.loads(r.stdout)
    assert isinstance(doc["@context"], dict) and remote_context_refs(doc) == []
    g = parse_jsonld_offline(r.stdout)
    nt = rdflib.Graph().parse(data=lithkg(runner, small_store, "export", "-f", "ntriples").stdout, format="nt")
    assert len(g) == len(nt) > 0 and isomorphic(g, nt)
    listener.assert_untouched()


def test_the_offline_jsonld_reader_refuses_a_remote_context(listener):
    """What tests use to read JSON-LD: a remote context is refused before rdflib sees it, and rdflib's own URL
    loading is refused too."""
    import rdflib

    doc = json.dumps({"@context": listener.url("/ctx.jsonld"), "@id": "urn:a", "name": "b"})
    with pytest.raises(ValueError, match="remote contexts"):
        parse_jsonld_offline(doc)
    nested = json.dumps({"@context": {"@import": listener.url("/i.jsonld")}, "@id": "urn:a"})
    with pytest.raises(ValueError, match="remote contexts"):
        parse_jsonld_offline(nested)
    with rdflib_offline(), pytest.raises(OSError, match="network access refused"):
        rdflib.Graph().parse(data=doc, format="json-ld")
    listener.assert_untouched()


# --------------------------------------------------------------------------- a full build behind a hostile proxy
def test_build_export_validate_with_proxies_pointing_at_the_listener(listener, tmp_path):
    """The bundled graph (entities owl:sameAs Wikidata, the frames extractor and the gazetteer) built, exported,
    validated and analysed in a child process whose proxy variables all point at the listener: no connection
    reaches it, and the audit hook saw no connection attempt at all."""
    graph = tmp_path / "graph"
    shutil.copytree(GRAPH / "sources", graph / "sources")
    shutil.copytree(GRAPH / "claims", graph / "claims")
    store, log = tmp_path / "store", tmp_path / "net.log"
    log.write_text("")
    commands = [
        ["--store", str(store), "build", "--graph-dir", str(graph)],
        ["--store", str(store), "export", "-f", "json-ld", "-o", str(tmp_path / "kg.jsonld")],
        ["--store", str(store), "validate"],
        ["--store", str(store), "graph", "entities", "-o", str(tmp_path / "entities.graphml")],
        ["--store", str(store), "history", "Lithuania", "rank", "-f", "json"],
    ]
    codes = run_guarded(commands, proxied_env(listener, log), cwd=tmp_path)
    assert codes == [0] * len(commands)
    assert log.read_text() == ""
    listener.assert_untouched()
    exported = (tmp_path / "kg.jsonld").read_bytes()
    assert exported == (graph / "build" / "kg.jsonld").read_bytes()
    assert b'"wd:Q37"' in exported or b"wikidata.org/entity/Q37" in exported
    assert remote_context_refs(json.loads(exported)) == []
