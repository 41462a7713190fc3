"""The browsing pages of a real ``lithkg serve`` process, read with httpx: search over all claims, the claim and
entity pages, the disputes page's filters, paging and downloads, the query page, what ``serve`` prints, and escaping
of every text a document brings (title, address, quote)."""
import csv
import io
import json
import re
import subprocess
import sys
import tempfile

import httpx
import pytest
from click.testing import CliRunner

from conftest import ROOT
from helpers import free_port, serving, server, stop, wait_until_serving  # noqa: F401  (server: the fixture)
from lithkg.cli import main

CLAIM = "6660344b95315787164c"  # Baltic Way / participants: more than a million (official page, 2021)
ENV = {"LITHKG_EXTRACTORS": "curated"}


def found(page: str) -> str:
    return re.search(r"<p id='found'>([^<]*)", page).group(1)


def pager(page: str) -> str:
    return re.sub(r"<[^>]+>", "", re.search(r"<p class='pager'>(.*?)</p>", page).group(1))


def visible(page: str) -> str:
    """The page's text outside tags, attributes and the folded statements: what a reader sees first."""
    page = re.sub(r"<details>.*?</details>|<style>.*?</style>|<title>.*?</title>", "", page, flags=re.S)
    return re.sub(r"<[^>]+>", " ", page)


# ---------------------------------------------------------------------------------------------- search
@pytest.mark.parametrize("q,expected", [
    ("GIPL", "16 claim(s) in 10 group(s) match "),  # an alias of the subject (its label is the long name)
    ("gipl", "16 claim(s) in 10 group(s) match "),  # case-insensitive
    ("klaipeda", "2 claim(s) in 1 group(s) match "),  # accents ignored: Klaipėda
    ("gipl length", "7 claim(s) in 4 group(s) match "),  # every word: subject and property
    ("gipl length located", "4 claim(s) in 2 group(s) match "),  # and a qualifier's label ("located in")
    ("length planned", "1 claim(s) in 1 group(s) match "),  # and a qualifier's value ("status: planned")
    ("hand in hand", "1 claim(s) in 1 group(s) match "),  # quote words
    ("GIPL 1007", "0 claim(s) in 0 group(s) match "),  # every word must match
])
def test_search_over_all_claims(server, q, expected):
    r = httpx.get(server + "/search", params={"q": q})
    assert r.status_code == 200 and found(r.text) == expected


def test_search_results_link_to_claims_and_groups_and_mark_the_words(server):
    page = httpx.get(server + "/search", params={"q": "gipl length poland"}).text
    rows = re.findall(r"<tr><td>.*?</tr>", page)
    assert rows and all("href='/id/claim/" in r and "href='/id/group/" in r for r in rows)
    assert "<q>343 km across <mark>Poland</mark></q>" in page
    assert "GIPL after its first weeks: regional gas briefing" in page  # the source by its title
    assert "href='https://report.example/energy/2022/gipl-briefing'" in page
    empty = httpx.get(server + "/search").text
    assert "Every word must occur" in empty and "id='found'" not in empty


def test_the_disputes_page_search_box_searches_all_claims(server):
    page = httpx.get(server + "/").text
    assert "<form method='get' action='/search' role='search'><input name='q'" in page


# ---------------------------------------------------------------------------------------------- claim and entity
def test_claim_page_for_people(server):
    r = httpx.get(server + f"/id/claim/{CLAIM}", headers={"Accept": "text/html"})
    assert r.status_code == 200
    page = r.text
    assert "<h1>Baltic Way · participants: more than 1,000,000 people</h1>" in page
    assert "<blockquote id='quote'>more than a million people demanding freedom from Soviet rule</blockquote>" in page
    assert "Lithuania in brief: international cooperation</a>" in page and ">1 June 2021<" in page
    assert "<a class='original' href='https://official.example/lithuania/facts'" in page
    assert "<span class='tag'>preferred</span> <span class='reason'>the latest valid time (1989-08-23)" in page
    assert "<a href='/id/entity/baltic-way' title='https://w3id.org/lithkg/id/entity/baltic-way'>Baltic Way</a>" in page
    assert page.count("<tr><td><a href='/id/claim/") == 3  # the other values of its group
    assert "https://w3id.org" not in visible(page)  # IRIs only as links
    ttl = httpx.get(server + f"/id/claim/{CLAIM}", headers={"Accept": "text/turtle"})
    assert ttl.headers["content-type"].startswith("text/turtle") and "lkg:value 1000000" in ttl.text


def test_claim_page_shows_qualifiers_by_label(server):
    page = httpx.get(server + "/search", params={"q": "gipl length poland 343 across"}).text
    claim = re.search(r"href='/id/claim/(\w+)'", page).group(1)
    page = httpx.get(server + f"/id/claim/{claim}").text
    assert "<dt>qualifiers</dt><dd><ul><li>located in: Poland</li></ul></dd>" in page
    assert "<strong>343 km in Poland</strong>" in page


def test_entity_page_groups_claims_by_property(server):
    page = httpx.get(server + "/id/entity/gipl").text
    assert "<h1>Gas Interconnection Poland–Lithuania</h1>" in page
    assert "Also called: GIPL, GIPL gas pipeline" in page
    headings = re.findall(r"<section class='property'><h2>([^<]+)</h2>", page)
    assert headings == sorted(headings, key=str.casefold) and "length" in headings and "cost" in headings
    length = re.search(r"<h2>length</h2>(.*?)</section>", page).group(1)
    assert "165 km lies in Lithuania" in length and "Lithuania in brief: international cooperation" in length
    assert "https://w3id.org" not in visible(page)


def test_other_iris_keep_the_statements_page(server):
    found = httpx.get(server + "/sparql", params={"query": "SELECT ?s WHERE { ?s lkg:sourceKey ?k } ORDER BY ?s LIMIT 1"},
                      headers={"Accept": "application/sparql-results+json"}).json()
    source = found["results"]["bindings"][0]["s"]["value"]
    page = httpx.get(server + "/id/" + source.split("/id/", 1)[1], headers={"Accept": "text/html"})
    assert page.status_code == 200 and f"<code>{source}</code>" in page.text


# ---------------------------------------------------------------------------------------------- disputes: filters
@pytest.mark.parametrize("params,groups", [
    ({}, ["Baltic Way / length", "Baltic Way / participants", "Lithuania / rank / index: National Cyber Security "
                                                              "Index"]),
    ({"status": "conflicting"}, ["Baltic Way / participants", "Lithuania / rank / index: National Cyber Security "
                                                                "Index"]),
    ({"status": "updated"}, ["Lithuania / rank / index: National Cyber Security Index"]),
    ({"source": "https://news.example/baltics/2020/08/24/way-of-freedom"},
     ["Baltic Way / length", "Baltic Way / participants"]),
    ({"since": "2022"}, ["Baltic Way / participants", "Lithuania / rank / index: National Cyber Security Index"]),
    ({"q": "baltic way"}, ["Baltic Way / length", "Baltic Way / participants"]),
    ({"status": "updated", "q": "baltic"}, []),
])
def test_disputes_filters(server, params, groups):
    r = httpx.get(server + "/", params=params)
    assert r.status_code == 200
    assert sorted(re.findall(r"<section class='group'[^>]*><h2><a class='dispute'[^>]*>([^<]+?)</a> <span",
                             r.text)) == groups
    for key, value in params.items():  # the form shows what it filters by
        assert f"value='{value}' selected" in r.text or f"name='{key}' value='{value}'" in r.text or \
               f"<input name='since' size='10' placeholder='YYYY-MM-DD' value='{value}'>" in r.text


@pytest.mark.parametrize("params,message", [
    ({"status": "nope"}, "unknown status 'nope' (use one of: preferred, corroborated"),
    ({"source": "https://nowhere.example/"}, "no source 'https://nowhere.example/' in the store (see 'lithkg log')"),
    ({"since": "last week"}, "--since 'last week' is not a date (write YYYY, YYYY-MM or YYYY-MM-DD)"),
    ({"page": "0"}, "'page' must be a whole number from 1 (or 'all'), not '0'"),
    ({"per_page": "501"}, "'per_page' must be a whole number from 1 to 500, not '501'"),
    ({"format": "xml"}, "unknown format 'xml' for the disputes (use format=csv or format=json)"),
])
def test_disputes_filters_refuse_bad_values_with_one_line(server, params, message):
    r = httpx.get(server + "/", params=params)
    assert r.status_code == 400 and r.text.startswith(message) and r.text.count("\n") == 1


def test_downloads_are_exactly_what_is_shown(server):
    params = {"status": "conflicting"}
    page = httpx.get(server + "/", params=params).text
    assert "<a id='csv' download href='/disputes.csv?status=conflicting'>CSV</a>" in page
    shown = re.findall(r"href='/id/claim/(\w+)'", page)
    r = httpx.get(server + "/disputes.csv", params=params)
    assert r.status_code == 200 and r.headers["content-type"].startswith("text/csv")
    rows = list(csv.DictReader(io.StringIO(r.text)))
    assert [row["claim"].rsplit("/", 1)[1] for row in rows] == shown
    assert rows[0]["group_label"] == "Baltic Way / participants" and rows[0]["shown"] == "more than 1,000,000 people"
    assert rows[0]["doc_title"] == "Lithuania in brief: international cooperation"
    data = httpx.get(server + "/", params={**params, "format": "json"})
    assert data.headers["content-type"].startswith("application/json")
    assert [d["claim"] for d in data.json()] == [row["claim"] for row in rows]
    assert httpx.get(server + "/disputes.json", params=params).json() == data.json()
    assert httpx.get(server + "/", params={**params, "format": "csv"}).text == r.text


# ---------------------------------------------------------------------------------------------- paging
@pytest.fixture(scope="module")
def many(tmp_path_factory):
    """A store of 120 towns whose populations two sources give differently (120 disputed groups), served."""
    folder = tmp_path_factory.mktemp("many")
    entities = ["@prefix lke: <https://w3id.org/lithkg/id/entity/> .", "@prefix lkg: <https://w3id.org/lithkg/ns#> .",
                "@prefix rdfs: <http://www.w3.org/2000/01/rdf-schema#> ."]
    entities += [f'lke:town-{i:03d} a lkg:Entity ; rdfs:label "Town {i:03d}" .' for i in range(120)]
    (folder / "towns.ttl").write_text("\n".join(entities) + "\n", encoding="utf-8")
    docs = folder / "docs"
    docs.mkdir()
    for name, published, first in (("a", "2021-03-01", 10000), ("b", "2022-03-01", 20000)):
        text = " ".join(f"Town {i:03d} has {first + i} residents." for i in range(120))
        (docs / f"{name}.md").write_text(f"---\nurl: https://{name}.example/towns\npublished: {published}\n---\n"
                                         f"{text}\n", encoding="utf-8")
        claims = [f"document: {name}.md", "claims:"]
        for i in range(120):
            claims += [f"  - subject: Town {i:03d}", "    property: population", f"    value: {first + i}",
                       '    time: "2021"', f'    quote: "{first + i} residents"']
        (docs / f"{name}.yaml").write_text("\n".join(claims) + "\n", encoding="utf-8")
    store = folder / "store"
    r = CliRunner().invoke(main, ["--ontology", str(folder / "towns.ttl"), "--store", str(store), "ingest",
                                  str(docs)], env=ENV, catch_exceptions=False)
    assert r.exit_code == 0, r.output
    with serving(store, free_port()) as url:
        yield url


def test_paging_a_store_of_many_groups(many):
    first = httpx.get(many + "/").text
    assert first.count("<section class='group'") == 50
    assert pager(first) == "claim groups 1–50 of 120 next › · all"
    assert "<a rel='next' href='/?page=2'>next ›</a>" in first
    third = httpx.get(many + "/", params={"page": "3"}).text
    assert third.count("<section class='group'") == 20 and pager(third) == "claim groups 101–120 of 120 ‹ previous · all"
    assert "<a rel='prev' href='/?page=2'>‹ previous</a>" in third
    pages = [re.findall(r"<h2><a class='dispute'[^>]*>(Town \d+) / population", httpx.get(many + "/", params={"page": n}).text)
             for n in (1, 2, 3)]
    assert sorted(sum(pages, [])) == [f"Town {i:03d}" for i in range(120)]  # every group on exactly one page
    small = httpx.get(many + "/", params={"per_page": "7", "page": "2"}).text
    assert small.count("<section class='group'") == 7 and pager(small).startswith("claim groups 8–14 of 120")
    assert "href='/?page=3&amp;per_page=7'" in small  # the links keep the other parameters
    assert httpx.get(many + "/", params={"page": "all"}).text.count("<section class='group'") == 120
    past = httpx.get(many + "/", params={"page": "9"}).text
    assert past.count("<section class='group'") == 0 and "none of 120 (page 9 of 3)" in pager(past)


def test_downloads_follow_the_page(many):
    rows = list(csv.DictReader(io.StringIO(httpx.get(many + "/disputes.csv", params={"page": "2"}).text)))
    assert len({r["group"] for r in rows}) == 50 and len(rows) == 100
    page = httpx.get(many + "/", params={"page": "2"}).text
    assert [r["claim"].rsplit("/", 1)[1] for r in rows] == re.findall(r"href='/id/claim/(\w+)'", page)
    everything = httpx.get(many + "/disputes.json", params={"page": "all"}).json()
    assert len(everything) == 240


def test_search_is_paged_too(many):
    page = httpx.get(many + "/search", params={"q": "town", "per_page": "100"}).text
    assert found(page) == "240 claim(s) in 120 group(s) match " and page.count("<tr><td>") == 100
    assert pager(page) == "claims 1–100 of 240 next › · all"


# ---------------------------------------------------------------------------------------------- the query page
def test_named_query_gets_input_fields_and_does_not_run_without_them(server):
    page = httpx.get(server + "/query", params={"name": "history"}).text
    assert "<input name='subject' value='' required>" in page and "<input name='property' value='' required>" in page
    assert "<input name='group' value=''>" in page and "iri, optional: Only this claim group" in page
    assert "id='results'" not in page and "id='error'" not in page
    r = httpx.get(server + "/query", params={"name": "history", "run": "1", "subject": "Lithuania"})
    assert r.status_code == 400 and "<p class='error' id='error'>the query needs the parameter 'property'</p>" in r.text


def test_named_query_runs_with_its_parameters_iris_as_links_and_a_shareable_link(server):
    params = {"name": "history", "subject": "Lithuania", "property": "rank", "group": ""}
    r = httpx.get(server + "/query", params=params)
    assert r.status_code == 200 and "<p id='count'>6 row(s)</p>" in r.text
    assert "<a href='/id/entity/lithuania' title='https://w3id.org/lithkg/id/entity/lithuania'>lke:lithuania</a>" \
           in r.text
    assert "<div class='scroll'><table id='results'>" in r.text and ".scroll{overflow-x:auto" in r.text
    assert "<input name='subject' value='Lithuania' required>" in r.text
    share = re.search(r"<a id='share' href='([^']+)'", r.text).group(1).replace("&amp;", "&")
    assert share == "/query?name=history&subject=Lithuania&property=rank"
    assert httpx.get(server + share).text == r.text  # the link reproduces the page
    data = re.search(r"<a id='csv' download href='([^']+)'", r.text).group(1).replace("&amp;", "&")
    assert httpx.get(server + data).text.splitlines()[0].startswith("subject,property,group")


def test_ad_hoc_query_and_its_link(server):
    q = "SELECT ?c ?v WHERE { ?c lkg:subject lke:lithuania ; lkg:value ?v } ORDER BY ?v LIMIT 3"
    r = httpx.get(server + "/query", params={"query": q})
    assert r.status_code == 200 and "<p id='count'>3 row(s)</p>" in r.text
    assert re.search(r"<a href='/id/claim/\w+' title='https://w3id.org/lithkg/id/claim/\w+'>lkd:claim/\w+</a>", r.text)
    share = re.search(r"<a id='share' href='([^']+)'", r.text).group(1).replace("&amp;", "&")
    assert httpx.get(server + share).text == r.text
    ask = httpx.get(server + "/query", params={"query": "ASK { ?c a lkg:Claim }"}).text
    assert "<p id='answer'>yes</p>" in ask
    assert "<textarea id='q' name='query'" in httpx.get(server + "/query").text  # an example, not run


@pytest.mark.parametrize("query,status,message", [
    ("SELECT * WHERE { ?s ?p }", 400,
     "line 1, column 25: the query does not parse after “?s ?p }” (expected one of LATERAL, SERVICE, [_])"),
    ("SELECT *\nWHERE { ?s nope:x ?o }", 400,
     "line 2, column 18: the query does not parse after “{ ?s nope:x” (a prefix that is not declared)"),
    ("SELECT * WHERE { SERVICE <http://example.org/> { ?s ?p ?o } }", 400,
     "SERVICE is refused: lithkg does not send queries to other servers (query the other endpoint yourself)"),
    ("DROP ALL", 403, "DROP is refused: queries here only read the store (change the store with 'lithkg ingest')"),
])
def test_query_errors_are_one_line_with_the_position(server, query, status, message):
    r = httpx.get(server + "/query", params={"query": query})
    assert r.status_code == status
    assert re.search(r"<p class='error' id='error'>([^<]*)</p>", r.text).group(1) == \
        message.replace("'", "&#x27;").replace("“", "“")
    assert "<textarea id='q' name='query'" in r.text  # the query stays in the editor to be fixed


def test_a_query_past_the_time_limit_is_one_line_on_the_page(server):
    slow = "SELECT (COUNT(*) AS ?n) WHERE { ?a ?b ?c . ?d ?e ?f . ?g ?h ?i }"
    r = httpx.get(server + "/query", params={"query": slow}, timeout=30)
    assert r.status_code == 503 and r.headers["content-type"].startswith("text/html")
    assert re.search(r"<p class='error' id='error'>([^<]*)</p>", r.text).group(1).startswith(
        "query: the query ran longer than the time limit (5 s)")
    assert "<textarea id='q' name='query' aria-label='SPARQL query'>SELECT (COUNT(*) AS ?n)" in r.text


def test_unknown_named_query(server):
    r = httpx.get(server + "/query", params={"name": "nope"})
    assert r.status_code == 404 and "<p class='error' id='error'>no named query &#x27;nope&#x27; (pick one from the " \
                                    "list)</p>" in r.text


# ---------------------------------------------------------------------------------------------- serve itself
def test_serve_prints_the_pages_and_its_help_names_them(built_store, tmp_path):
    port = free_port()
    with tempfile.TemporaryFile() as log:
        proc = subprocess.Popen([sys.executable, "-m", "lithkg.cli", "--store", str(built_store), "serve", "--port",
                                 str(port), "--workers", "1"], stdout=log, stderr=log, cwd=str(ROOT))
        try:
            wait_until_serving(httpx.get, f"http://127.0.0.1:{port}/sparql", proc, log=log)
        finally:
            stop(proc)
        log.seek(0)
        lines = log.read().decode().splitlines()
    u = f"http://127.0.0.1:{port}"
    assert lines[:2] == [f"serving {built_store} at {u}/ (pages) and {u}/sparql",
                         f"pages: {u}/ (disputes), {u}/search, {u}/query, {u}/analyses"]
    text = " ".join(CliRunner().invoke(main, ["serve", "--help"]).output.split())
    assert "/search?q=WORDS over all claims" in text and "/query, a query page with input fields" in text
    assert "filters by status, source and date, paging, CSV and JSON downloads" in text


# ---------------------------------------------------------------------------------------------- escaping
@pytest.fixture(scope="module")
def hostile(tmp_path_factory):
    """A store whose documents carry markup in their title, address and quote, and a javascript: address."""
    folder = tmp_path_factory.mktemp("hostile")
    (folder / "evil.md").write_text(
        "---\ntitle: \"<script>alert('title')</script> & 'x'\"\n"
        "url: \"https://evil.example/a?b=<script>alert('url')</script>&c='d'\"\npublished: 2022-01-01\n---\n"
        "Lithuania ranks 9th <script>alert('quote')</script> in the National Cyber Security Index.\n",
        encoding="utf-8")
    (folder / "evil.yaml").write_text(
        "document: evil.md\nclaims:\n  - subject: Lithuania\n    property: rank\n    value: 9\n    time: \"2022\"\n"
        "    quote: \"ranks 9th <script>alert('quote')</script> in\"\n"
        "    qualifiers: {index: National Cyber Security Index}\n", encoding="utf-8")
    (folder / "plain.md").write_text("---\ntitle: Plain\nurl: \"javascript:alert('js')\"\npublished: 2022-02-01\n---\n"
                                     "Lithuania ranks 5th in the National Cyber Security Index.\n", encoding="utf-8")
    (folder / "plain.yaml").write_text(
        "document: plain.md\nclaims:\n  - subject: Lithuania\n    property: rank\n    value: 5\n    time: \"2022\"\n"
        "    quote: \"ranks 5th in\"\n    qualifiers: {index: National Cyber Security Index}\n", encoding="utf-8")
    store = folder / "store"
    r = CliRunner().invoke(main, ["--store", str(store), "ingest", str(folder)], env=ENV, catch_exceptions=False)
    assert r.exit_code == 0, r.output
    with serving(store, free_port()) as url:
        yield url


def test_every_page_escapes_what_documents_say(hostile):
    search = httpx.get(hostile + "/search", params={"q": "lithuania <script>"}).text
    claim = re.search(r"href='/id/claim/(\w+)'", search).group(1)
    pages = {
        "search": search,
        "disputes": httpx.get(hostile + "/").text,
        "csv page": httpx.get(hostile + "/", params={"q": "<script>alert('q')</script>"}).text,
        "claim": httpx.get(hostile + f"/id/claim/{claim}").text,
        "entity": httpx.get(hostile + "/id/entity/lithuania").text,
        "query": httpx.get(hostile + "/query", params={
            "query": "SELECT ?t WHERE { ?d dcterms:title ?t } # </textarea><script>alert('q')</script>"}).text,
        "query error": httpx.get(hostile + "/query", params={"query": "SELECT <script>alert(1)</script>"}).text,
    }
    for name, page in pages.items():
        assert "<script" not in page.lower(), name
        assert not re.search(r"(href|src|action)=['\"]?\s*javascript:", page, re.I), name  # no link runs script
    assert "&lt;script&gt;alert(&#x27;title&#x27;)&lt;/script&gt; &amp; &#x27;x&#x27;</a>" in pages["claim"]
    assert "<blockquote id='quote'>ranks 9th &lt;script&gt;alert(&#x27;quote&#x27;)&lt;/script&gt; in</blockquote>" \
        in pages["claim"]
    assert "href='https://evil.example/a?b=&lt;script&gt;alert(&#x27;url&#x27;)&lt;/script&gt;&amp;c=&#x27;d&#x27;'" \
        in pages["claim"]
    assert "&lt;script&gt;alert(&#x27;title&#x27;)&lt;/script&gt;" in pages["query"]
    assert "<mark>&lt;script&gt;</mark>" in pages["search"]
    rows = json.loads(httpx.get(hostile + "/disputes.json").text)
    assert "ranks 9th <script>alert('quote')</script> in" in [r["quote"] for r in rows]  # data stays data
