"""The library facade: everything the ``lithkg`` command does is a call on :class:`KnowledgeGraph`.

>>> kg = KnowledgeGraph(".lithkg/store")                     # doctest: +SKIP
>>> kg.ingest(["graph/sources", "graph/claims"])             # doctest: +SKIP
>>> for row in kg.conflicts(): print(row["group_label"], row["value"], row["source"])   # doctest: +SKIP

Ingest works in two phases. First every input is read, parsed and extracted, and every curated claim is
checked and anchored: any problem stops the ingest before anything is written. Then each document version
is written in one transaction together with the derived graphs of the claim groups and the source it
touches (recomputed for those groups only).
"""
from __future__ import annotations

import io
from pathlib import Path
from typing import Callable, Iterable

from .config import Settings, load_settings
from .errors import UsageError
from .ingest import build
from .ingest import corrections as ingest_corrections
from .ingest import ingest as ingest_paths
from .ingest.build import BUILD_FILES  # noqa: F401  (offered here as it always was)
from .ingest.write import IngestedDocument, IngestReport, Progress, VersionQuads, build_record_time  # noqa: F401
from .model import Document
from .rdf import exports, formats
from .rdf.ontology import Ontology
from .read import diff, filters, integrity, listings, possible, sparql
from .read.integrity import ValidationReport
from .read.sparql import QueryResult, term_json  # noqa: F401  (term_json offered here as it always was)
from .session import Session
from .versioning import amending
from .versioning.deriver import Deriver


class KnowledgeGraph:
    """A claim graph in an embedded Oxigraph store.

    :param store: path of the store (default: the configured one, ``.lithkg/store``)
    :param settings: settings (default: read from pyproject.toml and the environment)
    :param read_only: open the store for reading only (other processes may write meanwhile)
    """

    def __init__(self, store: str | Path | None = None, *, settings: Settings | None = None,
                 read_only: bool = False, ontology: Ontology | None = None):
        settings = settings or load_settings()
        if store is not None:
            settings = settings.replace(store=Path(store))
        self.session = Session(settings, read_only=read_only, ontology=ontology)

    # ------------------------------------------------------------------ plumbing: the session's
    @property
    def settings(self) -> Settings:
        """The settings (see :mod:`lithkg.config`)."""
        return self.session.settings

    @settings.setter
    def settings(self, value: Settings) -> None:
        self.session.settings = value

    read_only = property(lambda self: self.session.read_only, doc="Whether the store is open for reading only.")
    ontology = property(lambda self: self.session.ontology, doc="The ontology, its entities under the store's base.")
    ids = property(lambda self: self.session.ids, doc="Mints this store's data IRIs.")
    base = property(lambda self: self.session.base, doc="The base data IRIs are minted under.")
    remote = property(lambda self: self.session.remote, doc="True when the store is a SPARQL server.")
    store = property(lambda self: self.session.store, doc="The store (see :class:`lithkg.store.base.Store`).")
    where = property(lambda self: self.session.where, doc="What messages name as the store.")

    def dataset(self):
        """An rdflib ``Dataset`` view of the store (through oxrdflib), with the union of all graphs as its default
        graph: existing rdflib code, pyshacl and rdflib's serializers work on it unchanged. lithkg's own hot paths
        call Oxigraph directly."""
        return self.session.dataset()

    def close(self) -> None:
        self.session.close()

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        self.close()

    def resolve_entity(self, name: str) -> str:
        """An entity's IRI from a label, an alias or an IRI."""
        return self.session.resolve_entity(name)

    def resolve_property(self, name: str) -> str:
        """A property's or qualifier's IRI from its name or an IRI."""
        return self.session.resolve_property(name)

    def resolve_id(self, kind: str, ref: str) -> str:
        """The IRI of a ``claim``, ``group`` or ``document`` from its IRI or short id (the hash after the last '/', or
        a unique prefix of it of at least 6 characters); see :meth:`lithkg.session.Session.resolve_id`."""
        return self.session.resolve_id(kind, ref)

    # ------------------------------------------------------------------ ingest
    def ingest(self, paths: Iterable[str | Path], *, stdin: bytes | None = None, source: str | None = None,
               url: str | None = None, title: str | None = None, published: str | None = None,
               retrieved: str | None = None, relative_to: str | Path | None = None,
               record_time: Callable[[Document], str] | str | None = None,
               progress: Progress | None = None, bulk: bool = False, workers: int | None = None,
               allow_outside: Iterable[str | Path] = ()) -> IngestReport:
        """Read documents (``.txt``, ``.md``, ``.html``; folders recursively; ``-`` = ``stdin`` bytes) and
        curated-claims files (``.yaml``), extract their claims and write them, one transaction per document.

        ``bulk=True`` streams many documents through ``workers`` extraction processes and writes them without a
        transaction per document, deriving groups once at the end (see :mod:`lithkg.ingest.bulk` for what it gives up).

        ``source``, ``url``, ``title``, ``published``, ``retrieved`` override the documents' front matter. A
        document from stdin with no ``source`` and no url is the source ``stdin-`` + the first 12 hex digits of its
        text's SHA-256 (:func:`lithkg.extract.documents.stdin_source_key`).
        ``record_time`` is a fixed ISO timestamp or a function of the document (default: now).

        A curated claim may name (``document:``) only a document given to this ingest or one inside the folders
        given (the folder of a claims file given by name counts), symbolic links resolved; ``allow_outside`` names
        further folders or files it may name. Every file is checked (its name, its type, that it can be read; every
        folder that it can be read) before anything is read or written, the bulk ingest's too.
        """
        fields = {"source": source, "url": url, "title": title, "published": published, "retrieved": retrieved}
        return ingest_paths(self.session, paths, stdin=stdin, fields=fields, relative_to=Path(relative_to or Path.cwd()),
                            record_time=record_time, progress=progress, bulk=bulk, workers=workers,
                            allow_outside=allow_outside)

    # ------------------------------------------------------------------ corrections
    def set_rank(self, claim: str, rank: str, *, reason: str, by: str | None = None, at: str | None = None) -> dict:
        """Override a claim's rank (preferred, normal or deprecated) as a person, with a reason. The record is kept
        (dated and attributed); the claim's group is derived again at once. ``claim`` is its IRI or short id."""
        claim = self.session.resolve_claim(claim)
        return Deriver(self.session).set_rank(claim, rank, reason=reason, by=by, at=at)

    def reject(self, claim: str, *, reason: str, by: str | None = None, at: str | None = None) -> dict:
        """Record that a claim is wrong (its IRI or short id), with a reason: it becomes ``rejected``, is never
        preferred and takes part in no conflict. A dated record in a graph of its own (see
        :mod:`lithkg.versioning.corrections`); the claim's group is derived again in the same transaction."""
        return self._correct("reject", reason, by, at, claims=[self.session.resolve_claim(claim)])

    def confirm(self, claim: str, *, reason: str, by: str | None = None, at: str | None = None) -> dict:
        """Record that a person checked a claim against its quote: of its group, confirmed claims are preferred
        before the others (a person's preferred rank still comes first)."""
        return self._correct("confirm", reason, by, at, claims=[self.session.resolve_claim(claim)])

    def amend(self, claim: str, *, reason: str, subject: str | None = None, property: str | None = None,
              value: str | None = None, unit: str | None = None, bound: str | None = None, time: str | None = None,
              qualifiers: dict[str, str | None] | None = None, by: str | None = None, at: str | None = None) -> dict:
        """Set right what the extractor read of a claim (its IRI or short id): any of its subject, property (names,
        labels or IRIs), value (in the kind of the value it replaces), unit, bound (lower, upper, approx, none), time
        (2021, 2021-05-03, 2020/2022, none) and qualifiers (name -> value; None drops one). The claim becomes
        ``amended``; a new claim with the fields set right, from the same quote, takes its place (in the group of
        what it now says). A dated record in a graph of its own (see :mod:`lithkg.versioning.amending`)."""
        claim = self.session.resolve_claim(claim)
        changes = amending.amendment(self.session, claim, subject=subject, property=property, value=value,
                                     unit=unit, bound=bound, time=time, qualifiers=qualifiers)
        return self._correct("amend", reason, by, at, claims=[claim], changes=changes)

    def merge(self, group: str, other: str, *, reason: str, by: str | None = None, at: str | None = None) -> dict:
        """Record that two groups (each found as :meth:`find_group` finds it) hold one quantity: the claims of
        ``other`` move into ``group`` (each ``amended`` into a claim of ``group``), so their figures are compared
        there. A claim a later document adds to ``other`` stays there until merged again."""
        return self._correct("merge", reason, by, at, groups=[listings.find_group(self.session, group),
                                                               listings.find_group(self.session, other)])

    def split(self, claim: str, *, reason: str, by: str | None = None, at: str | None = None) -> dict:
        """Record that a claim (its IRI or short id) holds a quantity of its own: it leaves its group for a new
        one (``amended`` into a claim of that group), so its figure is no longer compared with the others."""
        return self._correct("split", reason, by, at, claims=[self.session.resolve_claim(claim)])

    def undo(self, correction: str, *, reason: str, by: str | None = None, at: str | None = None) -> dict:
        """Withdraw an earlier correction (its IRI or short id) by a later record; the history stays whole."""
        return self._correct("undo", reason, by, at, withdraws=self.session.resolve_id("correction", correction))

    def decide_link(self, group: str, other: str, *, accept: bool, reason: str, by: str | None = None,
                    at: str | None = None) -> dict:
        """Accept (the two groups hold one quantity) or refuse (they do not) a "possibly the same quantity" link
        between two groups (each found as :meth:`find_group` finds it). A refused link is no longer suggested; an
        accepted one is listed as accepted. The groups themselves stay as they are."""
        pair = sorted({listings.find_group(self.session, group), listings.find_group(self.session, other)})
        if len(pair) != 2:
            raise UsageError("a link joins two different claim groups", hint="name two groups")
        return self._correct("accept" if accept else "refuse", reason, by, at, groups=pair)

    def corrections(self, *, as_of: str | None = None) -> list[dict]:
        """Every correction recorded (by ``as_of``), oldest first, with whether it is in force."""
        return listings.corrections(self.session, as_of=as_of)

    def apply_corrections(self, path: str | Path) -> tuple[int, int]:
        """Replay a corrections file (one JSON object a line, as ``lithkg corrections --format jsonl`` prints) into
        the store; records already in it are skipped. Returns how many were new, and how many were skipped because
        what they are about is not in this store. ``lithkg build`` replays ``graph/corrections.jsonl`` this way."""
        self._writable()
        return ingest_corrections.apply(self.session, Path(path))

    def _writable(self) -> None:
        if self.read_only:
            raise UsageError("cannot record a correction in a store opened read-only")

    def _correct(self, kind, reason, by, at, **about) -> dict:
        self._writable()
        return listings.correction_row(Deriver(self.session).correct(kind, reason=reason, by=by, at=at, **about))

    # ------------------------------------------------------------------ listings
    def run_named(self, name: str, params: dict | None = None) -> QueryResult:
        """The named query ``name`` (``queries/NAME.rq``) with its typed parameters."""
        return sparql.run_named(self.session, name, params)

    def claims(self, *, subject: str | None = None, property: str | None = None, source: str | None = None,
               status: str | None = None, group: str | None = None, as_of: str | None = None,
               valid_at: str | None = None, source_date_before: str | None = None) -> list[dict]:
        """Every claim as a dict with the keys of the claims-listing contract (see DESIGN.md).

        Three time axes, which combine: ``as_of`` (record time: what had been ingested by then), ``valid_at`` (the
        claims whose own time holds at that date), ``source_date_before`` (what sources dated before it said). With
        any of them, statuses are derived again over just those claims. ``source`` is a source key, url or file
        name, or a document version's IRI or short id; ``group`` a group's IRI or short id.
        """
        return listings.claims(self.session, subject=subject, property=property, source=source, status=status,
                               group=group, as_of=as_of, valid_at=valid_at, source_date_before=source_date_before)

    # ------------------------------------------------------------------ versions and time
    def log(self, source: str | None = None) -> list[dict]:
        """The versions of every source (or of one: its key, url or a file name), with their dates, record time
        and claim counts, oldest first."""
        return listings.log(self.session, source)

    def diff(self, a: str, b: str | None = None) -> list[dict]:
        """What changed between two document versions (IRIs, short ids or file names): claims added, retracted and
        changed (old value -> new value, with both quotes). With one argument, a source's two latest versions."""
        return diff.diff(self.session, a, b)

    def diff_patch(self, rows: list[dict], fmt: str = "trig") -> bytes:
        """A diff as RDF: a graph of the statements removed and one of those added (retracted and added claims,
        and both sides of a change), for tools that apply RDF patches."""
        return diff.diff_patch(self.session, rows, fmt)

    def blame(self, claim: str) -> list[dict]:
        """Every source version that made this claim (its IRI or short id; the claim and those it continues or that
        continue it), first to last."""
        return listings.blame(self.session, claim)

    def stale(self, *, older_than: str = "2y", now: str | None = None) -> list[dict]:
        """Claims the latest version of a source still presents as current (no time, or a time resolved from the
        document's date) whose time is older than ``older_than`` ("2y", "18m", "90d") at ``now`` (default today),
        and claims a newer claim of another source has updated: what an editor fixes first."""
        return listings.stale(self.session, older_than=older_than, now=now)

    def conflicts(self, *, subject: str | None = None, property: str | None = None, source: str | None = None,
                  status: str | None = None, since: str | None = None) -> list[dict]:
        """Claim groups with more than one value: each claim with source, time, quote, status and the reason.

        The filters pick groups, each kept whole, in which one claim passes all of them: its ``subject`` and
        ``property`` (names resolved), its ``source`` (key, url, file name or a version's id), its ``status``, and
        ``since`` a date its valid time or source date is on or after (see :mod:`lithkg.read.filters`)."""
        return filters.filter_conflicts(self.session, listings.conflicts(self.session), subject=subject,
                                        property=property, source=source, status=status, since=since)

    def possible_links(self, *, subject: str | None = None, property: str | None = None, source: str | None = None,
                       status: str | None = None, since: str | None = None) -> list[dict]:
        """Pairs of claim groups that possibly hold the same quantity under different keys (same subject, same kind
        of value and unit dimension, close key words), best first, each with a ``score`` (0..1) and a ``reason``;
        read from the store, never merged. See :mod:`lithkg.read.possible` for the score and its threshold. The
        filters are those of :meth:`conflicts`: a pair is kept when a claim of either group passes them."""
        return filters.filter_links(self.session, possible.possible_links(self.session), subject=subject,
                                    property=property, source=source, status=status, since=since)

    def history(self, subject: str, property: str, *, qualifiers: dict[str, str] | None = None) -> list[dict]:
        """Every value claimed for one subject and property, by group and valid time."""
        return listings.history(self.session, subject, property, qualifiers=qualifiers)

    def stats(self) -> dict:
        """Counts of what the store holds."""
        return listings.stats(self.session)

    # ------------------------------------------------------------------ analyses
    def network(self, kind: str, *, by: str = "source"):
        """An analysis graph (networkx) over the whole store: ``disputes``, ``sources`` (``by`` source or
        version), ``entities`` or ``lineage``; see :mod:`lithkg.read.analyses`. networkx is imported on first use."""
        return listings.network(self.session, kind, by=by)

    def find_group(self, text: str) -> str:
        """A claim group by its IRI or short id, the IRI or short id of one of its claims, or words of its label (all
        of them, any case): exactly one must match."""
        return listings.find_group(self.session, text)

    def group_label(self, group: str) -> tuple[str, str | None]:
        """A group's label (the group by its IRI or short id) and the reason its preferred value is preferred (None
        when it has none)."""
        return listings.group_label(self.session, group)

    def group_claims(self, group: str) -> list[dict]:
        """Every claim of one group (found as :meth:`find_group` does), retracted ones included."""
        return listings.group_claims(self.session, group)

    # ------------------------------------------------------------------ query
    def query(self, text: str, *, params: dict[str, str] | None = None, declared=None) -> QueryResult:
        """Run a read-only SPARQL query (standard prefixes predeclared) with safely bound parameters."""
        return sparql.query(self.session, text, params=params, declared=declared)

    def run_query(self, text: str | None = None, *, name: str | None = None, params: dict[str, str] | None = None,
                  timeout: float | None = None) -> QueryResult:
        """A user's query (``text``, or the named query ``name``), as ``lithkg query`` runs it. On the embedded
        store it runs in a worker process of its own (:mod:`lithkg.read.sandbox`): with no network, whatever the query
        says, and killed at ``timeout`` seconds (default: the ``query_timeout`` setting; 0: no limit), which raises
        a QueryError. On a SPARQL server the query is that server's to run, within the same limit."""
        return sparql.run_query(self.session, text, name=name, params=params, timeout=timeout)

    def resolve_param(self, name: str, value: str) -> str:
        """The IRI a named query's ``iri`` parameter names (see :meth:`lithkg.session.Session.resolve_param`)."""
        return self.session.resolve_param(name, value)

    def serialize_result(self, result: QueryResult, fmt: formats.Format) -> bytes:
        """A query result in a result format (SELECT/ASK) or an RDF format (CONSTRUCT/DESCRIBE)."""
        return sparql.serialize_result(self.session, result, fmt)

    # ------------------------------------------------------------------ export
    def export(self, fmt: str | formats.Format, out: io.BufferedIOBase | None = None) -> bytes | int:
        """Write the whole store in an RDF format; returns the bytes when ``out`` is None, else the number of
        statements written. With ``out`` the export streams: it holds one graph, or one sorted run of lines, in
        memory at a time (see :mod:`lithkg.rdf.exports`)."""
        fmt = fmt if isinstance(fmt, formats.Format) else formats.get(fmt, "dataset", "graph")
        buf = io.BytesIO() if out is None else None
        n = exports.write_graphs(self.store.graphs_ntriples(), fmt, out if buf is None else buf, ids=self.ids)
        return buf.getvalue() if buf is not None else n

    # ------------------------------------------------------------------ validate
    def validate(self, progress: Progress | None = None) -> ValidationReport:
        """Check the store against the SHACL shapes in ontology/shapes.ttl (pyshacl, no inference)."""
        return integrity.validate(self.session, progress)

    def check(self, *, shacl: bool = True, repair: bool = False, progress: Progress | None = None):
        """Check the store's invariants: versions written whole, quotes at their offsets, derivations equal to a
        fresh derivation, SHACL (``shacl=False`` skips it, the slow part); ``repair=True`` rewrites wrong derived
        graphs first. Returns a :class:`lithkg.read.integrity.CheckReport`."""
        if repair and self.read_only:
            raise UsageError("cannot repair a store opened read-only")
        return integrity.check(self.session, shacl=shacl, repair=repair, progress=progress)

    # ------------------------------------------------------------------ build
    def build(self, graph_dir: str | Path | None = None, *, check: bool = False,
              progress: Progress | None = None) -> dict:
        """Ingest ``graph/sources`` and ``graph/claims`` into the store and write ``graph/build/`` from a fresh
        build (reproducible: record times from ``SOURCE_DATE_EPOCH`` or the documents' dates).

        With ``check=True`` nothing is written: the exports are rebuilt in a temporary folder and compared with
        the committed ones; :class:`CheckFailed` names the files that differ.
        """
        return build.build(self.session, graph_dir, check=check, progress=progress)
