"""Property-based tests (hypothesis) of the reader, the extractor, the exports and ingest order.

1. The document reader and the extractors never crash on documents made of claim-like sentences (numbers with
   thousands separators, percentages, money, ranks, dates, relative dates, gazetteer names) mixed with arbitrary
   unicode, and every claim's span quotes the document text exactly; each claim maps to RDF.
2. Every RDF export of a store (on disk, real Oxigraph) parses back with rdflib to what the store holds: the
   dataset formats graph by graph, the graph formats as the union.
3. Ingesting the same documents one by one in any order (two versions of one url among them) gives byte-identical
   N-Quads, with record times a function of each document.

Example counts come from a settings profile: ``HYPOTHESIS_PROFILE=lithkg-ci`` or ``lithkg-thorough`` runs more
than the default ``lithkg-dev`` (which keeps the file near a minute on a busy 2-core machine).
"""
from __future__ import annotations

import datetime
import os
import re
import tempfile
from pathlib import Path

import pyoxigraph as ox
import pytest
import rdflib
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st
from rdflib.compare import isomorphic

from lithkg import extract
from lithkg.rdf import formats, mapping
from lithkg.config import Settings
from lithkg.extract.documents import parse_document
from lithkg.errors import DocumentError, UsageError
from lithkg.rdf.iris import DEFAULT_IDS, XSD
from lithkg.kg import KnowledgeGraph, build_record_time
from lithkg.rdf.ontology import load
from netguard import parse_jsonld_offline

PROFILES = {"lithkg-dev": 150, "lithkg-ci": 500, "lithkg-thorough": 5000}
for _name, _examples in PROFILES.items():
    settings.register_profile(_name, max_examples=_examples, deadline=None, print_blob=True,
                              suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large])
_WANTED = os.environ.get("HYPOTHESIS_PROFILE", "lithkg-dev")
_WANTED = _WANTED if _WANTED.startswith("lithkg-") else f"lithkg-{_WANTED}"
PROFILE = settings.get_profile(_WANTED if _WANTED in PROFILES else "lithkg-dev")


def scaled(fraction: float, least: int = 3) -> settings:
    """The profile's settings with ``fraction`` of its examples (for the tests that build stores)."""
    return settings(PROFILE, max_examples=max(least, int(PROFILE.max_examples * fraction)))


ONTOLOGY = load()
NAMES = sorted({n for e in ONTOLOGY.entities.values() for n in (e.label, *e.aliases)})
INDEXES = sorted(e.label for e in ONTOLOGY.entities.values() if e.label.endswith("Index"))
MONTHS = ["January", "February", "March", "April", "May", "June", "July", "August", "September", "October",
          "November", "December"]

# --------------------------------------------------------------------------- a grammar of claim-like text
def _ordinal(n: int) -> str:
    return f"{n}{'th' if 10 <= n % 100 <= 20 else {1: 'st', 2: 'nd', 3: 'rd'}.get(n % 10, 'th')}"


thousands = st.integers(0, 10 ** 10).flatmap(lambda n: st.sampled_from([
    f"{n:,}", str(n), f"{n:,}".replace(",", "\u00a0"), f"{n:,}".replace(",", "\u202f"), f"{n:,}".replace(",", " ")]))
decimal = st.builds(lambda a, b: f"{a}.{b}", st.integers(0, 9999), st.integers(0, 99))
number = st.one_of(thousands, decimal)
percent = st.builds(lambda x, s: x + s, number, st.sampled_from(["%", " %", " percent", " per cent", "pc"]))
money = st.builds(lambda c, x, m: f"{c}{x}{m}", st.sampled_from(["$", "EUR ", "€", "USD ", "£", "US$", ""]), number,
                  st.sampled_from([" billion", " million", "m", "bn", " thousand", "", " euros", " dollars"]))
ordinal = st.one_of(st.integers(1, 250).map(_ordinal),
                    st.sampled_from(["first", "second", "third", "tenth", "twenty-first", "number 3", "No. 1"]))
year = st.integers(1200, 2040).map(str)
month = st.sampled_from(MONTHS + [m[:3] for m in MONTHS])
date = st.one_of(
    year,
    st.builds(lambda d, m, y: f"{d} {m} {y}", st.integers(0, 32), month, year),
    st.builds(lambda m, d, y: f"{m} {d}, {y}", month, st.integers(1, 31), year),
    st.builds(lambda d, m, y: f"{_ordinal(d)} of {m} {y}", st.integers(1, 31), month, year),
    st.builds(lambda y, m, d: f"{y}-{m:02d}-{d:02d}", year, st.integers(0, 13), st.integers(0, 32)),
    st.builds(lambda m, y: f"{m} {y}", month, year),
    st.sampled_from(["last year", "this year", "next year", "in March", "since the beginning of April",
                     "two years ago", "currently", "today", "in the 1990s", "by the end of 2025", "Q3 2021"]))
entity = st.sampled_from(NAMES)
index = st.sampled_from(INDEXES)
unit = st.sampled_from(["km", "kilometres", "-kilometre", " km²", " MW", " GWh", " tonnes", " hectares", " m",
                        " people", " students", " MPs"])

SENTENCES = [
    st.builds("{} ranks {} in the {} in {}.".format, entity, ordinal, index, date),
    st.builds("In {}, {} was {} in this ranking.".format, date, entity, ordinal),
    st.builds("We hold {} place worldwide in the {}.".format, ordinal, index),
    st.builds("{} increased its spending on cyber security by {} {}.".format, entity, percent, date),
    st.builds("The {}{} pipeline was inaugurated on {}.".format, number, unit, date),
    st.builds("More than {} people joined the {} in {}.".format, thousands, entity, date),
    st.builds("About {} of GDP went to {} {}.".format, percent, entity, date),
    st.builds("{} raised {} at a {} valuation in {}.".format, entity, money, money, date),
    st.builds("All {} MPs supported the law adopted on {}.".format, thousands, date),
    st.builds("{}: {}".format, st.sampled_from(["Total students", "Population", "Length", "Rank", "Cost"]), number),
    st.builds("| {} | {} | {} |".format, entity, ordinal, number),
    st.builds("It is the {} biggest donor to {} since {}.".format, ordinal, entity, date),
    st.builds("{} was {} years after the {}.".format, date, number, entity),
    st.builds("The {} lies {}{} from {}.".format, entity, number, unit, entity),
]
noise = st.one_of(
    st.text(max_size=20),
    st.text(alphabet=st.characters(codec="utf-8", exclude_categories=("Cs",)), max_size=10),
    st.sampled_from(["\u0130stanbul", "Stra\u00dfe", "\ufb01nance", "e\u0301", "\u200b", "\u2028", "\x0b", "\x0c",
                     "\x85", "\u00a0", "\ufeff", "\r\n", "\r", "\t", "[1]", "[^2]", "\u05e9\u05dc\u05d5\u05dd",
                     "\U0001f600", "---", "# ", "* ", "> ", "```", "<b>", "&amp;", "&#x2028;"]))
piece = st.one_of(*SENTENCES, entity, number, percent, money, ordinal, date, noise)
separator = st.sampled_from([" ", " ", ". ", ", ", "\n", "\n\n", "\n- ", "\n| ", " | ", "\n# ", ""])
body = st.lists(st.tuples(piece, separator), min_size=1, max_size=30).map(lambda xs: "".join(a + b for a, b in xs))
front_matter = st.one_of(st.just(""), st.builds(
    lambda t, u, p: "---\n" + (f"title: {t}\n" if t else "") + (f"url: {u}\n" if u else "") +
                    (f"published: {p}\n" if p else "") + "---\n",
    st.one_of(st.none(), entity), st.one_of(st.none(), st.just("https://news.example/a")),
    st.one_of(st.none(), st.dates().map(lambda d: d.isoformat()))))


def _as_media(text: str, name: str) -> str:
    if not name.endswith(".html"):
        return text
    paras = "".join(f"<p>{line}</p>\n" for line in text.split("\n"))
    return f"<html><head><title>Page</title></head><body>{paras}</body></html>"


# --------------------------------------------------------------------------- 1. spans quote the text exactly
@settings(PROFILE)
@given(fm=front_matter, text=body, name=st.sampled_from(["d.txt", "d.md", "d.html"]),
       crlf=st.booleans())
@example(fm="", text="Lithuania ranks 6th in the National Cyber Security Index in 2022.", name="d.md", crlf=False)
@example(fm="", text="\u0130\u0130\u0130 Lithuania was 57th in this ranking in 2017.\x0bIt rose 5.6%.", name="d.txt",
         crlf=True)
def test_extraction_never_crashes_and_every_span_quotes_the_text(fm, text, name, crlf):
    raw = fm + _as_media(text, name)
    if crlf:
        raw = raw.replace("\n", "\r\n")
    try:
        doc = parse_document(raw.encode("utf-8"), name=name)
    except DocumentError:
        return  # empty, or no text after the front matter: refused with a message, which is fine
    assert "\r" not in doc.text
    if not name.endswith(".html") and not fm:
        expected = raw[1:] if raw.startswith("\ufeff") else raw
        # line endings made \n; form feed and vertical tab made \n too (one for one: offsets stay)
        assert doc.text == expected.replace("\r\n", "\n").replace("\r", "\n").replace("\x0b", "\n").replace("\x0c", "\n")
    claims = extract.run(["curated", "frames"], doc, extract.ExtractionContext(ontology=ONTOLOGY))
    for claim in claims:
        ev = claim.evidence
        assert 0 <= ev.start < ev.end <= len(doc.text), (ev, len(doc.text))
        assert doc.text[ev.start:ev.end] == ev.quote
        assert ev.quote.strip(), ev
        assert doc.text[ev.start - len(ev.prefix):ev.start] == ev.prefix
        assert doc.text[ev.end:ev.end + len(ev.suffix)] == ev.suffix
    record_time = build_record_time(doc)
    doc_iri = DEFAULT_IDS.document(doc)
    mapping.document_quads(doc, record_time=record_time)
    run_iri, _ = mapping.run_quads(doc_iri, "frames", "1", record_time)
    for claim in claims:
        mapping.claim_quads(claim, doc_iri, run_iri)


# --------------------------------------------------------------------------- 2. exports parse back isomorphic
def _rdflib_term(term):
    if isinstance(term, ox.NamedNode):
        return rdflib.URIRef(term.value)
    if isinstance(term, ox.BlankNode):
        return rdflib.BNode(term.value)
    if term.language:
        return rdflib.Literal(term.value, lang=term.language)
    if term.datatype is None or term.datatype.value == XSD + "string":
        return rdflib.Literal(term.value)
    return rdflib.Literal(term.value, datatype=rdflib.URIRef(term.datatype.value))


def _plain(graph: rdflib.Graph) -> rdflib.Graph:
    """The graph with xsd:string literals written as simple literals (the same term in RDF 1.1)."""
    out = rdflib.Graph()
    for s, p, o in graph:
        if isinstance(o, rdflib.Literal) and o.datatype == rdflib.XSD.string:
            o = rdflib.Literal(str(o))
        out.add((s, p, o))
    return out


def _graphs_of_store(kg: KnowledgeGraph) -> tuple[dict[str, rdflib.Graph], rdflib.Graph]:
    by_graph: dict[str, rdflib.Graph] = {}
    union = rdflib.Graph()
    for q in kg.store.quads():
        triple = (_rdflib_term(q.subject), _rdflib_term(q.predicate), _rdflib_term(q.object))
        name = q.graph_name.value if isinstance(q.graph_name, ox.NamedNode) else ""
        by_graph.setdefault(name, rdflib.Graph()).add(triple)
        union.add(triple)
    return by_graph, union


RDF_FORMATS = [f for f in formats.FORMATS if f.is_rdf]
_NOT_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")
RDFLIB_NAMES = {"turtle": "turtle", "trig": "trig", "nquads": "nquads", "ntriples": "nt", "json-ld": "json-ld",
                "rdf-xml": "xml"}


def _write_docs(folder: Path, texts: list[str]) -> list[Path]:
    paths = []
    for i, text in enumerate(texts):
        path = folder / f"doc{i}.md"
        path.write_text(text, encoding="utf-8")
        paths.append(path)
    return paths


@scaled(0.06)
@given(texts=st.lists(st.builds(lambda fm, b: fm + b, front_matter, body), min_size=1, max_size=3),
       base=st.sampled_from([None, "http://kg.example/id/"]))
def test_every_export_parses_back_to_the_stores_content(texts, base):
    with tempfile.TemporaryDirectory(prefix="lithkg-prop-") as tmp:
        tmp = Path(tmp)
        docs = tmp / "docs"
        docs.mkdir()
        paths = _write_docs(docs, texts)
        with KnowledgeGraph(tmp / "store", settings=Settings(base=base)) as kg:
            try:
                kg.ingest(paths, relative_to=docs, record_time=build_record_time)
            except DocumentError:
                return
            by_graph, union = _graphs_of_store(kg)
            for fmt in RDF_FORMATS:
                literals = (o for o in union.objects() if isinstance(o, rdflib.Literal))
                if fmt.name == "rdf-xml" and any(_NOT_XML.search(o) for o in literals):
                    with pytest.raises(UsageError, match="RDF/XML cannot carry the character"):
                        kg.export(fmt)  # XML 1.0 cannot write most control characters: refused, not ill-formed
                    continue
                data = kg.export(fmt)
                if fmt.kind == "dataset":
                    ds = rdflib.Dataset()
                    ds.parse(data=data.decode("utf-8"), format=RDFLIB_NAMES[fmt.name])
                    parsed = {str(g.identifier): g for g in ds.graphs() if len(g)}
                    parsed = {("" if k == str(rdflib.graph.DATASET_DEFAULT_GRAPH_ID) else k): v
                              for k, v in parsed.items()}
                    assert sorted(parsed) == sorted(by_graph), fmt.name
                    for name, graph in by_graph.items():
                        assert isomorphic(_plain(parsed[name]), graph), (fmt.name, name)
                else:
                    if fmt.name == "json-ld":
                        graph = parse_jsonld_offline(data)
                    else:
                        graph = rdflib.Graph().parse(data=data.decode("utf-8"), format=RDFLIB_NAMES[fmt.name])
                    assert len(graph) == len(union) and isomorphic(_plain(graph), union), fmt.name


# --------------------------------------------------------------------------- 3. ingest order does not matter
URL = "https://official.example/facts"
few_entities = st.sampled_from(["Lithuania", "Latvia", "Baltic Way", "GIPL"])
few_years = st.integers(2017, 2023).map(str)
small_ordinal = st.integers(1, 8).map(_ordinal)
CLASHING = [  # few subjects, values and years, so that the documents' claims fall in the same groups
    st.builds("{} ranks {} in the National Cyber Security Index in {}.".format, few_entities, small_ordinal,
              few_years),
    st.builds("We hold {} place worldwide in the National Cyber Security Index.".format, small_ordinal),
    st.builds("More than {} million people joined the Baltic Way in 1989.".format, st.integers(1, 3)),
    st.builds("The {} km pipeline was inaugurated in {}.".format, st.sampled_from([165, 508, 343]), few_years),
    st.builds("{} increased its spending on cyber security by {}% last year.".format, few_entities,
              st.integers(5, 40)),
]
versioned_doc = st.builds(
    lambda title, url, day, text: f"---\ntitle: {title}\n" + (f"url: {url}\n" if url else "") +
                                  f"published: {day}\n---\n{text}",
    st.sampled_from(["Lithuania in brief", "Facts", "The pipeline"]), st.one_of(st.none(), st.just(URL)),
    st.dates(min_value=datetime.date(2015, 1, 1), max_value=datetime.date(2024, 12, 31)).map(lambda d: d.isoformat()),
    st.lists(st.one_of(*CLASHING, *SENTENCES[:9]), min_size=1, max_size=5).map(" ".join))


@st.composite
def doc_sets(draw):
    """3 to 5 documents: two versions of one url with different published dates, and others."""
    v1 = draw(versioned_doc.filter(lambda t: f"url: {URL}" in t))
    v2 = draw(versioned_doc.filter(lambda t: f"url: {URL}" in t and
                                   re.search(r"published: (\S+)", t)[1] != re.search(r"published: (\S+)", v1)[1]))
    others = draw(st.lists(versioned_doc, min_size=1, max_size=3))
    texts = [v1, v2, *others]
    order = draw(st.permutations(range(len(texts))))
    return texts, order


def _nquads_after(paths: list[Path], order, store: Path, relative_to: Path) -> bytes:
    with KnowledgeGraph(store, settings=Settings()) as kg:
        for i in order:
            kg.ingest([paths[i]], relative_to=relative_to, record_time=build_record_time)
        return kg.export("nquads")


@scaled(0.06)
@given(doc_sets())
def test_ingest_order_does_not_change_the_graph(case):
    texts, order = case
    with tempfile.TemporaryDirectory(prefix="lithkg-prop-") as tmp:
        tmp = Path(tmp)
        docs = tmp / "docs"
        docs.mkdir()
        paths = _write_docs(docs, texts)
        first = _nquads_after(paths, range(len(texts)), tmp / "a", docs)
        again = _nquads_after(paths, order, tmp / "b", docs)
        assert first == again, _first_difference(first, again)


def _first_difference(a: bytes, b: bytes) -> str:
    la, lb = set(a.splitlines()), set(b.splitlines())
    only_a, only_b = sorted(la - lb)[:3], sorted(lb - la)[:3]
    return f"{len(la - lb)} quad(s) only in order 0..n, e.g. {only_a}; {len(lb - la)} only in the other, e.g. {only_b}"
