"""Dates: an event verb ("launched on", "was inaugurated in", "adopted in March"), an event of a kind the ontology
names (:func:`event_kinds`: "voted on Monday", "trading will start on 7 October", "the withdrawal from the grid in
August"; the vocabulary is read from ``ontology/frames.ttl``: the date properties narrower than lkgp:date, with their
trigger words), a dated period ("from noon on 21 May to 1pm on 1 June"), a planned date ("originally planned for
2026", "due to begin in May"), a state that began then ("In 2013 X became the first ...", "under lease since 2006"),
"since the beginning of April", years stated as values ("the record year was 2018", "the lowest since 1943"), and a
named (or an unnamed, dated) event next to a date."""
from __future__ import annotations

import functools
import re

from ...model import TimeSpec, Value
from ...rdf.ontology import Ontology
from ..dates import DateMention
from .clauses import PREPOSITION_BEFORE
from .context import EVENT_TYPES, PARTICIPATION, SentenceContext

EVENT_VERBS = {
    "inception": r"founded|established|set up|built|created|completed|dates back to",
    "launchDate": r"launched|inaugurated|opened|commissioned|started operating|began operating|"
                  r"went into operation|entered (?:\w+ )?service|went live|came online",
    "date": r"adopted|signed|was held|were held|took place|was made|were made|was taken|were taken|approved|passed|"
            r"enacted|ratified|"
            r"took effect|came into force|happened|occurred",
}
EVENT_VERBS["firstMentioned"] = r"first mentioned|first recorded|first documented"
# an adverb that makes a plan an earlier one: "Previously, the work was planned for 2025"
EARLIER_PLAN = re.compile(r"\b(?:previously|earlier|originally|initially|formerly|at first|at the outset)\b", re.I)
# a finite verb right after a date: the date is that verb's ("on Wednesday published", "in May said")
NEXT_VERB = re.compile(r"\s+(?:also\s+|\w+ly\s+)?(?:[a-z]{3,}ed|said|told|made|took|held|began|sent|won|"
                       r"signed|unveiled|announced)\b")
NOW_WORDS = ("now", "currently", "still", "newly")


def _earlier_plan(before: str) -> bool:
    """Whether the words before a plan's verb make it an earlier plan ("Previously, it was planned for ..."),
    with no "but", "now" or "however" after the adverb."""
    m = None
    for m in EARLIER_PLAN.finditer(before):
        pass
    return m is not None and not re.search(r"\b(?:but|now|however|currently|today)\b", before[m.end():], re.I)


PASSIVE_BEFORE = re.compile(r"\b(?:was|were|been|be|is|are|being|got)\s+(?:\w+ly\s+)?$", re.I)


def event_verbs(ctx: SentenceContext) -> None:
    """An event verb near a date: "launched on", "was inaugurated in", "adopted in March"."""
    s = ctx.sent
    for prop, verbs in EVENT_VERBS.items():
        for m in re.finditer(rf"\b(?:{verbs})\b", s.text, re.I):
            vs, ve = s.start + m.start(), s.start + m.end()
            date = _date_after(ctx, ve) or _nearest_date(ctx, vs, ve, window=70)
            if date is None or date.start >= ve and NEXT_VERB.match(ctx.text, date.end):
                continue  # "X, set up by Y on Wednesday published ...": the date is the next verb's
            passive = bool(PASSIVE_BEFORE.search(ctx.text[max(s.start, vs - 20):vs])) or \
                m.group(0).lower().startswith(("was ", "were ")) or \
                m.group(0).lower() in ("took place", "happened", "occurred", "opened", "started operating",
                                       "began operating", "went into operation", "entered service",
                                       "came into force", "took effect")
            subj = None
            if not ctx.text[s.start:vs].strip() and re.search(r"(?:ed|set up|built)$", m.group(0), re.I):
                # "Founded in 1632 by ..., the University of Tartu is ...": the main clause's subject
                comma = ctx.text.find(",", ve, s.end)
                subj = ctx.subject_after(comma) if comma > 0 else None
                passive = True
            if not passive:
                subj = next((e for e in ctx.ents if e.start >= ve and e.start - ve < 40
                             and (e.info is None or not e.info.has_type("Country", "City", "Place"))), None)
            if subj is None and ctx.text[s.start:vs].strip():
                subj = ctx.subject_before(vs)
            if subj is None or subj.how in ("pronoun", "possessive") or _is_date(ctx, subj):
                continue
            if prop == "date" and not (subj.how in ("minted", "description") or subj.has_type(*EVENT_TYPES)):
                continue
            if prop in ("inception", "launchDate") and subj.has_type("Country", "City", "Place"):
                continue
            span = (min(date.start, vs), max(date.end, ve))
            ctx.used_dates.add(date.start)
            ctx.claim(subj, prop, Value.date(date.value), span, confidence=0.8)
    event_kinds(ctx)
    periods(ctx)
    records(ctx)


def planned_dates(ctx: SentenceContext) -> None:
    """"originally planned for 2026", "now expected in 2030", "due to begin in May": a planned date."""
    s = ctx.sent
    for d in ctx.dates:
        if not d.value or d.start in ctx.used_dates or d.relative:
            continue
        pm = re.search(r"\b(?:(?P<st>originally|initially|first|now|currently|still|newly)\s+)?"
                       r"(?P<verb>planned|scheduled|expected|due|set|slated|foreseen|projected)\s+"
                       r"(?:to\s+(?P<v2>[a-z]+)\s+(?:\w+\s+)?)?(?:for|in|by|from|on|at)\s+"
                       r"(?:or\s+(?:around|about|before|after)\s+)?(?:the\s+)?$",
                       ctx.text[max(s.start, d.start - 60):d.start], re.I)
        if pm is None:
            continue
        ps = max(s.start, d.start - 60) + pm.start()
        status = "original plan" if (pm.group("st") or "").lower() in ("originally", "initially", "first") or \
            re.match(r"\s*,?\s*(?:initially|originally|at first|at the outset)\b", ctx.after(d.end, 20), re.I) or \
            _earlier_plan(ctx.text[s.start:ps]) and (pm.group("st") or "").lower() not in NOW_WORDS \
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
        if ctx.names_something_before(anchor):  # "The inclusion of X into Y is expected on ...": not X's, not Y's
            subj = None
        else:
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
        if d.value and d.start not in ctx.used_dates and re.search(r"\bsince\s+$", pre):
            clause = ctx.clause(d.start)
            held = _HELD_SINCE.search(ctx.before(d.start, 40))
            if held is not None:  # "the 14 jets operated under lease since 2006": the lease's start
                subj = ctx.subject_before(d.start - len(held.group(0)))
                if subj is not None and subj.how == "possessive":
                    subj = None
                ctx.used_dates.add(d.start)
                ctx.claim(subj, "since", Value.date(d.value), (d.start - len(held.group(0)), d.end),
                          qualifiers={"of": " ".join(held.group("state").split())}, confidence=0.6)
                continue
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


_HELD_SINCE = re.compile(r"\b(?P<state>(?:under|in|on)\s+(?:a\s+)?(?:lease|operation|service|force|office|use|"
                         r"power|charge|place|production))\s+since\s+$", re.I)


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


# ---------------------------------------------------------------- the kinds of event (ontology/frames.ttl)
_SUBPROPERTY = "http://www.w3.org/2000/01/rdf-schema#subPropertyOf"
# kinds whose active verb takes the thing the event happened to as its object ("X launched its programme")
OBJECT_KINDS = {"inception", "launchDate", "publicationDate", "presentationDate", "approvalDate", "ratificationDate",
                "registrationDate", "orderDate"}
# kinds that a counted thing usually goes with ("300 firms registered", "four jets ordered")
COUNTED_KINDS = {"registrationDate", "orderDate"}
# kinds whose 'of' qualifier says what started or ended ("trading starts", "the offer period ends")
WHAT_KINDS = {"startDate", "endDate"}
_NOT_A_POINT = {"currently", "now", "at present", "at the moment", "nowadays", "so far", "to date", "this year",
                "this month", "this week"}
_LINK_AFTER = re.compile(r"(?:^\s*,?\s*$)|(?:\b(?:on|in|at|from|to|until|till|by|around|about|during|before|after|"
                         r"as of|as early as|no later than|of|for)(?:\s+or\s+(?:around|about|before|after|by))?\s+$)",
                         re.I)
_UNTIL = re.compile(r"^[^,;.]{0,20}?\b(?:until|till|to|through|and)\s+(?:[\d:.apm ]+(?:\([A-Z]+\)\s+)?on\s+)?$", re.I)
_PLAN_BEFORE = re.compile(r"\b(?:planned|scheduled|expected|due|slated|foreseen|projected|envisaged)\s+"
                          r"(?:to\s+\w+\s+(?:\w+\s+)?)?(?:for|in|by|from|on|at)\s+(?:the\s+)?$", re.I)
_FUTURE_BEFORE = re.compile(r"\b(?:will|shall|would|is to|are to|set to|due to|expected to|scheduled to|planned to|"
                            r"plans? to|aims? to|intends? to|going to|to)\s+(?:\w+ly\s+)?(?:be\s+)?$", re.I)
_OPENING = re.compile(r"^\W*(?:(?:on|in|by|from|at|during|early|late)\s+)?$", re.I)
_WORDS = re.compile(r"[\w’'-]+")
_APPOSITION = re.compile(r",\s+(?:the|a|an)\s+(?:[\w’'-]+\s+){0,3}[\w’'-]+,\s*")  # ", the crowdfunding site, "
_SUBORDINATE = re.compile(r"\b(?:that|which|who|whom|whose|because|while|when|where|if|"
                          r"need|needs|needed)\b", re.I)
_FUNCTION_WORDS = {"the", "a", "an", "its", "their", "his", "her", "our", "of", "from", "with", "to", "and", "on",
                   "in", "at", "by", "for", "into"}
_WHAT_STOP = {"the", "a", "an", "its", "their", "his", "her", "our", "will", "would", "shall", "is", "are", "was",
              "were", "be", "been", "to", "expected", "scheduled", "set", "due", "also", "then", "and", "that",
              "which", "officially", "formally", "of", "for", "in", "on", "at", "by", "with", "from", "runs", "run",
              "opens", "open", "is", "will", "after", "before", "until", "when", "then", "now"}


@functools.lru_cache(maxsize=4)
def event_vocabulary(ontology: Ontology) -> tuple[re.Pattern | None, dict[str, str]]:
    """The kinds of event of the ontology (the date properties declared narrower than lkgp:date) and their
    trigger words: one pattern for all the words, and the property each word names."""
    date = ontology.property("date")
    if date is None:
        return None, {}
    kinds = sorted(str(t.subject.value) for t in ontology.triples
                   if t.predicate.value == _SUBPROPERTY and t.object.value == date.iri)
    words: dict[str, str] = {}
    for iri in kinds:
        info = ontology.properties.get(iri)
        if info is not None and info.value_kind == "Date":
            for w in info.triggers:
                words.setdefault(" ".join(w.lower().split()), info.name)
    if not words:
        return None, {}
    alts = "|".join(re.escape(w).replace(r"\ ", r"\s+") for w in sorted(words, key=len, reverse=True))
    return re.compile(rf"\b(?:{alts})\b", re.I), words


def event_kinds(ctx: SentenceContext) -> None:
    """A date next to a verb or noun of a kind of event ("voted on Monday", "the launch of X in 2014", "trading
    will start on 7 October", "withdraw from the grid in August"): the date of that event, about the thing it
    happened to; a date still to come keeps the status planned."""
    pattern, words = event_vocabulary(ctx.doc.ontology)
    s = ctx.sent
    dates = [d for d in ctx.dates if d.value and d.relative not in _NOT_A_POINT]
    if pattern is None or not dates:
        return
    last = s.start  # where the previous event word ended: an opening date goes with the first word after it
    for m in pattern.finditer(s.text):
        a, b = s.start + m.start(), s.start + m.end()
        if any(d.start < b and a < d.end for d in ctx.dates) or \
                any(e.start <= a < e.end for e in ctx.ents if e.how in ("name", "minted")):
            continue  # "the end of 2025" is a date; "Launch Pad Ltd" a name
        word = " ".join(m.group(0).lower().split())
        if word.startswith("order") and re.search(r"\bin\s+$", ctx.before(a, 4)):
            continue  # "in order to"
        prop = words[word]
        if prop == "endDate" and re.search(r"\b(?:years?|months?|quarters?|period|weeks?)\s+$", ctx.before(a, 12), re.I):
            continue  # "the year ended June 2023" names a period
        d = _linked_date(ctx, a, b, dates, last)
        last = b
        if d is None or d.start >= b and NEXT_VERB.match(ctx.text, d.end):
            continue  # "set up by Y on Wednesday published ...": the date is the next verb's
        lo, hi = min(d.end, a), max(d.start, b)
        c0 = _clause_start(ctx, a)
        counts = [n for n in ctx.nums if n.kind not in ("money", "percent")]
        if any(lo <= n.start < hi for n in counts) or ((prop in COUNTED_KINDS or PASSIVE_BEFORE.search(
                ctx.before(a, 20))) and any(c0 <= n.start < a for n in counts)):
            continue  # "over 300 firms were registered in 2015": the date of a count, read with the count
        if _PLAN_BEFORE.search(ctx.before(d.start, 60)) or re.search(r"\bsince\s+$", ctx.before(d.start, 8), re.I):
            continue  # a plan ("expected in May") and a state since a date are read by the rules after this one
        subj = _event_subject(ctx, a, b, prop)
        if subj is not None and (subj.how == "possessive" or _is_date(ctx, subj)):
            subj = None  # the document's focus
        quals: dict = {}
        if prop in WHAT_KINDS:
            quals["of"] = _what(ctx, a)
        elif prop == "fundingDate":  # "its Series C in May 2021", "its first funding in 2016": which round
            which = FUNDING_ROUND.search(ctx.sent.text)
            quals["of"] = which.group(0).split()[0].lower() if which and not which.group(0).lower().startswith(
                "series") else (which.group(0).title() if which else None)
        if _future(ctx, a, d):
            quals["status"] = "planned"
        ctx.used_dates.add(d.start)
        ctx.claim(subj, prop, Value.date(d.value), (min(d.start, a), max(d.end, b)), qualifiers=quals,
                  confidence=0.7)
        if prop == "startDate":  # "starts on 21 May until 1 June": the end of the same thing
            end = next((x for x in dates if x.start >= d.end and x.start not in ctx.used_dates
                        and _UNTIL.search(ctx.text[d.end:x.start])), None)
            if end is not None:
                ctx.used_dates.add(end.start)
                ctx.claim(subj, "endDate", Value.date(end.value), (end.start - len(ctx.text[d.end:end.start]
                                                                                   .lstrip(" ,")), end.end),
                          qualifiers=quals, confidence=0.6)


def _linked_date(ctx: SentenceContext, a: int, b: int, dates: list[DateMention], last: int) -> DateMention | None:
    """The date an event word's own phrase gives: one after it ("voted on Monday", "withdraw from X in August"),
    one just before it ("on Wednesday published"), or a date phrase of its own clause before it ("In 2014, X
    launched ...", "During the war, in May 2021, the company banked ...")."""
    free = [d for d in dates if d.start not in ctx.used_dates]
    after = [d for d in free if d.start >= b and d.start - b <= 100]
    if after:
        d = min(after, key=lambda d: d.start)
        between = _APPOSITION.sub(" ", ctx.text[b:d.start])
        if not re.search(r"[;:]|,.*\S", between) and not re.search(r"['’]s$", ctx.text[d.start:d.end]) and \
                sum(w.lower() not in _FUNCTION_WORDS for w in _WORDS.findall(between)) <= 8 and \
                (_LINK_AFTER.search(between) or not between.strip() or (d.relative and "day" in d.relative)) and \
                not _SUBORDINATE.search(between) and not any(b <= n.start < d.start for n in ctx.nums) and \
                not any(b <= e.start < d.start for e in ctx.ents if e.how == "pronoun"):
            return d
    before = [d for d in free if d.end <= a and a - d.end <= 25]
    if before:
        d = max(before, key=lambda d: d.end)
        between = ctx.text[d.end:a]
        if not re.search(r"[,;:]", between) and len(_WORDS.findall(between)) <= 4:
            return d
    for d in sorted((d for d in free if last <= d.start and d.end <= a), key=lambda d: -d.start):
        c0, c1 = ctx.clause(d.start)
        if c1 <= a and _OPENING.match(ctx.text[c0:d.start]) and not ctx.text[d.end:c1].strip(" ,") and \
                not any(c1 <= x.start < a for x in dates):
            return d
    return None


def _is_date(ctx: SentenceContext, ent) -> bool:
    """A name that is part of a date ("Dec." of "Dec. 1, 2014", "Monday’s") names no subject."""
    return any(d.start <= ent.start < d.end or ent.start <= d.start < ent.end for d in ctx.dates)


def _clause_start(ctx: SentenceContext, pos: int) -> int:
    """Where the clause holding ``pos`` begins (after a comma and space, a semicolon, a colon or a dash; the comma
    inside "12,000" is none)."""
    head = ctx.text[ctx.sent.start:pos]
    marks = [m.end() for m in re.finditer(r"[;:—]\s*|,\s+", head)]
    return ctx.sent.start + (marks[-1] if marks else 0)


def _event_subject(ctx: SentenceContext, a: int, b: int, prop: str):
    """What the event happened to: 'the launch of X', 'ratification by X' name it after the word; a passive verb
    ("was published") has it before; an active verb of a kind that takes an object ("X launched Y") after."""
    by = re.match(r"(?:\s*,[^,;]{1,30},)?\s+(?:of|by)\s", ctx.text[b:b + 45])  # "ratification, a month ago, by X"
    if by:
        nxt = next((e for e in ctx.ents if b + by.end() <= e.start <= b + by.end() + 25 and e.how != "possessive"),
                   None)
        if nxt is not None:
            return nxt
    noun = re.search(r"\b([a-z]+)\s+$", ctx.before(a, 20))
    if noun and noun.group(1) in ctx.doc.last_by_noun:  # "this Monday's parliament meeting": the parliament last named
        return ctx.doc.last_by_noun[noun.group(1)]
    passive = bool(PASSIVE_BEFORE.search(ctx.before(a, 20)))
    if not passive and prop in OBJECT_KINDS:
        obj = next((e for e in ctx.ents if b <= e.start <= b + 40 and e.how in ("name", "minted", "description")
                    and not PREPOSITION_BEFORE.search(ctx.text[max(ctx.sent.start, e.start - 14):e.start])
                    and (e.info is None or not e.info.has_type("Country", "City", "Place"))), None)
        if obj is not None:
            return obj
    return ctx.figure_subject(a)  # the clause's subject or possessor, else the sentence before's, else the focus


def _what(ctx: SentenceContext, a: int) -> str | None:
    """What starts or ends: the first words of the event word's clause ("Trading of the shares will start ...",
    "the offer period ends"), else the words just before it."""
    words: list[str] = []
    for w in _WORDS.findall(ctx.text[_clause_start(ctx, a):a]):
        if w.lower() in _WHAT_STOP and not words:
            continue
        if w.lower() in _WHAT_STOP or w[0].isdigit() or w[0].isupper() and words:
            break
        words.append(w.lower())
        if len(words) >= 3:
            break
    return " ".join(words) or ctx.np_before(a) or None


def _future(ctx: SentenceContext, a: int, d: DateMention) -> bool:
    """Whether an event is still to come: a future verb ("will connect"), or a date after the document's."""
    if d.future or _FUTURE_BEFORE.search(ctx.before(a, 30)):
        return True
    doc = ctx.doc.doc_date
    return bool(doc) and d.value[:len(doc)] > doc[:len(d.value)]


FUNDING_ROUND = re.compile(r"\b(?:series\s+[A-H]|seed|pre-seed)\b|\b(?:first|second|third|latest)\s+(?:funding|round|"
                           r"investment|financing)\b", re.I)
_CLOCK = r"(?:(?:\d{1,2}[:.]\d\d|\d{1,2}\s*[ap]\.?m\.?|noon|midnight|midday)(?:\s*\([A-Z]{2,5}\))?\s+(?:on\s+)?)?"
_FROM = re.compile(rf"\b(?:from|starting)\s+{_CLOCK}$", re.I)
_TO = re.compile(rf"^\s*(?:[-–]|until|till|to|through)\s+{_CLOCK}$", re.I)


def periods(ctx: SentenceContext) -> None:
    """"open from noon on 21 May to 1pm on 1 June", "from 12:00 on 3 March 2020 until 13:00 on 9 March": a period
    whose start and end are dated (what runs then, in the words before it, is the 'of' qualifier)."""
    free = [d for d in ctx.dates if d.value and len(d.value) == 10 and not d.relative and
            d.start not in ctx.used_dates]  # days: "from 2017 to 2022" is the span of a figure, not a dated period
    for d1, d2 in zip(free, free[1:]):
        fm = _FROM.search(ctx.before(d1.start, 40))
        if fm is None or not _TO.match(ctx.text[d1.end:d2.start]):
            continue
        fs = d1.start - len(ctx.before(d1.start, 40)) + fm.start()
        subj = ctx.figure_subject(fs)
        if subj is not None and subj.how == "possessive":
            subj = None
        quals: dict = {"of": _what(ctx, fs)}
        if _future(ctx, fs, d1):
            quals["status"] = "planned"
        ctx.used_dates.update((d1.start, d2.start))
        ctx.claim(subj, "startDate", Value.date(d1.value), (fs, d1.end), qualifiers=quals, confidence=0.6)
        ctx.claim(subj, "endDate", Value.date(d2.value), (d1.end, d2.end), qualifiers=quals, confidence=0.6)


# ---------------------------------------------------------------- years and months as values
_PEAK = re.compile(r"\b(?:(?:the\s+)?(?:record|peak|best|busiest|strongest)\s+(?:year|month)\b[^,;.]{0,40}?"
                   r"\b(?:was|were|came in|being)\s+|(?:peaked|peaking|reached (?:a|its) peak|hit (?:a|its) peak|"
                   r"(?:a|its) peak)\s+(?:(?:\w+\s+){0,3})?(?:in|at|during)\s+)$", re.I)
_EXTREME_SINCE = re.compile(r"\b(?P<sup>(?:lowest|highest|largest|smallest|biggest|fewest|most|least|weakest|"
                            r"strongest|greatest|worst|best)\b[^,;.]{0,60}?)\bsince\s+(?:the\s+)?$", re.I)


def records(ctx: SentenceContext) -> None:
    """Years and months stated as the value: "the record year was 2018", "peaking in 2018" (when a quantity was
    highest), "the lowest since 1943", "the highest since the March 2020 year" (the last time it was as low or
    as high)."""
    for d in ctx.dates:
        if not d.value or d.relative or d.start in ctx.used_dates:
            continue
        pre = ctx.before(d.start, 90)
        pm = _PEAK.search(pre)
        if pm is not None:
            ps = d.start - len(pre) + pm.start()
            subj = ctx.figure_subject(ps)
            ctx.used_dates.add(d.start)
            ctx.claim(subj if subj is None or subj.how != "possessive" else None, "peakDate", Value.date(d.value),
                      (ps, d.end), qualifiers={"of": ctx.np_before(ps) or None}, confidence=0.6)
            continue
        em = _EXTREME_SINCE.search(pre)
        if em is not None:
            es = d.start - len(pre) + em.start()
            subj = ctx.figure_subject(es)
            what = " ".join(em.group("sup").split()[:6])
            ctx.used_dates.add(d.start)
            ctx.claim(subj if subj is None or subj.how != "possessive" else None, "extremeSince",
                      Value.date(d.value), (es, d.end), qualifiers={"of": what}, confidence=0.6)
