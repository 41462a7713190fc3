"""What every command shares: the store and format options, error handling with the exit codes of
:mod:`lithkg.errors`, rows written as tables, CSV or JSON, and output written whole or not at all."""
from __future__ import annotations

import functools
import gzip
import io
import sys
from pathlib import Path

import click

from ..rdf import formats
from ..config import Settings, load_settings
from ..errors import LithkgError, UsageError
from ..kg import KnowledgeGraph
from ..read import tabular as tabular_text
from ..read.tabular import write_rows
from ..session import short_id


TABULAR = ["table", "csv", "tsv", "json", "jsonl"]
CLAIM_COLUMNS = ["id", "subject_label", "property_label", "value", "unit", "bound", "time", "qualifiers", "source",
                 "status", "quote"]


def for_table(rows: list[dict]) -> list[dict]:
    """Rows as a person reads them: entity values and units by label (JSON formats keep the IRIs)."""
    return [{**r, "value": r.get("value_label") or r.get("value"), "unit": r.get("unit_label") or r.get("unit")}
            for r in rows]


def store_option(f):
    """``--store`` is accepted before or after the command name; the later one wins."""
    return click.option("--store", "store_after", type=click.Path(path_type=Path), default=None,
                        help="Path of the embedded store (also LITHKG_STORE; default .lithkg/store).")(f)


def format_option(default="table", choices=None):
    return click.option("--format", "-f", "fmt", default=default, show_default=True,
                        help=f"Output format: {', '.join(choices or TABULAR)}.")


def handle_errors(f):
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


def settings_of(ctx: click.Context, store_after: Path | None) -> Settings:
    """The settings with the group's flags (``--store``, ``--base``, ``--ontology``, the endpoints) on top."""
    return load_settings(store=store_after or ctx.obj.get("store"), base=ctx.obj.get("base"),
                         ontology=ctx.obj.get("ontology"), **ctx.obj.get("endpoints", {}))


def open_kg(ctx: click.Context, store_after: Path | None, read_only: bool = False) -> KnowledgeGraph:
    settings = settings_of(ctx, store_after)
    kg = KnowledgeGraph(settings=settings, read_only=read_only)
    ctx.call_on_close(kg.close)
    return kg


def tabular(fmt: str) -> str:
    f = formats.get(fmt, "tabular")
    return f.name


def emit_rows(rows, fmt, columns=None, id_of=None):
    """Rows in a tabular format. With ``id_of`` (the key of a claim, group or document IRI), the table, CSV and TSV
    have an ``id`` column with its short id (what 'lithkg blame', 'rank', 'plot' and 'diff' take); JSON keeps the
    rows as they are, IRIs whole."""
    fmt = tabular(fmt)
    if fmt in ("table", "csv", "tsv"):
        rows = for_table(rows)
        if id_of:
            rows = [{"id": short_id(r.get(id_of)), **{k: v for k, v in r.items() if k != "id"}} for r in rows]
    click.echo(rows_text(rows, fmt, columns), nl=False)


def rows_text(rows, fmt, columns=None) -> str:
    """Rows in a tabular format, as text (JSON and JSON Lines keep every key of the rows)."""
    out = io.StringIO()
    write_rows(rows, fmt, out, columns=None if fmt in ("json", "jsonl") else columns)
    return out.getvalue()


def parse_params(params: tuple[str, ...]) -> dict[str, str]:
    out = {}
    for p in params:
        name, sep, value = p.partition("=")
        if not sep or not name:
            raise UsageError(f"--param '{p}' is not NAME=VALUE")
        out[name.strip()] = value
    return out


def clip(text: str, width: int) -> str:
    """``text`` on one line, at most ``width`` terminal columns (wide characters count two)."""
    return tabular_text.clip(str(text), width)


def value_text(row: dict) -> str:
    value = row.get("value_label") or row["value"]
    unit = row.get("unit_label") or ""
    bound = {"lower": "> ", "upper": "< ", "approx": "~ "}.get(row.get("bound") or "", "")
    return f"{bound}{value}{(' ' + unit) if unit else ''}"


def write_output(output: str, data: bytes, fmt: formats.Format, what: str, compress: bool = False) -> None:
    """``data`` to stdout (``-``) or to a file, whole or not at all (written beside it, then renamed)."""
    stream_output(output, lambda fh: fh.write(data), fmt, what, compress)


def stream_output(output: str, write, fmt: formats.Format, what: str, compress: bool = False) -> None:
    """What ``write(binary_file)`` writes, to stdout (``-``) as it comes, or to a file whole or not at all (written
    beside it, then renamed; removed if anything fails). With ``compress`` the file is gzip, written the same for
    the same data (no name or time in its header)."""
    if output == "-":
        write(sys.stdout.buffer)
        sys.stdout.flush()
        return
    path = Path(output)
    tmp = path.with_name(f".{path.name}.tmp")
    try:
        with open(tmp, "wb") as fh:
            if compress:
                with gzip.GzipFile(filename="", mode="wb", fileobj=fh, mtime=0) as gz:
                    write(gz)
            else:
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
    click.echo(f"wrote {path} ({fmt.name}{', gzip' if compress else ''}, {path.stat().st_size} bytes)", err=True)


def output_format(fmt: str | None, output: str | None, kinds: str | tuple[str, ...],
                  default: str) -> tuple[formats.Format, bool]:
    """The format to write and whether to gzip it: ``--format`` if given, else the one the ``-o`` file's extension
    names (an extension naming none is refused), else ``default``; gzip when the file's name ends in ``.gz``."""
    kinds = (kinds,) if isinstance(kinds, str) else kinds
    if output is None or output == "-":
        return formats.get(fmt or default, *kinds), False
    if fmt is not None:
        return formats.get(fmt, *kinds), output.lower().endswith(formats.GZIP)
    guessed, compress = formats.for_output(output, *kinds)
    return guessed or formats.get(default, *kinds), compress
