"""Graph analyses of the claim graph with networkx: disputes, source agreement, the entity map, lineage.

Each analysis builds a networkx graph from plain rows (what :func:`lithkg.read.listings.network` reads from the
store with the named queries ``relations``, ``entity-links`` and ``lineage`` and the ``claims`` listing), so
the numbers can be checked on small hand-made inputs. Nodes and edges are added in sorted order and attribute
values are strings, numbers or booleans only, so every writer in :mod:`lithkg.read.networks` gives the same bytes for
the same store.

=============  ==============================================================================================
kind           graph
=============  ==============================================================================================
``disputes``   claims, joined by corroborates / updates / conflicts; a component with a conflict is a dispute
``sources``    sources (or document versions), edges weighted by the groups in which they agree and conflict
``entities``   entities, joined by claims about one whose value or qualifier is the other; with centrality
``lineage``    document versions of each source as a chain (a DAG), with the claims added, kept, revised and
               retracted at each step
=============  ==============================================================================================
"""
from __future__ import annotations

import dataclasses
from collections import defaultdict
from typing import Iterable

import networkx as nx

from .stated import ordinal_suffix

KINDS = ("disputes", "sources", "entities", "lineage")


def _clean(attrs: dict) -> dict:
    """Attributes every graph format can carry: drop missing values, keep str/int/float/bool."""
    out = {}
    for k, v in attrs.items():
        if v is None or v == "":
            continue
        out[k] = v if isinstance(v, (str, bool, int, float)) else str(v)
    return out


def value_label(row: dict) -> str:
    """How a claim's value is shown: ``~ 2000000``, ``> 1000000``, ``6th`` for a rank, with its unit."""
    value = row.get("value_label") or row.get("value")
    if isinstance(value, (int, float)) and not isinstance(value, bool):
        if str(row.get("property", "")).endswith("/rank") and float(value).is_integer():
            text = f"{int(value)}{ordinal_suffix(int(value))}"
        else:
            text = f"{value:,}" if isinstance(value, int) else f"{value:g}"
    else:
        text = str(value)
    bound = {"approx": "~ ", "lower": "> ", "upper": "< "}.get(row.get("bound") or "", "")
    unit = row.get("unit_label")
    return f"{bound}{text}{' ' + unit if unit and unit != 'ordinal' else ''}"


def _number(value) -> float | None:
    return float(value) if isinstance(value, (int, float)) and not isinstance(value, bool) else None


# --------------------------------------------------------------------------------------------- disputes
def dispute_graph(claims: Iterable[dict], relations: Iterable[dict]) -> nx.Graph:
    """Claims as nodes, the relations between them as edges (``kind``: corroborates, compatible, updates, conflicts).

    ``claims`` are rows of the claims listing (``id``, ``group``, ``value``, ``source``, ``source_key``, ...),
    ``relations`` rows of the ``relations`` query (``kind``, ``from``, ``to``, ``reason``)."""
    relations = list(relations)
    group_labels = {r["group"]: r["group_label"] for r in relations if r.get("group_label")}
    g = nx.Graph(kind="disputes")
    for row in sorted(claims, key=lambda r: r["id"]):
        g.add_node(row["id"], **_clean({
            "label": value_label(row), "value": str(row.get("value")), "number": _number(row.get("value")),
            "group": row.get("group"),
            "group_label": group_labels.get(row.get("group")) or _group_label(row), "source": row.get("source"),
            "source_key": row.get("source_key"), "document": row.get("document"), "time": row.get("time"),
            "status": row.get("status"), "preferred": row.get("status") == "preferred"}))
    for rel in sorted(relations, key=lambda r: (r["from"], r["to"], r["kind"])):
        if rel["from"] in g and rel["to"] in g:
            g.add_edge(rel["from"], rel["to"], **_clean({"kind": rel["kind"], "reason": rel.get("reason"),
                                                         "from_claim": rel["from"], "to_claim": rel["to"]}))
    return g


def _group_label(row: dict) -> str | None:
    parts = [row.get("subject_label"), row.get("property_label")]
    quals = row.get("qualifiers") or {}
    label = " / ".join(p for p in parts if p)
    if quals:
        label += " / " + ", ".join(f"{k}: {v}" for k, v in sorted(quals.items()))
    return label or None


@dataclasses.dataclass
class Dispute:
    """One connected component of the dispute graph that holds at least one conflict."""

    claims: list[str]
    groups: list[str]
    labels: list[str]
    sources: list[str]
    values: list[str]
    conflicts: int
    spread: float  # of the values in conflict (see :func:`spread`)

    def as_row(self) -> dict:
        return {"dispute": "; ".join(self.labels), "sources": len(self.sources), "values": ", ".join(self.values),
                "spread": self.spread, "conflicts": self.conflicts, "claims": len(self.claims)}


def spread(values: Iterable) -> float:
    """How far apart the values are: (max - min) / max(|max|, |min|) for numbers (0 = equal, 1 = one is zero or
    they differ by their own size); for other values 1 when they differ, else 0."""
    values = list(values)
    numbers = [v for v in (_number(x) for x in values) if v is not None]
    if len(numbers) == len(values) and numbers:
        hi, lo = max(numbers), min(numbers)
        scale = max(abs(hi), abs(lo))
        return round((hi - lo) / scale, 4) if scale else 0.0
    return 1.0 if len({str(v) for v in values}) > 1 else 0.0


def disputes(g: nx.Graph) -> list[Dispute]:
    """The disputes, ranked: most sources first, then the widest spread between the values in conflict."""
    out = []
    for component in nx.connected_components(g):
        sub = g.subgraph(component)
        conflicts = sum(1 for _, _, k in sub.edges(data="kind") if k == "conflicts")
        if not conflicts:
            continue
        nodes = sorted(component)
        data = [g.nodes[n] for n in nodes]
        disputed = {n for a, b, k in sub.edges(data="kind") if k == "conflicts" for n in (a, b)}
        raw = [g.nodes[n].get("number", g.nodes[n].get("value")) for n in sorted(disputed)]
        out.append(Dispute(
            claims=nodes, groups=sorted({d["group"] for d in data if "group" in d}),
            labels=sorted({d["group_label"] for d in data if "group_label" in d}),
            sources=sorted({d.get("source_key", d.get("source", "")) for d in data}),
            values=sorted({d["label"] for d in data}, key=lambda v: (len(v), v)),
            conflicts=conflicts, spread=spread(raw)))
    out.sort(key=lambda d: (-len(d.sources), -d.spread, d.labels))
    return out


# ---------------------------------------------------------------------------------------- source agreement
def source_graph(claims: Iterable[dict], relations: Iterable[dict], *, by: str = "source") -> nx.Graph:
    """Sources (``by="source"``, their key) or document versions (``by="version"``) as nodes; an edge counts the
    claim groups in which two of them corroborate each other (``corroborates``) and conflict (``conflicts``),
    with ``agreement`` = (corroborates - conflicts) / (corroborates + conflicts) in [-1, 1]. Updates (a change
    over time) and compatible figures are neither; relations within one node are not counted."""
    if by not in ("source", "version"):
        raise ValueError(f"by must be 'source' or 'version', not {by!r}")
    node_of: dict[str, str] = {}
    nodes: dict[str, dict] = {}
    for row in claims:
        key = row["source_key"] if by == "source" else row["document"]
        node_of[row["id"]] = key
        info = nodes.setdefault(key, {"label": row["source_key"] if by == "source" else row["source"],
                                      "claims": 0, "versions": set()})
        info["claims"] += 1
        info["versions"].add(row["document"])
    agree: dict[tuple, set] = defaultdict(set)
    disagree: dict[tuple, set] = defaultdict(set)
    for rel in relations:
        a, b = node_of.get(rel["from"]), node_of.get(rel["to"])
        if a is None or b is None or a == b or rel["kind"] not in ("corroborates", "conflicts"):
            continue
        pair = (min(a, b), max(a, b))
        (agree if rel["kind"] == "corroborates" else disagree)[pair].add(rel["group"])
    g = nx.Graph(kind="sources", by=by)
    for key in sorted(nodes):
        info = nodes[key]
        g.add_node(key, **_clean({"label": info["label"], "claims": info["claims"],
                                  "versions": len(info["versions"])}))
    for pair in sorted(set(agree) | set(disagree)):
        c, k = len(agree[pair]), len(disagree[pair])
        g.add_edge(*pair, corroborates=c, conflicts=k, weight=c + k, agreement=round((c - k) / (c + k), 4))
    return g


@dataclasses.dataclass
class Agreement:
    pairs: list[dict]        # source_a, source_b, corroborates, conflicts, agreement; most agreeing first
    standalone: list[str]    # sources that corroborate no other source
    clusters: list[list[str]]  # groups of sources joined by pairs that agree more than they conflict


def agreement(g: nx.Graph) -> Agreement:
    pairs = [{"source_a": a, "source_b": b, "corroborates": d["corroborates"], "conflicts": d["conflicts"],
              "agreement": d["agreement"]} for a, b, d in g.edges(data=True)]
    pairs.sort(key=lambda p: (-p["agreement"], -p["corroborates"], p["source_a"], p["source_b"]))
    standalone = sorted(n for n in g if not any(d["corroborates"] for _, _, d in g.edges(n, data=True)))
    agreeing = nx.Graph([(a, b) for a, b, d in g.edges(data=True) if d["corroborates"] > d["conflicts"]])
    clusters = sorted((sorted(c) for c in nx.connected_components(agreeing)), key=lambda c: (-len(c), c))
    return Agreement(pairs, standalone, clusters)


def agreement_matrix(g: nx.Graph) -> tuple[list[str], list[list[tuple[int, int] | None]]]:
    """The sources in order and, for each pair, (corroborates, conflicts) or None where they share nothing."""
    names = sorted(g)
    matrix = []
    for a in names:
        row = []
        for b in names:
            d = g.get_edge_data(a, b) if a != b else None
            row.append((d["corroborates"], d["conflicts"]) if d else None)
        matrix.append(row)
    return names, matrix


# -------------------------------------------------------------------------------------------- entity map
def entity_graph(links: Iterable[dict], claims: Iterable[dict] = ()) -> nx.Graph:
    """Entities as nodes, joined by the claims between them (``entity-links`` rows: ``subject``, ``entity``,
    ``claims``, ``properties``, ``via``). Nodes carry ``claims`` (claims about the entity), ``strength`` (claims
    on its edges), ``degree_centrality`` and ``betweenness``."""
    about: dict[str, int] = defaultdict(int)
    labels: dict[str, str] = {}
    for row in claims:
        about[row["subject"]] += 1
        labels.setdefault(row["subject"], row.get("subject_label") or row["subject"])
    weights: dict[tuple, int] = defaultdict(int)
    props: dict[tuple, set] = defaultdict(set)
    for row in links:
        a, b = row["subject"], row["entity"]
        labels.setdefault(a, row.get("subject_label") or a)
        labels.setdefault(b, row.get("entity_label") or b)
        pair = (min(a, b), max(a, b))
        weights[pair] += int(row.get("claims") or 1)
        props[pair].update(p.strip() for p in str(row.get("properties") or "").split(",") if p.strip())
    g = nx.Graph(kind="entities")
    for node in sorted({n for pair in weights for n in pair}):
        g.add_node(node, label=labels[node], claims=about.get(node, 0), unlinked="/entity/u-" in node)
    for pair in sorted(weights):
        g.add_edge(*pair, weight=weights[pair], properties=", ".join(sorted(props[pair])))
    degree = nx.degree_centrality(g) if len(g) > 1 else {n: 0.0 for n in g}
    between = nx.betweenness_centrality(g) if len(g) > 2 else {n: 0.0 for n in g}
    for n in g:
        g.nodes[n]["strength"] = sum(d for _, _, d in g.edges(n, data="weight"))
        g.nodes[n]["degree_centrality"] = round(degree[n], 4)
        g.nodes[n]["betweenness"] = round(between[n], 4)
    return g


def central_entities(g: nx.Graph, top: int = 10) -> list[dict]:
    """The entities the corpus is most about: by strength, then betweenness, then name."""
    rows = [{"entity": n, "label": d["label"], "links": g.degree(n), "strength": d["strength"],
             "betweenness": d["betweenness"], "claims": d["claims"]} for n, d in g.nodes(data=True)]
    rows.sort(key=lambda r: (-r["strength"], -r["betweenness"], r["label"]))
    return rows[:top]


# ----------------------------------------------------------------------------------------------- lineage
def lineage_graph(versions: Iterable[dict], links: Iterable[dict]) -> nx.DiGraph:
    """Each source's versions as a chain, older -> newer. ``versions`` are rows of the ``sources`` query
    (``source_key``, ``document``, ``version``, ``file``, ``source_date``, ``claims``); ``links`` rows of the
    ``lineage`` query (``claim``, ``document``, ``link``: continues / revises / retracted, ``other``).

    Each version node has ``claims``, ``continued`` (claims kept from the version before), ``revised`` (a new
    value for a claim there), ``added`` (the rest) and ``retracted`` (claims of earlier versions it dropped);
    each edge carries the newer version's counts."""
    kept: dict[str, set] = defaultdict(set)
    revised: dict[str, set] = defaultdict(set)
    retracted: dict[str, set] = defaultdict(set)
    for row in links:
        if row["link"] == "continues":
            kept[row["document"]].add(row["claim"])
        elif row["link"] == "revises":
            revised[row["document"]].add(row["claim"])
        elif row["link"] == "retracted":
            retracted[row["other"]].add(row["claim"])
    g = nx.DiGraph(kind="lineage")
    by_source: dict[str, list[dict]] = defaultdict(list)
    for row in versions:
        by_source[row["source_key"]].append(row)
    for source in sorted(by_source):
        chain = sorted(by_source[source], key=lambda r: (r.get("version") or 0, r.get("source_date") or "",
                                                         r["document"]))
        for i, row in enumerate(chain):
            doc = row["document"]
            continued, changed = len(kept[doc] - revised[doc]), len(revised[doc])
            claims = int(row.get("claims") or 0)
            g.add_node(doc, **_clean({
                "label": row.get("file"), "source_key": source, "version": row.get("version") or i + 1,
                "source_date": row.get("source_date"), "claims": claims, "continued": continued,
                "revised": changed, "added": claims - continued - changed if i else claims,
                "retracted": len(retracted[doc])}))
            if i:
                n = g.nodes[doc]
                g.add_edge(chain[i - 1]["document"], doc, **{k: n[k] for k in ("continued", "revised", "added",
                                                                               "retracted")})
    return g


# ------------------------------------------------------------------------------------------------ summary
def summary(g: nx.Graph, top: int = 5) -> list[str]:
    """A few lines on a graph: its size, its components and its top nodes."""
    kind = g.graph.get("kind", "graph")
    components = list(nx.weakly_connected_components(g) if g.is_directed() else nx.connected_components(g))
    lines = [f"{kind}: {g.number_of_nodes()} node(s), {g.number_of_edges()} edge(s), "
             f"{len(components)} connected component(s)"]
    if kind == "disputes":
        found = disputes(g)
        lines.append(f"{len(found)} dispute(s) (components with a conflict), most sources first:")
        for d in found[:top]:
            lines.append(f"  {'; '.join(d.labels)}: {len(d.sources)} source(s), values {', '.join(d.values)}, "
                         f"spread {d.spread:g}")
    elif kind == "sources":
        a = agreement(g)
        lines.append("most agreeing pairs:")
        for p in a.pairs[:top]:
            lines.append(f"  {g.nodes[p['source_a']]['label']} + {g.nodes[p['source_b']]['label']}: "
                         f"{p['corroborates']} agree, {p['conflicts']} conflict")
        lines.append(f"stand alone: {', '.join(g.nodes[n]['label'] for n in a.standalone) or 'none'}")
        for c in a.clusters:
            lines.append(f"cluster: {', '.join(g.nodes[n]['label'] for n in c)}")
    elif kind == "entities":
        lines.append("most central entities:")
        for r in central_entities(g, top):
            lines.append(f"  {r['label']}: {r['links']} link(s), {r['strength']} claim(s) on them, "
                         f"betweenness {r['betweenness']:g}")
    elif kind == "lineage":
        for node, d in sorted(g.nodes(data=True), key=lambda nd: (nd[1]["source_key"], nd[1]["version"])):
            lines.append(f"  {d['source_key']} v{d['version']} ({d.get('label', node)}): {d['claims']} claim(s); "
                         f"{d['added']} added, {d['continued']} kept, {d['revised']} revised, "
                         f"{d['retracted']} no longer stated")
    return lines
