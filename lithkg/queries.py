"""Named SPARQL queries (``queries/*.rq``) and running any query safely.

A named query starts with a header of comment lines::

    # title: Conflicts
    # description: Claim groups whose sources give different values ...
    # param: subject iri optional  Only claims about this entity

Parameters are bound with SPARQL variable substitution (``?subject`` is replaced by the term), never by
pasting text into the query. Queries that would reach the network (``SERVICE``, ``LOAD``, a remote ``FROM``)
or change the store (updates) are refused before they run.
"""
from __future__ import annotations

import dataclasses
import re
from pathlib import Path

import pyoxigraph as ox

from .config import data_dir
from .errors import QueryError, UsageError
from .rdfmap import PREFIXES, XSD

PARAM_TYPES = ("iri", "string", "integer", "decimal", "date")
_HEADER_RE = re.compile(r"^#\s*(title|description|param):\s*(.*)$")
_UPDATE_WORDS = ("INSERT", "DELETE", "LOAD", "CLEAR", "DROP", "CREATE", "ADD", "MOVE", "COPY", "WITH")


@dataclasses.dataclass(frozen=True)
class Param:
    name: str
    type: str
    optional: bool
    description: str


@dataclasses.dataclass(frozen=True)
class NamedQuery:
    name: str
    path: Path
    title: str
    description: str
    params: tuple[Param, ...]
    text: str


def parse_named_query(path: Path) -> NamedQuery:
    text = path.read_text(encoding="utf-8")
    title, description, params = path.stem, "", []
    for line in text.splitlines():
        m = _HEADER_RE.match(line.strip())
        if not m:
            if line.strip() and not line.strip().startswith("#"):
                break
            continue
        key, value = m.groups()
        if key == "title":
            title = value.strip()
        elif key == "description":
            description = value.strip()
        else:
            pm = re.match(r"^(\w+)\s+(\w+)(\s+optional)?\s*(.*)$", value.strip())
            if not pm or pm.group(2) not in PARAM_TYPES:
                raise UsageError(f"bad '# param:' header '{value.strip()}'", path=str(path),
                                 hint=f"write '# param: NAME TYPE [optional] description', TYPE one of {PARAM_TYPES}")
            params.append(Param(pm.group(1), pm.group(2), bool(pm.group(3)), pm.group(4).strip()))
    return NamedQuery(path.stem, path, title, description, tuple(params), text)


def named_queries(folder: Path | None = None) -> dict[str, NamedQuery]:
    folder = folder or data_dir("queries")
    return {p.stem: parse_named_query(p) for p in sorted(folder.glob("*.rq"))}


def _strip_literals(query: str, *, iris: bool = True) -> str:
    """The query with comments and strings (and IRIs, unless ``iris=False``) blanked out, to look for keywords."""
    out = re.sub(r'"""(?:.|\n)*?"""|\'\'\'(?:.|\n)*?\'\'\'|"(?:\\.|[^"\\\n])*"|\'(?:\\.|[^\'\\\n])*\'', '""', query)
    if iris:
        out = re.sub(r"<[^<>\s]*>", "<>", out)
    return re.sub(r"(?m)#[^\n<>]*$" if not iris else r"#[^\n]*", "", out)


def check_safe(query: str) -> None:
    """Refuse updates, SERVICE, and FROM / FROM NAMED of anything but a graph of this store."""
    bare = _strip_literals(query)
    words = {w.upper() for w in re.findall(r"[A-Za-z]+", bare)}
    if "SERVICE" in words:
        raise QueryError("SERVICE is refused: lithkg does not send queries to other servers",
                         hint="query the other endpoint yourself")
    head = re.sub(r"^\s*((PREFIX|BASE)\s+[^\n]*\n\s*)*", "", bare, flags=re.I)
    first = re.match(r"\s*(\w+)", head)
    if first and first.group(1).upper() in _UPDATE_WORDS:
        raise QueryError(f"{first.group(1).upper()} is refused: queries here only read the store",
                         hint="change the store with 'lithkg ingest'")
    for m in re.finditer(r"\bFROM\s+(?:NAMED\s+)?<([^>]*)>", _strip_literals(query, iris=False), re.I):
        iri = m.group(1)
        if re.match(r"^(https?|ftp|file):", iri, re.I) and not iri.startswith("https://w3id.org/lithkg/"):
            raise QueryError(f"FROM <{iri}> is refused: lithkg never fetches remote graphs",
                             hint="FROM may only name graphs of this store")


def parse_param(value: str, type_: str, resolve_iri=None, *, prefixes: dict[str, str] = PREFIXES
                ) -> ox.NamedNode | ox.Literal:
    """A parameter's text as an RDF term of its declared type (``resolve_iri`` maps names to IRIs, ``prefixes``
    expands ``prefix:local``)."""
    if type_ == "iri":
        text = value.strip()
        if text.startswith("<") and text.endswith(">"):
            text = text[1:-1]
        prefix, _, local = text.partition(":")
        if prefix in prefixes and not local.startswith("//"):
            text = prefixes[prefix] + local
        elif resolve_iri is not None and not re.match(r"^[a-z][a-z0-9+.-]*:", text, re.I):
            text = resolve_iri(text)
        if not re.match(r"^[a-z][a-z0-9+.-]*:[^\s<>\"{}|\\^`]*$", text, re.I):
            raise UsageError(f"'{value}' is not an IRI")
        return ox.NamedNode(text)
    if type_ == "integer":
        if not re.match(r"^[+-]?\d+$", value.strip()):
            raise UsageError(f"'{value}' is not an integer")
        return ox.Literal(value.strip(), datatype=ox.NamedNode(XSD + "integer"))
    if type_ == "decimal":
        if not re.match(r"^[+-]?(\d+\.?\d*|\.\d+)$", value.strip()):
            raise UsageError(f"'{value}' is not a number")
        return ox.Literal(value.strip(), datatype=ox.NamedNode(XSD + "decimal"))
    if type_ == "date":
        from .model import date_datatype, parse_iso_date
        try:
            text = parse_iso_date(value)
        except ValueError as exc:
            raise UsageError(str(exc)) from None
        return ox.Literal(text, datatype=ox.NamedNode(XSD + date_datatype(text)))
    return ox.Literal(value)


def bind(params: dict[str, str], declared: tuple[Param, ...] | None, resolve=None, *,
         prefixes: dict[str, str] = PREFIXES) -> dict:
    """Substitutions for a query: declared parameters by their type; undeclared ones as IRIs when they look like
    one (``<...>``, ``http(s)://...`` or a known prefix such as ``lke:lithuania``), else as plain strings."""
    declared_by_name = {p.name: p for p in declared or ()}
    if declared is not None:
        missing = [p.name for p in declared if not p.optional and p.name not in params]
        if missing:
            raise UsageError(f"the query needs --param {missing[0]}=VALUE")
    subs = {}
    for name, value in params.items():
        if not re.match(r"^[A-Za-z_]\w*$", name):
            raise UsageError(f"'{name}' is not a variable name")
        p = declared_by_name.get(name)
        if declared is not None and p is None:
            known = ", ".join(declared_by_name) or "none"
            raise UsageError(f"the query has no parameter '{name}'", hint=f"its parameters: {known}")
        if p is not None:
            term = parse_param(value, p.type, (lambda v, n=name: resolve(n, v)) if resolve else None,
                               prefixes=prefixes)
        elif re.match(r"^<.*>$", value) or re.match(r"^https?://", value) or \
                value.partition(":")[0] in prefixes and value.partition(":")[1] and " " not in value:
            term = parse_param(value, "iri", prefixes=prefixes)
        else:
            term = ox.Literal(value)
        subs[ox.Variable(name)] = term
    return subs


def serialize_solutions(variables: list[str], rows: list[dict], target) -> bytes:
    """SELECT rows (variable name -> term) in a SPARQL results format, through Oxigraph's writers."""
    import json

    bindings = []
    for row in rows:
        b = {}
        for name, term in row.items():
            if term is None:
                continue
            if isinstance(term, ox.NamedNode):
                b[name] = {"type": "uri", "value": term.value}
            elif isinstance(term, ox.BlankNode):
                b[name] = {"type": "bnode", "value": term.value}
            else:
                d = {"type": "literal", "value": term.value}
                if term.language:
                    d["xml:lang"] = term.language
                elif term.datatype and term.datatype.value != XSD + "string":
                    d["datatype"] = term.datatype.value
                b[name] = d
        bindings.append(b)
    data = json.dumps({"head": {"vars": list(variables)}, "results": {"bindings": bindings}},
                      ensure_ascii=False).encode("utf-8")
    if target == ox.QueryResultsFormat.JSON:
        return data + b"\n"
    return ox.parse_query_results(data, format=ox.QueryResultsFormat.JSON).serialize(format=target)


def inline_values(text: str, subs: dict) -> str | None:
    """The query with its bound parameters as a ``VALUES`` block opening its first ``WHERE {`` (Oxigraph plans
    joins around it, where a pre-bound substitution is applied after planning: several times faster on the
    named queries), or None when the text has no ``WHERE {`` to put it in."""
    if not subs:
        return text
    m = re.search(r"\bWHERE\s*\{", text, re.I)
    if m is None:
        return None
    names = sorted(subs, key=lambda v: v.value)
    # on the same line, so that the line numbers of a syntax error stay the file's own
    block = f" VALUES ({' '.join('?' + n.value for n in names)}) {{ ({' '.join(str(subs[n]) for n in names)}) }} "
    return text[:m.end()] + block + text[m.end():]


def serialize_boolean(value: bool, target) -> bytes:
    """An ASK result in a SPARQL results format."""
    import json

    data = json.dumps({"head": {}, "boolean": value}).encode()
    return ox.parse_query_results(data, format=ox.QueryResultsFormat.JSON).serialize(format=target)


__all__ = ["NamedQuery", "Param", "named_queries", "check_safe", "bind", "serialize_solutions", "serialize_boolean"]
