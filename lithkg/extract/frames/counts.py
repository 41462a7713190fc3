"""Counts: a number followed by what is counted: "more than a million people joined" (participants of an
event), "All 123 MPs supported" (votes in favour), a population, "over 10,000 students" (a count of students),
"the number of households ... had risen to 44,500"; "number 3 in the X Index" is a rank (:mod:`.ranks`)."""
from __future__ import annotations

import re

from ...model import TimeSpec, Value
from ..entities import EntityMention
from ..values import Mention
from . import measures
from . import references
from .context import PARTICIPATION, SentenceContext
from .ranks import rank

PEOPLE_NOUNS = {"people", "persons", "participants", "protesters", "demonstrators", "citizens", "residents",
                "volunteers", "attendees", "marchers"}
VOTE_NOUNS = {"mps", "members", "deputies", "lawmakers", "legislators", "senators", "votes", "parliamentarians",
              "representatives", "councillors"}
VOTE_VERBS = re.compile(r"\b(?:supported|voted for|voted in favour|backed|approved|endorsed|in favour)\b", re.I)
PEOPLE_LEMMAS = {"person", "citizen", "resident", "national", "foreigner", "applicant", "user", "customer", "member",
                 "individual", "entrepreneur", "student", "worker", "employee", "child", "adult"}
STATUS_HOLDERS = {"citizenship": "citizen", "membership": "member", "residency": "resident"}
SUPERLATIVE_NP = re.compile(r"\b(?:lowest|highest|largest|smallest|biggest|strongest|weakest|record)\s+(?=[a-z])")
RESTATED = re.compile(r",\s*or\s+(?:(?:about|around|some|roughly|nearly|almost|over)\s+)?$")  # "N, or about M a month"
NUMBER_OF = re.compile(r"\bnumber of\s+")
MORE_THAN = re.compile(r"\s+than\s+")
BECAME = re.compile(r"\s*(?:(?:have|has)\s+(?:already\s+)?(?:become|been granted|been given|joined|received)|"
                    r"(?P<past>became|were granted|were given|joined|received|signed up as|registered as)|become)\s+"
                    r"(?:an?\s+|the\s+)?")
# the last word of an assembly's name
BODY_HEAD = re.compile(r"\b(?:Parliament|Assembly|Congress|Senate|Council|Seimas|Riigikogu|Saeima|Sejm|Bundestag|"
                       r"Knesset|Duma|Storting|Riksdag|Eduskunta|Folketing|Althing)$")
# what a body counts of its own ("the 31 members of the Alliance")
MEMBER_LEMMAS = PEOPLE_LEMMAS | {"member", "state", "country", "seat", "employee", "shareholder", "partner", "nation"}
MEMBERS_OF = re.compile(r"\s+of\s+(?:the\s+)?(?=[A-Z])")
COUNT_STOP = {"of", "in", "on", "at", "for", "from", "to", "with", "and", "or", "are", "is", "were", "was", "have",
              "has", "had", "who", "which", "that", "will", "can", "could", "would", "per", "across", "by", "as"}


def count(ctx: SentenceContext, n: Mention) -> None:
    """A plain number: a rank ("number 3"), "the number of X", or a count of the words after it (participants,
    votes in favour, population, a count of something); not a year, an address, a list number or a heading's."""
    before = ctx.before(n.start, 30)
    if n.spelled and n.value == 1 and n.bound:
        return  # "more than one company": not a figure
    if _rank_number(ctx, n) or references.prior_value(ctx, n, Value.number(n.value)) or \
            references.to_value(ctx, n) or references.elliptical(ctx, n) or references.partitive(ctx, n) or \
            _number_of(ctx, n) or _change_by(ctx, n):
        return
    if n.spelled and not n.scale_word and not n.bound and n.value <= 10 and not (
            re.search(r"\b(?:in|into|across|with|has|have|had|comprises|includes|carry|carries|of)\s+$", before)
            and re.match(r"^\s+[a-z]+s\b", ctx.after(n.end, 20))
            and not re.match(r"^\s+(?:ways|times|years|months|weeks|days|hours|of)\b", ctx.after(n.end, 20))):
        return
    if re.search(r"\b(?:line|lines|route|bus|tram|gate|platform|room|block|model|version|phase|stage|lot|zone|"
                 r"iela|street|st\.|avenue|ave\.|road|väljak|tn|pr\.)\s+$", before, re.I) or \
            re.match(r"^\s+[A-Z][a-z]+\s*$", ctx.after(n.end, 12)) and len(str(int(n.value))) == 5:
        return
    if ctx.sent.kind == "heading" or _list_index(ctx, n):
        return
    if re.search(r"\b(?:the|The)\s+$", before) and not n.bound and not ctx.text.startswith("-", n.end) and not (
            re.search(r"\b(?:of|all)\s+the\s+$", before, re.I) and not n.spelled):
        return
    if re.search(r"(?:No\.|no\.|Nr\.|page|p\.|pp\.|§|Article|article|Section|section|#)\s*$", before):
        return
    if re.search(r"[A-Z][\w]*\s+$", before) and not n.bound and not re.search(
            r"\b(?:All|all|Over|Some|About|Around|Nearly)\s+$", before) and \
            not ctx.sent.text.startswith(before.strip()):
        return
    noun_words, noun_end = [], n.end
    for m in re.finditer(r"[A-Za-z][\w’'-]*", ctx.after(n.end, 60)):
        if m.group(0).lower() in COUNT_STOP:
            break
        noun_words.append(m.group(0))
        noun_end = n.end + m.end()  # where the noun ends in the text, whatever stands between the words
        if len(noun_words) == 3:
            break
    if not noun_words and measures.before(ctx.text, n.start, ctx.clause(n.start)[0]) is None and not (
            n.per and NUMBER_OF.search(ctx.sent.text)):
        return  # a number that counts nothing named: a year, a code, a list number
    nouns_lower = [w.lower() for w in noun_words] or [""]
    value = Value.number(n.value)
    time = ctx.time_for(n.start)
    span = (n.start, noun_end)
    if any(w in PEOPLE_NOUNS for w in nouns_lower) and (PARTICIPATION.search(ctx.sent.text) or any(
            e.info is not None and e.info.has_type("Event") for e in ctx.ents)):
        event = next((e for e in ctx.ents if e.info is not None and e.info.has_type("Event")), None)
        if event is None:
            event = ctx.event_by_date(time.point) if time.point and not time.inferred else None
        if event is None:
            event = ctx.doc.topic if ctx.doc.topic and ctx.doc.topic.has_type("Event") else None
        if event is not None and event.info is not None and event.info.date and time.inferred:
            time = TimeSpec(point=event.info.date, inferred=True)
        ctx.claim(event, "participants", value, span, bound=n.bound, time=time, confidence=0.8)
        return
    if any(w in VOTE_NOUNS for w in nouns_lower) and VOTE_VERBS.search(ctx.sent.text) and \
            not re.search(r"\b(?:last|first|latest|newest|oldest)\s+(?:of|among)\s+(?:the|its|all)\s+$", before):
        # ("the last of the 31 members" is the body's size, not a vote)
        target = next((e for e in ctx.ents if e.info is not None and e.info.has_type("Legislation")), None) \
            or ctx.doc.last_legislation or voting_body(ctx, n.start)
        ctx.claim(target, "votesInFavour", value, span, bound=n.bound, time=time, confidence=0.75)
        return
    for prop in ("population",):
        info = ctx.doc.ontology.property(prop)
        if any(t in nouns_lower for t in info.triggers) or re.search(r"\bpopulation\b", ctx.before(n.start, 40),
                                                                     re.I):
            ctx.claim(ctx.figure_subject(n.start), prop, value, span, bound=n.bound, time=time,
                      confidence=0.7)
            return
    if re.match(r"(?:years?|months?|weeks?|days?|hours?|minutes?|seconds?|decades?|centur(?:y|ies)|times?|"
                r"percent|per|cent|points?)\b", nouns_lower[0]):
        return
    of = counted(ctx, n) or " ".join(measures.lemma(w) for w in nouns_lower)
    prop = "count"
    if n.per:
        restated = references.last_figure(ctx, n, percent=False) if RESTATED.search(ctx.before(n.start, 25)) \
            else None
        named = NUMBER_OF.search(ctx.sent.text)
        if restated is not None and restated.property.iri.endswith("/count"):
            of = next(q.value.lexical for q in restated.qualifiers if q.property.iri.endswith("/of"))
        elif not nouns_lower[0] and named is not None:  # "(on average over 1,000 per month)": of what it names
            found = measures.after(ctx.text, ctx.sent.start + named.end(), ctx.sent.end)
            of = found.key if found is not None else of
    per = measures.per_key(n.per) if n.per else ("year" if re.match(r"\s*(?:\w+\s+)?annually\b", ctx.text[n.end:n.end + 40])
                                          else None)
    if per == "year" and not of.startswith("new "):
        of = "new " + of  # "4,500 companies a year": the year's new companies
    elif per:  # "3.5 deaths per 1,000 live births", "1.6 births per woman", "1,700 people per month"
        prop, of = "rate", f"{of} per {per}"
    quals = {"of": of}
    if n.range_role:
        quals["rangeEnd"] = n.range_role
    subject = voting_body(ctx, n.start) if of == "seat" else None  # "188 votes out of 199 seats": the body's
    owner = MEMBERS_OF.match(ctx.text, noun_end) if of.split()[-1] in MEMBER_LEMMAS else None
    if owner:  # "the 31 members of the Alliance", "4,000 employees of X": the count is the body's
        subject = next((e for e in ctx.ents if e.start == owner.end() and e.how in ("name", "minted")), subject)
    ctx.claim(subject or ctx.figure_subject(n.start), prop, value, span, bound=n.bound, time=time,
              qualifiers=quals, confidence=0.6)


def voting_body(ctx: SentenceContext, pos: int) -> EntityMention | None:
    """The assembly a vote count or a number of seats is of, when no act voted on is named: a parliament, an
    assembly or a council the document names (the one in its title first, else the nearest before ``pos``, else
    the first after)."""
    bodies = [m for m in ctx.doc.entities if m.how in ("name", "minted") and (
        BODY_HEAD.search(m.label) or m.info is not None and "parliament" in m.info.nouns)]
    if not bodies:
        return None
    title = (ctx.doc.document.title or "").casefold()
    return next((m for m in bodies if m.label.casefold() in title), None) or \
        next((m for m in reversed(bodies) if m.end <= pos), None) or bodies[0]


def counted(ctx: SentenceContext, n: Mention) -> str | None:
    """What a count counts, as lemmas: the noun phrase after it ("57,534 live births": live birth), what people
    became or were granted ("73,400 people have become members": member; "were granted citizenship":
    citizen; past tense with a year in the clause is a flow: "new member"), else the noun phrase it is the
    value of ("the natural increase was 19,185")."""
    found = measures.after(ctx.text, n.end, ctx.sent.end)
    if found is not None:
        more = MORE_THAN.match(ctx.text, found.end, ctx.sent.end)
        if more and n.start < found.start:  # "1,200 more births than deaths": the excess of one over the other
            other = measures.after(ctx.text, more.end(), ctx.sent.end)
            if other is not None:
                return f"{found.key} over {other.key}"
        became = BECAME.match(ctx.text, found.end, ctx.sent.end)
        if found.head in PEOPLE_LEMMAS and became:
            holder = measures.after(ctx.text, became.end(), ctx.sent.end)
            if holder is not None:
                key = " ".join(STATUS_HOLDERS.get(w, _holder(w)) for w in holder.key.split())
                c0, c1 = ctx.clause(n.start)
                flow = became.group("past") and any(c0 <= d.start < c1 and d.value and not d.relative
                                                    for d in ctx.dates)
                return ("new " if flow else "") + key
        if found.key not in measures.PLACEHOLDERS:
            return found.key
    elif (found := measures.before(ctx.text, n.start, ctx.clause(n.start)[0])) is None:
        return None
    if found.key in measures.PLACEHOLDERS:  # "when the number sat at 17,562": the quantity the sentence names
        named = SUPERLATIVE_NP.search(ctx.sent.text)
        if named is not None:
            other = measures.after(ctx.text, ctx.sent.start + named.end(), ctx.sent.end)
            if other is not None and other.key not in measures.PLACEHOLDERS:
                return other.key
    return found.key


def _holder(word: str) -> str:
    """'e-residency' -> 'e-resident': the holder of a status named by a noun in -ency or -ship."""
    for suffix, repl in (("ency", "ent"), ("ship", "")):
        if word.endswith(suffix) and len(word) > len(suffix) + 3:
            return word[:-len(suffix)] + repl
    return word


CHANGE_BY = re.compile(r"\b(?P<verb>grew|grown|rose|risen|fell|fallen|increased|decreased|dropped|declined|climbed|"
                       r"jumped|shrank|went up|went down|was up|was down|were up|were down)\s+(?:by\s+)?"
                       r"(?:(?:about|some|around|nearly|almost|more than|over|roughly)\s+)?$", re.I)
DOWNWARD = ("fell", "fallen", "decreased", "dropped", "declined", "shrank", "went down", "was down", "were down")


def _change_by(ctx: SentenceContext, n: Mention) -> bool:
    """"the population grew by 105,900": a change in the number of something, not a count (a level, its change
    and its rate are three properties)."""
    m = CHANGE_BY.search(ctx.before(n.start, 50))
    if not m:
        return False
    vstart = n.start - len(ctx.before(n.start, 50)) + m.start()
    found = measures.ending(ctx.text, vstart, ctx.clause(vstart)[0])
    if found is None:
        return False
    sign = -1 if m.group("verb").lower() in DOWNWARD else 1
    ctx.claim(ctx.figure_subject(found.start), "difference", Value.number(n.value * sign), (found.start, n.end),
              bound=n.bound, time=ctx.time_for(n.start), qualifiers={"of": found.key}, confidence=0.6)
    return True


def _number_of(ctx: SentenceContext, n: Mention) -> bool:
    """"the number of households producing solar power had risen to 44.5 thousand": a count of X."""
    head = ctx.text[ctx.sent.start:n.start]
    m = re.search(r"\b(?:the\s+)?(?:total\s+)?number of\s+(?P<of>[\w’' -]+?)\s+(?:\w+\s+){0,3}?"
                  r"(?:rose|risen|grew|grown|reached|stood|stands|was|is|fell|fallen|increased|decreased|totalled|"
                  r"came)\b[^,;]*$", head, re.I)
    if not m:
        return False
    subj = ctx.figure_subject(ctx.sent.start + m.start()) or ctx.doc.topic
    found = measures.after(ctx.text, ctx.sent.start + m.start("of"), ctx.sent.end)
    of = found.key if found is not None else m.group("of")
    prop = "count"
    if n.per:  # "the number of new members was 1,300 per month": a rate
        prop, of = "rate", f"{of} per {measures.per_key(n.per)}"
    ctx.claim(subj, prop, Value.number(n.value), (ctx.sent.start + m.start(), n.end), bound=n.bound,
              time=ctx.time_for(n.start), qualifiers={"of": of}, confidence=0.6)
    return True


def _rank_number(ctx: SentenceContext, n: Mention) -> bool:
    """"came in at number 3 in the X Index", "is No. 1 in": a rank written as a number."""
    if not re.search(r"\b(?:number|no\.|No\.|#)\s*$", ctx.before(n.start, 12)) or n.kind != "number":
        return False
    o = Mention("ordinal", n.start, n.end, n.value)
    rank(ctx, o, Value.number(int(n.value)))
    return True


def _list_index(ctx: SentenceContext, n: Mention) -> bool:
    """A list or section number: the first thing in its line, followed by '.' or ')'."""
    line_start = ctx.text.rfind("\n", 0, n.start) + 1
    return not ctx.text[line_start:n.start].strip(" -*#") and ctx.text[n.end:n.end + 1] in (".", ")")
