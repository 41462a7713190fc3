from pathlib import Path

import pytest

from lithkg.errors import ClaimsFileError, UnknownTermError
from lithkg.extract import available, get
from lithkg.extract.curated import entry_to_claim, load_claims_file
from lithkg.rdf.ontology import load

from conftest import write

TEXT = ("The 508-kilometre pipeline was launched on 1 May 2022. It cost about EUR 500 million. "
        "The pipeline runs 165 km in Lithuania. The pipeline runs 165 km in Lithuania.")


def claims_file(tmp_path, body: str) -> Path:
    write(tmp_path / "doc.txt", TEXT)
    return write(tmp_path / "c.yaml", "document: doc.txt\nclaims:\n" + body)


def convert(tmp_path, body: str):
    cf = load_claims_file(claims_file(tmp_path, body), name="c.yaml")
    return [entry_to_claim(e, TEXT, "doc.txt", load()) for e in cf.entries]


def test_the_curated_extractor_is_registered():
    assert "curated" in available()
    assert get("curated").name == "curated"


def test_claim_fields_units_qualifiers_and_anchor(tmp_path):
    [c, money, region] = convert(tmp_path, """\
  - {subject: GIPL, property: length, value: 508, unit: km, quote: "508-kilometre pipeline"}
  - {subject: GIPL, property: cost, value: 500000000, unit: EUR, bound: about, quote: "about EUR 500 million"}
  - {subject: GIPL, property: length, value: 165, unit: kilometres, qualifiers: {located in: Lithuania},
     quote: "165 km in Lithuania", occurrence: 2}
""")
    assert c.subject.iri.endswith("/entity/gipl") and c.property.iri.endswith("/prop/length")
    assert (c.value.lexical, c.unit) == ("508", "http://qudt.org/vocab/unit/KiloM")
    assert TEXT[c.evidence.start:c.evidence.end] == "508-kilometre pipeline"
    assert (money.unit, money.bound) == ("http://qudt.org/vocab/currency/EUR", "approx")
    assert region.evidence.start == TEXT.rindex("165 km in Lithuania")
    [q] = region.qualifiers
    assert q.scoping and q.value.kind == "entity" and q.value.lexical.endswith("/entity/lithuania")
    assert c.group_key() != region.group_key()


def test_cited_source_does_not_split_the_group(tmp_path):
    a, b = convert(tmp_path, """\
  - {subject: GIPL, property: length, value: 508, unit: km, quote: "508-kilometre"}
  - {subject: GIPL, property: length, value: 508, unit: km, qualifiers: {cited source: "Report 2021"},
     quote: "508-kilometre pipeline"}
""")
    assert a.group_key() == b.group_key()
    assert not b.qualifiers[0].scoping


def test_quote_with_other_white_space_is_anchored_to_the_real_text(tmp_path):
    [c] = convert(tmp_path, '  - {subject: GIPL, property: inception, value: "2022-05-01", quote: "launched  on\\n1 May 2022"}\n')
    assert c.evidence.quote == "launched on 1 May 2022"


@pytest.mark.parametrize("body,message,cls", [
    ('  - {subject: GIPL, property: length, value: 508, unit: km, quote: "not in the text"}\n',
     'c.yaml:3: quote not found in doc.txt: "not in the text" (copy the exact text of the document)', ClaimsFileError),
    ('  - {subject: GIPL, property: length, value: 508, unit: km}\n',
     "c.yaml:3: the claim has no quote (add 'quote:' with the exact text of the document)", ClaimsFileError),
    ('  - subject: GIPL\n    property: length\n    value: five hundred\n    unit: km\n    quote: "508"\n',
     "c.yaml:5: value 'five hundred' does not parse as a number for property 'length' (write a plain number such as"
     " 508, 0.06 or 1600000000)", ClaimsFileError),
    ('  - {subject: Atlantis, property: length, value: 1, unit: km, quote: "508"}\n',
     "c.yaml:3: unknown entity 'Atlantis' (add it to ontology/entities.ttl or use a known label)", UnknownTermError),
    ('  - {subject: GIPL, property: colour, value: 1, quote: "508"}\n',
     "c.yaml:3: unknown property 'colour' (add it to ontology/frames.ttl or use a known property)", UnknownTermError),
    ('  - {subject: GIPL, property: length, value: 1, unit: furlong, quote: "508"}\n',
     "c.yaml:3: unknown unit 'furlong' (use a unit from ontology/units.ttl or add it there)", UnknownTermError),
    ('  - {subject: GIPL, property: length, value: 1, quote: "508"}\n',
     "c.yaml:3: property 'length' takes a value with a unit (add 'unit:' (e.g. km, %, USD))", ClaimsFileError),
    ('  - subject: GIPL\n    property: inception\n    value: "2022-02-30"\n    quote: "508"\n',
     "c.yaml:5: 'value': '2022-02-30' is not a real day (write an ISO date: 2022, 2022-03 or 2022-03-15)",
     ClaimsFileError),
    ('  - {subject: GIPL, property: length, value: 1, unit: km, time: "2022-13", quote: "508"}\n',
     "c.yaml:3: 'time': '2022-13' has no month 13 (write an ISO date: 2022, 2022-03 or 2022-03-15)",
     ClaimsFileError),
    ('  - {subject: Lithuania, property: rank, value: 0, quote: "508"}\n',
     "c.yaml:3: a rank is a whole number from 1, not '0'", ClaimsFileError),
    ('  - {subject: GIPL, property: length, value: 1, unit: km, qualifiers: {colour: red}, quote: "508"}\n',
     "c.yaml:3: unknown qualifier 'colour' (add it to ontology/frames.ttl or use a known qualifier)",
     UnknownTermError),
    ('  - {subject: GIPL, property: length, value: 1, unit: km, quote: "508", occurrence: 3}\n',
     "c.yaml:3: the quote occurs 1 time(s), not 3", ClaimsFileError),
    ('  - subject: GIPL\n    property: length\n    value: "1e999999999"\n    unit: km\n    quote: "508"\n',
     "c.yaml:5: value '1e999999999' is 1e30 or more in size (lithkg takes numbers from 1e-30 to under 1e30 in size,"
     " with at most 40 significant digits)", ClaimsFileError),
    ('  - {subject: GIPL, property: length, value: 1e-31, unit: km, quote: "508"}\n',
     "c.yaml:3: value '1e-31' is not 0 but under 1e-30 in size (lithkg takes numbers from 1e-30 to under 1e30 in"
     " size, with at most 40 significant digits)", ClaimsFileError),
    ('  - {subject: Lithuania, property: rank, value: 6.5, quote: "508"}\n',
     "c.yaml:3: a rank is a whole number from 1, not '6.5'", ClaimsFileError),
])
def test_bad_claims_name_file_and_line(tmp_path, body, message, cls):
    with pytest.raises(cls) as exc:
        convert(tmp_path, body)
    assert str(exc.value) == message


@pytest.mark.parametrize("text,message", [
    ("claims: [\n", "c.yaml:2:1: not valid YAML: expected the node content, but found '<stream end>'"
                    " (fix the YAML syntax)"),
    ("- just a list\n", "c.yaml:1: a curated-claims file is a mapping with 'document' and 'claims'"),
    ("document: d.txt\nclaims: 3\n", "c.yaml:2: 'claims' must be a list of claims"),
    ("claims:\n  - {subject: A, property: b, value: 1, quote: q}\n",
     "c.yaml:2: the claim names no document (add 'document: PATH' at the top of the file or to the claim)"),
    ("document: d.txt\nclaims:\n  - {subject: A, propery: b}\n",
     "c.yaml:3: unknown key 'propery' in a claim (known keys: bound, confidence, document, from, note, occurrence,"
     " property, qualifiers, quote, subject, time, unit, until, value)"),
])
def test_bad_files_name_file_and_line(tmp_path, text, message):
    with pytest.raises(ClaimsFileError) as exc:
        load_claims_file(write(tmp_path / "c.yaml", text), name="c.yaml")
    assert str(exc.value) == message


def test_documents_resolve_relative_to_the_claims_file(tmp_path):
    cf = load_claims_file(write(tmp_path / "claims" / "c.yaml", "document: ../src/d.md\nclaims: []\n"))
    assert cf.entries == ()
    cf = load_claims_file(write(tmp_path / "claims" / "c.yaml",
                                "document: ../src/d.md\nclaims:\n  - {subject: A, document: https://x.example/p}\n"
                                "  - {subject: B}\n"))
    assert cf.entries[0].document == "https://x.example/p"
    assert cf.entries[1].document == str((tmp_path / "src" / "d.md").resolve())


def test_values_keep_every_significant_digit(tmp_path):
    [c] = convert(tmp_path, '  - {subject: GIPL, property: length, value: "1234567890.123456789012345678901234567",'
                            ' unit: km, quote: "508"}\n')
    assert c.value.lexical == "1234567890.123456789012345678901234567"
