"""One sentence per kind of statement: what the automatic extractor reads from it."""
import pytest
from hypothesis import given, settings, strategies as st

from lithkg.extract.documents import parse_document
from lithkg.errors import DocumentError
from lithkg.extract import ExtractionContext, get
from lithkg.rdf.ontology import load


def claims_of(text: str, published="2022-05-02", title=None):
    doc = parse_document(text.encode(), name="t.md", published=published, title=title)
    return get("frames").extract(doc, ExtractionContext(ontology=load()))


def one(text, prop, **kw):
    found = [c for c in claims_of(text, **kw) if c.property.label == prop]
    assert len(found) == 1, [(c.property.label, c.value.lexical) for c in claims_of(text, **kw)]
    return found[0]


def quals(c):
    return {q.property.label: q.value.display() for q in c.qualifiers}


def test_rank_in_a_named_index_with_relative_time():
    c = one("Lithuania currently ranks 6th globally in the National Cyber Security Index.", "rank")
    assert (c.subject.label, c.value.lexical, c.time.point) == ("Lithuania", "6", "2022")
    assert quals(c) == {"index": "National Cyber Security Index"}


def test_rank_in_this_ranking_takes_the_last_index():
    cs = claims_of("Lithuania ranks 4th in the National Cyber Security Index. In 2017, Lithuania was 57th in this "
                   "ranking.")
    ranks = {c.value.lexical: (c.time.point, quals(c)["index"]) for c in cs if c.property.label == "rank"}
    assert ranks["57"] == ("2017", "National Cyber Security Index")
    assert len({c.group_key() for c in cs if c.property.label == "rank"}) == 1


def test_footnote_names_the_index_or_the_cited_source():
    text = "Lithuania is open. In 2021, we are ranked 11th in the world.[2]\n\n[2] Henley Passport Index, 2021."
    assert quals(one(text, "rank", published="2021")) == {"index": "Henley Passport Index"}


def test_pronouns_resolve_to_the_focus():
    c = one("Lithuania is a small country. Today we hold 6th place worldwide in the National Cyber Security Index.",
            "rank")
    assert c.subject.label == "Lithuania"


@pytest.mark.parametrize("text,prop,value,unit,bound,q", [
    ("The 508-kilometre GIPL gas pipeline opened.", "length", "508", "KiloM", None, {}),
    ("The GIPL pipeline stretches 165 kilometres in Lithuania.", "length", "165", "KiloM", None,
     {"located in": "Lithuania"}),
    ("Lithuania increased its spending on cyber security by 30% last year.", "change", "30", "PERCENT", None,
     {"of": "spending on cyber security"}),
    ("Riga's exports fell by 12 per cent.", "change", "-12", "PERCENT", None, {"of": "exports"}),
    ("Lithuania provided aid equating to 0.06% of the country's GDP.", "share of GDP", "0.06", "PERCENT", None, {}),
    ("Nord Security raised $100 million from investors.", "funding raised", "100000000", "USD", None, {}),
    ("Over 10,000 students are studying IT in Lithuania.", "number of", "10000", None, "lower", {"of": "student"}),
])
def test_kinds_of_statement(text, prop, value, unit, bound, q):
    c = one(text, prop)
    assert c.value.lexical == value and c.bound == bound
    assert (c.unit or "").endswith(unit or "") and (unit is None) == (c.unit is None)
    for k, v in q.items():
        assert quals(c)[k] == v


def test_event_dates_launch_and_founding():
    cs = claims_of("Gas Interconnection Poland-Lithuania (GIPL), a gas pipeline connecting Lithuania and Poland, was "
                   "launched on 1st of May 2022.")
    [c] = [c for c in cs if c.property.label == "launch date"]
    assert (c.subject.label, c.value.lexical) == ("Gas Interconnection Poland–Lithuania", "2022-05-01")
    # a founding and a launch are two events: "founded in 2013" and "launched in 2015" are not a dispute
    cs = claims_of("Founded in 2013, Acme Rings is a Finnish company. Acme Rings launched its first ring in 2015.")
    assert {(c.property.label, c.value.lexical) for c in cs if c.value.kind == "date"} >= \
        {("inception", "2013"), ("launch date", "2015")}


def test_participants_of_an_event_found_by_its_date():
    c = one("In 1989, more than a million people joined hands from Vilnius to Tallinn.", "participants")
    assert (c.subject.label, c.value.lexical, c.bound, c.time.point) == ("Baltic Way", "1000000", "lower", "1989")


def test_positions_and_counts_from_ordinals():
    c = one("Lithuania became the first country to separate from the Soviet Union.", "position among")
    assert c.value.lexical == "1" and c.subject.label == "Lithuania"
    c = one("On 7 April, Lithuania welcomed its second unicorn, Nord Security.", "number of")
    assert (c.value.lexical, quals(c)["of"], c.time.point) == ("2", "unicorns", "2022-04-07")


def test_non_claims_are_not_read():
    text = ("The three Baltic capitals met. COVID-19 rules and the 17+1 format were discussed on page 7. "
            "It was a first-class event.\n\n1. Summary\n2. Route\n")
    assert [c for c in claims_of(text) if c.value.kind == "number"] == []


def test_key_figures_and_tables():
    text = ("# Tartu Index 2023\n\n- Cities assessed: 42\n\n| Rank | City | Score |\n|---|---|---|\n"
            "| 1 | Helsinki | 86.4 |\n| 2 | Oslo | 85.9 |\n")
    cs = claims_of(text, title="Tartu Index 2023 results")
    got = {(c.subject.label, c.property.label, c.value.lexical) for c in cs}
    assert ("Helsinki", "rank", "1") in got and ("Oslo", "score", "85.9") in got
    assert any(c.property.label == "number of" and c.value.lexical == "42" for c in cs)


@settings(max_examples=60, deadline=None)
@given(st.text(alphabet=st.characters(blacklist_categories=("Cs",), blacklist_characters="\x00"), min_size=1,
               max_size=300))
def test_the_extractor_never_crashes_and_spans_quote_the_text(text):
    if not text.strip():
        return
    try:
        doc = parse_document(("Lithuania ranks 6th. " + text + " It grew by 5% in 2020.").encode("utf-8"),
                             name="h.txt", published="2022-01-01")
    except DocumentError:  # a control character: refused before extraction, which is fine
        return
    for c in get("frames").extract(doc, ExtractionContext(ontology=load())):
        assert doc.text[c.evidence.start:c.evidence.end] == c.evidence.quote
        assert 0 <= c.evidence.start < c.evidence.end <= len(doc.text)
