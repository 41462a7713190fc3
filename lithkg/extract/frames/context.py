"""What every rule reads with: the document being read, and one sentence of it.

:class:`DocumentContext` is a document as the extractor sees it (its text and layout, the ontology's lookups,
the entities named in it) and what the reading remembers from one sentence to the next (the paragraph's
topic, the index last named, the last claim made). :meth:`DocumentContext.emit` is the one place a claim is
made: it resolves the property and qualifiers, dates what is said of an event at the event's date, trims the
quote and drops repeats.

:class:`SentenceContext` is one sentence: its entities, dates, numbers and ordinals, and the helpers the rules
share: the words before and after a value, the time a value holds (:meth:`~SentenceContext.time_for`), the
entity a clause is about (:meth:`~SentenceContext.subject_before`), an earlier value of the same quantity ("up
from 9%", :meth:`~SentenceContext.prior_value`) and the same quantity for the next name in a list
(:meth:`~SentenceContext.list_pair`).

The rules are the modules beside this one; :data:`lithkg.extract.frames.dispatch.RULES` applies them in order.
"""
from __future__ import annotations

import functools
import re

from ...model import Claim, Document, Evidence, Qualifier, Term, TimeSpec, Value, parse_iso_date
from ...rdf.ontology import Ontology, PropertyInfo
from ..entities import EntityMention, Gazetteer, scope_key
from ..text import Sentence, layout
from ..dates import DateMention
from ..values import Mention, UnitIndex
from .clauses import (CLAUSE_BREAK, CLAUSE_OPENER, COORDINATION, DATELINE, FINITE_VERB, OWNED_PHRASE, PERSON_APPOSITIVE,
                      PLACE_AFTER, PLACE_OPENER, POSSESSED_NAME, PREPOSITION_BEFORE, REFERRING_NOUNS,
                      REFERRING_POSSESSIVE, RELATIVE, SUBJECT_LEAD, THAT_OPENER, UNNAMED_SUBJECT, core_start, is_source)

# words the rules of several modules look for
EVENT_TYPES = ("Event", "Legislation")
PARTICIPATION = re.compile(r"\b(?:joined|join|took part|take part|taking part|gathered|attended|participated|formed|"
                           r"marched|rallied|protested|lined|linked|held hands|joined hands|hand in hand|stood|"
                           r"took to the streets|turned out|drew|chain)\b", re.I)
PLANNED = re.compile(r"\b(?:planned|plans?|originally|initially|proposed|projected|expected|envisaged|"
                     r"will|would|to be built|under construction|forecast)\b", re.I)
PERIOD = re.compile(r"\b(?:over|during|in|for|within)\s+(?P<p>the\s+(?:first|last|past|next|initial)\s+(?:\w+\s+)?"
                    r"(?:days?|weeks?|months?|years?|quarters?|decades?)(?:\s+of\s+(?:the\s+)?[\w’' -]+?)?)"
                    r"(?=\s*(?:[,.;:]|$|\bwhich\b|\band\b|\bwhen\b))", re.I)
APPOSITIVE = re.compile(r",\s+(?:a|an|home to|once|formerly|now)\s+[^,;]{2,90}?,|\([^()]{1,90}\)")


@functools.lru_cache(maxsize=4)
def gazetteer(ontology: Ontology) -> Gazetteer:
    return Gazetteer(ontology)


@functools.lru_cache(maxsize=4)
def _units(ontology: Ontology) -> UnitIndex:
    return UnitIndex(ontology.units.values())


@functools.lru_cache(maxsize=16)
def _measure_nouns(ontology: Ontology, kind: str) -> dict[str, str]:
    """Measure noun -> property name, for the properties of one value kind (``lkg:measureNoun``)."""
    return {noun: p.name for p in ontology.properties.values() if p.value_kind == kind and not p.is_qualifier
            for noun in p.measure_nouns}


def header_property(header: str, ontology: Ontology) -> PropertyInfo | None:
    """The frame a table column's header names (by a property's name, label or alias)."""
    for p in ontology.properties.values():
        if p.is_qualifier:
            continue
        names = {p.name.lower(), p.label.lower(), *(a.lower() for a in p.aliases)}
        if header in names or (header.split() and header.split()[0] in names):
            return p
    return None






def is_index_name(label: str) -> bool:
    return bool(re.search(r"\b(?:Index|Ranking|Rankings|Scoreboard|League Table|Report|Barometer)\b", label))


def inside(pos: int, spans) -> bool:
    return any(a <= pos < b for a, b in spans)


def overlaps(s: int, e: int, spans) -> bool:
    return any(s < b and a < e for a, b in spans)


def _real_dates(time: TimeSpec, value: Value, quals) -> bool:
    """Whether every date of a claim is a real ISO date from year 0001 to 9999 ("9243 years after" an event, or
    "next year" in a text dated 9999, names none; such a claim is not made)."""
    dates = [time.point, time.start, time.end, value.lexical if value.kind == "date" else None,
             *(q.value.lexical for q in quals if q.value.kind == "date")]
    try:
        for text in dates:
            if text is not None:
                parse_iso_date(text)
    except ValueError:
        return False
    return True


def _trim(text: str, s: int, e: int) -> tuple[int, int]:
    while s < e and text[s] in " ,;:":
        s += 1
    while e > s and text[e - 1] in " ,;:":
        e -= 1
    return s, e


class DocumentContext:
    """One document being read: its text, layout and entities, the ontology's lookups, the claims made so far
    and what the reading remembers from sentence to sentence. :class:`.reader.Reader` fills it in."""

    def __init__(self, doc: Document, ontology: Ontology, name: str, version: str):
        self.document, self.ontology, self.name, self.version = doc, ontology, name, version
        self.text = doc.text
        self.gaz = gazetteer(ontology)
        self.units = _units(ontology)
        self.layout = layout(self.text)
        self.doc_date = doc.source_date
        self.focus_info = None           # the entity the document is about (its pronouns name it)
        self.entities: list[EntityMention] = []
        self.lead_year: str | None = None
        self.claims_out: list[Claim] = []
        # what the reading remembers from one sentence to the next
        self.last_by_noun: dict[str, EntityMention] = {}
        self.last_index: EntityMention | None = None
        self.last_index_paragraph = -10
        self.last_legislation: EntityMention | None = None
        self.topic: EntityMention | None = None
        self.previous_subject: EntityMention | None = None  # the subject the sentence before opened with
        self.sentence_before = 0   # where the sentence before the current one starts
        self._sentence_now = 0
        self.last_claim: Claim | None = None
        self.as_of: TimeSpec | None = None
        self.as_of_used = False
        self.paragraph_claims: dict[str, Claim] = {}
        self._seen: set = set()

    def emit(self, subject: EntityMention | None, prop: str, value: Value, span: tuple[int, int], *,
             unit: str | None = None, bound: str | None = None, time: TimeSpec = TimeSpec(),
             qualifiers: dict | None = None, confidence: float = 0.8, subject_term: Term | None = None) -> None:
        info = self.ontology.property(prop)
        if info is None:
            return
        if subject_term is not None:
            subj = subject_term
        elif subject is None:
            if self.focus_info is None:
                return
            subj = Term(self.focus_info.iri, self.focus_info.label)
            confidence = min(confidence, 0.6)
        else:
            subj = subject.term
        quals = []
        for qname, qval in (qualifiers or {}).items():
            q = self.ontology.qualifier(qname)
            if q is None or qval is None:
                continue
            if isinstance(qval, EntityMention):
                qv = Value.entity(qval.term)
            elif isinstance(qval, Value):
                qv = qval
            else:
                text = " ".join(str(qval).split()).strip(" ,.;:")
                if not text:
                    continue
                qv = Value.text_(text)
            key = scope_key(self.gaz, info.name, q.name, qv.lexical) if qv.kind == "text" else None
            quals.append(Qualifier(q.term, qv, self.ontology.is_scoping(info, q), key))
        if subject is not None and subject.info is not None and subject.info.date and time.inferred and \
                self.doc_date and time == self.doc_time() and info.value_kind != "Date":
            time = TimeSpec(point=subject.info.date, inferred=True)  # what is said of an event holds at its date
        if not _real_dates(time, value, quals):
            return
        start, end = span
        start, end = _trim(self.text, start, end)
        claim = Claim(subject=subj, property=info.term, value=value, evidence=Evidence.at(self.text, start, end),
                      extractor=self.name, extractor_version=self.version, unit=unit, bound=bound, time=time,
                      qualifiers=tuple(quals), confidence=confidence)
        key = (claim.group_key(), claim.value.lexical, start)
        if key in self._seen:
            return
        self._seen.add(key)
        self.claims_out.append(claim)
        self.last_claim = claim
        self.paragraph_claims[info.name] = claim

    def focus_mention(self, start: int, end: int) -> EntityMention | None:
        """The document's focus, as named at a span ("the project's", "the company")."""
        info = self.focus_info
        if info is None:
            return None
        return EntityMention(start, end, info.iri, info.label, "description", info)

    def measure_frame(self, found, kind: str) -> tuple[str | None, str]:
        """The property of ``kind`` (a value kind: Money, Count, Share) whose measure noun heads the phrase
        ``found`` (a :class:`.measures.Measure`), and the phrase's other words; (None, key) when none does."""
        nouns = _measure_nouns(self.ontology, kind)
        words = found.key.split()
        for k in range(len(words)):
            tail = " ".join(words[k:])
            if tail in nouns:
                return nouns[tail], " ".join(words[:k])
        return None, found.key

    def doc_time(self) -> TimeSpec:
        """A claim that says no time holds as of the document: the year its title reports on ("Port cargo 2023",
        published in 2024), else its date's year (a day would claim too much)."""
        if not self.doc_date:
            return TimeSpec()
        year = self.doc_date[:4]
        titled = re.findall(r"\b(1[89]\d\d|20\d\d)\b", self.document.title or "")
        if titled and titled[-1] < year:
            year = titled[-1]
        elif self.lead_year and self.lead_year == str(int(year) - 1):
            year = self.lead_year
        return TimeSpec(point=year, inferred=True)

    def unit_iri(self, n: Mention) -> str | None:
        if n.kind == "money":
            info = self.ontology.unit(n.unit)
            return info.iri if info else None
        if n.kind == "percent":
            return "http://qudt.org/vocab/unit/PERCENT"
        if n.kind == "quantity":
            return n.unit
        return None


class SentenceContext:
    """One sentence being read: its entities, dates, numbers and ordinals (absolute offsets in the document's
    text), the dates a rule has used, and the helpers the rules share. ``doc`` is the :class:`DocumentContext`."""

    def __init__(self, doc: DocumentContext, sent: Sentence, ents, dates, nums, ords, markers):
        self.doc = doc
        self.sent = sent
        self.text = doc.text
        self.ents = ents
        self.dates = dates
        self.nums = nums
        self.ords = ords
        self.markers = markers
        self.used_dates: set[int] = set()
        self._source: EntityMention | None | bool = False  # not looked for yet
        self.appositives = [(sent.start + m.start(), sent.start + m.end()) for m in APPOSITIVE.finditer(sent.text)]

    # ---- the words around a value
    def before(self, pos: int, n: int = 60) -> str:
        return self.text[max(self.sent.start, pos - n):pos]

    def after(self, pos: int, n: int = 60) -> str:
        return self.text[pos:min(self.sent.end, pos + n)]

    def np_before(self, pos: int) -> str:
        """The few words before a verb or number that name what is measured ("unemployment rate", "exports")."""
        window = re.split(r"[.,;:()—]", self.before(pos, 60))[-1]
        words = re.findall(r"[\w’'-]+", window)
        stop = {"is", "was", "are", "were", "stood", "stands", "at", "reached", "of", "to", "the", "a", "an", "by",
                "has", "have", "had", "been", "its", "their", "our", "in", "on", "and", "that", "this", "which",
                "now", "currently", "about", "around", "some", "nearly", "over", "more", "than", "less", "up",
                "down", "from", "with", "for", "into", "as", "or", "be", "will", "would", "when", "while", "where",
                "whereas", "after", "before", "since", "until"}
        while words and words[-1].lower() in stop:
            words.pop()
        out = []
        for i in range(len(words) - 1, -1, -1):
            w = words[i]
            if w.lower() in ("on", "of", "for", "in") and out and i > 0 and words[i - 1].lower() not in stop \
                    and not words[i - 1][0].isdigit():
                out.insert(0, w)  # "spending on cyber security"
                continue
            if w.lower() in stop or w[0].isdigit() or (w[0].isupper() and out):
                break
            out.insert(0, w)
            if len(out) >= 5:
                break
        return " ".join(out).lower() if out and not any(o[0].isupper() for o in out[-1:]) else ""

    def period(self, pos: int) -> str | None:
        m = PERIOD.search(self.text, pos, self.sent.end)
        return m.group("p") if m and m.start() - pos < 40 else None

    def clause(self, pos: int) -> tuple[int, int]:
        """The stretch of the sentence around ``pos`` between commas, semicolons or 'which'."""
        bounds = [self.sent.start] + [self.sent.start + m.end() for m in re.finditer(r"[,;:—]\s*|\swhich\s",
                                                                                     self.sent.text)] + [self.sent.end]
        start = max(b for b in bounds if b <= pos)
        end = min((b for b in bounds if b > pos), default=self.sent.end)
        return start, end

    # ---- when a value holds
    def time_for(self, pos: int, exclude: tuple[int, int] | None = None) -> TimeSpec:
        """The sentence's date nearest to a value (before it first), else the document's date (inferred)."""
        cands = [d for d in self.dates if d.value and not (exclude and exclude[0] <= d.start < exclude[1])
                 and not self._identifies_thing(d) and not self._comparison(d)
                 and not self._in_other_relative_clause(d, pos)]
        c0, c1 = self.clause(pos)
        own = [d for d in cands if c0 <= d.start < c1]
        d = None
        if own:
            d = min(own, key=lambda d: (pos - d.end if d.end <= pos else d.start - pos, d.start > pos))
        elif cands:
            first = self.clause(self.sent.start)
            opening = [x for x in cands if first[0] <= x.start < first[1]]
            if opening and not any(first[0] <= v.start < first[1] for v in self.nums + self.ords):
                d = opening[0]
            else:
                d = min(cands, key=lambda d: (pos - d.end if d.end <= pos else d.start - pos, d.start > pos))
        if d is not None:  # "today" dates an event to the day, a state ("today X ranks 6th") to the year, as "now"
            value = d.value[:4] if d.relative in ("today", "now", "currently") else d.value
            return TimeSpec(point=value, inferred=bool(d.relative or d.yearless))
        if self.doc.as_of is not None:
            self.doc.as_of_used = True
            return self.doc.as_of
        return self.doc.doc_time()

    def _in_other_relative_clause(self, d: DateMention, pos: int) -> bool:
        """'Tartu, home to a university that dates back to 1632, held 8th place': a date inside a relative clause
        dates that clause, not the sentence's other values."""
        for m in re.finditer(r"\b(?:that|which|who|whose)\b[^,;]*", self.sent.text):
            a, b = self.sent.start + m.start(), self.sent.start + m.end()
            if a <= d.start < b and not a <= pos < b:
                return True
        return False

    def _comparison(self, d: DateMention) -> bool:
        """'less than in 2022', 'from sixth in 2022', 'since 2019': a date something is compared with or counted
        from, not when the value holds."""
        if self.text[d.end:d.end + 2] in ("'s", "’s"):
            return True  # "last year's 2,480": the date of an earlier value
        head = self.text[max(self.sent.start, d.start - 25):d.start]
        return bool(re.search(r"\b(?:than|compared (?:with|to)|versus|vs\.?|from\s+\S+|since|against)\s+"
                              r"(?:in\s+|the end of\s+|the start of\s+)?$", head, re.I))

    def _identifies_thing(self, d: DateMention) -> bool:
        """'the 1989 chain': a year naming which thing is meant (a known entity's noun), not when a value holds."""
        if not re.search(r"\bthe\s+$", self.text[max(self.sent.start, d.start - 5):d.start], re.I):
            return False
        m = re.match(r"^\s+([a-z][\w -]{0,20})", self.text[d.end:d.end + 24])
        return bool(m) and any(m.group(1).startswith(n) for n in self.doc.gaz.nouns)

    # ---- what a value is about
    def subject_before(self, pos: int, *, exclude: tuple[int, int] | None = None, allow_objects: bool = False,
                       avoid: str | None = None) -> EntityMention | None:
        """The entity a clause ending at ``pos`` is about: the nearest one before it, not inside an appositive,
        not the object of a preposition; in a coordination ("Lithuania, Latvia and Estonia") the focus or the
        first."""
        head = self.apposed(pos)
        if head is not None and head.iri != avoid:
            return head
        cands = []
        for m in self.ents:
            if m.end > pos or (exclude and exclude[0] <= m.start < exclude[1]) or m.iri == avoid or \
                    m.how == "possessive":
                continue
            if any(a <= m.start < b and not a <= pos <= b for a, b in self.appositives) and \
                    not any(a == m.start - 1 for a, _ in self.appositives):
                continue  # inside an appositive the value is not in
            if not allow_objects and PREPOSITION_BEFORE.search(self.text[max(self.sent.start, m.start - 14):m.start]):
                continue
            if self.text[m.end:m.end + 2] in ("'s", "’s") and m.how != "possessive":
                continue  # "the war's first weeks": a possessor, not the subject
            if m.how in ("name", "minted") and is_source(self.text, m, self.sent.start, self.sent.end):
                continue  # "BNS reported", "according to X": provenance
            cands.append(m)
        if not cands:
            return self.doc.topic if self.doc.topic is not None and self.doc.topic.iri != avoid and \
                pos > self.sent.start and not self.names_something_before(pos) else None
        best = cands[-1]
        group = [best]
        for m in reversed(cands[:-1]):
            if COORDINATION.match(self.text[m.end:group[0].start]):
                group.insert(0, m)
            else:
                break
        if len(group) > 1:
            focus = next((m for m in group if self.doc.focus_info and m.iri == self.doc.focus_info.iri), None)
            return focus or group[0]
        return best

    def figure_subject(self, pos: int) -> EntityMention | None:
        """The entity a figure at ``pos`` is about, or None for the document's focus: a possessor in the figure's
        clause ("Oura's valuation", "the country's passport") or the clause's subject ("Estonia would pay ...",
        after openers such as "In 2020," or "According to X,"); never who reports it (a source) and never a
        name inside a prepositional phrase ("the cost in Latvia" is the focus's, in Latvia)."""
        appositive = self.apposed(pos)
        if appositive is not None:
            return appositive
        c0 = self.sent.start
        for m in CLAUSE_BREAK.finditer(self.text, self.sent.start, pos):
            c0 = m.end()
        lo, hi = self.sent.start, self.sent.end
        inside_clause = [m for m in self.ents if c0 <= m.start and m.end <= pos]
        rel = None
        for r in RELATIVE.finditer(self.text, c0, pos):
            rel = r
        if rel is not None:  # "a human chain that stretched 32 km": the relative clause's head
            head = next((m for m in reversed(inside_clause) if 0 <= rel.start() - m.end <= 1), None)
            if head is not None:
                return head
        owner = None
        for owner in REFERRING_POSSESSIVE.finditer(self.text, c0, pos):
            pass
        if owner and self.doc.focus_info is not None and all(
                m.end <= owner.start() or PREPOSITION_BEFORE.search(self.text[max(lo, m.start - 14):m.start])
                for m in inside_clause):
            return self.doc.focus_mention(owner.start(), owner.end())  # "the project's total cost of ..."
        for m in reversed(inside_clause):
            if any(o.start > m.end and POSSESSED_NAME.fullmatch(self.text, m.end, o.start) for o in inside_clause):
                continue  # "Lithuania's Nord Security", "Lithuania's state-owned X": the possessed name is the subject
            if self.text[m.end:m.end + 2] in ("'s", "’s") and not PREPOSITION_BEFORE.search(
                    self.text[max(lo, m.start - 14):m.start]) and not is_source(self.text, m, lo, hi):
                return m
        head = self.text[c0:pos]
        opener = CLAUSE_OPENER.match(head)
        core = c0 + (opener.end() if opener else 0)
        dateline = DATELINE.match(self.text, core) or THAT_OPENER.match(self.text, core)
        if dateline:
            core = dateline.end()  # "RIGA - ...", "It is expected that ..."
        for m in inside_clause:
            if m.start < core:
                continue
            owned = OWNED_PHRASE.fullmatch(self.text, core, m.start)
            if owned and not is_source(self.text, m, lo, hi) and not (
                    owned.group("prep") in ("in", "at") and m.has_type("Country", "City", "Place")):
                return m  # "The revenue generated by X in Y soared by 52%": X's revenue
            possessed = next((o for o in inside_clause if o.start > m.end and
                              POSSESSED_NAME.fullmatch(self.text, m.end, o.start)), None)
            if possessed is not None:
                core = possessed.start  # "Latvia's Rail Baltica project": the possessed name
                continue
            if not SUBJECT_LEAD.match(self.text[core:m.start]):
                break
            if is_source(self.text, m, lo, hi) or m.how == "possessive":
                break
            return m
        if re.search(r"\b(?:its|their|it)\b", head, re.I) and self.doc.topic is not None:
            return self.doc.topic  # "Of its length, 165 km ...": what the paragraph is about
        return self.doc.previous_subject  # "X handled 20 Mt. Throughput fell ...": the last sentence's subject

    def unnamed_subject(self, pos: int) -> str | None:
        """The head noun of an unnamed subject the figure's sentence opens with ("The route agreed in 2015 was
        longer: 534 km" is the route's length, not the pipeline's), or None."""
        m = UNNAMED_SUBJECT.match(self.text, core_start(self.sent.text, self.sent.start), pos)
        if not m or any(m.start() <= e.start < m.end() for e in self.ents):
            return None
        noun = m.group("noun").lower()
        if noun in self.doc.gaz.nouns or noun in REFERRING_NOUNS:
            return None
        return noun

    def place_scope(self, pos: int, end: int) -> EntityMention | None:
        """The place a figure is stated for, when the figure is not the place's own: a clause that opens with it
        ("In Latvia, the cost is ...", "in Estonia the project was valued at ...") or "in/for X" right after the
        figure ("€2.5bn in Lithuania")."""
        c0, _ = self.clause(pos)
        places = [m for m in self.ents if m.info is not None and
                  m.info.has_type("Country", "City", "Place", "AdministrativeArea")]
        after = PLACE_AFTER.match(self.text, end, self.sent.end)
        if after:
            hit = next((m for m in places if m.start == after.end()), None)
            if hit is not None and not COORDINATION.match(self.text[hit.end:hit.end + 6] or "x"):
                return hit
        opener = PLACE_OPENER.match(self.text, c0, pos)
        if opener:
            return next((m for m in places if m.start == opener.end()), None)
        return None

    def sentence_subject(self) -> EntityMention | None:
        """The subject the sentence opens with (after openers and a dateline), if it names an entity."""
        core = core_start(self.sent.text, self.sent.start)
        dateline = DATELINE.match(self.text, core)
        if dateline:
            core = dateline.end()
        for m in self.ents:
            if m.start < core or m.how in ("pronoun", "possessive"):
                continue
            possessed = next((o for o in self.ents if o.start > m.end and
                              POSSESSED_NAME.fullmatch(self.text, m.end, o.start)), None)
            if possessed is not None:
                core = possessed.start
                continue
            if not SUBJECT_LEAD.match(self.text[core:m.start]) or is_source(self.text, m, self.sent.start,
                                                                             self.sent.end):
                return None
            return m
        return None

    def apposed(self, pos: int) -> EntityMention | None:
        """'Rail Baltica, the 870 km standard-gauge line ...': the name an appositive holding ``pos`` describes."""
        before = self.text[self.sent.start:pos]
        m = re.search(r",\s+(?:the|a|an)\s[^,;]*$", before)
        if not m or FINITE_VERB.search(before, m.start()):
            return None  # "According to X, the total cost is N": a clause, not an appositive
        comma = self.sent.start + m.start()
        head = next((e for e in self.ents if e.end == comma and e.how in ("name", "minted", "description")), None)
        if head is not None and is_source(self.text, head, self.sent.start, self.sent.end):
            return None  # "according to X, the ...": who reports, not what the figure is about
        return head

    def subject_after(self, pos: int, avoid: str | None = None) -> EntityMention | None:
        for m in self.ents:
            if m.start >= pos and m.iri != avoid and m.how != "possessive" and \
                    not PREPOSITION_BEFORE.search(self.text[max(self.sent.start, m.start - 14):m.start]):
                return m
        return None

    def names_something_before(self, pos: int) -> bool:
        """Whether the clause before ``pos`` has a subject of its own that is not a known entity."""
        head = self.text[self.sent.start:pos]
        return bool(re.match(r"^\s*(?:The|A|An)\s+[a-z]", head)) and not re.search(
            r"\b(?:it|its|this|that)\b", head, re.I)

    def subject(self, pos: int, exclude=None) -> EntityMention | None:
        return self.subject_before(pos, exclude=exclude) or self.subject_after(exclude[1] if exclude else pos)

    def index_here(self) -> EntityMention | None:
        for m in self.ents:
            if m.how in ("pronoun", "possessive"):
                continue
            if (m.info is not None and (m.info.has_type("CreativeWork") or "index" in m.info.nouns)) or \
                    (m.how == "minted" and is_index_name(m.label)):
                return m
        return None

    def footnote(self) -> str | None:
        for a, b in self.markers:
            n = self.text[a:b].strip("[]^")
            if n in self.doc.layout.footnotes:
                return self.doc.layout.footnotes[n]
        return None

    def event_by_date(self, value: str) -> EntityMention | None:
        found = [e for e in self.doc.ontology.entities.values() if e.has_type("Event") and e.date
                 and e.date.startswith(value[:4])]
        if len(found) != 1:
            return None
        e = found[0]
        return EntityMention(self.sent.start, self.sent.start, e.iri, e.label, "description", e)

    # ---- making claims
    def claim(self, subject, prop, value, span, **kw):
        """Make a claim of this sentence; who the sentence says reports it ("according to X", "X said") is
        recorded as its cited source, a qualifier that does not make another quantity."""
        source = self.reporting_source()
        about = subject.iri if subject is not None else (self.doc.focus_info.iri if self.doc.focus_info else None)
        if source is not None and source.iri != about:
            quals = dict(kw.get("qualifiers") or {})
            quals.setdefault("citedSource", source.label)
            kw["qualifiers"] = quals
        self.doc.emit(subject, prop, value, span, **kw)

    def reporting_source(self) -> EntityMention | None:
        """The name the sentence gives as who reports its figures ("according to Stats NZ", "BNS reported")."""
        if self._source is False:
            self._source = next((m for m in self.ents if m.how in ("name", "minted")
                                 and is_source(self.text, m, self.sent.start, self.sent.end)
                                 and not re.search(r"\b(?:of|in|on|for|about)\s+(?:the\s+)?$",
                                                   self.text[max(self.sent.start, m.start - 12):m.start])
                                 and not PERSON_APPOSITIVE.match(self.text, m.end, self.sent.end)), None)
        return self._source
