"""The ``lithkg`` command: a thin click layer over :class:`lithkg.kg.KnowledgeGraph`.

Data goes to stdout, progress and errors to stderr. Exit codes come from :mod:`lithkg.errors`:
0 ok, 1 error, 2 usage, 3 a check found problems, 4 bad input, 5 query error, 6 store error, 7 endpoint error.
"""
from __future__ import annotations

from pathlib import Path

import click

from .. import __version__
from . import correcting, output, reading, serving, writing


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
@click.option("--ontology", type=click.Path(path_type=Path), multiple=True, metavar="FILE",
              help="Your own Turtle file of entities, aliases, frames and units, read on top of lithkg's ontology/ "
                   "(repeatable; env LITHKG_ONTOLOGY, paths separated by the OS path separator).")
@click.version_option(__version__, prog_name="lithkg")
@click.pass_context
def main(ctx: click.Context, store: Path | None, base: str | None, endpoint: str | None,
         update_endpoint: str | None, graph_store: str | None, ontology: tuple[Path, ...]):
    """lithkg: a claim-versioning knowledge graph.

    Reads documents into claims with provenance and time, keeps conflicting figures side by side,
    and answers what was claimed, by whom, when, and where sources disagree.
    """
    ctx.ensure_object(dict)
    ctx.obj["store"] = store
    ctx.obj["base"] = base
    ctx.obj["ontology"] = ontology or None  # (not given: the setting from pyproject.toml or the environment)
    ctx.obj["endpoints"] = {"endpoint": endpoint, "update_endpoint": update_endpoint, "graph_store": graph_store}


for _module in (writing, reading, correcting, output, serving):
    for _command in vars(_module).values():
        if isinstance(_command, click.Command):
            main.add_command(_command)
