"""The first phase of an ingest, before anything is written: which files the inputs name (folders walked), every
name, type and permission checked; the curated-claims files loaded and each entry matched to its document; every
document read and extracted. Any problem here stops the ingest with the store as it was.
"""
from __future__ import annotations

import dataclasses
import os
from pathlib import Path
from typing import Iterable

from .. import extract
from ..errors import ClaimsFileError, DocumentError, UsageError, escape
from ..extract.curated import ClaimsFile, is_claims_path, load_claims_file
from ..extract.documents import (check_file_name, display_path, is_document_path, not_regular, parse_document,
                                 read_document, read_stdin)
from ..model import Claim, Document


@dataclasses.dataclass
class Inputs:
    """What an ingest reads: documents, curated-claims files (loaded), whether stdin is read, and the roots curated
    claims may name documents under."""
    documents: list[Path]
    claim_files: list[ClaimsFile]
    stdin: bool
    roots: list[Path]

    def entries_by_document(self) -> dict[str, list]:
        """The curated entries of every claims file by the document (path or URL) they name."""
        entries: dict[str, list] = {}
        for cf in self.claim_files:
            for entry in cf.entries:
                entries.setdefault(entry.document, []).append(entry)
        return entries


def inputs(paths, relative_to: Path, allow_outside: Iterable[str | Path] = ()) -> Inputs:
    """The inputs ``paths`` name (see :func:`expand`), the claims files loaded, and the documents curated claims
    name added (each inside a folder given, or one ``allow_outside`` names, and checked as the others are)."""
    doc_paths, claim_paths, use_stdin, roots = expand(paths, relative_to)
    for p in allow_outside:
        if not Path(p).exists():
            raise UsageError("--allow-outside names no file or folder", path=escape(str(p)))
        roots.append(Path(p))
    claim_files = [load_claims_file(p, name=display_path(p, relative_to)) for p in claim_paths]
    known = {str(p.resolve()) for p in doc_paths}
    for cf in claim_files:
        for entry in cf.entries:
            ref = entry.document
            if "://" not in ref and ref not in known:
                p = Path(ref)
                line = entry.lines.get("document", entry.line)
                shown_path = display_path(p, relative_to)
                if not p.exists():
                    raise ClaimsFileError(f"names document {shown_path}, which does not exist",
                                          path=cf.path, line=line,
                                          hint="fix the 'document:' path (it is relative to the YAML file)")
                if not inside(p, roots):
                    raise ClaimsFileError(f"names document {shown_path}, which is outside the folders given to the "
                                          "ingest", path=cf.path, line=line,
                                          hint="give the document or its folder in the same ingest, or allow it "
                                               "with --allow-outside PATH")
                check_file_name(shown_path)
                check_readable(p, relative_to)
                doc_paths.append(p)
                known.add(ref)
    return Inputs(doc_paths, claim_files, use_stdin, roots)


def extract_all(session, found: Inputs, fields: dict, *, stdin: bytes | None, relative_to: Path
                ) -> list[tuple[Document, list[Claim]]]:
    """Every document read (stdin too, when given as ``-``) and extracted with its curated entries; the same text
    given twice is one version."""
    documents: list[tuple[Document, str | None]] = []
    for p in found.documents:
        documents.append((read_document(p, relative_to=relative_to, max_bytes=session.settings.max_document_size,
                                        **fields), str(p.resolve())))
    if found.stdin:
        if stdin is None:
            stdin = read_stdin(session.settings.max_document_size)
        documents.append((parse_document(stdin, name="-", media_type=None, **fields), None))
    # Same text given twice in one call is one version.
    unique: dict[str, tuple[Document, list[str | None]]] = {}
    for doc, path in documents:
        key = session.ids.document(doc)
        if key in unique:
            unique[key][1].append(path)
        else:
            unique[key] = (doc, [path])
    entries_for = match_entries(found.claim_files, unique)
    planned = []
    for key, (doc, _paths) in unique.items():
        ctx = extract.ExtractionContext(ontology=session.ontology, curated=entries_for.get(key, []))
        planned.append((doc, extract.run(session.settings.extractors, doc, ctx)))
    return planned


def expand(paths, relative_to: Path) -> tuple[list[Path], list[Path], bool, list[Path]]:
    """The documents and claims files the paths name (folders walked, hidden entries skipped), whether stdin is
    read, and the roots curated claims may name documents under. Every name, type and permission is checked
    here, before anything is read: a bad one anywhere stops the ingest with nothing written."""
    docs, claims, use_stdin, roots = [], [], False, []
    folder = None  # the first folder given: named when no input at all is found
    for raw in paths:
        if str(raw) == "-":
            use_stdin = True
            continue
        p = Path(raw)
        check_file_name(str(raw))
        if p.is_dir():
            roots.append(p)
            for child in walk(p):
                if is_document_path(child) or is_claims_path(child):
                    name = shown(child, relative_to)  # a link by its own name
                    check_file_name(name)
                    if not inside(child, [p]):
                        raise DocumentError("is a link to a file outside the folder given", path=name,
                                            hint="give the file it points to by name, or remove the link")
                    check_readable(child, relative_to, name)
                    (docs if is_document_path(child) else claims).append(child)
        elif is_claims_path(p):
            if not p.exists():
                raise ClaimsFileError("no such file", path=str(raw))
            check_readable(p, None, str(raw))
            claims.append(p)
            roots.append(p.parent)
        elif not p.exists():
            raise DocumentError("no such file or folder", path=str(raw))
        else:
            if is_document_path(p):
                check_readable(p, relative_to)
            docs.append(p)
        folder = folder or (str(raw) if p.is_dir() else None)
    if folder and not docs and not claims and not use_stdin:
        raise DocumentError("the folder has nothing to ingest", path=folder,
                            hint="give .txt, .md or .html documents or .yaml curated claims")
    return docs, claims, use_stdin, roots


def match_entries(claim_files: list[ClaimsFile], unique: dict) -> dict[str, list]:
    """The curated entries for each document version (``unique``: version IRI -> (document, the paths it was read
    from)), matched by path, else by the source's URL or key."""
    by_path, by_url = {}, {}
    for key, (doc, paths) in unique.items():
        for p in paths:
            if p:
                by_path[p] = key
        by_url.setdefault(doc.source_key, key)
        if doc.url:
            by_url.setdefault(doc.url, key)
    out: dict[str, list] = {}
    for cf in claim_files:
        for entry in cf.entries:
            key = by_path.get(entry.document) or by_url.get(entry.document)
            if key is None:
                raise ClaimsFileError(f"names document {entry.document}, which is not among the documents given",
                                      path=cf.path, line=entry.lines.get("document", entry.line),
                                      hint="give the document file in the same ingest")
            out.setdefault(key, []).append(entry)
    return out


def walk(folder: Path) -> list[Path]:
    """Every file under ``folder``, sorted, skipping hidden files and folders (a name starting with ``.``) and not
    following links to folders; a folder that cannot be read is an error, not skipped."""
    out: list[Path] = []
    stack = [folder]
    while stack:
        current = stack.pop()
        try:
            with os.scandir(current) as it:
                entries = list(it)
        except OSError as exc:
            raise DocumentError(f"cannot read the folder: {exc.strerror}", path=str(current),
                                hint="make it readable, or leave it out") from None
        for entry in entries:
            if entry.name.startswith("."):
                continue
            if entry.is_dir(follow_symlinks=False):
                stack.append(Path(entry.path))
            elif not entry.is_dir():
                out.append(Path(entry.path))
    return sorted(out)


def shown(path: Path, relative_to: Path) -> str:
    """A path as a message names it: relative to ``relative_to``, its links not resolved (unlike a document's name)."""
    absolute, base = os.path.abspath(path), os.path.abspath(relative_to)
    return Path(os.path.relpath(absolute, base)).as_posix()


def inside(path: Path, roots: Iterable[Path]) -> bool:
    """Whether ``path``, its links resolved, is one of ``roots`` or lies under one of them (resolved too)."""
    resolved = path.resolve()
    return any(resolved == root.resolve() or resolved.is_relative_to(root.resolve()) for root in roots)


def check_readable(path: Path, relative_to: Path | None, name: str | None = None) -> None:
    """A document or claims file refused before anything is read: not a regular file (a FIFO would block the ingest,
    a device never end), or not readable."""
    name = name if name is not None else display_path(path, relative_to)
    try:
        mode = os.stat(path).st_mode
    except FileNotFoundError:
        raise DocumentError("no such file (a link to nothing?)", path=name) from None
    except OSError as exc:
        raise DocumentError(f"cannot read the file: {exc.strerror}", path=name) from None
    refused = not_regular(mode, name)
    if refused:
        raise refused
    if not os.access(path, os.R_OK):
        raise DocumentError("cannot read the file: Permission denied", path=name)
