"""The query check: what a SPARQL query text would do, read before it runs, and the refusal of everything that is not a
read of this store. :func:`check_safe` refuses a query that would reach the network (``SERVICE``, ``LOAD``, a remote
``FROM`` or ``FROM NAMED``) or change the store (an update), over every way Oxigraph may read its text (keywords glued
to what follows them, ``\\u`` escapes, a ``<`` that is no IRI); :func:`check_nesting` refuses brackets nested deeper
than Oxigraph's parser can take. :mod:`lithkg.read.sparql` runs the queries it lets through.
"""
from __future__ import annotations

import dataclasses
import re
import unicodedata
from typing import NamedTuple

from ..errors import QueryError, UpdateRefused
from ..rdf.mapping import PREFIXES

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


def check_graph(iri: str, bases=(), what: str = "FROM") -> None:
    """Refuse a dataset graph (``FROM``, ``FROM NAMED``, ``default-graph-uri``, ``named-graph-uri``) that is not
    one this store can hold: an absolute IRI under the store's base (one of ``bases``) or under
    ``https://w3id.org/lithkg/``, with no ``.`` or ``..`` segment and nothing an IRI cannot hold. So a relative IRI,
    a ``file:`` IRI, another host, or another path on the store's own host are refused. No graph is ever fetched
    either way; this says so instead of answering from an empty graph. ``what`` names where the graph was given (the
    protocol's parameters are named as such)."""
    hint = f"{what} may only name graphs of this store"
    if not _ABSOLUTE_RE.match(iri):
        raise QueryError(f"{what} <{iri}> is refused: a graph is named by an absolute IRI", hint=hint)
    dots = re.search(r"/(?:\.|%2e){1,2}(?:[/?#]|$)", iri, re.I)
    if iri.startswith((_LOCAL_GRAPHS, *bases)) and not dots and not re.search(r"[\s<>\"{}|\\^`]", iri):
        return
    if re.match(r"^[A-Za-z][A-Za-z0-9+.-]*://", iri) or re.match(r"^(https?|ftps?|file):", iri, re.I):
        raise QueryError(f"{what} <{iri}> is refused: lithkg never fetches remote graphs", hint=hint)
    raise QueryError(f"{what} <{iri}> is refused: it is not a graph of this store", hint=hint)


def check_safe(query: str, bases=(), graphs: dict[str, list[str]] | None = None,
               prefixes: dict[str, str] = PREFIXES) -> bool:
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
      or ``prefixes``' namespaces) and the protocol's dataset ``graphs`` (parameter name -> IRIs, checked first
      and refused by the name of the parameter that gave them) naming anything but a graph of this store (see
      :func:`check_graph`).

    It errs on the refusing side: a prefix such as ``service:`` or ``loader:`` is refused too, while ``?service``,
    ``ex:service``, ``"SERVICE"``, ``<http://x.example/load>`` and ``# SERVICE`` are not."""
    for what, iris in (graphs or {}).items():
        for iri in iris:
            check_graph(iri, bases, what=what)
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
        raise UpdateRefused(f"{update} is refused: queries here only read the store",
                          hint="change the store with 'lithkg ingest'")
    for iri in (iri for r in results for iri in r.graphs):
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
