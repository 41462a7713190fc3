"""Write rows (lists of dicts) as an aligned table, CSV, TSV, JSON or JSON Lines.

A table is aligned by the columns a terminal gives each character (wcwidth): a CJK character or an emoji takes two, a
combining mark none, so names in any script line up."""
from __future__ import annotations

import csv
import json
from typing import IO, Iterable, Sequence

from wcwidth import wcswidth, wcwidth

_JOINER = "\u200d"  # a zero-width joiner: the character after it joins the one before (one emoji)


def width(text: str) -> int:
    """The columns ``text`` takes in a terminal (a character with no width of its own, a control, counts none)."""
    n = wcswidth(text)
    return n if n >= 0 else sum(max(wcwidth(c), 0) for c in text)


def ljust(text: str, columns: int) -> str:
    return text + " " * max(columns - width(text), 0)


def rjust(text: str, columns: int) -> str:
    return " " * max(columns - width(text), 0) + text


def clip(text: str, columns: int) -> str:
    """``text`` on one line, cut to at most ``columns`` columns with an ellipsis; never between a character and the
    marks or joined characters that follow it."""
    text = " ".join(text.split())
    if width(text) <= columns:
        return text
    kept, used, joined = [], 0, False
    for c in text:
        w = 0 if joined else max(wcwidth(c), 0)
        joined = c == _JOINER
        if used + w > columns - 1:
            break
        kept.append(c)
        used += w
    while kept and kept[-1] == _JOINER:
        kept.pop()
    return "".join(kept) + "…"


def _cell(value) -> str:
    if value is None:
        return ""
    if isinstance(value, float):
        return repr(value) if value != int(value) or abs(value) >= 1e16 else str(int(value))
    if isinstance(value, (dict, list)):
        if isinstance(value, dict):
            return "; ".join(f"{k}: {v}" for k, v in value.items())
        return "; ".join(str(v) for v in value)
    return str(value)


def write_rows(rows: Sequence[dict], fmt: str, out: IO[str], columns: Sequence[str] | None = None,
               max_width: int = 60) -> None:
    columns = list(columns) if columns is not None else _columns(rows)
    if fmt == "jsonl":
        for row in rows:
            out.write(json.dumps(row, ensure_ascii=False, sort_keys=False) + "\n")
    elif fmt == "json":
        json.dump(list(rows), out, ensure_ascii=False, indent=2)
        out.write("\n")
    elif fmt in ("csv", "tsv"):
        writer = csv.writer(out, delimiter="," if fmt == "csv" else "\t", lineterminator="\n")
        writer.writerow(columns)
        for row in rows:
            writer.writerow([_cell(row.get(c)).replace("\t", " ").replace("\n", " ") if fmt == "tsv"
                             else _cell(row.get(c)) for c in columns])
    else:
        write_table(rows, columns, out, max_width)


def _columns(rows: Iterable[dict]) -> list[str]:
    cols: list[str] = []
    for row in rows:
        for key in row:
            if key not in cols:
                cols.append(key)
    return cols


def write_table(rows: Sequence[dict], columns: Sequence[str], out: IO[str], max_width: int = 60) -> None:
    cells = [[clip(_cell(row.get(c)), max_width) for c in columns] for row in rows]
    widths = [max([width(c)] + [width(r[i]) for r in cells]) for i, c in enumerate(columns)]
    out.write("  ".join(ljust(c, w) for c, w in zip(columns, widths)).rstrip() + "\n")
    out.write("  ".join("-" * w for w in widths) + "\n")
    for r in cells:
        out.write("  ".join(ljust(v, w) for v, w in zip(r, widths)).rstrip() + "\n")


def _preferred(row: dict) -> bool:
    """Whether a row is its group's preferred claim (which may be conflicting: its relation says so)."""
    return row.get("relation") == "preferred" or row.get("status") == "preferred"


def fold_by_source(members: list[dict]) -> list[dict]:
    """One row per source, value and time: the same figure read by several extractors is shown once (the preferred
    row, else the one with the fuller quote)."""
    folded: dict[tuple, dict] = {}
    for m in members:
        key = (m["source"], str(m["value"]), m.get("bound"), m.get("time"))
        best = folded.get(key)
        if best is None or (_preferred(m), len(m.get("quote") or "")) > (_preferred(best), len(best.get("quote") or "")):
            folded[key] = m
    return list(folded.values())
