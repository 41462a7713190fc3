"""The reproducible build: ``graph/sources`` and ``graph/claims`` ingested into a fresh store (and the corrections of
``graph/corrections.jsonl`` replayed), its exports written
to ``graph/build/`` (or, with ``check``, compared with the committed ones), then ingested into the session's store.
Record times come from ``SOURCE_DATE_EPOCH`` or the documents' own dates (:func:`lithkg.ingest.write.build_record_time`),
so the same inputs give byte-identical exports.
"""
from __future__ import annotations

import io
import os
import tempfile
from pathlib import Path

from ..errors import CheckFailed, UsageError
from ..rdf import exports, formats
from ..rdf.iris import DEFAULT_BASE
from ..rdf.ontology import load as load_ontology
from ..session import Session
from . import corrections, ingest
from .write import Progress, build_record_time

BUILD_FILES = {"kg.ttl": "turtle", "kg.jsonld": "json-ld", "kg.trig": "trig", "kg.nq": "nquads"}


def export(session, fmt: str) -> bytes:
    """The whole store in an RDF format (as :meth:`lithkg.kg.KnowledgeGraph.export` writes it)."""
    buf = io.BytesIO()
    exports.write_graphs(session.store.graphs_ntriples(), formats.get(fmt, "dataset", "graph"), buf, ids=session.ids)
    return buf.getvalue()


def build(session, graph_dir: str | Path | None = None, *, check: bool = False,
          progress: Progress | None = None) -> dict:
    """See :meth:`lithkg.kg.KnowledgeGraph.build`."""
    graph_dir = Path(graph_dir or session.settings.graph_dir)
    sources, claims_dir = graph_dir / "sources", graph_dir / "claims"
    if not sources.is_dir():
        raise UsageError("no sources/ folder here", path=str(graph_dir),
                         hint="run from the project folder or give --graph-dir")
    inputs = [sources] + ([claims_dir] if claims_dir.is_dir() else [])
    root = graph_dir.resolve().parent
    with tempfile.TemporaryDirectory(prefix="lithkg-build-") as tmp:
        ontology = session.loaded_ontology or load_ontology(base=session.settings.base or DEFAULT_BASE,
                                                                user_files=session.settings.ontology)
        fresh = Session(session.settings.replace(store=Path(tmp) / "store"), ontology=ontology)
        report = ingest(fresh, inputs, relative_to=root, record_time=build_record_time, progress=progress)
        fixes = graph_dir / "corrections.jsonl"
        if fixes.is_file():  # the analysts' corrections of the bundled graph, replayed
            corrections.apply(fresh, fixes)
        outputs = {name: export(fresh, fmt) for name, fmt in BUILD_FILES.items()}
        fresh.close()
    build_dir = graph_dir / "build"
    if check:
        stale = [n for n, data in outputs.items()
                 if not (build_dir / n).is_file() or (build_dir / n).read_bytes() != data]
        if stale:
            raise CheckFailed(f"graph/build is not current: {', '.join(stale)} differ",
                              path=str(build_dir), hint="run 'lithkg build' and commit graph/build")
        return {"documents": len(report.documents), "claims": report.claims, "files": sorted(outputs)}
    build_dir.mkdir(parents=True, exist_ok=True)
    for name, data in outputs.items():
        tmp_path = build_dir / f".{name}.tmp"
        tmp_path.write_bytes(data)
        os.replace(tmp_path, build_dir / name)
    ingest(session, inputs, relative_to=root, record_time=build_record_time)
    if (graph_dir / "corrections.jsonl").is_file():
        corrections.apply(session, graph_dir / "corrections.jsonl")
    return {"documents": len(report.documents), "claims": report.claims,
            "files": [str(build_dir / n) for n in sorted(outputs)]}
