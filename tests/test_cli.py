import json
import re
import subprocess
import sys

import click
import pytest
import rdflib

from lithkg.cli import main

from conftest import ROOT, write


def test_version_and_help(runner):
    assert runner.invoke(main, ["--version"]).output == "lithkg, version 0.1.0\n"
    result = runner.invoke(main, ["--help"])
    assert result.exit_code == 0 and "claim-versioning knowledge graph" in result.output


def test_every_command_has_help_and_a_docs_entry(runner):
    docs = [ROOT / "README.md", *sorted((ROOT / "docs").glob("*.md"))]
    text = "\n".join(p.read_text(encoding="utf-8") for p in docs)
    for name, command in main.commands.items():
        assert command.help and len(command.help.strip()) > 20, name
        result = runner.invoke(main, [name, "--help"])
        assert result.exit_code == 0 and "Usage: main" in result.output or "Usage:" in result.output
        assert re.search(rf"`lithkg {name}\b", text), f"neither README.md nor docs/*.md has an entry for 'lithkg {name}'"


def test_ingest_claims_conflicts_end_to_end(cli, two_versions):
    r = cli("ingest", str(two_versions))
    assert r.exit_code == 0, r.output
    assert "[1/2]" in r.stderr and "2 document(s): 2 added, 0 updated, 0 unchanged; 3 claim(s)" in r.stderr
    lines = cli("claims", "--format", "jsonl").stdout.splitlines()
    rows = [json.loads(x) for x in lines]
    assert sorted(r["value"] for r in rows) == [4, 6, 57]
    out = cli("conflicts").stdout
    assert out.splitlines()[0] == "Lithuania / rank / index: National Cyber Security Index  [changed over time]  " \
                                  "group c44a8f4dfaf7b6cc6275"
    assert "why preferred: the latest valid time (2022)" in out
    assert "why updated: updated by 6 (2022) in " in out
    assert "p2022.md: a later valid time (2022 after 2021) and a different value (6 instead of 4)" in out
    assert "why no longer stated: a newer version of its source no longer states it" in out


def test_store_option_after_the_command(runner, two_versions, tmp_path):
    store = tmp_path / "elsewhere"
    r = runner.invoke(main, ["ingest", "--store", str(store), str(two_versions)])
    assert r.exit_code == 0, r.output
    r = runner.invoke(main, ["claims", "--store", str(store), "-f", "csv"])
    assert r.stdout.splitlines()[0] == "id,subject_label,property_label,value,unit,bound,time,qualifiers,source,status," \
                                       "quote"
    assert len(r.stdout.splitlines()) == 4


def test_store_from_environment(runner, two_versions, tmp_path, monkeypatch):
    monkeypatch.setenv("LITHKG_STORE", str(tmp_path / "envstore"))
    assert runner.invoke(main, ["ingest", str(two_versions)]).exit_code == 0
    assert (tmp_path / "envstore").is_dir()


def test_history_and_filters(cli, two_versions):
    cli("ingest", str(two_versions))
    rows = json.loads(cli("history", "Lithuania", "rank", "-f", "json").stdout)
    assert [(r["time"], r["value"]) for r in rows] == [("2017", 57), ("2021", 4), ("2022", 6)]
    rows = [json.loads(x) for x in cli("claims", "--status", "preferred", "-f", "jsonl").stdout.splitlines()]
    assert [r["value"] for r in rows] == [6]
    r = cli("history", "Lithuania", "valuation")
    assert r.exit_code == 2 and r.stderr == "lithkg: error: no claims about 'Lithuania' / 'valuation'\n"


def test_query_named_file_expression_and_params(cli, two_versions, tmp_path):
    cli("ingest", str(two_versions))
    listing = cli("query", "--list").stdout
    assert "conflicts" in listing and "subject:iri" in listing
    r = cli("query", "conflicts", "-f", "csv")
    assert r.exit_code == 0 and r.stdout.count("\n") == 4
    rq = write(tmp_path / "q.rq", "SELECT ?v WHERE { ?c lkg:value ?v } ORDER BY ?v")
    assert cli("query", str(rq), "-f", "tsv").stdout.split() == ["?v", "4", "6", "57"]
    r = cli("query", "-e", "SELECT ?s ?v WHERE { ?s ldt:rank ?v }", "--param", "s=lke:lithuania", "-f", "json")
    assert json.loads(r.stdout)["results"]["bindings"][0]["v"]["value"] == "6"
    r = cli("query", "-e", "ASK { ?c a lkg:Claim }")
    assert r.stdout == "yes\n"
    r = cli("query", "-e", "CONSTRUCT { ?e ldt:rank ?v } WHERE { ?e ldt:rank ?v }", "-f", "ntriples")
    assert r.stdout == '<https://w3id.org/lithkg/id/entity/lithuania> <https://w3id.org/lithkg/prop/direct/rank> ' \
                       '"6"^^<http://www.w3.org/2001/XMLSchema#integer> .\n'


@pytest.mark.parametrize("args,code,message", [
    (["query", "-e", "SELECT ?x WHERE { ?x ?y }"], 5,
     "lithkg: error: query:1:26: SPARQL syntax error: expected one of LATERAL, SERVICE, [_] (fix the query)\n"),
    (["query", "-e", "SELECT * WHERE { SERVICE <http://127.0.0.1:9/> { ?s ?p ?o } }"], 5,
     "lithkg: error: SERVICE is refused: lithkg does not send queries to other servers (query the other endpoint"
     " yourself)\n"),
    (["query", "nosuch"], 2, "lithkg: error: no named query or file 'nosuch' (see 'lithkg query --list')\n"),
    (["query"], 2, "lithkg: error: give a query name, a .rq file or -e 'QUERY' (one of them) (see 'lithkg query"
                   " --list')\n"),
    (["query", "history", "--param", "subject"], 2, "lithkg: error: --param 'subject' is not NAME=VALUE\n"),
    (["export", "-f", "yaml"], 2, "lithkg: error: unknown format 'yaml' (use one of: turtle, trig, nquads, ntriples,"
                                  " json-ld, rdf-xml)\n"),
    (["claims", "-f", "xml"], 2, "lithkg: error: unknown format 'xml' (use one of: table, csv, tsv, json, jsonl)\n"),
    (["--base", "kg.example.org/id", "claims"], 2, "lithkg: error: --base: 'kg.example.org/id' is not a usable base"
     " for IRIs (give an absolute http(s) IRI ending in '/', such as https://kg.example.org/id/)\n"),
    (["history", "Atlantis", "rank"], 2, "lithkg: error: unknown entity 'Atlantis' (use a label or alias from"
                                         " ontology/entities.ttl, or an IRI)\n"),
])
def test_errors_are_one_line_with_exit_codes(cli, two_versions, args, code, message):
    cli("ingest", str(two_versions))
    r = cli(*args)
    assert (r.exit_code, r.stderr) == (code, message)


@pytest.mark.parametrize("name,data,code,message", [
    ("empty.md", b"", 4, "lithkg: error: {dir}/empty.md: the document is empty (give a file with text in it)\n"),
    ("bin.txt", b"\x00\x01\x02", 4, "lithkg: error: {dir}/bin.txt: the file is binary, not text (give a .txt, .md or"
                                    " .html document)\n"),
    ("latin.txt", "café".encode("latin-1"), 4, "lithkg: error: {dir}/latin.txt:1: the text is not UTF-8 (byte 3)"
                                               " (convert it to UTF-8, e.g. with iconv)\n"),
    ("fm.md", b"---\npublished: [\n---\nx", 4, "lithkg: error: {dir}/fm.md:3: front matter is not valid YAML:"
                                               " expected the node content, but found '<stream end>'"
                                               " (fix the YAML between the --- lines)\n"),
    ("c.yaml", b"document: doc.md\nclaims:\n  - {subject: Lithuania, property: rank, value: 1, quote: nope}\n", 4,
     "lithkg: error: {dir}/c.yaml:3: quote not found in {dir}/doc.md: \"nope\" (copy the exact text of the"
     " document)\n"),
    ("c.yaml", b"document: doc.md\nclaims:\n  - {subject: Lithuania, property: rank, value: x1, quote: Text}\n", 4,
     "lithkg: error: {dir}/c.yaml:3: value 'x1' does not parse as a number for property 'rank' (write a plain"
     " number such as 508, 0.06 or 1600000000)\n"),
    ("c.yaml", b"document: doc.md\nclaims:\n  - {subject: Lithuania, property: colour, value: 1, quote: Text}\n", 4,
     "lithkg: error: {dir}/c.yaml:3: unknown property 'colour' (add it to ontology/frames.ttl or use a known"
     " property)\n"),
])
def test_bad_input_is_refused_and_nothing_is_written(runner, tmp_path, name, data, code, message, monkeypatch):
    monkeypatch.chdir(tmp_path)
    folder = tmp_path / "in"
    write(folder / "doc.md", "Text of 2022.\n")
    (folder / name).write_bytes(data)
    store = tmp_path / "store"
    r = runner.invoke(main, ["--store", str(store), "ingest", str(folder)])
    assert (r.exit_code, r.stderr) == (code, message.format(dir="in"))
    assert not store.exists() or runner.invoke(main, ["--store", str(store), "stats", "-f", "json"]).stdout.count(
        '"claims": 0') == 1


def test_a_held_store_refuses_a_second_writer_and_serves_readers(cli, two_versions, store_path):
    cli("ingest", str(two_versions))
    code = f"import pyoxigraph, time; s = pyoxigraph.Store({str(store_path)!r}); print('held', flush=True); time.sleep(30)"
    holder = subprocess.Popen([sys.executable, "-c", code], stdout=subprocess.PIPE, text=True)
    try:
        assert holder.stdout.readline().strip() == "held"
        for reader in (["claims", "-f", "jsonl"], ["stats"], ["conflicts"], ["check", "--no-shacl"]):
            assert cli(*reader).exit_code == 0, reader   # readers open the store read-only and never wait
        assert len(cli("claims", "-f", "jsonl").stdout.splitlines()) == 3
        r = cli("ingest", str(two_versions))
        assert r.exit_code == 6
        assert r.stderr == f"lithkg: error: {store_path}: the store is in use by another process (wait for it to" \
                           f" finish, or use another --store)\n"
    finally:
        holder.kill()
        holder.wait()


def test_export_to_file_and_stdout(cli, two_versions, tmp_path):
    cli("ingest", str(two_versions))
    out = tmp_path / "kg.jsonld"
    r = cli("export", "-o", str(out))
    assert r.exit_code == 0 and r.stderr.startswith(f"wrote {out} (json-ld, ")
    g = rdflib.Graph().parse(out, format="json-ld")
    stdout = cli("export", "-f", "nt").stdout_bytes
    assert len(g) == len(rdflib.Graph().parse(data=stdout.decode(), format="nt"))
    assert cli("export", "-f", "nt").stdout_bytes == stdout


def test_validate_and_stats(cli, two_versions):
    cli("ingest", str(two_versions))
    r = cli("validate")
    assert r.exit_code == 0
    assert r.stderr.splitlines() == ["[1/2] read 3112 statements for SHACL validation",
                                     "[2/2] validated against the SHACL shapes", "the store conforms to the SHACL shapes"]
    stats = json.loads(cli("stats", "-f", "json").stdout)
    assert (stats["sources"], stats["document_versions"], stats["claims"], stats["claim_groups"]) == (1, 2, 3, 1)


def test_validate_finds_problems_with_exit_3(cli, two_versions, store_path):
    cli("ingest", str(two_versions))
    import pyoxigraph as ox
    s = ox.Store(str(store_path))
    s.update("DELETE { GRAPH ?g { ?c <https://w3id.org/lithkg/ns#group> ?grp } } WHERE { GRAPH ?g { ?c "
             "<https://w3id.org/lithkg/ns#group> ?grp } }")
    del s
    r = cli("validate", "-f", "csv")
    assert r.exit_code == 3
    assert r.stderr.splitlines()[-1].startswith("lithkg: the store does not conform: ")
    assert "lkg:group" in r.stdout or "ns#group" in r.stdout


def test_stdin_ingest(cli):
    r = cli("ingest", "-", "--source", "https://pipe.example/x", "--published", "2020-01-02", input="Piped text 2020.")
    assert r.exit_code == 0 and r.stdout.startswith("added     -  0 claim(s)")


def test_only_the_cli_package_imports_click():
    cli_package = ROOT / "lithkg" / "cli"
    importers = {path for path in (ROOT / "lithkg").rglob("*.py") if "import click" in path.read_text()}
    assert importers and all(cli_package in path.parents for path in importers), sorted(map(str, importers))
    assert click  # the CLI's own dependency is importable


def test_base_option_mints_under_it_and_a_store_keeps_its_base(cli, two_versions, store_path):
    r = cli("--base", "https://kg.example.org/id/", "ingest", str(two_versions))
    assert r.exit_code == 0, r.stderr
    rows = [json.loads(line) for line in cli("claims", "--format", "jsonl").stdout.splitlines()]
    assert rows and all(row["id"].startswith("https://kg.example.org/id/claim/") for row in rows)
    r = cli("--base", "https://elsewhere.example/id/", "claims")
    assert (r.exit_code, r.stderr) == (2, f"lithkg: error: the store {store_path} mints IRIs under "
                                          "https://kg.example.org/id/, not https://elsewhere.example/id/ (drop the "
                                          "base setting to use the store's, or build a new store)\n")


def test_graph_disputes_writes_graphml_that_loads_back(runner, built_store, tmp_path):
    import networkx as nx
    out = tmp_path / "d.graphml"
    r = runner.invoke(main, ["--store", str(built_store), "graph", "disputes", "-o", str(out)])
    assert r.exit_code == 0, r.stderr
    assert r.stdout.splitlines()[1:3] == [
        "2 dispute(s) (components with a conflict), most sources first:",
        "  Baltic Way / participants: 3 source(s), values > 1,000,000, ~ 1,000,000, ~ 2,000,000, spread 0.5"]
    assert r.stderr.startswith(f"wrote {out} (graphml, ")
    g = nx.read_graphml(out)
    disputed = [c for c in nx.connected_components(g)
                if any(g.edges[e]["kind"] == "conflicts" for e in g.subgraph(c).edges)]
    assert sorted({g.nodes[n]["group_label"] for c in disputed for n in c}) == \
        ["Baltic Way / participants", "Lithuania / rank / index: National Cyber Security Index"]


def test_graph_to_stdout_keeps_the_summary_on_stderr(runner, built_store):
    r = runner.invoke(main, ["--store", str(built_store), "graph", "lineage", "-o", "-", "-f", "json"])
    assert r.exit_code == 0 and json.loads(r.stdout)["directed"] is True
    assert r.stderr.startswith("lineage: 6 node(s), 1 edge(s)")
    r = runner.invoke(main, ["--store", str(built_store), "graph", "sources", "-f", "dot"])
    assert (r.exit_code, r.stderr) == (2, "lithkg: error: --format needs --output (add -o FILE, or -o - for stdout)\n")


def test_plot_of_the_cyber_index_group_shows_each_value_with_its_source(runner, built_store, tmp_path):
    import re
    out = tmp_path / "cyber.svg"
    r = runner.invoke(main, ["--store", str(built_store), "plot", "cyber security index", "-o", str(out)])
    assert r.exit_code == 0, r.stderr
    assert r.stdout.splitlines()[0] == "Lithuania / rank / index: National Cyber Security Index:"
    assert "    57th (2017) graph/sources/official-page-2021.md [no longer stated]" in r.stdout
    assert "  * 5th (2022) graph/sources/cyber-index-news-2022.md [conflicting]" in r.stdout  # preferred, and conflicting
    shown = " ".join(re.findall(r"<text[^>]*>([^<]*)</text>", out.read_text()))
    for expected in ("57th (2017), no longer stated", "4th (2021)", "6th (2022)", "★ 5th (2022)", "official-page-2021.md",
                     "official-page-2022.md", "cyber-index-news-2022.md"):
        assert expected in shown, expected
    png = tmp_path / "cyber.png"
    assert runner.invoke(main, ["--store", str(built_store), "plot", "cyber security index", "-o", str(png)]).exit_code == 0
    assert png.read_bytes()[:4] == b"\x89PNG"
    r = runner.invoke(main, ["--store", str(built_store), "plot", "--disputes", "-o", str(tmp_path / "d.png")])
    assert r.exit_code == 0 and r.stderr.startswith(f"wrote {tmp_path / 'd.png'} (png, ")


@pytest.mark.parametrize("args,code,message", [
    (["plot", "rank", "-o", "x.png"], 2, "lithkg: error: 2 claim groups match 'rank': Lithuania / rank / index: "
     "Henley Passport Index; Lithuania / rank / index: National Cyber Security Index (add words to pick one)\n"),
    (["plot", "-o", "x.png"], 2, "lithkg: error: give a GROUP or --disputes (one of them) (see 'lithkg conflicts' "
     "for groups)\n"),
    (["plot", "dragons", "-o", "x.png"], 2, "lithkg: error: no claim group matches 'dragons' (give words of a "
     "group label as 'lithkg conflicts' shows it, or a group's id)\n"),
])
def test_plot_errors(runner, built_store, tmp_path, monkeypatch, args, code, message):
    monkeypatch.chdir(tmp_path)
    r = runner.invoke(main, ["--store", str(built_store), *args])
    assert (r.exit_code, r.stderr) == (code, message)
    assert not (tmp_path / "x.png").exists()


def test_plot_without_matplotlib_says_what_to_install(runner, built_store, tmp_path, monkeypatch):
    monkeypatch.setitem(sys.modules, "matplotlib.figure", None)
    r = runner.invoke(main, ["--store", str(built_store), "plot", "cyber security", "-o", str(tmp_path / "x.png")])
    assert (r.exit_code, r.stderr) == (8, "lithkg: error: plotting needs matplotlib, which is not installed "
                                          "(pip install 'lithkg[plot]')\n")
