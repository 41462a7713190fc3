"""Find the entities a text talks about, with character spans.

* gazetteer names and aliases (``ontology/entities.ttl``); one-word names match with their case, longer names
  without ("Gas Interconnection Poland-Lithuania", "the Lithuanian parliament");
* demonyms used as nouns ("Lithuanians can visit ...") name their country;
* "we", "our", "us", "the country" name the document's focus entity;
* definite or indefinite descriptions ("the pipeline", "this ranking", "a human chain") name an entity through
  its ``lkg:noun``: the one last mentioned, else the one whose ``lkg:date`` fits the sentence's date;
* other proper names (capitalised word runs, acronyms) become minted, unlinked entities.
"""
from __future__ import annotations

import dataclasses
import functools
import re
from collections import Counter

from ..model import Term
from ..rdf.ontology import EntityInfo, Ontology

PRONOUNS = re.compile(r"\b(?:we|We|our|Our|us|ours|the country(?:['’]s)?|The country(?:['’]s)?|the nation|"
                      r"The nation|this country|our country)\b")
NOT_NAMES = set("""
A An The This That These Those There Here It Its In On At By For From With Without Within Into Of And Or But So As If
When While Since After Before During Over Under Between Among Through Across About Around Some Many Most More Less
All Any Each Every Both Either Neither No Not Only Also Even Just Still Yet Now Today Currently Recently Last Next
First Second Third Our We Us They Their He She His Her You Your I My Me Mr Ms Dr Prof New Old Other Another Such
Being Ever Always Never However Moreover Furthermore Meanwhile Overall Together Thus Therefore Then Once Twice
Monday Tuesday Wednesday Thursday Friday Saturday Sunday January February March April May June July August
September October November December Jan Feb Mar Apr Jun Jul Aug Sep Sept Oct Nov Dec
Learn Read See More Home Contact Source Sources Note Notes Table Figure
GDP ICT IT MPs MP VPN VPNs CEO LNG EUR USD GBP PDF HTML FAQ ID OK AI A AN THE IN ON AT
""".split())
# names that never say what a figure is about: generic words a title capitalises
NOT_SUBJECTS = {"IPO", "CEO", "Series", "Year", "Births", "Deaths", "Facts", "Figures", "Update", "Updates", "News"}
# legal forms and group words after a company's name
CORPORATE_SUFFIXES = {"Group", "Grupe", "grupė", "Grupė", "Inc", "Inc.", "Ltd", "Ltd.", "AS", "AB", "Oy", "Oyj", "SA",
                      "AG", "GmbH", "plc", "PLC", "Corp", "Corp.", "Corporation", "Holdings", "LLC", "NV", "BV", "SE"}
LEGAL_PREFIXES = {"AB", "AS", "UAB", "SIA", "OÜ", "AAS", "PAS", "Oy", "SA"}
_SUFFIX_AFTER = re.compile(r"\s+(?:grupė|grupe|oyj|plc|inc\.|ltd\.|llc|gmbh)(?!\w)")
# words that begin place names ("New Zealand", "South Africa") and are otherwise not names
PLACE_PREFIXES = {"New", "North", "South", "East", "West", "Saint", "St"}
NAME_RE = re.compile(
    r"(?<![\w’'-])(?:[A-Z][\w’'.-]*[\w]|[A-Z])(?:[ \t]+(?:of|the|and|for|de|du|van|von|la|le|di|del|der|&)[ \t]+"
    r"[A-Z][\w’'.-]*[\w]|[ \t]+(?:[A-Z][\w’'.-]*[\w]|[A-Z]))*")


@dataclasses.dataclass(frozen=True)
class EntityMention:
    start: int
    end: int
    iri: str
    label: str
    how: str                   # name | demonym | pronoun | description | minted
    info: EntityInfo | None = None

    @property
    def term(self) -> Term:
        return Term(self.iri, self.label, unlinked=self.how == "minted")

    def has_type(self, *names: str) -> bool:
        return bool(self.info and self.info.has_type(*names))


class Gazetteer:
    """The entity matcher of one ontology."""

    def __init__(self, ontology: Ontology):
        self.ontology = ontology
        exact, folded = [], []
        self.by_name: dict[str, str] = {}
        self.by_folded: dict[str, str] = {}
        for e in ontology.entities.values():
            for name in {e.label, *e.aliases}:
                if len(name.split()) == 1 or name.isupper():
                    exact.append(name)
                    self.by_name.setdefault(name, e.iri)
                else:
                    folded.append(name)
                    self.by_folded.setdefault(_fold(name), e.iri)
        # Names as token sequences: matched by looking up the longest run of words at each word of the text.
        self._by_tokens: dict[tuple[str, ...], list[tuple[str, str]]] = {}
        for name in set(exact) | set(folded):
            toks = tuple(t.casefold() for t in _TOKEN.findall(_normal_chars(name)))
            if toks:
                self._by_tokens.setdefault(toks, []).append((name, self.by_name.get(name) or
                                                             self.by_folded.get(_fold(name))))
        self._lengths: dict[str, list[int]] = {}
        for k in self._by_tokens:
            self._lengths.setdefault(k[0], []).append(len(k))
        for first in self._lengths:
            self._lengths[first] = sorted(set(self._lengths[first]), reverse=True)
        self.demonyms: dict[str, str] = {}
        for e in ontology.entities.values():
            for d in e.demonyms:
                self.demonyms[d + "s"] = e.iri
        self._demonym_re = re.compile(r"\b(" + "|".join(map(re.escape, sorted(self.demonyms, key=len,
                                                                                   reverse=True))) + r")\b") \
            if self.demonyms else None
        self.adjectives = {d for e in ontology.entities.values() for d in e.demonyms}
        self.adjective_of = {d: e for e in ontology.entities.values() for d in e.demonyms}
        self.unit_words = {n for u in ontology.units.values() for n in (u.symbol or "", u.label, *u.aliases) if n}
        self.nouns: dict[str, list[EntityInfo]] = {}
        for e in ontology.entities.values():
            for n in e.nouns:
                self.nouns.setdefault(n.lower(), []).append(e)
        noun_alts = "|".join(sorted((re.escape(n) for n in self.nouns), key=len, reverse=True))
        self._description_re = re.compile(
            rf"\b(?P<det>the|this|that|a|an|The|This|That|A|An)\s+(?:[\d.,]+[\s-]*[a-z]{{1,10}}[\s-]+)?"
            rf"(?:(?:same|new|living|human|whole|entire)\s+)?(?P<noun>{noun_alts})\b", re.I) if noun_alts else None

    def names(self, text: str) -> list[EntityMention]:
        """Gazetteer names in text (leftmost-longest over words; one-word names and acronyms case-sensitive)."""
        out = []
        norm = _normal_chars(text)
        tokens = [(m.start(), m.end(), m.group(0).casefold()) for m in _TOKEN.finditer(norm)]
        i, n = 0, len(tokens)
        while i < n:
            hit = None
            for length in self._lengths.get(tokens[i][2], ()):
                if i + length > n:
                    continue
                key = tuple(t[2] for t in tokens[i:i + length])
                cands = self._by_tokens.get(key)
                if not cands:
                    continue
                start, end = tokens[i][0], tokens[i + length - 1][1]
                if any(not _SEPARATOR.fullmatch(norm[tokens[k][1]:tokens[k + 1][0]]) for k in range(i, i + length - 1)):
                    continue
                if end < len(norm) and (norm[end] == "-" and end + 1 < len(norm) and norm[end + 1].isalnum()):
                    continue  # part of a longer hyphenated word
                if start > 0 and norm[start - 1] == "-":
                    continue
                found = text[start:end]
                iri = self.by_name.get(found) or self.by_folded.get(_fold(found))
                if iri is None:
                    continue  # a one-word name in other case ("independence" is not "Independence")
                hit = (start, end, iri, length)
                break
            if hit is None:
                i += 1
                continue
            info = self.ontology.entities[hit[2]]
            out.append(EntityMention(hit[0], hit[1], hit[2], info.label, "name", info))
            i += hit[3]
        if self._demonym_re is not None:
            for m in self._demonym_re.finditer(text):
                if not any(o.start <= m.start() < o.end for o in out):
                    info = self.ontology.entities[self.demonyms[m.group(1)]]
                    out.append(EntityMention(m.start(), m.end(), info.iri, info.label, "demonym", info))
        return sorted(out, key=lambda e: e.start)

    def entity_set(self, text: str) -> list[str]:
        """The known entities a phrase names, by name, demonym noun or demonym adjective ("Russian gas")."""
        iris = {m.iri for m in self.names(text)}
        for e in self.ontology.entities.values():
            for d in e.demonyms:
                if re.search(rf"\b{re.escape(d)}\b", text):
                    iris.add(e.iri)
        return sorted(iris)

    def descriptions(self, text: str):
        """Definite or indefinite descriptions that may name a known entity: (start, end, noun, determiner)."""
        if self._description_re is None:
            return []
        return [(m.start(), m.end(), m.group("noun").lower(), m.group("det").lower())
                for m in self._description_re.finditer(text)]

    def minted(self, text: str, taken: list[tuple[int, int]], sentence_starts: set[int]) -> list[EntityMention]:
        """Proper names that are not in the gazetteer, as minted entities. A capitalised word at the start of a
        sentence is a name only when the text also uses it as one elsewhere."""
        out = []
        inner = {m.group(0) for m in re.finditer(r"(?<=[a-z,;(|] )[A-Z][a-z]{2,}\b", text)}
        for m in NAME_RE.finditer(text):
            s, e = m.span()
            if any(s < te and ts < e for ts, te in taken):
                continue
            name = m.group(0).strip()
            if name.endswith(("'s", "’s")):
                name = name[:-2]  # "Rail Baltica's": the name, not its possessive
            words = name.split()
            while words and words[0] in NOT_NAMES and not (words[0] in PLACE_PREFIXES and len(words) > 1):
                s += len(words[0]) + 1
                words = words[1:]
            while words and (words[-1] in NOT_NAMES or words[-1].lower() in ("of", "the", "and", "for")):
                words = words[:-1]
            if not words:
                continue
            if len(words) > 2 and words[1] == "of" and s in sentence_starts:
                s += len(words[0]) + 4  # "Shares of Acme were ...": the name after "of"
                words = words[2:]
            if len(words) > 1 and words[0] in LEGAL_PREFIXES:
                s += len(words[0]) + 1  # "AB Acme", "AS Acme": the company is "Acme"
                words = words[1:]
            e = s + len(" ".join(words))  # the span keeps the legal form; the name drops it
            if len(words) > 1 and words[-1] in CORPORATE_SUFFIXES:
                words = words[:-1]  # "Acme Group", "Acme AS": the company is "Acme" whatever its legal form
            name = " ".join(words)
            tail = _SUFFIX_AFTER.match(text, e)
            if tail:
                e = tail.end()  # "Acme grupė": a legal form in lower case is part of the span
            if len(words) == 1:
                w = words[0]
                if w in self.adjectives or w in self.unit_words or (w.isupper() and len(w) > 3 and s in sentence_starts):
                    continue
                at_start = s in sentence_starts
                if w in NOT_NAMES or (at_start and not w.isupper() and w not in inner) or len(w) < 2 or \
                        w.lower() in _COMMON:
                    continue
            if re.fullmatch(r"[\d\s]+", name):
                continue
            out.append(EntityMention(s, e, self.ontology.ids.unlinked_entity(name), name, "minted"))
        return out


_COMMON = {"internet", "government", "parliament", "president", "minister", "ministry", "university", "city",
           "state", "states", "republic", "index", "report", "european", "national", "international", "global"}


_TOKEN = re.compile(r"[^\W_]+")
_SEPARATOR = re.compile(r"[\s\-.'+]{1,3}")


def _normal_chars(text: str) -> str:
    """Dashes and apostrophes made plain, one character for one (offsets stay the same)."""
    return text.translate(_CHAR_MAP)


_CHAR_MAP = str.maketrans({"\u2010": "-", "\u2011": "-", "\u2012": "-", "\u2013": "-", "\u2014": "-",
                           "\u2015": "-", "\u2212": "-", "\u2019": "'"})


def _fold(name: str) -> str:
    return " ".join(re.sub(r"[\u2010-\u2015\u2212]", "-", name.replace("\u2019", "'")).casefold().split())


def focus_entity(mentions: list[EntityMention], declared: EntityInfo | None) -> EntityInfo | None:
    """The entity a document is about: declared in front matter, else the country or place named most."""
    if declared is not None:
        return declared
    counts = Counter(m.iri for m in mentions if m.info is not None and m.how in ("name", "demonym"))
    if not counts:
        return None
    places = [iri for iri, _ in counts.most_common() if mentions and next(
        m for m in mentions if m.iri == iri).has_type("Country", "Place", "City", "AdministrativeArea")]
    best = places[0] if places else counts.most_common(1)[0][0]
    return next(m.info for m in mentions if m.iri == best)


ENTITY_KEYED = {"orderAmong", "since"}


@functools.lru_cache(maxsize=8192)
def scope_key(gazetteer: "Gazetteer", prop: str, qualifier: str, text: str) -> str:
    """The grouping key of a text qualifier. The 'of' of a position or a state ("the first EU country to stop
    Russian gas imports") is keyed by the entities it names, so other wordings of it group together; other
    texts by their content words (:func:`lithkg.model.text_key`)."""
    from ..model import text_key
    if qualifier == "of" and prop in ENTITY_KEYED:
        iris = gazetteer.entity_set(text)
        if iris:
            sup = re.findall(r"\b(biggest|largest|greatest|highest|lowest|smallest|best|worst|fastest|busiest|"
                             r"oldest|youngest|richest|poorest|strongest)\b", text.lower())
            return "e:" + " ".join(iris + sorted(set(sup)))
    return text_key(text)
