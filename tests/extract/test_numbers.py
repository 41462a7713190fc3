"""find_numbers / find_ordinals on kinds of statement in real prose: ranges, scale words and units, number words
and fractions, rates, things that are not numbers, ordinals of a scale, percentages after a count."""
from decimal import Decimal

import pytest

from lithkg.extract.values import UnitIndex, find_numbers, find_ordinals
from lithkg.rdf.ontology import load

UNIT = "http://qudt.org/vocab/unit/"


@pytest.fixture(scope="module")
def units():
    return UnitIndex(load().units.values())


def spans(text, found):
    return [text[m.start:m.end] for m in found]


# ------------------------------------------------------------------------------------------------------ ranges
@pytest.mark.parametrize("text,kind,unit,low,high,bound", [
    ("the bakery chain is worth €2.4bn-3.15bn today", "money", "EUR", 2_400_000_000, 3_150_000_000, None),
    ("a loan of GBP 40-55 million to the club", "money", "GBP", 40_000_000, 55_000_000, None),
    ("ticket sales of around $7bn-8bn next season", "money", "USD", 7_000_000_000, 8_000_000_000, "approx"),
    ("the dam will cost between €1.25bn and €1.5bn", "money", "EUR", 1_250_000_000, 1_500_000_000, None),
    ("inflation of 0.3 to 0.4 percentage points", "percent", "PERCENT", Decimal("0.3"), Decimal("0.4"), None),
    ("a trail from 8 to 11 km long", "quantity", UNIT + "KiloM", 8, 11, None),
    ("repairs worth $5-6 million", "money", "USD", 5_000_000, 6_000_000, None),
    ("bonds of 4 to 9 billion euros", "money", "EUR", 4_000_000_000, 9_000_000_000, None),
    ("between 25 and 30 percent of voters", "percent", "PERCENT", 25, 30, None),
    ("a yield growth of 1.5 to 2 percent", "percent", "PERCENT", Decimal("1.5"), 2, None),
    ("an increase of 40 to 60 km", "quantity", UNIT + "KiloM", 40, 60, None),
])
def test_both_ends_of_a_range_take_what_the_text_writes_once(units, text, kind, unit, low, high, bound):
    lo, hi = [m for m in find_numbers(text, units) if m.range_role]
    assert (lo.kind, lo.unit, lo.value, lo.range_role, lo.bound) == (kind, unit, Decimal(low), "low", bound)
    assert (hi.kind, hi.unit, hi.value, hi.range_role, hi.bound) == (kind, unit, Decimal(high), "high", bound)


def test_a_range_keeps_its_own_spans(units):
    text = "bids of about €3bn-4bn arrived"
    assert spans(text, find_numbers(text, units)) == ["about €3bn", "4bn"]


@pytest.mark.parametrize("text", ["the 2019-2020 season", "in 2011–2016 the mill", "a 3-1 win at home"])
def test_spans_of_years_and_scores_are_not_ranges(units, text):
    assert all(m.range_role is None and m.kind == "number" for m in find_numbers(text, units))


def test_a_change_is_not_a_range_but_shares_its_unit(units):
    [a, b] = find_numbers("turnout rose from 61 to 64 percent", units)
    assert (a.kind, a.value, a.range_role, b.kind, b.value, b.range_role) == \
        ("percent", 61, None, "percent", 64, None)
    [p, q] = find_numbers("exports grew by 4.5% to 80.2 petajoules", units)
    assert (p.kind, q.kind, q.value) == ("percent", "number", Decimal("80.2"))


def test_a_year_before_a_value_is_not_its_low_end(units):
    [y, m] = find_numbers("the levy doubled in 2019 to €4.5 million", units)
    assert (y.kind, y.value, y.range_role, m.kind, m.range_role) == ("number", 2019, None, "money", None)


def test_a_scale_letter_is_not_a_unit(units):
    [m] = find_numbers("Acme raises 150M", units)
    assert (m.kind, m.value) == ("number", 150_000_000)


def test_between_needs_its_and(units):
    assert [m.range_role for m in find_numbers("between 40 and 50 boats", units)] == ["low", "high"]
    assert [m.range_role for m in find_numbers("40 boats and 50 cars", units)] == [None, None]


# ------------------------------------------------------------------------------------------- scales and units
@pytest.mark.parametrize("text,kind,value,unit,span", [
    ("a fleet worth 31.407mn", "number", 31_407_000, None, "31.407mn"),
    ("with 52.3 thousand members", "number", 52_300, None, "52.3 thousand"),
    ("a town of 2 million 450 thousand people", "number", 2_450_000, None, "2 million 450 thousand"),
    ("imports of 7 bcm a year", "quantity", 7_000_000_000, UNIT + "M3", "7 bcm"),
    ("a tank of 2.4 e6 m3", "quantity", 2_400_000, UNIT + "M3", "2.4 e6 m3"),
    ("trams run at 70km/h here", "quantity", 70, UNIT + "KiloM-PER-HR", "70km/h"),
    ("ferries sail at 45 kilometres per hour", "quantity", 45, UNIT + "KiloM-PER-HR", "45 kilometres per hour"),
    ("gusts of 60 mph", "quantity", 60, UNIT + "MI-PER-HR", "60 mph"),
    ("a 110kV line", "quantity", 110, UNIT + "KiloV", "110kV"),
    ("a 600mm track", "quantity", 600, UNIT + "MilliM", "600mm"),
    ("a 3 m wall", "quantity", 3, UNIT + "M", "3 m"),
    ("the hall cost (£ 2.3 bn) in total", "money", 2_300_000_000, "GBP", "£ 2.3 bn"),
])
def test_scales_and_units(units, text, kind, value, unit, span):
    [m] = find_numbers(text, units)
    assert (m.kind, m.value, m.unit, text[m.start:m.end]) == (kind, Decimal(value), unit, span)


def test_a_speed_is_never_a_length(units):
    for text in ("trains at 160km/h", "trains at 160 km/h", "cars at 90 kilometers per hour"):
        [m] = find_numbers(text, units)
        assert m.unit == UNIT + "KiloM-PER-HR"
    unit = load().units[UNIT + "KiloM-PER-HR"]
    assert unit.quantity_property.endswith("/speed")


# ------------------------------------------------------------------------------------- number words, fractions
@pytest.mark.parametrize("text,value,bound,span", [
    ("a two-thirds vote of the senate", Decimal(200) / 3, None, "two-thirds"),
    ("two thirds of the members", Decimal(200) / 3, None, "two thirds"),
    ("three quarters of the roofs", 75, None, "three quarters"),
    ("with three-quarters paid by the city", 75, None, "three-quarters"),
    ("a third of the orchards", Decimal(100) / 3, None, "a third"),
    ("half of the lakes froze", 50, None, "half"),
    ("more than half of the seats", 50, "lower", "more than half"),
    ("a quarter of the staff", 25, None, "a quarter"),
])
def test_fractions_are_percentages(units, text, value, bound, span):
    [m] = find_numbers(text, units)
    assert (m.kind, m.value, m.bound, m.unit, m.spelled, text[m.start:m.end]) == \
        ("percent", value, bound, "PERCENT", True, span)
    assert find_ordinals(text) == []


@pytest.mark.parametrize("text", ["the past three quarters of trading", "a third round of talks", "a year and a half",
                                  "in the first quarter of the year", "in the second half of 2031",
                                  "half of the decade"])
def test_periods_and_ordinals_are_not_fractions(units, text):
    assert all(m.kind != "percent" for m in find_numbers(text, units))


def test_number_words(units):
    assert [(m.value, m.spelled) for m in find_numbers("four vans and fourteen bikes", units)] == \
        [(4, True), (14, True)]
    assert [m.value for m in find_numbers("twenty-five judges, forty two clerks, two hundred chairs", units)] == \
        [25, 42, 200]
    [m] = find_numbers("after almost two years of talks", units)
    assert (m.kind, m.value, m.unit, m.bound, m.spelled) == ("quantity", 2, UNIT + "YR", "upper", True)


# ----------------------------------------------------------------------------------------------------- rates
@pytest.mark.parametrize("text,value,per", [
    ("a death rate of 2.9 per 1,000 live births", Decimal("2.9"), "1,000 live births"),
    ("a fertility rate of 1.4 births per woman in 2010", Decimal("1.4"), "woman"),
    ("roughly 800 per month on average", 800, "month"),
    ("a price of €12m per km of road", 12_000_000, "km"),
    ("rents rose 3 percent per year", 3, "year"),
    ("fares rose 0.4 percentage points a year", Decimal("0.4"), "year"),
    ("some 900 tourists a day", 900, "day"),
])
def test_rates_keep_their_denominator_and_not_its_number(units, text, value, per):
    m, *rest = find_numbers(text, units)
    assert (m.value, m.per) == (value, per) and all(r.value >= 1900 for r in rest)


def test_a_date_before_a_period_is_no_rate(units):
    [m] = find_numbers("in 2016 a year after the fire", units)
    assert m.per is None


def test_a_denominator_alone_is_not_a_number(units):
    assert find_numbers("deaths per 100,000 people fell", units) == []
    [m] = find_numbers("about 4 per cent", units)
    assert (m.kind, m.per) == ("percent", None)


# -------------------------------------------------------------------------------------------- not numbers
@pytest.mark.parametrize("text", ["the vote opens at 09:30 on", "closes at 17:00 sharp", "from 2pm (CET) to",
                                  "at 11 a.m. local time", "a 24/7 helpline", "its Series B round",
                                  "the ferry leaves at 15.45 CET", "at 8 PM sharp", "kick-off at 20:45 (BST)"])
def test_times_of_day_and_names_are_not_numbers(units, text):
    assert find_numbers(text, units) == []


# ---------------------------------------------------------------------------------------- ordinals of a scale
@pytest.mark.parametrize("text,value,span", [
    ("the mill shipped its millionth tyre", 1_000_000, "millionth"),
    ("the 3.5 millionth passenger", 3_500_000, "3.5 millionth"),
    ("its 10 thousandth visitor", 10_000, "10 thousandth"),
    ("their billionth download", 1_000_000_000, "billionth"),
])
def test_ordinals_of_a_scale_are_counts(units, text, value, span):
    [o] = find_ordinals(text)
    assert (o.value, o.scale_word, text[o.start:o.end]) == (value, True, span)
    assert find_numbers(text, units) == []


# -------------------------------------------------------------------------------- percentages after a count
@pytest.mark.parametrize("text,count,share", [
    ("the town lost 8,150, or 3.1 percent, of its people", 8150, Decimal("3.1")),
    ("the herd grew by 41,200 (1.85%) last year", 41200, Decimal("1.85")),
])
def test_a_percentage_after_a_count(units, text, count, share):
    [n, p] = find_numbers(text, units)
    assert (n.kind, n.value, p.kind, p.value) == ("number", count, "percent", share)
