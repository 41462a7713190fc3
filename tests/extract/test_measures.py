"""What a figure measures (lithkg.extract.frames.measures), and the group keys it gives across wordings."""
import pytest

from lithkg.extract.frames import measures
from lithkg.extract.frames.reader import Reader
from lithkg.extract.documents import parse_document
from lithkg.rdf import ontology


def _before(text, figure):
    return measures.before(text, text.index(figure), 0)


def _after(text, figure):
    return measures.after(text, text.index(figure) + len(figure), len(text))


@pytest.mark.parametrize("text, figure, key", [
    ("The overall projected budget of the tunnel is $2.4 billion.", "$2.4 billion", "budget"),
    ("Repair costs would total €41 million next year.", "€41 million", "repair cost"),
    ("It was given a regional share of €12 million.", "€12 million", "regional share"),
    ("Net migration (arrivals minus departures) was 8,200.", "8,200", "net migration"),
    ("The museum reported that annual visitors reached 310,000.", "310,000", "annual visitor"),
])
def test_the_phrase_a_figure_is_the_value_of(text, figure, key):
    assert _before(text, figure).key == key


@pytest.mark.parametrize("text, figure, key", [
    ("The clinic recorded 4,210 hospital admissions.", "4,210", "hospital admission"),
    ("Some 300 new firms were registered.", "300", "new company"),
    ("The port handled 90,000 TEU last year.", "90,000", "teu"),
    ("a $40 million valuation", "$40 million", "valuation"),
    ("$12 million in sales", "$12 million", "revenue"),
])
def test_the_noun_phrase_a_figure_counts(text, figure, key):
    assert _after(text, figure).key == key


def test_lemmas_are_singular_and_synonyms_one_word():
    assert [measures.lemma(w) for w in ("Companies", "businesses", "persons", "people", "taxes")] == \
        ["company", "company", "person", "person", "tax"]


def _claims(text, date="2024-05-02", title="A report"):
    doc = parse_document(f"---\ntitle: {title}\npublished: {date}\n---\n{text}\n".encode(), name="t.md")
    return Reader(doc, ontology.load()).claims()


def _key(claim):
    return (claim.property.iri.rsplit("/", 1)[-1],
            {q.property.iri.rsplit("/", 1)[-1]: q.group_value for q in claim.qualifiers if q.scoping})


def test_two_wordings_of_one_cost_share_a_group_and_other_costs_do_not():
    a = _claims("The total estimated cost of the bridge is €900 million, and maintenance costs would total "
                "€40 million.", title="Harbour Bridge costs")
    b = _claims("Harbour Bridge will now cost €1.2 billion.", title="Harbour Bridge")
    cost_a = next(c for c in a if c.value.lexical == "900000000")
    upkeep = next(c for c in a if c.value.lexical == "40000000")
    cost_b = next(c for c in b if c.value.lexical == "1200000000")
    assert _key(cost_a) == _key(cost_b) == ("cost", {"currency": "w:eur"})
    assert cost_a.group_key() == cost_b.group_key()
    assert _key(upkeep)[0] == "cost" and _key(upkeep)[1]["of"] == "w:maintenance"


def test_people_who_became_members_are_counted_as_members_and_a_dated_past_is_a_flow():
    stock = _claims("So far 5,200 foreign citizens have become members of the cooperative.", title="Harbour Cooperative")
    flow = _claims("In 2021 more than 900 people became members.", title="Harbour Cooperative")
    assert _key(stock[0]) == ("count", {"of": "w:member"})
    assert _key(flow[0]) == ("count", {"of": "w:member new"})


def test_a_sum_and_its_conversion_into_another_currency_are_two_figures():
    cs = _claims("The tunnel's total cost is €1.6 billion ($1.7 billion).", title="Harbour Tunnel")
    eur = next(c for c in cs if c.value.lexical == "1600000000")
    usd = next(c for c in cs if c.value.lexical == "1700000000")
    assert eur.group_key() != usd.group_key()


def test_a_rate_is_not_the_count_it_is_made_of():
    cs = _claims("There were 4,100 deaths, or 3.2 deaths per 1,000 residents.", title="Harbour Town")
    count = next(c for c in cs if c.value.lexical == "4100")
    rate = next(c for c in cs if c.value.lexical == "3.2")
    assert _key(count) == ("count", {"of": "w:death"})
    assert _key(rate) == ("rate", {"of": "w:death resident"})  # "per" is a function word in the key


@pytest.mark.parametrize("text, earlier", [
    ("Some 4,100 deaths were registered, up from 3,900.", "3900"),
    ("Net arrivals were 2,210, below last year's 2,480.", "2480"),
    ("The bridge will now cost €1.2 billion rather than the previous estimate of €0.9 billion.", "900000000"),
])
def test_an_earlier_value_is_the_same_quantity(text, earlier):
    cs = _claims(text, title="Harbour Town")
    now, before = cs[0], next(c for c in cs if c.value.lexical == earlier)
    assert before.group_key() == now.group_key()
    assert before.time.point == "2023"


def test_from_a_to_b_and_from_n_things_are_not_earlier_values():
    cs = _claims("The gallery had 5,200 visitors. Marks range from 0 to 100. Visitors came from 95 countries.",
                 title="Harbour Town")
    visitors = _one(cs, "5200")
    assert all(c.group_key() != visitors.group_key() for c in cs if c.value.lexical in ("0", "100", "95"))
    assert _key(_one(cs, "95")) == ("count", {"of": "w:country"})


def _one(cs, value):
    return next(c for c in cs if c.value.lexical == value)


def test_a_bare_figure_in_a_dated_list_repeats_the_quantity_before_it():
    cs = _claims("Over 120 new shops opened in 2019, 150 in 2020 and as many as 210 in 2021.", title="Harbour Town")
    first, second, third = _one(cs, "120"), _one(cs, "150"), _one(cs, "210")
    assert first.group_key() == second.group_key() == third.group_key()
    assert [c.time.point for c in (first, second, third)] == ["2019", "2020", "2021"]


def test_a_percentage_right_after_a_figure_is_its_share_or_its_rate():
    cs = _claims("Some 640 members, or 12 percent, voted. The population grew by 3,300 (1.4%).", title="Harbour Town")
    share, growth, rate = _one(cs, "12"), _one(cs, "3300"), _one(cs, "1.4")
    assert _key(share)[0] == "share"
    assert _key(growth) == ("difference", {"of": "w:population"})
    assert _key(rate) == ("change", {"of": "w:population"})


def test_doubling_is_a_change_of_one_hundred_percent():
    cs = _claims("Ticket sales doubled in 2022.", title="Harbour Town")
    c = _one(cs, "100")
    assert _key(c) == ("change", {"of": "w:revenue ticket"}) and c.time.point == "2022"


def test_a_sum_in_brackets_in_another_currency_is_the_same_figure_converted():
    cs = _claims("The total cost of the tunnel amounts to 1.6 billion euros ($ 1.7 bn).", title="Harbour Tunnel")
    eur, usd = _one(cs, "1600000000"), _one(cs, "1700000000")
    assert _key(eur) == ("cost", {"currency": "w:eur"}) and _key(usd) == ("cost", {"currency": "w:usd"})


@pytest.mark.parametrize("text, prop", [
    ("The whole project is worth $2 billion.", "cost"),
    ("The company is now worth $2 billion.", "valuation"),
])
def test_what_a_thing_is_worth(text, prop):
    assert _key(_one(_claims(text, title="Harbour Works"), "2000000000"))[0] == prop


def test_both_ends_of_a_range_measure_what_stands_before_it():
    cs = _claims("The offer implies a market capitalisation of about €1.6bn-2.1bn.", title="Harbour Works")
    low, high = _one(cs, "1600000000"), _one(cs, "2100000000")
    assert _key(low) == ("valuation", {"currency": "w:eur", "rangeEnd": "w:low"})
    assert _key(high) == ("valuation", {"currency": "w:eur", "rangeEnd": "w:high"})


def test_a_price_range_and_a_share_price_are_one_price():
    a = _claims("The share price indicated in the prospectus ranges from €10.50 to €12.00.", title="Harbour Works")
    b = _claims("Harbour Works set a price range of €10.5-€12.", title="Harbour Works")
    for value in ("10.5", "12"):
        assert _one(a, value).group_key() == _one(b, value).group_key()
        assert _key(_one(a, value))[0] == "price"


def test_a_budget_rising_to_a_sum_and_a_project_that_would_require_one_state_its_cost():
    cs = _claims("The bridge's budget is rising to over €2 billion. Finishing the bridge would require €2.4 billion.",
                 title="Harbour Bridge")
    assert _key(_one(cs, "2000000000")) == _key(_one(cs, "2400000000")) == ("cost", {"currency": "w:eur"})


def test_the_number_stands_for_the_quantity_the_sentence_names():
    cs = _claims("It is the lowest net migration since 1990, when the number sat at 1,200.", title="Harbour Town")
    assert _key(_one(cs, "1200")) == ("count", {"of": "w:migration net"})


def test_funding_dates_of_two_rounds_are_two_dates():
    cs = _claims("In May 2019, the company banked a Series B round. It secured its first funding in 2015.",
                 title="Harbour Works")
    b, first = _one(cs, "2019-05"), _one(cs, "2015")
    assert b.group_key() != first.group_key()


def test_a_part_of_a_count_and_its_share():
    cs = _claims("The club has seen 5,000 people become members, and 1,250 of them, or 25 percent, have voted.",
                 title="Harbour Club")
    part, share = _one(cs, "1250"), _one(cs, "25")
    assert _key(part) == ("count", {"of": "w:member", "part": "w:subset"})
    assert _key(share) == ("share", {"of": "w:member"})


def test_a_part_made_in_a_year_is_that_years_flow():
    cs = _claims("Members have founded 900 clubs, 120 of which were founded in 2021.", title="Harbour Club")
    c = _one(cs, "120")
    assert _key(c) == ("count", {"of": "w:club new"}) and c.time.point == "2021"


def test_a_count_restated_per_month_and_a_bare_monthly_figure_are_one_rate():
    cs = _claims("In 2019 more than 2,400 people became members, or around 200 persons per month on average. "
                 "In 2020 the number of new members has been lower (on average over 150 per month).",
                 title="Harbour Club")
    assert _key(_one(cs, "200")) == _key(_one(cs, "150")) == ("rate", {"of": "w:member month new"})


def _quals(claim):
    return {q.property.iri.rsplit("/", 1)[-1]: (q.value.lexical, q.scoping) for q in claim.qualifiers}


def test_who_reports_a_figure_is_its_cited_source_never_its_subject():
    cs = _claims("According to Harbour Statistics, the town registered 1,200 births in 2023.", title="Harbour Town")
    c = _one(cs, "1200")
    assert c.subject.label == "Harbour Town"
    assert _quals(c)["citedSource"] == ("Harbour Statistics", False)


def test_a_cost_per_unit_is_not_the_cost():
    cs = _claims("The total cost of the bridge is €900 million, or €3m per metre.", title="Harbour Bridge")
    assert _one(cs, "900000000").group_key() != _one(cs, "3000000").group_key()


def test_the_nth_edition_of_a_named_event_and_a_name_that_qualifies_a_noun():
    cs = _claims("Delegates met at the first Harbour Forum in Riga. It was the first EU city to join.",
                 title="Harbour Town")
    edition = next(c for c in cs if c.value.lexical == "1" and c.subject.label == "Harbour Forum")
    assert _key(edition) == ("orderAmong", {"of": "w:edition"})
    assert all(c.subject.label != "European Union" for c in cs)


def test_sums_in_a_list_after_names_are_each_names_and_an_adverb_opens_a_clause():
    cs = _claims("Tallinn would pay €20 million, Tartu €15 million and Narva €5 million. "
                 "Even the Harbour Board made a $9 million order.", title="Harbour Works")
    assert [_one(cs, v).subject.label for v in ("15000000", "5000000")] == ["Tartu", "Narva"]
    assert _one(cs, "9000000").subject.label.endswith("Harbour Board")


def test_a_named_forum_is_one_name_with_the_gazetteer_name_in_it():
    cs = _claims("Delegates met at the first Rail Baltica Business Forum in Riga.", title="Harbour Town")
    assert any(c.subject.label == "Rail Baltica Business Forum" for c in cs)


def test_a_share_someone_owns_is_a_share_of_what_is_owned():
    cs = _claims("The city of Tallinn owns 51% of Harbour Works.", title="Harbour Works")
    c = _one(cs, "51")
    assert c.subject.label == "Harbour Works" and _quals(c)["owner"][0].endswith("tallinn")


def test_an_ordinal_in_an_appositive_is_about_its_head():
    cs = _claims("Visitors come to Tartu, the second biggest city in Estonia.", title="Harbour Town")
    assert _one(cs, "2").subject.label == "Tartu"
