"""A figure as the text stated it (lithkg.read.stated): claims-listing rows built for each kind of value."""
import pytest

from lithkg.rdf.ontology import load
from lithkg.read.stated import date, number, ordinal, stated, value_kind

LKGP = "https://w3id.org/lithkg/prop/"
UNIT = "http://qudt.org/vocab/unit/"
CUR = "http://qudt.org/vocab/currency/"


def row(prop: str, value, *, unit=None, bound=None, qualifiers=None, **more) -> dict:
    """A row with the keys of the claims-listing contract that a figure's text reads."""
    return {"property": LKGP + prop, "value": value, "unit": unit, "bound": bound, "qualifiers": qualifiers or {},
            **more}


@pytest.mark.parametrize("given,text", [
    # counts: in full, thousands separators, what is counted after the number
    (row("participants", 1000000, bound="lower"), "more than 1,000,000 people"),
    (row("participants", 2000000, bound="approx"), "about 2,000,000 people"),
    (row("count", 38000, bound="approx", qualifiers={"of": "ICT specialists"}), "about 38,000 ICT specialists"),
    (row("count", 12, bound="upper", qualifiers={"of": "ships", "located in": "Poland"}), "up to 12 ships in Poland"),
    (row("votesInFavour", 123), "123 votes"),
    # ranks and positions: ordinals, the index or what they are among after them
    (row("rank", 6), "6th"),
    (row("rank", 6, qualifiers={"index": "National Cyber Security Index"}), "6th in the National Cyber Security Index"),
    (row("rank", 22, qualifiers={"index": "the Henley Passport Index", "cited source": "a report"}),
     "22nd in the Henley Passport Index"),
    (row("orderAmong", 1, qualifiers={"of": "countries to leave the Soviet Union"}),
     "1st among countries to leave the Soviet Union"),
    (row("orderAmong", 3, qualifiers={"of": "donors", "period": "the first four weeks"}),
     "3rd among donors (the first four weeks)"),
    (row("anniversary", 31), "31st"),
    # money: the currency before the number, millions and billions in words
    (row("valuation", 1600000000, unit=CUR + "USD"), "$1.6 billion"),
    (row("cost", 500000000, unit=CUR + "EUR", bound="approx"), "about €500 million"),
    (row("cost", 1234567, unit=CUR + "GBP"), "£1,234,567"),
    (row("amount", 266000000, unit=CUR + "EUR", qualifiers={"currency": "EUR", "of": "covered"}),
     "€266 million (covered)"),
    (row("fundingRaised", 20000000, unit=CUR + "PLN", unit_label="PLN"), "PLN 20 million"),
    (row("fundingRaised", 75000000, unit=CUR + "USD", qualifiers={"investor": "a fund", "funding round": "Series B"}),
     "$75 million from a fund (Series B)"),
    (row("revenue", -5000, unit=CUR + "EUR"), "-€5,000"),
    # shares
    (row("shareOfGdp", 0.06, unit=UNIT + "PERCENT"), "0.06%"),
    (row("change", 30, unit=UNIT + "PERCENT", qualifiers={"of": "spending on cyber security"}),
     "30% (spending on cyber security)"),
    (row("change", -2.5, unit=UNIT + "PERCENT", qualifiers={"range end": "low"}), "-2.5% (low end of a range)"),
    # quantities with units
    (row("length", 165, unit=UNIT + "KiloM", qualifiers={"located in": "Lithuania"}), "165 km in Lithuania"),
    (row("length", 534, unit=UNIT + "KiloM", qualifiers={"status": "planned"}), "534 km (planned)"),
    (row("length", 600, unit=UNIT + "KiloM", bound="lower"), "more than 600 km"),
    (row("volume", 2400000000, unit=UNIT + "M3"), "2.4 billion m³"),
    (row("height", 1250.5, unit=UNIT + "M"), "1,250.5 m"),
    # dates at the text's precision
    (row("launchDate", "2022-05-01"), "1 May 2022"),
    (row("launchDate", "2014-10"), "October 2014"),
    (row("date", "2021"), "2021"),
    (row("since", "2022-04", qualifiers={"of": "unicorn status"}), "April 2022 (unicorn status)"),
    (row("date", "1990", bound="lower"), "after 1990"),
    # entities by their label, text as it is
    (row("connects", "https://w3id.org/lithkg/id/entity/poland", value_label="Poland"), "Poland"),
    (row("tiedWith", "https://w3id.org/lithkg/id/entity/slovakia", qualifiers={"index": "Henley Passport Index"}),
     "Slovakia in the Henley Passport Index"),
    (row("connects", "https://w3id.org/lithkg/id/entity/nowhere-known"), "nowhere-known"),
])
def test_a_figure_reads_as_the_text_stated_it(given, text):
    assert stated(given, load()) == text
    assert stated(given) == text  # the bundled ontology by default


def test_a_property_the_ontology_does_not_know_is_read_from_its_value_and_unit():
    assert stated(row("userMeasure", 4500000, unit=UNIT + "KiloM")) == "4.5 million km"
    assert stated(row("userMeasure", 4500000, unit=CUR + "USD")) == "$4.5 million"
    assert stated(row("userMeasure", 7, unit=UNIT + "PERCENT")) == "7%"
    assert stated(row("userMeasure", 4500000)) == "4,500,000"
    assert stated(row("userMeasure", 4, value_kind="Ordinal")) == "4th"
    assert stated(row("userMeasure", "a new name")) == "a new name"
    assert value_kind(row("userMeasure", 4500000, unit=UNIT + "KiloM")) == "Quantity"
    assert stated(row("userMeasure", 3, qualifiers={"cited source": "x", "region": "north"})) == "3 (region: north)"


@pytest.mark.parametrize("n,text", [(1, "1st"), (2, "2nd"), (3, "3rd"), (4, "4th"), (11, "11th"), (12, "12th"),
                                    (13, "13th"), (21, "21st"), (102, "102nd"), (111, "111th"), (1001, "1,001st"),
                                    (2.5, "2.5")])
def test_ordinals(n, text):
    assert ordinal(n) == text


@pytest.mark.parametrize("value,words,text", [
    (1000000, False, "1,000,000"), (1000000, True, "1 million"), (2450000, True, "2.45 million"),
    (2456000, True, "2,456,000"), (3e12, True, "3 trillion"), (999999, True, "999,999"), (0.06, False, "0.06"),
    (1234.5, False, "1,234.5"), (-1500, False, "-1,500"), (10.0, False, "10"), (1e-7, False, "0.0000001"),
])
def test_numbers(value, words, text):
    assert number(value, words=words) == text


@pytest.mark.parametrize("iso,text", [("2022-05-01", "1 May 2022"), ("1989-08-23", "23 August 1989"),
                                      ("2014-10", "October 2014"), ("2021", "2021"), ("0900", "900"),
                                      ("2022-13", "2022"), ("soon", "soon"), ("2022-05-01T10:00:00Z", "1 May 2022")])
def test_dates(iso, text):
    assert date(iso) == text
