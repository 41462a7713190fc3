"""Each network format reads back into networkx (DOT through pydot) with the same nodes, edges and attributes."""
import io
import re
import shutil
import subprocess

import networkx as nx
import pydot
import pytest

from lithkg.rdf import formats
from lithkg.read import networks


def sample() -> nx.Graph:
    g = nx.Graph(kind="disputes")
    g.add_node("https://w3id.org/lithkg/id/claim/a", label='say "6th" \\ here', number=6.0, preferred=True)
    g.add_node("https://w3id.org/lithkg/id/claim/b", label="Lietuvą: 5th", number=5.0, preferred=False)
    g.add_edge("https://w3id.org/lithkg/id/claim/a", "https://w3id.org/lithkg/id/claim/b", kind="conflicts")
    return g


@pytest.mark.parametrize("name,read", [
    ("graphml", lambda data: nx.read_graphml(io.BytesIO(data))),
    ("gexf", lambda data: nx.read_gexf(io.BytesIO(data))),
    ("node-link", lambda data: nx.node_link_graph(__import__("json").loads(data), edges="links")),
])
def test_formats_read_back_with_attributes(name, read):
    g = sample()
    data = networks.to_bytes(g, formats.get(name, "network"))
    back = read(data)
    assert set(back.nodes) == set(g.nodes) and back.number_of_edges() == 1
    a = back.nodes["https://w3id.org/lithkg/id/claim/a"]
    assert a["label"] == 'say "6th" \\ here' and a["number"] == 6.0 and a["preferred"] is True
    assert list(back.edges(data="kind"))[0][2] == "conflicts"
    assert networks.to_bytes(sample(), formats.get(name, "network")) == data  # same graph, same bytes


def test_gexf_carries_no_date():
    assert b"lastmodifieddate" not in networks.to_bytes(sample(), formats.get("gexf", "network"))


def test_dot_parses_with_pydot_and_quotes_iris():
    text = networks.dot(sample())
    (parsed,) = pydot.graph_from_dot_data(text)
    names = {n.get_name() for n in parsed.get_nodes()}
    assert '"https://w3id.org/lithkg/id/claim/a"' in names
    node = parsed.get_node('"https://w3id.org/lithkg/id/claim/a"')[0]
    assert node.get("label") == '"say \\"6th\\" \\\\ here"'
    assert len(parsed.get_edges()) == 1 and parsed.get_edges()[0].get("kind") == '"conflicts"'
    assert networks.dot(nx.DiGraph([("a", "b")])).startswith('digraph "lithkg" {')


def test_json_name_picks_the_kind():
    assert formats.get("json", "network").name == "node-link"
    assert formats.get("json", "tabular").name == "json"
    assert formats.from_path("d.gv", "network").name == "dot"


def graphviz_string(text: str, start: int) -> tuple[str, int]:
    """The quoted string that starts at ``text[start]``, read by the rules of Graphviz's scanner (lib/cgraph/scan.l):
    ``\\"`` is a quote, ``\\\\`` a backslash pair kept as it is, any other character itself, and the first other ``"``
    ends the string. Returns the string's content and the index after its closing quote."""
    assert text[start] == '"'
    out, i = [], start + 1
    while text[i] != '"':
        if text[i] == "\\" and text[i + 1] in '"\\':
            out.append('"' if text[i + 1] == '"' else "\\\\")
            i += 2
        else:
            out.append(text[i])
            i += 1
    return "".join(out), i + 1


def label_text(content: str) -> str:
    """What Graphviz shows for a label's string: ``\\\\`` is one backslash, ``\\n`` a line break."""
    return re.sub(r"\\(.)", lambda m: {"n": "\n", "\\": "\\"}.get(m.group(1), m.group(0)), content)


@pytest.mark.parametrize("label", ['a \\" b', 'ends in a backslash \\', '\\\\"', 'two\nlines "quoted" \\n not a break'])
def test_a_dot_label_with_backslashes_and_quotes_is_one_valid_string(label):
    g = nx.Graph(kind="disputes")
    g.add_node("https://w3id.org/lithkg/id/claim/a", label=label, other="after")
    text = networks.dot(g)
    line = text.splitlines()[1]
    start = line.index("label=") + len("label=")
    content, end = graphviz_string(line, start)
    assert label_text(content) == label                       # the label Graphviz shows is the one given
    assert line[end:] == ', other="after"];'                  # and the string ends where it should
    (parsed,) = pydot.graph_from_dot_data(text)                # a DOT parser reads it too
    node = parsed.get_node('"https://w3id.org/lithkg/id/claim/a"')[0]
    assert node.get("label") == line[start:end] and node.get("other") == '"after"'
    back = nx.nx_pydot.from_pydot(parsed)
    assert list(back.nodes) == ["https://w3id.org/lithkg/id/claim/a"]
    assert back.nodes["https://w3id.org/lithkg/id/claim/a"]["other"] == '"after"'
    if shutil.which("dot"):                                    # Graphviz itself, where it is installed
        run = subprocess.run(["dot", "-Tplain"], input=text, capture_output=True, text=True, timeout=60)
        assert run.returncode == 0, run.stderr
