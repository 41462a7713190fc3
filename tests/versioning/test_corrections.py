"""Analyst corrections (lithkg/versioning/corrections.py, lithkg/cli/correcting.py): dated records that change the
listings, the conflicts and the exports, survive re-ingest, bulk ingest, check --repair, a new version and a rebuild
from a corrections file, respect --as-of, and refuse bad input in one line with the store unchanged."""
import json
import shutil

import pytest

from lithkg.versioning.corrections import Correction, claim_effects, effective

from conftest import write

DOC_2023 = """---
title: Harbour facts
url: https://harbour.example/facts
published: 2023-03-01
---
The Northport Harbour handled 4,100 ships in 2022.
"""
DOC_OTHER = """---
title: Harbour news
url: https://news.example/harbour
published: 2023-04-01
---
The Northport Harbour handled 4,600 ships in 2022, the port authority said.
"""
DOC_2024 = DOC_2023.replace("2023-03-01", "2024-03-01") + "The Northport Harbour opened in 1911.\n"


@pytest.fixture(autouse=True)
def _frames(monkeypatch):
    monkeypatch.setenv("LITHKG_EXTRACTORS", "curated,frames")  # the figures come from the automatic extractor


@pytest.fixture
def docs(tmp_path):
    folder = tmp_path / "docs"
    write(folder / "facts.md", DOC_2023)
    write(folder / "news.md", DOC_OTHER)
    return folder


def rows(cli, *args):
    return [json.loads(x) for x in cli("claims", "--format", "jsonl", *args).stdout.splitlines()]


def short(iri):
    return iri.rsplit("/", 1)[-1]


def ship_claims(cli, *args):
    return {r["value"]: r for r in rows(cli, *args) if r["value"] in (4100, 4600)}


# ---------------------------------------------------------------- the pure part
def _record(kind, at, claims=("c1",), withdraws=None, iri=None):
    return Correction(iri or f"r-{kind}-{at}", kind, "why", "ann", at, tuple(claims), (), withdraws)


def test_the_latest_record_in_force_wins_and_an_undo_withdraws():
    reject = _record("reject", "2024-01-01T00:00:00Z")
    confirm = _record("confirm", "2024-02-01T00:00:00Z")
    undo = _record("undo", "2024-03-01T00:00:00Z", claims=(), withdraws=confirm.iri)
    records = [reject, confirm, undo]
    assert claim_effects(records)["c1"][0] == "rejected"                             # the confirm is undone
    assert claim_effects(records, "2024-02-15T00:00:00Z")["c1"][0] == "confirmed"    # before the undo
    assert claim_effects(records, "2023-12-31T00:00:00Z") == {}                       # before any
    assert [r.kind for r in effective(records)] == ["reject"]


# ---------------------------------------------------------------- through the command
def test_reject_changes_listing_conflicts_and_export(cli, docs):
    assert cli("ingest", str(docs)).exit_code == 0
    before = ship_claims(cli)
    assert {r["status"] for r in before.values()} == {"conflicting"}   # each names the other
    assert (before[4600]["rank"], before[4100]["rank"]) == ("preferred", "normal")  # the later source
    assert "4,600" in cli("conflicts").stdout or "4600" in cli("conflicts").stdout
    target = short(before[4600]["id"])
    r = cli("reject", target, "--reason", "the article misquotes the port's own figure", "--by", "ann")
    assert r.exit_code == 0, r.output
    assert r.stdout.startswith(f"reject {target}: correction ") and "(by ann at " in r.stdout
    after = ship_claims(cli)
    assert after[4600]["status"] == "rejected" and after[4100]["status"] == "preferred"
    listing = cli("corrections", "--format", "jsonl").stdout.splitlines()
    [record] = [json.loads(x) for x in listing]
    assert (record["kind"], record["claims"], record["by"], record["in_force"]) == \
        ("reject", [before[4600]["id"]], "ann", True)
    assert record["reason"] == "the article misquotes the port's own figure"
    trig = cli("export", "--format", "trig").stdout
    assert "lkg:Rejection" in trig and "the article misquotes the port" in trig
    group = cli("claims", "--format", "jsonl").stdout
    assert '"status": "rejected"' in group


def test_a_rejected_claim_disputes_nothing(kg, docs):
    kg.ingest([docs])
    other = next(r for r in kg.claims() if r["value"] == 4600)
    kg.reject(other["id"], reason="misread", by="ann")
    groups = kg.store.select("SELECT ?d WHERE { ?g a lkg:ClaimGroup ; lkg:disputed ?d }")
    assert [g["d"].value for g in groups] == ["false"]


def test_confirm_makes_a_claim_preferred_before_unconfirmed_ones(kg, docs):
    kg.ingest([docs])
    older = next(r for r in kg.claims() if r["value"] == 4100)
    assert older["rank"] != "preferred"
    kg.confirm(older["id"], reason="checked against the port's annual report", by="ann")
    ranks = {r["value"]: (r["rank"], r["status"]) for r in kg.claims()}
    assert ranks[4100] == ("preferred", "conflicting")  # preferred now, and the conflict still shown
    assert ranks[4600] == ("normal", "conflicting")


def test_undo_takes_a_correction_back_and_keeps_both_records(cli, docs):
    cli("ingest", str(docs))
    target = short(ship_claims(cli)[4600]["id"])
    made = cli("reject", target, "--reason", "misread", "--by", "ann").stdout
    record = made.split("correction ")[1].split()[0]
    r = cli("undo", record, "--reason", "read again: the figure is right", "--by", "bo")
    assert r.exit_code == 0 and r.stdout.startswith(f"undo {record}: correction ")
    assert ship_claims(cli)[4600]["status"] != "rejected"
    listed = [json.loads(x) for x in cli("corrections", "--format", "jsonl").stdout.splitlines()]
    assert [x["kind"] for x in listed] == ["reject", "undo"]
    assert listed[0]["in_force"] is False and short(listed[0]["undone_by"]) == short(listed[1]["id"])
    table = cli("corrections").stdout
    assert f"undone by {short(listed[1]['id'])}" in table
    r = cli("undo", record, "--reason", "again", "--by", "bo")
    assert r.exit_code == 2 and r.stderr.strip() == \
        f"lithkg: error: correction '{listed[0]['id']}' is undone already (see 'lithkg corrections')"


def test_corrections_survive_reingest_bulk_and_repair(cli, docs):
    cli("ingest", str(docs))
    target = short(ship_claims(cli)[4600]["id"])
    cli("reject", target, "--reason", "misread", "--by", "ann")
    assert cli("ingest", str(docs)).exit_code == 0
    assert ship_claims(cli)[4600]["status"] == "rejected"
    assert cli("ingest", "--bulk", "--workers", "1", str(docs)).exit_code == 0
    assert ship_claims(cli)[4600]["status"] == "rejected"
    r = cli("check", "--repair", "--no-shacl")
    assert r.exit_code == 0, r.output
    assert ship_claims(cli)[4600]["status"] == "rejected"


def test_a_correction_follows_the_statement_into_a_new_version(cli, docs):
    cli("ingest", str(docs))
    first = ship_claims(cli)[4100]
    cli("reject", short(first["id"]), "--reason", "the port counts calls, not ships", "--by", "ann")
    write(docs / "facts.md", DOC_2024)
    assert cli("ingest", str(docs / "facts.md")).exit_code == 0
    fours = [r for r in rows(cli) if r["value"] == 4100]
    assert len(fours) == 2 and {r["status"] for r in fours} == {"rejected"}


def test_as_of_before_a_correction_shows_the_graph_without_it(cli, docs, store_path):
    cli("ingest", str(docs))
    target = ship_claims(cli)[4600]["id"]
    from lithkg.kg import KnowledgeGraph
    with KnowledgeGraph(store_path) as kg:  # a correction dated later than the ingest, to look at both sides of it
        kg.reject(target, reason="misread", by="ann", at="2099-01-01T00:00:00Z")
    assert ship_claims(cli)[4600]["status"] == "rejected"
    assert ship_claims(cli, "--as-of", "2099-01-01T00:00:00Z")[4600]["status"] == "rejected"
    assert ship_claims(cli, "--as-of", "2098-12-31")[4600]["status"] != "rejected"
    assert json.loads(cli("corrections", "--format", "json", "--as-of", "2098-12-31").stdout) == []


def test_bad_input_is_refused_in_one_line_and_the_store_is_unchanged(cli, docs, store_path):
    cli("ingest", str(docs))
    target = short(ship_claims(cli)[4600]["id"])
    snapshot = store_path.parent / "snapshot"
    before = cli("export", "--format", "nquads").stdout
    r = cli("reject", "0123456789abcdef0123", "--reason", "x")
    assert (r.exit_code, r.stderr) == (2, "lithkg: error: no claim '0123456789abcdef0123' in the store "
                                          "(see 'lithkg claims' for ids)\n")
    r = cli("reject", target, "--reason", "   ")
    assert (r.exit_code, r.stderr) == (2, "lithkg: error: a correction (reject) needs a reason "
                                          "(give --reason \"...\")\n")
    r = cli("reject", target)
    assert r.exit_code == 2 and "Missing option '--reason'" in r.stderr
    r = cli("undo", "feedfacefeedfacefeed", "--reason", "x")
    assert (r.exit_code, r.stderr) == (2, "lithkg: error: no correction 'feedfacefeedfacefeed' in the store "
                                          "(see 'lithkg corrections' for ids)\n")
    assert cli("export", "--format", "nquads").stdout == before
    assert not snapshot.exists()


def test_a_corrections_file_is_replayed_once_and_checked(cli, docs, tmp_path, store_path):
    cli("ingest", str(docs))
    target = short(ship_claims(cli)[4600]["id"])
    cli("reject", target, "--reason", "misread", "--by", "ann")
    saved = write(tmp_path / "corrections.jsonl", cli("corrections", "--format", "jsonl").stdout)
    fresh = tmp_path / "fresh"
    assert cli("ingest", str(docs), store=fresh).exit_code == 0
    r = cli("corrections", "--apply", str(saved), store=fresh)
    assert r.exit_code == 0 and r.stderr == f"{saved}: 1 new correction(s) recorded\n"
    assert {r_["value"]: r_["status"] for r_ in rows(cli, "--store", str(fresh))}[4600] == "rejected"
    r = cli("corrections", "--apply", str(saved), store=fresh)
    assert r.stderr == f"{saved}: 0 new correction(s) recorded\n"
    bad = write(tmp_path / "bad.jsonl", '{"kind": "reject", "reason": "x", "by": "a", "at": "yesterday", '
                                        '"claims": ["c"]}\n')
    r = cli("corrections", "--apply", str(bad), store=fresh)
    assert (r.exit_code, r.stderr) == (4, f"lithkg: error: {bad}:1: 'at' must be a UTC moment such as "
                                          "2026-12-02T10:00:00Z (one correction a line, as 'lithkg corrections "
                                          "--format jsonl' prints)\n")


def test_the_read_only_store_refuses_corrections(kg, docs, store_path):
    kg.ingest([docs])
    claim = next(r for r in kg.claims() if r["value"] == 4600)["id"]
    kg.close()
    from lithkg.errors import UsageError
    from lithkg.kg import KnowledgeGraph
    with KnowledgeGraph(store_path, read_only=True) as ro, pytest.raises(UsageError, match="read-only"):
        ro.reject(claim, reason="x")
    shutil.rmtree(store_path.parent / "nothing", ignore_errors=True)


FIRMS_NEWS = """---
url: https://harbour-news.example/firms
published: 2024-01-10
---
Klaipėda registered 420 new firms in 2023.
"""
FIRMS_REGISTER = """---
url: https://register.example/firms
published: 2024-03-05
---
A total of 430 firms were registered in Klaipėda in 2023.
"""


def test_a_link_refused_is_no_longer_suggested_and_one_accepted_is_listed(cli, tmp_path):
    write(tmp_path / "firms" / "news.md", FIRMS_NEWS)
    write(tmp_path / "firms" / "register.md", FIRMS_REGISTER)
    cli("ingest", str(tmp_path / "firms"))
    [link] = json.loads(cli("conflicts", "--possible", "--format", "json").stdout)
    assert link["decision"] is None
    a, b = short(link["group"]), short(link["other_group"])
    r = cli("link", a, b, "--accept", "--reason", "both count the year's new firms", "--by", "ann")
    assert r.exit_code == 0 and r.stdout.startswith("accept ")
    out = cli("conflicts", "--possible").stdout
    assert out.startswith("the same quantity, accepted by ann: both count the year's new firms (not merged)")
    r = cli("link", a, b, "--refuse", "--reason", "the register counts all firms", "--by", "bo")
    assert r.exit_code == 0
    assert cli("conflicts", "--possible").stdout == "No two claim groups look like the same quantity.\n"
    refusal = json.loads(cli("corrections", "--format", "jsonl").stdout.splitlines()[-1])
    cli("undo", short(refusal["id"]), "--reason", "asked the register: new firms only", "--by", "bo")
    assert json.loads(cli("conflicts", "--possible", "--format", "json").stdout)[0]["decision"] == "accepted"
    r = cli("link", a, a, "--accept", "--reason", "x")
    assert (r.exit_code, r.stderr) == (2, "lithkg: error: a link joins two different claim groups (name two groups)\n")
    r = cli("link", a, b, "--reason", "x")
    assert r.exit_code == 2 and "say --accept or --refuse" in r.stderr
