"""Figures that refer to a figure just stated: an earlier value of it ("down from 9%", "last year's 23,280"),
the same quantity at another date in an elliptical list ("300 in 2015, 1,000 in 2016"), that figure as a share of
its whole ("12,300, or 4.2 percent"), and the same quantity for the next name in a list ("Estonia 38.5%,
Lithuania 31.9%"). Each takes the sentence being read and returns whether it read the figure.
"""
from __future__ import annotations

import dataclasses
import re

from ...model import Claim, TimeSpec, Value
from ..values import Mention
from .context import SentenceContext

# an earlier value of the figure just stated: "down from 9%", "last year's 23,280", "rather than the previous estimate
# of €5.8bn", "compared with 12", "the lowest since 1943, when it was 17,562"
PRIOR = re.compile(r"(?:\b(?:(?:up|down|rising|falling|climbing|dropping|increasing|decreasing|rose|fell)\s+)?from|"
                   r"\b(?:last|the previous|a year earlier|the prior)\s+(?:year|month|quarter)['’]s|"
                   r"\bcompared (?:with|to)|\b(?:rather than|instead of|up on|down on)(?:\s+(?:the|a|an))?"
                   r"(?:\s+(?:previous|earlier|original|initial|former))?(?:\s+[a-z]+)?(?:\s+of)?|"
                   r"(?P<when>\bwhen\s+(?:it|the\s+\w+|they)\s+(?:was|were|sat at|stood at|reached|totalled)))\s+$",
                   re.I)
ELLIPSIS_BEFORE = re.compile(r"(?:,|;|\band|\bthen|\bwhile)\s+(?:(?:as many as|some|about|around|over|more than|"
                             r"nearly|almost|just|only)\s+)?$", re.I)
ELLIPSIS_AFTER = re.compile(r"\s+(?:in|for|during|by)\s+(?:the\s+(?:year\s+)?)?\d")
FROM_TO = re.compile(r"\bfrom\s+(?P<rest>[^,;]{1,80}?)\s+to\s+(?:(?:about|around|some|nearly|almost|just)\s+)?$", re.I)
CONVERSION_BEFORE = re.compile(r"[(\[]\s*(?:about|around|some|roughly|or)?\s*$")
PARTITIVE_AFTER = re.compile(r"\s+of\s+(?:them|these|those|which|whom)\b")
PART_DATED = re.compile(r"\s+(?:were|was|have been|had been)\s+(?:\w+\s+)?(?:founded|registered|established|created|"
                        r"added|set up|opened|launched|built|made|sold|issued)\s+in\s+(?P<y>(?:19|20)\d\d)\b")
SHARE_AFTER = re.compile(r"(?:,\s*or|\(|,\s*(?:that is|which is|i\.e\.))\s*(?:about\s+|some\s+|around\s+|nearly\s+)?$",
                         re.I)


def _name(iri: str) -> str:
    return iri.rsplit("/", 1)[-1]


def qualifiers_of(claim: Claim) -> dict:
    """A claim's qualifiers by name, as :meth:`.context.DocumentContext.emit` takes them."""
    return {_name(q.property.iri): q.value for q in claim.qualifiers}


def again(ctx: SentenceContext, last: Claim, value: Value, span: tuple[int, int], *, time: TimeSpec, bound,
          confidence: float = 0.6, unit: str | None = None, qualifiers: dict | None = None, subject=None) -> None:
    """Claim ``value`` as the same quantity ``last`` states: its property, qualifiers (or ``qualifiers``), unit (or
    ``unit``) and subject (or ``subject``, an entity of this sentence)."""
    ctx.doc.emit(subject, _name(last.property.iri), value, span, unit=unit or last.unit, bound=bound, time=time,
                 confidence=confidence, qualifiers=qualifiers_of(last) if qualifiers is None else qualifiers,
                 subject_term=None if subject is not None else last.subject)


def prior_value(ctx: SentenceContext, n: Mention, value: Value) -> bool:
    """"(up|down) from 42.1% a year earlier", "up from ninth": the same quantity's earlier value."""
    said = PRIOR.search(ctx.before(n.start, 60))
    if not said or n.range_role:
        return False
    if said.group(0).strip().lower() == "from" and (
            re.match(r"\s*(?:to|-|–)\s*\d", ctx.after(n.end, 8)) or
            re.match(r"\s+[a-z]", ctx.after(n.end, 3))):
        return False  # "from 0 to 100" is a range, "1,742 from 95 countries" a count of its own
    last = last_figure(ctx, n, ranks=True, unit=ctx.doc.unit_iri(n) if n.kind == "money" else None)
    if last is None:
        return False
    after = ctx.after(n.end, 40)
    time = TimeSpec()
    year = last.time.point[:4] if last.time.point else None
    m = re.match(r"^\s*(?:a year earlier|the (?:previous|year before|year earlier)|last year)", after, re.I)
    d = next((x for x in ctx.dates if x.start >= n.end and x.start - n.end < 12 and x.value), None)
    if d is None and said.group("when"):  # "the lowest since 1943, when it was 17,562"
        d = next((x for x in reversed(ctx.dates) if x.end <= n.start and n.start - x.end < 45 and x.value), None)
    if d is not None:
        time = TimeSpec(point=d.value)
    elif year:  # "up from 9%", "a year earlier": the year before the figure's
        time = TimeSpec(point=str(int(year) - 1), inferred=True)
    end = n.end + (m.end() if m else 0)
    again(ctx, last, value, (n.start, end), time=time, bound=n.bound)
    return True


def last_figure(ctx: SentenceContext, n: Mention, *, same_sentence: bool = True, percent: bool | None = None,
                ranks: bool = False, unit: str | None = None) -> Claim | None:
    """The last numeric claim before ``n`` in this sentence (or the one before), a percentage when ``n`` is one
    (or as ``percent`` says), in ``unit`` when one is given; a rank or position only when ``ranks`` and ``n`` is an
    ordinal."""
    lo = ctx.sent.start if same_sentence else ctx.doc.sentence_before
    wants_rank = ranks and n.kind == "ordinal"
    return next((c for c in reversed(ctx.doc.claims_out[-6:]) if c.evidence.start >= lo
                 and c.value.kind == "number" and c.evidence.end <= n.start
                 and wants_rank == c.property.iri.endswith(("/rank", "/orderAmong"))
                 and (unit is None or c.unit == unit)
                 and ((n.kind == "percent") if percent is None else percent) == (c.unit or "").endswith("PERCENT")),
                None)


def partitive(ctx: SentenceContext, n: Mention) -> bool:
    """"113,341 people became members, and 30,813 of them ...": a count of part of what a count just before
    counted; it counts the same things, marked as a part (a share right after it, "or 27 percent", is then of
    them too)."""
    m = PARTITIVE_AFTER.match(ctx.after(n.end, 20))
    if n.kind != "number" or not m:
        return False
    last = last_figure(ctx, n, same_sentence=False, percent=False)
    if last is None or not last.property.iri.endswith("/count"):
        return False
    quals = qualifiers_of(last)
    quals.pop("rangeEnd", None)
    year = PART_DATED.match(ctx.text, n.end + m.end(), ctx.sent.end)
    if year and "of" in quals and not quals["of"].lexical.startswith("new "):
        quals["of"] = f"new {quals['of'].lexical}"  # "4,700 of which were founded in 2021": that year's new ones
        time = TimeSpec(point=year.group("y"))
    else:
        quals["part"] = "subset"
        time = last.time
    ctx.doc.emit(None, "count", Value.number(n.value), (n.start, n.end + m.end()), bound=n.bound, time=time,
                 confidence=0.5, qualifiers=quals, subject_term=last.subject)
    return True


def conversion(ctx: SentenceContext, n: Mention) -> bool:
    """"€1.6 billion ($1.7 billion)": a sum in brackets right after a sum in another currency is the same figure
    converted; it keeps the first's property and qualifiers, with its own currency."""
    if n.kind != "money" or not CONVERSION_BEFORE.search(ctx.before(n.start, 6)):
        return False
    last = next((c for c in reversed(ctx.doc.claims_out[-3:]) if c.evidence.start >= ctx.sent.start
                 and 0 <= n.start - c.evidence.end <= 6 and c.value.kind == "number" and c.unit
                 and c.unit != ctx.doc.unit_iri(n)), None)
    if last is None:
        return False
    again(ctx, last, Value.number(n.value), (n.start, n.end), time=last.time, bound=n.bound,
          unit=ctx.doc.unit_iri(n), qualifiers=qualifiers_of(last) | {"currency": n.unit})
    return True


def to_value(ctx: SentenceContext, n: Mention) -> bool:
    """"fell from 3.85 deaths per 1,000 births to 3.49": the figure after "to" is the same quantity as the one
    after "from", now."""
    m = FROM_TO.search(ctx.before(n.start, 100))
    if not m or n.range_role == "high":
        return False
    start = n.start - len(ctx.before(n.start, 100)) + m.start("rest")
    last = next((c for c in reversed(ctx.doc.claims_out[-4:]) if c.evidence.start >= start - 1
                 and c.evidence.start >= ctx.sent.start and c.value.kind == "number"
                 and (n.kind == "percent") == (c.unit or "").endswith("PERCENT")), None)
    if last is None:
        return False
    again(ctx, last, Value.number(n.value), (n.start, n.end), time=ctx.time_for(n.start), bound=n.bound)
    return True


def elliptical(ctx: SentenceContext, n: Mention) -> bool:
    """"300 new firms in 2015, 1,000 in 2016 and as many as 4,000 in 2018": a bare figure with a date, in a
    list after a figure, is the same quantity at that date."""
    if not ELLIPSIS_BEFORE.search(ctx.before(n.start, 25)) or not ELLIPSIS_AFTER.match(ctx.after(n.end, 25)):
        return False
    last = last_figure(ctx, n)
    d = next((x for x in ctx.dates if x.start >= n.end and x.start - n.end < 12 and x.value), None)
    if last is None or d is None:
        return False
    again(ctx, last, Value.number(n.value), (n.start, d.end), time=TimeSpec(point=d.value), bound=n.bound)
    return True


def share_after(ctx: SentenceContext, n: Mention) -> bool:
    """"12,300, or 4.2 percent", "grew by 105,900 (2.07%)": a percentage right after a figure is that figure as a
    share of its whole (a change's rate, for a change)."""
    if not SHARE_AFTER.search(ctx.before(n.start, 15)):
        return False
    last = last_figure(ctx, n, percent=False)
    if last is None or last.unit and last.unit.endswith("PERCENT") or n.start - last.evidence.end > 15:
        return False
    prop = _name(last.property.iri)
    of = next((q.value.lexical for q in last.qualifiers if q.property.iri.endswith("/of")), last.property.label)
    ctx.doc.emit(None, "change" if prop in ("difference", "change") else "share", Value.number(n.value),
                  (n.start, n.end), unit="http://qudt.org/vocab/unit/PERCENT", bound=n.bound, time=last.time,
                  confidence=0.6, qualifiers={"of": of}, subject_term=last.subject)
    return True


def list_pair(ctx: SentenceContext, n: Mention, value: Value) -> bool:
    """"Estonia 38.5%, Lithuania 31.9%": a figure right after a name, in a list, is the same quantity for it."""
    last = ctx.doc.last_claim
    ent = next((e for e in ctx.ents if e.how in ("name", "minted") and 0 <= n.start - e.end <= 1), None)
    if last is None or ent is None or last.evidence.start < ctx.sent.start or last.subject.iri == ent.iri:
        return False
    again(ctx, last, value, (ent.start, n.end), time=last.time, bound=n.bound, confidence=0.5, subject=ent)
    return True


DEFINITE_BEFORE = re.compile(r"\b(?:the|this|that|these|those)\s+$", re.I)


def _restates(claim: Claim) -> bool:
    """Whether a figure is distinctive enough to be a restatement of an equal one: a sum, a share, a measure, or a
    number of four digits or more (a small count repeats by chance)."""
    try:
        return bool(claim.unit) or abs(float(claim.value.lexical)) >= 1000
    except ValueError:
        return False


def restatements(claims: list[Claim], text: str, headings: list[tuple[int, int]]) -> list[Claim]:
    """A headline's figure, and a figure said again with "the" ("the $75 million in fresh funding"), restate a
    figure the body states in full: when exactly one fuller reading of the same value, unit and subject exists (in
    the body for a headline, before it for "the"), and it keeps every scoping qualifier the short one has, the
    short one takes its property and scoping qualifiers (its own cited source stays). A headline abbreviates; it
    does not make a quantity of its own."""
    out = list(claims)
    for i, c in enumerate(claims):
        if c.value.kind != "number" or not _restates(c):
            continue
        in_heading = any(s <= c.evidence.start < e for s, e in headings)
        definite = DEFINITE_BEFORE.search(text[max(0, c.evidence.start - 8):c.evidence.start])
        if not in_heading and not definite:
            continue
        mine = {(q.property.iri, q.group_value) for q in c.qualifiers if q.scoping}
        fuller = {b.group_key(): b for j, b in enumerate(claims)
                  if j != i and b.value == c.value and b.unit == c.unit and b.subject.iri == c.subject.iri
                  and b.group_key() != c.group_key()
                  and not any(s <= b.evidence.start < e for s, e in headings)
                  and (in_heading or b.evidence.end <= c.evidence.start)
                  and mine <= {(q.property.iri, q.group_value) for q in b.qualifiers if q.scoping}}
        if len(fuller) != 1:
            continue
        b = next(iter(fuller.values()))
        quals = tuple(q for q in b.qualifiers if q.scoping) + tuple(q for q in c.qualifiers if not q.scoping)
        out[i] = dataclasses.replace(c, property=b.property, qualifiers=quals)
    return out
