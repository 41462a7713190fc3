import pytest

from lithkg.rdf import formats
from lithkg.errors import UsageError


@pytest.mark.parametrize("name,expected", [("ttl", "turtle"), ("JSONLD", "json-ld"), ("nq", "nquads"),
                                           ("n-triples", "ntriples"), ("trig", "trig")])
def test_aliases(name, expected):
    assert formats.get(name).name == expected


def test_kinds_restrict_lookup():
    with pytest.raises(UsageError, match="unknown format 'csv'"):
        formats.get("csv", "graph", "dataset")


def test_unknown_format_lists_the_known_ones():
    with pytest.raises(UsageError) as exc:
        formats.get("yaml", "graph", "dataset")
    assert str(exc.value) == "unknown format 'yaml' (use one of: turtle, trig, nquads, ntriples, json-ld, rdf-xml)"


def test_extension_and_media_type_lookup():
    assert formats.from_path("out/kg.jsonld").name == "json-ld"
    assert formats.from_path("kg.nq", "dataset").name == "nquads"
    assert formats.from_path("kg.unknown") is None
    assert formats.from_media_type("text/turtle; charset=utf-8").name == "turtle"


def test_result_short_names():
    assert formats.result_format("json").name == "sparql-json"
    assert formats.result_format("xml").name == "sparql-xml"
    assert formats.result_format("table").name == "table"
    with pytest.raises(UsageError):
        formats.result_format("turtle")


def test_every_rdf_format_has_extension_and_media_type():
    for f in formats.FORMATS:
        if f.is_rdf:
            assert f.extensions and f.media_types
