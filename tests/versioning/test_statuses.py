"""Each status rule end to end: a small pair (or three) of documents written for it, read by the automatic
extractor into a real store, then the claims, conflicts and stale listings asserted (docs/architecture.md,
"Statuses")."""
from __future__ import annotations

import json

import pytest

from lithkg.kg import KnowledgeGraph
from tests.conftest import write


@pytest.fixture(autouse=True)
def _frames(monkeypatch):
    monkeypatch.setenv("LITHKG_EXTRACTORS", "frames")


def doc(folder, name: str, url: str, published: str, text: str):
    return write(folder / name, f"---\nurl: {url}\npublished: {published}\n---\n{text}\n")


def by_value(kg, prop: str) -> dict:
    return {r["value"]: r for r in kg.claims() if r["property_label"] == prop}


def group_rows(kg, label: str) -> list[dict]:
    return [r for r in kg.conflicts() if r["group_label"] == label]


def test_the_same_figure_corroborates_and_overlapping_figures_are_compatible(tmp_path, store_path):
    a = doc(tmp_path, "a.md", "https://a.example/baltic", "2019-08-23",
            "The Baltic Way in 1989 drew more than a million people.")
    b = doc(tmp_path, "b.md", "https://b.example/baltic", "2020-08-23",
            "The Baltic Way in 1989 drew about two million people.")
    c = doc(tmp_path, "c.md", "https://c.example/baltic", "2021-08-23",
            "The Baltic Way in 1989 drew over a million people.")
    with KnowledgeGraph(store_path) as kg:
        kg.ingest([a, b, c])
        claims = {r["source"].rsplit("/", 1)[-1]: r for r in kg.claims() if r["property_label"] == "participants"}
        assert {k: r["status"] for k, r in claims.items()} == {"a.md": "corroborated", "b.md": "compatible",
                                                               "c.md": "preferred"}
        assert claims["b.md"]["status_reason"].startswith(
            "different figures whose bounds overlap (about 2,000,000 and more than 1,000,000): compatible, not the same "
            "figure, against the preferred claim (more than 1,000,000 (1989) in ")
        rows = group_rows(kg, "Baltic Way / participants")
        assert {r["verdict"] for r in rows} == {"different figures"} and not any(r["disputed"] for r in rows)
        assert all(r["conflicts_with"] == [] for r in rows)


def test_a_figure_within_the_texts_rounding_corroborates(tmp_path, store_path):
    a = doc(tmp_path, "a.md", "https://a.example/nord", "2022-04-12",
            "In April 2022 Nord Security reached a valuation of $1.6 billion.")
    b = doc(tmp_path, "b.md", "https://b.example/nord", "2022-04-13",
            "In April 2022 Nord Security reached a valuation of $1,552 million.")
    with KnowledgeGraph(store_path) as kg:
        kg.ingest([a, b])
        statuses = {r["value"]: r["status"] for r in kg.claims() if r["property_label"] == "valuation"}
        assert statuses == {1600000000: "corroborated", 1552000000: "preferred"}
        assert [r for r in kg.conflicts() if r["group_label"].startswith("Nord Security / valuation")] == []


def test_two_sources_that_disagree_stay_conflicting_after_a_third_version(tmp_path, store_path):
    v1 = doc(tmp_path, "v1.md", "https://city.example/about", "2021-03-01",
             "In 2021 Riga ranked 2nd in the National Cyber Security Index.")
    other = doc(tmp_path, "news.md", "https://news.example/riga", "2021-06-01",
                "In 2021 Riga ranked 3rd in the National Cyber Security Index.")
    v2 = doc(tmp_path, "v2.md", "https://city.example/about", "2022-03-01",
             "In 2021 Riga ranked 2nd in the National Cyber Security Index.")
    v3 = doc(tmp_path, "v3.md", "https://city.example/about", "2023-03-01",
             "In 2021 Riga ranked 2nd in the National Cyber Security Index. "
             "In 2023 Riga ranks 1st in the National Cyber Security Index.")
    with KnowledgeGraph(store_path) as kg:
        for d in (v1, other, v2, v3):
            kg.ingest([d])
        claims = [r for r in kg.claims() if r["property_label"] == "rank"]
        statuses = {(r["value"], r["source"].rsplit("/", 1)[-1]): r["status"] for r in claims}
        assert statuses[(3, "news.md")] == "conflicting" and statuses[(2, "v3.md")] == "conflicting"
        assert statuses[(1, "v3.md")] == "preferred"
        rows = group_rows(kg, "Riga / rank / index: National Cyber Security Index")
        assert rows and rows[0]["verdict"] == "disputed"
        third = next(r for r in rows if r["value"] == 3)
        assert third["reason"].startswith("conflicts with 2 (2021) in ")
        assert {c["value"] for c in third["conflicts_with"]} == {2}
        assert all(c["reason"].startswith("different values (") for c in third["conflicts_with"])


def test_a_manual_rank_changes_the_preferred_claim_never_the_truth_about_conflicts(tmp_path, store_path, cli):
    old = doc(tmp_path, "old.md", "https://a.example/page", "2021-06-01",
              "In 2021 Tartu ranked 4th in the National Cyber Security Index.")
    new = doc(tmp_path, "new.md", "https://b.example/page", "2022-06-01",
              "In 2022 Tartu ranked 6th in the National Cyber Security Index.")
    rival = doc(tmp_path, "rival.md", "https://c.example/page", "2022-07-01",
                "In 2022 Tartu ranked 5th in the National Cyber Security Index.")
    assert cli("ingest", str(old), str(new)).exit_code == 0
    four = next(r for r in map(json.loads, cli("claims", "-f", "jsonl").stdout.splitlines()) if r["value"] == 4)
    r = cli("rank", four["id"], "preferred", "--reason", "the 2022 edition is not out yet")
    assert r.exit_code == 0, r.output
    rows = {x["value"]: x for x in map(json.loads, cli("claims", "-f", "jsonl").stdout.splitlines())}
    assert (rows[4]["status"], rows[4]["rank"]) == ("preferred", "preferred")
    assert rows[6]["status"] == "outranked"  # a later value, not a conflict
    assert rows[6]["status_reason"].startswith("a later valid time (2022 after 2021) and a different value (6 instead "
                                               "of 4): a change over time, not a contradiction; a person preferred 4")
    assert cli("ingest", str(rival)).exit_code == 0
    rows = {x["value"]: x for x in map(json.loads, cli("claims", "-f", "jsonl").stdout.splitlines())}
    assert rows[5]["status"] == rows[6]["status"] == "conflicting" and rows[4]["status"] == "preferred"
    out = cli("conflicts").stdout
    assert "Tartu / rank / index: National Cyber Security Index  [disputed]" in out
    assert "why conflicting: conflicts with 5 (2022) in " in out and "why conflicting: conflicts with 6 (2022) in " in out
    r = cli("check")  # the stored statuses, reasons and relations are what a fresh derivation gives, and conform
    assert r.exit_code == 0, r.output


def test_a_vaguer_later_figure_keeps_a_change_over_time_in_conflicts(tmp_path, store_path):
    docs = [doc(tmp_path, f"{y}.md", f"https://{y}.example/vilnius", f"{y}-05-01", text) for y, text in (
        (2021, "In 2021 Vilnius had 588,000 residents."), (2022, "In 2022 Vilnius had 592,000 residents."),
        (2023, "In 2023 Vilnius had about 600,000 residents."))]
    with KnowledgeGraph(store_path) as kg:
        kg.ingest(docs)
        statuses = {v: r["status"] for v, r in by_value(kg, "population").items()}
        assert statuses == {588000: "updated", 592000: "compatible", 600000: "preferred"}
        rows = group_rows(kg, "Vilnius / population")
        assert sorted(r["value"] for r in rows) == [588000, 592000, 600000]
        assert {r["verdict"] for r in rows} == {"changed over time"}
        page = __import__("lithkg.web.pages", fromlist=["disputes_page"]).disputes_page(kg.conflicts())
        assert "Vilnius / population" in page and "changed over time" in page


def as_before(store) -> None:
    """Rewrite a store as one built before "no longer stated": lkg:retractedIn and the status "retracted"."""
    import pyoxigraph as ox
    from lithkg.rdf.mapping import LKG
    old = {LKG + "noLongerStatedIn": ox.NamedNode(LKG + "retractedIn")}
    graphs = {}
    for g in store.named_graphs():
        quads = store.graph_quads(g)
        new = [ox.Quad(q.subject, old.get(q.predicate.value, q.predicate),
                       ox.Literal("retracted") if q.object == ox.Literal("no longer stated") else q.object, q.graph_name)
               for q in quads]
        if new != quads:
            graphs[g] = new
    store.apply(drop_graphs=list(graphs), insert=[q for qs in graphs.values() for q in qs])


def test_a_figure_a_newer_version_drops_is_no_longer_stated(tmp_path, store_path):
    v1 = doc(tmp_path, "v1.md", "https://city.example/facts", "2021-03-01",
             "In 2021 Vilnius had 590,000 residents. In 2021 Vilnius ranked 7th in the National Cyber Security Index.")
    v2 = doc(tmp_path, "v2.md", "https://city.example/facts", "2022-03-01",
             "In 2022 Vilnius had 595,000 residents.")
    with KnowledgeGraph(store_path) as kg:
        kg.ingest([v1])
        kg.ingest([v2])
        rank = next(r for r in kg.claims() if r["property_label"] == "rank")
        assert (rank["status"], rank["rank"]) == ("no longer stated", "deprecated")
        assert rank["no_longer_stated_in"].endswith("v2.md")
        assert rank["status_reason"] == "a newer version of its source no longer states it"
        assert {r["status"] for r in kg.claims()} == {"no longer stated", "updated", "preferred"}
        assert kg.query("ASK { ?c lkg:noLongerStatedIn ?v }").boolean
        # a store built before wrote "retracted" and lkg:retractedIn: it reads as no longer stated
        as_before(kg.store)
        assert kg.query('ASK { ?c lkg:status "retracted" ; lkg:retractedIn ?v }').boolean
        rank = next(r for r in kg.claims() if r["property_label"] == "rank")
        assert (rank["status"], rank["no_longer_stated_in"][-5:]) == ("no longer stated", "v2.md")
        assert [r["status"] for r in kg.claims(status="no longer stated")] == ["no longer stated"]


def test_stale_lists_only_figures_presented_as_current(tmp_path, store_path):
    page = doc(tmp_path, "page.md", "https://country.example/facts", "2021-03-01",
               "Lithuania was the first country to leave the Soviet Union. "
               "The interconnector is 508 km long. "
               "Lithuania currently has 2,800,000 residents. "
               "The 4th position it held in 2019 in the National Cyber Security Index was its best.")
    with KnowledgeGraph(store_path) as kg:
        kg.ingest([page])
        props = {r["property_label"] for r in kg.claims()}
        assert {"position among", "length", "population"} <= props
        rows = kg.stale(older_than="2y", now="2024-06-01")
        assert [(r["group_label"], r["value"]) for r in rows] == [("Lithuania / population", 2800000)]
        assert rows[0]["reason"] == "presented as current, but its time is 2021, older than 2y"
