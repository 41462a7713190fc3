"""Figures: key figures, shares and changes, money.

* **key figures**: "Cities assessed: 42", "Total students: 13,214" (a label, a colon and a value);
* **shares and changes**: "0.06% of GDP", "increased its spending on X by 30%", "15% of electricity", "up 5%";
* **money**: "$100 million", "EUR 558 million", read as funding, valuation, cost, revenue or an amount by the
  words around it.
"""
from __future__ import annotations

import re

from ...model import Value
from ..values import Mention
from . import measures
from . import references
from .context import PLANNED, SentenceContext, header_property

CHANGE_VERBS = re.compile(
    r"\b(?P<verb>increased|increases|increase|raised|raises|grew|grows|grown|rose|rises|risen|climbed|jumped|"
    r"boosted|expanded|went up|decreased|decreases|decrease|cut|cuts|reduced|reduces|fell|falls|fallen|dropped|"
    r"drops|declined|declines|shrank|shrunk|lowered|went down|slid|plunged|gained|lost)\b", re.I)
DOWN_VERBS = {"decreased", "decreases", "decrease", "cut", "cuts", "reduced", "reduces", "fell", "falls", "fallen",
              "dropped", "drops", "declined", "declines", "shrank", "shrunk", "lowered", "went down", "slid",
              "plunged", "lost"}
SERIES = re.compile(r"\b(?:series|Series)\s+[A-H]\b(?:\s+(?:extension|round))?|\bseed round\b|\bpre-seed\b")
WORKS = {"project", "programme", "program", "scheme", "line", "railway", "pipeline", "bridge", "tunnel", "plant",
         "contract", "deal"}
WORTH = re.compile(r"\b(?:the|this|its)\s+(?:(?:entire|whole|total|overall)\s+)?(?P<thing>project|programme|program|"
                   r"scheme|line|railway|pipeline|bridge|tunnel|plant|contract|deal|company|firm|startup|business)\s+"
                   r"(?:is|was|will be|would be|could be)\s+(?:now\s+)?worth\s+(?:(?:about|around|some|roughly|"
                   r"nearly|almost|over|more than|up to)\s+)?$", re.I)
PARTICIPLE_LINK = re.compile(r"\s*(?:estimated|expected|projected|valued|put|calculated|forecast|seen)\s+"
                             r"(?:at|to be|to reach|to total)\s+(?:(?:about|around|some|roughly|nearly|almost|over|"
                             r"more than|up to)\s+)?$")
OWNS_BEFORE = re.compile(r"\b(?:owns?|owned|holds?|held|controls?|controlled)\s+(?:(?:a|an|its|their|the|about|"
                         r"around|some|nearly|almost|over|just)\s+)*$", re.I)
OWNED_AFTER = re.compile(r"\s+(?:(?:stake|share|interest)\s+)?(?:of|in)\s+(?:the\s+)?")
ROUND_WORDS = re.compile(r"(?:\s*\b(?:series|sery|seed|round|funding|financing)\b)+\s*", re.I)
INVESTOR_AFTER = re.compile(r"\s+(?:(?:in\s+)?(?:fresh\s+|new\s+)?(?:funding|financing|investment|capital)\s+)?"
                            r"(?:from|by)\s+(?:the\s+)?(?=[A-Z])")
MONEY_VERB_FRAMES = [("fundingRaised", "raised"), ("valuation", "valued"), ("cost", "cost")]
MONEY_VERB = re.compile(r"\b(?:(?P<raised>raised|raising|raises|raise|secured|securing|banked|picked up|picks up|"
                        r"landed|closed)|(?P<valued>valued|valuing|values)(?:\s+(?:the\s+)?\w+)?\s+at|"
                        r"(?P<cost>cost|costs|costing|require|requires|required|need|needs|needed))\s+"
                        r"(?:(?:about|around|some|roughly|nearly|almost|over|more than|"
                        r"up to|an estimated|a further|another|an additional|a total of)\s+)?$", re.I)
MONEY_FRAMES = [
    ("valuation", re.compile(r"\bvaluation\b|\bvalued\b", re.I)),
    ("fundingRaised", re.compile(r"\braised?\b|\braising\b|\bfunding round\b|\binvestors?\b|\bsecured\b", re.I)),
    ("cost", re.compile(r"\bcosts?\b|\bcosting\b|\bbudget(?:ed)?\b|\bprice\b|\bspent\b|\bspend\b", re.I)),
    ("revenue", re.compile(r"\brevenues?\b|\bturnover\b|\bsales\b|\bincome\b|\bearned\b", re.I)),
    ("funding", re.compile(r"\bgrants?\b|\bgranted\b|\ballocated\b|\baid\b|\bcontribut\w+|\bco-?financ\w+|"
                           r"\bco-?fund\w+|\bfunding\b|\bfunded\b|\bsupport\b|\binvest\w*", re.I)),
]


def key_figures(ctx: SentenceContext) -> bool:
    """A key figure line; True when the line is read (no other rule reads it)."""
    m = re.match(r"^\s*(?:[-*•]\s*|\d{1,2}[.)]\s*)?(?P<label>[A-Z][^:\n]{1,60}?):\s+(?P<rest>.+?)\s*$",
                 ctx.sent.text)
    if not m or len(m.group("rest")) > 60:
        return False
    label = m.group("label").strip()
    if re.match(r"(?i)(?:contact|address|tel|telephone|phone|fax|e-?mail|web|website|postal|office)\b", label):
        return True  # contact details: no claims
    vstart = ctx.sent.start + m.start("rest")
    nums = [n for n in ctx.nums if n.start >= vstart]
    dates = [d for d in ctx.dates if d.start >= vstart and d.value]
    span = (ctx.sent.start + m.start("label"), ctx.sent.end)
    subject = ctx.doc.topic if ctx.doc.topic is not None else None
    prop = header_property(label.lower(), ctx.doc.ontology)
    if prop is not None and prop.value_kind == "Date" and len(dates) == 1:
        ctx.claim(subject, prop.name, Value.date(dates[0].value), span, confidence=0.6)
        return True
    if not nums:
        return False
    n = nums[0]
    rest = nums[1:]
    if rest:
        span = (span[0], n.end)
    if prop is None or prop.value_kind in ("Date", "EntityValue", "TextValue"):
        kind = {"percent": "share", "money": "amount"}.get(n.kind, "count")
        if n.kind == "quantity":
            info = ctx.doc.ontology.units.get(n.unit)
            if info is None or not info.quantity_property:
                return False
            kind = info.quantity_property.rsplit("/", 1)[-1]
        prop = ctx.doc.ontology.property(kind)
    quals = {"of": label} if prop.name in ("count", "share", "amount", "change") else {}
    unit = ctx.doc.unit_iri(n)
    ctx.claim(subject, prop.name, Value.number(n.value), span, unit=unit, bound=n.bound,
              time=ctx.time_for(n.start), qualifiers=quals, confidence=0.6)
    if rest:  # the other numbers of the line are read by the other rules
        ctx.nums = [x for x in ctx.nums if x.start != n.start]
        return False
    return True


def percent(ctx: SentenceContext, n: Mention) -> None:
    """A percentage: an earlier value, the next in a list, a share of GDP, a change ("grew by 5%", "up 5%",
    "5% more than"), or a share of something ("15% of electricity")."""
    value = Value.number(n.value)
    if references.prior_value(ctx, n, value) or references.share_after(ctx, n) or \
            references.list_pair(ctx, n, value):
        return
    after, before = ctx.after(n.end, 80), ctx.before(n.start, 100)
    unit = "http://qudt.org/vocab/unit/PERCENT"
    gdp = re.match(r"^\s*of\s+(?:the\s+country['’]s\s+|its\s+|their\s+|our\s+|the\s+|\w+['’]s\s+)?"
                   r"(?:GDP|gross domestic product)\b", after, re.I)
    period = ctx.period(n.end)
    owner = OWNS_BEFORE.search(before)
    owned = OWNED_AFTER.match(after) if owner else None
    if owned:  # "the state owns 100% of X", "holds a 40% stake in X": a share of X, owned by the owner
        target = next((e for e in ctx.ents if e.start == n.end + owned.end()), None)
        holder = ctx.figure_subject(n.start - len(before) + owner.start())
        if target is not None:
            ctx.claim(target, "share", value, (n.start, target.end), unit=unit, bound=n.bound,
                      time=ctx.time_for(n.start), qualifiers={"of": "ownership", "owner": holder}, confidence=0.7)
            return
    if gdp:
        subj = ctx.figure_subject(n.start)
        ctx.claim(subj, "shareOfGdp", value, (n.start, n.end + gdp.end()), unit=unit, bound=n.bound,
                  time=ctx.time_for(n.start), qualifiers={"period": period}, confidence=0.85)
        return
    by = re.search(r"\bby\s+(?:(?:some|about|around|nearly|almost|over|more than)\s+)?$", before, re.I) or \
        re.search(r"\b(?:up|down)\s+$", before, re.I)
    # the change verb of the number's own clause ("..., while container traffic was up 5.6%" is not "shrank")
    clause_before = re.split(r"[,;]|\bwhile\b|\bwhereas\b", before)[-1]
    offset = len(before) - len(clause_before)
    verbs = list(CHANGE_VERBS.finditer(clause_before))
    verb = verbs[-1] if verbs else None
    if verb is not None and (by or before.endswith(verb.group(0) + " ")):
        sign = -1 if verb.group("verb").lower() in DOWN_VERBS else 1
        vstart = n.start - len(before) + offset + verb.start()
        obj = before[offset + verb.end():by.start() if by else len(before)]
        obj = re.sub(r"^\s*(?:its|their|our|the|his|her)\s+", "", obj).strip()
        subj = ctx.figure_subject(vstart)
        if not obj:
            obj = ctx.np_before(vstart)
        ctx.claim(subj, "change", Value.number(n.value * sign), (vstart, n.end), unit=unit, bound=n.bound,
                  time=ctx.time_for(n.start), qualifiers={"of": obj, "period": period}, confidence=0.8)
        return
    updown = re.search(r"\b(?:was|were|is|are|went|is now)?\s*(?P<dir>up|down)\s+(?:by\s+)?$", before, re.I)
    lessmore = re.match(r"^\s*(?P<dir>less|more|lower|higher|fewer|smaller|larger|bigger)\s+than\b", after, re.I)
    if updown or lessmore:
        down = (updown and updown.group("dir").lower() == "down") or \
            (lessmore and lessmore.group("dir").lower() in ("less", "lower", "fewer", "smaller"))
        start = n.start - len(before) + updown.start() if updown else n.start
        obj = ctx.np_before(start)
        subj = ctx.figure_subject(start)
        end = n.end + (lessmore.end() if lessmore else 0)
        ctx.claim(subj, "change", Value.number(-n.value if down else n.value), (start, end), unit=unit,
                  bound=n.bound, time=ctx.time_for(n.start), qualifiers={"of": obj or None, "period": period},
                  confidence=0.7)
        return
    inc = re.match(r"^\s*(?:increase|rise|growth|jump|decrease|drop|fall|decline|cut|reduction)\s+in\s+"
                   r"(?P<of>[\w’' -]+?)(?=[,.;]|\s(?:in|since|from|over|during|compared)\b|$)", after, re.I)
    if inc:
        sign = -1 if re.match(r"^\s*(?:decrease|drop|fall|decline|cut|reduction)", after, re.I) else 1
        ctx.claim(ctx.figure_subject(n.start), "change", Value.number(n.value * sign),
                  (n.start, n.end + inc.end()), unit=unit, bound=n.bound, time=ctx.time_for(n.start),
                  qualifiers={"of": inc.group("of")}, confidence=0.75)
        return
    of = re.match(r"^\s*(?:of|share of)\s+(?:the\s+|its\s+|their\s+|our\s+|all\s+)?(?P<of>[\w’' -]+?)"
                  r"(?=[,.;]|\s(?:in|was|is|were|are|came|comes|and|by|from|since|for|at)\b|$)", after, re.I)
    what = of.group("of") if of else ctx.np_before(n.start)
    if of:  # "20% of these members have ...": the lemmas of the noun phrase, not the words after it
        found = measures.after(ctx.text, n.end + of.start("of"), ctx.sent.end)
        what = found.key if found is not None else what
    place_np = re.search(r"(?P<of>\b[A-Za-z][\w -]{2,40}?)\s+in\s+(?P<place>[A-Z][\w-]+)\s+(?:stood|was|is|reached|"
                         r"came|amounted|remained)\s+(?:at\s+|to\s+)?(?:about\s+|some\s+)?$", before)
    if not of and place_np:
        place = next((e for e in ctx.ents if e.start == n.start - len(before) + place_np.start("place")), None)
        start = n.start - len(before) + place_np.start("of")
        ctx.claim(place, "share", value, (start, n.end), unit=unit, bound=n.bound, time=ctx.time_for(n.start),
                  qualifiers={"of": place_np.group("of").strip().lower(), "period": period}, confidence=0.6)
        return
    if not what and n.spelled:  # "a two-thirds majority", "three quarters covered by the budget"
        found = measures.after(ctx.text, n.end, ctx.sent.end)
        what = found.key if found is not None else None
    if not what:
        return
    end = n.end + (of.end() if of else 0)
    start = n.start if of else max(ctx.sent.start, n.start - len(before) + max(0, before.lower().rfind(
        what.split()[0].lower())))
    ctx.claim(ctx.figure_subject(start), "share", value, (start, end), unit=unit, bound=n.bound,
              time=ctx.time_for(n.start), qualifiers={"of": what, "period": period}, confidence=0.6)


MULTIPLES = {"doubled": 100, "double": 100, "doubles": 100, "tripled": 200, "triple": 200, "trebled": 200,
             "quadrupled": 300, "halved": -50}
AUXILIARY_END = re.compile(r"\s+(?:to|will|would|has|have|had|is|was)\s*$")
MULTIPLE_RE = re.compile(r"\b(?P<verb>" + "|".join(MULTIPLES) + r")\b", re.I)


def multiples(ctx: SentenceContext) -> None:
    """"sales doubled in 2021", "expects annual sales to double": a change of +100% (+200% tripled, -50% halved)
    of the noun phrase before the verb (or after "to see")."""
    for m in MULTIPLE_RE.finditer(ctx.sent.text):
        vs, ve = ctx.sent.start + m.start(), ctx.sent.start + m.end()
        if m.group("verb").lower() in ("double", "triple") and not re.search(r"\b(?:to|will|would)\s+(?:\w+\s+)?$",
                                                                            ctx.text[max(ctx.sent.start, vs - 15):vs]):
            continue  # "a double room": an adjective
        head = AUXILIARY_END.sub("", ctx.text[ctx.sent.start:vs])  # "sales will double": the phrase before "will"
        found = measures.ending(ctx.text, ctx.sent.start + len(head), ctx.clause(vs)[0])
        if found is None:
            continue
        ctx.claim(ctx.figure_subject(found.start), "change", Value.number(MULTIPLES[m.group("verb").lower()]),
                  (found.start, ve), unit="http://qudt.org/vocab/unit/PERCENT", time=ctx.time_for(vs),
                  qualifiers={"of": found.key}, confidence=0.6)


def range_start(ctx: SentenceContext, n: Mention) -> int:
    """Where the range a figure ends begins ("€1.7bn-2.1bn": the low end's start), or the figure's own start."""
    if n.range_role != "high":
        return n.start
    low = next((m for m in reversed(ctx.nums) if m.end <= n.start and m.range_role == "low"), None)
    return low.start if low is not None else n.start


def money(ctx: SentenceContext, n: Mention) -> None:
    """An amount of money. What it is the value of is the noun phrase it measures (:mod:`.measures`): a phrase
    whose head is a frame's measure noun gives that property ("the total cost of X is €5bn", "a €2bn
    valuation"), with the other words as 'of' ("maintenance costs would total €909m" is a cost of
    maintenance); any other phrase is an amount of it ("a residual value of €255m"). A figure with no such
    phrase is read by the nearest money verb (:data:`MONEY_FRAMES`: "raised $100m", "valued at $1bn")."""
    info = ctx.doc.ontology.unit(n.unit)
    if info is None:
        return
    value = Value.number(n.value)
    if references.prior_value(ctx, n, value) or references.conversion(ctx, n) or references.to_value(ctx, n) or \
            references.list_pair(ctx, n, value):  # "Estonia €268m, Latvia €393m": the same sum for the next name
        return
    anchor = range_start(ctx, n)  # "€1.7bn-2.1bn": both ends measure what stands before the range
    c0, _ = ctx.clause(anchor)
    quals: dict = {}
    found = measures.after(ctx.text, n.end, ctx.sent.end) or \
        measures.before(ctx.text, anchor, max(c0, ctx.sent.start))
    participle = PARTICIPLE_LINK.match(ctx.text, c0, anchor) if found is None else None
    if participle and c0 > ctx.sent.start:  # "Benefits, estimated at €16bn, will ...": the phrase before the comma
        found = measures.ending(ctx.text, ctx.text.rfind(",", ctx.sent.start, c0), ctx.sent.start)
    prop = None
    span = (n.start, n.end)
    worth = WORTH.search(ctx.text, max(c0, anchor - 60), anchor)
    verb = MONEY_VERB.search(ctx.text, max(c0, n.start - 45), n.start)
    if worth is not None:  # "the project is worth $2bn" is its cost, "the company is worth $2bn" its valuation
        prop = "cost" if worth.group("thing").lower() in WORKS else "valuation"
        span = (worth.start(), n.end)
    elif verb is not None:  # "raised $100m of investment", "valuing the company at $5bn", "will cost €15bn"
        prop = next(p_ for p_, name in MONEY_VERB_FRAMES if verb.group(name))
        span = (verb.start(), n.end)
        if found is not None and found.start > n.start:
            framed, _ = ctx.doc.measure_frame(found, "Money")
            if framed is not None and framed != prop:
                prop = framed
    elif found is not None:
        prop, rest = ctx.doc.measure_frame(found, "Money")
        if prop is None:
            prop, rest = "amount", found.key
        quals["of"] = rest or None
        span = (min(n.start, found.start), max(n.end, found.end))
    else:
        w0 = max(ctx.sent.start, n.start - 60)
        window = ctx.text[w0:min(ctx.sent.end, n.end + 30)]
        best = None
        for p_, rx in MONEY_FRAMES:
            for m in rx.finditer(window):
                pos = w0 + m.start()
                dist = n.start - (w0 + m.end()) if pos < n.start else pos - n.end
                if best is None or dist < best[0]:
                    best = (dist, p_)
        prop = best[1] if best and best[0] <= 12 else "amount"
        if prop == "amount":  # what the sum is of cannot be told: keyed by the words before it, never lumped
            words = re.findall(r"[a-z]{3,}", ctx.before(anchor, 40).split(" ", 1)[-1])  # whole words only
            quals["of"] = ctx.np_before(anchor) or " ".join(words[-3:])
    series = SERIES.search(ctx.text, ctx.sent.start, ctx.sent.end)
    if series and prop in ("fundingRaised", "amount"):
        prop = "fundingRaised"
        quals["round"] = re.sub(r"\s+round$", "", series.group(0), flags=re.I).title()  # "Series B round": Series B
        if isinstance(quals.get("of"), str) and ROUND_WORDS.fullmatch(quals["of"]):
            del quals["of"]  # "$100m series C funding round": the round says it
    investor = INVESTOR_AFTER.match(ctx.text, n.end, ctx.sent.end) if prop == "fundingRaised" else None
    if investor:  # "$75m from Dexcom": that investor's part of the round, another quantity than the round
        quals["investor"] = next((e for e in ctx.ents if e.start == investor.end()), None)
    if PLANNED.search(ctx.text[max(ctx.sent.start, n.start - 60):n.end]) and prop in ("amount", "revenue"):
        quals["status"] = "planned"
    if n.range_role:
        quals["rangeEnd"] = n.range_role
    quals["currency"] = n.unit  # an amount and its conversion into another currency are two figures
    if n.per:  # "€26m per km": a cost per unit is another quantity than the cost
        quals["of"] = " ".join(x for x in (quals.get("of") if isinstance(quals.get("of"), str) else None,
                                           "per", measures.per_key(n.per)) if x)
    subject = ctx.figure_subject(n.start)
    place = ctx.place_scope(n.start, n.end)
    if place is not None and (subject is None or subject.iri != place.iri):
        quals["locatedIn"] = place
    ctx.claim(subject, prop, value, span, unit=info.iri, bound=n.bound,
              time=ctx.time_for(n.start), qualifiers=quals, confidence=0.75 if prop != "amount" else 0.5)
