"""Dates in real prose (find_dates) and the date claims the event rules make from them."""
import time

import pytest

from lithkg.extract import ExtractionContext, get
from lithkg.extract.dates import find_dates
from lithkg.extract.documents import parse_document
from lithkg.rdf.ontology import load


def claims_of(text: str, published="2023-03-15", title="Nordic Rail news"):
    doc = parse_document(text.encode(), name="t.md", published=published, title=title)
    return get("frames").extract(doc, ExtractionContext(ontology=load()))


def dated(text, prop, **kw):
    found = [c for c in claims_of(text, **kw) if c.property.label == prop]
    assert len(found) == 1, [(c.property.label, c.value.lexical) for c in claims_of(text, **kw)]
    return found[0]


def quals(c):
    return {q.property.label: q.value.display() for q in c.qualifiers}


def spans(text, doc_date, previous=None):
    return [(text[d.start:d.end], d.value) for d in find_dates(text, doc_date, previous)]


# ---------------------------------------------------------------- find_dates
@pytest.mark.parametrize("text,doc_date,quoted,value,relative", [
    # weekdays, with or without "on", resolved against the publication date
    ("The council voted on Thursday.", "2023-03-15", "Thursday", "2023-03-09", "thursday"),
    ("The ferry line said Tuesday it would add a route.", "2023-03-15", "Tuesday", "2023-03-14", "tuesday"),
    ("Delegates met at this Wednesday's summit.", "2023-03-15", "this Wednesday's", "2023-03-15", "wednesday"),
    ("The vote will be held on Friday.", "2023-03-15", "Friday", "2023-03-17", "friday"),
    ("The mayor resigned last Wednesday.", "2023-03-15", "last Wednesday", "2023-03-08", "wednesday"),
    ("It opened on Monday.", "2023-03", "Monday", "2023-03", "monday"),
    # other relative dates
    ("The treaty was signed a month ago.", "2023-03-15", "a month ago", "2023-02", "a month ago"),
    ("The bridge closed last week.", "2023-03-15", "last week", "2023-03", "last week"),
    # a count back from the document's date, to the precision the count knows
    ("The ferry sank three days ago.", "2023-03-15", "three days ago", "2023-03-12", "three days ago"),
    ("The mill shut two weeks ago.", "2023-03-15", "two weeks ago", "2023-03", "two weeks ago"),
    ("Work began 18 months ago.", "2023-03-15", "18 months ago", "2021-09", "18 months ago"),
    ("Talks began almost two years ago.", "2023-03-15", "two years ago", "2021", "two years ago"),
    ("The strike ended yesterday.", "2023-01-01", "yesterday", "2022-12-31", "yesterday"),
    ("Today the museum reopens.", "2023-03-15", "Today", "2023-03-15", "today"),
    # parts of a year, and months with a part
    ("The harbour was dredged in late 2014.", "2023", "late 2014", "2014", None),
    ("Tests are due in the first half of 2025.", "2024-11", "the first half of 2025", "2025", None),
    ("The line should open by the end of 2026.", "2024", "the end of 2026", "2026", None),
    ("Sales began at the beginning of 2015.", "2020", "the beginning of 2015", "2015", None),
    # abbreviated months, year-less days, days with a time
    ("The senate approved it on Jan. 23 by a wide margin.", "2023-03-15", "Jan. 23", "2023-01-23", None),
    ("The lease ran out on Sept. 5.", "2023-10-10", "Sept. 5", "2023-09-05", None),
    ("Bids are accepted until 17:00 on 2 April.", "2023-03-15", "17:00 on 2 April", "2023-04-02", None),
    ("The stadium was built on March 30, 2011.", "2023", "March 30, 2011", "2011-03-30", None),
    ("Results are expected on or around May 9.", "2023-03-15", "May 9", "2023-05-09", None),
])
def test_dates_in_news_prose(text, doc_date, quoted, value, relative):
    [d] = [d for d in find_dates(text, doc_date) if text[d.start:d.end] == quoted]
    assert (d.value, d.relative) == (value, relative)


def test_the_part_of_a_year_and_the_time_of_day_are_kept():
    [d] = find_dates("The pier was rebuilt in late 2014.", "2023")
    assert (d.value, d.part) == ("2014", "late")
    [d] = find_dates("Bids close at 1pm (CET) on 2 April.", "2023-03-15")
    assert (d.value, d.clock) == ("2023-04-02", "1pm (CET)")


def test_the_following_day_is_the_day_after_the_date_stated_before():
    assert spans("The canal closes on 8 May 2025 and reopens the following day.", "2024-06-11") == \
        [("8 May 2025", "2025-05-08"), ("the following day", "2025-05-09")]
    # the date stated in the sentence before
    assert spans("The ferry returns a day later.", "2024-06-11", previous="2024-12-31") == \
        [("a day later", "2025-01-01")]
    # no date stated before: nothing to resolve it against
    assert spans("The ferry returns the next day.", "2024-06-11") == []
    # "the day after X" names its own anchor
    assert spans("It was held 30 years to the day after the treaty.", "2024-06-11") == []


def test_year_less_dates_take_the_year_that_makes_sense():
    # a day weeks ahead of the publication date is this year's, as is one in a sentence about the future
    assert spans("Voting closes on 1 October.", "2020-09-21") == [("1 October", "2020-10-01")]
    assert spans("The new line will open on 20 December.", "2023-03-15") == [("20 December", "2023-12-20")]
    # a day long after the publication date, told in the past, was last year's
    assert spans("The old mill burned down on 20 December.", "2023-03-15") == [("20 December", "2022-12-20")]
    # a deadline month already past is next year's
    assert spans("The road must be finished by the end of March.", "2024-06-01") == [("the end of March", "2025-03")]
    # a year-less day after a dated one takes its year
    assert spans("Bids open on 28 December 2020 and close on 4 January.", "2020") == \
        [("28 December 2020", "2020-12-28"), ("4 January", "2021-01-04")]


def test_lower_case_abbreviations_and_counts_are_not_dates():
    assert spans("The index rose by mar 5 points.", "2023") == []
    assert spans("Sales in Jan 12 percent higher", "2023") == []


def test_find_dates_is_fast():
    text = ("The regional council voted on Tuesday to extend the tram line by 4.2 km, and the works should start "
            "in the first half of 2025, a month after the tender closes at 12:00 on 3 March.")
    t0 = time.perf_counter()
    for _ in range(2000):
        find_dates(text, "2024-11-20")
    assert time.perf_counter() - t0 < 2.0  # well under a millisecond a sentence


# ---------------------------------------------------------------- event dates
@pytest.mark.parametrize("text,prop,value,subject", [
    ("The Finnish Parliament voted on Tuesday to approve the fisheries law.", "vote date", "2023-03-14",
     "Finnish Parliament"),
    ("The Tartu Observatory report was published on Feb. 2 after a delay.", "publication date", "2023-02-02",
     "Tartu Observatory"),
    ("The Museum of Tallinn was founded in late 1864.", "inception", "1864", "Museum of Tallinn"),
    ("Nordic Rail announced Monday that it had hired a new chief executive.", "announcement date", "2023-03-13",
     "Nordic Rail"),
    ("In May 2019, during a downturn, Nordic Rail banked a fresh funding round.", "funding date", "2019-05",
     "Nordic Rail"),
])
def test_a_date_next_to_an_event_word_is_that_events_date(text, prop, value, subject):
    c = dated(text, prop)
    assert (c.value.lexical, c.subject.label) == (value, subject)


def test_a_start_still_to_come_is_planned_and_says_what_starts():
    c = dated("Trading of the new shares will start on 4 April.", "start date")
    assert (c.value.lexical, quals(c)) == ("2023-04-04", {"of": "trading", "status": "planned"})


def test_a_dated_period_gives_its_start_and_its_end():
    cs = claims_of("The subscription for the bonds runs from noon on 20 March to 5pm (CET) on 27 March.")
    got = {(c.property.label, c.value.lexical, quals(c)["of"]) for c in cs if c.value.kind == "date"}
    assert got == {("start date", "2023-03-20", "subscription"), ("end date", "2023-03-27", "subscription")}
    assert not [c for c in cs if c.value.kind == "number"]  # "5pm" is a time, not a count


def test_the_following_day_in_the_next_sentence():
    cs = claims_of("Finland will leave the old grid on 4 May 2024. Finland will connect to the new grid the "
                   "following day.")
    c = next(c for c in cs if c.property.label == "connection date")
    assert (c.value.lexical, c.subject.label, quals(c)) == ("2024-05-05", "Finland", {"status": "planned"})


def test_a_period_named_by_its_end_is_no_event():
    cs = claims_of("In the year ended June 2022, 4,100 ships called at the port.")
    assert not [c for c in cs if c.property.label == "end date"]


def test_the_date_of_a_count_is_no_event_date():
    cs = claims_of("Slightly over 9,000 new members registered in 2021.")
    assert not [c for c in cs if c.property.label == "registration date"]


def test_years_stated_as_the_value():
    c = dated("For the ferry line the best year was 2019.", "peak date")
    assert c.value.lexical == "2019"
    c = dated("Ridership on the ferry line was the lowest since 1952.", "most extreme since")
    assert (c.value.lexical, quals(c)["of"]) == ("1952", "lowest")
    c = dated("Freight volumes were the highest since the June 2008 year.", "most extreme since")
    assert c.value.lexical == "2008-06"


def test_a_first_plan_keeps_its_status():
    c = dated("Completion of the tunnel is planned for the end of 2026 initially.", "planned date")
    assert (c.value.lexical, quals(c)["status"]) == ("2026", "original plan")


def test_the_vocabulary_of_event_kinds_comes_from_the_ontology():
    from lithkg.extract.frames.events import event_vocabulary
    onto = load()
    _, words = event_vocabulary(onto)
    assert words["ratification"] == "ratificationDate" and words["launched"] == "launchDate" and words["founding"] == "inception"
    for name in set(words.values()):
        assert onto.property(name).value_kind == "Date"


def test_a_state_held_since_a_year():
    c = dated("Nordic Rail runs the 12 ferries under lease since 2009.", "since")
    assert (c.value.lexical, quals(c)["of"]) == ("2009", "under lease")


def test_a_span_of_years_and_a_clause_in_between_make_no_event_date():
    cs = claims_of("Freight grew by 40% between 2017 and 2022.")
    assert not [c for c in cs if c.property.label in ("start date", "end date")]
    cs = claims_of("The panel agreed that the port would need to raise €2bn by 2030.")
    assert not [c for c in cs if c.property.label == "agreement date"]
