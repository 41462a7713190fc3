from decimal import Decimal

import pytest

from lithkg.extract.dates import find_dates
from lithkg.extract.values import UnitIndex, find_numbers, find_ordinals
from lithkg.rdf.ontology import load


@pytest.fixture(scope="module")
def units():
    return UnitIndex(load().units.values())


@pytest.mark.parametrize("text,kind,value,bound,unit", [
    ("more than a million people", "number", 1000000, "lower", None),
    ("Over 10,000 students", "number", 10000, "lower", None),
    ("some 38,000 professionals", "number", 38000, "approx", None),
    ("44.5 thousand households", "number", 44500, None, None),
    ("raised $100 million", "money", 100000000, None, "USD"),
    ("a $1.6 billion valuation", "money", 1600000000, None, "USD"),
    ("EUR 558 million", "money", 558000000, None, "EUR"),
    ("€1bn fund", "money", 1000000000, None, "EUR"),
    ("$30m deal", "money", 30000000, None, "USD"),
    ("0.06% of GDP", "percent", Decimal("0.06"), None, "PERCENT"),
    ("about 4 per cent", "percent", 4, "approx", "PERCENT"),
    ("The 508-kilometre pipeline", "quantity", 508, None, "http://qudt.org/vocab/unit/KiloM"),
    ("stretches 165 kilometres in", "quantity", 165, None, "http://qudt.org/vocab/unit/KiloM"),
    ("nearly 2,000 visitors", "number", 2000, "approx", None),
])
def test_numbers(units, text, kind, value, bound, unit):
    [m] = find_numbers(text, units)
    assert (m.kind, m.value, m.bound, m.unit) == (kind, Decimal(value), bound, unit)


@pytest.mark.parametrize("text", ["COVID-19 rules", "the 17+1 format", "Model X-200 crane"])
def test_numbers_inside_names_are_not_values(units, text):
    assert find_numbers(text, units) == []


def test_ordinals():
    assert [int(m.value) for m in find_ordinals("ranks 6th, the third biggest, its second, 31st, third-largest")] == \
        [6, 3, 2, 31, 3]
    assert find_ordinals("a first-class service") == []


@pytest.mark.parametrize("text,doc_date,value,relative", [
    ("launched on 1st of May 2022", "2022", "2022-05-01", None),
    ("on 23 August 1989", "2021", "1989-08-23", None),
    ("On 7 April, it", "2022", "2022-04-07", None),
    ("in August 2020", "2021", "2020-08", None),
    ("Since the beginning of April", "2022", "2022-04", None),
    ("In March, the", "2022", "2022-03", None),
    ("back in 2014", "2022", "2014", None),
    ("Last year, spending", "2022-05-02", "2021", "last year"),
    ("currently ranks", "2022-05-02", "2022", "currently"),
    ("signed on Wednesday", "2024-03-07", "2024-03-06", "wednesday"),
])
def test_dates(text, doc_date, value, relative):
    [d] = find_dates(text, doc_date)
    assert (d.value, d.relative) == (value, relative)


def test_years_that_are_quantities_are_not_dates():
    assert find_dates("it is 2050 km long", "2022") == []
    assert find_dates("COVID-19 in May", "2022") == [] or all(d.value != "2019" for d in find_dates("COVID-19", "2022"))
