"""The embedded store: an Oxigraph database on disk (the default), and the only module that touches raw pyoxigraph
stores.

All writes of one document version happen in one SPARQL update, which Oxigraph applies as one transaction:
the version's graph, and the derived graphs of every group and source it touches, land together or not at all.
Queries see the union of all graphs as their default graph.
"""
from __future__ import annotations

import io
import os
import time
from pathlib import Path
from typing import Iterable, Iterator

import pyoxigraph as ox

from ..errors import QueryError, StoreError, StoreLockedError
from .base import Store, insert_data, syntax_error


def is_store_folder(path: Path) -> bool:
    """Whether ``path`` holds an Oxigraph (RocksDB) store: its CURRENT file names a MANIFEST file that is there."""
    try:
        current = (path / "CURRENT").read_text(encoding="ascii", errors="replace").strip()
    except OSError:
        return False
    return current.startswith("MANIFEST-") and "/" not in current and (path / current).is_file()


def check_store_folder(path: str | Path) -> None:
    """Refuse to make a store of a path that is a file, or a folder that holds files and is not a store: a
    mistyped ``--store`` must not write the database's files among the user's own."""
    path = Path(path)
    if not path.exists() and not path.is_symlink():
        return
    if not path.is_dir():
        raise StoreError("is not a folder, so it cannot be the store", path=str(path),
                         hint="give --store a new or empty folder, or an existing store")
    try:
        with os.scandir(path) as entries:
            empty = next(entries, None) is None
    except OSError as exc:
        raise StoreError(f"cannot open the store: {exc.strerror}", path=str(path)) from None
    if not empty and not is_store_folder(path):
        raise StoreError("the folder is not empty and is not a lithkg store", path=str(path),
                         hint="give --store a new or empty folder, or an existing store")


def _open_read_only(path: Path, attempts: int = 20) -> ox.Store:
    """Open a store read-only, retrying while a writer's compaction removes files the open was about to read.

    A read-only open lists the store's files and then opens them; a compaction in the writing process can delete
    one in between, and RocksDB reports it as "Corruption: ... No such file or directory ... may be corrupted"
    although nothing is corrupt. Opening again reads the new file list."""
    for attempt in range(attempts - 1):
        try:
            return ox.Store.read_only(str(path))
        except (OSError, RuntimeError) as exc:
            if "No such file or directory" not in str(exc):
                raise
            time.sleep(0.02 * (attempt + 1))
    return ox.Store.read_only(str(path))  # the last attempt: its error is the caller's


class OxigraphStore(Store):
    """An Oxigraph store on disk. ``read_only`` opens it for reading while another process writes."""

    def __init__(self, path: str | Path, *, read_only: bool = False, create: bool = True):
        self.path = Path(path)
        self.read_only = read_only
        if not read_only and not create and not self.path.exists():
            raise StoreError("no store here", path=str(self.path), hint="run 'lithkg ingest' or 'lithkg build' first")
        try:
            if read_only:
                if not self.path.exists():
                    raise StoreError("no store here", path=str(self.path),
                                     hint="run 'lithkg ingest' or 'lithkg build' first")
                self._store = _open_read_only(self.path)
            else:
                check_store_folder(self.path)
                self.path.parent.mkdir(parents=True, exist_ok=True)
                self._store = ox.Store(str(self.path))
        except (OSError, RuntimeError) as exc:
            text = str(exc)
            if "lock" in text.lower():
                raise StoreLockedError("the store is in use by another process", path=str(self.path),
                                       hint="wait for it to finish, or use another --store") from None
            raise StoreError(f"cannot open the store: {text}", path=str(self.path)) from None

    # -- reading
    def query(self, sparql: str, *, substitutions: dict | None = None, prefixes: dict | None = None,
              union: bool = True, default_graph: list | None = None, named_graphs: list | None = None,
              base_iri: str | None = None):
        """Run a SPARQL query over the union of all graphs (``union=False`` for a query with its own FROM, which
        the union would override); ``prefixes`` are predeclared (so line numbers in errors are the query text's
        own); relative IRIs resolve against ``base_iri``. Raises QueryError with line and column."""
        try:
            dataset = {}  # the protocol's default-graph-uri / named-graph-uri
            if default_graph:
                dataset["default_graph"] = default_graph
            if named_graphs:
                dataset["named_graphs"] = named_graphs
            return self._store.query(sparql, use_default_graph_as_union=union and not default_graph,
                                     substitutions=substitutions, prefixes=prefixes, base_iri=base_iri, **dataset)
        except SyntaxError as exc:
            raise syntax_error(exc) from None
        except OSError as exc:
            raise StoreError(f"query failed: {exc}", path=str(self.path)) from None
        except (RuntimeError, ValueError) as exc:
            text = str(exc)
            hint = "a --param variable must appear in the SELECT clause" if "projection" in text else None
            raise QueryError(f"query failed: {text}", hint=hint) from None

    @property
    def engine(self) -> ox.Store:
        """The pyoxigraph store itself, for code that speaks to Oxigraph directly (oxrdflib's rdflib view)."""
        return self._store

    def bulk_extend(self, quads: Iterable[ox.Quad]) -> None:
        """Add quads without a transaction (Oxigraph's bulk loader): fast, for a bulk ingest that derives after."""
        self._store.bulk_extend(quads)

    def remove_graph(self, iri: str) -> None:
        """Remove a named graph and its quads."""
        self._store.remove_graph(ox.NamedNode(iri))

    def pattern(self, *, subject=None, predicate=None, object=None, graph=None) -> Iterator[ox.Quad]:
        """The quads matching a pattern (None: any), read by index."""
        return self._store.quads_for_pattern(subject, predicate, object, graph)

    def has_graph(self, iri: str) -> bool:
        return self._store.contains_named_graph(ox.NamedNode(iri))

    def contains(self, quad: ox.Quad) -> bool:
        return quad in self._store

    def graph_quads(self, iri: str) -> list[ox.Quad]:
        return list(self._store.quads_for_pattern(None, None, None, ox.NamedNode(iri)))

    def quads(self) -> Iterable[ox.Quad]:
        return self._store.quads_for_pattern(None, None, None, None)

    def named_graphs(self) -> list[str]:
        return sorted(g.value for g in self._store.named_graphs() if isinstance(g, ox.NamedNode))

    def __len__(self) -> int:
        return len(self._store)

    def dump_nquads(self) -> bytes:
        buf = io.BytesIO()
        self._store.dump(buf, format=ox.RdfFormat.N_QUADS)
        return buf.getvalue()

    def graphs_ntriples(self) -> Iterator[tuple[str | None, bytes]]:
        """Each graph's triples in N-Triples, as Oxigraph writes them: the default graph first (when it holds any),
        then the named graphs in IRI order. A streaming export reads the store this way, one graph at a time."""
        default = self._store.dump(format=ox.RdfFormat.N_TRIPLES, from_graph=ox.DefaultGraph())
        if default:
            yield None, default
        for g in self.named_graphs():
            yield g, self._store.dump(format=ox.RdfFormat.N_TRIPLES, from_graph=ox.NamedNode(g)) or b""

    # -- writing
    def apply(self, *, drop_graphs: Iterable[str] = (), insert: Iterable[ox.Quad] = ()) -> None:
        """Replace graphs: drop ``drop_graphs`` and insert ``insert``, in one transaction.

        Only what changes is written. Each graph to drop is read first; the quads it loses are deleted and the quads
        it gains inserted, so the unchanged part of a graph that is derived again (most of a touched group's
        relations) is not deleted and written back (quads of other graphs are inserted, which leaves a quad the store
        holds as it is). A graph holding blank nodes, which ``DELETE DATA`` cannot name, is dropped whole."""
        if self.read_only:
            raise StoreError("the store is open read-only", path=str(self.path))
        insert = list(insert)
        new = set(insert)
        parts, removed, kept = [], [], set()
        for g in sorted(set(drop_graphs)):
            old = self.graph_quads(g)
            if any(isinstance(q.subject, ox.BlankNode) or isinstance(q.object, ox.BlankNode) for q in old):
                parts.append(f"DROP SILENT GRAPH <{g}>")
                continue
            removed += [q for q in old if q not in new]
            kept.update(q for q in old if q in new)
        deleted = insert_data(removed, verb="DELETE DATA")
        if deleted:
            parts.append(deleted)
        data = insert_data(q for q in insert if q not in kept)
        if data:
            parts.append(data)
        if not parts:
            return
        try:
            self._store.update(" ;\n".join(parts))
        except SyntaxError as exc:  # a term lithkg built badly: a bug, reported plainly
            raise StoreError(f"internal error writing to the store: {exc}", path=str(self.path)) from None
        except (OSError, RuntimeError) as exc:
            raise StoreError(f"cannot write to the store: {exc}", path=str(self.path)) from None

    def flush(self) -> None:
        if not self.read_only:
            self._store.flush()

    def close(self) -> None:
        self._store = None
