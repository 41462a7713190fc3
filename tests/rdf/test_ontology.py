import json

import pytest
import rdflib
import yaml

from lithkg.config import data_dir
from lithkg.rdf.ontology import load

from conftest import SHARED


@pytest.fixture(scope="module")
def onto():
    return load()


def test_every_ontology_file_parses():
    folder = data_dir("ontology")
    for name in ("lithkg.ttl", "shapes.ttl", "frames.ttl", "units.ttl", "entities.ttl"):
        assert len(rdflib.Graph().parse(folder / name, format="turtle")) > 10, name
    ctx = json.loads((folder / "context.jsonld").read_text())["@context"]
    assert ctx["lkg"] == "https://w3id.org/lithkg/ns#"


@pytest.mark.parametrize("a,b", [("Freedom Way", "Way of Freedom"), ("GIPL", "Gas Interconnection Poland-Lithuania"),
                                 ("NCSI", "National Cyber Security Index"), ("Klaipeda LNG terminal",
                                                                             "Klaipėda LNG terminal")])
def test_aliases_name_one_entity(onto, a, b):
    assert onto.entity(a) is not None and onto.entity(a) == onto.entity(b)


def test_wikidata_links(onto):
    assert "http://www.wikidata.org/entity/Q37" in onto.entity("Lithuania").same_as


def test_the_gazetteer_covers_the_seed_subjects(onto):
    gold = yaml.safe_load((SHARED / "gold" / "seeds.yaml").read_text(encoding="utf-8"))
    subjects = {c["subject"] for d in gold["documents"] for c in d["claims"]}
    missing = sorted(s for s in subjects if onto.entity(s) is None)
    assert missing == []


def test_frames_give_properties_qualifiers_and_scoping(onto):
    rank = onto.property("rank")
    assert rank.value_kind == "Ordinal" and rank.wikidata == "http://www.wikidata.org/entity/P1352"
    assert onto.qualifier("index").iri in rank.scoping
    assert onto.property("launch date") == onto.property("launchDate")
    assert onto.property("founded") == onto.property("inception")
    assert not onto.is_scoping(rank, onto.qualifier("cited source"))


def test_units(onto):
    assert onto.unit("km").iri == onto.unit("kilometres").iri == "http://qudt.org/vocab/unit/KiloM"
    assert onto.unit("%").iri == "http://qudt.org/vocab/unit/PERCENT"
    assert onto.unit("$").iri == "http://qudt.org/vocab/currency/USD"
    assert onto.unit("furlong") is None
