"""Short ids: a claim, group or document is named by its IRI, by the hash its IRI ends with, or by a unique prefix of
that of at least 6 characters, everywhere one is named (blame, rank, plot, diff, log, claims --source, the facade, the
query parameters and the server's pages); the tables of claims, history, conflicts and log show the id."""
import json

import pyoxigraph as ox
import pytest

from lithkg.errors import UsageError
from lithkg.kg import KnowledgeGraph
from lithkg.web import browse, server

BASE = "https://w3id.org/lithkg/id/"


def short(iri: str) -> str:
    return iri.rsplit("/", 1)[-1]


@pytest.fixture
def ingested(cli, two_versions):
    assert cli("ingest", str(two_versions)).exit_code == 0
    return {r["value"]: r for r in map(json.loads, cli("claims", "-f", "jsonl").stdout.splitlines())}


def test_blame_takes_the_short_id_or_a_prefix_of_it(cli, ingested):
    six = ingested[6]["id"]
    whole = cli("blame", six)
    assert whole.exit_code == 0 and "ranks 6th in the National Cyber Security Index" in whole.stdout
    for ref in (short(six), short(six)[:6], short(six)[:10].upper(), "claim/" + short(six)[:8], f"<{six}>"):
        r = cli("blame", ref)
        assert (r.exit_code, r.stdout) == (0, whole.stdout), ref


@pytest.mark.parametrize("ref,message", [
    ("c0ffee", "no claim 'c0ffee' in the store (see 'lithkg claims' for ids)"),
    ("nothing", "no claim 'nothing' in the store (see 'lithkg claims' for ids)"),
    (BASE + "claim/none", f"no claim '{BASE}claim/none' in the store (see 'lithkg claims' for ids)"),
    ("abc1", "'abc1' is too short for a claim id (give at least 6 of its characters)"),
])
def test_an_unknown_or_too_short_claim_id_is_refused_in_one_line(cli, ingested, ref, message):
    for args in (("blame", ref), ("rank", ref, "preferred", "--reason", "checked")):
        r = cli(*args)
        assert (r.exit_code, r.stdout, r.stderr) == (2, "", f"lithkg: error: {message}\n"), args


def test_an_ambiguous_prefix_is_refused_and_more_characters_pick_one(cli, ingested, store_path):
    six = short(ingested[6]["id"])
    twin = f"{BASE}claim/{six[:8]}ffffffffffff"  # a second claim whose id starts with the same 8 characters
    store = ox.Store(str(store_path))
    store.add(ox.Quad(ox.NamedNode(twin), ox.NamedNode("http://www.w3.org/1999/02/22-rdf-syntax-ns#type"),
                      ox.NamedNode("https://w3id.org/lithkg/ns#Claim"), ox.NamedNode(BASE + "test")))
    store.flush()
    del store
    r = cli("blame", six[:8])
    assert (r.exit_code, r.stderr) == (2, f"lithkg: error: '{six[:8]}' names 2 claims (give more characters)\n")
    assert cli("blame", six[:9]).exit_code == 0
    with KnowledgeGraph(store_path, read_only=True) as kg:
        assert kg.session.match_ids("claim", six[:8]) == sorted([BASE + "claim/" + six, twin])
        with pytest.raises(UsageError, match=f"'{six[:6]}' names 2 claims"):
            kg.resolve_id("claim", six[:6])


def test_rank_takes_a_short_id_and_says_the_whole_iri(cli, ingested):
    four = ingested[4]["id"]
    r = cli("rank", short(four)[:7], "preferred", "--reason", "confirmed", "--by", "editor")
    assert r.exit_code == 0 and r.stdout.startswith(f"preferred: {four} (by editor at ")
    statuses = {x["value"]: x["status"] for x in map(json.loads, cli("claims", "-f", "jsonl").stdout.splitlines())}
    assert statuses[4] == "preferred" and statuses[6] != "preferred"


def test_plot_takes_a_group_id_or_one_of_its_claims(cli, ingested, tmp_path):
    label = "Lithuania / rank / index: National Cyber Security Index:"
    group = ingested[6]["group"]
    for ref in (group, short(group), short(group)[:6], short(ingested[4]["id"])[:8]):
        r = cli("plot", ref, "-o", str(tmp_path / "g.svg"))
        assert r.exit_code == 0 and r.stdout.splitlines()[0] == label, (ref, r.stderr)
    r = cli("plot", "group/" + short(group)[:3], "-o", str(tmp_path / "x.svg"))
    assert (r.exit_code, r.stderr) == (2, f"lithkg: error: no claim group matches 'group/{short(group)[:3]}' (give "
                                          "words of a group label as 'lithkg conflicts' shows it, or a group's id)\n")


def test_diff_and_log_take_document_ids(cli, ingested):
    docs = json.loads(cli("log", "-f", "json").stdout)
    old, new = (d["document"] for d in docs)
    by_source = cli("diff", "https://facts.example/page")
    by_ids = cli("diff", short(old)[:6], short(new))
    assert (by_ids.exit_code, by_ids.stdout, by_ids.stderr) == (0, by_source.stdout, by_source.stderr)
    assert cli("log", short(new)[:8], "-f", "json").stdout == cli("log", "-f", "json").stdout
    r = cli("diff", "c0ffee", short(new))
    assert (r.exit_code, r.stderr) == (2, "lithkg: error: no document version 'c0ffee' in the store (give a document "
                                          "id or file name from 'lithkg log')\n")
    rows = [json.loads(x) for x in cli("claims", "--source", short(old)[:6], "-f", "jsonl").stdout.splitlines()]
    assert sorted(r["value"] for r in rows) == [4, 57] and {r["document"] for r in rows} == {old}


def test_the_tables_have_an_id_column_and_json_keeps_the_iri(cli, ingested):
    ids = {short(r["id"]) for r in ingested.values()}
    table = cli("claims").stdout.splitlines()
    assert table[0].split()[:3] == ["id", "subject_label", "property_label"]
    assert {line.split()[0] for line in table[2:]} == ids
    for fmt, sep in (("csv", ","), ("tsv", "\t")):
        lines = cli("claims", "-f", fmt).stdout.splitlines()
        assert lines[0].split(sep)[0] == "id" and {x.split(sep)[0] for x in lines[1:]} == ids
    assert {r["id"] for r in ingested.values()} == {BASE + "claim/" + i for i in ids}  # JSON: the whole IRI
    history = cli("history", "Lithuania", "rank", "-f", "csv").stdout.splitlines()
    assert history[0] == ("id,group_label,time,value,unit,bound,status,relation_to_previous,source,source_date,"
                          "quote")
    assert [x.split(",")[0] for x in history[1:]] == [short(ingested[v]["id"]) for v in (57, 4, 6)]
    conflicts = cli("conflicts", "-f", "csv").stdout.splitlines()
    assert conflicts[0].startswith("id,group,group_label,") and len(conflicts) == 4
    assert {x.split(",")[0] for x in conflicts[1:]} == ids
    assert {r["claim"] for r in json.loads(cli("conflicts", "-f", "json").stdout)} == {r["id"] for r in
                                                                                      ingested.values()}
    text = cli("conflicts").stdout.splitlines()
    group = short(ingested[6]["group"])
    assert text[0] == f"Lithuania / rank / index: National Cyber Security Index  [changed over time]  group {group}"
    assert text[1].startswith(f"  * {short(ingested[6]['id'])}  ") and text[1].split()[2:4] == ["6", "2022"]
    log = cli("log").stdout.splitlines()
    assert log[0].split()[:2] == ["id", "source_key"] and len(log[2].split()[0]) == 20


def test_query_parameters_and_the_facade_take_short_ids(cli, ingested, store_path):
    six = ingested[6]["id"]
    r = cli("query", "blame", "--param", f"claim={short(six)[:8]}", "-f", "csv")
    assert r.exit_code == 0 and six in r.stdout
    r = cli("query", "blame", "--param", "claim=abc1")
    assert (r.exit_code, r.stderr) == (2, "lithkg: error: parameter 'claim': 'abc1' is too short for a claim id "
                                          "(give at least 6 of its characters)\n")
    with KnowledgeGraph(store_path) as kg:
        assert kg.blame(short(six)[:6]) == kg.blame(six)
        assert kg.find_group(short(six)) == ingested[6]["group"]
        assert kg.group_label(short(ingested[6]["group"])[:6])[0] == \
            "Lithuania / rank / index: National Cyber Security Index"
        assert [r["id"] for r in kg.claims(group=short(ingested[6]["group"]))] == \
            [r["id"] for r in kg.claims(group=ingested[6]["group"])]
        doc = ingested[6]["document"]
        assert kg.resolve_id("document", "doc/" + short(doc)[:6]) == doc
        with pytest.raises(UsageError, match="no group 'c0ffee' in the store"):
            kg.resolve_id("group", "c0ffee")
        assert kg.set_rank(short(six)[:8], "deprecated", reason="a misprint")["claim"] == six


def test_the_pages_take_short_ids(cli, ingested, store_path):
    six = ingested[6]
    with KnowledgeGraph(store_path, read_only=True) as kg:
        status, media, body = server.describe_task(kg.session, "claim/" + short(six["id"])[:6], "text/html")
        assert status == 200 and "<h1>Lithuania · rank: 6th" in body.decode()  # the page of the claim it names
        assert f"{six['id']}#evidence" in body.decode()
        status, _, body = server.describe_task(kg.session, "group/" + short(six["group"])[:8], "text/turtle")
        assert status == 200 and short(six["group"]) in body.decode()
        status, _, body = server.describe_task(kg.session, "claim/c0ffee", "text/html")
        assert (status, body) == (404, f"nothing is known about <{BASE}claim/c0ffee>\n".encode())
        status, _, body = server.page_task(kg.session, "source", {"doc": short(six["document"])[:6]})
        assert status == 200 and "ranks 6th in the National Cyber Security Index" in body.decode()
        status, _, body = browse.disputes(kg.session, {})
        assert f"<a class='id' href='/id/group/{short(six['group'])}'" in body.decode()
        assert f"<a class='id' href='/id/claim/{short(six['id'])}'" in body.decode()
