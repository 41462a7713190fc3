"""Ingest: documents and curated claims into a store.

* :mod:`~lithkg.ingest.plan`: the inputs expanded and checked, curated entries matched, documents read and
  extracted, all before anything is written;
* :mod:`~lithkg.ingest.statements`: the claims several extractors read of one statement made one claim;
* :mod:`~lithkg.ingest.write`: one version and the derivations it changes, in one transaction;
* :mod:`~lithkg.ingest.bulk`: many documents, extracted in worker processes, derived once at the end;
* :mod:`~lithkg.ingest.build`: the reproducible build of ``graph/`` and its committed exports.

:func:`ingest` runs them as :meth:`lithkg.kg.KnowledgeGraph.ingest` does, over a :class:`~lithkg.session.Session`.
"""
from __future__ import annotations

from pathlib import Path
from typing import Iterable

from ..errors import UsageError
from . import plan, write


def ingest(session, paths: Iterable[str | Path], *, stdin: bytes | None = None, fields: dict | None = None,
           relative_to: Path, record_time=None, progress: write.Progress | None = None, bulk: bool = False,
           workers: int | None = None, allow_outside: Iterable[str | Path] = ()) -> write.IngestReport:
    """Read, extract and write documents and curated claims (see :meth:`lithkg.kg.KnowledgeGraph.ingest`);
    ``fields`` override the documents' front matter (source, url, title, published, retrieved)."""
    if not session.remote and not session.read_only:
        from ..store.oxigraph import check_store_folder
        check_store_folder(session.settings.store)  # a folder of other files is not made a store
    found = plan.inputs(paths, relative_to, allow_outside)
    fields = fields or {}
    if bulk:
        from . import bulk as bulk_ingest
        if found.stdin:
            raise UsageError("--bulk reads files, not stdin", hint="ingest stdin without --bulk")
        return bulk_ingest.ingest(session, found.documents, found.entries_by_document(), fields=fields,
                                  relative_to=relative_to, record_time=record_time, progress=progress,
                                  workers=workers)
    planned = plan.extract_all(session, found, fields, stdin=stdin, relative_to=relative_to)
    return write.write(session, planned, record_time, progress)
