"""Figures that restate or refer to other figures (lithkg/extract/frames/references.py), and the readings that keep
two quantities apart: an investor's part of a round, an earlier plan, a date that belongs to the next verb."""
from lithkg.extract import ExtractionContext, get
from lithkg.extract.documents import parse_document
from lithkg.extract.values import UnitIndex, find_numbers
from lithkg.rdf.ontology import load


def claims_of(text: str, title=None):
    doc = parse_document(text.encode(), name="t.md", published="2024-11-20", title=title)
    return get("frames").extract(doc, ExtractionContext(ontology=load()))


def quals(c):
    return {q.property.label: q.value.display() for q in c.qualifiers}


def test_an_investors_part_of_a_round_is_its_own_quantity():
    cs = claims_of("Acme Robotics raised $30 million from Northwind Capital in a Series B round. "
                   "Bluefin Labs closed its Series B round at $90 million.")
    by_value = {c.value.lexical: c for c in cs if c.property.label == "funding raised"}
    assert quals(by_value["30000000"])["investor"] == "Northwind Capital"
    assert "investor" not in quals(by_value["90000000"])
    assert quals(by_value["30000000"])["funding round"] == quals(by_value["90000000"])["funding round"] == "Series B"


def test_a_headline_figure_takes_the_bodys_fuller_reading():
    title = "Acme Robotics picks up $30M Series B"
    cs = claims_of(f"{title}\n\nAcme Robotics picked up $30 million from Northwind Capital in a Series B round, the company said.\n",
                   title=title)
    thirty = [c for c in cs if c.value.lexical == "30000000"]
    assert len(thirty) == 2
    assert len({c.group_key() for c in thirty}) == 1
    assert all(quals(c)["investor"] == "Northwind Capital" for c in thirty)


def test_the_figure_said_again_with_the_is_the_same_quantity():
    cs = claims_of("Acme Robotics picked up $30 million from Northwind Capital in a Series B round. "
                   "Acme Robotics will use the $30 million in fresh funding to grow, its chief executive said.")
    thirty = [c for c in cs if c.value.lexical == "30000000"]
    assert len(thirty) == 2 and len({c.group_key() for c in thirty}) == 1


def test_an_unrelated_equal_figure_is_not_a_restatement():
    # no "the", not a headline: two sums of one value stay what each sentence says they are
    cs = claims_of("Acme Robotics raised $30 million in a Series B round. The new plant cost $30 million.")
    props = sorted(c.property.label for c in cs if c.value.lexical == "30000000")
    assert props == ["cost", "funding raised"]


def test_an_earlier_plan_is_marked_as_such():
    cs = claims_of("The Nordlink Bridge is expected to open in June 2027. Previously, the opening was planned for late 2026.")
    plans = {c.value.lexical: quals(c)["status"] for c in cs if c.property.label == "planned date"}
    assert plans == {"2027-06": "current expectation", "2026": "original plan"}


def test_but_now_makes_a_plan_current_again():
    cs = claims_of("Previously delayed, the Nordlink Bridge is now planned for 2030.")
    [c] = [c for c in cs if c.property.label == "planned date"]
    assert quals(c)["status"] == "current expectation"


def test_a_date_before_a_finite_verb_belongs_to_that_verb():
    cs = claims_of("Northwind Capital, the joint venture set up by Acme Robotics and Bluefin Labs on Wednesday "
                   "published its annual report. Northwind Capital was established in March 2014.")
    dates = sorted((c.property.label, c.value.lexical) for c in cs if c.value.kind == "date")
    assert dates == [("inception", "2014-03"), ("publication date", "2024-11-20")]


def test_a_number_with_broken_grouping_is_not_read():
    units = UnitIndex(load().units.values())
    assert [n.value for n in find_numbers("deaths rose to 36,7234 last year", units)] == []
    assert [n.value for n in find_numbers("deaths rose to 36,723 last year", units)] == [36723]


def test_examples_after_a_counted_noun_are_not_what_is_counted():
    cs = claims_of("The Acme Ring tracks more than 20 biometrics like heart rate and skin temperature.")
    [c] = [c for c in cs if c.value.lexical == "20"]
    assert quals(c)["of"] == "biometric"


def test_a_position_that_opens_a_sentence_refers_and_claims_nothing():
    cs = claims_of("Acme Robotics makes rings. The first app integration resulting from the partnership is "
                   "expected to launch in 2025.")
    assert [c.property.label for c in cs if c.property.label == "position among"] == []
    c = [c for c in claims_of("The first country to adopt e-voting was Estonia.")
         if c.property.label == "position among"][0]
    assert (c.subject.label, c.value.lexical, quals(c)["of"]) == ("Estonia", "1", "country to adopt e-voting")


def test_a_vote_count_and_seats_are_the_assemblys_when_no_act_is_named():
    title = "Northland Parliament ratifies the Acme Robotics treaty"
    cs = claims_of(f"{title}\n\nThe treaty was approved by deputies (120 votes out of 150 seats).\n", title=title)
    got = {(c.property.label, c.value.lexical): c.subject.label for c in cs}
    assert got[("votes in favour", "120")] == got[("number of", "150")] == "Northland Parliament"


def test_members_of_a_named_body_are_its_count():
    cs = claims_of("Acme Robotics was the last of the 31 members of the Northern Alliance to sign.")
    [c] = [c for c in cs if c.value.lexical == "31"]
    assert (c.subject.label, quals(c)["of"]) == ("Northern Alliance", "member")


def test_an_event_by_a_body_after_a_parenthetical_date_is_the_bodys():
    cs = claims_of("After ratification, a week ago, by the Northland Parliament, the treaty went to the president.")
    [c] = [c for c in cs if c.property.label == "ratification date"]
    assert c.subject.label == "Northland Parliament"


def test_a_noun_before_an_event_word_names_the_body_last_named():
    cs = claims_of("The Northland Parliament debated the bill. Acme Robotics welcomed this Monday's parliament "
                   "meeting on the bill.")
    [c] = [c for c in cs if c.property.label == "meeting date"]
    assert c.subject.label == "Northland Parliament"


def test_a_plan_for_an_unnamed_process_is_not_a_named_objects():
    title = "Acme Robotics sets its listing price"
    cs = claims_of(f"{title}\n\nThe inclusion of the shares into the Main List of the Northland Stock Exchange "
                   "(NSE) is expected to take place on or around October 7.\n", title=title)
    [c] = [c for c in cs if c.property.label == "planned date"]
    assert c.subject.label == "Acme Robotics"
