"""Tables: the first column of names is the subject of each row; each other column's header names a frame
(rank, length, date, score, population ...), and its cells are read as that frame's values."""
from __future__ import annotations

import re

from ...model import TimeSpec, Value
from ..entities import EntityMention
from ..dates import find_dates
from ..values import find_numbers
from .context import DocumentContext, header_property


def read_table(doc: DocumentContext, table) -> None:
    """A table: the first column of names is the subject of each row; each other column's header names a
    frame (rank, length, date, score, population ...), and its cells are read as that frame's values."""
    text = doc.text
    headers = [text[a:b].strip().lower() for a, b in table.header]
    rows = [[(a, b, text[a:b].strip()) for a, b in row] for row in table.rows]
    if not headers or not rows:
        return
    name_col = None
    for i in range(len(headers)):
        cells = [r[i][2] for r in rows if i < len(r)]
        if cells and sum(1 for c in cells if c and not re.match(r"^[\d#~<>≈.,%$€£ -]+", c)) >= len(cells) * 0.6 \
                and not all(find_dates(c, None) for c in cells if c):
            name_col = i
            break
    if name_col is None:
        return
    for cells in rows:
        if name_col >= len(cells) or not cells[name_col][2]:
            continue
        row_start, row_end = doc.text.rfind("\n", 0, cells[0][0]) + 1, doc.text.find("\n", cells[-1][1])
        row = (row_start, len(doc.text) if row_end < 0 else row_end)
        na, nb, name = cells[name_col]
        info = doc.ontology.entity(name)
        subject = EntityMention(na, nb, info.iri, info.label, "name", info) if info else \
            EntityMention(na, nb, doc.ontology.ids.unlinked_entity(name), name, "minted")
        row_time = doc.doc_time()
        for i, (a, b, cell) in enumerate(cells):
            prop = header_property(re.sub(r"\(.*?\)", "", headers[i]).strip(), doc.ontology) \
                if i < len(headers) else None
            dates = find_dates(cell, doc.doc_date) if cell else []
            if prop is not None and prop.value_kind == "Date" and len(dates) == 1 and dates[0].value:
                row_time = TimeSpec(point=dates[0].value)
        for i, (a, b, cell) in enumerate(cells):
            if i == name_col or i >= len(headers) or not cell:
                continue
            _table_cell(doc, subject, headers[i], a, b, cell, row_time, row)


def _table_cell(doc: DocumentContext, subject: EntityMention, header: str, a: int, b: int, cell: str,
                row_time: TimeSpec, row: tuple[int, int]) -> None:
    words = re.sub(r"\(.*?\)", "", header).strip()
    if words in ("rank", "#", "position", "place", "no.", "no", "ranking"):
        num = re.fullmatch(r"[#№]?\s*(\d{1,9})(?:st|nd|rd|th)?\.?(?:\s*\(.*\))?", cell)  # a rank, not a number
        if num:
            doc.emit(subject, "rank", Value.number(int(num.group(1))), _evidence(a, b, row), time=row_time,
                     qualifiers={"index": doc.last_index}, confidence=0.7)
        return
    prop = header_property(words, doc.ontology)
    if prop is not None and prop.value_kind == "Date":
        dates = find_dates(cell, None)
        if len(dates) == 1 and dates[0].value:
            doc.emit(subject, prop.name, Value.date(dates[0].value), _evidence(a, b, row), confidence=0.6)
        return
    found = find_numbers(cell, doc.units)
    if len(found) != 1 or prop is not None and prop.value_kind in ("EntityValue", "TextValue"):
        return
    n = found[0]
    if prop is None:
        prop = doc.ontology.property({"percent": "share", "money": "amount"}.get(n.kind, "count"))
        if n.kind == "quantity":
            info = doc.ontology.units.get(n.unit)
            if info is None or not info.quantity_property:
                return
            prop = doc.ontology.property(info.quantity_property.rsplit("/", 1)[-1])
    quals = {"index": doc.last_index} if prop.name == "score" else \
        {"of": words} if prop.name in ("count", "share", "amount") else {}
    doc.emit(subject, prop.name, Value.number(n.value), _evidence(a, b, row), unit=doc.unit_iri(n),
             bound=n.bound, time=row_time, qualifiers=quals, confidence=0.6)


def _evidence(a: int, b: int, row: tuple[int, int]) -> tuple[int, int]:
    """A table value's quote: its cell when the cell says enough on its own ("about 675 km"), else its row."""
    return (a, b) if b - a >= 5 else row
