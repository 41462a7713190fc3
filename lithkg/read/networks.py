"""Writing analysis graphs: GraphML (networkx, yEd, Cytoscape), GEXF (Gephi), DOT (Graphviz) and JSON node-link
(d3, ``networkx.node_link_graph``). The formats are the ``network`` kind of :data:`lithkg.rdf.formats.FORMATS`.

Output is byte-identical for the same graph: networkx writes nodes and edges in insertion order (the analyses
insert them sorted), GEXF's last-modified date is left out, and JSON keys are sorted.
"""
from __future__ import annotations

import io
import json
import re

import networkx as nx

from ..rdf.formats import Format


def write(g: nx.Graph, fmt: Format, out) -> None:
    """Write ``g`` in the network format ``fmt`` to a binary stream."""
    if fmt.name == "graphml":
        nx.write_graphml(g, out, encoding="utf-8", prettyprint=True, named_key_ids=True)
    elif fmt.name == "gexf":
        text = "\n".join(nx.generate_gexf(g, encoding="utf-8", prettyprint=True))
        out.write(re.sub(r' lastmodifieddate="[^"]*"', "", text, count=1).encode("utf-8") + b"\n")
    elif fmt.name == "dot":
        out.write(dot(g).encode("utf-8"))
    elif fmt.name == "node-link":
        data = nx.node_link_data(g, edges="links")
        out.write(json.dumps(data, ensure_ascii=False, indent=1, sort_keys=True).encode("utf-8") + b"\n")
    else:
        raise ValueError(f"'{fmt.name}' is not a network format")


def to_bytes(g: nx.Graph, fmt: Format) -> bytes:
    buf = io.BytesIO()
    write(g, fmt, buf)
    return buf.getvalue()


def _quote(value) -> str:
    """A DOT ID: a double-quoted string. Graphviz's scanner reads ``\\"`` in one as a quote and ``\\\\`` as a
    backslash pair (shown as one backslash in a label), so a backslash is doubled before quotes are escaped: a
    backslash before a quote then cannot end the string. A newline is written as the label escape ``\\n``."""
    text = str(value).replace("\\", "\\\\").replace('"', '\\"').replace("\n", "\\n")
    return f'"{text}"'


def _key(name: str) -> str:
    return name if re.fullmatch(r"[A-Za-z_][A-Za-z0-9_]*", name) else _quote(name)


def dot(g: nx.Graph) -> str:
    """The graph in Graphviz DOT. Written here rather than through pydot, which reads a ``:`` in an
    unquoted name as a port, and every node name here is an IRI; every ID is quoted."""
    arrow = "->" if g.is_directed() else "--"
    lines = [f"{'digraph' if g.is_directed() else 'graph'} {_quote(g.graph.get('kind', 'lithkg'))} {{"]
    for node, data in g.nodes(data=True):
        attrs = ", ".join(f"{_key(k)}={_quote(v)}" for k, v in data.items())
        lines.append(f"  {_quote(node)}" + (f" [{attrs}]" if attrs else "") + ";")
    for a, b, data in g.edges(data=True):
        attrs = ", ".join(f"{_key(k)}={_quote(v)}" for k, v in data.items())
        lines.append(f"  {_quote(a)} {arrow} {_quote(b)}" + (f" [{attrs}]" if attrs else "") + ";")
    lines.append("}")
    return "\n".join(lines) + "\n"
