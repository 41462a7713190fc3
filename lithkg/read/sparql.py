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
import io
import re
import unicodedata
from pathlib import Path
from typing import NamedTuple

import pyoxigraph as ox

from . import sandbox
from ..config import data_dir
from ..errors import QueryError, UsageError
from ..model import Value
from ..rdf import exports, formats
from ..rdf.mapping import PREFIXES, XSD
from ..session import Session

PARAM_TYPES = ("iri", "string", "integer", "decimal", "date")
_HEADER_RE = re.compile(r"^#\s*(title|description|param):\s*(.*)$")


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
# SPARQL's tokens. An IRI here (<...>) is a superset of what Oxigraph reads as one: its IRIREF is anything but '>'
# up to the next '>' that its IRI parser accepts, which is never white space, a control character, '<', '"', '{',
# '}', '|', '^', '`' nor a '\' outside a \u or \U escape. Where <...> is no IRI, '<' is the operator "less than" (or
# starts '<<'): _readings reads both.
_TOKEN_RE = re.compile(r"""
    (?P<ws>\s+)
  | (?P<comment>\#[^\n\r]*)
  | (?P<string>'''(?:(?:'|'')?(?:[^'\\]|\\.))*'''|\"\"\"(?:(?:"|"")?(?:[^"\\]|\\.))*\"\"\"
              |'(?:[^'\\\n\r]|\\.)*'|"(?:[^"\\\n\r]|\\.)*")
  | (?P<iri><(?:[^<>"{}|^`\\\x00-\x20]|\\u[0-9A-Fa-f]{4}|\\U[0-9A-Fa-f]{8})*>)
  | (?P<var>[?$]\w+)
  | (?P<langtag>@[A-Za-z]+(?:-[A-Za-z0-9]+)*)
  | (?P<number>\d+(?:\.\d*)?(?:[eE][+-]?\d+)?|\.\d+(?:[eE][+-]?\d+)?)
  | (?P<pname>(?:[^\W\d](?:[\w.\-\u00B7]*[\w\-\u00B7])?)?:(?:""" + _PN_PLAIN + r"(?:(?:" + _PN_PLAIN + r"|\.)*"
    + _PN_PLAIN + r""")?)?)
  | (?P<word>[^\W\d]\w*)
  | (?P<other>.)
""", re.X | re.S)
_LOCAL_GRAPHS = "https://w3id.org/lithkg/"
_UPDATE_WORDS = ("INSERT", "DELETE", "LOAD", "CLEAR", "DROP", "CREATE", "ADD", "MOVE", "COPY", "WITH")
# Oxigraph matches a keyword by its letters alone, with no word boundary after it: SERVICESILENT, SERVICE:x,
# trueSERVICE, ASKFROM<g>, FROMNAMED<g>, PREFIXx:<...> each read as a keyword and what follows. So a word or prefixed
# name that starts with one of these is read both whole and as the keyword followed by the rest.
_KEYWORDS = ("SERVICE", "SILENT", "LOAD", "FROM", "NAMED", "PREFIX", "BASE", "ASK", "CONSTRUCT", "SELECT",
             "DESCRIBE", "DISTINCT", "REDUCED", "WHERE", "TRUE", "FALSE", "DATA", "INTO", "GRAPH", *_UPDATE_WORDS)
_MAX_GLUED = 4  # keywords read out of one word in a row (no more in valid SPARQL: trueSERVICESILENT, ASKFROMNAMED)
_NETWORK_WORDS = ("SERVICE", "LOAD")
_ABSOLUTE_RE = re.compile(r"^[A-Za-z][A-Za-z0-9+.-]*:")


class _Token(NamedTuple):
    kind: str  # ws comment string iri var langtag number pname word other
    text: str  # (a comment's is "#" alone)
    start: int
    end: int


def _unescape_codepoints(text: str) -> str:
    """``text`` with each ``\\uXXXX`` and ``\\UXXXXXXXX`` replaced by its character everywhere, as Oxigraph's SPARQL
    parser does before parsing when built to follow the specification there (``standard-unicode-escaping``), its
    quirks included (a backslash held back is read again; the digits may start with '+'). pyoxigraph 0.5 is not
    built so: it reads these escapes only inside strings and IRIs, and anywhere else they are a syntax error."""
    out, chars, held = [], iter(text), []
    while True:
        c = held.pop(0) if held else next(chars, None)
        if c is None:
            return "".join(out)
        if c != "\\":
            out.append(c)
            continue
        letter = next(chars, None)
        if letter not in ("u", "U"):
            held += [letter] if letter is not None else []
            out.append("\\")
            continue
        held.append(letter)
        size = 4 if letter == "u" else 8
        for _ in range(size):
            more = next(chars, None)
            if more is None:
                break
            held.append(more)
        digits = "".join(held[1:])
        value = int(digits, 16) if len(digits) == size and re.fullmatch(r"\+?[0-9A-Fa-f]+", digits) else -1
        if 0 <= value <= 0x10FFFF and not 0xD800 <= value <= 0xDFFF:
            held.clear()
            out.append(chr(value))
        else:
            out.append("\\")


def _readings(query: str) -> dict[int, list[_Token]]:
    """Every token SPARQL can read in ``query``, by start position, over all the ways of reading it at once
    (comments and white space included): ``<...>`` both as an IRI and as the operator '<' followed by code (which
    one it is depends on the grammar around it), and a word or prefixed name that starts with a keyword both whole
    and as that keyword followed by the rest. Inside '<...>' read as code (an expression, or a quoted triple) no
    keyword can open a graph pattern or a clause: those tokens are followed, for the strings and comments that may
    start there and run on, but not returned. Linear in the query: each position is read a bounded number of
    times."""
    import bisect

    line_breaks = [m.start() for m in re.finditer(r"[\n\r]", query)] + [len(query)]
    readings: dict[int, list[_Token]] = {}
    seen: set[tuple[int, int, int]] = set()
    todo = [(0, 0, 0)]  # (position, end of the '<...>' whose inside is read as code or 0, keywords glued before)
    while todo:
        pos, inside, glued = todo.pop()
        if pos >= inside:
            inside = 0
        if pos >= len(query) or (pos, inside, glued) in seen:
            continue
        seen.add((pos, inside, glued))
        if query[pos] == "#":  # a comment, to the end of its line: found without reading it
            end = line_breaks[bisect.bisect_left(line_breaks, pos)]
            token = _Token("comment", "#", pos, end)
        else:
            m = _TOKEN_RE.match(query, pos)
            token = _Token(m.lastgroup, m.group(), pos, m.end())
        todo.append((token.end, inside, 0))
        if token.kind == "iri" and re.search(r"['#]", token.text):  # read as code, its inside can open a string
            todo.append((pos + 1, max(inside, token.end), 0))           # or a comment; else it ends where the IRI does
        if inside:
            continue
        found = readings.setdefault(pos, [])
        if token not in found:
            found.append(token)
        if token.kind in ("word", "pname") and glued < _MAX_GLUED:
            for keyword in _KEYWORDS:
                if len(token.text) > len(keyword) and token.text[:len(keyword)].upper() == keyword:
                    found.append(_Token("word", token.text[:len(keyword)], pos, pos + len(keyword)))
                    todo.append((pos + len(keyword), 0, glued + 1))
    return readings


def _following(readings: dict[int, list[_Token]], pos: int) -> list[_Token]:
    """The tokens some reading has next from position ``pos`` on (comments and white space skipped)."""
    found, todo, seen = [], [pos], set()
    while todo:
        p = todo.pop()
        if p in seen:
            continue
        seen.add(p)
        for token in readings.get(p, ()):
            if token.kind in ("ws", "comment"):
                todo.append(token.end)
            else:
                found.append(token)
    return found


def _plain_reading(query: str):
    """The query read once from front to back, ``<...>`` an IRI wherever it can be one: each token (comments and
    white space left out) with its depth in brackets ``{ ( [`` (a bracket in a string is no bracket)."""
    depth = 0
    for m in _TOKEN_RE.finditer(query):
        kind, text = m.lastgroup, m.group()
        if kind in ("ws", "comment"):
            continue
        if kind == "other" and text in "})]":
            depth = max(depth - 1, 0)
        yield _Token(kind, text, m.start(), m.end()), depth
        if kind == "other" and text in "{([":
            depth += 1


def _is_keyword(token: _Token, keyword: str) -> bool:
    return token.kind == "word" and token.text.upper() == keyword


def _network_word(token: _Token) -> str | None:
    """SERVICE or LOAD when a word or prefixed name starts with it, in any letter case, or after Unicode
    compatibility folding (full-width letters, long s: not the keyword to Oxigraph, refused all the same)."""
    if token.kind not in ("word", "pname"):
        return None
    folded = unicodedata.normalize("NFKC", token.text).casefold()
    return next((w for w in _NETWORK_WORDS if token.text.upper().startswith(w) or folded.startswith(w.lower())),
                None)


def _unescape_iri(text: str) -> str:
    return re.sub(r"\\u([0-9A-Fa-f]{4})|\\U([0-9A-Fa-f]{8})", lambda m: chr(int(m.group(1) or m.group(2), 16)),
                  text)


def _resolve(iri: str, bases: set[str]) -> list[str]:
    """``iri`` resolved against each of ``bases`` (itself when it is absolute, or there is no base)."""
    from urllib.parse import urljoin

    if _ABSOLUTE_RE.match(iri) or not bases:
        return [iri]
    return [urljoin(base, iri) if _ABSOLUTE_RE.match(base) else iri for base in sorted(bases)]


@dataclasses.dataclass
class _Reading:
    network: str | None  # SERVICE or LOAD, when some reading has it
    update: str | None  # the update word some reading opens with
    graphs: list[str]  # the FROM and FROM NAMED graphs of every reading, resolved
    own_dataset: bool  # whether it has a FROM (the plain reading, or one naming a graph in any reading)


def _analyse(query: str, prefixes: dict[str, str]) -> _Reading:
    """What the query text does, over every reading :func:`_readings` finds."""
    readings = _readings(query)
    tokens = [t for found in readings.values() for t in found]
    network = next((w for w in map(_network_word, tokens) if w), None)
    plain = list(_plain_reading(query))
    depth_at = {t.start: depth for t, depth in plain}

    declared: dict[str, set[str]] = {}  # PREFIX and BASE wherever a reading has them
    bases: set[str] = set()
    prologue_ends = []
    for t in tokens:
        if _is_keyword(t, "BASE"):
            for iri in _following(readings, t.end):
                if iri.kind == "iri":
                    bases.add(_unescape_iri(iri.text[1:-1]))
                    prologue_ends.append(iri.end)
        elif _is_keyword(t, "PREFIX"):
            for ns in _following(readings, t.end):
                if ns.kind == "pname" and ns.text.index(":") == len(ns.text) - 1:
                    for iri in _following(readings, ns.end):
                        if iri.kind == "iri":
                            declared.setdefault(ns.text[:-1], set()).add(_unescape_iri(iri.text[1:-1]))
                            prologue_ends.append(iri.end)
    bases |= {resolved for base in bases for resolved in _resolve(base, bases)}
    declared = {name: {r for iri in iris for r in _resolve(iri, bases)} for name, iris in declared.items()}

    update = None  # the operation: what follows the prologue
    for t in _following(readings, 0) + [t for end in prologue_ends for t in _following(readings, end)]:
        if t.kind in ("word", "pname") and not (_is_keyword(t, "PREFIX") or _is_keyword(t, "BASE")):
            update = update or next((w for w in _UPDATE_WORDS if t.text.upper().startswith(w)), None)

    graphs: list[str] = []  # FROM [NAMED] and an IRI or a prefixed name; a FROM read out of a longer word counts
    for t in tokens:       # where a dataset clause can be (outside every group), or off the plain reading
        glued = readings[t.start][0].end != t.end
        if not _is_keyword(t, "FROM") or glued and depth_at.get(t.start, 0) > 0:
            continue
        targets = _following(readings, t.end)
        targets += [n for named in targets if _is_keyword(named, "NAMED") for n in _following(readings, named.end)]
        for target in targets:
            if target.kind == "iri":
                graphs += _resolve(_unescape_iri(target.text[1:-1]), bases)
            elif target.kind == "pname":  # a prefix neither declared nor predeclared names no graph: Oxigraph
                prefix, _, local = target.text.partition(":")  # refuses it
                namespaces = declared.get(prefix, set()) | ({prefixes[prefix]} if prefix in prefixes else set())
                graphs += [ns + local.replace("\\", "") for ns in sorted(namespaces)]
    own_dataset = bool(graphs) or any(_is_keyword(t, "FROM") for t, _ in plain)
    return _Reading(network, update, graphs, own_dataset)


def check_graph(iri: str, bases=()) -> None:
    """Refuse a dataset graph (``FROM``, ``FROM NAMED``, ``default-graph-uri``, ``named-graph-uri``) that is not
    one this store can hold: an absolute IRI under the store's base (one of ``bases``) or under
    ``https://w3id.org/lithkg/``, with no ``.`` or ``..`` segment and nothing an IRI cannot hold. So a relative IRI,
    a ``file:`` IRI, another host, or another path on the store's own host are refused. No graph is ever fetched
    either way; this says so instead of answering from an empty graph."""
    hint = "FROM may only name graphs of this store"
    if not _ABSOLUTE_RE.match(iri):
        raise QueryError(f"FROM <{iri}> is refused: a graph is named by an absolute IRI", hint=hint)
    dots = re.search(r"/(?:\.|%2e){1,2}(?:[/?#]|$)", iri, re.I)
    if iri.startswith((_LOCAL_GRAPHS, *bases)) and not dots and not re.search(r"[\s<>\"{}|\\^`]", iri):
        return
    if re.match(r"^[A-Za-z][A-Za-z0-9+.-]*://", iri) or re.match(r"^(https?|ftps?|file):", iri, re.I):
        raise QueryError(f"FROM <{iri}> is refused: lithkg never fetches remote graphs", hint=hint)
    raise QueryError(f"FROM <{iri}> is refused: it is not a graph of this store", hint=hint)


def check_safe(query: str, bases=(), graphs=(), prefixes: dict[str, str] = PREFIXES) -> bool:
    """Refuse, before anything runs, a query that could reach the network or change the store, in any spelling
    Oxigraph accepts; else return whether it chooses its own dataset (FROM or FROM NAMED): such a query must run
    without the union default graph, since Oxigraph's ``use_default_graph_as_union`` would override its FROM.

    Refused with a QueryError (exit 5), wherever they sit (subqueries, FILTER EXISTS, OPTIONAL, MINUS, SELECT
    expressions...):

    * ``SERVICE`` and ``LOAD``: a word or prefixed name that starts with either, in any letter case (Unicode
      look-alikes too), outside strings, IRIs, comments and variable names, in every way the text can be read:
      ``<...>`` both as an IRI and as '<' followed by code, a keyword glued to what follows (``SERVICE:x``,
      ``SERVICESILENT``, ``trueSERVICE``), and the text once more with its ``\\u`` escapes decoded;
    * an update in place of a query (it opens with ``INSERT``, ``DELETE``, ``LOAD``, ``CLEAR``, ``DROP``,
      ``CREATE``, ``ADD``, ``MOVE``, ``COPY`` or ``WITH``);
    * ``FROM`` / ``FROM NAMED`` (an IRI, relative ones resolved against BASE, or a prefixed name under the query's
      or ``prefixes``' namespaces) and the protocol's dataset ``graphs`` naming anything but a graph of this store
      (see :func:`check_graph`).

    It errs on the refusing side: a prefix such as ``service:`` or ``loader:`` is refused too, while ``?service``,
    ``ex:service``, ``"SERVICE"``, ``<http://x.example/load>`` and ``# SERVICE`` are not."""
    check_nesting(query)
    texts = [query] + ([_unescape_codepoints(query)] if re.search(r"\\[uU]", query) else [])
    results = [_analyse(text, prefixes) for text in texts]
    if any(r.network == "SERVICE" for r in results):
        raise QueryError("SERVICE is refused: lithkg does not send queries to other servers",
                         hint="query the other endpoint yourself")
    if any(r.network == "LOAD" for r in results):
        raise QueryError("LOAD is refused: lithkg never fetches remote data",
                         hint="download the data and ingest it with 'lithkg ingest'")
    update = next((r.update for r in results if r.update), None)
    if update:
        raise QueryError(f"{update} is refused: queries here only read the store",
                         hint="change the store with 'lithkg ingest'")
    for iri in [*graphs, *(iri for r in results for iri in r.graphs)]:
        check_graph(iri, bases)
    return results[0].own_dataset


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
        from ..model import date_datatype, parse_iso_date
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


# ---------------------------------------------------------------------------------------------- running on a session
@dataclasses.dataclass
class QueryResult:
    """The result of a query: rows (SELECT), a boolean (ASK) or triples (CONSTRUCT/DESCRIBE)."""

    kind: str
    variables: list[str] = dataclasses.field(default_factory=list)
    rows: list[dict] = dataclasses.field(default_factory=list)
    terms: list[dict] = dataclasses.field(default_factory=list)
    boolean: bool | None = None
    triples: list = dataclasses.field(default_factory=list)
    raw: object = None


def json_value(lexical: str):
    """A lexical form as JSON: a number where it is one lithkg reads, else the text."""
    try:
        return Value.number(lexical).json()
    except ValueError:
        return lexical


def term_json(term):
    """A store term as JSON: numbers as numbers, booleans as booleans, everything else as its text."""
    if term is None:
        return None
    if isinstance(term, ox.Literal):
        dt = term.datatype.value if term.datatype else ""
        if dt.endswith(("#integer", "#nonNegativeInteger", "#int", "#long", "#decimal", "#double", "#float")):
            return json_value(term.value)  # a number out of lithkg's range stays its text
        if dt.endswith("#boolean"):
            return term.value == "true"
        return term.value
    return term.value


def execute(session: Session, text: str, *, params: dict[str, str] | None = None, declared=None,
            default_graphs=(), named_graphs=(), inline: bool = True):
    """Check a query (:func:`check_safe`), bind its parameters (:func:`bind`; ``declared``: a named query's) and run
    it on the session's store (standard prefixes predeclared): the store's own result. ``default_graphs`` and
    ``named_graphs`` (the protocol's ``default-graph-uri`` and ``named-graph-uri``) are checked as FROM and FROM
    NAMED are. With ``inline``, a named query's parameters become a VALUES block, planned with the rest of it."""
    prefixes = session.ids.prefixes
    own_dataset = check_safe(text, bases=(session.base,), graphs=[*default_graphs, *named_graphs], prefixes=prefixes)
    subs = bind(params or {}, declared, session.resolve_param, prefixes=prefixes)
    inlined = inline_values(text, subs) if inline and declared is not None and subs else None
    if inlined is not None:  # a named query: its parameters are planned with the rest of the query
        return session.store.query(inlined, prefixes=prefixes)
    dataset = {}  # the protocol's dataset, for the embedded store (a remote one is given none)
    if default_graphs or named_graphs:
        dataset = {"default_graph": [ox.NamedNode(g) for g in default_graphs] or None,
                   "named_graphs": [ox.NamedNode(g) for g in named_graphs] or None}
    # a query with its own FROM / FROM NAMED (or a dataset given) gets that dataset, not the union of all graphs
    return session.store.query(text, substitutions=subs or None, prefixes=prefixes,
                               union=not default_graphs and not own_dataset, **dataset)


def query(session: Session, text: str, *, params: dict[str, str] | None = None, declared=None) -> QueryResult:
    """Run a read-only SPARQL query (standard prefixes predeclared) with safely bound parameters."""
    raw = execute(session, text, params=params, declared=declared)
    if isinstance(raw, (bool, ox.QueryBoolean)):
        return QueryResult("ask", boolean=bool(raw), raw=raw)
    if hasattr(raw, "variables"):  # pyoxigraph's QuerySolutions, or a remote store's Solutions
        names = [v.value for v in raw.variables]
        terms = [{n: sol[n] for n in names if sol[n] is not None} for sol in raw]
        rows = [{n: term_json(t.get(n)) for n in names} for t in terms]
        return QueryResult("select", variables=names, rows=rows, terms=terms)
    return QueryResult("graph", triples=list(raw))


def run_named(session: Session, name: str, params: dict | None = None) -> QueryResult:
    """The named query ``name`` (``queries/NAME.rq``) with its typed parameters."""
    nq = named_queries().get(name)
    if nq is None:
        raise UsageError(f"no named query '{name}'", hint="see 'lithkg query --list'")
    return query(session, nq.text, params=params or {}, declared=nq.params)


@sandbox.task
def query_task(session: Session, text: str | None, name: str | None, params: dict) -> QueryResult:
    """:func:`run_query`'s work, in a worker: the result without the engine's own objects."""
    result = run_named(session, name, params) if name else query(session, text, params=params)
    result.raw = None
    return result


def run_query(session: Session, text: str | None = None, *, name: str | None = None,
              params: dict[str, str] | None = None, timeout: float | None = None) -> QueryResult:
    """A user's query (``text``, or the named query ``name``), as ``lithkg query`` runs it. On the embedded store
    it runs in a worker process of its own (:mod:`lithkg.read.sandbox`): with no network, whatever the query says,
    and killed at ``timeout`` seconds (default: the ``query_timeout`` setting; 0: no limit), which raises a
    QueryError. On a SPARQL server the query is that server's to run, within the same limit."""
    seconds = session.settings.query_timeout if timeout is None else timeout
    if session.remote:
        run = (lambda: run_named(session, name, params)) if name else (lambda: query(session, text, params=params))
        return run_with_time_limit(run, seconds, path=name or "query")
    try:
        return sandbox.call_once(session.settings, query_task, text, name, params or {}, timeout=seconds)
    except QueryError as exc:
        if "time limit" in exc.message:
            exc.hint = "narrow the query, or raise LITHKG_QUERY_TIMEOUT"
        if name and exc.path == "query":
            exc.path = name
        raise


def serialize_result(session: Session, result: QueryResult, fmt: formats.Format) -> bytes:
    """A query result in a result format (SELECT/ASK) or an RDF format (CONSTRUCT/DESCRIBE)."""
    if result.kind == "graph":
        if not fmt.is_rdf:
            raise UsageError(f"a CONSTRUCT or DESCRIBE result is RDF, not '{fmt.name}'",
                             hint="use --format turtle, ntriples, json-ld, nquads or trig")
        buf = io.BytesIO()
        exports.write([ox.Quad(t.subject, t.predicate, t.object) for t in result.triples], fmt, buf, ids=session.ids)
        return buf.getvalue()
    if fmt.kind != "results":
        raise UsageError(f"a SELECT or ASK result cannot be written as '{fmt.name}'",
                         hint="use --format table, csv, tsv, json or xml")
    target = getattr(ox.QueryResultsFormat, fmt.oxigraph)
    if result.kind == "ask":
        return serialize_boolean(bool(result.boolean), target)
    return serialize_solutions(result.variables, result.terms, target)


__all__ = ["NamedQuery", "Param", "named_queries", "check_safe", "check_graph", "bind",
           "serialize_solutions", "serialize_boolean", "QueryResult", "term_json", "execute", "query", "run_named",
           "run_query", "serialize_result", "query_task"]
