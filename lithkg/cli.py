"""The ``lithkg`` command: a thin click layer over :class:`lithkg.kg.KnowledgeGraph`.

Data goes to stdout, progress and errors to stderr. Exit codes come from :mod:`lithkg.errors`:
0 ok, 1 error, 2 usage, 3 a check found problems, 4 bad input, 5 query error, 6 store error, 7 endpoint error.
"""
from __future__ import annotations

import functools
import dataclasses
import io
import json
import sys
from pathlib import Path

import click

from . import __version__
from .rdf import formats
from .config import load_settings
from .errors import LithkgError, UsageError, escape
from .kg import KnowledgeGraph
from .read.sparql import named_queries
from .read.tabular import fold_by_source, write_rows

TABULAR = ["table", "csv", "tsv", "json", "jsonl"]
CLAIM_COLUMNS = ["subject_label", "property_label", "value", "unit", "bound", "time", "qualifiers", "source",
                 "status", "quote"]


def _for_table(rows: list[dict]) -> list[dict]:
    """Rows as a person reads them: entity values and units by label (JSON formats keep the IRIs)."""
    return [{**r, "value": r.get("value_label") or r.get("value"), "unit": r.get("unit_label") or r.get("unit")}
            for r in rows]


def _store_option(f):
    """``--store`` is accepted before or after the command name; the later one wins."""
    return click.option("--store", "store_after", type=click.Path(path_type=Path), default=None,
                        help="Path of the embedded store (also LITHKG_STORE; default .lithkg/store).")(f)


def _format_option(default="table", choices=None):
    return click.option("--format", "-f", "fmt", default=default, show_default=True,
                        help=f"Output format: {', '.join(choices or TABULAR)}.")


def _handle_errors(f):
    @functools.wraps(f)
    def wrapper(*args, **kwargs):
        try:
            return f(*args, **kwargs)
        except LithkgError as exc:
            click.echo(f"lithkg: error: {exc.format()}", err=True)
            sys.exit(exc.exit_code)
        except BrokenPipeError:
            sys.exit(0)
    return wrapper


def _kg(ctx: click.Context, store_after: Path | None, read_only: bool = False) -> KnowledgeGraph:
    settings = load_settings(store=store_after or ctx.obj.get("store"), base=ctx.obj.get("base"),
                             **ctx.obj.get("endpoints", {}))
    kg = KnowledgeGraph(settings=settings, read_only=read_only)
    ctx.call_on_close(kg.close)
    return kg


def _tabular(fmt: str) -> str:
    f = formats.get(fmt, "tabular")
    return f.name


def _emit_rows(rows, fmt, columns=None):
    fmt = _tabular(fmt)
    if fmt in ("table", "csv", "tsv"):
        rows = _for_table(rows)
    out = io.StringIO()
    write_rows(rows, fmt, out, columns=None if fmt in ("json", "jsonl") else columns)
    click.echo(out.getvalue(), nl=False)


def _parse_params(params: tuple[str, ...]) -> dict[str, str]:
    out = {}
    for p in params:
        name, sep, value = p.partition("=")
        if not sep or not name:
            raise UsageError(f"--param '{p}' is not NAME=VALUE")
        out[name.strip()] = value
    return out


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
@click.option("--store", type=click.Path(path_type=Path), default=None, envvar="LITHKG_STORE",
              help="Path of the embedded Oxigraph store (env LITHKG_STORE; default .lithkg/store).")
@click.option("--base", default=None, metavar="IRI",
              help="Base that a new store mints claim, group, document and entity IRIs under (env LITHKG_BASE; "
                   "default https://w3id.org/lithkg/id/). A store keeps the base it was built with.")
@click.option("--endpoint", default=None, metavar="URL",
              help="Run on this SPARQL 1.1 server (its query URL) instead of the embedded store (env LITHKG_ENDPOINT). "
                   "Credentials come from LITHKG_ENDPOINT_USER and LITHKG_ENDPOINT_PASSWORD, never from a flag.")
@click.option("--update-endpoint", default=None, metavar="URL",
              help="The server's SPARQL Update URL, needed to write (env LITHKG_UPDATE_ENDPOINT).")
@click.option("--graph-store", default=None, metavar="URL",
              help="The server's Graph Store Protocol URL: each document version is written in one request "
                   "(env LITHKG_GRAPH_STORE).")
@click.version_option(__version__, prog_name="lithkg")
@click.pass_context
def main(ctx: click.Context, store: Path | None, base: str | None, endpoint: str | None,
         update_endpoint: str | None, graph_store: str | None):
    """lithkg: a claim-versioning knowledge graph.

    Reads documents into claims with provenance and time, keeps conflicting figures side by side,
    and answers what was claimed, by whom, when, and where sources disagree.
    """
    ctx.ensure_object(dict)
    ctx.obj["store"] = store
    ctx.obj["base"] = base
    ctx.obj["endpoints"] = {"endpoint": endpoint, "update_endpoint": update_endpoint, "graph_store": graph_store}


@main.command()
@click.argument("paths", nargs=-1, required=True)
@click.option("--source", help="Source key (a URL or name) for the documents; default: front matter url, else path.")
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
@_store_option
@click.pass_context
@_handle_errors
def ingest(ctx, paths, source, url, title, published, retrieved, bulk, workers, quiet, allow_outside, store_after):
    """Read documents and curated claims into the store.

    PATHS are .txt, .md and .html documents, .yaml curated-claims files, or folders of them; '-' reads
    a document from stdin. Every input is checked before anything is written; each document version is
    then written in one transaction. With --bulk, names, file types and folders are checked first, document
    contents as they come, written in batches; a failure part-way keeps (and derives) what was written before it.
    Documents are read only from regular files; a file name that is not UTF-8 or holds a control character, a
    folder that cannot be read, or a control character in a text (other than tab, newline, form feed) is refused.
    """
    kg = _kg(ctx, store_after)
    many = len(paths) > 1 or any(Path(p).is_dir() for p in paths if p != "-")

    def progress(i, total, name):
        if many and (not bulk or i == total or i % 100 == 0):
            click.echo(f"[{i}/{total}] {escape(name)}", err=True)

    report = kg.ingest(paths, source=source, url=url, title=title, published=published, retrieved=retrieved,
                       progress=progress, bulk=bulk, workers=workers, allow_outside=allow_outside)
    for d in report.documents if not quiet else ():
        click.echo(f"{d.status:9} {escape(d.file)}  {d.claims} claim(s)  {d.document}")
    click.echo(report.summary(), err=True)


@main.command()
@_format_option()
@click.option("--subject", help="Only claims about this entity (label, alias or IRI).")
@click.option("--property", "prop", help="Only claims of this property (name, label or IRI).")
@click.option("--source", help="Only claims from this source (file name, URL or document IRI).")
@click.option("--status", type=click.Choice(["preferred", "corroborated", "updated", "conflicting", "retracted",
                                            "deprecated"]),
              help="Only claims with this status in their group.")
@click.option("--as-of", help="Record time: the graph as lithkg knew it at this date (what had been ingested).")
@click.option("--valid-at", help="Valid time: the claims whose own time holds at this date.")
@click.option("--source-date-before", help="Source time: only what sources dated before this date said.")
@_store_option
@click.pass_context
@_handle_errors
def claims(ctx, fmt, subject, prop, source, status, as_of, valid_at, source_date_before, store_after):
    """List every claim: subject, property, value, time, source, quote, status.

    '--format jsonl' gives one JSON object per claim with the keys of the claims-listing contract. The three
    time options combine; with any of them statuses are derived again over just the claims they keep.
    """
    kg = _kg(ctx, store_after, read_only=True)
    rows = kg.claims(subject=subject, property=prop, source=source, status=status, as_of=as_of, valid_at=valid_at,
                     source_date_before=source_date_before)
    _emit_rows(rows, fmt, CLAIM_COLUMNS)


@main.command()
@_format_option()
@_store_option
@click.pass_context
@_handle_errors
def conflicts(ctx, fmt, store_after):
    """Claim groups whose sources give different values, side by side with their sources.

    Each value is marked with its relation to the group's preferred value and the reason: an update
    over time (a later valid time) or a conflict (different values for the same time).
    """
    kg = _kg(ctx, store_after, read_only=True)
    rows = kg.conflicts()
    if _tabular(fmt) != "table":
        _emit_rows(rows, fmt)
        return
    if not rows:
        click.echo("No claim group has more than one value.")
        return
    groups: dict[str, list[dict]] = {}
    for r in rows:
        groups.setdefault(r["group"], []).append(r)
    for members in groups.values():
        head = members[0]
        kinds = sorted({m["relation"] for m in members if m["relation"] not in (None, "preferred")})
        verdict = "disputed" if head["disputed"] else "changed over time" if kinds == ["updates"] else "values differ"
        click.echo(f"{head['group_label']}  [{verdict}]")
        folded = fold_by_source(members)
        preferred = next((m for m in members if m["status"] == "preferred"), None)
        pref_key = (preferred["source"], str(preferred["value"])) if preferred else None
        for m in folded:
            mark = "*" if m["status"] == "preferred" else " "
            value = _value_text(m)
            click.echo(f"  {mark} {value:>16}  {m['time'] or '-':10}  {m['status']:12}  {m['source']}")
            click.echo(f"      \"{_clip(m['quote'], 100)}\"")
            if m["reason"]:
                label = "why preferred" if m["status"] == "preferred" else m["relation"] or "relation"
                click.echo(f"      {label}: {m['reason']}")
            said = set()
            for c in m["conflicts_with"]:
                if m["relation"] == "conflicts" and (c["source"], str(c["value"])) == pref_key:
                    continue  # already said as the relation to the preferred value
                if (c["source"], str(c["value"])) in said:
                    continue
                said.add((c["source"], str(c["value"])))
                click.echo(f"      conflicts with {_value_text(c)} in {c['source']}: {c['reason']}")
        click.echo("")


def _clip(text: str, width: int) -> str:
    text = " ".join(str(text).split())
    return text if len(text) <= width else text[:width - 1] + "…"


def _value_text(row: dict) -> str:
    value = row.get("value_label") or row["value"]
    unit = row.get("unit_label") or ""
    bound = {"lower": "> ", "upper": "< ", "approx": "~ "}.get(row.get("bound") or "", "")
    return f"{bound}{value}{(' ' + unit) if unit else ''}"


@main.command()
@click.argument("subject")
@click.argument("property")
@click.option("--qualifier", "-q", multiple=True, help="Only the group with this scoping qualifier, as NAME=VALUE.")
@_format_option()
@_store_option
@click.pass_context
@_handle_errors
def history(ctx, subject, property, qualifier, fmt, store_after):
    """One subject and property's values over time, with sources, quotes, and each value's relation to the one
    before it (corroborates, updates, conflicts, retracted)."""
    kg = _kg(ctx, store_after, read_only=True)
    rows = kg.history(subject, property, qualifiers=_parse_params(qualifier))
    if not rows:
        raise UsageError(f"no claims about '{subject}' / '{property}'")
    _emit_rows(rows, fmt, ["group_label", "time", "value", "unit", "bound", "status", "relation_to_previous", "source",
                           "source_date", "quote"])


@main.command()
@click.argument("name_or_file", required=False)
@click.option("-e", "--expression", help="A SPARQL query given on the command line.")
@click.option("--param", "-p", "params", multiple=True, help="Bind a query variable, as NAME=VALUE (repeatable).")
@click.option("--list", "list_", is_flag=True, help="List the named queries and their parameters.")
@click.option("--format", "-f", "fmt", default="table", show_default=True,
              help="table, csv, tsv, json, xml for SELECT/ASK; turtle, ntriples, json-ld, nquads, trig for CONSTRUCT.")
@_store_option
@click.pass_context
@_handle_errors
def query(ctx, name_or_file, expression, params, list_, fmt, store_after):
    """Run a named query (see --list), a .rq file ('-' for stdin) or -e 'SELECT ...'.

    Standard prefixes (lkg:, lkgp:, lp:, lps:, lpq:, ldt:, lke:, lkd:, prov:, oa:, rdfs: ...) are
    predeclared. Parameters are bound as RDF terms, never pasted into the query text.
    """
    if list_:
        rows = [{"name": q.name, "title": q.title,
                 "params": ", ".join(f"{p.name}:{p.type}{'?' if p.optional else ''}" for p in q.params),
                 "description": q.description} for q in named_queries().values()]
        _emit_rows(rows, fmt if fmt in TABULAR else "table", ["name", "title", "params", "description"])
        return
    if bool(name_or_file) == bool(expression):
        raise UsageError("give a query name, a .rq file or -e 'QUERY' (one of them)", hint="see 'lithkg query --list'")
    kg = _kg(ctx, store_after, read_only=True)  # a query never writes: the store's files stay as they are

    bound = _parse_params(params)
    if expression:
        result = kg.run_query(expression, params=bound)
    elif name_or_file == "-":
        result = kg.run_query(sys.stdin.read(), params=bound)
    elif name_or_file in named_queries():
        result = kg.run_query(name=name_or_file, params=bound)
    else:
        path = Path(name_or_file)
        if not path.is_file():
            raise UsageError(f"no named query or file '{name_or_file}'", hint="see 'lithkg query --list'")
        try:
            text = path.read_text(encoding="utf-8")
        except UnicodeDecodeError:
            raise UsageError("the query file is not UTF-8", path=str(path)) from None
        try:
            result = kg.run_query(text, params=bound)
        except LithkgError as exc:
            if exc.path == "query":
                exc.path = str(path)
            raise
    if result.kind == "graph":
        out_fmt = formats.get("turtle" if fmt == "table" else fmt, "graph", "dataset")
        click.echo(kg.serialize_result(result, out_fmt).decode("utf-8"), nl=False)
        return
    if fmt == "table":
        if result.kind == "ask":
            click.echo("yes" if result.boolean else "no")
            return
        _emit_rows(result.rows, "table", result.variables)
        click.echo(f"({len(result.rows)} row{'s' if len(result.rows) != 1 else ''})", err=True)
        return
    if fmt == "jsonl" and result.kind == "select":
        _emit_rows(result.rows, "jsonl")
        return
    out_fmt = formats.result_format(fmt)
    click.echo(kg.serialize_result(result, out_fmt).decode("utf-8"), nl=False)


@main.command()
@click.option("--format", "-f", "fmt", default=None,
              help="turtle, json-ld, trig, nquads, ntriples, rdf-xml (default: from -o's extension, else turtle).")
@click.option("--output", "-o", default="-", show_default=True, help="File to write, or '-' for stdout.")
@_store_option
@click.pass_context
@_handle_errors
def export(ctx, fmt, output, store_after):
    """Export the whole graph. Output is byte-identical for the same store.

    Turtle, N-Triples, JSON-LD and RDF/XML carry every claim with qualifiers and provenance in one graph;
    TriG and N-Quads keep the named graphs (one per document version, one per derived claim group).
    """
    if fmt is None:
        guessed = formats.from_path(output, "graph", "dataset") if output != "-" else None
        fmt = guessed.name if guessed else "turtle"
    f = formats.get(fmt, "graph", "dataset")
    kg = _kg(ctx, store_after, read_only=True)  # an export only reads: the store's files stay as they are
    _stream_output(output, lambda fh: kg.export(f, out=fh), f, "export")


def _write_output(output: str, data: bytes, fmt: formats.Format, what: str) -> None:
    """``data`` to stdout (``-``) or to a file, whole or not at all (written beside it, then renamed)."""
    _stream_output(output, lambda fh: fh.write(data), fmt, what)


def _stream_output(output: str, write, fmt: formats.Format, what: str) -> None:
    """What ``write(binary_file)`` writes, to stdout (``-``) as it comes, or to a file whole or not at all (written
    beside it, then renamed; removed if anything fails)."""
    if output == "-":
        write(sys.stdout.buffer)
        sys.stdout.flush()
        return
    path = Path(output)
    tmp = path.with_name(f".{path.name}.tmp")
    try:
        with open(tmp, "wb") as fh:
            write(fh)
        tmp.replace(path)
    except BaseException as exc:
        try:
            tmp.unlink(missing_ok=True)
        except OSError:  # (under a path that is not a folder there is nothing to remove)
            pass
        if isinstance(exc, OSError):
            raise UsageError(f"cannot write the {what}: {exc.strerror}", path=str(path)) from None
        raise
    click.echo(f"wrote {path} ({fmt.name}, {path.stat().st_size} bytes)", err=True)


def _output_format(fmt: str | None, output: str, kind: str, default: str) -> formats.Format:
    if fmt is None:
        guessed = formats.from_path(output, kind) if output != "-" else None
        return guessed or formats.get(default, kind)
    return formats.get(fmt, kind)


@main.command("graph")
@click.argument("kind", type=click.Choice(["disputes", "sources", "entities", "lineage"]))
@click.option("--format", "-f", "fmt", default=None,
              help="graphml, gexf, dot or json (node-link); default: from the -o extension, else graphml.")
@click.option("--output", "-o", default=None,
              help="File to write the graph to, or '-' for stdout (the summary then goes to stderr). "
                   "Without -o only the summary is printed.")
@click.option("--by", type=click.Choice(["source", "version"]), default="source", show_default=True,
              help="For 'sources': one node per source, or per document version.")
@click.option("--top", type=int, default=5, show_default=True, help="How many top nodes the summary lists.")
@_store_option
@click.pass_context
@_handle_errors
def graph_command(ctx, kind, fmt, output, by, top, store_after):
    """Analyse the claim graph with networkx and write it for Gephi, Graphviz, yEd or d3.

    \b
    disputes  claims joined by corroborates / updates / conflicts; components with a conflict are disputes,
              ranked by how many sources and how far apart the values in conflict are
    sources   sources (or --by version) weighted by the groups they agree and conflict in: the most agreeing
              pairs, sources that stand alone, clusters that repeat each other
    entities  entities joined by the claims between them, with centrality: what the corpus is about
    lineage   each source's versions as a chain, with the claims added, kept, revised and retracted
    """
    from .read import analyses, networks
    kg = _kg(ctx, store_after, read_only=True)
    g = kg.network(kind, by=by)
    text = "\n".join(analyses.summary(g, top=top))
    if output is None:
        if fmt is not None:
            raise UsageError("--format needs --output", hint="add -o FILE, or -o - for stdout")
        click.echo(text)
        return
    f = _output_format(fmt, output, "network", "graphml")
    _write_output(output, networks.to_bytes(g, f), f, "graph")
    click.echo(text, err=output == "-")


@main.command()
@click.argument("group", required=False)
@click.option("--disputes", "disputes_", is_flag=True, help="Draw the dispute graph instead of one group.")
@click.option("--output", "-o", required=True, help="Picture to write (.png or .svg), or '-' for stdout.")
@click.option("--format", "-f", "fmt", type=click.Choice(["png", "svg"]), default=None,
              help="png or svg; default: from the -o extension, else png.")
@_store_option
@click.pass_context
@_handle_errors
def plot(ctx, group, disputes_, output, fmt, store_after):
    """Draw a claim group's values over valid time (one mark per source, the preferred value as a star), or
    with --disputes the dispute graph. GROUP is words of a group label ('cyber security index'), its IRI or
    hash. Needs the plotting extra: pip install 'lithkg[plot]'."""
    import io as _io

    from .read import plot as plotting
    plotting.require()
    if bool(group) == disputes_:
        raise UsageError("give a GROUP or --disputes (one of them)", hint="see 'lithkg conflicts' for groups")
    f = _output_format(fmt, output, "picture", "png")
    kg = _kg(ctx, store_after, read_only=True)
    buf = _io.BytesIO()
    if disputes_:
        drawn = plotting.plot_disputes(kg.network("disputes"), buf, fmt=f.name)
        lines = [f"{r['dispute']}: {r['sources']} source(s), values {r['values']}" for r in drawn]
    else:
        iri = kg.find_group(group)
        rows = kg.claims(group=iri)
        label, reason = kg.group_label(iri)
        drawn = plotting.plot_group(rows, buf, fmt=f.name, title=label, reason=reason)
        lines = [f"{label}:"] + [f"  {'* ' if m['preferred'] else '  '}{m['label']} ({m['time'] or 'no time'}) "
                                 f"{m['source']} [{m['status']}]" for m in drawn]
    _write_output(output, buf.getvalue(), f, "picture")
    click.echo("\n".join(lines), err=output == "-")


@main.command()
@_format_option()
@_store_option
@click.pass_context
@_handle_errors
def validate(ctx, fmt, store_after):
    """Check the store against the SHACL shapes (exit 0: conforms; 3: does not)."""
    kg = _kg(ctx, store_after, read_only=True)
    report = kg.validate()
    if report.results:
        _emit_rows(report.results, fmt, ["severity", "focus", "path", "message"])
    if not report.conforms:
        click.echo(f"lithkg: the store does not conform: {len(report.results)} problem(s)", err=True)
        sys.exit(3)
    click.echo("the store conforms to the SHACL shapes", err=True)


@main.command()
@click.option("--repair", is_flag=True, help="Rewrite the derived graphs found wrong, then check again.")
@click.option("--no-shacl", "no_shacl", is_flag=True, help="Skip SHACL validation (the slow part).")
@_format_option()
@_store_option
@click.pass_context
@_handle_errors
def check(ctx, repair, no_shacl, fmt, store_after):
    """Check the store's invariants (exit 0: all hold; 3: problems, listed on stdout).

    Every document version is written whole (its claim count and that many complete claims), every quote is its
    document's text at its offsets, every source and claim group's derived graph equals a fresh derivation, and
    (unless --no-shacl) the store conforms to the SHACL shapes. --repair rewrites wrong derived graphs first.
    """
    kg = _kg(ctx, store_after, read_only=not repair)

    def progress(i, total, what):
        click.echo(f"[{i}/{total}] {what}", err=True)

    report = kg.check(shacl=not no_shacl, repair=repair, progress=progress)
    for graph in report.repaired:
        click.echo(f"repaired {graph}", err=True)
    seen = ", ".join(f"{n} {what}" for what, n in report.checked.items())
    if report.problems:
        _emit_rows([dataclasses.asdict(p) for p in report.problems], fmt, ["check", "iri", "message", "repairable"])
        click.echo(f"lithkg: {len(report.problems)} problem(s) in {seen}", err=True)
        sys.exit(3)
    click.echo(f"all invariants hold: {seen}", err=True)


@main.command()
@click.option("--graph-dir", type=click.Path(path_type=Path), default=None,
              help="The bundled graph folder (default: graph, or [tool.lithkg] graph_dir).")
@click.option("--check", is_flag=True, help="Write nothing; exit 3 if graph/build is not what a build gives.")
@_store_option
@click.pass_context
@_handle_errors
def build(ctx, graph_dir, check, store_after):
    """Build the bundled graph: ingest graph/sources and graph/claims, write graph/build/.

    The exports in graph/build come from a fresh build and are reproducible: record times come from
    SOURCE_DATE_EPOCH or the documents' own dates, never the clock.
    """
    kg = _kg(ctx, store_after)

    def progress(i, total, name):
        click.echo(f"[{i}/{total}] {name}", err=True)

    result = kg.build(graph_dir, check=check, progress=progress)
    if check:
        click.echo("graph/build is current", err=True)
        return
    for f in result["files"]:
        click.echo(f"wrote {f}")
    click.echo(f"built {result['documents']} document(s), {result['claims']} claim(s) into {kg.settings.store}",
               err=True)


@main.command()
@click.argument("source", required=False)
@_format_option()
@_store_option
@click.pass_context
@_handle_errors
def log(ctx, source, fmt, store_after):
    """The versions of every source (or of SOURCE: its url, key or a file name), oldest first: dates, record
    time and claim counts."""
    kg = _kg(ctx, store_after, read_only=True)
    _emit_rows(kg.log(source), fmt, ["source_key", "version", "file", "source_date", "record_time", "claims"])


@main.command()
@click.argument("versions", nargs=-1, required=True)
@click.option("--format", "-f", "fmt", default="table", show_default=True,
              help="table, csv, tsv, json, jsonl; or patch (TriG with a 'removed' and an 'added' graph).")
@_store_option
@click.pass_context
@_handle_errors
def diff(ctx, versions, fmt, store_after):
    """What changed between two versions: claims added, retracted and changed (old value -> new value, with both
    quotes). Give a source (its two latest versions) or two document versions (IRIs or file names)."""
    if len(versions) > 2:
        raise UsageError("give a source, or two document versions")
    kg = _kg(ctx, store_after, read_only=True)
    rows = kg.diff(*versions)
    if fmt == "patch":
        sys.stdout.buffer.write(kg.diff_patch(rows))
        return
    if _tabular(fmt) != "table":
        _emit_rows(rows, fmt)
        return
    if not rows:
        click.echo("No claim changed.")
        return
    for r in rows:
        r = {**r, "old_value": r["old_value_label"] or r["old_value"], "new_value": r["new_value_label"] or r["new_value"]}
        if r["change"] == "changed":
            click.echo(f"~ {r['group_label']}: {r['old_value']} -> {r['new_value']}")
            click.echo(f"    was: \"{_clip(r['old_quote'], 100)}\"")
            click.echo(f"    now: \"{_clip(r['new_quote'], 100)}\"")
        elif r["change"] == "retracted":
            click.echo(f"- {r['group_label']}: {r['old_value']}   \"{_clip(r['old_quote'], 80)}\"")
        else:
            click.echo(f"+ {r['group_label']}: {r['new_value']}   \"{_clip(r['new_quote'], 80)}\"")
    counts = {k: sum(1 for r in rows if r["change"] == k) for k in ("changed", "retracted", "added")}
    click.echo(f"{counts['changed']} changed, {counts['retracted']} retracted, {counts['added']} added", err=True)


@main.command()
@click.option("--older-than", default="2y", show_default=True, help="Age after which a 'current' figure is stale.")
@click.option("--now", help="The date to measure age from (default: today).")
@_format_option()
@_store_option
@click.pass_context
@_handle_errors
def stale(ctx, older_than, now, fmt, store_after):
    """Claims an editor should fix first: figures the latest version of a source still presents as current
    whose time is old, and figures a newer claim from another source has updated."""
    kg = _kg(ctx, store_after, read_only=True)
    rows = kg.stale(older_than=older_than, now=now)
    _emit_rows(rows, fmt, ["source", "group_label", "value", "time", "reason", "quote"])


@main.command()
@click.argument("claim")
@click.argument("rank", type=click.Choice(["preferred", "normal", "deprecated"]))
@click.option("--reason", required=True, help="Why (kept with the override).")
@click.option("--by", help="Who sets it (default: the USER environment variable).")
@_store_option
@click.pass_context
@_handle_errors
def rank(ctx, claim, rank, reason, by, store_after):
    """Override CLAIM's rank in its group: preferred, normal or deprecated. The override is kept as a dated,
    attributed record, and the group's preferred value and statuses follow it at once."""
    kg = _kg(ctx, store_after)
    r = kg.set_rank(claim, rank, reason=reason, by=by)
    click.echo(f"{r['rank']}: {r['claim']} (by {r['by']} at {r['at']}: {r['reason']})")


@main.command()
@click.argument("claim")
@_format_option()
@_store_option
@click.pass_context
@_handle_errors
def blame(ctx, claim, fmt, store_after):
    """Every source version that made CLAIM (a claim IRI), first to last."""
    kg = _kg(ctx, store_after, read_only=True)
    _emit_rows(kg.blame(claim), fmt, ["version", "source", "source_date", "record_time", "quote"])


@main.command()
@click.option("--host", default="127.0.0.1", show_default=True, help="Address to listen on (loopback by default).")
@click.option("--port", default=8000, show_default=True, type=int, help="Port to listen on.")
@click.option("--timeout", default=10.0, show_default=True, type=click.FloatRange(0.1, 3600),
              help="Query time limit in seconds: the query's worker is killed then and the request gets 503.")
@click.option("--row-cap", default=10000, show_default=True, type=click.IntRange(1, 10_000_000),
              help="Most rows or triples a query returns.")
@click.option("--workers", default=2, show_default=True, type=click.IntRange(0, 64),
              help="Query worker processes kept started (with the store open).")
@click.option("--max-workers", default=8, show_default=True, type=click.IntRange(1, 256),
              help="Queries and pages that may run at once.")
@click.option("--queue", default=32, show_default=True, type=click.IntRange(0, 10_000),
              help="Requests that may wait (up to --timeout) for a busy worker; one more gets 503 with Retry-After.")
@click.option("--max-client-connections", default=16, show_default=True, type=click.IntRange(1, 10_000),
              help="Open connections one client address may hold; one more gets 429.")
@click.option("--header-timeout", default=10.0, show_default=True, type=click.FloatRange(0.1, 3600),
              help="Seconds a client has to send a request's head; then the connection is closed.")
@_store_option
@click.pass_context
@_handle_errors
def serve(ctx, host, port, timeout, row_cap, workers, max_workers, queue, max_client_connections, header_timeout,
          store_after):
    """Serve the store read-only over HTTP: the disputes page at /, pages for sources (/source), analyses
    (/analyses), a query editor (/query) and every data IRI (/id/...), a SPARQL 1.1 Protocol endpoint at /sparql
    and the named queries at /queries/NAME.

    Queries and pages run in worker processes that cannot open network connections and are killed at the time
    limit; each opens the store read-only, so 'lithkg ingest' can keep writing meanwhile."""
    import uvicorn

    from .web.server import create_app, protocol

    settings = load_settings(store=store_after or ctx.obj.get("store"), base=ctx.obj.get("base"),
                             **ctx.obj.get("endpoints", {}))
    if settings.endpoint:
        raise UsageError("'lithkg serve' serves the embedded store", hint="query the SPARQL server itself; it is "
                                                                          "already an endpoint")
    if not Path(settings.store).exists():
        raise UsageError("no store here", path=str(settings.store), hint="run 'lithkg build' or 'lithkg ingest' first")
    app = create_app(settings=settings, timeout=timeout, row_cap=row_cap, workers=workers,
                     max_workers=max(max_workers, workers), queue=queue)
    pool = app.state.pool
    click.echo(f"serving {settings.store} at http://{host}:{port}/ (pages) and http://{host}:{port}/sparql",
               err=True)
    click.echo("query workers: " + ("no network (a network namespace of their own)" if pool.start().isolated else
                                    f"NOT isolated from the network ({pool.problem}); only the query check keeps "
                                    "queries off it"), err=True)
    uvicorn.run(app, host=host, port=port, log_level="warning", timeout_keep_alive=5,
                http=protocol(header_timeout=header_timeout, max_client_connections=max_client_connections),
                limit_concurrency=max(64, 4 * max_client_connections))


@main.command()
@_format_option()
@_store_option
@click.pass_context
@_handle_errors
def stats(ctx, fmt, store_after):
    """Counts of sources, versions, claims, groups and disputes in the store."""
    kg = _kg(ctx, store_after, read_only=True)
    s = kg.stats()
    if _tabular(fmt) == "json":
        click.echo(json.dumps(s, indent=2))
        return
    flat = {k: v for k, v in s.items() if not isinstance(v, dict)}
    for name, n in s["claims_by_extractor"].items():
        flat[f"claims by {name}"] = n
    _emit_rows([{"what": k, "count": v} for k, v in flat.items()], fmt, ["what", "count"])


if __name__ == "__main__":  # pragma: no cover
    main()
