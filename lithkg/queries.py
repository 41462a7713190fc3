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


_ESC = r"\\[_~.\-!$&'()*+,;=/?#@%]"
_PN_PLAIN = r"(?:[\w:\-\u00B7]|%[0-9A-Fa-f]{2}|" + _ESC + ")"
_TOKEN_RE = re.compile(r"""
    (?P<ws>\s+)
  | (?P<comment>\#[^\n\r]*)
  | (?P<string>'''(?:(?:'|'')?(?:[^'\\]|\\.))*'''|\"\"\"(?:(?:"|"")?(?:[^"\\]|\\.))*\"\"\"
              |'(?:[^'\\\n\r]|\\.)*'|"(?:[^"\\\n\r]|\\.)*")
  | (?P<iri><[^<>"{}|^`\\\x00-\x20]*>)
  | (?P<var>[?$]\w+)
  | (?P<number>\d+(?:\.\d*)?(?:[eE][+-]?\d+)?|\.\d+(?:[eE][+-]?\d+)?)
  | (?P<pname>(?:[^\W\d](?:[\w.\-\u00B7]*[\w\-\u00B7])?)?:(?:""" + _PN_PLAIN + r"(?:(?:" + _PN_PLAIN + r"|\.)*"
    + _PN_PLAIN + r""")?)?)
  | (?P<word>[^\W\d]\w*)
  | (?P<other>.)
""", re.X | re.S)
_LOCAL_GRAPHS = "https://w3id.org/lithkg/"


def _tokens(query: str) -> list[tuple[str, str]]:
    """The query as SPARQL tokens (kind, text), comments and white space left out: strings, IRIs, variables and
    prefixed names are single tokens (``ex:a\\'`` and ``ex:a\\#`` too), so a keyword is a keyword only where SPARQL
    reads one, and none can hide in what looks like a string or a comment."""
    return [(m.lastgroup, m.group()) for m in _TOKEN_RE.finditer(query) if m.lastgroup not in ("ws", "comment")]


def check_graph(iri: str, bases=()) -> None:
    """Refuse a dataset graph (``FROM``, ``FROM NAMED``, ``default-graph-uri``, ``named-graph-uri``) with a scheme
    that reaches the network unless it is under the store's base (one of ``bases``) or ``https://w3id.org/lithkg/``.
    No graph is ever fetched either way; this says so instead of answering from an empty graph."""
    network = re.match(r"^[a-z][a-z0-9+.-]*://", iri, re.I) or re.match(r"^(https?|ftp|file):", iri, re.I)
    if network and (not iri.startswith((_LOCAL_GRAPHS, *bases)) or re.search(r"/\.\.?(/|$)", iri)):
        raise QueryError(f"FROM <{iri}> is refused: lithkg never fetches remote graphs",
                         hint="FROM may only name graphs of this store")


def _prologue(tokens) -> tuple[dict, str | None, int]:
    """The prefixes (lithkg's and the query's own), the BASE, and the index of the first token after them."""
    prefixes, base, i = dict(PREFIXES), None, 0
    while i + 1 < len(tokens) and tokens[i][0] == "word" and tokens[i][1].upper() in ("PREFIX", "BASE"):
        if tokens[i][1].upper() == "BASE" and tokens[i + 1][0] == "iri":
            base, i = tokens[i + 1][1][1:-1], i + 2
        elif i + 2 < len(tokens) and tokens[i + 1][0] == "pname" and tokens[i + 2][0] == "iri":
            prefixes[tokens[i + 1][1].rstrip(":")], i = tokens[i + 2][1][1:-1], i + 3
        else:
            break
    return prefixes, base, i


def _dataset(tokens, prologue) -> list[tuple[bool, str]]:
    """The query's FROM (False) and FROM NAMED (True) graphs: prefixed names expanded, relative IRIs resolved."""
    prefixes, base, _ = prologue
    out = []
    for j, (kind, text) in enumerate(tokens):
        named = j + 1 < len(tokens) and tokens[j + 1][1].upper() == "NAMED"
        k = j + 2 if named else j + 1
        if kind != "word" or text.upper() != "FROM" or k >= len(tokens):
            continue
        kind, text = tokens[k]
        if kind == "iri":
            iri = text[1:-1]
            if base and not re.match(r"^[a-z][a-z0-9+.-]*:", iri, re.I):
                from urllib.parse import urljoin
                iri = urljoin(base, iri)
            out.append((named, iri))
        elif kind == "pname":
            prefix, _, local = text.partition(":")
            out.append((named, prefixes.get(prefix, "") + re.sub(r"\\(.)", r"\1", local)))
    return out


def check_safe(query: str, bases=(), graphs=()) -> bool:
    """Refuse updates, LOAD, SERVICE, and FROM / FROM NAMED (and the protocol's dataset ``graphs``) of anything
    but a graph of this store (under one of ``bases`` or ``https://w3id.org/lithkg/``). Oxigraph would send a
    SERVICE or LOAD request, so this check is what keeps queries off the network.

    Returns whether the query chooses its own dataset (FROM or FROM NAMED): such a query must run without the
    union default graph, since Oxigraph's ``use_default_graph_as_union`` would override its FROM."""
    check_nesting(query)
    tokens = _tokens(query)
    prologue = _prologue(tokens)
    words = [(i, text.upper()) for i, (kind, text) in enumerate(tokens) if kind == "word"]
    if any(w == "SERVICE" for _, w in words):
        raise QueryError("SERVICE is refused: lithkg does not send queries to other servers",
                         hint="query the other endpoint yourself")
    if any(w == "LOAD" for _, w in words):
        raise QueryError("LOAD is refused: lithkg never fetches remote data",
                         hint="download the data and ingest it with 'lithkg ingest'")
    first = next((w for j, w in words if j >= prologue[2]), None)
    if first in _UPDATE_WORDS:
        raise QueryError(f"{first} is refused: queries here only read the store",
                         hint="change the store with 'lithkg ingest'")
    dataset = _dataset(tokens, prologue)
    for iri in [*graphs, *(iri for _, iri in dataset)]:
        check_graph(iri, bases)
    return bool(dataset)


MAX_NESTING = 64  # brackets ({ ( [) a query may nest: Oxigraph's parser recurses (a few thousand crash the process,
#                   nested collections take time exponential in their depth)
def check_nesting(query: str, limit: int = MAX_NESTING) -> None:
    """Refuse a query that nests groups, parentheses or brackets more than ``limit`` deep (outside strings, IRIs
    and comments), before Oxigraph parses it; the error names the line and column of the bracket too deep."""
    depth = 0
    for m in _TOKEN_RE.finditer(query):  # the same tokens check_safe reads: a bracket in a string is no bracket
        c = m.group()
        if m.lastgroup != "other":
            continue
        if c in ("{", "(", "["):
            depth += 1
            if depth > limit:
                line = query.count("\n", 0, m.start()) + 1
                column = m.start() - query.rfind("\n", 0, m.start())
                raise QueryError(f"the query nests brackets more than {limit} deep", path="query", line=line,
                                 column=column, hint="write it with fewer nested groups")
        elif c in ("}", ")", "]"):
            depth = max(depth - 1, 0)


def run_with_time_limit(fn, seconds: float, *, path: str = "query"):
    """``fn()`` with a time limit (``seconds``; 0: none): a QueryError naming ``path`` when it has not returned by
    then. Oxigraph cannot cancel a query, so ``fn`` runs in a daemon thread that is abandoned at the limit: use this
    where the process ends soon after (``lithkg query``); the server keeps its own worker threads."""
    if not seconds:
        return fn()
    import threading

    box: dict = {}

    def target():
        try:
            box["result"] = fn()
        except BaseException as exc:  # handed to the caller's thread
            box["error"] = exc

    worker = threading.Thread(target=target, name="lithkg-query", daemon=True)
    worker.start()
    worker.join(seconds)
    if worker.is_alive():
        raise QueryError(f"the query ran longer than the time limit ({seconds:g} s)", path=path,
                         hint="narrow the query, or raise LITHKG_QUERY_TIMEOUT")
    if "error" in box:
        raise box["error"]
    return box["result"]


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
        try:
            if p is not None:
                term = parse_param(value, p.type, (lambda v, n=name: resolve(n, v)) if resolve else None,
                                   prefixes=prefixes)
            elif re.match(r"^<.*>$", value) or re.match(r"^https?://", value) or \
                    value.partition(":")[0] in prefixes and value.partition(":")[1] and " " not in value:
                term = parse_param(value, "iri", prefixes=prefixes)
            else:
                term = ox.Literal(value)
        except UsageError as exc:  # name the parameter whose value is refused
            raise UsageError(f"parameter '{name}': {exc.message}", hint=exc.hint) from None
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
    named queries), or None when the text has no ``WHERE {`` to put it in. A list of terms for the one
    variable bound gives a row each (one query for many sources, say)."""
    if not subs:
        return text
    m = re.search(r"\bWHERE\s*\{", text, re.I)
    if m is None:
        return None
    names = sorted(subs, key=lambda v: v.value)
    if len(names) == 1 and isinstance(subs[names[0]], list):
        rows = " ".join(str(t) for t in subs[names[0]])
        block = f" VALUES ?{names[0].value} {{ {rows} }} "
    else:  # on the same line, so that the line numbers of a syntax error stay the file's own
        block = f" VALUES ({' '.join('?' + n.value for n in names)}) {{ ({' '.join(str(subs[n]) for n in names)}) }} "
    return text[:m.end()] + block + text[m.end():]


def serialize_boolean(value: bool, target) -> bytes:
    """An ASK result in a SPARQL results format."""
    import json

    data = json.dumps({"head": {}, "boolean": value}).encode()
    return ox.parse_query_results(data, format=ox.QueryResultsFormat.JSON).serialize(format=target)


__all__ = ["NamedQuery", "Param", "named_queries", "check_safe", "check_graph", "bind",
           "serialize_solutions", "serialize_boolean"]
