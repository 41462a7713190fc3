"""Ordinals: ranks, positions, anniversaries and counts said with an ordinal.

* **ranks**: an ordinal with a ranking verb or place word and a scope ("ranks 6th globally in the X Index",
  "was 57th in this ranking", "placed second"); the index comes from the sentence, from "this ranking" (the
  index last named), or from a footnote; a footnote next to a named index is its cited source; "tied with";
* **positions**: "the first country to ...", "the third biggest donor", "third among donors worldwide";
* **anniversaries**: "the 31st anniversary of X" holds at X's date plus 31 years;
* **counts**: "its second unicorn" (and the date the named one became one); "its millionth ring", "the 2.5
  millionth device": the count made or sold so far.
"""
from __future__ import annotations

import re

from ...model import TimeSpec, Value
from ..entities import EntityMention
from ..values import Mention
from . import references
from .clauses import PREPOSITION_BEFORE
from .context import PERIOD, SentenceContext, is_index_name

RANK_VERB = re.compile(r"\b(?:rank(?:s|ed|ing)?|placed|places|came(?: in)?|comes|stood|stands|sits|sat|finished|"
                       r"listed|rated|position(?:ed)?|is|was|are|were|remains|remained|moved|climbed|fell|dropped|"
                       r"rose|took)\b", re.I)
RANK_SCOPE = re.compile(r"\b(?:in the world|globally|worldwide|world['’]s|in europe|in the eu|in the region|"
                        r"among\b|out of \d+|of \d+ countries|index|ranking|rankings|league table|list|table|"
                        r"place|position|spot)\b", re.I)
NAME_ENDS = re.compile(r"\s*(?:[,.;:)]|(?:in|on|at|of|was|is|will|which|that|held|took|and|with)\b)")
PLACE_WORD = re.compile(r"^\s*(?:place|position|spot)\b", re.I)
SUPERLATIVE = re.compile(r"^\s*(?:biggest|largest|greatest|highest|lowest|smallest|most\s+\w+|least\s+\w+|"
                         r"fastest|busiest|oldest|youngest|richest|poorest|best|worst|strongest|top)\b", re.I)
SKIP_ORDINAL_AFTER = re.compile(r"^\s*(?:time|half|quarter|step|stage|phase|round|reading|wave|class|hand|"
                                r"person|floor|line|lady|world war|(?:\w+\s+)?(?:days?|weeks?|months?|years?|"
                                r"quarters?|decades?|centur(?:y|ies)|hours?))\b", re.I)


def ordinal(ctx: SentenceContext, o: Mention) -> None:
    """One ordinal of the sentence: an earlier value ("up from ninth"), an anniversary, a possessed count, a
    rank, or a position ("third among donors", "the first country to ...")."""
    value = Value.number(int(o.value))
    if o.scale_word:
        _scale_count(ctx, o, value)
        return
    if references.prior_value(ctx, o, value):
        return
    after = re.sub(r"^-", " ", ctx.after(o.end, 80))
    before = ctx.before(o.start, 80)
    if SKIP_ORDINAL_AFTER.match(after) or re.search(r"\bfor the\s+$", before, re.I):
        return
    # the Nth anniversary of X
    am = re.match(r"^\s*anniversary(?:\s+of\s+)?", after, re.I)
    if am:
        target = next((e for e in ctx.ents if e.start >= o.end + am.end() - 1 and e.start - o.end < 40), None) \
            or ctx.subject_before(o.start)
        time = ctx.time_for(o.start)
        if target is not None and target.info is not None and target.info.date:
            time = TimeSpec(point=str(int(target.info.date[:4]) + int(o.value)), inferred=True)
        end = target.end if target is not None and target.start > o.end else o.end + am.end()
        ctx.claim(target, "anniversary", value, (o.start, end), time=time, confidence=0.8)
        return
    # its/our second unicorn: a count
    pm = re.search(r"\b(its|their|our|his|her|the country['’]s|[A-Z][\w-]*['’]s)\s+$", before)
    nm = re.match(r"^\s*([A-Za-z][\w-]*)(?:\s+([A-Za-z][\w-]*))?", after)
    if pm and nm and not SUPERLATIVE.match(after):
        noun = nm.group(1)
        pstart = o.start - len(pm.group(0))
        possessor = next((e for e in ctx.ents if e.start == pstart), None)
        if possessor is None or pm.group(1).lower() in ("its", "their", "his", "her"):
            possessor = ctx.subject_before(pstart, allow_objects=False)
        if pm.group(1).lower() == "our":
            possessor = next((e for e in ctx.ents if e.how in ("pronoun", "possessive")), possessor)
        span = (pstart, o.end + len(nm.group(0).split()[0]) + (len(nm.group(0)) - len(nm.group(0).lstrip())))
        ctx.claim(possessor, "count", value, span, time=ctx.time_for(o.start),
                  qualifiers={"of": _plural(noun)}, confidence=0.6)
        became = re.search(r"\b(?:became|becoming|become|becomes|is now|was)\s+$", ctx.text[ctx.sent.start:pstart])
        _apposed_date(ctx, o, span, noun, before_subject=bool(became), start=pstart)
        return
    # ranks: an ordinal with a ranking verb or a place word and a scope
    ranky = RANK_VERB.search(ctx.text[max(ctx.sent.start, o.start - 40):o.start]) or PLACE_WORD.match(after)
    scoped = RANK_SCOPE.search(after[:70]) or ctx.index_here() is not None or \
        re.search(r"\b(?:in|on)\s+(?:this|the same|that)\s+(?:ranking|index|list|table)", after[:40], re.I) or \
        (ctx.doc.last_index is not None and re.search(r"\b(?:placed|ranked|ranks|came|finished|rose|climbed|fell|"
                                                      r"dropped|moved)\s+$", before[-20:], re.I)) or \
        re.match(r"^\s*in\s+(?:the\s+)?[A-Z]", after)
    sup = SUPERLATIVE.match(after)
    if ranky and scoped and not sup and not re.match(r"^\s*[a-z]+\s+to\b", after):
        rank(ctx, o, value)
        return
    # third among donors worldwide
    among = re.match(r"^\s*among\s+(?P<of>[\w’' -]+?)(?=[,.;:]|\s(?:over|during|in|since|after|before|with)\b|$)",
                     after, re.I)
    if among:
        subj = ctx.subject_before(o.start) or ctx.subject_after(o.end + among.end())
        end = o.end + among.end()
        ctx.claim(subj, "orderAmong", value, (o.start, end), time=ctx.time_for(o.start),
                  qualifiers={"of": among.group("of"), "period": ctx.period(end)}, confidence=0.6)
        return
    # the first country to ..., the third biggest donor ...
    det = re.search(r"\b(?:the|a|an)\s+(?:very\s+)?$", before, re.I)
    named = next((e for e in ctx.ents if e.start == o.end + 1 and e.how in ("name", "minted")
                  and NAME_ENDS.match(ctx.text, e.end)), None)  # not "the first EU country": EU qualifies it
    if det and named is not None and not sup:  # "the first Harbour Forum": the edition of a named thing
        ctx.claim(named, "orderAmong", value, (o.start - len(det.group(0)), named.end), time=ctx.time_for(o.start),
                  qualifiers={"of": "edition"}, confidence=0.6)
        return
    if det and (sup or re.match(r"^\s*(?:[A-Z][\w-]*\s+)*[a-z][\w-]*(?:\s+[a-z][\w-]*)?", after)):
        phrase_end = _phrase_end(ctx, o.end)
        of = " ".join(ctx.text[o.end:phrase_end].split())
        if not of or len(of.split()) < 2 and not sup:
            return
        verb = FINITE.search(ctx.text, o.end, phrase_end)
        if verb is not None:
            opens = not ctx.text[ctx.clause(o.start)[0]:o.start - len(det.group(0))].strip()
            if opens and not COPULA_NAME.match(ctx.text, verb.start()):
                return  # "The first integration is expected to launch in 2025": a reference, not a claim
            phrase_end = verb.start()
            of = " ".join(ctx.text[o.end:phrase_end].split())
        subj = ctx.apposed(o.start) or ctx.subject_before(o.start - len(det.group(0))) or \
            ctx.subject_after(phrase_end)  # "Tartu, the second biggest city": the appositive's head
        ctx.claim(subj, "orderAmong", value, (o.start - len(det.group(0)), phrase_end),
                  time=ctx.time_for(o.start), qualifiers={"of": _trim_phrase(of),
                                                          "period": ctx.period(phrase_end)},
                  confidence=0.7)


def _scale_count(ctx: SentenceContext, o: Mention, value: Value) -> None:
    """"sold its millionth ring", "the 2.5 millionth device": the count of things made or sold so far (of: the
    noun, singular); no rank."""
    before = ctx.before(o.start, 60)
    det = re.search(r"\b(?:its|their|our|his|her|the|a|[A-Z][\w-]*['’]s)\s+$", before)
    nm = re.match(r"^[\s-]*([A-Za-z][\w-]*)", ctx.after(o.end, 40))
    if det is None or nm is None:
        return
    start = o.start - len(det.group(0))
    possessor = next((e for e in ctx.ents if e.start == start), None)
    if possessor is None:
        possessor = ctx.subject_before(start, allow_objects=False)
    if det.group(0).strip().lower() == "our":
        possessor = next((e for e in ctx.ents if e.how in ("pronoun", "possessive")), possessor)
    ctx.claim(possessor, "count", value, (start, o.end + nm.end()), time=ctx.time_for(o.start),
              qualifiers={"of": _singular(nm.group(1))}, confidence=0.6)


def rank(ctx: SentenceContext, o: Mention, value: Value) -> None:
    """A rank, its index (named here, "this ranking", a footnote, the document's own, or the last one named), the
    region it is within, its cited source, and what it is tied with."""
    index = ctx.index_here()
    note = ctx.footnote()
    cited = None
    if index is None and note:
        idx_info = ctx.doc.gaz.names(note)
        idx = next((m for m in idx_info if m.info and (m.info.has_type("CreativeWork") or "index" in m.info.nouns)),
                   None)
        if idx is not None:
            index = idx
        elif is_index_name(note):
            name = re.split(r",\s*\d{4}", note)[0].strip(" .")
            index = EntityMention(0, 0, ctx.doc.ontology.ids.unlinked_entity(name), name, "minted")
    elif note:
        cited = note.strip().rstrip(".")
    if index is None and re.search(r"\b(?:this|the same|that|the)\s+(?:ranking|index|list|table)\b",
                                   ctx.after(o.end, 60), re.I):
        index = ctx.doc.last_index
    if index is None and ctx.doc.focus_info is not None and is_index_name(ctx.doc.focus_info.label):
        index = EntityMention(0, 0, ctx.doc.focus_info.iri, ctx.doc.focus_info.label, "minted", None)
    if index is None and ctx.doc.last_index is not None and not re.match(
            r"^\s*(?:place\s+)?(?:in|among)\b", ctx.after(o.end, 20)) and \
            ctx.sent.paragraph - ctx.doc.last_index_paragraph <= 2:
        index = ctx.doc.last_index
    region = None
    rm = re.match(r"^\s*(?:place\s+|position\s+)?(?:in|among|of)\s+(?:the\s+)?", ctx.after(o.end, 30), re.I)
    if rm:
        region = next((e for e in ctx.ents if e.start == o.end + rm.end() and e.info is not None
                       and e.info.has_type("Country", "Place", "Organization", "City")), None)
    subj = ctx.subject_before(o.start, avoid=index.iri if index else None) or \
        ctx.subject_after(o.end, avoid=index.iri if index else None)
    end = o.end
    if index is not None and index.start > o.end and index.start - o.end < 60:
        end = index.end
    else:
        m = re.match(r"^\s*(?:place|position|spot)?\s*(?:in the world|globally|worldwide|in (?:this|the same) "
                     r"(?:ranking|index))?", ctx.after(o.end, 40), re.I)
        end = o.end + (m.end() if m else 0)
    start = o.start
    verb = RANK_VERB.search(ctx.text[max(ctx.sent.start, o.start - 25):o.start])
    if verb:
        start = max(ctx.sent.start, o.start - 25) + verb.start()
    if region is not None:
        end = max(end, region.end)
    ctx.claim(subj, "rank", value, (start, end), time=ctx.time_for(o.start),
              qualifiers={"index": index, "citedSource": cited, "locatedIn": region},
              confidence=0.85 if index else 0.6)
    # tied with X and Y
    tm = re.search(r"\btied with\s+", ctx.sent.text, re.I)
    if tm:
        pos = ctx.sent.start + tm.end()
        for e in ctx.ents:
            if e.start >= pos and e.start - pos < 40 and e.iri != (subj.iri if subj else None):
                ctx.claim(subj, "tiedWith", Value.entity(e.term), (ctx.sent.start + tm.start(), e.end),
                          qualifiers={"index": index}, confidence=0.7)


def _apposed_date(ctx: SentenceContext, o: Mention, span: tuple[int, int], noun: str, *,
                  before_subject: bool = False, start: int = 0) -> None:
    """"On 7 April, X welcomed its second unicorn, ..., Nord Security" and "In April, Nord Security became
    the country's second unicorn": the named one became one at the sentence's date."""
    def named_company(e):
        return e.how in ("name", "minted") and not (e.info is not None and e.info.has_type("Country", "City",
                                                                                           "Place"))
    if before_subject:
        named = next((e for e in ctx.ents if e.end <= start and named_company(e)
                      and not PREPOSITION_BEFORE.search(ctx.text[max(ctx.sent.start, e.start - 14):e.start])),
                     None)
    else:
        named = next((e for e in ctx.ents if span[1] < e.start < span[1] + 60 and named_company(e)), None)
    date = next((d for d in ctx.dates if d.value and not d.relative and d.end <= o.start), None)
    if named is None or date is None:
        return
    ctx.used_dates.add(date.start)
    ctx.claim(named, "since", Value.date(date.value), (date.start, span[1]), qualifiers={"of": noun},
              confidence=0.6)


# a finite verb ends a position's phrase ("the first country to X is ..."); "is Estonia" after it names the subject
FINITE = re.compile(r"(?<!\bto)\s(?:is|was|are|were|will|would|has|have|had|can|could|may|might|should|shall)\s")
COPULA_NAME = re.compile(r"\s(?:is|was|are|were)\s+(?:now\s+)?[A-Z]")


def _phrase_end(ctx: SentenceContext, pos: int) -> int:
    rest = ctx.text[pos:ctx.sent.end]
    m = re.search(r"[,;:.](?:\s|$)|\s(?:which|and then|while|but|when|where|because)\s|\s—|—", rest)
    end = pos + (m.start() if m else len(rest))
    pm = PERIOD.search(ctx.text, pos, end)
    if pm:
        end = pm.start()
    return end


def _plural(noun: str) -> str:
    noun = noun.lower()
    if noun.endswith("s"):
        return noun
    if noun.endswith("y") and noun[-2:-1] not in "aeiou":
        return noun[:-1] + "ies"
    return noun + "s"


def _singular(noun: str) -> str:
    noun = noun.lower()
    if noun.endswith("ies") and len(noun) > 4:
        return noun[:-3] + "y"
    if noun.endswith("s") and not noun.endswith("ss"):
        return noun[:-1]
    return noun


def _trim_phrase(text: str) -> str:
    return " ".join(text.split()[:12])
