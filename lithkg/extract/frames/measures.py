"""What a figure measures: the noun phrase it counts or is the value of, as a key that other wordings share.

A figure's group is its subject, its property and its scoping qualifiers, so two documents that state the same
quantity must name it the same way. Real prose names a quantity in many ways: "57,534 live births", "a total of
14,200 businesses", "the total estimated cost of the project is €5.8bn", "maintenance costs would total €909m",
"a national share of €268m", "€16.2bn worth of socio-economic benefits", "73,400 people have become members".
:func:`measure` finds that noun phrase (after the figure, before "of" the figure, or as the subject of a linking
verb before it) and :func:`key_words` reduces it to its lemmas: words that only grade or hedge ("total",
"estimated", "approximately") are dropped, plurals become singular, synonyms one word ("businesses" and
"companies", "persons" and "people"). :meth:`.context.DocumentContext.measure_frame` maps the phrase's head to
the property of the closed vocabulary whose ``lkg:measureNoun`` it is (``ontology/frames.ttl``), so "cost", "costs"
and "costing" are the property ``cost`` while "maintenance costs" stays a cost *of maintenance*.
"""
from __future__ import annotations

import dataclasses
import re

from ...model import INVARIANT_NOUNS

# words that grade, hedge or point, never what is measured
GRADING = {"total", "overall", "estimated", "expected", "projected", "approximate", "approximately", "whole", "entire",
           "full", "final", "initial", "current", "previous", "latest", "recent", "updated", "further", "additional",
           "extra", "more", "fewer", "less", "some", "about", "around", "nearly", "almost", "only", "just", "roughly",
           "cumulative", "combined", "overall", "provisional", "preliminary", "official", "reported", "registered",
           "cosy", "whopping", "fresh", "implied", "indicative", "indicated", "targeted",
           "ordinary", "common", "regular", "standard", "usual", "staggering", "mere", "impressive", "record", "massive", "huge", "modest",
           "the", "a", "an", "its", "their", "his", "her", "our", "this", "that", "these", "those", "of", "which"}
# words that end a noun phrase: verbs, auxiliaries, prepositions, conjunctions
ENDERS = {"is", "was", "are", "were", "be", "been", "being", "has", "have", "had", "will", "would", "could", "should",
          "may", "might", "can", "shall", "do", "does", "did", "become", "became", "becomes", "total", "totals",
          "totalled", "totaled", "totalling", "amount", "amounts", "amounted", "reach", "reached", "reaches", "stood",
          "stands", "stand", "rose", "rise", "rises", "risen", "fell", "fall", "falls", "fallen", "grew", "grow",
          "grows", "grown", "increased", "decreased", "dropped", "soared", "climbed", "declined", "came", "comes",
          "cost", "costs", "make", "makes", "made", "account", "accounts", "accounted", "comprise", "comprised",
          "said", "says", "added", "reported", "estimated", "valued", "put", "puts", "hit", "hits", "sat", "sits",
          "of", "in", "on", "at", "for", "from", "to", "with", "by", "as", "and", "or", "but", "than", "per", "into",
          "over", "under", "since", "during", "after", "before", "while", "when", "where", "who", "that", "which",
          "including", "between", "among", "across", "through", "until", "within", "without", "against", "out",
          "up", "down", "off", "so", "if", "because", "not", "no", "now", "then", "also", "still", "yet", "already",
          "this", "last", "next", "year", "years", "month", "months", "week", "weeks", "day", "days", "alone",
          "each", "every", "both", "all", "respectively", "instead", "rather", "only", "just", "about", "like",
          "such", "notably", "especially", "mostly", "mainly", "plus", "versus", "vs"}
# words a noun phrase before its figure cannot contain: auxiliaries, prepositions, conjunctions
PHRASE_BOUNDS = {"is", "was", "are", "were", "be", "been", "has", "have", "had", "will", "would", "could", "should",
                 "may", "might", "can", "in", "on", "at", "for", "from", "to", "with", "by", "as", "and", "or", "but",
                 "than", "per", "into", "over", "under", "since", "during", "after", "before", "while", "when",
                 "where", "who", "that", "which", "including", "between", "among", "said", "says", "if", "because",
                 "while", "whereas", "whose", "what", "how", "it", "they", "we", "he", "she", "there", "here"}
PLACEHOLDERS = {"number", "figure", "total", "level", "count", "amount", "sum", "tally"}
NOT_HEADS = {"fresh", "new", "more", "other", "such", "same", "own", "like", "much", "many", "few", "several"}
DETERMINERS = {"a", "an", "the", "its", "their", "his", "her", "our", "this", "that", "these", "those", "whose"}
# one word for words that name the same thing
SYNONYMS = {"business": "company", "firm": "company", "enterprise": "company", "companies": "company",
            "persons": "person", "people": "person", "individual": "person", "inhabitant": "resident",
            "costing": "cost", "expense": "cost", "expenditure": "cost", "price tag": "cost", "turnover": "revenue",
            "sale": "revenue", "valuing": "valuation", "valued": "valuation", "value": "value",
            "worth": "value", "estimate": "cost"}
_WORD = re.compile(r"[A-Za-z][\w’'-]*")
SCOPE_TAIL = re.compile(r"\s+(?:over|in|during|for|at|across|within|since|by)\s+(?:the\s+|its\s+|their\s+|this\s+|"
                        r"that\s+|last\s+|a\s+)?(?:[\w’'-]+\s+){0,2}?[\w’'-]+$")
_PARENS = re.compile(r"\([^()]*\)")


@dataclasses.dataclass(frozen=True)
class Measure:
    """The noun phrase a figure measures: its text, its lemma key ("live birth"), its head lemma ("birth") and
    where it stands in the document (start, end)."""

    text: str
    key: str
    head: str
    start: int
    end: int


def lemma(word: str) -> str:
    """A word's singular, lowercase form ("births" -> "birth", "companies" -> "company", "people" -> "person")."""
    w = word.lower().replace("’", "'")
    if w in SYNONYMS:
        return SYNONYMS[w]
    if w.endswith("'s"):
        w = w[:-2]
    if w in INVARIANT_NOUNS:
        return w
    if len(w) > 4 and w.endswith("ies"):
        w = w[:-3] + "y"
    elif len(w) > 4 and w.endswith(("sses", "shes", "ches", "xes")):
        w = w[:-2]
    elif len(w) > 3 and w.endswith("s") and not w.endswith(("ss", "us", "is")):
        w = w[:-1]
    return SYNONYMS.get(w, w)


def per_key(per: str) -> str:
    """A rate's denominator as lemmas, without its number ("1,000 live births" -> "live birth")."""
    words = [w for w in _WORD.findall(per) if w.lower() not in GRADING]
    return " ".join(lemma(w) for w in words) or per


def key_words(words: list[str]) -> list[str]:
    """The lemmas of a noun phrase that say what is measured: grading words and participles dropped, the head and
    the word before it ("measurable project socio-economic benefits" and "socio-economic benefits" are one)."""
    out = [lemma(w) for w in words if w.lower() not in GRADING and not re.fullmatch(r"\d[\d.,]*", w)]
    out = [w for i, w in enumerate(out) if not (w.endswith("ed") and w not in ("red", "need", "seed") and len(out) > 1)]
    flow = ["new"] if "new" in out[:-1] else []  # "new private firms": a flow, whatever else qualifies it
    return flow + [w for w in out if w != "new"][-2:] if flow else out[-2:]


def _phrase(words: list[re.Match], base: int) -> Measure | None:
    while words and words[-1].group(0).lower().endswith("ly") and len(words) > 1:
        words = words[:-1]  # "4,500 companies annually": the adverb is not what is counted
    if any(w.group(0).endswith(("'s", "’s")) for w in words[:-1]):
        words = words[:next(i for i, w in enumerate(words) if w.group(0).endswith(("'s", "’s")))]
    if not words:
        return None
    keys = key_words([m.group(0) for m in words])
    if not keys or keys[-1].endswith(("ing", "ly")) or keys[-1] in NOT_HEADS:
        return None  # "rising to", "annually": a verb or an adverb, not what is measured
    start, end = base + words[0].start(), base + words[-1].end()
    return Measure(" ".join(m.group(0) for m in words), " ".join(keys), keys[-1], start, end)


def after(text: str, pos: int, limit: int) -> Measure | None:
    """The noun phrase right after a figure: "57,534 live births", "€5bn valuation", "20 new companies"."""
    segment = text[pos:limit]
    m0 = re.match(r"^[\s-]*(?:(?:worth\s+of|in)\s+(?:the\s+)?)?", segment)  # "€2bn worth of benefits", "$5m in sales"
    taken: list[re.Match] = []
    at = m0.end()
    for m in _WORD.finditer(segment, at):
        if segment[at:m.start()].strip() not in ("", "-"):
            break
        w = m.group(0).lower()
        if w in ENDERS or w[0].isupper() and m.group(0)[0].isupper() and taken:
            break
        if m.group(0)[0].isupper() and not (not taken and m.group(0).isupper() and len(m.group(0)) <= 5):
            break  # a name ends the phrase; an acronym may head it ("452,000 TEU")
        taken.append(m)
        at = m.end()
        if len(taken) == 4:
            break
    return _phrase(taken, pos) if taken else None


# what links a noun phrase to the figure after it: "is", "of", "would total", "is estimated at", "rose to" ...
LINK = re.compile(r"(?:\s+(?:of|at|is|was|are|were|of\s+about|to|ranges?\s+from|ranged\s+from|from|between|stood at|"
                  r"stands at|totalled|totaled|totals|"
                  r"would total|will total|total|amounts? to|amounted to|came to|comes to|reached|hit|was put at|"
                  r"is put at|is estimated at|was estimated at|estimated at|will be|would be|has been|had been|"
                  r"(?:is|are|was|were|will be|would be)\s+(?:estimated|expected|projected|forecast|put|valued|"
                  r"calculated|seen|set)\s+(?:at|to be|to reach|to total)|"
                  r"(?:is|are|was|were|has been|have been)\s+(?:rising|falling|growing|climbing|increasing|"
                  r"decreasing|dropping)\s+to|rising to|growing to|climbing to|falling to|increasing to|"
                  r"rose to|fell to|grew to|dropped to|climbed to|increased to|decreased to|sat at|of some|"
                  r"now)){1,2}\s*[:–-]?\s*$")
OWNER_TAIL = re.compile(r"\s+(?:of|for)\s+(?:the\s+|its\s+|their\s+)?(?:[A-Za-z][\w’'-]*\s+){0,3}?[A-Za-z][\w’'-]*$")
COUNTED_BY = re.compile(r"\b(?:number|amount|total|count|level|volume|share|proportion)\s*$", re.I)


def before(text: str, pos: int, lo: int) -> Measure | None:
    """The noun phrase a figure is the value of, before it: "a national share of €268m", "the total cost of the
    project is €5.8bn", "maintenance costs would total €909m", "natural increase was 19,185"."""
    segment = _PARENS.sub(lambda m: " " * len(m.group(0)), text[lo:pos])
    link = LINK.search(segment)
    if not link:
        return None
    head = segment[:link.start()]
    first = link.group(0).strip().split()[0]
    owner = OWNER_TAIL.search(head)  # "the total cost of the project is": the measure is before "of the project"
    if owner and first != "of":
        kept = head[:owner.start()]
        if COUNTED_BY.search(kept):
            head = re.sub(r"^\s+(?:of|for)\s+", " ", head[owner.start():])  # "the number of new members was"
        else:
            head = kept
    elif first not in ("of", "at", "to", "from", "between"):
        scope = SCOPE_TAIL.search(head)  # "the natural increase over the year was": the natural increase
        if scope and scope.start() > 0 and head[:scope.start()].strip():
            head = head[:scope.start()]
    return _walk_back(head, lo, closing_paren=True)


def ending(text: str, pos: int, lo: int) -> Measure | None:
    """The noun phrase that ends right before ``pos`` ("the population" in "the population grew by 105,900")."""
    return _walk_back(_PARENS.sub(lambda m: " " * len(m.group(0)), text[lo:pos]).rstrip(), lo)


def _walk_back(head: str, lo: int, *, closing_paren: bool = False) -> Measure | None:
    """The noun phrase that ends ``head`` (text from ``lo``), read word by word back to a determiner, a
    preposition, an auxiliary, a possessor or a name."""
    taken: list[re.Match] = []
    for m in reversed(list(_WORD.finditer(head))):
        gap = (head[m.end():taken[0].start()] if taken else head[m.end():]).strip()
        if gap not in ("", "-") and not (closing_paren and not taken and gap == ")"):
            break
        w = m.group(0).lower()
        if w in DETERMINERS or w in PHRASE_BOUNDS or w.endswith(("'s", "’s")):
            break  # "the project's total cost of": the possessor is not what is measured
        if m.group(0)[0].isupper() and head[:m.start()].strip():
            break  # a name ends the phrase; a capital at the sentence's start does not
        taken.insert(0, m)
        if len(taken) == 4:
            break
    return _phrase(taken, lo) if taken else None
