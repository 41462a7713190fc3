"""`lithkg conflicts` filters: --subject, --property, --source, --status, --since, combined, for --possible too, and as
keyword-only arguments of KnowledgeGraph.conflicts. A filter picks whole groups: a group is shown when one of its
claims passes every filter."""
import json

import pytest

from lithkg.kg import KnowledgeGraph

from conftest import write

RANK, RIGA, VILNIUS = ("Lithuania / rank / index: National Cyber Security Index", "Riga / population",
                       "Vilnius / population")


def page(url: str, published: str, text: str) -> str:
    return f"---\nurl: {url}\npublished: {published}\n---\n{text}\n"


def claims_file(document: str, *claims: tuple) -> str:
    lines = [f"document: {document}", "claims:"]
    for subject, prop, value, time, quote, qualifiers in claims:
        lines += [f"  - subject: {subject}", f"    property: {prop}", f"    value: {value}", f"    time: \"{time}\"",
                  f"    quote: \"{quote}\""] + ([f"    qualifiers: {qualifiers}"] if qualifiers else [])
    return "\n".join(lines) + "\n"


@pytest.fixture
def corpus(cli, tmp_path):
    """Two sources that disagree on the cyber index rank and on Riga's population, and a third, of 2016, that gives
    Vilnius's population for 2015 and 2017 (a change over time)."""
    d = tmp_path / "corpus"
    write(d / "a.md", page("https://a.example/facts", "2021-03-01",
                           "Lithuania ranks 4th in the National Cyber Security Index. Riga has 605,000 residents."))
    write(d / "b.md", page("https://b.example/news", "2023-02-01",
                           "Lithuania ranks 6th in the National Cyber Security Index. Riga has 614,000 residents."))
    write(d / "c.md", page("https://c.example/old", "2016-01-10",
                           "In 2015 Vilnius had 540,000 residents. By 2017 it will have 560,000."))
    ncsi = "{index: National Cyber Security Index}"
    write(d / "a.yaml", claims_file("a.md", ("Lithuania", "rank", 4, 2021, "ranks 4th", ncsi),
                                    ("Riga", "population", 605000, 2020, "605,000 residents", None)))
    write(d / "b.yaml", claims_file("b.md", ("Lithuania", "rank", 6, 2021, "ranks 6th", ncsi),
                                    ("Riga", "population", 614000, 2020, "614,000 residents", None)))
    write(d / "c.yaml", claims_file("c.md", ("Vilnius", "population", 540000, 2015, "540,000 residents", None),
                                    ("Vilnius", "population", 560000, 2017, "560,000", None)))
    r = cli("ingest", str(d))
    assert r.exit_code == 0, r.stderr
    return d


def groups(cli, *args) -> list[str]:
    r = cli("conflicts", *args, "-f", "json")
    assert r.exit_code == 0, r.stderr
    return sorted({row["group_label"] for row in json.loads(r.stdout)})


@pytest.mark.parametrize("args,expected", [
    ((), [RANK, RIGA, VILNIUS]),
    (("--subject", "Riga"), [RIGA]),
    (("--subject", "https://w3id.org/lithkg/id/entity/vilnius"), [VILNIUS]),
    (("--property", "rank"), [RANK]),
    (("--property", "residents"), [RIGA, VILNIUS]),
    (("--source", "https://c.example/old"), [VILNIUS]),
    (("--source", "https://b.example/news"), [RANK, RIGA]),
    (("--status", "conflicting"), [RANK, RIGA]),
    (("--status", "updated"), [VILNIUS]),
    (("--since", "2016"), [RANK, RIGA, VILNIUS]),
    (("--since", "2017-06"), [RANK, RIGA, VILNIUS]),  # c.md is dated 2016-01-10, but its 2017 holds to the year's end
    (("--since", "2018"), [RANK, RIGA]),
    (("--since", "2022-06-30"), [RANK, RIGA]),  # b.md is dated 2023-02-01
    (("--since", "2023-03"), []),
    (("--subject", "Riga", "--since", "2022"), [RIGA]),
    (("--property", "population", "--status", "conflicting"), [RIGA]),
    (("--source", "https://a.example/facts", "--status", "preferred"), []),  # a.md's claims are the ones in conflict
    (("--source", "https://b.example/news", "--status", "conflicting", "--subject", "Lithuania"), [RANK]),
])
def test_each_filter_and_their_combinations(cli, corpus, args, expected):
    assert groups(cli, *args) == expected


def test_a_group_is_kept_whole(cli, corpus):
    rows = json.loads(cli("conflicts", "--source", "https://a.example/facts", "--property", "rank", "-f",
                          "json").stdout)
    assert sorted((r["value"], r["source"].rsplit("/", 1)[-1]) for r in rows) == [(4, "a.md"), (6, "b.md")]


def test_a_source_by_file_name_or_a_version_id(cli, corpus):
    log = json.loads(cli("log", "-f", "json").stdout)
    c = next(v for v in log if v["source_key"] == "https://c.example/old")
    assert groups(cli, "--source", c["file"]) == [VILNIUS]
    assert groups(cli, "--source", c["document"].rsplit("/", 1)[-1][:8]) == [VILNIUS]


def test_the_table_says_when_nothing_passes(cli, corpus):
    r = cli("conflicts", "--since", "2030")
    assert (r.exit_code, r.stdout) == (0, "No claim group with more than one value passes the filters.\n")
    group = json.loads(cli("conflicts", "--subject", "Riga", "-f", "json").stdout)[0]["group"].rsplit("/", 1)[-1]
    r = cli("conflicts", "--subject", "Riga", "--since", "2022")
    assert r.exit_code == 0 and [x for x in r.stdout.splitlines() if x and not x.startswith(" ")] == [
        f"{RIGA}  [disputed]  group {group}"]


@pytest.mark.parametrize("args,message", [
    (("--source", "https://nowhere.example/"), "no source 'https://nowhere.example/' in the store (see 'lithkg log')"),
    (("--since", "soon"), "--since 'soon' is not a date (write YYYY, YYYY-MM or YYYY-MM-DD)"),
    (("--subject", "Atlantis"), "unknown entity 'Atlantis' (use a label or alias from ontology/entities.ttl, or an "
                                "IRI)"),
    (("--property", "colour"), "unknown property 'colour' (use a property from ontology/frames.ttl)"),
])
def test_a_bad_filter_is_refused_in_one_line(cli, corpus, args, message):
    for extra in ((), ("--possible",)):
        r = cli("conflicts", *args, *extra)
        assert (r.exit_code, r.stdout, r.stderr) == (2, "", f"lithkg: error: {message}\n")


def test_an_unknown_status_is_refused(cli, corpus, store_path):
    r = cli("conflicts", "--status", "doubtful")
    assert r.exit_code == 2 and "Invalid value for '--status': 'doubtful' is not one of 'preferred'," in r.stderr
    with KnowledgeGraph(store_path, read_only=True) as kg:
        with pytest.raises(Exception, match="unknown status 'doubtful' \\(use one of: preferred, corroborated"):
            kg.conflicts(status="doubtful")


def test_the_facade_takes_the_filters_as_keywords(cli, corpus, store_path):
    with KnowledgeGraph(store_path, read_only=True) as kg:
        assert {r["group_label"] for r in kg.conflicts(subject="Riga", since="2022")} == {RIGA}
        assert {r["group_label"] for r in kg.conflicts(property="rank", source="https://c.example/old")} == set()
        assert kg.conflicts() == kg.conflicts(subject=None, property=None, source=None, status=None, since=None)
        with pytest.raises(TypeError):
            kg.conflicts("Riga")  # keyword-only


HARBOUR = page("https://harbour-news.example/firms-2023", "2024-01-10", "Klaipėda registered 420 new firms in 2023.")
REGISTER = page("https://city-register.example/annual-2023", "2024-03-05",
                "A total of 430 firms were registered in Klaipėda in 2023.")


def test_possible_links_with_filters(cli, tmp_path, monkeypatch):
    monkeypatch.setenv("LITHKG_EXTRACTORS", "frames")
    write(tmp_path / "news" / "harbour.md", HARBOUR)
    write(tmp_path / "news" / "register.md", REGISTER)
    assert cli("ingest", str(tmp_path / "news")).exit_code == 0

    def pairs(*args):
        r = cli("conflicts", "--possible", *args, "-f", "json")
        assert r.exit_code == 0, r.stderr
        return [(x["group_label"], x["other_group_label"]) for x in json.loads(r.stdout)]
    both = [("Klaipėda / number of / of: company", "Klaipėda / number of / of: new company")]
    assert pairs() == both
    assert pairs("--subject", "Klaipėda") == both
    assert pairs("--source", "https://harbour-news.example/firms-2023") == both
    assert pairs("--since", "2024-02") == both  # the register's date
    assert pairs("--since", "2024-04") == []
    assert pairs("--subject", "Riga") == []
    r = cli("conflicts", "--possible", "--subject", "Riga")
    assert (r.exit_code, r.stdout) == (0, "No two claim groups that pass the filters look like the same quantity.\n")
