"""The automatic extractor: rules for kinds of statement, driven by the frames in ``ontology/frames.ttl``.

This module is the extractor registered as ``frames``: it reads a document's sentences and tables. For each
sentence it finds values (:mod:`lithkg.extract.values`) and entities (:mod:`lithkg.extract.entities`), makes a
:class:`.context.SentenceContext` and applies the rules of :data:`.dispatch.RULES`, which read (one module
per kind of statement):

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
import re

from ...model import Claim, Document, TimeSpec
from ...rdf.ontology import Ontology
from .. import ExtractionContext, register
from ..entities import NOT_SUBJECTS, PRONOUNS, EntityMention, focus_entity
from ..text import Sentence
from ..dates import find_dates, last_day
from ..values import FOOTNOTE_RE, find_numbers, find_ordinals
from .clauses import REFERRING_NOUNS
from .context import DocumentContext, SentenceContext, inside, is_index_name, overlaps
from .dispatch import read_sentence
from .references import restatements
from .tables import read_table


_INSTITUTION = r"(?P<noun>university|port|airport|museum|cathedral|theatre|library|hospital|zoo|stadium|harbour)"
_INSTITUTION_PATTERNS = [
    re.compile(rf"\b(?P<place>[A-Z][a-z]+),\s+home to\s+(?:a|an|the|its)\s+(?:[a-z]+\s+)?{_INSTITUTION}\b"),
    re.compile(rf"\b(?P<place>[A-Z][a-z]+)['’]s\s+(?:[a-z]+\s+)?{_INSTITUTION}\b"),
    re.compile(rf"\b(?:a|an|the)\s+{_INSTITUTION}\s+(?:in|of)\s+(?P<place>[A-Z][a-z]+)\b"),
]
# the last word of a name that names an event or a body of its own ("Rail Baltica Global Forum", "Riga Summit")
INSTITUTION_HEAD = re.compile(r"\s(?:Forum|Summit|Conference|Congress|Agency|Council|Office|Fund|Board|Committee|"
                              r"Authority|Commission|Award|Awards|Festival|Week|Days|Expo|Fair|Games|Cup|Analysis|"
                              r"Report|Study|Review|Strategy|Survey)$")
# a headline's verb after its subject ("X ratifies", "X's Parliament Approves")
HEADLINE_VERB = re.compile(r"(?:['’]s\s+[A-Z]\w+)?\s+[A-Za-z]+(?:s|ed)\b")
# a quotation this short is a title or a name; a longer one is speech, whose figures are claims
QUOTED_TITLE = 60
_STOPWORDS = {"the", "and", "for", "with", "from", "that", "this", "its", "their", "our", "calling", "urging"}


@register
class FramesExtractor:
    """Claims read from prose by the frames of ``ontology/frames.ttl``."""

    name = "frames"
    version = "1"

    def extract(self, document: Document, context: ExtractionContext) -> list[Claim]:
        return Reader(document, context.ontology, self.name, self.version).claims()


class Reader(DocumentContext):
    """Reads one document: finds its entities and its focus, then reads each sentence (its mentions, then the
    rules of :data:`.dispatch.RULES`) and each table, remembering what a later sentence may refer to."""

    def __init__(self, doc: Document, ontology: Ontology, name: str = "frames", version: str = "1"):
        super().__init__(doc, ontology, name, version)
        all_names = self.gaz.names(self.text)
        names = [m for m in all_names if not self._in_footnote(m.start)]
        starts = {s.start for s in self.layout.sentences}
        names = self._inside_longer_names(names, all_names)
        minted = self.gaz.minted(self.text, [(m.start, m.end) for m in names] + self.layout.quoted, starts)
        declared = ontology.entity(doc.focus) if doc.focus else None
        self.entities = sorted(names + [m for m in minted if not self._in_footnote(m.start)], key=lambda m: m.start)
        if declared is None and doc.title:
            declared = self._title_entity(doc.title, self.entities)
        info = focus_entity(names, declared)
        self.focus_info = info
        self.named_here = {m.iri for m in self.entities}
        self.lead_year = self._lead_year()
        self._paragraph = -1
        self.last_day: str | None = None  # the last day the previous sentence stated ("the following day")

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

    def _inside_longer_names(self, names: list[EntityMention],
                             all_names: list[EntityMention]) -> list[EntityMention]:
        """'Freeport of Riga', 'Riga Central Station': a place's name inside a longer proper name is that name."""
        from ..entities import NAME_RE, NOT_NAMES
        out = []
        longer = []
        for m in NAME_RE.finditer(self.text):
            words = m.group(0).split()
            while words and words[0] in NOT_NAMES:
                words = words[1:]
            if len(words) < 2 or "and" in words or "&" in words:
                continue  # "Latvia and Lithuania" names two places, not one
            start = m.end() - len(" ".join(words)) if m.group(0).endswith(" ".join(words)) else m.start()
            longer.append((start, m.end(), " ".join(words)))
        for n in names:
            host = next((x for x in longer if x[0] <= n.start and n.end <= x[1] and (x[1] - x[0]) > (n.end - n.start)
                         and n.info is not None and (n.info.has_type("City", "Country", "Place")
                                                     or INSTITUTION_HEAD.search(x[2]))
                         and not any(a.start == x[0] and a.end == x[1] for a in all_names)), None)
            if host is None:
                out.append(n)
            elif not any(o.start == host[0] for o in out):
                out.append(EntityMention(host[0], host[1], self.ontology.ids.unlinked_entity(host[2]), host[2], "minted"))
        return out

    def _title_entity(self, title: str, mentions: list[EntityMention]):
        """The entity a document's title is about: of the names in the title, the one the text names most often
        (a place only when no other title name recurs); a name in the possessive before a noun ("X's population")
        counts double. A page titled 'University of Tartu: facts' is about the University of Tartu."""
        from ...rdf.ontology import EntityInfo
        named = self.gaz.names(title)
        taken = [(m.start, m.end) for m in named]
        minted = [m for m in self.gaz.minted(title, taken, {0}) if m.label not in NOT_SUBJECTS]
        cands = sorted(named + minted, key=lambda m: m.start)
        if not cands:
            return None
        counts = {}
        for m in mentions:
            counts[m.iri] = counts.get(m.iri, 0) + 1
        best, best_score = None, 0.0
        for rank, m in enumerate(cands):
            score = counts.get(m.iri, 0) + 1.0 - rank * 0.1
            if re.match(r"^['’]s\s+[a-z]", title[m.end:m.end + 4]):
                score *= 2
            if not title[:m.start].strip() and HEADLINE_VERB.match(title, m.end):
                score *= 1.5  # "X ratifies ...": the headline's subject
            place = m.info is not None and m.info.has_type("Country", "City", "Place", "AdministrativeArea")
            if place and any(counts.get(o.iri, 0) >= 2 and not (o.info and o.info.has_type(
                    "Country", "City", "Place", "AdministrativeArea")) for o in cands):
                score /= 3
            if score > best_score:
                best, best_score = m, score
        if best.info is not None:
            return best.info
        return EntityInfo(best.iri, best.label, (), (), ())

    def _in_footnote(self, pos: int) -> bool:
        return any(b.kind == "footnote" and b.start <= pos < b.end for b in self.layout.blocks)

    # ------------------------------------------------------------------ driver
    def claims(self) -> list[Claim]:
        for sent in self.layout.sentences:
            self._sentence(sent)
        for table in self.layout.tables:
            read_table(self, table)
        title = " ".join((self.document.title or "").split()).casefold()
        headings = [(s.start, s.end) for s in self.layout.sentences
                    if s.kind == "heading" or title and " ".join(s.text.split()).casefold() == title]
        return restatements(self.claims_out, self.text, headings)

    def _sentence(self, sent: Sentence) -> None:
        s0, s1 = sent.start, sent.end
        ents = [m for m in self.entities if s0 <= m.start < s1]
        ents += [p for p in self._pronouns(sent) if not overlaps(p.start, p.end, [(m.start, m.end) for m in ents])]
        found_dates = find_dates(sent.text, self.doc_date, self.last_day)
        self.last_day = last_day(found_dates)  # for the next sentence only
        descs = self._descriptions(sent, ents, found_dates)
        descs += [d for d in self._institutions(sent, ents + descs)]
        ents = sorted(ents + descs, key=lambda m: m.start)
        quoted = [q for q in self.layout.quoted if s0 <= q[0] < s1 and q[1] - q[0] <= QUOTED_TITLE]
        markers = [(s0 + m.start(), s0 + m.end()) for m in FOOTNOTE_RE.finditer(sent.text)]
        skip = quoted + markers
        dates = [dataclasses.replace(d, start=d.start + s0, end=d.end + s0) for d in found_dates]
        dates = [d for d in dates if not inside(d.start, skip)]
        nums = [dataclasses.replace(n, start=n.start + s0, end=n.end + s0)
                for n in find_numbers(sent.text, self.units)]
        nums = [n for n in nums if not overlaps(n.start, n.end, [(d.start, d.end) for d in dates if d.value])
                and not inside(n.start, skip)]
        ords = [dataclasses.replace(o, start=o.start + s0, end=o.end + s0) for o in find_ordinals(sent.text)]
        ords = [o for o in ords if not overlaps(o.start, o.end, [(d.start, d.end) for d in dates])
                and not inside(o.start, skip)]
        nums = [n for n in nums if not overlaps(n.start, n.end, [(o.start, o.end) for o in ords])]
        if sent.paragraph != self._paragraph:
            self.topic, self._paragraph, self.previous_subject = None, sent.paragraph, None
            self.paragraph_claims = {}
        self.last_claim = None
        if sent.kind == "heading" and self.as_of_used:
            self.as_of, self.as_of_used = None, False
        for d in found_dates:
            if d.value and re.search(r"\b(?:as of|as at|as on)\s+$", sent.text[:d.start], re.I):
                self.as_of = TimeSpec(point=d.value)
        ctx = SentenceContext(self, sent, ents, dates, nums, ords, markers)
        self.sentence_before, self._sentence_now = self._sentence_now, sent.start
        if sent.kind != "heading" or nums or ords:
            read_sentence(ctx)
        head = ctx.sentence_subject()
        self.previous_subject = head
        if head is not None:
            self.topic = head
        for m in ents:
            if m.info is None and m.how == "minted":  # "the Hungarian Parliament": "the parliament" after it
                head = m.label.split()[-1].lower()
                if head in self.gaz.nouns:
                    self.last_by_noun[head] = m
            if m.info is not None:
                for n in m.info.nouns:
                    self.last_by_noun[n.lower()] = m
                if m.info.has_type("CreativeWork") or "index" in m.info.nouns or is_index_name(m.label):
                    self.last_index, self.last_index_paragraph = m, sent.paragraph
                if m.info.has_type("Legislation"):
                    self.last_legislation = m
            elif is_index_name(m.label):
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
                if overlaps(st, en, [(e.start, e.end) for e in ents + out]):
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
            if overlaps(st, en, [(m.start, m.end) for m in ents]):
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
                elif len(candidates) == 1 and det in ("the", "this", "that") and \
                        candidates[0].iri in self.named_here:
                    chosen = candidates[0]  # "the company": one the document names, never one it does not
                elif self.focus_info is not None and noun in REFERRING_NOUNS and det in ("the", "this"):
                    chosen = self.focus_info  # "the company" in a page about a company
            if chosen is not None:
                out.append(EntityMention(st, en, chosen.iri, chosen.label, "description", chosen))
        return out
