"""Quantities: a number with a unit states the unit's property (a length for km, a mass for tonnes), of a
thing named next to it ("the 508 km pipeline"), in a region ("165 km in Lithuania"), planned or actual; a
duration ("took three years"); "31 years after X" (an anniversary of the event X)."""
from __future__ import annotations

import re

from ...model import TimeSpec, Value
from ..entities import EntityMention
from ..values import Mention
from . import measures
from .clauses import PREPOSITION_BEFORE
from .context import EVENT_TYPES, PLANNED, SentenceContext


# "a 1435mm-gauge line" (the gauge), "120 km/h for freight trains" (for freight trains): what the measure is of
PART_AFTER = re.compile(r"-(?=[a-z])|\s+for\s+(?:the\s+|its\s+|their\s+)?(?=[a-z])")


def quantity(ctx: SentenceContext, n: Mention) -> None:
    """A number with a unit: an anniversary or a duration for units of time, else the unit's property."""
    info = ctx.doc.ontology.units.get(n.unit)
    if info is not None and info.iri.endswith("/YR") and _anniversary(ctx, n):
        return
    if info is not None and info.iri.rsplit("/", 1)[-1] in ("YR", "MO", "WK", "DAY", "HR"):
        trig = re.search(r"\b(?:take|takes|took|taking|lasted|lasts|last|lasting|delay of|delayed by|duration of|"
                         r"within)\s+(?:(?:roughly|about|around|some|nearly|up to|at least|more than|over)\s+)?$",
                         ctx.before(n.start, 40), re.I)
        if trig:
            start = n.start - len(ctx.before(n.start, 40)) + trig.start()
            of = "delay" if "delay" in trig.group(0).lower() else None
            ctx.claim(ctx.figure_subject(start), "duration", Value.number(n.value), (start, n.end),
                      unit=n.unit, bound=n.bound, time=ctx.time_for(n.start), qualifiers={"of": of},
                      confidence=0.6)
        return
    if info is None or not info.quantity_property:
        return
    prop = info.quantity_property.rsplit("/", 1)[-1]
    after = ctx.after(n.end, 50)
    subj = None
    adjectival = ctx.text[n.start:n.end].find("-") > 0 or re.match(r"^\s*(?:long|wide|high)?\s*[A-Z]", after)
    noun = _noun_after(ctx, n.end)
    if noun is not None:
        subj, adjectival = noun, True
    elif adjectival:
        subj = next((e for e in ctx.ents if e.start >= n.end and e.start - n.end < 25 and not
                     PREPOSITION_BEFORE.search(ctx.text[max(ctx.sent.start, e.start - 14):e.start])), None)
    if prop == "length" and (re.match(r"^\s*(?:high|tall|above|below|deep)\b", after, re.I) or
                             re.search(r"\b(?:height|altitude|elevation) of\s+$", ctx.before(n.start, 20), re.I)):
        prop = "height"
    if subj is None:
        subj = ctx.figure_subject(n.start)
    quals = {}
    loc = re.match(r"^\s*(?:of\s+it\s+)?(?:(?:lies|lie|runs|run|is|are|located|situated|stretches|stretch)\s+)?"
                   r"(?:in|across|through|within|on)\s+(?:the\s+)?", after, re.I)
    if loc:
        place = next((e for e in ctx.ents if e.start == n.end + loc.end()), None)
        coordinated = place is not None and re.match(r"^\s*(?:,|and)\s+[A-Z]", ctx.text[place.end:place.end + 8])
        if coordinated:
            pass
        elif place is not None and place.info is not None and place.info.has_type("Country", "City", "Place",
                                                                                  "AdministrativeArea"):
            quals["locatedIn"] = place
        elif place is not None and place.how == "minted":
            quals["locatedIn"] = place
    if "locatedIn" not in quals:
        part = re.search(r"(?:(?P<place>[A-Z][\w-]+)['’]s|(?P<adj>[A-Z][a-z]+))\s+(?:section|part|stretch|portion|"
                         r"share|leg|segment)\b[^,;]*$", ctx.before(n.start, 70))
        if part:
            if part.group("adj"):
                info = ctx.doc.gaz.adjective_of.get(part.group("adj"))
                place = EntityMention(0, 0, info.iri, info.label, "name", info) if info else None
            else:
                place = next((e for e in ctx.ents if e.end == n.start - len(ctx.before(n.start, 70))
                              + part.end("place") and e.info is not None
                              and e.info.has_type("Country", "City", "Place")), None)
            if place is not None:
                quals["locatedIn"] = place
                if subj is not None and subj.iri == place.iri:
                    subj = ctx.doc.topic if ctx.doc.topic is not None and ctx.doc.topic.iri != place.iri else None
    if subj is None and prop in ("length", "height"):
        quals["of"] = ctx.unnamed_subject(n.start)  # "The route agreed in 2015 was 534 km": the route's length
    if prop == "speed" and "of" not in quals:  # "240km/h passenger trains": the speed of passenger trains
        moving = measures.after(ctx.text, n.end, ctx.sent.end)
        if moving is not None:
            quals["of"] = moving.key
    if prop not in ("mass", "volume", "energy") and "of" not in quals:
        part = PART_AFTER.match(ctx.text, n.end, ctx.sent.end)
        if part:  # "a 1435mm-gauge line": the gauge; "120 km/h for freight trains": for freight trains
            found = measures.after(ctx.text, part.end(), ctx.sent.end)
            if found is not None and found.key not in ("long", "wide", "high", "tall", "deep"):
                quals["of"] = found.key
    if PLANNED.search(ctx.before(n.start, 60)) or re.search(r"\bplanned\b", after[:25], re.I):
        quals["status"] = "planned"
    if prop in ("mass", "volume", "energy"):
        om = re.match(r"^\s*of\s+(?P<of>[a-z][\w -]{2,30}?)(?=[,.;]|\s(?:in|on|at|from|to|and|was|were|last|this|"
                      r"through|via|by)\b|$)", after)
        quals["of"] = om.group("of") if om else (ctx.np_before(n.start) or None)
        last = ctx.doc.paragraph_claims.get(prop)
        if quals["of"] is None and last is not None and (subj is None or subj.iri == last.subject.iri):
            quals["of"] = next((q.value for q in last.qualifiers if q.property.iri.endswith("/of")), None)
    end = n.end
    if quals.get("locatedIn") is not None and quals["locatedIn"].start >= n.end:
        end = quals["locatedIn"].end
    elif adjectival and subj is not None and subj.start >= n.end:
        end = subj.end
    ctx.claim(subj, prop, Value.number(n.value), (n.start, end), unit=n.unit, bound=n.bound,
              time=ctx.time_for(n.start), qualifiers=quals, confidence=0.8)


def _anniversary(ctx: SentenceContext, n: Mention) -> bool:
    """"31 years (to the day) after the Baltic Way", "50 years since the Pact": an anniversary of the event."""
    m = re.match(r"^\s*(?:to the day\s+)?(?:after|since|from)\s+(?:the\s+)?", ctx.after(n.end, 60), re.I)
    if not m:
        return False
    target = next((e for e in ctx.ents if e.start == n.end + m.end() and e.info is not None
                   and e.info.has_type(*EVENT_TYPES)), None)
    if target is None:
        return False
    time = ctx.time_for(n.start)
    if target.info.date:
        time = TimeSpec(point=str(int(target.info.date[:4]) + int(n.value)), inferred=True)
    ctx.claim(target, "anniversary", Value.number(n.value), (n.start, target.end), time=time, confidence=0.7)
    return True


def _noun_after(ctx: SentenceContext, pos: int) -> EntityMention | None:
    """'the 508 km pipeline', 'a 32 km human chain': a gazetteer noun right after a measure names the thing."""
    m = re.match(r"^[\s-]*(?:long\s+|wide\s+)?(?:[a-z]+[\s-]+)?", ctx.text[pos:pos + 40])
    for noun, infos in sorted(ctx.doc.gaz.nouns.items(), key=lambda kv: -len(kv[0])):
        for start in (pos + len(ctx.text[pos:pos + 3]) - len(ctx.text[pos:pos + 3].lstrip(" -")),
                      pos + (m.end() if m else 0)):
            if ctx.text[start:start + len(noun)].lower() == noun and not ctx.text[start + len(noun):
                                                                                  start + len(noun) + 1].isalpha():
                info = None
                last = ctx.doc.last_by_noun.get(noun)
                years = [d.value[:4] for d in ctx.dates if d.value]
                dated = [i for i in infos if i.date and any(i.date.startswith(y) for y in years)]
                if len(dated) == 1:
                    info = dated[0]
                elif last is not None:
                    info = last.info
                elif len(infos) == 1:
                    info = infos[0]
                if info is not None:
                    return EntityMention(start, start + len(noun), info.iri, info.label, "description", info)
    return None
