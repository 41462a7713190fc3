"""Pictures with matplotlib (the optional extra ``lithkg[plot]``): a claim group's values over valid time, one
mark per source, the preferred value highlighted; and the dispute graph.

matplotlib is imported on first use; without it, :class:`~lithkg.errors.MissingExtraError` says what to
install. Figures are drawn with matplotlib's object API (no pyplot, no display) and saved without dates, so
the same group gives the same picture.
"""
from __future__ import annotations

import datetime as _dt
import textwrap
from typing import IO

from .analyses import disputes, value_label
from ..errors import MissingExtraError

EDGE_STYLE = {"conflicts": ("#c0392b", "solid", 2.4), "corroborates": ("#27ae60", "solid", 1.4),
              "updates": ("#7f8c8d", "dashed", 1.2)}


def require() -> None:
    """Raise :class:`MissingExtraError` unless matplotlib can be imported."""
    try:
        import matplotlib.figure  # noqa: F401
    except ImportError:
        raise MissingExtraError("plotting needs matplotlib, which is not installed",
                                hint="pip install 'lithkg[plot]'") from None


def _figure(width: float, height: float):
    require()
    from matplotlib.figure import Figure
    return Figure(figsize=(width, height), dpi=110, layout="constrained")


def _save(fig, out: IO[bytes], fmt: str) -> None:
    import matplotlib
    with matplotlib.rc_context({"svg.hashsalt": "lithkg", "svg.fonttype": "none"}):
        metadata = {"Software": None} if fmt == "png" else {"Date": None, "Creator": None}
        fig.savefig(out, format=fmt, metadata=metadata)


def _when(text: str | None) -> _dt.date | None:
    if not text:
        return None
    parts = [int(p) for p in str(text).lstrip("+").split("T")[0].split("-")[:3] if p.isdigit()]
    if not parts:
        return None
    return _dt.date(parts[0], parts[1] if len(parts) > 1 else 1, parts[2] if len(parts) > 2 else 1)


def _palette(names: list[str]) -> dict[str, str]:
    colours = ["#1f77b4", "#ff7f0e", "#2ca02c", "#9467bd", "#8c564b", "#e377c2", "#17becf", "#bcbd22", "#7f7f7f",
               "#d62728"]
    return {n: colours[i % len(colours)] for i, n in enumerate(sorted(names))}


def group_marks(rows: list[dict]) -> list[dict]:
    """One mark per source document, valid time and value (the same claim read twice is one mark); the
    preferred claim's mark is the preferred one. Marks without a valid time sit at their source date."""
    marks: dict[tuple, dict] = {}
    for r in sorted(rows, key=lambda r: (r.get("time") or r.get("source_date") or "", r["source"], r["id"])):
        label = value_label(r)
        key = (r["document"], r.get("time"), label)
        timed = bool(r.get("time"))
        when = _when(r.get("time")) or _when(r.get("source_date"))
        mark = marks.setdefault(key, {
            "label": label, "time": r.get("time"), "when": when, "timed": timed, "source": r["source"],
            "source_date": r.get("source_date"), "value": r.get("value"), "status": r.get("status"),
            "preferred": False, "quote": r.get("quote")})
        if r.get("status") == "preferred" or r.get("rank") == "preferred":  # the preferred claim may be conflicting
            mark.update(preferred=True, status=r.get("status"))
    return [m for m in marks.values() if m["when"] is not None]


def plot_group(rows: list[dict], out: IO[bytes], *, fmt: str = "png", title: str | None = None,
               reason: str | None = None) -> list[dict]:
    """Draw one claim group's values over valid time; returns the marks drawn (label, source, time, status)."""
    marks = group_marks(rows)
    fig = _figure(10, 6)
    ax = fig.add_subplot()
    sources = sorted({m["source"] for m in marks})
    colour = _palette(sources)
    numeric = all(isinstance(m["value"], (int, float)) and not isinstance(m["value"], bool) for m in marks)
    categories = sorted({m["label"] for m in marks})
    at_x: dict[_dt.date, int] = {}
    days = [m["when"].toordinal() for m in marks]
    step = max(1, (max(days) - min(days)) // 60) if days else 1
    for m in marks:
        n = at_x.get(m["when"], 0)
        at_x[m["when"]] = n + 1
        x = m["when"] + _dt.timedelta(days=step * n)  # side by side where sources give the same time
        y = m["value"] if numeric else categories.index(m["label"])
        hollow = m["status"] in ("no longer stated", "retracted", "deprecated") or not m["timed"]
        ax.scatter([x], [y], s=420 if m["preferred"] else 90, marker="*" if m["preferred"] else "o",
                   facecolors="none" if hollow else colour[m["source"]], edgecolors=colour[m["source"]],
                   linewidths=1.8, zorder=3)
        when = m["time"] or f"{m['source_date']}, source date"
        text = f"{'★ ' if m['preferred'] else ''}{m['label']} ({when})" + (f", {m['status']}" if m["status"] in (
            "no longer stated", "retracted") else "")
        ax.annotate(f"{text}\n{m['source'].rsplit('/', 1)[-1]}", (x, y), xytext=(10, 8 + 30 * (n // 2)) if n % 2 == 0 else (10, -34 - 30 * (n // 2)),
                    textcoords="offset points", fontsize=8.5, fontweight="bold" if m["preferred"] else "normal",
                    color="#222222", arrowprops={"arrowstyle": "-", "color": "#999999", "lw": 0.6} if n else None)
        m["x"], m["y"] = x.isoformat(), y
    values = [m["value"] for m in marks] if numeric else []
    if values and min(values) > 0 and max(values) / min(values) >= 8:  # 57th and 4th: a log axis keeps 4 and 6 apart
        from matplotlib.ticker import FixedLocator, NullFormatter, ScalarFormatter
        ax.set_yscale("log")
        ticks = [m * 10 ** e for e in range(-3, 13) for m in (1, 2, 5)]
        ax.yaxis.set_major_locator(FixedLocator([t for t in ticks if min(values) / 2 <= t <= max(values) * 2]))
        ax.yaxis.set_major_formatter(ScalarFormatter())
        ax.yaxis.set_minor_formatter(NullFormatter())
    if numeric and rows and str(rows[0].get("property", "")).endswith("/rank"):
        ax.invert_yaxis()
        ax.set_ylabel("rank (1st at the top)")
    elif not numeric:
        ax.set_yticks(range(len(categories)), categories)
    else:
        from matplotlib.ticker import FuncFormatter
        unit = next((r.get("unit_label") for r in rows if r.get("unit_label")), None)
        ax.set_ylabel(f"value ({unit})" if unit else "value")
        ax.yaxis.set_major_formatter(FuncFormatter(lambda v, _: f"{v:,.10g}"))
    note = "valid time (hollow: no longer stated, or no time given and drawn at the source date)"
    if reason:
        note += "\n" + "\n".join(textwrap.wrap(f"★ preferred: {reason}", 130))
    ax.set_xlabel(note, fontsize=8.5)
    ax.grid(True, alpha=0.3)
    ax.margins(x=0.15, y=0.2)
    for s in sources:
        date = next((m["source_date"] for m in marks if m["source"] == s), None)
        ax.scatter([], [], color=colour[s], label=f"{s}" + (f" ({date})" if date else ""))
    ax.legend(loc="best", fontsize=8, title="source", title_fontsize=8)
    ax.set_title("\n".join(textwrap.wrap(title or "claim group", 90)), fontsize=11)
    _save(fig, out, fmt)
    return [{k: m[k] for k in ("label", "time", "source", "status", "preferred")} for m in marks]


def plot_disputes(g, out: IO[bytes], *, fmt: str = "png") -> list[dict]:
    """Draw the disputes of a dispute graph (:func:`lithkg.read.analyses.dispute_graph`): each one's claims, coloured
    by source, joined by their relations; returns one row per dispute drawn."""
    import networkx as nx

    found = disputes(g)
    cols = min(2, max(1, len(found)))
    rows_n = max(1, (len(found) + cols - 1) // cols)
    fig = _figure(7 * cols, 5.5 * rows_n)
    sources = sorted({g.nodes[n].get("source", "") for d in found for n in d.claims})
    colour = _palette(sources)
    for i, d in enumerate(found):
        ax = fig.add_subplot(rows_n, cols, i + 1)
        sub = _ordered(g, d.claims)
        pos = nx.spring_layout(sub, seed=7, k=1.2)
        for kind, (c, style, width) in EDGE_STYLE.items():
            edges = [(a, b) for a, b, k in sub.edges(data="kind") if k == kind]
            nx.draw_networkx_edges(sub, pos, edgelist=edges, ax=ax, edge_color=c, style=style, width=width)
        nodes = sorted(sub)
        nx.draw_networkx_nodes(sub, pos, nodelist=nodes, ax=ax, node_size=[520 if sub.nodes[n].get("preferred")
                                                                           else 260 for n in nodes],
                               node_shape="o", node_color=[colour[sub.nodes[n].get("source", "")] for n in nodes],
                               edgecolors="#222222", linewidths=0.8)
        nx.draw_networkx_labels(sub, pos, ax=ax, font_size=8, labels={
            n: ("★ " if sub.nodes[n].get("preferred") else "") + sub.nodes[n]["label"]
            + (f"\n{sub.nodes[n]['time']}" if sub.nodes[n].get("time") else "") for n in nodes})
        ax.set_title("\n".join(textwrap.wrap("; ".join(d.labels), 60)) + f"\n{len(d.sources)} sources, "
                     f"{d.conflicts} conflict(s)", fontsize=9)
        ax.margins(0.2)
        ax.set_axis_off()
    if not found:
        ax = fig.add_subplot()
        ax.text(0.5, 0.5, "no disputes: no two sources conflict", ha="center", va="center")
        ax.set_axis_off()
    handles = [_line(c, style, width, kind) for kind, (c, style, width) in EDGE_STYLE.items()]
    handles += [_dot(colour[s], s) for s in sources]
    fig.legend(handles=handles, loc="outside lower center", ncols=3, fontsize=8)
    _save(fig, out, fmt)
    return [d.as_row() for d in found]


def _ordered(g, nodes):
    """The subgraph of ``nodes`` as a new graph whose nodes and edges are in sorted order. The layout places nodes in
    the order the graph gives them, and ``g.subgraph`` gives them in the order of a set, which changes from one
    process to the next (string hashes are salted): the same store would give another picture each run."""
    import networkx as nx

    sub = nx.Graph()
    sub.add_nodes_from((n, g.nodes[n]) for n in sorted(nodes))
    edges = [(min(a, b), max(a, b), data) for a, b, data in g.subgraph(nodes).edges(data=True)]
    sub.add_edges_from(sorted(edges, key=lambda e: (e[0], e[1])))
    return sub


def _line(colour, style, width, label):
    from matplotlib.lines import Line2D
    return Line2D([], [], color=colour, linestyle=style, linewidth=width, label=label)


def _dot(colour, label):
    from matplotlib.lines import Line2D
    return Line2D([], [], color=colour, marker="o", linestyle="none", markersize=8, label=label)
