"""Source versions over time: log, diff, retraction, continuation, blame and the three time axes."""
import json

import pytest

from lithkg.errors import UsageError
from lithkg.kg import KnowledgeGraph
from lithkg.model import VersionClaim
from lithkg.versioning.rules import compare

from conftest import write

V1 = """---
url: https://facts.example/page
published: 2021-06-01
---
We rank 4th in the world on the National Cyber Security Index. In 2017, Lithuania was 57th in this ranking.
Lithuania leads an international cyber rapid response team. Over 10,000 students are studying IT in Lithuania.
"""
V2 = """---
url: https://facts.example/page
published: 2022-05-02
---
Lithuania currently ranks 6th globally in the National Cyber Security Index.
Lithuania leads an international cyber rapid response team. Lithuania raised its spending on cyber security by 30%.
"""


@pytest.fixture
def pages(tmp_path, monkeypatch):
    monkeypatch.setenv("LITHKG_EXTRACTORS", "frames")
    return write(tmp_path / "v1.md", V1), write(tmp_path / "v2.md", V2)


def vc(claim, group, value, time=None, start=0):
    return VersionClaim(claim, "d", group, value, None, None, time, "frames", "", start)


def test_compare_pairs_continued_changed_added_retracted():
    old = [vc("a", "rank", "4", start=1), vc("b", "rank", "57", "2017", start=2), vc("c", "count", "10000"),
           vc("e", "date", "1989-08-23")]
    new = [vc("x", "rank", "6", start=1), vc("y", "spend", "30"), vc("z", "date", "1989")]
    cmp = compare(old, new)
    assert [(n.claim, o.claim) for n, o in cmp.changed] == [("x", "a")]
    assert [(n.claim, o.claim) for n, o in cmp.continued] == [("z", "e")]  # the same date at another precision
    assert {c.claim for c in cmp.retracted} == {"b", "c"}
    assert [c.claim for c in cmp.added] == ["y"]


@pytest.mark.parametrize("order", ["in order", "out of order"])
def test_diff_log_and_retraction(store_path, pages, order):
    v1, v2 = pages
    with KnowledgeGraph(store_path) as kg:
        for p in ([v1, v2] if order == "in order" else [v2, v1]):
            kg.ingest([p], record_time="2021-06-02T00:00:00Z" if p == v1 else "2022-05-03T00:00:00Z")
        kg.ingest([v1, v2])  # re-ingesting changes nothing
        log = kg.log("https://facts.example/page")
        assert [(r["version"], r["file"].rsplit("/", 1)[-1]) for r in log] == [(1, "v1.md"), (2, "v2.md")]
        rows = kg.diff("https://facts.example/page")
        changed = [r for r in rows if r["change"] == "changed"]
        assert [(r["old_value"], r["new_value"]) for r in changed] == [(4, 6)]
        assert changed[0]["old_quote"].startswith("rank 4th") and "6th" in changed[0]["new_quote"]
        assert {r["old_value"] for r in rows if r["change"] == "no longer stated"} == {57, 10000}
        assert {r["new_value"] for r in rows if r["change"] == "added"} == {30}
        statuses = {(r["value"], r["status"]) for r in kg.claims() if r["property_label"] == "rank"}
        assert statuses == {(4, "updated"), (57, "no longer stated"), (6, "preferred")}
        assert len(kg.claims()) == 7  # 4 + 3, and no duplicates after re-ingest


def test_time_travel_on_three_axes(store_path, pages):
    v1, v2 = pages
    with KnowledgeGraph(store_path) as kg:
        kg.ingest([v1], record_time="2021-06-02T00:00:00Z")
        kg.ingest([v2], record_time="2022-05-03T00:00:00Z")
        then = kg.claims(as_of="2021-12-31")
        assert {r["source"].rsplit("/", 1)[-1] for r in then} == {"v1.md"}
        assert {(r["value"], r["status"]) for r in then if r["property_label"] == "rank"} == \
            {(4, "preferred"), (57, "updated")}  # not yet retracted then
        assert [r["value"] for r in kg.claims(valid_at="2017-05-01")] == [57]
        assert {r["source"].rsplit("/", 1)[-1] for r in kg.claims(source_date_before="2022-01-01")} == {"v1.md"}
        assert kg.claims(as_of="2021-12-31", valid_at="2022-01-01") == []


def test_blame_follows_continued_claims(store_path, pages):
    v1, v2 = pages
    with KnowledgeGraph(store_path) as kg:
        kg.ingest([v1, v2])
        lead = next(r for r in kg.claims() if r["property_label"] == "leads" and r["source"].endswith("v2.md"))
        chain = kg.blame(lead["id"])
        assert [r["source"].rsplit("/", 1)[-1] for r in chain] == ["v1.md", "v2.md"]
        assert [r["version"] for r in chain] == [1, 2]
        with pytest.raises(UsageError, match="no claim"):
            kg.blame("https://w3id.org/lithkg/id/claim/none")


def test_cli_log_diff_blame(cli, pages):
    v1, v2 = pages
    assert cli("ingest", str(v1)).exit_code == 0 and cli("ingest", str(v2)).exit_code == 0
    out = cli("diff", "https://facts.example/page")
    assert out.exit_code == 0
    assert "~ Lithuania / rank / index: National Cyber Security Index: 4 -> 6" in out.stdout
    assert out.stderr.strip() == "1 changed, 2 no longer stated, 1 added"
    lines = [json.loads(x) for x in cli("diff", "https://facts.example/page", "-f", "jsonl").stdout.splitlines()]
    assert {"change", "group", "old_value", "new_value", "old_quote", "new_quote"} <= set(lines[0])
    patch = cli("diff", "https://facts.example/page", "-f", "patch").stdout
    import rdflib
    ds = rdflib.Dataset()
    ds.parse(data=patch, format="trig")
    names = {str(g.identifier).rsplit("/", 1)[-1] for g in ds.graphs()}
    assert {"removed", "added"} <= names
    log = cli("log", "-f", "csv").stdout.splitlines()
    assert log[0] == "id,source_key,version,file,source_date,record_time,claims" and len(log) == 3
    r = cli("diff", "https://nowhere.example/")
    assert (r.exit_code, r.stderr) == (2, "lithkg: error: no source 'https://nowhere.example/' in the store"
                                          " (see 'lithkg log')\n")


def test_stale_claims_an_editor_fixes_first(store_path, tmp_path, monkeypatch):
    monkeypatch.setenv("LITHKG_EXTRACTORS", "frames")
    page = write(tmp_path / "page.md", "---\nurl: https://city.example/about\npublished: 2021-03-01\n---\n"
                 "Riga currently has 605,000 residents. Riga ranks 3rd in the National Cyber Security Index.\n")
    news = write(tmp_path / "news.md", "---\nurl: https://news.example/a\npublished: 2023-02-01\n---\n"
                 "In 2023, Riga ranks 2nd in the National Cyber Security Index.\n")
    with KnowledgeGraph(store_path) as kg:
        kg.ingest([page, news])
        rows = {r["value"]: r["reason"] for r in kg.stale(older_than="2y", now="2024-06-01")}
        assert rows[605000] == "presented as current, but its time is 2021, older than 2y"
        assert "updated by 2 (2023) in" in rows[3]
        assert 2 not in rows  # the newer figure is not stale
        assert kg.stale(older_than="5y", now="2024-06-01") == [r for r in kg.stale(older_than="5y", now="2024-06-01")
                                                             if "updated by" in r["reason"]]
        with pytest.raises(UsageError, match="'soon' is not an age"):
            kg.stale(older_than="soon")


def test_rank_overrides_are_kept_and_followed(kg, two_versions):
    kg.ingest([two_versions])
    four = next(r for r in kg.claims() if r["value"] == 4)
    r = kg.set_rank(four["id"], "preferred", reason="the 2022 figure is not yet confirmed", by="editor",
                    at="2022-06-01T00:00:00Z")
    assert (r["by"], r["rank"]) == ("editor", "preferred")
    statuses = {x["value"]: x["status"] for x in kg.claims()}
    assert statuses[4] == "preferred" and statuses[6] != "preferred"
    reason = kg.store.select("SELECT ?c ?r WHERE { ?g lkg:preferredClaim ?c ; lkg:reason ?r }",
                             substitutions={__import__("pyoxigraph").Variable("c"): __import__("pyoxigraph").NamedNode(four["id"])})
    assert reason[0]["r"].value == "preferred by a person: the 2022 figure is not yet confirmed"
    kg.set_rank(four["id"], "deprecated", reason="confirmed after all", by="editor", at="2022-07-01T00:00:00Z")
    statuses = {x["value"]: x["status"] for x in kg.claims()}
    assert statuses[4] == "deprecated" and statuses[6] == "preferred"
    records = kg.store.select("SELECT ?o WHERE { ?o a lkg:RankOverride }")
    assert len(records) == 2  # both records kept
    with pytest.raises(UsageError, match="needs a reason"):
        kg.set_rank(four["id"], "preferred", reason=" ")
    assert kg.validate().conforms
