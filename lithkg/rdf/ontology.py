"""The ontology folder as plain lookups: entities (gazetteer), properties and qualifiers (frames), units.

Everything here is read from the RDF files in ``ontology/`` (data, not code), then from the user's own Turtle files
(the ``ontology`` setting, ``--ontology FILE``) on top, in the same vocabulary: a user file adds entities, aliases
(also to the package's entities), frames and units. A user file is read from disk only (nothing is fetched,
``owl:imports`` is refused), up to :data:`MAX_USER_FILE` bytes. Names are matched case- and space-insensitively
against a term's local name, label and aliases.
"""
from __future__ import annotations

import dataclasses
import functools
import hashlib
import re
import unicodedata
from pathlib import Path

import pyoxigraph as ox

from ..config import data_dir
from ..errors import InputError, UsageError
from .iris import DEFAULT_BASE, LKG, LKGP, Ids
from ..model import Term

RDF_TYPE = "http://www.w3.org/1999/02/22-rdf-syntax-ns#type"
RDFS_LABEL = "http://www.w3.org/2000/01/rdf-schema#label"
SKOS_ALT = "http://www.w3.org/2004/02/skos/core#altLabel"
OWL_SAMEAS = "http://www.w3.org/2002/07/owl#sameAs"
QUDT = "http://qudt.org/schema/qudt/"
ONTOLOGY_FILES = ("lithkg.ttl", "frames.ttl", "units.ttl", "entities.ttl", "countries.ttl")
CITED_SOURCE = LKGP + "citedSource"
OWL_IMPORTS = "http://www.w3.org/2002/07/owl#imports"
MAX_USER_FILE = 4 * 1024 * 1024  # bytes: a user's ontology file is entities and frames, never a dump


def normalise(name: str) -> str:
    """The form names are matched in: case-folded, dashes unified, spaces collapsed."""
    name = unicodedata.normalize("NFC", name)
    name = re.sub(r"[\u2010-\u2015\u2212]", "-", name)
    name = name.replace("\u2019", "'")
    return " ".join(name.casefold().split())


def ascii_fold(name: str) -> str:
    return "".join(c for c in unicodedata.normalize("NFKD", name) if not unicodedata.combining(c))


@functools.lru_cache(maxsize=4096)
def local_name(iri: str) -> str:
    return re.split(r"[/#]", iri)[-1]


@functools.lru_cache(maxsize=1024)
def _type_names(types: tuple[str, ...]) -> frozenset[str]:
    return frozenset(local_name(t) for t in types)


@dataclasses.dataclass(frozen=True)
class EntityInfo:
    iri: str
    label: str
    aliases: tuple[str, ...]
    types: tuple[str, ...]
    same_as: tuple[str, ...]
    demonyms: tuple[str, ...] = ()
    nouns: tuple[str, ...] = ()      # what a definite description names it by: "the pipeline", "this index"
    date: str | None = None          # when an event took place (links "a human chain in 1989" to it)

    def has_type(self, *local_names: str) -> bool:
        return not _type_names(self.types).isdisjoint(local_names)

    @property
    def term(self) -> Term:
        return Term(self.iri, self.label)


@dataclasses.dataclass(frozen=True)
class PropertyInfo:
    iri: str
    label: str
    aliases: tuple[str, ...]
    value_kind: str
    scoping: tuple[str, ...]
    nonscoping: tuple[str, ...]
    triggers: tuple[str, ...]
    wikidata: str | None
    is_qualifier: bool
    measure_nouns: tuple[str, ...] = ()   # head nouns (singular) of the phrases that name this quantity

    @property
    def name(self) -> str:
        return local_name(self.iri)

    @property
    def term(self) -> Term:
        return Term(self.iri, self.label)


@dataclasses.dataclass(frozen=True)
class UnitInfo:
    iri: str
    label: str
    symbol: str | None
    aliases: tuple[str, ...]
    kind: str
    multiplier: str | None
    quantity_property: str | None = None


class Ontology:
    """Lookups over the ontology files of one folder (see :func:`load`).

    The files name entities under the default base; with another ``base`` their IRIs are moved under it, and
    :attr:`ids` mints the store's data IRIs.
    """

    def __init__(self, folder: Path, base: str = DEFAULT_BASE, user_files: tuple[Path, ...] = ()):
        self.folder = folder
        self.ids = Ids(base)
        self.files = [folder / f for f in ONTOLOGY_FILES if (folder / f).is_file()]
        self.user_files = tuple(Path(p) for p in user_files)
        self.triples: list[ox.Triple] = []
        for path in self.files:
            try:
                self.triples.extend(ox.parse(path=str(path), format=ox.RdfFormat.TURTLE))
            except SyntaxError as exc:
                raise InputError(f"cannot parse the ontology: {exc}", path=str(path)) from None
        digest = hashlib.sha256(b"".join(p.read_bytes() for p in self.files))
        for path in self.user_files:
            data, triples = read_user_file(path)
            self.triples.extend(triples)
            digest.update(b"\0user ontology\0" + data)  # (no user file: the digest of the package's files alone)
        if not self.ids.default:
            self.triples = [ox.Triple(self._rebase(t.subject), t.predicate, self._rebase(t.object))
                            for t in self.triples]
        self.digest = digest.hexdigest()
        by_subject: dict[str, dict[str, list]] = {}
        for t in self.triples:
            if isinstance(t.subject, ox.NamedNode):
                by_subject.setdefault(t.subject.value, {}).setdefault(t.predicate.value, []).append(t.object)
        self.entities: dict[str, EntityInfo] = {}
        self.properties: dict[str, PropertyInfo] = {}
        self.units: dict[str, UnitInfo] = {}
        for iri, props in sorted(by_subject.items()):
            types = {o.value for o in props.get(RDF_TYPE, [])}
            label = _first(props.get(RDFS_LABEL)) or local_name(iri)
            aliases = tuple(sorted(o.value for o in props.get(SKOS_ALT, [])))
            if LKG + "Entity" in types:
                self.entities[iri] = EntityInfo(
                    iri, label, aliases, tuple(sorted(types)),
                    tuple(sorted(o.value for o in props.get(OWL_SAMEAS, []))),
                    tuple(sorted(o.value for o in props.get(LKG + "demonym", []))),
                    tuple(sorted(o.value for o in props.get(LKG + "noun", []))),
                    _first(props.get(LKG + "date")))
            elif LKG + "Property" in types or LKG + "Qualifier" in types:
                self.properties[iri] = PropertyInfo(
                    iri, label, aliases, local_name(_first(props.get(LKG + "valueKind"), LKG + "TextValue")),
                    tuple(sorted(o.value for o in props.get(LKG + "scopingQualifier", []))),
                    tuple(sorted(o.value for o in props.get(LKG + "qualifier", []))),
                    tuple(sorted(o.value for o in props.get(LKG + "trigger", []))),
                    _first(props.get(LKG + "wikidata")), LKG + "Qualifier" in types,
                    tuple(sorted(o.value for o in props.get(LKG + "measureNoun", []))))
            elif QUDT + "Unit" in types or QUDT + "CurrencyUnit" in types:
                self.units[iri] = UnitInfo(iri, label, _first(props.get(QUDT + "symbol")), aliases,
                                           local_name(_first(props.get(LKG + "unitKind"), LKG + "Quantity")),
                                           _first(props.get(QUDT + "conversionMultiplier")),
                                           _first(props.get(LKG + "quantityProperty")))
        self._entity_index = self._index(self.entities.values(), lambda e: (e.label, *e.aliases), fold=True)
        self._property_index = self._index([p for p in self.properties.values() if not p.is_qualifier],
                                           lambda p: (p.name, p.label, *p.aliases))
        self._qualifier_index = self._index([p for p in self.properties.values() if p.is_qualifier],
                                            lambda p: (p.name, p.label, *p.aliases))
        self._unit_index = self._index(self.units.values(),
                                       lambda u: (local_name(u.iri), u.label, u.symbol or "", *u.aliases))

    @staticmethod
    def _index(items, names, fold=False) -> dict[str, str]:
        """Name -> IRI. An item's own local name and IRI are indexed before any label or alias, so another item's
        alias never shadows a name (the property ``price`` stays itself whatever calls itself "price")."""
        index: dict[str, str] = {}
        items = list(items)
        for own in (True, False):
            for item in items:
                keys = [local_name(item.iri), item.iri] if own else list(names(item))
                for key in keys:
                    if not key:
                        continue
                    for form in {normalise(key), normalise(ascii_fold(key))} if fold else {normalise(key)}:
                        index.setdefault(form, item.iri)
        return index

    def _find(self, index: dict[str, str], name: str, fold=False) -> str | None:
        key = normalise(str(name))
        return index.get(key) or (index.get(normalise(ascii_fold(key))) if fold else None)

    def entity(self, name: str) -> EntityInfo | None:
        iri = self._find(self._entity_index, name, fold=True)
        return self.entities.get(iri) if iri else None

    def property(self, name: str) -> PropertyInfo | None:
        iri = self._find(self._property_index, name)
        return self.properties.get(iri) if iri else None

    def qualifier(self, name: str) -> PropertyInfo | None:
        iri = self._find(self._qualifier_index, name)
        return self.properties.get(iri) if iri else None

    def unit(self, name: str) -> UnitInfo | None:
        iri = self._find(self._unit_index, name)
        return self.units.get(iri) if iri else None

    def label(self, iri: str) -> str:
        info = self.entities.get(iri) or self.properties.get(iri) or self.units.get(iri)
        return info.label if info else local_name(iri)

    def unit_symbol(self, iri: str | None) -> str | None:
        """How a unit is written in a table (its symbol, else its label)."""
        if not iri:
            return None
        info = self.units.get(iri)
        return (info.symbol or info.label) if info else local_name(iri)

    def is_scoping(self, prop: PropertyInfo, qualifier: PropertyInfo) -> bool:
        """A qualifier splits the group unless the property lists it as non-scoping, or it is a cited source."""
        return qualifier.iri not in prop.nonscoping and qualifier.iri != CITED_SOURCE


    def _rebase(self, term):
        return ox.NamedNode(self.ids.rebase(term.value)) if isinstance(term, ox.NamedNode) else term


def read_user_file(path: Path) -> tuple[bytes, list[ox.Triple]]:
    """A user's ontology file: its bytes and triples, read from disk only (no base IRI, nothing fetched).

    A missing file is a :class:`~lithkg.errors.UsageError`; a file too large, not Turtle, or with ``owl:imports`` an
    :class:`~lithkg.errors.InputError`, each naming the file (and the line and column the parser gives)."""
    shown = str(path)
    try:
        if not path.is_file():
            raise UsageError("no such ontology file" if not path.exists() else "the ontology file is not a file",
                             path=shown, hint="check the ontology setting, LITHKG_ONTOLOGY or --ontology")
        with open(path, "rb") as fh:
            data = fh.read(MAX_USER_FILE + 1)
    except OSError as exc:
        raise UsageError(f"cannot read the ontology file: {exc.strerror}", path=shown) from None
    if len(data) > MAX_USER_FILE:
        raise InputError(f"the ontology file is over {MAX_USER_FILE // (1024 * 1024)} MiB ({MAX_USER_FILE:,} bytes)",
                         path=shown, hint="keep your own entities and frames in files under that size")
    try:
        triples = list(ox.parse(data, format=ox.RdfFormat.TURTLE, rename_blank_nodes=True))
    except SyntaxError as exc:
        message = re.sub(r"^Parser error (at|between) line \d+ column \d+( and line \d+ column \d+)?: ", "",
                         str(exc.msg))
        raise InputError(f"not valid Turtle: {message}", path=shown, line=exc.lineno,
                         column=exc.offset) from None
    if any(t.predicate.value == OWL_IMPORTS for t in triples):
        raise InputError("owl:imports is not followed: lithkg reads only the files it is given", path=shown,
                         hint="remove it, and give the imported file as another ontology file")
    outside = sorted(t.subject.value for t in triples if t.predicate.value == RDF_TYPE
                     and t.object.value in (LKG + "Property", LKG + "Qualifier") and not t.subject.value.startswith(LKGP))
    if outside:
        raise InputError(f"the property {outside[0]} is not in lithkg's property namespace {LKGP}", path=shown,
                         hint="name your properties and qualifiers lkgp:NAME, as ontology/frames.ttl does")
    return data, triples


def _first(objects, default=None):
    if not objects:
        return default
    return sorted(o.value for o in objects)[0]


def load(folder: Path | None = None, base: str = DEFAULT_BASE, user_files: tuple[Path, ...] = ()) -> Ontology:
    """The ontology of ``folder`` (default: lithkg's bundled ``ontology/``) with the user's Turtle files on top and
    entities under ``base``, parsed once per process (again when a user file changes)."""
    files = tuple(Path(p) for p in user_files)
    return _load(Path(folder) if folder else data_dir("ontology"), base, files, tuple(map(_stamp, files)))


def _stamp(path: Path):
    try:
        st = path.stat()
        return st.st_mtime_ns, st.st_size, st.st_ino
    except OSError:
        return None


@functools.lru_cache(maxsize=4)
def _load(folder: Path, base: str, user_files: tuple[Path, ...], stamps: tuple) -> Ontology:
    return Ontology(folder, base, user_files)
