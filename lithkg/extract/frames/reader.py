"""The automatic extractor: rules for kinds of statement, driven by the frames in ``ontology/frames.ttl``.

For each sentence it finds values (:mod:`.values`) and entities (:mod:`.entities`), then reads:

* **ranks** — an ordinal with a ranking verb or place word and a scope ("ranks 6th globally in the X Index",
  "was 57th in this ranking", "placed second", "number 3"); the index comes from the sentence, from "this
  ranking" (the index last named), or from a footnote; a footnote next to a named index is its cited source;
* **positions** — "the first country to ...", "the third biggest donor", "its second unicorn" (a count);
* **anniversaries** — "the 31st anniversary of X" holds at X's date plus 31 years;
* **shares and changes** — "0.06% of GDP", "increased its spending on X by 30%", "15% of electricity";
* **money** — "$100 million", "EUR 558 million", read as funding, valuation, cost, revenue or an amount by the
  words around it;
* **quantities** — a number with a unit states the unit's property (a length for km), in a region ("165 km in
  Lithuania"), planned or actual;
* **counts** — "more than a million people joined" (participants), "All 123 MPs supported" (votes), "over
  10,000 students" (a count of students);
* **dates** — an event verb ("launched on", "was inaugurated in", "adopted in March"), "since the beginning of
  April", or a named event next to a date;
* **relations** — a frame's trigger between two entities ("X hosts Y").

Each claim gets the sentence's time (an explicit or relative date, else the document's date, marked inferred),
a bound from the words before the number, the quote and its span, and a confidence.
"""
from __future__ import annotations

import dataclasses
import functools
import re
from decimal import Decimal

from ...model import Claim, Document, Evidence, Qualifier, Term, TimeSpec, Value, parse_iso_date
from ...rdf.ontology import Ontology, PropertyInfo
from .. import ExtractionContext, register
from ..entities import PRONOUNS, EntityMention, Gazetteer, focus_entity, scope_key
from ..text import Sentence, layout
from ..values import FOOTNOTE_RE, DateMention, Mention, UnitIndex, find_dates, find_numbers, find_ordinals

RANK_VERB = re.compile(r"\b(?:rank(?:s|ed|ing)?|placed|places|came(?: in)?|comes|stood|stands|sits|sat|finished|"
                       r"listed|rated|position(?:ed)?|is|was|are|were|remains|remained|moved|climbed|fell|dropped|"
                       r"rose|took)\b", re.I)
RANK_SCOPE = re.compile(r"\b(?:in the world|globally|worldwide|world['’]s|in europe|in the eu|in the region|"
                        r"among\b|out of \d+|of \d+ countries|index|ranking|rankings|league table|list|table|"
                        r"place|position|spot)\b", re.I)
PLACE_WORD = re.compile(r"^\s*(?:place|position|spot)\b", re.I)
SUPERLATIVE = re.compile(r"^\s*(?:biggest|largest|greatest|highest|lowest|smallest|most\s+\w+|least\s+\w+|"
                         r"fastest|busiest|oldest|youngest|richest|poorest|best|worst|strongest|top)\b", re.I)
EVENT_VERBS = {
    "inception": r"launched|inaugurated|opened|founded|established|commissioned|completed|set up|built|created|"
                 r"started operating|began operating|went into operation|entered (?:\w+ )?service|dates back to",
    "date": r"adopted|signed|was held|were held|took place|was made|were made|was taken|were taken|approved|passed|"
            r"enacted|ratified|"
            r"took effect|came into force|happened|occurred",
}
EVENT_VERBS["firstMentioned"] = r"first mentioned|first recorded|first documented"
EVENT_TYPES = ("Event", "Legislation")
PASSIVE_BEFORE = re.compile(r"\b(?:was|were|been|be|is|are|being|got)\s+(?:\w+ly\s+)?$", re.I)
PARTICIPATION = re.compile(r"\b(?:joined|join|took part|take part|taking part|gathered|attended|participated|formed|"
                           r"marched|rallied|protested|lined|linked|held hands|joined hands|hand in hand|stood|"
                           r"took to the streets|turned out|drew|chain)\b", re.I)
PEOPLE_NOUNS = {"people", "persons", "participants", "protesters", "demonstrators", "citizens", "residents",
                "volunteers", "attendees", "marchers"}
VOTE_NOUNS = {"mps", "members", "deputies", "lawmakers", "legislators", "senators", "votes", "parliamentarians",
              "representatives", "councillors"}
VOTE_VERBS = re.compile(r"\b(?:supported|voted for|voted in favour|backed|approved|endorsed|in favour)\b", re.I)
CHANGE_VERBS = re.compile(
    r"\b(?P<verb>increased|increases|increase|raised|raises|grew|grows|grown|rose|rises|risen|climbed|jumped|"
    r"boosted|expanded|went up|decreased|decreases|decrease|cut|cuts|reduced|reduces|fell|falls|fallen|dropped|"
    r"drops|declined|declines|shrank|shrunk|lowered|went down|slid|plunged|gained|lost)\b", re.I)
DOWN_VERBS = {"decreased", "decreases", "decrease", "cut", "cuts", "reduced", "reduces", "fell", "falls", "fallen",
              "dropped", "drops", "declined", "declines", "shrank", "shrunk", "lowered", "went down", "slid",
              "plunged", "lost"}
MONEY_FRAMES = [
    ("valuation", re.compile(r"\bvaluation\b|\bvalued\b", re.I)),
    ("fundingRaised", re.compile(r"\braised?\b|\braising\b|\bfunding round\b|\binvestors?\b|\bsecured\b", re.I)),
    ("cost", re.compile(r"\bcosts?\b|\bcosting\b|\bbudget(?:ed)?\b|\bprice\b|\bworth\b|\bspent\b|\bspend\b", re.I)),
    ("revenue", re.compile(r"\brevenues?\b|\bturnover\b|\bsales\b|\bincome\b|\bearned\b", re.I)),
    ("funding", re.compile(r"\bgrants?\b|\bgranted\b|\ballocated\b|\baid\b|\bcontribut\w+|\bco-?financ\w+|"
                           r"\bco-?fund\w+|\bfunding\b|\bfunded\b|\bsupport\b|\binvest\w*", re.I)),
]
PLANNED = re.compile(r"\b(?:planned|plans?|originally|initially|proposed|projected|expected|envisaged|"
                     r"will|would|to be built|under construction|forecast)\b", re.I)
PERIOD = re.compile(r"\b(?:over|during|in|for|within)\s+(?P<p>the\s+(?:first|last|past|next|initial)\s+(?:\w+\s+)?"
                    r"(?:days?|weeks?|months?|years?|quarters?|decades?)(?:\s+of\s+(?:the\s+)?[\w’' -]+?)?)"
                    r"(?=\s*(?:[,.;:]|$|\bwhich\b|\band\b|\bwhen\b))", re.I)
PREPOSITION_BEFORE = re.compile(r"\b(?:from|to|in|into|within|among|across|via|through|between|with|by|of|for|on|"
                                r"at|behind|under|over|than|like|including|beyond|against|towards?|near)\s+"
                                r"(?:the\s+)?$", re.I)
APPOSITIVE = re.compile(r",\s+(?:a|an|home to|once|formerly|now)\s+[^,;]{2,90}?,|\([^()]{1,90}\)")
COORDINATION = re.compile(r"^\s*(?:,\s*(?:and\s+)?|\s+and\s+|\s+or\s+)$")
SKIP_ORDINAL_AFTER = re.compile(r"^\s*(?:time|half|quarter|step|stage|phase|round|reading|wave|class|hand|"
                                r"person|floor|line|lady|world war|(?:\w+\s+)?(?:days?|weeks?|months?|years?|"
                                r"quarters?|decades?|centur(?:y|ies)|hours?))\b", re.I)
COUNT_STOP = {"of", "in", "on", "at", "for", "from", "to", "with", "and", "or", "are", "is", "were", "was", "have",
              "has", "had", "who", "which", "that", "will", "can", "could", "would", "per", "across", "by", "as"}


@functools.lru_cache(maxsize=4)
def _gazetteer(ontology: Ontology) -> Gazetteer:
    return Gazetteer(ontology)


@functools.lru_cache(maxsize=4)
def _units(ontology: Ontology) -> UnitIndex:
    return UnitIndex(ontology.units.values())


@register
class FramesExtractor:
    """Claims read from prose by the frames of ``ontology/frames.ttl``."""

    name = "frames"
    version = "1"

    def extract(self, document: Document, context: ExtractionContext) -> list[Claim]:
        return Reader(document, context.ontology, self.name, self.version).claims()


class Reader:
    def __init__(self, doc: Document, ontology: Ontology, name: str = "frames", version: str = "1"):
        self.doc, self.ontology, self.name, self.version = doc, ontology, name, version
        self.text = doc.text
        self.gaz = _gazetteer(ontology)
        self.units = _units(ontology)
        self.layout = layout(self.text)
        self.doc_date = doc.source_date
        all_names = self.gaz.names(self.text)
        names = [m for m in all_names if not self._in_footnote(m.start)]
        starts = {s.start for s in self.layout.sentences}
        names = self._inside_longer_names(names, all_names)
        minted = self.gaz.minted(self.text, [(m.start, m.end) for m in names] + self.layout.quoted, starts)
        declared = ontology.entity(doc.focus) if doc.focus else None
        if declared is None and doc.title:
            declared = self._title_entity(doc.title)
        info = focus_entity(names, declared)
        self.focus_info = info
        self.entities = sorted(names + [m for m in minted if not self._in_footnote(m.start)], key=lambda m: m.start)
        self.claims_out: list[Claim] = []
        self.lead_year = self._lead_year()
        self.last_by_noun: dict[str, EntityMention] = {}
        self.last_index: EntityMention | None = None
        self.last_index_paragraph = -10
        self.last_legislation: EntityMention | None = None
        self.topic: EntityMention | None = None
        self.last_claim: Claim | None = None
        self.as_of: TimeSpec | None = None
        self.as_of_used = False
        self.paragraph_claims: dict[str, Claim] = {}
        self._paragraph = -1
        self._seen: set = set()

    def _lead_year(self) -> str | None:
        """The year the first prose paragraph reports on ("handled 20.1 million tonnes of cargo in 2023")."""
        first = next((x for x in self.layout.sentences if x.kind == "paragraph"), None)
        if first is None:
            return None
        para = [x for x in self.layout.sentences if x.paragraph == first.paragraph and x.kind == "paragraph"]
        for x in para[:1]:
            for d in find_dates(x.text, self.doc_date):
                if d.value and not d.relative and not d.yearless and len(d.value) == 4:
                    return d.value
        return None

    def _inside_longer_names(self, names: list[EntityMention], all_names: list[EntityMention]) -> list[EntityMention]:
        """'Freeport of Riga', 'Riga Central Station': a place's name inside a longer proper name is that name."""
        from ..entities import NAME_RE, NOT_NAMES
        out = []
        longer = []
        for m in NAME_RE.finditer(self.text):
            words = m.group(0).split()
            while words and words[0] in NOT_NAMES:
                words = words[1:]
            if len(words) < 2:
                continue
            start = m.end() - len(" ".join(words)) if m.group(0).endswith(" ".join(words)) else m.start()
            longer.append((start, m.end(), " ".join(words)))
        for n in names:
            host = next((x for x in longer if x[0] <= n.start and n.end <= x[1] and (x[1] - x[0]) > (n.end - n.start)
                         and n.info is not None and n.info.has_type("City", "Country", "Place")
                         and not any(a.start == x[0] and a.end == x[1] for a in all_names)), None)
            if host is None:
                out.append(n)
            elif not any(o.start == host[0] for o in out):
                out.append(EntityMention(host[0], host[1], self.ontology.ids.unlinked_entity(host[2]), host[2], "minted"))
        return out

    def _title_entity(self, title: str):
        """The entity a document's title names first (a page titled 'University of Tartu: facts' is about it)."""
        from ...rdf.ontology import EntityInfo
        named = self.gaz.names(title)
        if named and named[0].info is not None:
            return named[0].info
        minted = self.gaz.minted(title, [], {0})
        minted = [m for m in minted if len(m.label.split()) > 1]
        if minted:
            m = minted[0]
            return EntityInfo(m.iri, m.label, (), (), ())
        return named[0].info if named else None

    def _in_footnote(self, pos: int) -> bool:
        return any(b.kind == "footnote" and b.start <= pos < b.end for b in self.layout.blocks)

    # ------------------------------------------------------------------ driver
    def claims(self) -> list[Claim]:
        for sent in self.layout.sentences:
            self._sentence(sent)
        for table in self.layout.tables:
            self._table(table)
        return self.claims_out

    def _sentence(self, sent: Sentence) -> None:
        s0, s1 = sent.start, sent.end
        text = self.text
        ents = [m for m in self.entities if s0 <= m.start < s1]
        ents += [p for p in self._pronouns(sent) if not _overlaps(p.start, p.end, [(m.start, m.end) for m in ents])]
        found_dates = find_dates(sent.text, self.doc_date)
        descs = self._descriptions(sent, ents, found_dates)
        descs += [d for d in self._institutions(sent, ents + descs)]
        ents = sorted(ents + descs, key=lambda m: m.start)
        quoted = [q for q in self.layout.quoted if s0 <= q[0] < s1]
        markers = [(s0 + m.start(), s0 + m.end()) for m in FOOTNOTE_RE.finditer(sent.text)]
        skip = quoted + markers
        dates = [DateMention(d.start + s0, d.end + s0, d.value, d.relative, d.yearless) for d in found_dates]
        dates = [d for d in dates if not _inside(d.start, skip)]
        nums = [dataclasses.replace(n, start=n.start + s0, end=n.end + s0)
                for n in find_numbers(sent.text, self.units)]
        nums = [n for n in nums if not _overlaps(n.start, n.end, [(d.start, d.end) for d in dates if d.value])
                and not _inside(n.start, skip)]
        ords = [dataclasses.replace(o, start=o.start + s0, end=o.end + s0) for o in find_ordinals(sent.text)]
        ords = [o for o in ords if not _overlaps(o.start, o.end, [(d.start, d.end) for d in dates])
                and not _inside(o.start, skip)]
        nums = [n for n in nums if not _overlaps(n.start, n.end, [(o.start, o.end) for o in ords])]
        if sent.paragraph != self._paragraph:
            self.topic, self._paragraph = None, sent.paragraph
            self.paragraph_claims = {}
        self.last_claim = None
        if sent.kind == "heading" and self.as_of_used:
            self.as_of, self.as_of_used = None, False
        for d in found_dates:
            if d.value and re.search(r"\b(?:as of|as at|as on)\s+$", sent.text[:d.start], re.I):
                self.as_of = TimeSpec(point=d.value)
        ctx = _Sentence(self, sent, ents, dates, nums, ords, markers)
        if sent.kind != "heading" or nums or ords:
            ctx.read()
        head = next((m for m in ents if m.how in ("name", "description", "minted")
                     and not PREPOSITION_BEFORE.search(text[max(s0, m.start - 14):m.start])), None)
        if head is not None:
            self.topic = head
        for m in ents:
            if m.info is not None:
                for n in m.info.nouns:
                    self.last_by_noun[n.lower()] = m
                if m.info.has_type("CreativeWork") or "index" in m.info.nouns or _is_index_name(m.label):
                    self.last_index, self.last_index_paragraph = m, sent.paragraph
                if m.info.has_type("Legislation"):
                    self.last_legislation = m
            elif _is_index_name(m.label):
                self.last_index, self.last_index_paragraph = m, sent.paragraph

    def _pronouns(self, sent: Sentence) -> list[EntityMention]:
        if self.focus_info is None:
            return []
        out = []
        for m in PRONOUNS.finditer(sent.text):
            word = m.group(0).lower()
            how = "possessive" if word in ("our", "ours") or word.endswith(("'s", "’s")) else "pronoun"
            out.append(EntityMention(sent.start + m.start(), sent.start + m.end(), self.focus_info.iri,
                                     self.focus_info.label, how, self.focus_info))
        return out

    def _institutions(self, sent: Sentence, ents: list[EntityMention]) -> list[EntityMention]:
        """An institution named by its kind and its place ("Tartu, home to a university", "the port in Riga",
        "Tartu's university") is named as such institutions are: "University of Tartu"."""
        out = []
        for rx in _INSTITUTION_PATTERNS:
            for m in rx.finditer(sent.text):
                st, en = sent.start + m.start("noun"), sent.start + m.end("noun")
                if _overlaps(st, en, [(e.start, e.end) for e in ents + out]):
                    continue
                name = f"{m.group('noun').capitalize()} of {m.group('place')}"
                known = self.ontology.entity(name)
                if known is not None:
                    out.append(EntityMention(st, en, known.iri, known.label, "description", known))
                else:
                    out.append(EntityMention(st, en, self.ontology.ids.unlinked_entity(name), name, "minted"))
        return out

    def _descriptions(self, sent: Sentence, ents: list[EntityMention], dates) -> list[EntityMention]:
        out = []
        years = [d.value[:4] for d in dates if d.value and not d.relative]
        for st, en, noun, det in self.gaz.descriptions(sent.text):
            st, en = st + sent.start, en + sent.start
            if _overlaps(st, en, [(m.start, m.end) for m in ents]):
                continue
            candidates = self.gaz.nouns.get(noun, [])
            chosen = None
            if det in ("a", "an") or noun in ("chain", "human chain", "living chain"):
                dated = [c for c in candidates if c.date and any(c.date.startswith(y) for y in years)]
                if len(dated) == 1:
                    chosen = dated[0]
            if chosen is None and det in ("a", "an"):
                context = set(re.findall(r"[^\W\d_]{3,}", self.text[en:en + 80].lower())) - _STOPWORDS
                scored = [(len(context & (set(re.findall(r"[^\W\d_]{3,}", c.label.lower())) - _STOPWORDS)), c)
                          for c in candidates]
                scored = [x for x in scored if x[0] >= 2]
                if len(scored) == 1:
                    chosen = scored[0][1]
            if chosen is None and det not in ("a", "an"):
                last = self.last_by_noun.get(noun)
                if last is not None:
                    chosen = last.info
                elif len(candidates) == 1 and det in ("the", "this", "that"):
                    chosen = candidates[0]
            if chosen is not None:
                out.append(EntityMention(st, en, chosen.iri, chosen.label, "description", chosen))
        return out

    # ------------------------------------------------------------------ emitting
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
                self.doc_date and time == self._doc_time() and info.value_kind != "Date":
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

    # ------------------------------------------------------------------ tables
    def _table(self, table) -> None:
        """A table: the first column of names is the subject of each row; each other column's header names a
        frame (rank, length, date, score, population ...), and its cells are read as that frame's values."""
        text = self.text
        headers = [text[a:b].strip().lower() for a, b in table.header]
        rows = [[(a, b, text[a:b].strip()) for a, b in row] for row in table.rows]
        if not headers or not rows:
            return
        name_col = None
        for i in range(len(headers)):
            cells = [r[i][2] for r in rows if i < len(r)]
            if cells and sum(1 for c in cells if c and not re.match(r"^[\d#~<>≈.,%$€£ -]+", c)) >= len(cells) * 0.6 \
                    and not all(find_dates(c, None) for c in cells if c):
                name_col = i
                break
        if name_col is None:
            return
        for cells in rows:
            if name_col >= len(cells) or not cells[name_col][2]:
                continue
            row_start, row_end = self.text.rfind("\n", 0, cells[0][0]) + 1, self.text.find("\n", cells[-1][1])
            self._row = (row_start, len(self.text) if row_end < 0 else row_end)
            na, nb, name = cells[name_col]
            info = self.ontology.entity(name)
            subject = EntityMention(na, nb, info.iri, info.label, "name", info) if info else \
                EntityMention(na, nb, self.ontology.ids.unlinked_entity(name), name, "minted")
            row_time = self._doc_time()
            for i, (a, b, cell) in enumerate(cells):
                prop = _header_property(re.sub(r"\(.*?\)", "", headers[i]).strip(), self.ontology) \
                    if i < len(headers) else None
                dates = find_dates(cell, self.doc_date) if cell else []
                if prop is not None and prop.value_kind == "Date" and len(dates) == 1 and dates[0].value:
                    row_time = TimeSpec(point=dates[0].value)
            for i, (a, b, cell) in enumerate(cells):
                if i == name_col or i >= len(headers) or not cell:
                    continue
                self._table_cell(subject, headers[i], a, b, cell, row_time)

    def _table_cell(self, subject: EntityMention, header: str, a: int, b: int, cell: str,
                    row_time: TimeSpec) -> None:
        words = re.sub(r"\(.*?\)", "", header).strip()
        if words in ("rank", "#", "position", "place", "no.", "no", "ranking"):
            num = re.fullmatch(r"[#№]?\s*(\d{1,9})(?:st|nd|rd|th)?\.?(?:\s*\(.*\))?", cell)  # a rank, not a number
            if num:
                self.emit(subject, "rank", Value.number(int(num.group(1))), self._evidence(a, b), time=row_time,
                          qualifiers={"index": self.last_index}, confidence=0.7)
            return
        prop = _header_property(words, self.ontology)
        if prop is not None and prop.value_kind == "Date":
            dates = find_dates(cell, None)
            if len(dates) == 1 and dates[0].value:
                self.emit(subject, prop.name, Value.date(dates[0].value), self._evidence(a, b), confidence=0.6)
            return
        found = find_numbers(cell, self.units)
        if len(found) != 1 or prop is not None and prop.value_kind in ("EntityValue", "TextValue"):
            return
        n = found[0]
        if prop is None:
            prop = self.ontology.property({"percent": "share", "money": "amount"}.get(n.kind, "count"))
            if n.kind == "quantity":
                info = self.ontology.units.get(n.unit)
                if info is None or not info.quantity_property:
                    return
                prop = self.ontology.property(info.quantity_property.rsplit("/", 1)[-1])
        quals = {"index": self.last_index} if prop.name == "score" else \
            {"of": words} if prop.name in ("count", "share", "amount") else {}
        self.emit(subject, prop.name, Value.number(n.value), self._evidence(a, b), unit=self._unit_iri(n),
                  bound=n.bound, time=row_time, qualifiers=quals, confidence=0.6)

    def _evidence(self, a: int, b: int) -> tuple[int, int]:
        """A table value's quote: its cell when the cell says enough on its own ("about 675 km"), else its row."""
        return (a, b) if b - a >= 5 else self._row

    def _doc_time(self) -> TimeSpec:
        """A claim that says no time holds as of the document: the year its title reports on ("Port cargo 2023",
        published in 2024), else its date's year (a day would claim too much)."""
        if not self.doc_date:
            return TimeSpec()
        year = self.doc_date[:4]
        titled = re.findall(r"\b(1[89]\d\d|20\d\d)\b", self.doc.title or "")
        if titled and titled[-1] < year:
            year = titled[-1]
        elif self.lead_year and self.lead_year == str(int(year) - 1):
            year = self.lead_year
        return TimeSpec(point=year, inferred=True)

    def _unit_iri(self, n: Mention) -> str | None:
        if n.kind == "money":
            info = self.ontology.unit(n.unit)
            return info.iri if info else None
        if n.kind == "percent":
            return "http://qudt.org/vocab/unit/PERCENT"
        if n.kind == "quantity":
            return n.unit
        return None


def _header_property(header: str, ontology: Ontology) -> PropertyInfo | None:
    """The frame a table column's header names (by a property's name, label or alias)."""
    for p in ontology.properties.values():
        if p.is_qualifier:
            continue
        names = {p.name.lower(), p.label.lower(), *(a.lower() for a in p.aliases)}
        if header in names or (header.split() and header.split()[0] in names):
            return p
    return None


def _is_index_name(label: str) -> bool:
    return bool(re.search(r"\b(?:Index|Ranking|Rankings|Scoreboard|League Table|Report|Barometer)\b", label))


def _inside(pos: int, spans) -> bool:
    return any(a <= pos < b for a, b in spans)


def _overlaps(s: int, e: int, spans) -> bool:
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


class _Sentence:
    """The rules, applied to one sentence."""

    def __init__(self, reader: Reader, sent: Sentence, ents, dates, nums, ords, markers):
        self.r = reader
        self.sent = sent
        self.text = reader.text
        self.ents = ents
        self.dates = dates
        self.nums = nums
        self.ords = ords
        self.markers = markers
        self.used_dates: set[int] = set()
        self.appositives = [(sent.start + m.start(), sent.start + m.end()) for m in APPOSITIVE.finditer(sent.text)]

    # ---- helpers
    def before(self, pos: int, n: int = 60) -> str:
        return self.text[max(self.sent.start, pos - n):pos]

    def after(self, pos: int, n: int = 60) -> str:
        return self.text[pos:min(self.sent.end, pos + n)]

    def time_for(self, pos: int, exclude: tuple[int, int] | None = None) -> TimeSpec:
        """The sentence's date nearest to a value (before it first), else the document's date (inferred)."""
        cands = [d for d in self.dates if d.value and not (exclude and exclude[0] <= d.start < exclude[1])
                 and not self._identifies_thing(d) and not self._comparison(d)
                 and not self._in_other_relative_clause(d, pos)]
        c0, c1 = self._clause(pos)
        own = [d for d in cands if c0 <= d.start < c1]
        d = None
        if own:
            d = min(own, key=lambda d: (pos - d.end if d.end <= pos else d.start - pos, d.start > pos))
        elif cands:
            first = self._clause(self.sent.start)
            opening = [x for x in cands if first[0] <= x.start < first[1]]
            if opening and not any(first[0] <= v.start < first[1] for v in self.nums + self.ords):
                d = opening[0]
            else:
                d = min(cands, key=lambda d: (pos - d.end if d.end <= pos else d.start - pos, d.start > pos))
        if d is not None:
            return TimeSpec(point=d.value, inferred=bool(d.relative or d.yearless))
        if self.r.as_of is not None:
            self.r.as_of_used = True
            return self.r.as_of
        return self.r._doc_time()

    def subject_before(self, pos: int, *, exclude: tuple[int, int] | None = None, allow_objects: bool = False,
                       avoid: str | None = None) -> EntityMention | None:
        """The entity a clause ending at ``pos`` is about: the nearest one before it, not inside an appositive,
        not the object of a preposition; in a coordination ("Lithuania, Latvia and Estonia") the focus or the
        first."""
        head = self._appositive_head(pos)
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
            cands.append(m)
        if not cands:
            return self.r.topic if self.r.topic is not None and self.r.topic.iri != avoid and pos > self.sent.start \
                and not self._names_something_before(pos) else None
        best = cands[-1]
        group = [best]
        for m in reversed(cands[:-1]):
            if COORDINATION.match(self.text[m.end:group[0].start]):
                group.insert(0, m)
            else:
                break
        if len(group) > 1:
            focus = next((m for m in group if self.r.focus_info and m.iri == self.r.focus_info.iri), None)
            return focus or group[0]
        return best

    def _appositive_head(self, pos: int) -> EntityMention | None:
        """'Rail Baltica, the 870 km standard-gauge line ...': a value inside an appositive is about its head."""
        before = self.text[self.sent.start:pos]
        m = re.search(r",\s+(?:the|a|an)\s[^,;]*$", before)
        if not m:
            return None
        comma = self.sent.start + m.start()
        return next((e for e in self.ents if e.end == comma and e.how in ("name", "minted", "description")), None)

    def subject_after(self, pos: int, avoid: str | None = None) -> EntityMention | None:
        for m in self.ents:
            if m.start >= pos and m.iri != avoid and m.how != "possessive" and \
                    not PREPOSITION_BEFORE.search(self.text[max(self.sent.start, m.start - 14):m.start]):
                return m
        return None

    def _names_something_before(self, pos: int) -> bool:
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
                    (m.how == "minted" and _is_index_name(m.label)):
                return m
        return None

    def footnote(self) -> str | None:
        for a, b in self.markers:
            n = self.text[a:b].strip("[]^")
            if n in self.r.layout.footnotes:
                return self.r.layout.footnotes[n]
        return None

    def claim(self, subject, prop, value, span, **kw):
        self.r.emit(subject, prop, value, span, **kw)

    def prior_value(self, n: Mention, value: Value) -> bool:
        """"(up|down) from 42.1% a year earlier", "up from ninth": the same quantity's earlier value."""
        last = self.r.last_claim
        if last is None or last.evidence.start < self.sent.start or not re.search(
                r"\b(?:(?:up|down|rising|falling|climbing|dropping|increasing|decreasing)\s+)?from\s+$",
                self.before(n.start, 30), re.I):
            return False
        if (n.kind == "ordinal") != (last.property.iri.endswith(("/rank", "/orderAmong"))) or \
                (n.kind == "percent") != (last.unit or "").endswith("PERCENT"):
            return False
        after = self.after(n.end, 40)
        time = TimeSpec()
        year = last.time.point[:4] if last.time.point else None
        m = re.match(r"^\s*(?:a year earlier|the (?:previous|year before|year earlier)|last year)", after, re.I)
        d = next((x for x in self.dates if x.start >= n.end and x.start - n.end < 12 and x.value), None)
        if d is not None:
            time = TimeSpec(point=d.value)
        elif m and year:
            time = TimeSpec(point=str(int(year) - 1), inferred=True)
        elif year:
            time = TimeSpec(point=str(int(year) - 1), inferred=True)
        end = n.end + (m.end() if m else 0)
        self.r.emit(None, last.property.iri.rsplit("/", 1)[-1], value, (n.start, end), unit=last.unit,
                    bound=n.bound, time=time, confidence=0.6,
                    qualifiers={q.property.iri.rsplit("/", 1)[-1]: q.value for q in last.qualifiers},
                    subject_term=last.subject)
        return True

    def list_pair(self, n: Mention, value: Value) -> bool:
        """"Estonia 38.5%, Lithuania 31.9%": a figure right after a name, in a list, is the same quantity for it."""
        last = self.r.last_claim
        ent = next((e for e in self.ents if e.how in ("name", "minted") and 0 <= n.start - e.end <= 1), None)
        if last is None or ent is None or last.evidence.start < self.sent.start or last.subject.iri == ent.iri:
            return False
        self.r.emit(ent, last.property.iri.rsplit("/", 1)[-1], value, (ent.start, n.end), unit=last.unit,
                    bound=n.bound, time=last.time, confidence=0.5,
                    qualifiers={q.property.iri.rsplit("/", 1)[-1]: q.value for q in last.qualifiers})
        return True

    # ---- the rules
    def read(self) -> None:
        consumed = self.key_value()
        if consumed is True:
            return
        if consumed:
            self.nums = [n for n in self.nums if n.start != consumed]
        self.event_dates()
        for o in self.ords:
            self.ordinal(o)
        for n in self.nums:
            if n.kind == "percent":
                self.percent(n)
            elif n.kind == "money":
                self.money(n)
            elif n.kind == "quantity":
                self.quantity(n)
            else:
                self.count(n)
        self.relations()

    # key figures: "Cities assessed: 42", "Total students: 13,214" --------
    def key_value(self) -> bool:
        m = re.match(r"^\s*(?:[-*•]\s*|\d{1,2}[.)]\s*)?(?P<label>[A-Z][^:\n]{1,60}?):\s+(?P<rest>.+?)\s*$",
                     self.sent.text)
        if not m or len(m.group("rest")) > 60:
            return False
        label = m.group("label").strip()
        if re.match(r"(?i)(?:contact|address|tel|telephone|phone|fax|e-?mail|web|website|postal|office)\b", label):
            return True  # contact details: no claims
        vstart = self.sent.start + m.start("rest")
        nums = [n for n in self.nums if n.start >= vstart]
        dates = [d for d in self.dates if d.start >= vstart and d.value]
        span = (self.sent.start + m.start("label"), self.sent.end)
        subject = self.r.topic if self.r.topic is not None else None
        prop = _header_property(label.lower(), self.r.ontology)
        if prop is not None and prop.value_kind == "Date" and len(dates) == 1:
            self.claim(subject, prop.name, Value.date(dates[0].value), span, confidence=0.6)
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
                info = self.r.ontology.units.get(n.unit)
                if info is None or not info.quantity_property:
                    return False
                kind = info.quantity_property.rsplit("/", 1)[-1]
            prop = self.r.ontology.property(kind)
        quals = {"of": label} if prop.name in ("count", "share", "amount", "change") else {}
        unit = self.r._unit_iri(n)
        self.claim(subject, prop.name, Value.number(n.value), span, unit=unit, bound=n.bound,
                   time=self.time_for(n.start), qualifiers=quals, confidence=0.6)
        return n.start if rest else True

    # dates ------------------------------------------------------------
    def event_dates(self) -> None:
        s = self.sent
        for prop, verbs in EVENT_VERBS.items():
            for m in re.finditer(rf"\b(?:{verbs})\b", s.text, re.I):
                vs, ve = s.start + m.start(), s.start + m.end()
                date = self._date_after(ve) or self._nearest_date(vs, ve, window=70)
                if date is None:
                    continue
                passive = bool(PASSIVE_BEFORE.search(self.text[max(s.start, vs - 20):vs])) or \
                    m.group(0).lower().startswith(("was ", "were ")) or m.group(0).lower() in ("took place", "happened", "occurred", "opened", "started operating",
                                           "began operating", "went into operation", "entered service",
                                           "came into force", "took effect")
                subj = None
                if not self.text[s.start:vs].strip() and m.group(0).lower().endswith("ed"):
                    # "Founded in 1632 by ..., the University of Tartu is ...": the main clause's subject
                    comma = self.text.find(",", ve, s.end)
                    subj = self.subject_after(comma) if comma > 0 else None
                    passive = True
                if not passive:
                    subj = next((e for e in self.ents if e.start >= ve and e.start - ve < 40
                                 and (e.info is None or not e.info.has_type("Country", "City", "Place"))), None)
                if subj is None and self.text[s.start:vs].strip():
                    subj = self.subject_before(vs)
                if subj is None or subj.how in ("pronoun", "possessive"):
                    continue
                if prop == "date" and not (subj.how in ("minted", "description") or subj.has_type(*EVENT_TYPES)):
                    continue
                if prop == "inception" and subj.has_type("Country", "City", "Place"):
                    continue
                span = (min(date.start, vs), max(date.end, ve))
                self.used_dates.add(date.start)
                self.claim(subj, prop, Value.date(date.value), span, confidence=0.8)
        # "originally planned for 2026", "now expected in 2030", "due to begin in May": a planned date
        for d in self.dates:
            if not d.value or d.start in self.used_dates or d.relative:
                continue
            pm = re.search(r"\b(?:(?P<st>originally|initially|first|now|currently|still|newly)\s+)?"
                           r"(?P<verb>planned|scheduled|expected|due|set|slated|foreseen|projected)\s+"
                           r"(?:to\s+(?P<v2>[a-z]+)\s+(?:\w+\s+)?)?(?:for|in|by|from|on|at)\s+(?:the\s+)?$",
                           self.text[max(s.start, d.start - 60):d.start], re.I)
            if pm is None:
                continue
            ps = max(s.start, d.start - 60) + pm.start()
            status = "original plan" if (pm.group("st") or "").lower() in ("originally", "initially", "first") \
                else "current expectation"
            what = "start" if (pm.group("v2") or "").lower() in ("begin", "start", "commence", "launch") else \
                "completion"
            anchor = ps
            rel = re.search(r",\s+(?:on|in|at|for|by)?\s*which\b[^,]*$", self.text[s.start:ps])
            if rel:  # "X, the ... line ..., on which trains are due": back past the appositive to X
                anchor = s.start + rel.start()
                while True:
                    prev = self.text.rfind(",", s.start, anchor)
                    if prev < 0 or not re.match(r",\s+(?:the|a|an)\s", self.text[prev:anchor]):
                        break
                    anchor = prev
            subj = self.subject_before(anchor, allow_objects=True) or self.r.topic or self.subject_after(d.end)
            if subj is not None and subj.how == "possessive":
                subj = None  # the document's focus
            value = d.value
            if d.yearless and self.r.doc_date and value < self.r.doc_date[:len(value)]:
                value = str(int(value[:4]) + 1) + value[4:]  # a plan's "May" is the coming May
            self.used_dates.add(d.start)
            self.claim(subj, "plannedDate", Value.date(value), (ps, d.end),
                       time=TimeSpec(point=self.r.doc_date[:4], inferred=True) if self.r.doc_date else TimeSpec(),
                       qualifiers={"of": what, "status": status}, confidence=0.6)
        # "In 2013 we became the first capital to offer free transport": a state that began then
        for m in re.finditer(r"\b(?:became|has become|have become|becoming)\s+", s.text):
            bs, be = s.start + m.start(), s.start + m.end()
            date = self._nearest_date(bs, be, window=40)
            if date is None or date.relative:
                continue
            subj = self.subject_before(bs) or (self.r.topic if self.r.topic else None)
            if subj is None or subj.how == "possessive":
                continue
            state = " ".join(re.split(r"[,;.]", self.text[be:s.end], maxsplit=1)[0].split()[:10])
            self.used_dates.add(date.start)
            self.claim(subj, "since", Value.date(date.value), (min(date.start, bs), be + len(state)),
                       qualifiers={"of": state}, confidence=0.6)
        # "since the beginning of April, X has been ..."
        for d in self.dates:
            pre = self.text[max(s.start, d.start - 8):d.start].lower()
            if d.value and re.search(r"\bsince\s+$", pre):
                clause = self._clause(d.start)
                if any(clause[0] <= v.start < clause[1] for v in self.nums + self.ords):
                    continue
                initial = not self.text[clause[0]:d.start - 6].strip()
                subj = (self.subject_after(d.end) if initial else self.subject_before(d.start)) or \
                    self.subject_before(d.start) or self.subject_after(d.end)
                if subj is None or subj.how == "possessive":
                    continue
                state = self._predicate_after(subj.end) if initial else \
                    " ".join(self.text[subj.end:d.start - 6].split())
                self.used_dates.add(d.start)
                self.claim(subj, "since", Value.date(d.value), (d.start - 6, d.end), qualifiers={"of": state},
                           confidence=0.7)
        # a named event next to a date, or an unnamed event recognised by its date
        for d in self.dates:
            if not d.value or d.start in self.used_dates or d.relative:
                continue
            event = next((e for e in self.ents if e.info is not None and e.info.has_type(*EVENT_TYPES)
                          and (0 <= d.start - e.end <= 40 or 0 <= e.start - d.end <= 25)), None)
            if event is None and (PARTICIPATION.search(s.text) or any(
                    e.how == "description" and e.info and e.info.has_type("Event") for e in self.ents)):
                # an unnamed event ("a human chain") is linked only where its own date agrees with this one
                event = next((e for e in self.ents if e.how == "description" and e.info
                              and e.info.has_type("Event") and (not e.info.date or e.info.date.startswith(d.value[:4]))),
                             None)
                if event is None:
                    event = self._event_by_date(d.value)
            if event is None or event.how == "pronoun":
                continue
            self.used_dates.add(d.start)
            self.claim(event, "date", Value.date(d.value), (d.start, d.end), confidence=0.7)

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
        head = self.text[max(self.sent.start, d.start - 25):d.start]
        return bool(re.search(r"\b(?:than|compared (?:with|to)|versus|vs\.?|from\s+\S+|since|against)\s+"
                              r"(?:in\s+|the end of\s+|the start of\s+)?$", head, re.I))

    def _identifies_thing(self, d: DateMention) -> bool:
        """'the 1989 chain': a year naming which thing is meant (a known entity's noun), not when a value holds."""
        if not re.search(r"\bthe\s+$", self.text[max(self.sent.start, d.start - 5):d.start], re.I):
            return False
        m = re.match(r"^\s+([a-z][\w -]{0,20})", self.text[d.end:d.end + 24])
        return bool(m) and any(m.group(1).startswith(n) for n in self.r.gaz.nouns)

    def _clause(self, pos: int) -> tuple[int, int]:
        """The stretch of the sentence around ``pos`` between commas, semicolons or 'which'."""
        bounds = [self.sent.start] + [self.sent.start + m.end() for m in re.finditer(r"[,;:—]\s*|\swhich\s",
                                                                                     self.sent.text)] + [self.sent.end]
        start = max(b for b in bounds if b <= pos)
        end = min((b for b in bounds if b > pos), default=self.sent.end)
        return start, end

    def _event_by_date(self, value: str) -> EntityMention | None:
        found = [e for e in self.r.ontology.entities.values() if e.has_type("Event") and e.date
                 and e.date.startswith(value[:4])]
        if len(found) != 1:
            return None
        e = found[0]
        return EntityMention(self.sent.start, self.sent.start, e.iri, e.label, "description", e)

    def _date_after(self, ve: int) -> DateMention | None:
        """'was first mentioned in written sources in 1154': the date the verb's own phrase gives."""
        for d in self.dates:
            if d.value and d.start >= ve and d.start - ve <= 40 and not re.search(r"[,;]", self.text[ve:d.start]) \
                    and re.search(r"\b(?:in|on|from|since|by)\s+(?:the\s+)?$", self.text[ve:d.start]):
                return d
        return None

    def _nearest_date(self, vs: int, ve: int, window: int) -> DateMention | None:
        best = None
        for d in self.dates:
            if not d.value or d.relative in ("currently", "now", "today", "at present", "so far", "to date"):
                continue
            dist = vs - d.end if d.end <= vs else d.start - ve
            if 0 <= dist <= window and (best is None or dist < best[0]):
                best = (dist, d)
        return best[1] if best else None

    def _predicate_after(self, pos: int) -> str:
        rest = self.text[pos:self.sent.end]
        rest = re.split(r"[,.;:]", rest, maxsplit=1)[0]
        words = [w for w in rest.split() if w.lower() not in ("has", "have", "had", "been", "is", "are", "was",
                                                                "were", "be")]
        return " ".join(words[:8])

    # ordinals ---------------------------------------------------------
    def ordinal(self, o: Mention) -> None:
        value = Value.number(int(o.value))
        if self.prior_value(o, value):
            return
        after = re.sub(r"^-", " ", self.after(o.end, 80))
        before = self.before(o.start, 80)
        if SKIP_ORDINAL_AFTER.match(after) or re.search(r"\bfor the\s+$", before, re.I):
            return
        # the Nth anniversary of X
        am = re.match(r"^\s*anniversary(?:\s+of\s+)?", after, re.I)
        if am:
            target = next((e for e in self.ents if e.start >= o.end + am.end() - 1 and e.start - o.end < 40), None) \
                or self.subject_before(o.start)
            time = self.time_for(o.start)
            if target is not None and target.info is not None and target.info.date:
                time = TimeSpec(point=str(int(target.info.date[:4]) + int(o.value)), inferred=True)
            end = target.end if target is not None and target.start > o.end else o.end + am.end()
            self.claim(target, "anniversary", value, (o.start, end), time=time, confidence=0.8)
            return
        # its/our second unicorn: a count
        pm = re.search(r"\b(its|their|our|his|her|the country['’]s|[A-Z][\w-]*['’]s)\s+$", before)
        nm = re.match(r"^\s*([A-Za-z][\w-]*)(?:\s+([A-Za-z][\w-]*))?", after)
        if pm and nm and not SUPERLATIVE.match(after):
            noun = nm.group(1)
            pstart = o.start - len(pm.group(0))
            possessor = next((e for e in self.ents if e.start == pstart), None)
            if possessor is None or pm.group(1).lower() in ("its", "their", "his", "her"):
                possessor = self.subject_before(pstart, allow_objects=False)
            if pm.group(1).lower() == "our":
                possessor = next((e for e in self.ents if e.how in ("pronoun", "possessive")), possessor)
            span = (pstart, o.end + len(nm.group(0).split()[0]) + (len(nm.group(0)) - len(nm.group(0).lstrip())))
            self.claim(possessor, "count", value, span, time=self.time_for(o.start),
                       qualifiers={"of": _plural(noun)}, confidence=0.6)
            became = re.search(r"\b(?:became|becoming|become|becomes|is now|was)\s+$", self.text[self.sent.start:pstart])
            self._apposed_date(o, span, noun, before_subject=bool(became), start=pstart)
            return
        # ranks: an ordinal with a ranking verb or a place word and a scope
        ranky = RANK_VERB.search(self.text[max(self.sent.start, o.start - 40):o.start]) or PLACE_WORD.match(after)
        scoped = RANK_SCOPE.search(after[:70]) or self.index_here() is not None or \
            re.search(r"\b(?:in|on)\s+(?:this|the same|that)\s+(?:ranking|index|list|table)", after[:40], re.I) or \
            (self.r.last_index is not None and re.search(r"\b(?:placed|ranked|ranks|came|finished|rose|climbed|fell|"
                                                        r"dropped|moved)\s+$", before[-20:], re.I)) or \
            re.match(r"^\s*in\s+(?:the\s+)?[A-Z]", after)
        sup = SUPERLATIVE.match(after)
        if ranky and scoped and not sup and not re.match(r"^\s*[a-z]+\s+to\b", after):
            self.rank(o, value)
            return
        # third among donors worldwide
        among = re.match(r"^\s*among\s+(?P<of>[\w’' -]+?)(?=[,.;:]|\s(?:over|during|in|since|after|before|with)\b|$)",
                         after, re.I)
        if among:
            subj = self.subject_before(o.start) or self.subject_after(o.end + among.end())
            end = o.end + among.end()
            self.claim(subj, "orderAmong", value, (o.start, end), time=self.time_for(o.start),
                       qualifiers={"of": among.group("of"), "period": self._period(end)}, confidence=0.6)
            return
        # the first country to ..., the third biggest donor ...
        det = re.search(r"\b(?:the|a|an)\s+(?:very\s+)?$", before, re.I)
        if det and (sup or re.match(r"^\s*(?:[A-Z][\w-]*\s+)*[a-z][\w-]*(?:\s+[a-z][\w-]*)?", after)):
            phrase_end = self._phrase_end(o.end)
            of = " ".join(self.text[o.end:phrase_end].split())
            if not of or len(of.split()) < 2 and not sup:
                return
            subj = self.subject_before(o.start - len(det.group(0))) or self.subject_after(phrase_end)
            self.claim(subj, "orderAmong", value, (o.start - len(det.group(0)), phrase_end),
                       time=self.time_for(o.start), qualifiers={"of": _trim_phrase(of),
                                                                "period": self._period(phrase_end)},
                       confidence=0.7)

    def rank(self, o: Mention, value: Value) -> None:
        index = self.index_here()
        note = self.footnote()
        cited = None
        if index is None and note:
            idx_info = self.r.gaz.names(note)
            idx = next((m for m in idx_info if m.info and (m.info.has_type("CreativeWork") or "index" in m.info.nouns)),
                       None)
            if idx is not None:
                index = idx
            elif _is_index_name(note):
                name = re.split(r",\s*\d{4}", note)[0].strip(" .")
                index = EntityMention(0, 0, self.r.ontology.ids.unlinked_entity(name), name, "minted")
        elif note:
            cited = note.strip().rstrip(".")
        if index is None and re.search(r"\b(?:this|the same|that|the)\s+(?:ranking|index|list|table)\b",
                                       self.after(o.end, 60), re.I):
            index = self.r.last_index
        if index is None and self.r.focus_info is not None and _is_index_name(self.r.focus_info.label):
            index = EntityMention(0, 0, self.r.focus_info.iri, self.r.focus_info.label, "minted", None)
        if index is None and self.r.last_index is not None and not re.match(
                r"^\s*(?:place\s+)?(?:in|among)\b", self.after(o.end, 20)) and \
                self.sent.paragraph - self.r.last_index_paragraph <= 2:
            index = self.r.last_index
        region = None
        rm = re.match(r"^\s*(?:place\s+|position\s+)?(?:in|among|of)\s+(?:the\s+)?", self.after(o.end, 30), re.I)
        if rm:
            region = next((e for e in self.ents if e.start == o.end + rm.end() and e.info is not None
                           and e.info.has_type("Country", "Place", "Organization", "City")), None)
        subj = self.subject_before(o.start, avoid=index.iri if index else None) or \
            self.subject_after(o.end, avoid=index.iri if index else None)
        end = o.end
        if index is not None and index.start > o.end and index.start - o.end < 60:
            end = index.end
        else:
            m = re.match(r"^\s*(?:place|position|spot)?\s*(?:in the world|globally|worldwide|in (?:this|the same) "
                         r"(?:ranking|index))?", self.after(o.end, 40), re.I)
            end = o.end + (m.end() if m else 0)
        start = o.start
        verb = RANK_VERB.search(self.text[max(self.sent.start, o.start - 25):o.start])
        if verb:
            start = max(self.sent.start, o.start - 25) + verb.start()
        if region is not None:
            end = max(end, region.end)
        self.claim(subj, "rank", value, (start, end), time=self.time_for(o.start),
                   qualifiers={"index": index, "citedSource": cited, "locatedIn": region},
                   confidence=0.85 if index else 0.6)
        # tied with X and Y
        tm = re.search(r"\btied with\s+", self.sent.text, re.I)
        if tm:
            pos = self.sent.start + tm.end()
            for e in self.ents:
                if e.start >= pos and e.start - pos < 40 and e.iri != (subj.iri if subj else None):
                    self.claim(subj, "tiedWith", Value.entity(e.term), (self.sent.start + tm.start(), e.end),
                               qualifiers={"index": index}, confidence=0.7)

    def _apposed_date(self, o: Mention, span: tuple[int, int], noun: str, *, before_subject: bool = False,
                      start: int = 0) -> None:
        """"On 7 April, X welcomed its second unicorn, ..., Nord Security" and "In April, Nord Security became
        the country's second unicorn": the named one became one at the sentence's date."""
        def named_company(e):
            return e.how in ("name", "minted") and not (e.info is not None and e.info.has_type("Country", "City",
                                                                                              "Place"))
        if before_subject:
            named = next((e for e in self.ents if e.end <= start and named_company(e)
                          and not PREPOSITION_BEFORE.search(self.text[max(self.sent.start, e.start - 14):e.start])),
                         None)
        else:
            named = next((e for e in self.ents if span[1] < e.start < span[1] + 60 and named_company(e)), None)
        date = next((d for d in self.dates if d.value and not d.relative and d.end <= o.start), None)
        if named is None or date is None:
            return
        self.used_dates.add(date.start)
        self.claim(named, "since", Value.date(date.value), (date.start, span[1]), qualifiers={"of": noun},
                   confidence=0.6)

    def _phrase_end(self, pos: int) -> int:
        rest = self.text[pos:self.sent.end]
        m = re.search(r"[,;:.](?:\s|$)|\s(?:which|and then|while|but|when|where|because)\s|\s—|—", rest)
        end = pos + (m.start() if m else len(rest))
        pm = PERIOD.search(self.text, pos, end)
        if pm:
            end = pm.start()
        return end

    def _period(self, pos: int) -> str | None:
        m = PERIOD.search(self.text, pos, self.sent.end)
        return m.group("p") if m and m.start() - pos < 40 else None

    # percentages ------------------------------------------------------
    def percent(self, n: Mention) -> None:
        value = Value.number(n.value)
        if self.prior_value(n, value) or self.list_pair(n, value):
            return
        after, before = self.after(n.end, 80), self.before(n.start, 100)
        unit = "http://qudt.org/vocab/unit/PERCENT"
        gdp = re.match(r"^\s*of\s+(?:the\s+country['’]s\s+|its\s+|their\s+|our\s+|the\s+|\w+['’]s\s+)?"
                       r"(?:GDP|gross domestic product)\b", after, re.I)
        period = self._period(n.end)
        if gdp:
            subj = self.subject_before(n.start)
            self.claim(subj, "shareOfGdp", value, (n.start, n.end + gdp.end()), unit=unit, bound=n.bound,
                       time=self.time_for(n.start), qualifiers={"period": period}, confidence=0.85)
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
            subj = self.subject_before(vstart)
            if not obj:
                obj = self._np_before(vstart)
            self.claim(subj, "change", Value.number(n.value * sign), (vstart, n.end), unit=unit, bound=n.bound,
                       time=self.time_for(n.start), qualifiers={"of": obj, "period": period}, confidence=0.8)
            return
        updown = re.search(r"\b(?:was|were|is|are|went|is now)?\s*(?P<dir>up|down)\s+(?:by\s+)?$", before, re.I)
        lessmore = re.match(r"^\s*(?P<dir>less|more|lower|higher|fewer|smaller|larger|bigger)\s+than\b", after, re.I)
        if updown or lessmore:
            down = (updown and updown.group("dir").lower() == "down") or \
                (lessmore and lessmore.group("dir").lower() in ("less", "lower", "fewer", "smaller"))
            start = n.start - len(before) + updown.start() if updown else n.start
            obj = self._np_before(start)
            subj = self.subject_before(start)
            end = n.end + (lessmore.end() if lessmore else 0)
            self.claim(subj, "change", Value.number(-n.value if down else n.value), (start, end), unit=unit,
                       bound=n.bound, time=self.time_for(n.start), qualifiers={"of": obj or None, "period": period},
                       confidence=0.7)
            return
        inc = re.match(r"^\s*(?:increase|rise|growth|jump|decrease|drop|fall|decline|cut|reduction)\s+in\s+"
                       r"(?P<of>[\w’' -]+?)(?=[,.;]|\s(?:in|since|from|over|during|compared)\b|$)", after, re.I)
        if inc:
            sign = -1 if re.match(r"^\s*(?:decrease|drop|fall|decline|cut|reduction)", after, re.I) else 1
            self.claim(self.subject_before(n.start), "change", Value.number(n.value * sign),
                       (n.start, n.end + inc.end()), unit=unit, bound=n.bound, time=self.time_for(n.start),
                       qualifiers={"of": inc.group("of")}, confidence=0.75)
            return
        of = re.match(r"^\s*(?:of|share of)\s+(?:the\s+|its\s+|their\s+|our\s+|all\s+)?(?P<of>[\w’' -]+?)"
                      r"(?=[,.;]|\s(?:in|was|is|were|are|came|comes|and|by|from|since|for|at)\b|$)", after, re.I)
        what = of.group("of") if of else self._np_before(n.start)
        place_np = re.search(r"(?P<of>\b[A-Za-z][\w -]{2,40}?)\s+in\s+(?P<place>[A-Z][\w-]+)\s+(?:stood|was|is|reached|"
                             r"came|amounted|remained)\s+(?:at\s+|to\s+)?(?:about\s+|some\s+)?$", before)
        if not of and place_np:
            place = next((e for e in self.ents if e.start == n.start - len(before) + place_np.start("place")), None)
            start = n.start - len(before) + place_np.start("of")
            self.claim(place, "share", value, (start, n.end), unit=unit, bound=n.bound, time=self.time_for(n.start),
                       qualifiers={"of": place_np.group("of").strip().lower(), "period": period}, confidence=0.6)
            return
        if not what:
            return
        end = n.end + (of.end() if of else 0)
        start = n.start if of else max(self.sent.start, n.start - len(before) + max(0, before.lower().rfind(
            what.split()[0].lower())))
        self.claim(self.subject_before(start), "share", value, (start, end), unit=unit, bound=n.bound,
                   time=self.time_for(n.start), qualifiers={"of": what, "period": period}, confidence=0.6)

    def _np_before(self, pos: int) -> str:
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

    # money ------------------------------------------------------------
    def money(self, n: Mention) -> None:
        info = self.r.ontology.unit(n.unit)
        if info is None:
            return
        w0 = max(self.sent.start, n.start - 60)
        window = self.text[w0:min(self.sent.end, n.end + 30)]
        best = None
        for p_, rx in MONEY_FRAMES:
            for m in rx.finditer(window):
                pos = w0 + m.start()
                dist = n.start - (w0 + m.end()) if pos < n.start else pos - n.end
                if best is None or dist < best[0]:
                    best = (dist, p_)
        prop = best[1] if best else "amount"
        subj = self.subject_before(n.start)
        if prop == "valuation":
            vm = re.match(r"^\s*valuation", self.after(n.end, 15), re.I)
            span = (n.start, n.end + (vm.end() if vm else 0))
        else:
            span = (n.start, n.end)
        quals = {}
        if prop == "amount":
            om = re.search(r"\b(?:cost|price|value|budget|worth) of\s+(?:the\s+)?(?P<of>[\w -]{3,40}?)\s+(?:is|was|will|"
                           r"would|stands|came|amounted|reached)\b", self.before(n.start, 80), re.I)
            quals["of"] = om.group("of") if om else None
        if prop in ("cost",) and PLANNED.search(window):
            quals["status"] = "planned"
        self.claim(subj, prop, Value.number(n.value), span, unit=info.iri, bound=n.bound,
                   time=self.time_for(n.start), qualifiers=quals, confidence=0.75 if prop != "amount" else 0.5)

    # quantities -------------------------------------------------------
    def quantity(self, n: Mention) -> None:
        info = self.r.ontology.units.get(n.unit)
        if info is not None and info.iri.endswith("/YR") and self._anniversary(n):
            return
        if info is not None and info.iri.rsplit("/", 1)[-1] in ("YR", "MO", "WK", "DAY", "HR"):
            trig = re.search(r"\b(?:take|takes|took|taking|lasted|lasts|last|lasting|delay of|delayed by|duration of|"
                             r"within)\s+(?:(?:roughly|about|around|some|nearly|up to|at least|more than|over)\s+)?$",
                             self.before(n.start, 40), re.I)
            if trig:
                start = n.start - len(self.before(n.start, 40)) + trig.start()
                of = "delay" if "delay" in trig.group(0).lower() else None
                self.claim(self.subject_before(start), "duration", Value.number(n.value), (start, n.end),
                           unit=n.unit, bound=n.bound, time=self.time_for(n.start), qualifiers={"of": of},
                           confidence=0.6)
            return
        if info is None or not info.quantity_property:
            return
        prop = info.quantity_property.rsplit("/", 1)[-1]
        after = self.after(n.end, 50)
        subj = None
        adjectival = self.text[n.start:n.end].find("-") > 0 or re.match(r"^\s*(?:long|wide|high)?\s*[A-Z]", after)
        noun = self._noun_after(n.end)
        if noun is not None:
            subj, adjectival = noun, True
        elif adjectival:
            subj = next((e for e in self.ents if e.start >= n.end and e.start - n.end < 25 and not
                         PREPOSITION_BEFORE.search(self.text[max(self.sent.start, e.start - 14):e.start])), None)
        if prop == "length" and (re.match(r"^\s*(?:high|tall|above|below|deep)\b", after, re.I) or
                                 re.search(r"\b(?:height|altitude|elevation) of\s+$", self.before(n.start, 20), re.I)):
            prop = "height"
        if subj is None:
            subj = self.subject_before(n.start)
        quals = {}
        loc = re.match(r"^\s*(?:of\s+it\s+)?(?:(?:lies|lie|runs|run|is|are|located|situated|stretches|stretch)\s+)?"
                       r"(?:in|across|through|within|on)\s+(?:the\s+)?", after, re.I)
        if loc:
            place = next((e for e in self.ents if e.start == n.end + loc.end()), None)
            coordinated = place is not None and re.match(r"^\s*(?:,|and)\s+[A-Z]", self.text[place.end:place.end + 8])
            if coordinated:
                pass
            elif place is not None and place.info is not None and place.info.has_type("Country", "City", "Place",
                                                                                       "AdministrativeArea"):
                quals["locatedIn"] = place
            elif place is not None and place.how == "minted":
                quals["locatedIn"] = place
        if "locatedIn" not in quals:
            part = re.search(r"(?:(?P<place>[A-Z][\w-]+)['’]s|(?P<adj>[A-Z][a-z]+))\s+(?:section|part|stretch|portion|"
                             r"share|leg|segment)\b[^,;]*$", self.before(n.start, 70))
            if part:
                if part.group("adj"):
                    info = self.r.gaz.adjective_of.get(part.group("adj"))
                    place = EntityMention(0, 0, info.iri, info.label, "name", info) if info else None
                else:
                    place = next((e for e in self.ents if e.end == n.start - len(self.before(n.start, 70))
                                  + part.end("place") and e.info is not None
                                  and e.info.has_type("Country", "City", "Place")), None)
                if place is not None:
                    quals["locatedIn"] = place
                    if subj is not None and subj.iri == place.iri:
                        subj = self.r.topic if self.r.topic is not None and self.r.topic.iri != place.iri else None
        if PLANNED.search(self.before(n.start, 60)) or re.search(r"\bplanned\b", after[:25], re.I):
            quals["status"] = "planned"
        if prop in ("mass", "volume", "energy"):
            om = re.match(r"^\s*of\s+(?P<of>[a-z][\w -]{2,30}?)(?=[,.;]|\s(?:in|on|at|from|to|and|was|were|last|this|"
                          r"through|via|by)\b|$)", after)
            quals["of"] = om.group("of") if om else (self._np_before(n.start) or None)
            last = self.r.paragraph_claims.get(prop)
            if quals["of"] is None and last is not None and (subj is None or subj.iri == last.subject.iri):
                quals["of"] = next((q.value for q in last.qualifiers if q.property.iri.endswith("/of")), None)
        end = n.end
        if quals.get("locatedIn") is not None and quals["locatedIn"].start >= n.end:
            end = quals["locatedIn"].end
        elif adjectival and subj is not None and subj.start >= n.end:
            end = subj.end
        self.claim(subj, prop, Value.number(n.value), (n.start, end), unit=n.unit, bound=n.bound,
                   time=self.time_for(n.start), qualifiers=quals, confidence=0.8)

    def _anniversary(self, n: Mention) -> bool:
        """"31 years (to the day) after the Baltic Way", "50 years since the Pact": an anniversary of the event."""
        m = re.match(r"^\s*(?:to the day\s+)?(?:after|since|from)\s+(?:the\s+)?", self.after(n.end, 60), re.I)
        if not m:
            return False
        target = next((e for e in self.ents if e.start == n.end + m.end() and e.info is not None
                       and e.info.has_type(*EVENT_TYPES)), None)
        if target is None:
            return False
        time = self.time_for(n.start)
        if target.info.date:
            time = TimeSpec(point=str(int(target.info.date[:4]) + int(n.value)), inferred=True)
        self.claim(target, "anniversary", Value.number(n.value), (n.start, target.end), time=time, confidence=0.7)
        return True

    def _noun_after(self, pos: int) -> EntityMention | None:
        """'the 508 km pipeline', 'a 32 km human chain': a gazetteer noun right after a measure names the thing."""
        m = re.match(r"^[\s-]*(?:long\s+|wide\s+)?(?:[a-z]+[\s-]+)?", self.text[pos:pos + 40])
        for noun, infos in sorted(self.r.gaz.nouns.items(), key=lambda kv: -len(kv[0])):
            for start in (pos + len(self.text[pos:pos + 3]) - len(self.text[pos:pos + 3].lstrip(" -")),
                          pos + (m.end() if m else 0)):
                if self.text[start:start + len(noun)].lower() == noun and not self.text[start + len(noun):
                                                                                        start + len(noun) + 1].isalpha():
                    info = None
                    last = self.r.last_by_noun.get(noun)
                    years = [d.value[:4] for d in self.dates if d.value]
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

    # counts -----------------------------------------------------------
    def count(self, n: Mention) -> None:
        before = self.before(n.start, 30)
        if self._rank_number(n) or self._number_of(n):
            return
        if n.spelled and not n.scale_word and not n.bound and n.value <= 10 and not (
                re.search(r"\b(?:in|into|across|with|has|have|had|comprises|includes|carry|carries|of)\s+$", before)
                and re.match(r"^\s+[a-z]+s\b", self.after(n.end, 20))
                and not re.match(r"^\s+(?:ways|times|years|months|weeks|days|hours|of)\b", self.after(n.end, 20))):
            return
        if re.search(r"\b(?:line|lines|route|bus|tram|gate|platform|room|block|model|version|phase|stage|lot|zone|"
                     r"iela|street|st\.|avenue|ave\.|road|väljak|tn|pr\.)\s+$", before, re.I) or \
                re.match(r"^\s+[A-Z][a-z]+\s*$", self.after(n.end, 12)) and len(str(int(n.value))) == 5:
            return
        if self.sent.kind == "heading" or self._list_index(n):
            return
        if re.search(r"\b(?:the|The)\s+$", before) and not n.bound and not (
                re.search(r"\b(?:of|all)\s+the\s+$", before, re.I) and not n.spelled):
            return
        if re.search(r"(?:No\.|no\.|Nr\.|page|p\.|pp\.|§|Article|article|Section|section|#)\s*$", before):
            return
        if re.search(r"[A-Z][\w]*\s+$", before) and not n.bound and not re.search(
                r"\b(?:All|all|Over|Some|About|Around|Nearly)\s+$", before) and \
                not self.sent.text.startswith(before.strip()):
            return
        noun_words, noun_end = [], n.end
        for m in re.finditer(r"[A-Za-z][\w’'-]*", self.after(n.end, 60)):
            if m.group(0).lower() in COUNT_STOP:
                break
            noun_words.append(m.group(0))
            noun_end = n.end + m.end()  # where the noun ends in the text, whatever stands between the words
            if len(noun_words) == 3:
                break
        if not noun_words:
            return
        nouns_lower = [w.lower() for w in noun_words]
        value = Value.number(n.value)
        time = self.time_for(n.start)
        span = (n.start, noun_end)
        if any(w in PEOPLE_NOUNS for w in nouns_lower) and (PARTICIPATION.search(self.sent.text) or any(
                e.info is not None and e.info.has_type("Event") for e in self.ents)):
            event = next((e for e in self.ents if e.info is not None and e.info.has_type("Event")), None)
            if event is None:
                event = self._event_by_date(time.point) if time.point and not time.inferred else None
            if event is None:
                event = self.r.topic if self.r.topic and self.r.topic.has_type("Event") else None
            if event is not None and event.info is not None and event.info.date and time.inferred:
                time = TimeSpec(point=event.info.date, inferred=True)
            self.claim(event, "participants", value, span, bound=n.bound, time=time, confidence=0.8)
            return
        if any(w in VOTE_NOUNS for w in nouns_lower) and VOTE_VERBS.search(self.sent.text):
            target = next((e for e in self.ents if e.info is not None and e.info.has_type("Legislation")), None) \
                or self.r.last_legislation
            self.claim(target, "votesInFavour", value, span, bound=n.bound, time=time, confidence=0.75)
            return
        for prop in ("population",):
            info = self.r.ontology.property(prop)
            if any(t in nouns_lower for t in info.triggers) or re.search(r"\bpopulation\b", self.before(n.start, 40),
                                                                         re.I):
                self.claim(self.subject_before(n.start), prop, value, span, bound=n.bound, time=time,
                           confidence=0.7)
                return
        of = " ".join(w for w in nouns_lower if w not in ("participating", "new", "more", "additional"))
        if re.match(r"(?:years?|months?|weeks?|days?|hours?|minutes?|seconds?|decades?|centur(?:y|ies)|times?|"
                    r"percent|per|cent|points?)\b", of):
            return
        self.claim(self.subject_before(n.start), "count", value, span, bound=n.bound, time=time,
                   qualifiers={"of": of}, confidence=0.6)

    def _number_of(self, n: Mention) -> bool:
        """"the number of households producing solar power had risen to 44.5 thousand": a count of X."""
        head = self.text[self.sent.start:n.start]
        m = re.search(r"\b(?:the\s+)?(?:total\s+)?number of\s+(?P<of>[\w’' -]+?)\s+(?:\w+\s+){0,3}?"
                      r"(?:rose|risen|grew|grown|reached|stood|stands|was|is|fell|fallen|increased|decreased|totalled|"
                      r"came)\b[^,;]*$", head, re.I)
        if not m:
            return False
        subj = self.subject_before(self.sent.start + m.start()) or self.r.topic
        self.claim(subj, "count", Value.number(n.value), (self.sent.start + m.start(), n.end), bound=n.bound,
                   time=self.time_for(n.start), qualifiers={"of": m.group("of")}, confidence=0.6)
        return True

    def _rank_number(self, n: Mention) -> bool:
        """"came in at number 3 in the X Index", "is No. 1 in": a rank written as a number."""
        if not re.search(r"\b(?:number|no\.|No\.|#)\s*$", self.before(n.start, 12)) or n.kind != "number":
            return False
        o = Mention("ordinal", n.start, n.end, n.value)
        self.rank(o, Value.number(int(n.value)))
        return True

    def _list_index(self, n: Mention) -> bool:
        """A list or section number: the first thing in its line, followed by '.' or ')'."""
        line_start = self.text.rfind("\n", 0, n.start) + 1
        return not self.text[line_start:n.start].strip(" -*#") and self.text[n.end:n.end + 1] in (".", ")")

    # relations ----------------------------------------------------------
    def relations(self) -> None:
        for prop, rx in _relation_triggers(self.r.ontology):
            for m in rx.finditer(self.sent.text):
                ts, te = self.sent.start + m.start(), self.sent.start + m.end()
                obj = next((e for e in self.ents if e.start >= te and e.start - te < 40 and e.how != "pronoun"), None)
                subj = self.subject_before(ts)
                if obj is None or subj is None or obj.iri == subj.iri:
                    continue
                self.claim(subj, prop.name, Value.entity(obj.term), (ts, obj.end), confidence=0.5)


_INSTITUTION = r"(?P<noun>university|port|airport|museum|cathedral|theatre|library|hospital|zoo|stadium|harbour)"
_INSTITUTION_PATTERNS = [
    re.compile(rf"\b(?P<place>[A-Z][a-z]+),\s+home to\s+(?:a|an|the|its)\s+(?:[a-z]+\s+)?{_INSTITUTION}\b"),
    re.compile(rf"\b(?P<place>[A-Z][a-z]+)['’]s\s+(?:[a-z]+\s+)?{_INSTITUTION}\b"),
    re.compile(rf"\b(?:a|an|the)\s+{_INSTITUTION}\s+(?:in|of)\s+(?P<place>[A-Z][a-z]+)\b"),
]
_STOPWORDS = {"the", "and", "for", "with", "from", "that", "this", "its", "their", "our", "calling", "urging"}
@functools.lru_cache(maxsize=4)
def _relation_triggers(ontology: Ontology) -> list[tuple[PropertyInfo, re.Pattern]]:
    """Entity-valued frames with their trigger words as one pattern each."""
    out = []
    for prop in ontology.properties.values():
        if prop.is_qualifier or prop.value_kind != "EntityValue" or not prop.triggers or prop.name == "tiedWith":
            continue
        out.append((prop, re.compile(r"\b(?:" + "|".join(re.escape(t) for t in prop.triggers) + r")\b")))
    return out




def _plural(noun: str) -> str:
    noun = noun.lower()
    if noun.endswith("s"):
        return noun
    if noun.endswith("y") and noun[-2:-1] not in "aeiou":
        return noun[:-1] + "ies"
    return noun + "s"


def _trim_phrase(text: str) -> str:
    return " ".join(text.split()[:12])


__all__ = ["FramesExtractor", "Reader", "Decimal"]
