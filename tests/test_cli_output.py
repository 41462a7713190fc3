"""Where the commands' results go: the format a file name asks for (and gzip), query results to a file, data on
stdout and messages on stderr."""
import gzip
import json

import pytest
import rdflib

from lithkg.errors import UsageError
from lithkg.rdf import formats

SOURCES = "SELECT ?s WHERE { ?s a lkg:Source } ORDER BY ?s"
CONSTRUCT = "CONSTRUCT { ?s a lkg:Source } WHERE { ?s a lkg:Source }"
RDF_EXTENSIONS = ".ttl, .trig, .nq, .nt, .jsonld, .rdf, .owl"


@pytest.fixture
def ingested(cli, two_versions):
    assert cli("ingest", str(two_versions)).exit_code == 0
    return cli


@pytest.mark.parametrize("name,fmt,compressed", [("kg.nt", "ntriples", False), ("kg.nt.gz", "ntriples", True),
                                                  ("KG.TTL.GZ", "turtle", True), ("kg.trig", "trig", False),
                                                  ("kg", None, False)])
def test_a_file_name_names_its_format_and_gzip(name, fmt, compressed):
    found, gz = formats.for_output(name, "graph", "dataset")
    assert (found.name if found else None, gz) == (fmt, compressed)


@pytest.mark.parametrize("name", ["kg.xyz", "kg.gz", "kg.csv", "kg.xyz.gz"])
def test_a_file_name_that_names_no_format_is_refused(name):
    with pytest.raises(UsageError) as exc:
        formats.for_output(name, "graph", "dataset")
    assert str(exc.value) == (f"cannot tell the format to write from the name '{name}' (end the name in one of "
                              f"{RDF_EXTENSIONS}, and .gz after it for gzip; or give --format)")


def test_export_writes_gzip_when_the_name_ends_in_gz_and_the_same_bytes_twice(ingested, tmp_path):
    plain = ingested("export", "-f", "nt").stdout_bytes
    out = tmp_path / "kg.nt.gz"
    r = ingested("export", "-o", str(out))
    assert r.exit_code == 0 and r.stdout == ""
    assert r.stderr == f"wrote {out} (ntriples, gzip, {out.stat().st_size} bytes)\n"
    assert gzip.decompress(out.read_bytes()) == plain
    first = out.read_bytes()
    assert ingested("export", "-o", str(out)).exit_code == 0 and out.read_bytes() == first  # no time in the header


def test_export_refuses_an_unknown_extension_and_writes_nothing(ingested, tmp_path):
    r = ingested("export", "-o", str(tmp_path / "kg.xyz"))
    assert (r.exit_code, r.stdout) == (2, "")
    assert r.stderr == (f"lithkg: error: cannot tell the format to write from the name '{tmp_path / 'kg.xyz'}' (end "
                        f"the name in one of {RDF_EXTENSIONS}, and .gz after it for gzip; or give --format)\n")
    assert sorted(p.name for p in tmp_path.iterdir()) == ["docs", "store"]


def test_export_format_option_wins_over_the_extension(ingested, tmp_path):
    out = tmp_path / "kg.xyz"
    r = ingested("export", "-f", "nquads", "-o", str(out))
    assert r.exit_code == 0 and r.stderr.startswith(f"wrote {out} (nquads, ")
    assert out.read_bytes() == ingested("export", "-f", "nquads").stdout_bytes


@pytest.mark.parametrize("name,parse", [
    ("r.csv", lambda b: b.decode().splitlines()[0]),
    ("r.tsv", lambda b: b.decode().splitlines()[0]),
    ("r.json", lambda b: json.loads(b)["head"]),
    ("r.srj", lambda b: json.loads(b)["head"]),
    ("r.xml", lambda b: b.decode().split("<head>")[1].split("</head>")[0]),
    ("r.jsonl", lambda b: sorted(json.loads(b.decode().splitlines()[0]))),
    ("r.txt", lambda b: b.decode().splitlines()[0].strip()),
])
def test_query_writes_a_select_result_in_the_format_its_file_names(ingested, tmp_path, name, parse):
    out = tmp_path / name
    r = ingested("query", "-e", SOURCES, "-o", str(out))
    assert r.exit_code == 0 and r.stdout == ""
    fmt = {"r.csv": "sparql-csv", "r.tsv": "sparql-tsv", "r.json": "sparql-json", "r.srj": "sparql-json",
           "r.xml": "sparql-xml", "r.jsonl": "jsonl", "r.txt": "table"}[name]
    assert r.stderr == f"wrote {out} ({fmt}, {out.stat().st_size} bytes)\n"
    expected = {"r.csv": "s", "r.tsv": "?s", "r.json": {"vars": ["s"]}, "r.srj": {"vars": ["s"]},
                "r.xml": '<variable name="s"/>', "r.jsonl": ["s"], "r.txt": "s"}[name]
    assert parse(out.read_bytes()) == expected
    if name != "r.txt":  # the same bytes as on stdout with --format
        short = {"r.srj": "json", "r.json": "json", "r.xml": "xml"}.get(name, name[2:])
        assert out.read_bytes() == ingested("query", "-e", SOURCES, "-f", short).stdout_bytes


def test_query_writes_a_construct_result_as_rdf_and_gzip(ingested, tmp_path):
    out = tmp_path / "r.ttl.gz"
    r = ingested("query", "-e", CONSTRUCT, "-o", str(out))
    assert r.exit_code == 0 and r.stderr.startswith(f"wrote {out} (turtle, gzip, ")
    g = rdflib.Graph().parse(data=gzip.decompress(out.read_bytes()).decode(), format="turtle")
    assert len(g) == 1


def test_query_refuses_a_file_its_result_cannot_be_written_to(ingested, tmp_path):
    r = ingested("query", "-e", SOURCES, "-o", str(tmp_path / "r.ttl"))
    assert r.exit_code == 2
    assert r.stderr == (f"lithkg: error: a SELECT or ASK result is a table: it cannot be written as turtle "
                        f"('{tmp_path / 'r.ttl'}') (end the name in one of .srj, .json, .srx, .xml, .csv, .tsv, "
                        f".jsonl, .txt; or give --format)\n")
    r = ingested("query", "-e", CONSTRUCT, "-o", str(tmp_path / "r.csv"))
    assert r.exit_code == 2 and r.stderr.startswith("lithkg: error: a CONSTRUCT or DESCRIBE result is RDF: it cannot "
                                                    "be written as sparql-csv")
    r = ingested("query", "-e", SOURCES, "-o", str(tmp_path / "r.xyz"))
    assert r.exit_code == 2 and r.stderr.startswith(f"lithkg: error: cannot tell the format to write from the name "
                                                    f"'{tmp_path / 'r.xyz'}'")
    assert sorted(p.name for p in tmp_path.iterdir()) == ["docs", "store"]


def test_query_format_option_with_a_file(ingested, tmp_path):
    out = tmp_path / "sources.out"
    r = ingested("query", "-e", SOURCES, "-f", "csv", "-o", str(out))
    assert r.exit_code == 0
    lines = out.read_text().splitlines()
    assert lines[0] == "s" and len(lines) == 2 and lines[1].startswith("https://w3id.org/lithkg/id/source/")
    r = ingested("query", "-e", "ASK { ?s a lkg:Source }", "-o", str(tmp_path / "a.txt"))
    assert r.exit_code == 0 and (tmp_path / "a.txt").read_text() == "yes\n"


def test_build_prints_data_nowhere_and_its_lines_on_stderr(runner, tmp_path, monkeypatch):
    """build writes files: what it wrote is a message (stderr), like export's; stdout stays empty."""
    from conftest import GRAPH
    import shutil
    from lithkg.cli import main
    graph = tmp_path / "graph"
    shutil.copytree(GRAPH / "sources", graph / "sources")
    shutil.copytree(GRAPH / "claims", graph / "claims")
    monkeypatch.chdir(tmp_path)
    r = runner.invoke(main, ["--store", str(tmp_path / "store"), "build", "--graph-dir", str(graph)],
                      catch_exceptions=False)
    assert r.exit_code == 0, r.stderr
    assert r.stdout == ""
    wrote = [line for line in r.stderr.splitlines() if line.startswith("wrote ")]
    assert [line.rsplit("/", 1)[-1] for line in wrote] == ["kg.jsonld", "kg.nq", "kg.trig", "kg.ttl"]


def test_query_table_lines_up_wide_characters(ingested):
    r = ingested("query", "-e", 'SELECT ?name ?n WHERE { VALUES (?name ?n) { ("日本語" 1) ("Tallinn" 2) ("🚀 e\u0301" 3) } }')
    assert r.exit_code == 0
    assert r.stdout.splitlines() == ["name     n", "-------  -", "日本語   1", "Tallinn  2", "🚀 e\u0301     3"]
