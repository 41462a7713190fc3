"""Dates: an event verb ("launched on", "was inaugurated in", "adopted in March"), a planned date
("originally planned for 2026", "due to begin in May"), a state that began then ("In 2013 X became the first
..."), "since the beginning of April", and a named (or an unnamed, dated) event next to a date."""
from __future__ import annotations

import re

from ...model import TimeSpec, Value
from ..dates import DateMention
from .context import EVENT_TYPES, PARTICIPATION, SentenceContext

EVENT_VERBS = {
    "inception": r"launched|inaugurated|opened|founded|established|commissioned|completed|set up|built|created|"
                 r"started operating|began operating|went into operation|entered (?:\w+ )?service|dates back to",
    "date": r"adopted|signed|was held|were held|took place|was made|were made|was taken|were taken|approved|passed|"
            r"enacted|ratified|"
            r"took effect|came into force|happened|occurred",
}
EVENT_VERBS["firstMentioned"] = r"first mentioned|first recorded|first documented"
PASSIVE_BEFORE = re.compile(r"\b(?:was|were|been|be|is|are|being|got)\s+(?:\w+ly\s+)?$", re.I)


def event_verbs(ctx: SentenceContext) -> None:
    """An event verb near a date: "launched on", "was inaugurated in", "adopted in March"."""
    s = ctx.sent
    for prop, verbs in EVENT_VERBS.items():
        for m in re.finditer(rf"\b(?:{verbs})\b", s.text, re.I):
            vs, ve = s.start + m.start(), s.start + m.end()
            date = _date_after(ctx, ve) or _nearest_date(ctx, vs, ve, window=70)
            if date is None:
                continue
            passive = bool(PASSIVE_BEFORE.search(ctx.text[max(s.start, vs - 20):vs])) or \
                m.group(0).lower().startswith(("was ", "were ")) or \
                m.group(0).lower() in ("took place", "happened", "occurred", "opened", "started operating",
                                       "began operating", "went into operation", "entered service",
                                       "came into force", "took effect")
            subj = None
            if not ctx.text[s.start:vs].strip() and m.group(0).lower().endswith("ed"):
                # "Founded in 1632 by ..., the University of Tartu is ...": the main clause's subject
                comma = ctx.text.find(",", ve, s.end)
                subj = ctx.subject_after(comma) if comma > 0 else None
                passive = True
            if not passive:
                subj = next((e for e in ctx.ents if e.start >= ve and e.start - ve < 40
                             and (e.info is None or not e.info.has_type("Country", "City", "Place"))), None)
            if subj is None and ctx.text[s.start:vs].strip():
                subj = ctx.subject_before(vs)
            if subj is None or subj.how in ("pronoun", "possessive"):
                continue
            if prop == "date" and not (subj.how in ("minted", "description") or subj.has_type(*EVENT_TYPES)):
                continue
            if prop == "inception" and subj.has_type("Country", "City", "Place"):
                continue
            span = (min(date.start, vs), max(date.end, ve))
            ctx.used_dates.add(date.start)
            ctx.claim(subj, prop, Value.date(date.value), span, confidence=0.8)


def planned_dates(ctx: SentenceContext) -> None:
    """"originally planned for 2026", "now expected in 2030", "due to begin in May": a planned date."""
    s = ctx.sent
    for d in ctx.dates:
        if not d.value or d.start in ctx.used_dates or d.relative:
            continue
        pm = re.search(r"\b(?:(?P<st>originally|initially|first|now|currently|still|newly)\s+)?"
                       r"(?P<verb>planned|scheduled|expected|due|set|slated|foreseen|projected)\s+"
                       r"(?:to\s+(?P<v2>[a-z]+)\s+(?:\w+\s+)?)?(?:for|in|by|from|on|at)\s+(?:the\s+)?$",
                       ctx.text[max(s.start, d.start - 60):d.start], re.I)
        if pm is None:
            continue
        ps = max(s.start, d.start - 60) + pm.start()
        status = "original plan" if (pm.group("st") or "").lower() in ("originally", "initially", "first") \
            else "current expectation"
        what = "start" if (pm.group("v2") or "").lower() in ("begin", "start", "commence", "launch") else \
            "completion"
        anchor = ps
        rel = re.search(r",\s+(?:on|in|at|for|by)?\s*which\b[^,]*$", ctx.text[s.start:ps])
        if rel:  # "X, the ... line ..., on which trains are due": back past the appositive to X
            anchor = s.start + rel.start()
            while True:
                prev = ctx.text.rfind(",", s.start, anchor)
                if prev < 0 or not re.match(r",\s+(?:the|a|an)\s", ctx.text[prev:anchor]):
                    break
                anchor = prev
        subj = ctx.subject_before(anchor, allow_objects=True) or ctx.doc.topic or ctx.subject_after(d.end)
        if subj is not None and subj.how == "possessive":
            subj = None  # the document's focus
        value = d.value
        if d.yearless and ctx.doc.doc_date and value < ctx.doc.doc_date[:len(value)]:
            value = str(int(value[:4]) + 1) + value[4:]  # a plan's "May" is the coming May
        ctx.used_dates.add(d.start)
        ctx.claim(subj, "plannedDate", Value.date(value), (ps, d.end),
                  time=TimeSpec(point=ctx.doc.doc_date[:4], inferred=True) if ctx.doc.doc_date else TimeSpec(),
                  qualifiers={"of": what, "status": status}, confidence=0.6)


def became(ctx: SentenceContext) -> None:
    """"In 2013 we became the first capital to offer free transport": a state that began then."""
    s = ctx.sent
    for m in re.finditer(r"\b(?:became|has become|have become|becoming)\s+", s.text):
        bs, be = s.start + m.start(), s.start + m.end()
        date = _nearest_date(ctx, bs, be, window=40)
        if date is None or date.relative:
            continue
        subj = ctx.subject_before(bs) or (ctx.doc.topic if ctx.doc.topic else None)
        if subj is None or subj.how == "possessive":
            continue
        state = " ".join(re.split(r"[,;.]", ctx.text[be:s.end], maxsplit=1)[0].split()[:10])
        ctx.used_dates.add(date.start)
        ctx.claim(subj, "since", Value.date(date.value), (min(date.start, bs), be + len(state)),
                  qualifiers={"of": state}, confidence=0.6)


def since(ctx: SentenceContext) -> None:
    """"since the beginning of April, X has been ...": a state since a date."""
    s = ctx.sent
    for d in ctx.dates:
        pre = ctx.text[max(s.start, d.start - 8):d.start].lower()
        if d.value and re.search(r"\bsince\s+$", pre):
            clause = ctx.clause(d.start)
            if any(clause[0] <= v.start < clause[1] for v in ctx.nums + ctx.ords):
                continue
            initial = not ctx.text[clause[0]:d.start - 6].strip()
            subj = (ctx.subject_after(d.end) if initial else ctx.subject_before(d.start)) or \
                ctx.subject_before(d.start) or ctx.subject_after(d.end)
            if subj is None or subj.how == "possessive":
                continue
            state = _predicate_after(ctx, subj.end) if initial else \
                " ".join(ctx.text[subj.end:d.start - 6].split())
            ctx.used_dates.add(d.start)
            ctx.claim(subj, "since", Value.date(d.value), (d.start - 6, d.end), qualifiers={"of": state},
                      confidence=0.7)


def dated_events(ctx: SentenceContext) -> None:
    """A named event next to a date, or an unnamed event recognised by its date."""
    s = ctx.sent
    for d in ctx.dates:
        if not d.value or d.start in ctx.used_dates or d.relative:
            continue
        event = next((e for e in ctx.ents if e.info is not None and e.info.has_type(*EVENT_TYPES)
                      and (0 <= d.start - e.end <= 40 or 0 <= e.start - d.end <= 25)), None)
        if event is None and (PARTICIPATION.search(s.text) or any(
                e.how == "description" and e.info and e.info.has_type("Event") for e in ctx.ents)):
            # an unnamed event ("a human chain") is linked only where its own date agrees with this one
            event = next((e for e in ctx.ents if e.how == "description" and e.info
                          and e.info.has_type("Event") and (not e.info.date or e.info.date.startswith(d.value[:4]))),
                         None)
            if event is None:
                event = ctx.event_by_date(d.value)
        if event is None or event.how == "pronoun":
            continue
        ctx.used_dates.add(d.start)
        ctx.claim(event, "date", Value.date(d.value), (d.start, d.end), confidence=0.7)


def _date_after(ctx: SentenceContext, ve: int) -> DateMention | None:
    """'was first mentioned in written sources in 1154': the date the verb's own phrase gives."""
    for d in ctx.dates:
        if d.value and d.start >= ve and d.start - ve <= 40 and not re.search(r"[,;]", ctx.text[ve:d.start]) \
                and re.search(r"\b(?:in|on|from|since|by)\s+(?:the\s+)?$", ctx.text[ve:d.start]):
            return d
    return None


def _nearest_date(ctx: SentenceContext, vs: int, ve: int, window: int) -> DateMention | None:
    best = None
    for d in ctx.dates:
        if not d.value or d.relative in ("currently", "now", "today", "at present", "so far", "to date"):
            continue
        dist = vs - d.end if d.end <= vs else d.start - ve
        if 0 <= dist <= window and (best is None or dist < best[0]):
            best = (dist, d)
    return best[1] if best else None


def _predicate_after(ctx: SentenceContext, pos: int) -> str:
    rest = ctx.text[pos:ctx.sent.end]
    rest = re.split(r"[,.;:]", rest, maxsplit=1)[0]
    words = [w for w in rest.split() if w.lower() not in ("has", "have", "had", "been", "is", "are", "was",
                                                          "were", "be")]
    return " ".join(words[:8])
