"""Claim groups that possibly hold the same quantity: the links of ``lithkg conflicts --possible``.

A claim group is one subject, one property and its scoping qualifiers. Two documents may state one figure under two
keys ("4,500 new companies" and "4,700 companies were registered": ``number of / of: new company`` and ``number
of / of: company``); the two groups then never meet in ``lithkg conflicts``. This module finds such pairs on read,
from the store, and links them as *possibly the same quantity*, with a score and a reason. It never merges them:
nothing is written, and each group keeps its own claims, statuses and preferred value.

Two groups are compared when they have

- the same subject (an IRI, not a label),
- the same kind of value: numbers of the same value kind (the property's ``lkg:valueKind``: counts with counts,
  ranks with ranks, money with money ...) whose units have the same dimension (the same unit, both no unit, or two
  units of the same ``lkg:quantityProperty``, such as km and m, compared after conversion); or dates with dates,
- different keys (the same key is the same group), and at least one word of their keys in common.

The words of a key are the words of its property's label and of its scoping qualifiers' values (an entity's label),
made singular, without the function words :func:`lithkg.model.text_key` drops ("number of / of: new companies"
gives ``number new company``). The score, from 0 to 1 (two decimals):

- the Jaccard index of the two word sets (shared words / all words),
- + 0.1 when one key's words are all in the other's ("company" within "new company"),
- what their closest values say (retracted claims left out): + 0.15 when two are equal (dates: the same date),
  + 0.1 when two are within 10% of each other (dates: one within the other, 1989 and 1989-08-23), nothing within
  25%, - 0.1 when even the closest two differ by more than 25%, - 0.2 when they are more than tenfold apart (a count
  of 12 and one of 4,500 are not the same count).

A pair is kept when its score is at least :data:`THRESHOLD` (0.6). Why 0.6: words alone must carry most of it, and
a weak match on words needs the values to agree. A key that adds one word to a two-word key (``number company``
and ``number new company``: 2/3 + 0.1 = 0.77) passes unless the values are tenfold apart; a one-word key within a
two-word one (``length`` and ``length route``: 0.5 + 0.1) passes only when the values agree (equal or within 10%),
so the length of a whole and the length of its part in one country (``length`` and ``length lithuania``, 508 and
165 km: 0.5 + 0.1 - 0.1) stay apart; two keys that share one word and differ in one each (``number student`` and
``number teacher``: 1/3) never pass, even with equal values (0.33 + 0.15): the same counting word with two different
counted things are two quantities. Keys with no word in common are never linked.

Bounded: groups are compared only within one subject and kind of value; each group is compared with at most
:data:`MAX_CANDIDATES` (50) others, those that share its rarest words first, so the work grows with the number of
groups, not with its square; at most :data:`MAX_LINKS_PER_SUBJECT` (200) links are kept per subject, the best first.
Links come score first (highest first), then by the two groups' labels.
"""
from __future__ import annotations

import dataclasses
import math
import re
from decimal import Decimal

import pyoxigraph as ox

from ..model import date_interval, text_key
from ..rdf import mapping
from ..rdf.mapping import LPQ
from ..session import Session
from ..versioning.corrections import NOT_STATING, link_effects
from ..versioning.stored import corrections as stored_corrections
from .sparql import term_json

THRESHOLD = 0.6
"""The lowest score a pair of groups is linked with (see the module docstring for why 0.6)."""
MAX_CANDIDATES = 50
"""How many other groups of its subject one group is compared with at most."""
MAX_LINKS_PER_SUBJECT = 200
"""How many links one subject keeps at most (the best)."""
SUBSET_BONUS = 0.1
EQUAL_BONUS = 0.15
CLOSE_BONUS = 0.1
CLOSE = Decimal("0.10")
APART = Decimal("0.25")
APART_PENALTY = 0.1
FAR_PENALTY = 0.2
FAR = 10

KIND_NAMES = {"Count": "counts", "Ordinal": "ranks", "Share": "shares", "Money": "amounts of money",
              "Quantity": "quantities", "Date": "dates", "number": "numbers"}

MEMBERS = """
SELECT ?g ?label ?s ?subject_label ?p ?c ?value ?unit ?bound ?time ?source ?quote ?status WHERE {
  ?g a lkg:ClaimGroup ; rdfs:label ?label ; lkg:subject ?s ; lkg:property ?p ; lkg:member ?c .
  ?c lkg:value ?value ; lkg:status ?status ; prov:wasDerivedFrom ?document .
  ?c lkg:evidence/oa:hasSelector/oa:exact ?quote .
  ?document lkg:fileName ?source .
  OPTIONAL { ?s rdfs:label ?subject_label }
  OPTIONAL { ?c lkg:unit ?unit }
  OPTIONAL { ?c lkg:bound ?bound }
  OPTIONAL { ?c lkg:pointInTime ?point }
  OPTIONAL { ?c lkg:startTime ?from }
  BIND(COALESCE(?point, ?from) AS ?time)
} ORDER BY ?g DESC(?status = "preferred") DESC(?time) ?source ?c"""

QUALIFIERS = f"""
SELECT ?g ?q ?v ?vl WHERE {{
  ?g a lkg:ClaimGroup ; ?q ?v . FILTER(STRSTARTS(STR(?q), "{LPQ}"))
  OPTIONAL {{ ?v rdfs:label ?vl }}
}} ORDER BY ?g ?q ?v"""


@dataclasses.dataclass
class Group:
    """One claim group as the comparison sees it."""

    iri: str
    label: str
    subject: str
    subject_label: str
    kind: str                      # the property's value kind (Count, Money, Date ...)
    dims: tuple                    # the dimensions of its units (() for dates, (None,) for no unit)
    words: tuple[str, ...] = ()    # the words of its key, in order
    values: list = dataclasses.field(default_factory=list)  # (comparable, shown) of its current claims
    claims: list[dict] = dataclasses.field(default_factory=list)


def lemma(word: str) -> str:
    """A word's singular, lowercase form ("companies" -> "company", "firms" -> "firm", "status" stays)."""
    w = word.casefold()
    if len(w) > 4 and w.endswith("ies"):
        return w[:-3] + "y"
    if len(w) > 4 and w.endswith(("sses", "shes", "ches", "xes")):
        return w[:-2]
    if len(w) > 3 and w.endswith("s") and not w.endswith(("ss", "us", "is")):
        return w[:-1]
    return w


def words_of(text: str) -> list[str]:
    """The lemmatised words of a text, function words (those :func:`lithkg.model.text_key` drops) left out, in their
    order, each once."""
    out: list[str] = []
    for token in re.findall(r"[^\W_]+", text.replace("\u2019s", "").replace("'s", "")):
        if text_key(token) == "w:":
            continue
        word = lemma(token)
        if word not in out:
            out.append(word)
    return out


def number_text(d: Decimal) -> str:
    """4500 -> '4,500', 0.85 -> '0.85'."""
    return format(d, ",")


# claims that state nothing now: no longer stated by their source, or rejected, amended or withdrawn by a person
NOT_SHOWN = NOT_STATING | {"retracted", "no longer stated"}


def load(session: Session) -> list[Group]:
    """Every claim group with literal values (numbers or dates) and at least one claim that states its value."""
    ontology = session.ontology
    groups: dict[str, Group] = {}
    skip: set[str] = set()
    seen: set[str] = set()
    for r in session.store.select(MEMBERS):
        g = r["g"].value
        if g in skip:
            continue
        value = mapping.term_to_value(r["value"])
        if value.kind not in ("number", "date"):
            skip.add(g)
            continue
        prop = ontology.properties.get(r["p"].value)
        kind = "Date" if value.kind == "date" else (prop.value_kind if prop and prop.value_kind not in (
            "Date", "EntityValue", "TextValue") else "number")
        group = groups.setdefault(g, Group(g, r["label"].value, r["s"].value,
                                           term_json(r.get("subject_label")) or ontology.label(r["s"].value), kind, (),
                                           tuple(words_of(prop.label if prop else ontology.label(r["p"].value)))))
        if r["status"].value in NOT_SHOWN or r["c"].value in seen:
            continue  # (a claim shows once, whatever labels its subject has)
        seen.add(r["c"].value)
        unit = term_json(r.get("unit"))
        shown = value.lexical if value.kind == "date" else number_text(value.decimal)
        if value.kind == "date":
            comparable = date_interval(value.lexical)
            dim = ()
        else:
            info = ontology.units.get(unit) if unit else None
            dim = (info.quantity_property or unit) if info else unit
            factor = Decimal(info.multiplier) if info and info.multiplier and info.quantity_property else Decimal(1)
            comparable = value.decimal * factor
            symbol = ontology.unit_symbol(unit)
            shown += f" {symbol}" if symbol else ""
        group.dims = tuple(sorted(set(group.dims) | {dim}, key=str)) if value.kind == "number" else ()
        group.values.append((comparable, shown))
        group.claims.append({
            "claim": r["c"].value, "value": value.json(), "unit": unit, "unit_label": ontology.unit_symbol(unit),
            "bound": mapping.BOUND_NAMES.get(r["bound"].value) if r.get("bound") else None,
            "time": term_json(r.get("time")), "source": r["source"].value, "quote": r["quote"].value,
            "status": r["status"].value})
    for r in session.store.select(QUALIFIERS):
        group = groups.get(r["g"].value)
        if group is None:
            continue
        text = r["vl"].value if r.get("vl") else ontology.label(r["v"].value) if isinstance(r["v"], ox.NamedNode) \
            else r["v"].value
        group.words += tuple(w for w in words_of(text) if w not in group.words)
    return [g for g in groups.values() if g.claims and g.words and g.iri not in skip]


def closeness(a: Group, b: Group) -> tuple[float, str]:
    """The bonus (or penalty) the two groups' closest values give, and the words that say why."""
    if a.kind == "Date":
        def gap(x, y):  # days between two intervals (0 when they overlap), then the wider one's width
            (lo1, hi1), (lo2, hi2) = x[0], y[0]
            return max((lo2 - hi1).days, (lo1 - hi2).days, 0), abs((hi1 - lo1) - (hi2 - lo2)).days, x[1], y[1]
        x, y = min(((x, y) for x in a.values for y in b.values), key=lambda p: gap(*p))
        (sx, sy) = sorted((x[1], y[1]))
        if x[0] == y[0]:
            return EQUAL_BONUS, f"the same date ({sx})"
        (lo1, hi1), (lo2, hi2) = x[0], y[0]
        if lo1 <= lo2 <= hi2 <= hi1 or lo2 <= lo1 <= hi1 <= hi2:
            return CLOSE_BONUS, f"dates {sx} and {sy}, one within the other"
        return 0.0, f"dates {sx} and {sy} differ"
    best = None
    for x, y in ((x, y) for x in a.values for y in b.values):
        big = max(abs(x[0]), abs(y[0]))
        rel = abs(x[0] - y[0]) / big if big else Decimal(0)
        x, y = sorted((x, y))
        if best is None or (rel, x, y) < best:
            best = (rel, x, y)
    rel, x, y = best
    sx, sy = x[1], y[1]
    if rel == 0:
        return EQUAL_BONUS, f"values are equal ({sx})"
    if rel <= CLOSE:
        return CLOSE_BONUS, f"values {sx} and {sy} are within {max(1, math.ceil(rel * 100))}%"
    lo, hi = sorted((abs(x[0]), abs(y[0])))
    if lo == 0 or hi / lo > FAR:
        return -FAR_PENALTY, f"values {sx} and {sy} are more than tenfold apart"
    return -APART_PENALTY if rel > APART else 0.0, f"values {sx} and {sy} differ by {math.ceil(rel * 100)}%"


def kind_text(a: Group) -> str:
    """'both counts', 'both amounts of money in €', 'both quantities in km and m' ..."""
    name = KIND_NAMES.get(a.kind, a.kind.lower() + "s")
    units = sorted({c["unit_label"] for c in a.claims if c["unit_label"]})
    return f"both {name}" + (f" in {' and '.join(units)}" if units and a.kind != "Share" else "")


def score(a: Group, b: Group) -> tuple[float, str] | None:
    """The pair's score and reason, or None when they share no word."""
    wa, wb = set(a.words), set(b.words)
    shared = wa & wb
    if not shared:
        return None
    jaccard = len(shared) / len(wa | wb)
    subset = wa < wb or wb < wa
    bonus, values = closeness(a, b)
    total = round(min(1.0, max(0.0, jaccard + (SUBSET_BONUS if subset else 0.0) + bonus)), 2)
    words = (f"key words '{' '.join(a.words)}' and '{' '.join(b.words)}' share {len(shared)} of {len(wa | wb)}"
             + (", one within the other" if subset else ""))
    return total, f"same subject, {kind_text(a)}; {words}; {values}"


def pairs(groups: list[Group], *, threshold: float = THRESHOLD) -> list[tuple[Group, Group, float, str]]:
    """The pairs of ``groups`` that possibly hold the same quantity, as (group, other group, score, reason), best
    first: compared within one subject and kind of value only, each group with at most :data:`MAX_CANDIDATES` others
    (those sharing its rarest words first), at most :data:`MAX_LINKS_PER_SUBJECT` kept per subject."""
    buckets: dict[tuple, list[Group]] = {}
    for g in groups:
        buckets.setdefault((g.subject, g.kind, g.dims), []).append(g)
    by_subject: dict[str, list[tuple]] = {}
    for (subject, _, _), bucket in sorted(buckets.items(), key=lambda kv: str(kv[0])):
        bucket.sort(key=lambda g: (g.label, g.iri))
        index: dict[str, list[int]] = {}
        for i, g in enumerate(bucket):
            for w in g.words:
                index.setdefault(w, []).append(i)
        compared: set[tuple[int, int]] = set()
        for i, g in enumerate(bucket):
            seen: set[int] = set()
            for w in sorted(g.words, key=lambda w: (len(index[w]), w)):
                for j in index[w]:
                    if len(seen) >= MAX_CANDIDATES:
                        break
                    if j != i:
                        seen.add(j)
            compared.update((min(i, j), max(i, j)) for j in seen)
        for i, j in sorted(compared):
            scored = score(bucket[i], bucket[j])
            if scored and scored[0] >= threshold:
                by_subject.setdefault(subject, []).append((bucket[i], bucket[j], *scored))
    order = lambda t: (-t[2], t[0].label, t[1].label, t[0].iri, t[1].iri)  # noqa: E731
    found = []
    for links in by_subject.values():
        found.extend(sorted(links, key=order)[:MAX_LINKS_PER_SUBJECT])
    return sorted(found, key=order)


def possible_links(session: Session, *, threshold: float = THRESHOLD) -> list[dict]:
    """Pairs of claim groups that possibly hold the same quantity (see the module docstring), best first: each a
    dict with ``possible`` (True), ``score``, ``reason``, ``group``, ``group_label``, ``other_group``,
    ``other_group_label``, ``subject``, ``subject_label`` and the current claims of both groups (``claims``,
    ``other_claims``: claim, value, unit, unit_label, bound, time, source, quote, status). A link a person refused
    (``lithkg link --refuse``) is left out; one a person accepted has ``decision`` "accepted", with ``decided_by``
    and ``decision_reason``."""
    decided = link_effects(stored_corrections(session))
    out = []
    for a, b, s, reason in pairs(load(session), threshold=threshold):
        decision, record = decided.get(frozenset((a.iri, b.iri)), (None, None))
        if decision == "refused":
            continue  # a person said they are two quantities
        out.append({"possible": True, "score": s, "reason": reason, "group": a.iri, "group_label": a.label,
                    "other_group": b.iri, "other_group_label": b.label, "subject": a.subject,
                    "subject_label": a.subject_label, "claims": a.claims, "other_claims": b.claims,
                    "decision": decision, "decided_by": record.by if record else None,
                    "decision_reason": record.reason if record else None})
    return out
