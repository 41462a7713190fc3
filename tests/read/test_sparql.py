import re

import pytest

from lithkg.errors import QueryError, UsageError
from lithkg.read.sparql import check_safe, named_queries

REQUIRED = {"claims", "conflicts", "history", "claims-by-source", "disagreeing-sources", "preferred", "untimed",
            "provenance", "sources", "version-claims", "blame", "stale"}


def test_the_named_queries_exist_with_headers():
    qs = named_queries()
    assert REQUIRED <= set(qs)
    for q in qs.values():
        assert q.title and q.description, q.name


def test_every_named_query_runs_on_the_bundled_graph(bundled):
    claim = bundled.claims()[0]["id"]
    source_iri = bundled.store.select("SELECT ?s WHERE { ?s a lkg:Source }")[0]["s"].value
    for name, q in named_queries().items():
        params = {}
        for p in q.params:
            if not p.optional:
                params[p.name] = {"subject": "Lithuania", "property": "rank", "claim": claim,
                                  "source": source_iri if p.type == "iri" else "graph/sources/official-page-2022.md"
                                  }[p.name]
        result = bundled.run_named(name, params)
        assert result.kind == "select" and result.rows, name


@pytest.mark.parametrize("query,message", [
    ("SELECT * WHERE { SERVICE <http://127.0.0.1:9/sparql> { ?s ?p ?o } }", "SERVICE is refused"),
    ("select * where { service <http://x.example/> { ?s ?p ?o } }", "SERVICE is refused"),
    ("LOAD <http://127.0.0.1:9/data.ttl>", "LOAD is refused"),
    ("PREFIX x: <http://x/>\nINSERT DATA { x:a x:b x:c }", "INSERT is refused"),
    ("DELETE WHERE { ?s ?p ?o }", "DELETE is refused"),
    ("DROP ALL", "DROP is refused"),
    ("SELECT * FROM <http://127.0.0.1:9/remote> WHERE { ?s ?p ?o }", "FROM <http://127.0.0.1:9/remote> is refused"),
])
def test_queries_that_reach_out_or_write_are_refused(query, message):
    with pytest.raises(QueryError, match=message):
        check_safe(query)


def test_keywords_inside_strings_and_iris_are_fine():
    check_safe('SELECT * WHERE { ?s ?p "SERVICE LOAD" . ?s <http://x.example/SERVICE> ?o } # SERVICE')
    check_safe("SELECT * FROM <https://w3id.org/lithkg/id/doc/abc> WHERE { ?s ?p ?o }")


def test_params_are_bound_as_terms_not_pasted(bundled):
    hostile = 'Lithuania" } ; DROP ALL ; SELECT * { ?s ?p "'
    result = bundled.query("SELECT ?name ?label WHERE { ?e rdfs:label ?label . FILTER(?label = ?name) }",
                           params={"name": hostile})
    assert result.rows == []
    assert bundled.stats()["claims"] > 0


def test_named_query_parameters_are_checked(bundled):
    with pytest.raises(UsageError, match="the query needs --param subject=VALUE"):
        bundled.run_named("history", {"property": "rank"})
    with pytest.raises(UsageError, match="the query has no parameter 'colour'"):
        bundled.run_named("conflicts", {"colour": "red"})
    with pytest.raises(UsageError, match="unknown entity 'Atlantis'"):
        bundled.run_named("history", {"subject": "Atlantis", "property": "rank"})


def test_iri_parameters_resolve_labels_and_prefixed_names(bundled):
    a = bundled.run_named("history", {"subject": "Lithuania", "property": "rank"}).rows
    b = bundled.run_named("history", {"subject": "lke:lithuania", "property": "lkgp:rank"}).rows
    c = bundled.run_named("history", {"subject": "<https://w3id.org/lithkg/id/entity/lithuania>",
                                      "property": "https://w3id.org/lithkg/prop/rank"}).rows
    assert a == b == c and len(a) >= 3


def test_construct_results(bundled):
    r = bundled.query("CONSTRUCT { ?e ldt:rank ?v } WHERE { ?e ldt:rank ?v }")
    assert r.kind == "graph" and r.triples


def test_inline_values_opens_the_first_where_on_the_same_line():
    import pyoxigraph as ox
    from lithkg.read.sparql import inline_values
    subs = {ox.Variable("s"): ox.NamedNode("https://x.example/a"), ox.Variable("n"): ox.Literal("b\"c")}
    text = "SELECT ?s ?n ?o\nWHERE {\n  ?s ?p ?o .\n}"
    assert inline_values(text, subs) == ('SELECT ?s ?n ?o\nWHERE { VALUES (?n ?s) { ("b\\"c" <https://x.example/a>) } '
                                         "\n  ?s ?p ?o .\n}")
    assert inline_values("ASK { ?s ?p ?o }", subs) is None
    assert inline_values(text, {}) == text


def test_inline_values_gives_a_row_for_each_term_of_a_list(tmp_path):
    import pyoxigraph as ox
    from lithkg.read.sparql import inline_values
    a, b = ox.NamedNode("https://x.example/a"), ox.NamedNode("https://x.example/b")
    text = inline_values("SELECT ?s ?o WHERE { ?s <https://x.example/p> ?o }", {ox.Variable("s"): [a, b]})
    assert text == ("SELECT ?s ?o WHERE { VALUES ?s { <https://x.example/a> <https://x.example/b> } "
                    " ?s <https://x.example/p> ?o }")
    store = ox.Store()
    for s, o in ((a, "1"), (b, "2"), (ox.NamedNode("https://x.example/c"), "3")):
        store.add(ox.Quad(s, ox.NamedNode("https://x.example/p"), ox.Literal(o)))
    assert sorted(r["o"].value for r in store.query(text)) == ["1", "2"]


def test_brackets_inside_strings_do_not_count_as_nesting():
    from lithkg.read.sparql import MAX_NESTING, check_nesting
    deep = "{" * (MAX_NESTING + 10)
    check_nesting('SELECT * WHERE { BIND("a\\"' + deep + '" AS ?x) }')      # an escaped quote, then brackets
    check_nesting("SELECT * WHERE { BIND('''it\\'s " + deep + "''' AS ?x) } # " + deep)
    with pytest.raises(QueryError, match="nests brackets more than"):
        check_nesting("SELECT * WHERE " + deep)


# --------------------------------------------------------------------------- the query check, every spelling
SERVICE = "SERVICE is refused: lithkg does not send queries to other servers"
LOAD = "LOAD is refused: lithkg never fetches remote data"


@pytest.mark.parametrize("query", [
    "PREFIX : <http://127.0.0.1:9/> SELECT * WHERE { SERVICE:sparql { ?s ?p ?o } }",
    "PREFIX : <http://127.0.0.1:9/> SELECT * WHERE { { SELECT * WHERE { service:sparql { ?s ?p ?o } } } }",
    "PREFIX Service: <http://127.0.0.1:9/> SELECT * WHERE { Service:sparql { ?s ?p ?o } }",
    "PREFIX x: <http://127.0.0.1:9/> SELECT * WHERE { SERVICEx:sparql { ?s ?p ?o } }",
    "SELECT * WHERE { SERVICESILENT<http://127.0.0.1:9/> { ?s ?p ?o } }",
    "SELECT * WHERE { ?s ?p trueSERVICE<http://127.0.0.1:9/> { ?s ?p ?o } }",
    "PREFIX : <http://127.0.0.1:9/> SELECT * WHERE { ?s ?p falseservice:sparql { ?s ?p ?o } }",
    "SELECT * WHERE {SERVICE<http://127.0.0.1:9/>{?s ?p ?o}}",
    "SELECT * WHERE { SERVICE ?x { ?s ?p ?o } }",
    "SELECT * WHERE { ?s ?p ?o FILTER NOT EXISTS { OPTIONAL { MINUS { SERVICE <http://x.example/> { } } } } }",
    "SELECT * WHERE { ?s ?p ?a FILTER(!(?a<'>')) SERVICE <http://127.0.0.1:9/> { ?s ?p ?o } BIND(')' AS ?z) }",
    "SELECT * WHERE { ?s ?p ?a FILTER(?a<?b#>'''\n) SERVICE <http://127.0.0.1:9/> { ?s ?p ?o }\n# '''\n}",
    "SELECT * WHERE { BIND(<http://a.example/\\u0041'> AS ?x) SERVICE <http://127.0.0.1:9/> { } BIND('x' AS ?y) }",
    "SELECT * WHERE { ?s ?p ?o #\rSERVICE <http://127.0.0.1:9/> { } }",
    "SELECT * WHERE { \\u0053ERVICE <http://127.0.0.1:9/> { } }",
    "SELECT * WHERE { \\U00000053ervice <http://127.0.0.1:9/> { } }",
    "SELECT * WHERE { BIND('\\u0027 AS ?x) SERVICE <http://127.0.0.1:9/> { } BIND('' AS ?y) }",
    "SELECT * WHERE { \uff33\uff25\uff32\uff36\uff29\uff23\uff25 <http://127.0.0.1:9/> { } }",
    "SELECT * WHERE { \u017fervice <http://127.0.0.1:9/> { } }",
])
def test_service_in_every_spelling_is_refused(query):
    with pytest.raises(QueryError, match=SERVICE):
        check_safe(query)


@pytest.mark.parametrize("query", [
    "LOADSILENT<http://127.0.0.1:9/x.ttl>",
    "PREFIX : <http://127.0.0.1:9/> LOAD:x.ttl",
    "INSERT DATA { <urn:a> <urn:b> <urn:c> } ; load <http://127.0.0.1:9/x.ttl> INTO GRAPH <urn:g>",
    "\\u004cOAD <http://127.0.0.1:9/x.ttl>",
])
def test_load_in_every_spelling_is_refused(query):
    with pytest.raises(QueryError, match=LOAD):
        check_safe(query)


@pytest.mark.parametrize("query,word", [
    ("INSERTDATA{<urn:a> <urn:b> <urn:c>}", "INSERT"),
    ("PREFIX x: <http://x.example/> BASE <http://x.example/> with <urn:g> delete { ?s ?p ?o } where { ?s ?p ?o }",
     "WITH"),
    ("PREFIXx:<http://x.example/>CLEAR ALL", "CLEAR"),
    ("# DROP\nCOPY DEFAULT TO <urn:g>", "COPY"),
])
def test_updates_are_refused_however_written(query, word):
    with pytest.raises(QueryError, match=f"^{word} is refused: queries here only read the store"):
        check_safe(query)


@pytest.mark.parametrize("query", [
    'SELECT ?service ?load WHERE { BIND("SERVICE <http://127.0.0.1:9/> LOAD" AS ?service) BIND(ex:load AS ?load) }',
    "SELECT * WHERE { ?s <http://schema.org/serviceType> ?o . ?s <http://x.example/download/load> ?d }",
    "SELECT * WHERE { ?s <http://www.w3.org/1999/02/22-rdf-syntax-ns#type> ?o . BIND('''SERVICE''' AS ?x) }",
    "PREFIX ex: <http://x.example/> SELECT * WHERE { ?s ex:service ?o ; ex:Load ?l . ?s ?p 'x'@en-GB } # SERVICE",
    "SELECT * WHERE { ?s ?p ?o FILTER(?o < 3 && ?o>1 && ?o<=?s) }",
    "SELECT * WHERE { ?s ?p $service . ?service ?p ?load }",
    "SELECT * WHERE { ?s ?p 'it\\'s SERVICE <x> { }' }",
])
def test_keywords_in_strings_iris_comments_variables_and_local_names_are_fine(query):
    assert check_safe(query) is False


def test_a_prefix_named_like_a_keyword_is_refused_on_purpose():
    """Oxigraph reads 'service:x' as SERVICE then ':x' where that parses, so any prefix that starts with SERVICE or
    LOAD is refused, also where it would only have been a prefixed name."""
    with pytest.raises(QueryError, match=SERVICE):
        check_safe("PREFIX service: <http://x.example/> SELECT * WHERE { ?s service:p ?o }")
    with pytest.raises(QueryError, match=LOAD):
        check_safe("PREFIX loader: <http://x.example/> SELECT * WHERE { ?s loader:p ?o }")


@pytest.mark.parametrize("query,graph", [
    ("PREFIX : <http://127.0.0.1:9/> SELECT * FROM:g WHERE { ?s ?p ?o }", "http://127.0.0.1:9/g"),
    ("PREFIX x: <http://127.0.0.1:9/> SELECT * FROMx:g WHERE { ?s ?p ?o }", "http://127.0.0.1:9/g"),
    ("ASKFROM<http://127.0.0.1:9/g>{}", "http://127.0.0.1:9/g"),
    ("SELECT * FROMNAMED<http://127.0.0.1:9/g> WHERE { ?s ?p ?o }", "http://127.0.0.1:9/g"),
    ("CONSTRUCTFROM<http://127.0.0.1:9/g>WHERE{?s ?p ?o}", "http://127.0.0.1:9/g"),
    ("SELECT * FROM <http://127.0.0.1:9/\\u0067> WHERE { ?s ?p ?o }", "http://127.0.0.1:9/g"),
    ("BASE <http://127.0.0.1:9/> PREFIX r: <> SELECT * FROM r:g WHERE { ?s ?p ?o }", "http://127.0.0.1:9/g"),
    ("BASE <http://127.0.0.1:9/a/> SELECT * FROM <../g> WHERE { ?s ?p ?o }", "http://127.0.0.1:9/g"),
    ("PREFIX lkd: <http://127.0.0.1:9/> SELECT * FROM lkd:g WHERE { ?s ?p ?o }", "http://127.0.0.1:9/g"),
    ("SELECT * FROM <file:///etc/passwd> WHERE { ?s ?p ?o }", "file:///etc/passwd"),
    ("SELECT * FROM <g> WHERE { ?s ?p ?o }", "g"),
])
def test_a_from_outside_the_store_is_refused_however_written(query, graph):
    with pytest.raises(QueryError, match=f"^FROM <{re.escape(graph)}> is refused"):
        check_safe(query)


def test_a_from_of_the_store_chooses_the_dataset():
    assert check_safe("SELECT * FROM <https://w3id.org/lithkg/graph/ontology> WHERE { ?s ?p ?o }") is True
    assert check_safe("ASKFROM<https://w3id.org/lithkg/graph/ontology>{}") is True
    assert check_safe("SELECT * FROM lkd:abc WHERE { ?s ?p ?o }") is True  # lithkg's own prefix
    assert check_safe("SELECT * FROM <http://127.0.0.1:9/id/doc/a> { }", bases=("http://127.0.0.1:9/id/",)) is True
    # a word that only starts like FROM, inside a group, is no dataset clause
    assert check_safe("PREFIX age: <http://x.example/> SELECT * WHERE { ?s fromage:x ?o }") is False


@pytest.mark.parametrize("iri,bases,reason", [
    ("https://w3id.org/lithkg/id/doc/a", (), None),
    ("http://127.0.0.1:9/id/doc/a", ("http://127.0.0.1:9/id/",), None),
    ("http://127.0.0.1:9/other", ("http://127.0.0.1:9/id/",), "lithkg never fetches remote graphs"),
    ("http://127.0.0.1:9/id/../other", ("http://127.0.0.1:9/id/",), "lithkg never fetches remote graphs"),
    ("http://127.0.0.1:9/id/%2e%2e/other", ("http://127.0.0.1:9/id/",), "lithkg never fetches remote graphs"),
    ("https://w3id.org/lithkg/id/a b", (), "lithkg never fetches remote graphs"),
    ("file:///etc/passwd", (), "lithkg never fetches remote graphs"),
    ("ftp://x.example/g", (), "lithkg never fetches remote graphs"),
    ("urn:x:g", (), "it is not a graph of this store"),
    ("g", (), "a graph is named by an absolute IRI"),
    ("//127.0.0.1:9/g", (), "a graph is named by an absolute IRI"),
])
def test_check_graph_accepts_only_absolute_iris_of_the_store(iri, bases, reason):
    from lithkg.read.sparql import check_graph
    if reason is None:
        check_graph(iri, bases)
    else:
        with pytest.raises(QueryError, match=f"^FROM <{re.escape(iri)}> is refused: {reason}"):
            check_graph(iri, bases)


@pytest.mark.parametrize("text,decoded", [
    ("\\u0053ERVICE", "SERVICE"),
    ("\\U00000053", "S"),
    ("\\u+053", "S"),            # Rust's from_str_radix takes a leading '+'
    ("\\\\u0041", "\\A"),         # a backslash before an escape is read again
    ("\\u12\\u0041", "\\u12\\u0041"),  # the held-back backslash reads on from the text, as Oxigraph's does
    ("\\uD800", "\\uD800"),       # a surrogate is no character
    ("\\u004", "\\u004"),
    ("a\\", "a\\"),
])
def test_unicode_escapes_are_decoded_as_the_engine_would(text, decoded):
    from lithkg.read.querycheck import _unescape_codepoints
    assert _unescape_codepoints(text) == decoded


def test_the_check_is_linear_in_the_query():
    """A query of a mebibyte (the endpoint's largest body) is read in a few seconds, however it is made."""
    import time
    for body in ("?s <http://x.example/p#a> 'v' . " * 30_000, "<a'''>" * 150_000, "askfromservice" * 70_000,
                 "<a#>\n" * 200_000):
        start = time.monotonic()
        try:
            check_safe("SELECT * WHERE { " + body + " }")
        except QueryError:
            pass
        assert time.monotonic() - start < 15
