"""Commands that write the store: ingest, build, rank, and those that check it: check, validate."""
import dataclasses
import sys
from pathlib import Path

import click

from ..errors import escape
from .common import (store_option, format_option, handle_errors, open_kg, emit_rows)

@click.command()
@click.argument("paths", nargs=-1, required=True)
@click.option("--source", help="Source key (a URL or name) for the documents; default: front matter url, else path "
                               "(for stdin: stdin- and the first 12 hex digits of the text's SHA-256).")
@click.option("--url", help="The documents' URL (as front matter 'url').")
@click.option("--title", help="Title (as front matter 'title').")
@click.option("--published", help="Publication date, ISO (as front matter 'published').")
@click.option("--retrieved", help="Retrieval date, ISO (as front matter 'retrieved').")
@click.option("--bulk", is_flag=True, help="Many documents: extract in worker processes, write without a transaction "
                                           "per document, derive groups once at the end (see the README).")
@click.option("--workers", type=click.IntRange(1, 64), default=None,
              help="Extraction processes for --bulk (default: the cores, at most 4).")
@click.option("--quiet", "-q", is_flag=True, help="No per-document lines (the summary is still printed).")
@click.option("--allow-outside", "allow_outside", multiple=True, metavar="PATH",
              help="Curated claims may also name documents in this folder (or this file), outside the paths given "
                   "(repeatable). Without it a claims file's 'document:' must lie inside the folders given.")
@store_option
@click.pass_context
@handle_errors
def ingest(ctx, paths, source, url, title, published, retrieved, bulk, workers, quiet, allow_outside, store_after):
    """Read documents and curated claims into the store.

    PATHS are .txt, .md and .html documents, .yaml curated-claims files, or folders of them; '-' reads
    a document from stdin (its source is --source, else its url, else 'stdin-' and 12 hex digits of its text's
    SHA-256: another text piped in is another source, the same text again is the same version). Every input is checked before anything is written; each document version is
    then written in one transaction. With --bulk, names, file types and folders are checked first, document
    contents as they come, written in batches; a failure part-way keeps (and derives) what was written before it.
    Documents are read only from regular files; a file name that is not UTF-8 or holds a control character, a
    folder that cannot be read, or a control character in a text (other than tab, newline, form feed) is refused.
    """
    kg = open_kg(ctx, store_after)
    many = len(paths) > 1 or any(Path(p).is_dir() for p in paths if p != "-")

    def progress(i, total, name):
        if many and (not bulk or i == total or i % 100 == 0):
            click.echo(f"[{i}/{total}] {escape(name)}", err=True)

    report = kg.ingest(paths, source=source, url=url, title=title, published=published, retrieved=retrieved,
                       progress=progress, bulk=bulk, workers=workers, allow_outside=allow_outside)
    for d in report.documents if not quiet else ():
        click.echo(f"{d.status:9} {escape(d.file)}  {d.claims} claim(s)  {d.document}")
    click.echo(report.summary(), err=True)


@click.command()
@format_option()
@store_option
@click.pass_context
@handle_errors
def validate(ctx, fmt, store_after):
    """Check the store against the SHACL shapes (exit 0: conforms; 3: does not)."""
    kg = open_kg(ctx, store_after, read_only=True)

    def progress(i, total, what):
        click.echo(f"[{i}/{total}] {what}", err=True)

    report = kg.validate(progress=progress)
    if report.results:
        emit_rows(report.results, fmt, ["severity", "focus", "path", "message"])
    if not report.conforms:
        click.echo(f"lithkg: the store does not conform: {len(report.results)} problem(s)", err=True)
        sys.exit(3)
    click.echo("the store conforms to the SHACL shapes", err=True)


@click.command()
@click.option("--repair", is_flag=True, help="Rewrite the derived graphs found wrong, then check again.")
@click.option("--no-shacl", "no_shacl", is_flag=True, help="Skip SHACL validation (the slow part).")
@format_option()
@store_option
@click.pass_context
@handle_errors
def check(ctx, repair, no_shacl, fmt, store_after):
    """Check the store's invariants (exit 0: all hold; 3: problems, listed on stdout).

    Every document version is written whole (its claim count and that many complete claims), every quote is its
    document's text at its offsets, every source and claim group's derived graph equals a fresh derivation, and
    (unless --no-shacl) the store conforms to the SHACL shapes. --repair rewrites wrong derived graphs first.
    """
    kg = open_kg(ctx, store_after, read_only=not repair)

    def progress(i, total, what):
        click.echo(f"[{i}/{total}] {what}", err=True)

    report = kg.check(shacl=not no_shacl, repair=repair, progress=progress)
    for graph in report.repaired:
        click.echo(f"repaired {graph}", err=True)
    seen = ", ".join(f"{n} {what}" for what, n in report.checked.items())
    if report.problems:
        emit_rows([dataclasses.asdict(p) for p in report.problems], fmt, ["check", "iri", "message", "repairable"])
        click.echo(f"lithkg: {len(report.problems)} problem(s) in {seen}", err=True)
        sys.exit(3)
    click.echo(f"all invariants hold: {seen}", err=True)


@click.command()
@click.option("--graph-dir", type=click.Path(path_type=Path), default=None,
              help="The bundled graph folder (default: graph, or [tool.lithkg] graph_dir).")
@click.option("--check", is_flag=True, help="Write nothing; exit 3 if graph/build is not what a build gives.")
@store_option
@click.pass_context
@handle_errors
def build(ctx, graph_dir, check, store_after):
    """Build the bundled graph: ingest graph/sources and graph/claims, write graph/build/.

    The exports in graph/build come from a fresh build and are reproducible: record times come from
    SOURCE_DATE_EPOCH or the documents' own dates, never the clock.
    """
    kg = open_kg(ctx, store_after)

    def progress(i, total, name):
        click.echo(f"[{i}/{total}] {name}", err=True)

    result = kg.build(graph_dir, check=check, progress=progress)
    if check:
        click.echo("graph/build is current", err=True)
        return
    for f in result["files"]:
        click.echo(f"wrote {f}", err=True)
    click.echo(f"built {result['documents']} document(s), {result['claims']} claim(s) into {kg.settings.store}",
               err=True)


@click.command()
@click.argument("claim")
@click.argument("rank", type=click.Choice(["preferred", "normal", "deprecated"]))
@click.option("--reason", required=True, help="Why (kept with the override).")
@click.option("--by", help="Who sets it (default: the USER environment variable).")
@store_option
@click.pass_context
@handle_errors
def rank(ctx, claim, rank, reason, by, store_after):
    """Override CLAIM's rank in its group: preferred, normal or deprecated. CLAIM is the id 'lithkg claims' shows (or
    a unique prefix of it of at least 6 characters), or the claim's IRI. The override is kept as a dated,
    attributed record, and the group's preferred value and statuses follow it at once."""
    kg = open_kg(ctx, store_after)
    r = kg.set_rank(claim, rank, reason=reason, by=by)
    click.echo(f"{r['rank']}: {r['claim']} (by {r['by']} at {r['at']}: {r['reason']})")
