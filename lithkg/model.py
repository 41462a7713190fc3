"""The claim model as plain frozen dataclasses (no RDF here).

A :class:`Document` is one version of a source's text. A :class:`Claim` says that a subject has a value for a
property, scoped by qualifiers, holding at a time, quoted from a document (:class:`Evidence`). Claims with the same
subject, property and scoping qualifiers form a :class:`ClaimGroup`, the unit of versioning; within a group
lithkg derives :class:`Relation` s (corroborates / updates / conflicts with) and a status per claim.
"""
from __future__ import annotations

import calendar
import dataclasses
import datetime as _dt
import re
from decimal import Decimal, InvalidOperation, localcontext

from .errors import InputError

BOUNDS = ("lower", "upper", "approx")
# A claim's standing in its group, with its rank (the table in docs/architecture.md and ontology/lithkg.ttl).
STATUSES = ("preferred", "corroborated", "compatible", "updated", "outranked", "conflicting", "no longer stated",
            "retracted", "deprecated", "rejected", "amended", "withdrawn")
RELATION_KINDS = ("corroborates", "compatible", "updates", "conflicts")

_DATE_RE = re.compile(r"^(\d{4})(?:-(\d{2})(?:-(\d{2}))?)?$")


def parse_iso_date(text: str) -> str:
    """Check an ISO date at year, year-month or day precision and return it; raise ValueError otherwise."""
    m = _DATE_RE.match(text.strip())
    if not m:
        raise ValueError(f"'{shorten(text)}' is not an ISO date (YYYY, YYYY-MM or YYYY-MM-DD)")
    year, month, day = m.groups()
    if int(year) == 0:
        raise ValueError(f"'{text}' has no year 0 (years run from 0001)")
    if month is not None and not 1 <= int(month) <= 12:
        raise ValueError(f"'{text}' has no month {month}")
    if day is not None:
        try:
            _dt.date(int(year), int(month), int(day))
        except ValueError:
            raise ValueError(f"'{text}' is not a real day") from None
    return text.strip()


_TIME_RE = re.compile(r"^(\d{2}):(\d{2})(?::(\d{2})(?:\.\d{1,9})?)?(Z|[+-](\d{2}):?(\d{2}))?$")
DATETIME_HINT = "write e.g. 2022-05-02 or 2022-05-02T10:30:00Z"


class DateTimeError(ValueError):
    """A date or date and time that is not a real one; ``hint`` says how to write one."""

    hint = DATETIME_HINT


def parse_iso_datetime(text: str) -> str:
    """Check an ISO date (see :func:`parse_iso_date`) or date and time (``2022-05-02T10:30:00Z``: hours 00-23,
    minutes and seconds 00-59, an optional fraction and offset) and return its date; raise ValueError otherwise."""
    text = text.strip()
    if "T" not in text:
        return parse_iso_date(text)
    day, time = text.split("T", 1)
    try:
        day = parse_iso_date(day)
    except ValueError as exc:
        raise DateTimeError(str(exc).replace(f"'{day}'", f"'{shorten(text)}'", 1)) from None
    m = _TIME_RE.match(time)
    if len(day) != 10 or not m:
        raise DateTimeError(f"'{shorten(text)}' is not an ISO date and time (YYYY-MM-DDThh:mm:ss)")
    hour, minute, second, _zone, zone_hour, zone_minute = m.groups()
    for name, field, top in (("hour", hour, 23), ("minute", minute, 59), ("second", second, 59),
                             ("time zone hour", zone_hour, 14), ("time zone minute", zone_minute, 59)):
        if field is not None and int(field) > top:
            raise DateTimeError(f"'{shorten(text)}' has no {name} {field}")
    return day


def date_interval(text: str) -> tuple[_dt.date, _dt.date]:
    """The first and last day an ISO date at its precision covers: '2022' -> 2022-01-01..2022-12-31."""
    year, month, day = _DATE_RE.match(text).groups()
    y = int(year)
    if month is None:
        return _dt.date(y, 1, 1), _dt.date(y, 12, 31)
    m = int(month)
    if day is None:
        # the month's last day (not the day before the next month's first: 9999-12 has no next month)
        return _dt.date(y, m, 1), _dt.date(y, m, calendar.monthrange(y, m)[1])
    d = _dt.date(y, m, int(day))
    return d, d


def date_datatype(text: str) -> str:
    """The XSD datatype local name for an ISO date at its precision."""
    return {1: "gYear", 2: "gYearMonth", 3: "date"}[len(text.split("-"))]


# ---------------------------------------------------------------- numbers
# The bounds of every number lithkg reads (curated values, extracted values, values read back): checked on the text,
# before it is converted, so no input makes a conversion hang (int(Decimal("1e999999999"))) or fill the memory.
MAX_SIGNIFICANT_DIGITS = 40  # digits from the first non-zero one to the last non-zero one
MAX_MAGNITUDE = 30           # |value| < 1e30
MIN_MAGNITUDE = -30          # |value| >= 1e-30, unless the value is 0
MAX_NUMBER_TEXT = 100        # characters of a number as written (ignoring thousands separators)
NUMBER_BOUNDS = (f"lithkg takes numbers from 1e{MIN_MAGNITUDE} to under 1e{MAX_MAGNITUDE} in size, with at most"
                 f" {MAX_SIGNIFICANT_DIGITS} significant digits")
_NUMBER_TEXT_RE = re.compile(r"^\s*[+-]?(?=\.?\d)(\d*)(?:\.(\d*))?(?:[eE]([+-]?)0*(\d+))?\s*$")


class NumberRangeError(ValueError):
    """A number outside :data:`NUMBER_BOUNDS`; ``reason`` says how ("is 1e30 or more in size")."""

    def __init__(self, number: str, reason: str):
        self.number = number
        self.reason = reason
        super().__init__(f"'{shorten(number)}' {reason}")


def shorten(text: str, limit: int = 60) -> str:
    """A value as a message shows it: at most ``limit`` characters."""
    text = str(text)
    return text if len(text) <= limit else text[:limit - 3] + "..."


def check_number(text: str) -> str:
    """Check a number written as text against the bounds, reading only its characters (nothing is converted);
    return the text. Raise :class:`NumberRangeError` when it is out of the bounds, ValueError when it is no
    number at all (digits, an optional point and fraction, an optional exponent)."""
    if len(text) > 4 * MAX_NUMBER_TEXT:  # (a regular expression on a huge text still reads it all)
        raise NumberRangeError(text, f"is over {MAX_NUMBER_TEXT} characters long")
    m = _NUMBER_TEXT_RE.match(text)
    if not m:
        raise ValueError(f"'{shorten(text)}' is not a number")
    whole, fraction, exp_sign, exp_digits = m.group(1), m.group(2) or "", m.group(3), m.group(4)
    digits = (whole + fraction).lstrip("0")
    significant = digits.rstrip("0")
    if not significant:
        return text  # zero, whatever its exponent
    if len(significant) > MAX_SIGNIFICANT_DIGITS:
        raise NumberRangeError(text, f"has more than {MAX_SIGNIFICANT_DIGITS} significant digits")
    if len(text.strip()) > MAX_NUMBER_TEXT:
        raise NumberRangeError(text, f"is over {MAX_NUMBER_TEXT} characters long")
    if exp_digits is not None and len(exp_digits) > 6:  # (an exponent is read as an int only when short)
        exponent = 10 ** 7 if exp_sign != "-" else -10 ** 7
    else:
        exponent = int(exp_digits or 0) * (-1 if exp_sign == "-" else 1)
    stripped = whole.lstrip("0")
    # the power of ten of the first significant digit: 123.4 -> 2, 0.05 -> -2
    magnitude = exponent + (len(stripped) - 1 if stripped else -(len(fraction) - len(fraction.lstrip("0")) + 1))
    if magnitude >= MAX_MAGNITUDE:
        raise NumberRangeError(text, f"is 1e{MAX_MAGNITUDE} or more in size")
    if magnitude < MIN_MAGNITUDE:
        raise NumberRangeError(text, f"is not 0 but under 1e{MIN_MAGNITUDE} in size")
    return text


def bounded_decimal(number) -> Decimal:
    """A Decimal of a number (text, int, float or Decimal) checked by :func:`check_number` before it is made."""
    if isinstance(number, bool):
        raise ValueError(f"'{number}' is not a number")
    if isinstance(number, int):
        if abs(number) >= 10 ** MAX_MAGNITUDE:  # (str() of a huge int is slow, or refused past 4,300 digits)
            shown = str(number) if number.bit_length() <= 4096 else f"an integer of {number.bit_length():,} bits"
            raise NumberRangeError(shown, f"is 1e{MAX_MAGNITUDE} or more in size")
        text = str(number)
    elif isinstance(number, float):
        if number != number or number in (float("inf"), float("-inf")):
            raise ValueError(f"'{number}' is not a finite number")
        text = repr(number)
    elif isinstance(number, Decimal):
        if not number.is_finite():
            raise ValueError(f"'{number}' is not a finite number")
        text = str(number)  # (scientific notation for a huge exponent: short)
    elif isinstance(number, str):
        text = number
    else:  # (a list or mapping from YAML: not turned into text)
        raise ValueError(f"a {type(number).__name__} is not a number")
    if text.strip().lower().lstrip("+-") in ("inf", "infinity", "nan", "snan"):
        raise ValueError(f"'{shorten(text)}' is not a finite number")
    check_number(text)
    try:
        return Decimal(text.strip())
    except InvalidOperation:
        raise ValueError(f"'{shorten(text)}' is not a number") from None


@dataclasses.dataclass(frozen=True)
class Document:
    """One version of a source: its text (offsets count in it) and where and when it came from."""

    text: str
    content_hash: str
    source_key: str
    file_name: str
    media_type: str
    title: str | None = None
    url: str | None = None
    published: str | None = None
    retrieved: str | None = None
    source_date: str | None = None
    source_date_inferred: bool = False
    focus: str | None = None


@dataclasses.dataclass(frozen=True)
class Evidence:
    """The verbatim quote that states a claim and its character span in the document text."""

    quote: str
    start: int
    end: int
    prefix: str = ""
    suffix: str = ""

    @classmethod
    def at(cls, text: str, start: int, end: int, context: int = 32) -> "Evidence":
        return cls(text[start:end], start, end, text[max(0, start - context):start], text[end:end + context])


@dataclasses.dataclass(frozen=True)
class Term:
    """An entity, property or qualifier: its IRI and label. ``unlinked`` marks an entity lithkg minted."""

    iri: str
    label: str
    unlinked: bool = False


@dataclasses.dataclass(frozen=True)
class Value:
    """A typed value: kind is number, date, entity or text; ``lexical`` is its canonical text (an IRI for entities)."""

    kind: str
    lexical: str
    label: str | None = None

    @classmethod
    def number(cls, number) -> "Value":
        """A number from text, an int, a float or a Decimal, range-checked (:func:`check_number`) before it is
        converted; raises :class:`NumberRangeError` (a ValueError) when it is out of the bounds."""
        return cls("number", _canonical_decimal(bounded_decimal(number)))

    @classmethod
    def date(cls, text: str) -> "Value":
        return cls("date", parse_iso_date(str(text)))

    @classmethod
    def entity(cls, term: Term) -> "Value":
        return cls("entity", term.iri, term.label)

    @classmethod
    def text_(cls, text: str) -> "Value":
        return cls("text", text)

    @property
    def decimal(self) -> Decimal:
        return Decimal(self.lexical)

    @property
    def is_integer(self) -> bool:
        return self.kind == "number" and "." not in self.lexical

    def display(self) -> str:
        if self.kind == "entity":
            return self.label or self.lexical
        return self.lexical

    def json(self):
        """The value as the claims listing gives it: a JSON number, an ISO date string or an IRI."""
        if self.kind == "number":
            return int(self.lexical) if self.is_integer else float(self.lexical)
        return self.lexical


def _canonical_decimal(d: Decimal) -> str:
    """The canonical text of a bounded number: every one of its (at most 40) significant digits, in plain form."""
    with localcontext() as ctx:
        ctx.prec = 2 * (MAX_MAGNITUDE - MIN_MAGNITUDE)  # exact for any number within the bounds
        if d == d.to_integral_value():
            return str(int(d))
        return format(d.normalize(), "f")


@dataclasses.dataclass(frozen=True)
class TimeSpec:
    """When a value holds: a point in time, or a start and/or end; ``inferred`` when resolved, not stated."""

    point: str | None = None
    start: str | None = None
    end: str | None = None
    inferred: bool = False

    @property
    def is_empty(self) -> bool:
        return self.point is None and self.start is None and self.end is None

    def display(self) -> str | None:
        if self.point:
            return self.point
        if self.start or self.end:
            return f"{self.start or ''}/{self.end or ''}"
        return None

    def interval(self) -> tuple[_dt.date, _dt.date] | None:
        if self.point:
            return date_interval(self.point)
        if self.start or self.end:
            lo = date_interval(self.start)[0] if self.start else _dt.date.min
            hi = date_interval(self.end)[1] if self.end else _dt.date.max
            return lo, hi
        return None


@dataclasses.dataclass(frozen=True)
class Qualifier:
    """A qualifier on a claim. Scoping qualifiers make a different quantity (they are part of the group).

    ``key`` is what the group compares for a text value (see :func:`text_key`): "spending on cyber security" and
    "cyber security spending" scope the same quantity.
    """

    property: Term
    value: Value
    scoping: bool
    key: str | None = None

    @property
    def group_value(self) -> str:
        return self.key if self.key is not None else self.value.lexical


_STOP = set("""a an the of on in for to its their our his her and by from with at as that which who whom is are was
were has have had been be being this these those it each other than more most all any some no not only also
entire entirely completely single own per into over under about""".split())


# nouns whose plural is their singular ("a series", "two series"): never cut to a false singular
INVARIANT_NOUNS = frozenset({"series", "species", "means", "news", "headquarters", "crossroads", "aircraft",
                             "offspring", "sheep", "fish", "data", "media", "economics", "politics", "statistics",
                             "physics", "mathematics"})


def text_key(text: str) -> str:
    """The words of a text that say what it is about, for grouping: lowercase, no function words, singular,
    sorted ("spending on cyber security" and "cyber security spending" give the same key)."""
    words = []
    for w in re.findall(r"[^\W_]+", text.casefold().replace("\u2019s", "").replace("'s", "")):
        if w in _STOP:
            continue
        if w in INVARIANT_NOUNS:
            pass
        elif len(w) > 3 and w.endswith("ies"):
            w = w[:-3] + "y"
        elif len(w) > 3 and w.endswith("s") and not w.endswith("ss"):
            w = w[:-1]
        words.append(w)
    return "w:" + " ".join(sorted(set(words)))


@dataclasses.dataclass(frozen=True)
class Claim:
    """One factual claim made by one document version."""

    subject: Term
    property: Term
    value: Value
    evidence: Evidence
    extractor: str
    extractor_version: str = "1"
    unit: str | None = None
    bound: str | None = None
    time: TimeSpec = TimeSpec()
    qualifiers: tuple[Qualifier, ...] = ()
    confidence: float = 1.0
    # one statement read by several extractors is one claim (see :mod:`lithkg.ingest.statements`): the other
    # extractors (name, version) that read it, and each field where one read it otherwise
    also_read_by: tuple[tuple[str, str], ...] = ()
    disagreements: tuple[str, ...] = ()

    @property
    def extractors(self) -> tuple[str, ...]:
        """Every extractor that read the statement, as ``name@version``: this claim's own first."""
        return (f"{self.extractor}@{self.extractor_version}",) + tuple(f"{n}@{v}" for n, v in self.also_read_by)

    def __post_init__(self):
        if self.bound is not None and self.bound not in BOUNDS:
            raise InputError(f"bound '{self.bound}' is not one of {', '.join(BOUNDS)}")
        object.__setattr__(self, "qualifiers",
                           tuple(sorted(self.qualifiers, key=lambda q: (q.property.iri, q.value.lexical))))

    def group_key(self) -> tuple:
        """Subject, property and scoping qualifiers: what makes two claims about the same quantity.

        An entity value is part of the key too: relations are many-valued (a country is a member of NATO
        *and* of the EU), so each related entity is its own group, corroborated by every source that names it.
        """
        key = (self.subject.iri, self.property.iri,
               tuple((q.property.iri, q.group_value) for q in self.qualifiers if q.scoping))
        return key + ((self.value.lexical,) if self.value.kind == "entity" else ())

    def identity(self, document_iri: str) -> tuple:
        """What makes a claim the same claim: its document version, extractor, content and span."""
        return (document_iri, self.extractor, *self.group_key(), self.value.lexical, self.unit or "",
                self.bound or "", self.time.point or "", self.time.start or "", self.time.end or "",
                tuple((q.property.iri, q.value.lexical) for q in self.qualifiers),
                self.evidence.start, self.evidence.end)


@dataclasses.dataclass(frozen=True)
class GroupMember:
    """What versioning needs to know of a claim already in a group (read back from the store)."""

    claim: str
    value: Value
    unit: str | None
    bound: str | None
    time: TimeSpec
    document: str
    source: str
    source_date: str | None
    record_time: str
    cited_source: str | None = None
    retracted: bool = False         # a newer version of its source no longer states it ("no longer stated")
    override: str | None = None     # a person's rank for the claim: "preferred", "normal" or "deprecated"
    correction: str | None = None   # an analyst's correction in force: "rejected", "confirmed", "amended", "withdrawn"
    label: str | None = None        # how reasons name the claim's source (its version's file name)
    amends: str | None = None       # for a claim an analyst's correction made: the claim it replaces


@dataclasses.dataclass(frozen=True)
class Relation:
    """A derived relation between two claims of a group: ``source`` corroborates / updates / conflicts with ``target``."""

    kind: str
    source: str
    target: str
    reason: str


@dataclasses.dataclass(frozen=True)
class ClaimGroup:
    """The derived state of one claim group."""

    iri: str
    members: tuple[str, ...]
    preferred: str | None
    statuses: tuple[tuple[str, str], ...]
    relations: tuple[Relation, ...]     # each claim's relation to the preferred claim (what the store keeps)
    distinct_values: int
    disputed: bool
    ranks: tuple[tuple[str, str], ...] = ()     # claim -> preferred / normal / deprecated
    reasons: tuple[tuple[str, str], ...] = ()   # claim -> why it has its status
    conflicts: tuple[tuple[str, str], ...] = ()  # the pairs of claims that conflict (each pair once, sorted)


@dataclasses.dataclass(frozen=True)
class VersionClaim:
    """A claim as a source version states it, for comparing versions of one source."""

    claim: str
    document: str
    group: str
    value: str
    unit: str | None
    bound: str | None
    time: str | None            # the stated (not inferred) valid time, if any
    extractor: str
    quote: str = ""
    start: int = 0

    @property
    def key(self) -> tuple:
        """What makes two versions' claims the same statement: group, value and stated time, by one extractor."""
        return (self.group, self.value, self.unit or "", self.bound or "", self.time or "", self.extractor)
