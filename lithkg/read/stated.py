"""A figure as the text stated it: a claims-listing row (see DESIGN.md, the claims listing) as words a reader reads.

The rules go by the kind of value (the property's ``lkg:valueKind`` in ontology/frames.ttl, else what the unit and
the value show), never by one claim:

* a bound before the number: ``more than`` (lower), ``up to`` (upper), ``about`` (approx);
* counts in full with thousands separators, then what is counted (the ``of`` qualifier, or the noun the property
  counts): ``more than 1,000,000 people``, ``2 unicorn companies``;
* ranks and positions as ordinals, then the index or what they are among: ``6th in the National Cyber Security
  Index``, ``1st among countries to leave the Soviet Union``;
* money with its currency symbol before the number (an ISO code and a space where the currency has no symbol) and
  millions and billions in words: ``$1.6 billion``, ``€500 million``, ``PLN 20 million``;
* shares with ``%`` after the number: ``0.06%``; other quantities with their unit symbol: ``165 km in Lithuania``,
  ``2.4 billion m³``;
* dates at the text's precision: ``1 May 2022``, ``October 2014``, ``2021``; entities by their label.

The scoping qualifiers follow the figure (``in Lithuania``, ``(planned)``); qualifiers that do not scope the figure
(a cited source) are left to the pages that show the claim.
"""
from __future__ import annotations

import re
from decimal import Decimal, InvalidOperation

from ..rdf.ontology import load as load_ontology

MONTHS = ("January", "February", "March", "April", "May", "June", "July", "August", "September", "October",
          "November", "December")
BOUND_WORDS = {"lower": "more than", "upper": "up to", "approx": "about"}
DATE_BOUND_WORDS = {"lower": "after", "upper": "before", "approx": "around"}
SCALES = ((Decimal(10) ** 12, "trillion"), (Decimal(10) ** 9, "billion"), (Decimal(10) ** 6, "million"))
# What a count property counts when the claim names nothing with its 'of' qualifier (keyed by the property's name,
# the last part of its IRI): the noun a reader expects after the number.
COUNTED = {"participants": "people", "population": "people", "votesInFavour": "votes", "score": "points"}
NON_SCOPING = ("cited source",)  # recorded on a claim, but no part of what the figure is (a property not known)
KINDS = ("Ordinal", "Count", "Quantity", "Money", "Share", "Date", "EntityValue", "TextValue")
DATE = re.compile(r"^(-?\d{4})(?:-(\d\d)(?:-(\d\d))?)?$")


def value_kind(row: dict, ontology=None) -> str:
    """The kind of a row's value (one of :data:`KINDS`): an entity or a date by its value; money, a share or a
    quantity by its unit (``lkg:unitKind``); else the property's ``lkg:valueKind``; a bare number is a count."""
    value = row.get("value")
    if row.get("value_kind") in KINDS:
        return row["value_kind"]
    if isinstance(value, str) and (row.get("value_label") or re.match(r"^(https?|urn):", value)):
        return "EntityValue"
    if isinstance(value, str) and DATE.match(value):
        return "Date"
    prop = ontology.properties.get(row.get("property") or "") if ontology is not None else None
    unit = row.get("unit")
    if unit:
        info = ontology.units.get(unit) if ontology is not None else None
        if info is not None:
            return info.kind
        return "Money" if "/currency/" in unit else "Share" if unit.endswith("PERCENT") else "Quantity"
    if prop is not None and prop.value_kind in ("Ordinal", "Count", "Money", "Share", "Quantity"):
        return prop.value_kind
    if isinstance(value, bool) or not isinstance(value, (int, float)):
        return "TextValue"
    return "Count"


def number(value, *, words: bool = False) -> str:
    """A number with thousands separators (``1,000,000``, ``0.06``); with ``words``, millions and more in words
    where that loses nothing (``1.6 billion``, ``500 million``; ``1,234,567`` stays in digits)."""
    try:
        d = Decimal(str(value))
    except InvalidOperation:
        return str(value)
    if words:
        for scale, word in SCALES:
            if abs(d) >= scale:
                m = (d / scale).normalize()
                if -m.as_tuple().exponent <= 2:  # at most two decimals: 1.6 billion, 2.45 million
                    return f"{m:,f} {word}"
                break
    d = d.normalize() if d == d.to_integral_value() else d
    text = f"{d:,f}"
    return text.rstrip("0").rstrip(".") if "." in text else text


def ordinal(value) -> str:
    """``1`` -> ``1st``, ``22`` -> ``22nd``, ``113`` -> ``113th``; a number that is no whole number stays a number."""
    try:
        n = int(Decimal(str(value)))
    except (InvalidOperation, ValueError):
        return str(value)
    if Decimal(str(value)) != n:
        return number(value)
    return f"{n:,}{ordinal_suffix(n)}"


def ordinal_suffix(n: int) -> str:
    """"st", "nd", "rd" or "th": the English ordinal ending of ``n`` (1st, 12th, 22nd)."""
    return "th" if 10 <= n % 100 <= 20 else {1: "st", 2: "nd", 3: "rd"}.get(n % 10, "th")


def date(text: str) -> str:
    """An ISO date at its precision as a reader writes it: ``1 May 2022``, ``October 2014``, ``2021``."""
    m = DATE.match(str(text)[:10])
    if not m:
        return str(text)
    year, month, day = m.groups()
    year = str(int(year))
    if not month or not 1 <= int(month) <= 12:
        return year
    if not day:
        return f"{MONTHS[int(month) - 1]} {year}"
    return f"{int(day)} {MONTHS[int(month) - 1]} {year}"


def _symbol(row: dict, ontology) -> str | None:
    unit = row.get("unit")
    if not unit:
        return None
    if ontology is not None and unit in ontology.units:
        return ontology.unit_symbol(unit)
    return row.get("unit_label") or unit.rstrip("/").rsplit("/", 1)[-1]


def money(value, symbol: str | None) -> str:
    """A sum with its currency before it: ``$1.6 billion``, ``-€5``, ``PLN 20 million`` (a code takes a space)."""
    figure = number(abs(value) if isinstance(value, (int, float)) else value, words=True)
    sign = "-" if isinstance(value, (int, float)) and value < 0 else ""
    if not symbol:
        return sign + figure
    return f"{sign}{symbol}{' ' if symbol[-1].isalpha() else ''}{figure}"


def _scoping(row: dict, ontology) -> dict[str, str]:
    """The row's qualifiers that scope its figure (label -> value), in the row's order."""
    quals = {k: str(v) for k, v in (row.get("qualifiers") or {}).items() if v not in (None, "")}
    prop = ontology.properties.get(row.get("property") or "") if ontology is not None else None
    if prop is None:
        return {k: v for k, v in quals.items() if k not in NON_SCOPING}
    labels = {ontology.properties[q].label for q in prop.scoping if q in ontology.properties}
    return {k: v for k, v in quals.items() if k in labels}


def _the(name: str) -> str:
    return name if name.lower().startswith("the ") else "the " + name


def stated(row: dict, ontology=None) -> str:
    """A claims-listing row's figure as a reader reads it (see the module docstring): ``more than 1,000,000
    people``, ``6th``, ``$1.6 billion``, ``165 km in Lithuania``, ``1 May 2022``, ``Poland``. ``ontology`` (a
    :class:`lithkg.rdf.ontology.Ontology`) gives the property's kind of value, the unit symbols and which qualifiers
    scope the figure (default: the bundled ontology); a property or unit it does not know is read from the row
    (``value_kind``, ``unit_label``) and its unit."""
    if ontology is None:
        ontology = load_ontology()
    kind = value_kind(row, ontology)
    value = row.get("value")
    bound = row.get("bound")
    quals = _scoping(row, ontology)
    after: list[str] = []
    aside: list[str] = []
    if kind == "EntityValue":
        label = row.get("value_label") or ontology.label(value)
        text = label or str(value).rstrip("/").rsplit("/", 1)[-1]
    elif kind == "Date":
        text = date(value)
        if bound in DATE_BOUND_WORDS:
            text = f"{DATE_BOUND_WORDS[bound]} {text}"
        bound = None
    elif kind == "TextValue":
        text = str(value)
    elif kind == "Ordinal":
        text = ordinal(value)
        if "of" in quals:
            after.append("among " + quals.pop("of"))
    elif kind == "Count":
        text = number(value)
        noun = quals.pop("of", None) or COUNTED.get(str(row.get("property") or "").rsplit("/", 1)[-1])
        if noun:
            after.append(noun)
    elif kind == "Money":
        symbol = _symbol(row, ontology)
        text = money(value, symbol)
        if symbol and quals.get("currency", "").upper() in (symbol.upper(), str(row.get("unit")).rsplit("/", 1)[-1]):
            quals.pop("currency")
    else:  # Share, Quantity
        symbol = _symbol(row, ontology)
        text = number(value, words=kind == "Quantity")
        if symbol:
            text += symbol if symbol == "%" else " " + symbol
    if bound in BOUND_WORDS and kind not in ("EntityValue", "TextValue"):
        text = f"{BOUND_WORDS[bound]} {text}"
    for label, v in quals.items():
        if label == "located in":
            after.append("in " + v)
        elif label == "index":
            after.append("in " + _the(v))
        elif label == "investor":
            after.append("from " + v)
        elif label == "range end":
            aside.append(f"{v} end of a range")
        elif label in ("of", "status", "period", "funding round", "part"):
            aside.append(v)
        else:
            aside.append(f"{label}: {v}")
    return " ".join([text, *after]) + (f" ({'; '.join(aside)})" if aside else "")
