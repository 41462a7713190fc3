"""Amend, merge and split (lithkg/versioning/amending.py): each makes claims in its own record's graph that take the
place of the claims it is about; through the command line they change the listing, the conflicts and the exports,
survive re-ingest, bulk ingest, check --repair, a new version and a replay of the corrections file, respect
--as-of, and refuse bad input in one line with the store unchanged."""
import json

import pytest

from conftest import write

FACTS = """---
title: Harbour facts
url: https://harbour.example/facts
published: 2023-03-01
---
The Northport Harbour handled 4,100 ships in 2022.
"""
NEWS = """---
title: Harbour news
url: https://news.example/harbour
published: 2023-04-01
---
The Northport Harbour handled 4,600 ships in 2022, the port authority said.
"""
SOUTH = """---
title: South news
url: https://news.example/south
published: 2023-05-01
---
The Southport Harbour handled 900 ships in 2022.
"""


@pytest.fixture(autouse=True)
def _frames(monkeypatch):
    monkeypatch.setenv("LITHKG_EXTRACTORS", "curated,frames")


@pytest.fixture
def docs(tmp_path):
    folder = tmp_path / "docs"
    write(folder / "facts.md", FACTS)
    write(folder / "news.md", NEWS)
    write(folder / "south.md", SOUTH)
    return folder


def rows(cli, *args, store=None):
    return [json.loads(x) for x in cli("claims", "--format", "jsonl", *args, store=store).stdout.splitlines()]


def by_value(cli, *args, store=None):
    return {r["value"]: r for r in rows(cli, *args, store=store)}


def short(iri):
    return iri.rsplit("/", 1)[-1]


def record_of(out: str) -> str:
    return out.split("correction ")[1].split(";")[0].split()[0]


def test_amend_sets_a_value_right_and_the_conflict_goes(cli, docs):
    assert cli("ingest", str(docs)).exit_code == 0
    before = by_value(cli)
    assert before[4600]["status"] == "conflicting"
    target = before[4600]["id"]
    r = cli("amend", short(target), "--value", "4,100", "--reason", "the article misprints the port's figure",
            "--by", "ann")
    assert r.exit_code == 0, r.output
    assert r.stdout.startswith(f"amend {short(target)}: correction ") and "; made " in r.stdout
    after = rows(cli)
    fours = [x for x in after if x["value"] == 4100]
    assert len(fours) == 2 and {x["status"] for x in fours} == {"preferred", "corroborated"}
    made = next(x for x in fours if x["document"] == before[4600]["document"])
    assert (made["quote"], made["start"], made["extractor"], made["group"]) == \
        (before[4600]["quote"], before[4600]["start"], "analyst", before[4600]["group"])
    assert 4600 not in {x["value"] for x in after}                       # the amended claim is left out ...
    [old] = rows(cli, "--status", "amended")                               # ... unless asked for
    assert old["id"] == target and "amended it" in old["status_reason"]
    assert cli("conflicts").stdout == "No claim group has more than one value.\n"
    trig = cli("export", "--format", "trig").stdout
    assert "lkg:Amendment" in trig and "lkg:amends" in trig and "the article misprints" in trig
    [listed] = [json.loads(x) for x in cli("corrections", "--format", "jsonl").stdout.splitlines()]
    assert listed["changes"] == {"value": {"kind": "number", "lexical": "4100"}}
    assert listed["made"] == [made["id"]]
    assert cli("check").exit_code == 0                                    # SHACL and derivations hold


def test_amend_a_subject_moves_the_claim_into_the_group_of_what_it_now_says(cli, docs):
    cli("ingest", str(docs))
    south = by_value(cli)[900]
    r = cli("amend", short(south["id"]), "--subject", "Northport Harbour", "--reason", "the page is about Northport")
    assert r.exit_code == 0, r.output
    now = by_value(cli)
    assert now[900]["subject_label"] == "Northport Harbour" and now[900]["group"] == now[4100]["group"]
    assert now[900]["status"] == "conflicting"
    assert "900" in cli("conflicts").stdout


def test_amend_time_bound_and_qualifier(cli, docs):
    cli("ingest", str(docs))
    target = by_value(cli)[4600]
    r = cli("amend", short(target["id"]), "--time", "2021", "--bound", "approx", "--qualifier", "according to=port "
            "authority", "--reason", "the article speaks of 2021, roughly")
    assert r.exit_code == 0, r.output
    made = by_value(cli)[4600]
    assert (made["time"], made["bound"], made["status"]) == ("2021", "approx", "updated")  # an earlier year now
    assert made["group"] == target["group"]                               # a non-scoping qualifier: same group


def test_split_takes_a_claim_out_and_merge_puts_it_back(cli, docs):
    cli("ingest", str(docs))
    target = by_value(cli)[4600]
    r = cli("split", short(target["id"]), "--reason", "the news counts calls, not ships", "--by", "ann")
    assert r.exit_code == 0, r.output
    now = by_value(cli)
    assert now[4600]["group"] != now[4100]["group"]
    assert {now[4600]["status"], now[4100]["status"]} == {"preferred"}
    assert cli("conflicts").stdout == "No claim group has more than one value.\n"
    labels = {r_["group"]: r_["group_label"] for r_ in json.loads(cli("conflicts", "--possible", "--format",
                                                                          "json").stdout)}
    assert all("(split out)" in v for k, v in labels.items() if k == now[4600]["group"])
    r = cli("merge", short(now[4100]["group"]), short(now[4600]["group"]), "--reason", "both count ships")
    assert r.exit_code == 0, r.output
    assert r.stdout.startswith(f"merge {short(min(now[4100]['group'], now[4600]['group']))}, ")
    merged = by_value(cli)
    assert merged[4600]["group"] == merged[4100]["group"] == target["group"]
    assert merged[4600]["status"] == "conflicting"
    assert cli("check").exit_code == 0
    r = cli("merge", short(target["group"]), short(target["group"]), "--reason", "x")
    assert (r.exit_code, r.stderr) == (2, "lithkg: error: a merge joins two different claim groups (name the group "
                                          "to keep, then the other)\n")


def test_undo_withdraws_the_claim_an_amend_made(cli, docs):
    cli("ingest", str(docs))
    target = by_value(cli)[4600]
    made = record_of(cli("amend", short(target["id"]), "--value", "4100", "--reason", "misprint").stdout)
    r = cli("undo", made, "--reason", "the port confirms 4,600")
    assert r.exit_code == 0, r.output
    now = rows(cli)
    assert sorted(x["value"] for x in now if x["value"] in (4100, 4600)) == [4100, 4600]
    assert by_value(cli)[4600]["id"] == target["id"] and by_value(cli)[4600]["status"] == "conflicting"
    [withdrawn] = rows(cli, "--status", "withdrawn")
    assert withdrawn["value"] == 4100 and withdrawn["document"] == target["document"]
    assert "withdrawn" not in cli("conflicts").stdout
    assert cli("check").exit_code == 0


def test_as_of_before_an_amend_shows_the_claim_as_read(cli, docs, store_path):
    cli("ingest", str(docs))
    target = by_value(cli)[4600]
    from lithkg.kg import KnowledgeGraph
    with KnowledgeGraph(store_path) as kg:
        kg.amend(target["id"], value="4100", reason="misprint", by="ann", at="2099-01-01T00:00:00Z")
    assert 4600 not in by_value(cli)
    old = by_value(cli, "--as-of", "2098-12-31")
    assert old[4600]["id"] == target["id"] and old[4600]["status"] == "conflicting"
    assert [x["document"] for x in rows(cli, "--as-of", "2098-12-31") if x["value"] == 4100] != \
        [target["document"]]                                               # the made claim is not there yet
    assert 4600 not in by_value(cli, "--as-of", "2099-01-01T00:00:00Z")


def test_amends_survive_reingest_bulk_repair_and_a_new_version(cli, docs):
    cli("ingest", str(docs))
    target = by_value(cli)[4100]
    cli("amend", short(target["id"]), "--value", "4200", "--reason", "the annual report says 4,200")
    for args in (("ingest", str(docs)), ("ingest", "--bulk", "--workers", "1", str(docs)),
                 ("check", "--repair", "--no-shacl")):
        assert cli(*args).exit_code == 0
        assert by_value(cli)[4200]["status"] == "conflicting" and 4100 not in by_value(cli)
    write(docs / "facts.md", FACTS.replace("2023-03-01", "2024-03-01") + "The harbour opened in 1911.\n")
    assert cli("ingest", str(docs / "facts.md")).exit_code == 0
    assert 4100 not in by_value(cli)                  # the new version's reading continues the amended one
    assert by_value(cli)[4200]["status"] == "conflicting"
    write(docs / "facts.md", FACTS.replace("2023-03-01", "2025-03-01").replace("4,100 ships", "a record"))
    assert cli("ingest", str(docs / "facts.md")).exit_code == 0
    assert by_value(cli)[4200]["status"] == "no longer stated"  # the source stopped stating it
    assert cli("check", "--no-shacl").exit_code == 0


def test_a_corrections_file_replays_amends_merges_and_splits(cli, docs, tmp_path):
    cli("ingest", str(docs))
    first = by_value(cli)
    cli("amend", short(first[900]["id"]), "--value", "950", "--reason", "misread")
    cli("split", short(first[4600]["id"]), "--reason", "calls, not ships")
    split_group = by_value(cli)[4600]["group"]
    cli("merge", short(first[4100]["group"]), short(split_group), "--reason", "ships after all")
    saved = write(tmp_path / "corrections.jsonl", cli("corrections", "--format", "jsonl").stdout)
    fresh = tmp_path / "fresh"
    cli("ingest", str(docs), store=fresh)
    r = cli("corrections", "--apply", str(saved), store=fresh)
    assert r.exit_code == 0 and r.stderr == f"{saved}: 3 new correction(s) recorded\n"
    same = lambda store=None: [(x["id"], x["group"], x["value"], x["status"]) for x in rows(cli, store=store)]  # noqa
    assert same(fresh) == same()                                          # (record times differ)
    assert cli("corrections", "--apply", str(saved), store=fresh).stderr == f"{saved}: 0 new correction(s) recorded\n"


def test_bad_amends_are_refused_in_one_line_and_the_store_is_unchanged(cli, docs):
    cli("ingest", str(docs))
    target = short(by_value(cli)[4600]["id"])
    before = cli("export", "--format", "nquads").stdout
    cases = {
        ("--subject", "Atlantis Harbour"): "unknown entity 'Atlantis Harbour' (use a label or alias from "
                                           "ontology/entities.ttl, or an IRI)",
        ("--value", "many"): "'many' is not a number lithkg can hold: ",
        ("--time", "last year"): "time 'last year' is not an ISO date (YYYY, YYYY-MM or YYYY-MM-DD) (give --time "
                                 "2021, 2021-05-03, 2020/2022, 2020/ or none)",
        ("--bound", "roughly"): "bound 'roughly' is not one of lower, upper, approx, none",
        ("--property", "shoe size"): "unknown property 'shoe size' (use a property from ontology/frames.ttl)",
        (): "an amend sets at least one field (give --subject, --property, --value, --unit, --bound, --time or "
            "--qualifier)",
    }
    for args, message in cases.items():
        r = cli("amend", target, *args, "--reason", "x")
        assert r.exit_code == 2 and r.stderr.startswith(f"lithkg: error: {message}"), (args, r.output)
        assert r.stderr.count("\n") == 1
    r = cli("split", "0123456789abcdef0123", "--reason", "x")
    assert (r.exit_code, r.stderr) == (2, "lithkg: error: no claim '0123456789abcdef0123' in the store "
                                          "(see 'lithkg claims' for ids)\n")
    assert cli("export", "--format", "nquads").stdout == before
