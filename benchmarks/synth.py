"""A reproducible synthetic corpus of versioned sources, streamed to a folder, for the scale benchmark.

    python benchmarks/synth.py --documents 10000 --out /tmp/corpus [--seed 1] [--check 200]

Every document is Markdown with YAML front matter (``url``, ``published``, ``title``) and about ten claim
sentences that lithkg's automatic extractor (``frames``) reads, in varied wordings: ranks in named indexes,
shares (unemployment rate, share of GDP), percent changes of spending, counts (students, employees,
inhabitants), money (funding raised, valuation, revenue, cost), lengths in km, capacities in MW, cargo in tonnes
and founding/opening years. Nothing is held in memory but the source being written.

The model
---------
* **Facts** (what lithkg calls claim groups: subject, property, scope) belong to *topics*. A topic has a base year
  and three to five subjects: a country or region, a city, a company, a university, an infrastructure project
  (pipeline, railway, bridge, wind farm, port). Most subjects are invented proper names (unique per topic, e.g.
  "Velmoria", "Kestrel Dynamics", "Port of Dravenholm"; the extractor mints unlinked entities for them), a share
  ``--gazetteer`` are entities lithkg's gazetteer knows (Lithuania, Riga, Nord Security, ...), which then gather
  claims from many topics. Indexes for ranks are drawn from a pool of invented index names plus the gazetteer's.
  Each fact has one true value per year (a seeded series that changes every year).
* **Sources** (URLs): ``--sources-per-topic`` sources write about each topic; each picks ``--claims`` of the
  topic's ``--facts-per-topic`` facts, so a fact is stated by about two to three sources.
* **Versions**: a source has 1..``--max-versions`` versions (same url, later ``published`` date, one a year).
  Version 1 states each fact for the year before it was published. Each later version, for each claim of the
  previous one: drops it with ``--retract`` (a retraction; a new fact of the topic is added instead), states the
  fact's value for its own later year with ``--update`` (an update: later time, new value), else repeats it
  (corroborating itself), reworded with ``--reword``.
* **Conflicts**: when a source first states a fact it dissents with ``--conflict``: it states one of two wrong
  values (for every year) instead of the true one, so sources disagree about the same quantity at the same time;
  two dissenting sources may agree with each other.

The manifest (``manifest.json`` next to the documents) records the parameters and what was generated: documents,
sources, topics, planned facts, claim sentences, and the intended shares (first statements, dissenting ones,
repeats, updates, rewordings, retractions). What lithkg derives from them (corroborated, updated, conflicting,
retracted, preferred) is measured by ``benchmarks/scale.py`` after ingest.

``--check K`` runs lithkg's extractor on the first K documents (generated in memory, nothing written unless
``--out`` is given) and reports recall and precision of the intended (subject, property, value, year) claims and
whether each fact maps to exactly one claim group.
"""
from __future__ import annotations

import argparse
import dataclasses
import datetime as _dt
import functools
import hashlib
import json
import random
import sys
import time
from decimal import Decimal
from collections.abc import Iterator
from pathlib import Path

GENERATOR_VERSION = "1"
ANCHOR_YEAR = 2010          # value series start here
FIRST_BASE_YEAR, LAST_BASE_YEAR = 2012, 2020

# ---------------------------------------------------------------- names
SYLLABLES = ["ka", "ve", "lo", "ri", "dan", "mor", "tel", "sa", "vi", "no", "bra", "ke", "li", "tor", "mi",
             "ra", "zen", "do", "pel", "vas", "ta", "ne", "gor", "si", "lu", "fen", "ro", "ma", "kel", "dri"]
_NB = len(SYLLABLES)
_SPACE = _NB ** 4                  # 810,000 distinct stems
_MULT = 7919 * 13 + 1              # coprime with _SPACE: the stem of a number is a bijection


def stem(number: int) -> str:
    """A unique pronounceable stem for a number (3 or 4 syllables): distinct numbers give distinct stems."""
    x = (number * _MULT + 104729) % _SPACE
    x = x if x >= _NB ** 2 else x + _NB ** 3  # at least three syllables
    parts = []
    while x:
        x, d = divmod(x, _NB)
        parts.append(SYLLABLES[d])
    return "".join(reversed(parts)).capitalize()


PLACE_ENDINGS = ["ia", "land", "ovia", "ara", "stan"]
CITY_SHAPES = ["{}", "{}holm", "{}burg", "{}stad"]
COMPANY_SUFFIXES = ["Dynamics", "Labs", "Systems", "Energy", "Robotics", "Analytics", "Logistics", "Foods",
                    "Networks", "Technologies", "Holdings", "Biotech"]
INFRA_KINDS = ["Pipeline", "Railway", "Bridge", "Wind Farm", "Port"]
INDEX_THEMES = ["Talent", "Digital Readiness", "Innovation", "Startup", "Press Freedom", "Logistics Performance",
                "Green Growth", "Open Data", "E-Government", "Competitiveness", "Tourism", "Quality of Life"]
SPENDING = ["research", "defence", "education", "healthcare", "culture", "roads", "housing", "science"]

# Entities lithkg's gazetteer (ontology/entities.ttl) knows, by the role they can play here.
GAZETTEER = {
    "place": ["Lithuania", "Latvia", "Estonia", "Poland", "Finland", "Slovakia", "Ukraine", "France", "Belarus"],
    "city": ["Vilnius", "Riga", "Tallinn", "Klaipėda"],
    "company": ["Nord Security"],
    "university": ["Vilnius University"],
    "infra": [],
}
GAZETTEER_INDEXES = ["National Cyber Security Index", "Global Cybersecurity Index", "Henley Passport Index"]


def ordinal(n: int) -> str:
    suffix = "th" if 10 <= n % 100 <= 20 else {1: "st", 2: "nd", 3: "rd"}.get(n % 10, "th")
    return f"{n}{suffix}"


# ---------------------------------------------------------------- properties
@dataclasses.dataclass(frozen=True)
class Prop:
    """One kind of fact: the lithkg property it yields, how its values move and how sentences state it."""

    name: str               # lithkg property local name (ontology/frames.ttl)
    roles: tuple            # subject roles it applies to
    kind: str               # rank | pct | change | count | money | num | year
    lo: float               # range of the starting value
    hi: float
    digits: int             # decimals (pct, money in millions/billions, num) or significant digits (count)
    templates: tuple        # sentence templates: {S} subject, {Y} year, {V} value, {X} scope text
    scope: str | None = None  # index | spending | None
    unit_word: str = ""     # million | billion (money), km | MW | million tonnes (num)
    updatable: bool = True

    def render(self, value: Decimal) -> str:
        if self.kind == "rank":
            return ordinal(int(value))
        if self.kind == "count" or (self.kind == "num" and self.digits == 0):
            return f"{int(value):,}"  # "1,326 MW": without the comma the extractor reads 1326 as a year
        if self.kind in ("pct", "change"):
            return f"{abs(value)}"
        return f"{value}"

    def lithkg_value(self, value: Decimal) -> Decimal:
        """The value lithkg stores (EUR for money, tonnes for cargo)."""
        scale = {"million": Decimal(10) ** 6, "billion": Decimal(10) ** 9, "million tonnes": Decimal(10) ** 6}
        return value * scale.get(self.unit_word, Decimal(1))


PROPS = [
    Prop("rank", ("place", "company", "university", "city"), "rank", 20, 90, 0, (
        "In {Y}, {S} was ranked {V} in the {X}.",
        "In {Y}, {S} placed {V} in the {X}.",
        "In the {Y} edition of the {X}, {S} came {V}.",
        "In {Y}, {S} held {V} place in the {X}.",
    ), scope="index"),
    Prop("share", ("place", "city"), "pct", 3, 16, 1, (
        "In {Y}, the unemployment rate in {S} was {V}%.",
        "In {Y}, the unemployment rate in {S} reached {V}%.",
    )),
    Prop("shareOfGdp", ("place",), "pct", 0.5, 4, 1, (
        "In {Y}, {S} spent {V}% of GDP on defence.",
        "In {Y}, {S} spent {V}% of its GDP on defence.",
    )),
    Prop("change", ("place", "city"), "change", -9, 19, 1, (
        "In {Y}, {S} {verb} its spending on {X} by {V}%.",
        "In {Y}, {S} {verb} its spending on {X} by {V} per cent.",
    ), scope="spending"),
    Prop("count", ("place", "university"), "count", 4000, 90000, 3, (
        "In {Y}, {S} had {V} students.",
    )),
    Prop("population", ("city",), "count", 20000, 900000, 3, (
        "In {Y}, {S} had {V} inhabitants.",
        "In {Y}, {S} had {V} residents.",
    )),
    Prop("count", ("company",), "count", 40, 9000, 3, (
        "In {Y}, {S} had {V} employees.",
    )),
    Prop("fundingRaised", ("company",), "money", 2, 400, 1, (
        "In {Y}, {S} raised EUR {V} million from investors.",
        "In {Y}, {S} secured EUR {V} million in a funding round.",
    ), unit_word="million"),
    Prop("valuation", ("company",), "money", 0.1, 9, 2, (
        "In {Y}, {S} was valued at EUR {V} billion.",
        "In {Y}, {S} reached a valuation of EUR {V} billion.",
    ), unit_word="billion"),
    Prop("revenue", ("company",), "money", 3, 900, 1, (
        "In {Y}, {S} reported revenue of EUR {V} million.",
        "In {Y}, {S} had revenue of EUR {V} million.",
        "In {Y}, {S} reported a turnover of EUR {V} million.",
    ), unit_word="million"),
    Prop("inception", ("company",), "year", 1990, 2011, 0, (
        "{S} was founded in {V}.",
    ), updatable=False),
    Prop("inception", ("infra",), "year", 1995, 2011, 0, (
        "The {S} was inaugurated in {V}.",
        "The {S} opened in {V}.",
    ), updatable=False),
    Prop("length", ("infra:Pipeline", "infra:Railway"), "num", 40, 900, 0, (
        "In {Y}, the {S} was {V} km long.",
        "In {Y}, the {S} stretched {V} kilometres.",
    ), unit_word="km"),
    Prop("cost", ("infra",), "money", 20, 900, 1, (
        "In {Y}, the {S} cost EUR {V} million.",
    ), unit_word="million"),
    Prop("capacity", ("infra:Wind Farm",), "num", 40, 900, 0, (
        "In {Y}, the {S} had a capacity of {V} MW.",
    ), unit_word="MW"),
    Prop("mass", ("infra:Port",), "num", 2, 60, 1, (
        "In {Y}, the {S} handled {V} million tonnes of cargo.",
    ), unit_word="million tonnes"),
]

FILLER = [
    "This page collects the key figures in one place.",
    "Officials met to discuss cooperation, culture and the shared history of the region.",
    "The report describes the main trends and the outlook for the coming years.",
    "Figures are rounded and may be revised when new data becomes available.",
    "The editorial team checks every figure against the primary sources.",
]
OUTLETS = ["news", "stat", "gov", "daily", "review", "monitor", "facts", "wire"]


# ---------------------------------------------------------------- parameters
@dataclasses.dataclass
class Params:
    documents: int = 1000
    seed: int = 1
    claims: int = 10                 # claim sentences per document
    facts_per_topic: int = 16
    sources_per_topic: int = 4
    max_versions: int = 4
    version_weights: tuple = (0.25, 0.30, 0.25, 0.20)   # P(1 version), P(2), ...
    update: float = 0.20             # of the claims carried into a later version: a new value for a later year
    retract: float = 0.05            # ... dropped (a new fact is added in its place)
    reword: float = 0.20             # repeated claims reworded
    conflict: float = 0.15           # first statements of a fact by a source that state a wrong value
    gazetteer: float = 0.08          # subjects that are gazetteer entities rather than invented names
    filler: int = 2                  # filler sentences per document (no claims)


# ---------------------------------------------------------------- the world
@dataclasses.dataclass(frozen=True)
class Fact:
    key: str            # identity: subject | property | scope (what lithkg should group by)
    subject: str
    role: str
    prop: Prop
    scope: str          # index name or spending topic, or ""
    currency: str = "EUR"


def _rng(*parts) -> random.Random:
    h = hashlib.sha256("\x1f".join(map(str, parts)).encode()).digest()
    return random.Random(int.from_bytes(h[:8], "big"))


def _round(prop: Prop, x: float) -> Decimal:
    if prop.kind in ("rank", "year"):
        return Decimal(int(round(x)))
    if prop.kind == "count":
        digits = len(str(int(abs(x)))) - prop.digits
        return Decimal(int(round(x, -digits))) if digits > 0 else Decimal(int(round(x)))
    return Decimal(str(round(x, prop.digits))).quantize(Decimal(1).scaleb(-prop.digits))


@functools.lru_cache(maxsize=20000)
def series(seed: int, fact_key: str, prop: Prop) -> tuple[Decimal, ...]:
    """The true value of a fact for each year from ANCHOR_YEAR on: it changes every year."""
    rng = _rng(seed, "series", fact_key)
    x = rng.uniform(prop.lo, prop.hi)
    out: list[Decimal] = []
    step = rng.choice([-1, 1]) * rng.uniform(0.05, 0.15)
    rank_step = rng.choice([-2, -1, 1, 2])
    for _ in range(30):
        if prop.kind == "rank":
            v = _round(prop, x)
            x = max(1, x + rank_step) if x + rank_step >= 1 else x + abs(rank_step)
        elif prop.kind == "change":
            v = _round(prop, rng.uniform(prop.lo, prop.hi))
            if v == 0:
                v = _round(prop, 1.5)
        elif prop.kind == "year":
            v = _round(prop, x)
        else:
            v = _round(prop, x)
            x = x * (1 + step)
            if not prop.lo / 4 <= x <= prop.hi * 4:
                step = -step
        if out and prop.kind != "year" and v == out[-1]:  # a change every year, visible after rounding
            if prop.kind == "count":
                v = _round(prop, float(v) * 1.03)
            else:
                v = v + Decimal(1).scaleb(-prop.digits) * (1 if v >= 0 else -1)
        out.append(v)
    return tuple(out)


def true_value(seed: int, fact: Fact, year: int) -> Decimal:
    return series(seed, fact.key, fact.prop)[max(0, year - ANCHOR_YEAR)]


def dissent_value(seed: int, fact: Fact, year: int, variant: int) -> Decimal:
    """One of two wrong values for a fact and year, clearly apart from the true one (outside rounding)."""
    v = true_value(seed, fact, year)
    sign = _rng(seed, "dissent", fact.key).choice([-1, 1])
    prop = fact.prop
    if prop.kind in ("rank", "year"):
        w = v + sign * (variant + 1)
        return w if w >= 1 and w != v else v + variant + 1
    if prop.kind == "change":
        w = _round(prop, float(v) + sign * (1.5 + 2 * variant))
        return w if w != 0 else _round(prop, 0.7)
    w = _round(prop, float(v) * (1 + sign * (0.18 + 0.17 * variant)))
    return w if w != v and w > 0 else _round(prop, float(v) * (1.2 + 0.2 * variant))


@dataclasses.dataclass
class Topic:
    number: int
    base_year: int
    facts: list[Fact]


def make_topic(p: Params, number: int, index_pool: int) -> Topic:
    rng = _rng(p.seed, "topic", number)
    base = rng.randint(FIRST_BASE_YEAR, LAST_BASE_YEAR)
    roles = ["place", "city", "company", rng.choice(["university", "infra"]), "infra"]
    subjects: list[tuple[str, str]] = []
    for i, role in enumerate(roles[:rng.randint(3, 5)]):
        stem_ = stem(number * 5 + i)
        kind = ""
        if GAZETTEER[role] and rng.random() < p.gazetteer:
            name = rng.choice(GAZETTEER[role])
        elif role == "place":
            name = stem_[:-1] + rng.choice(PLACE_ENDINGS) if stem_[-1] in "aeiou" else stem_ + rng.choice(PLACE_ENDINGS)
        elif role == "city":
            name = rng.choice(CITY_SHAPES).format(stem_)
        elif role == "company":
            name = f"{stem_} {rng.choice(COMPANY_SUFFIXES)}"
        elif role == "university":
            name = f"{stem_} University"
        else:
            kind = rng.choice(INFRA_KINDS)
            name = f"Port of {stem_}" if kind == "Port" else f"{stem_} {kind}"
        subjects.append((role + (":" + kind if kind else ""), name))
    candidates: list[Fact] = []
    for role, name in subjects:
        base_role = role.split(":")[0]
        for prop in PROPS:
            if role not in prop.roles and base_role not in prop.roles:
                continue
            if prop.scope == "index":
                for _ in range(3):
                    r = rng.random()
                    if r < 0.05:
                        scope = rng.choice(GAZETTEER_INDEXES)
                    else:
                        scope = f"{stem(_SPACE // 2 + rng.randrange(index_pool))} {rng.choice(INDEX_THEMES)} Index"
                    candidates.append(Fact(f"{name}|{prop.name}|{scope}", name, role, prop, scope))
            elif prop.scope == "spending":
                for topic in rng.sample(SPENDING, 2):
                    candidates.append(Fact(f"{name}|{prop.name}|{topic}", name, role, prop, topic))
            else:
                candidates.append(Fact(f"{name}|{prop.name}|{prop.templates[0][:20]}", name, role, prop, ""))
    unique = list({f.key: f for f in candidates}.values())
    rng.shuffle(unique)
    return Topic(number, base, unique[:p.facts_per_topic])


# ---------------------------------------------------------------- documents
@dataclasses.dataclass
class Statement:
    fact: Fact
    year: int
    variant: int        # 0 true value, 1 or 2 a dissenting value
    template: int
    event: str          # first | dissent | repeat | reword | update


@dataclasses.dataclass
class GeneratedDoc:
    path: str           # relative to the corpus folder
    text: str
    source: str
    version: int
    published: str
    statements: list[Statement]

    def intended(self, seed: int) -> list[dict]:
        """The claims this document should yield: subject, property, value (as lithkg stores it), year."""
        out = []
        for s in self.statements:
            v = value_of(seed, s)
            out.append({"fact": s.fact.key, "subject": s.fact.subject, "property": s.fact.prop.name,
                        "value": s.fact.prop.lithkg_value(v), "year": None if s.fact.prop.kind == "year" else s.year,
                        "event": s.event})
        return out


def value_of(seed: int, s: Statement) -> Decimal:
    if s.variant:
        return dissent_value(seed, s.fact, s.year, s.variant)
    return true_value(seed, s.fact, s.year)


def sentence(seed: int, s: Statement) -> str:
    prop = s.fact.prop
    v = value_of(seed, s)
    t = prop.templates[s.template % len(prop.templates)]
    if prop.kind == "year":
        return t.format(S=s.fact.subject, V=int(v))
    verb = ("increased" if v > 0 else "cut") if prop.kind == "change" else ""
    return t.format(S=s.fact.subject, Y=s.year, V=prop.render(v), X=s.fact.scope, verb=verb)


def render(p: Params, topic: Topic, source_no: int, version: int, published: _dt.date, url: str,
           statements: list[Statement], rng: random.Random) -> str:
    subject = statements[0].fact.subject if statements else "The region"
    title = rng.choice([f"{subject} in figures", f"Key facts: {subject}", f"{subject}: the numbers",
                        f"Notes on {subject}"])
    lines = ["---", f"url: {url}", f"published: {published.isoformat()}", f'title: "{title}"', "---",
             f"# {title}", ""]
    fillers = rng.sample(FILLER, min(p.filler, len(FILLER)))
    if fillers:
        lines += [fillers[0], ""]
    as_list = rng.random() < 0.3
    for i, st in enumerate(statements):
        text = sentence(p.seed, st)
        lines += [f"- {text}"] if as_list else [text, ""]
        if i == len(statements) // 2 and len(fillers) > 1:
            lines += (["", fillers[1], ""] if as_list else [fillers[1], ""])
    lines += ["", f"Revision {version} of this page.", ""]
    return "\n".join(lines)


def generate(p: Params) -> Iterator[GeneratedDoc]:
    """The corpus, one document at a time, sources in order and each source's versions in order."""
    n_sources_est = max(1, round(p.documents / sum((i + 1) * w for i, w in enumerate(p.version_weights))))
    index_pool = max(30, n_sources_est // 8)
    written = 0
    source_no = 0
    topic: Topic | None = None
    while written < p.documents:
        t_no = source_no // p.sources_per_topic
        if topic is None or topic.number != t_no:
            topic = make_topic(p, t_no, index_pool)
        rng = _rng(p.seed, "source", source_no)
        versions = rng.choices(range(1, p.max_versions + 1), weights=p.version_weights[:p.max_versions])[0]
        versions = min(versions, p.documents - written)
        outlet = rng.choice(OUTLETS)
        url = f"https://{outlet}{source_no % 97}.example.org/{t_no}/{source_no}"
        facts = rng.sample(topic.facts, min(p.claims, len(topic.facts)))
        unused = [f for f in topic.facts if f not in facts]

        def first(f: Fact, year: int, rng: random.Random = rng) -> Statement:
            """A source's first statement of a fact: the true value, or (with --conflict) a dissenting one."""
            variant = 1 + rng.randrange(2) if rng.random() < p.conflict else 0
            return Statement(f, year, variant, rng.randrange(len(f.prop.templates)), "dissent" if variant else "first")

        year0 = topic.base_year
        statements = [first(f, year0) for f in facts]
        month, day = rng.randint(1, 12), rng.randint(1, 28)
        for v in range(1, versions + 1):
            year = year0 + v - 1
            if v > 1:
                carried, dropped = [], 0
                for st in statements:
                    r = rng.random()
                    if r < p.retract:
                        dropped += 1
                    elif r < p.retract + p.update and st.fact.prop.updatable:
                        carried.append(Statement(st.fact, year, st.variant, rng.randrange(len(st.fact.prop.templates)),
                                                 "update"))
                    elif rng.random() < p.reword and len(st.fact.prop.templates) > 1:
                        carried.append(Statement(st.fact, st.year, st.variant, st.template + 1, "reword"))
                    else:
                        carried.append(Statement(st.fact, st.year, st.variant, st.template, "repeat"))
                for _ in range(dropped):
                    if unused:
                        carried.append(first(unused.pop(rng.randrange(len(unused))), year))
                statements = carried
            published = _dt.date(year + 1, month, day)
            month, day = rng.randint(1, 12), rng.randint(1, 28)
            text = render(p, topic, source_no, v, published, url, statements, rng)
            path = f"{source_no // 1000:04d}/s{source_no:07d}-v{v}.md"
            yield GeneratedDoc(path, text, url, v, published.isoformat(), list(statements))
            written += 1
        source_no += 1


def write_corpus(p: Params, out: Path, progress=None) -> dict:
    """Write the corpus and its manifest under ``out``; returns the manifest."""
    out.mkdir(parents=True, exist_ok=True)
    t0 = time.perf_counter()
    events = {"first": 0, "dissent": 0, "repeat": 0, "reword": 0, "update": 0}
    retracted = carried_in = dissenting = 0
    sources, topics, facts, subjects = set(), set(), set(), set()
    size = 0
    prev: dict[str, set] = {}
    last_dirs = set()
    for i, doc in enumerate(generate(p), 1):
        d = out / doc.path
        parent = d.parent
        if parent not in last_dirs:
            parent.mkdir(parents=True, exist_ok=True)
            last_dirs = {parent}
        data = doc.text.encode("utf-8")
        d.write_bytes(data)
        size += len(data)
        sources.add(doc.source) if len(sources) < 10 ** 7 else None
        topics.add(doc.source.split("/")[3])
        for s in doc.statements:
            events[s.event] += 1
            dissenting += bool(s.variant)
            facts.add(s.fact.key)
            subjects.add(s.fact.subject)
        now = {s.fact.key for s in doc.statements}
        if doc.version > 1:
            before = prev.get(doc.source, set())
            carried_in += len(before)
            retracted += len(before - now)
        prev = {doc.source: now}
        if progress and (i % 1000 == 0 or i == p.documents):
            progress(i, p.documents)
    total = sum(events.values())
    manifest = {
        "generator": f"benchmarks/synth.py v{GENERATOR_VERSION}",
        "params": {k: (list(v) if isinstance(v, tuple) else v) for k, v in dataclasses.asdict(p).items()},
        "documents": p.documents, "sources": len(sources), "topics": len(topics),
        "facts_stated": len(facts), "distinct_subjects": len(subjects),
        "claim_sentences": total, "claim_sentences_per_document": round(total / max(1, p.documents), 2),
        "events": {**events, "retracted": retracted, "dissenting_value_statements": dissenting},
        "shares": {
            "first_true": round(events["first"] / total, 4),
            "first_dissenting (conflicting value)": round(events["dissent"] / total, 4),
            "stating a dissenting value (first, repeated or updated)": round(dissenting / total, 4),
            "repeated (corroborating an earlier version)": round((events["repeat"] + events["reword"]) / total, 4),
            "of which reworded": round(events["reword"] / total, 4),
            "updated (later time, new value)": round(events["update"] / total, 4),
            "retracted, of the claims carried into a later version": round(retracted / max(1, carried_in), 4),
        },
        "bytes": size, "seconds": round(time.perf_counter() - t0, 2),
        "layout": "NNNN/sSSSSSSS-vV.md: source S, version V; front matter url, published, title",
    }
    (out / "manifest.json").write_text(json.dumps(manifest, indent=2) + "\n", encoding="utf-8")
    return manifest


# ---------------------------------------------------------------- check against the extractor
def check(p: Params, k: int, stride: int = 1) -> dict:
    """Extract ``k`` documents (every ``stride``-th of a corpus of ``p.documents``, or the first ``k``) with
    lithkg's frames extractor and compare with the intended claims."""
    from lithkg.extract.documents import parse_document
    from lithkg.extract import ExtractionContext, get
    from lithkg.rdf.ontology import load

    onto = load()
    extractor = get("frames")
    p = dataclasses.replace(p, documents=k) if stride == 1 else p
    intended_n = found = extracted_n = matched_extracted = checked = 0
    fact_groups: dict[str, set] = {}
    misses: list[str] = []
    extras: list[str] = []
    for i, doc in enumerate(generate(p)):
        if i % stride or checked >= k:
            continue
        checked += 1
        d = parse_document(doc.text.encode(), name=doc.path)
        claims = extractor.extract(d, ExtractionContext(ontology=onto))
        extracted_n += len(claims)
        used = set()
        for want in doc.intended(p.seed):
            intended_n += 1
            hit = None
            for j, c in enumerate(claims):
                if j in used:
                    continue
                year = c.time.display() if c.time and not c.time.inferred else None
                if (c.subject.label == want["subject"] and c.property.iri.endswith("/" + want["property"])
                        and Decimal(c.value.lexical) == want["value"]
                        and (want["year"] is None or (year or "")[:4] == str(want["year"]))):
                    hit = j
                    break
            if hit is None:
                if len(misses) < 15:
                    misses.append(f"{doc.path}: {want['subject']} / {want['property']} = {want['value']} "
                                  f"({want['year']})")
                continue
            used.add(hit)
            found += 1
            fact_groups.setdefault(want["fact"], set()).add(claims[hit].group_key())
        matched_extracted += len(used)
        for j, c in enumerate(claims):
            if j not in used and len(extras) < 15:
                extras.append(f"{doc.path}: {c.subject.label} / {c.property.label} = {c.value.lexical} "
                              f"\"{c.evidence.quote}\"")
    owners: dict = {}
    for fact, keys in fact_groups.items():
        for key in keys:
            owners.setdefault(key, set()).add(fact)
    return {
        "documents": checked, "stride": stride, "intended": intended_n, "extracted": extracted_n,
        "recall": round(found / max(1, intended_n), 4), "precision": round(matched_extracted / max(1, extracted_n), 4),
        "facts": len(fact_groups),
        "facts_split_over_several_groups": sum(1 for v in fact_groups.values() if len(v) > 1),
        "groups_merging_several_facts": sum(1 for v in owners.values() if len(v) > 1),
        "missed_examples": misses, "unintended_examples": extras,
    }


def params_from_args(a) -> Params:
    return Params(documents=a.documents, seed=a.seed, claims=a.claims, facts_per_topic=a.facts_per_topic,
                  sources_per_topic=a.sources_per_topic, max_versions=a.max_versions, update=a.update,
                  retract=a.retract, reword=a.reword, conflict=a.conflict, gazetteer=a.gazetteer)


def add_arguments(ap: argparse.ArgumentParser) -> None:
    d = Params()
    ap.add_argument("--seed", type=int, default=d.seed)
    ap.add_argument("--claims", type=int, default=d.claims, help="claim sentences per document")
    ap.add_argument("--facts-per-topic", type=int, default=d.facts_per_topic)
    ap.add_argument("--sources-per-topic", type=int, default=d.sources_per_topic)
    ap.add_argument("--max-versions", type=int, default=d.max_versions, choices=range(1, 5))
    ap.add_argument("--update", type=float, default=d.update)
    ap.add_argument("--retract", type=float, default=d.retract)
    ap.add_argument("--reword", type=float, default=d.reword)
    ap.add_argument("--conflict", type=float, default=d.conflict)
    ap.add_argument("--gazetteer", type=float, default=d.gazetteer)


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--documents", type=int, default=1000)
    ap.add_argument("--out", type=Path, help="folder to write the corpus and manifest.json into")
    ap.add_argument("--check", type=int, default=0, metavar="K",
                    help="extract K documents with lithkg and compare with the intended claims")
    ap.add_argument("--check-stride", type=int, default=1, metavar="S",
                    help="check every S-th document of the --documents corpus (default: the first K)")
    add_arguments(ap)
    a = ap.parse_args(argv)
    p = params_from_args(a)
    if a.out:
        manifest = write_corpus(p, a.out, progress=lambda i, n: print(f"[{i}/{n}] documents", file=sys.stderr))
        print(json.dumps(manifest, indent=2))
    if a.check:
        print(json.dumps(check(p, a.check, a.check_stride), indent=2, default=str))
    if not a.out and not a.check:
        ap.error("give --out and/or --check")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
