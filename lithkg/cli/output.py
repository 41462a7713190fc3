"""Commands that write results: query (SPARQL), export (RDF), graph (networks), plot (pictures)."""
import json
import sys
from pathlib import Path

import click

from ..rdf import formats
from ..errors import LithkgError, UsageError
from ..read.sparql import named_queries
from .common import (TABULAR, store_option, handle_errors, open_kg, emit_rows, for_table, rows_text, parse_params,
                     write_output, stream_output, output_format)

@click.command()
@click.argument("name_or_file", required=False)
@click.option("-e", "--expression", help="A SPARQL query given on the command line.")
@click.option("--param", "-p", "params", multiple=True, help="Bind a query variable, as NAME=VALUE (repeatable).")
@click.option("--list", "list_", is_flag=True, help="List the named queries and their parameters.")
@click.option("--format", "-f", "fmt", default=None,
              help="table, csv, tsv, json, xml, jsonl for SELECT/ASK; turtle, ntriples, json-ld, rdf-xml, nquads, trig "
                   "for CONSTRUCT (default: from -o's extension, else table, or turtle for CONSTRUCT).")
@click.option("--output", "-o", default="-", show_default=True,
              help="File to write the result to (whole or not at all), or '-' for stdout. Its extension names the "
                   "format: .csv, .tsv, .json, .xml, .srj, .srx, .jsonl, .txt (a table) for SELECT/ASK; .ttl, .nt, "
                   ".jsonld, .rdf, .nq, .trig for CONSTRUCT; .gz after one of them writes gzip.")
@store_option
@click.pass_context
@handle_errors
def query(ctx, name_or_file, expression, params, list_, fmt, output, store_after):
    """Run a named query (see --list), a .rq file ('-' for stdin) or -e 'SELECT ...'.

    Standard prefixes (lkg:, lkgp:, lp:, lps:, lpq:, ldt:, lke:, lkd:, prov:, oa:, rdfs: ...) are
    predeclared. Parameters are bound as RDF terms, never pasted into the query text.
    """
    if list_:
        rows = [{"name": q.name, "title": q.title,
                 "params": ", ".join(f"{p.name}:{p.type}{'?' if p.optional else ''}" for p in q.params),
                 "description": q.description} for q in named_queries().values()]
        emit_rows(rows, fmt if fmt in TABULAR else "table", ["name", "title", "params", "description"])
        return
    if bool(name_or_file) == bool(expression):
        raise UsageError("give a query name, a .rq file or -e 'QUERY' (one of them)", hint="see 'lithkg query --list'")
    if output != "-" and fmt is None:
        formats.for_output(output, *QUERY_KINDS)  # a name that names no format is refused before the query runs
    kg = open_kg(ctx, store_after, read_only=True)  # a query never writes: the store's files stay as they are

    bound = parse_params(params)
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
    out_fmt, compress = result_output(result, fmt, output)
    if out_fmt.name in ("table", "jsonl"):
        if result.kind == "ask":
            data = ("yes\n" if result.boolean else "no\n") if out_fmt.name == "table" else \
                json.dumps({"boolean": bool(result.boolean)}) + "\n"
        else:
            data = rows_text(for_table(result.rows) if out_fmt.name == "table" else result.rows, out_fmt.name,
                             result.variables)
        if output == "-":
            click.echo(data, nl=False)
            if result.kind == "select" and out_fmt.name == "table":
                click.echo(f"({len(result.rows)} row{'s' if len(result.rows) != 1 else ''})", err=True)
            return
        write_output(output, data.encode("utf-8"), out_fmt, "query result", compress)
        return
    write_output(output, kg.serialize_result(result, out_fmt), out_fmt, "query result", compress)


QUERY_KINDS = ("results", "tabular", "graph", "dataset")


def result_output(result, fmt: str | None, output: str) -> tuple[formats.Format, bool]:
    """The format a query result is written in, and whether to gzip it: --format (its short names for SELECT/ASK),
    else the -o file's extension, else a table (turtle for CONSTRUCT/DESCRIBE)."""
    rdf = result.kind == "graph"
    if fmt is not None:
        if rdf:
            out_fmt = formats.get("turtle" if fmt == "table" else fmt, "graph", "dataset")
        elif fmt.strip().lower() == "jsonl":
            out_fmt = formats.get("jsonl")
        else:
            out_fmt = formats.result_format(fmt)
        return out_fmt, output != "-" and output.lower().endswith(formats.GZIP)
    kinds = ("graph", "dataset") if rdf else ("results", "tabular")
    if output == "-":
        return formats.get("turtle" if rdf else "table"), False
    guessed, compress = formats.for_output(output, *QUERY_KINDS)
    if guessed is None:
        return formats.get("turtle" if rdf else "table"), compress
    if guessed.kind not in kinds or guessed.name not in ("table", "jsonl") and guessed.kind == "tabular":
        what = "a CONSTRUCT or DESCRIBE result is RDF" if rdf else "a SELECT or ASK result is a table"
        raise UsageError(f"{what}: it cannot be written as {guessed.name} ('{output}')",
                         hint="end the name in one of " + ", ".join(
                             formats.extensions("graph", "dataset") if rdf else
                             [*formats.extensions("results"), ".jsonl", ".txt"]) + "; or give --format")
    return guessed, compress


@click.command()
@click.option("--format", "-f", "fmt", default=None,
              help="turtle, json-ld, trig, nquads, ntriples, rdf-xml (default: from -o's extension, else turtle).")
@click.option("--output", "-o", default="-", show_default=True,
              help="File to write, or '-' for stdout. Its extension names the format (.ttl, .trig, .nq, .nt, .jsonld, "
                   ".rdf, .owl); .gz after one of them writes gzip (kg.nt.gz); any other extension is refused.")
@store_option
@click.pass_context
@handle_errors
def export(ctx, fmt, output, store_after):
    """Export the whole graph. Output is byte-identical for the same store.

    Turtle, N-Triples, JSON-LD and RDF/XML carry every claim with qualifiers and provenance in one graph;
    TriG and N-Quads keep the named graphs (one per document version, one per derived claim group).
    """
    f, compress = output_format(fmt, output, ("graph", "dataset"), "turtle")
    kg = open_kg(ctx, store_after, read_only=True)  # an export only reads: the store's files stay as they are
    stream_output(output, lambda fh: kg.export(f, out=fh), f, "export", compress)


@click.command("graph")
@click.argument("kind", type=click.Choice(["disputes", "sources", "entities", "lineage"]))
@click.option("--format", "-f", "fmt", default=None,
              help="graphml, gexf, dot or json (node-link); default: from the -o extension, else graphml.")
@click.option("--output", "-o", default=None,
              help="File to write the graph to, or '-' for stdout (the summary then goes to stderr). "
                   "Without -o only the summary is printed.")
@click.option("--by", type=click.Choice(["source", "version"]), default="source", show_default=True,
              help="For 'sources': one node per source, or per document version.")
@click.option("--top", type=int, default=5, show_default=True, help="How many top nodes the summary lists.")
@store_option
@click.pass_context
@handle_errors
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
    from ..read import analyses, networks
    kg = open_kg(ctx, store_after, read_only=True)
    g = kg.network(kind, by=by)
    text = "\n".join(analyses.summary(g, top=top))
    if output is None:
        if fmt is not None:
            raise UsageError("--format needs --output", hint="add -o FILE, or -o - for stdout")
        click.echo(text)
        return
    f, compress = output_format(fmt, output, "network", "graphml")
    write_output(output, networks.to_bytes(g, f), f, "graph", compress)
    click.echo(text, err=output == "-")


@click.command()
@click.argument("group", required=False)
@click.option("--disputes", "disputes_", is_flag=True, help="Draw the dispute graph instead of one group.")
@click.option("--output", "-o", required=True, help="Picture to write (.png or .svg), or '-' for stdout.")
@click.option("--format", "-f", "fmt", type=click.Choice(["png", "svg"]), default=None,
              help="png or svg; default: from the -o extension, else png.")
@store_option
@click.pass_context
@handle_errors
def plot(ctx, group, disputes_, output, fmt, store_after):
    """Draw a claim group's values over valid time (one mark per source, the preferred value as a star), or
    with --disputes the dispute graph. GROUP is words of a group label ('cyber security index'), the group's id
    (as 'lithkg conflicts' shows it, or a unique prefix of at least 6 characters) or IRI, or the id or IRI of one
    of its claims. Needs the plotting extra: pip install 'lithkg[plot]'."""
    import io as _io

    from ..read import plot as plotting
    plotting.require()
    if bool(group) == disputes_:
        raise UsageError("give a GROUP or --disputes (one of them)", hint="see 'lithkg conflicts' for groups")
    f, compress = output_format(fmt, output, "picture", "png")
    kg = open_kg(ctx, store_after, read_only=True)
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
    write_output(output, buf.getvalue(), f, "picture", compress)
    click.echo("\n".join(lines), err=output == "-")
