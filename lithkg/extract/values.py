"""Find the values a sentence states: numbers with their scale, bound, unit or currency, percentages,
ordinals, and dates (absolute or relative), each with its character span.

These are the kinds of statement, not sentences: "more than a million", "over 10,000", "some 38,000",
"44.5 thousand", "$1.6 billion", "EUR 558 million", "€1bn", "0.06%", "about 4 per cent", "the 508-kilometre",
"165 kilometres", "6th", "the third", "1st of May 2022", "23 August 1989", "August 2020", "in 2014", "On 7 April",
"last year", "currently", "since the beginning of April".
"""
from __future__ import annotations

import calendar
import dataclasses
import re
from decimal import Decimal

from ..model import MAX_MAGNITUDE, bounded_decimal

SMALL = {w: i for i, w in enumerate(
    "zero one two three four five six seven eight nine ten eleven twelve thirteen fourteen fifteen sixteen "
    "seventeen eighteen nineteen twenty".split())}
TENS = {"thirty": 30, "forty": 40, "fifty": 50, "sixty": 60, "seventy": 70, "eighty": 80, "ninety": 90}
WORD_NUMBERS = {**SMALL, **TENS, "a": 1, "an": 1, "a hundred": 100, "hundred": 100, "dozen": 12, "a dozen": 12}
SCALES = {"thousand": 1000, "million": 10 ** 6, "billion": 10 ** 9, "trillion": 10 ** 12,
          "k": 1000, "m": 10 ** 6, "mn": 10 ** 6, "bn": 10 ** 9, "b": 10 ** 9, "tn": 10 ** 12}
ORDINAL_WORDS = {w: i + 1 for i, w in enumerate(
    "first second third fourth fifth sixth seventh eighth ninth tenth eleventh twelfth thirteenth fourteenth "
    "fifteenth sixteenth seventeenth eighteenth nineteenth twentieth".split())}
ORDINAL_WORDS.update({"thirtieth": 30, "fortieth": 40, "fiftieth": 50, "sixtieth": 60, "seventieth": 70,
                      "eightieth": 80, "ninetieth": 90, "hundredth": 100})
MONTHS = {m.lower(): i for i, m in enumerate(calendar.month_name) if m}
MONTHS.update({m.lower(): i for i, m in enumerate(calendar.month_abbr) if m})
MONTHS["sept"] = 9
BOUND_WORDS = [
    ("lower", r"more than|over|at least|above|in excess of|upwards of|no fewer than|no less than|greater than|"
              r"exceeding|beyond"),
    ("upper", r"less than|fewer than|under|up to|at most|below|no more than|almost"),
    ("approx", r"about|some|around|roughly|approximately|nearly|close to|circa|an estimated|estimated|an approximate|"
               r"approx\.|c\.|~"),
]
_BOUND_RE = "|".join(f"(?P<b_{k}>{v})" for k, v in BOUND_WORDS)

_DIGITS = r"\d{1,3}(?:,\d{3})+(?:\.\d+)?|\d+(?:\.\d+)?"
_WORDNUM = "|".join(sorted((re.escape(w) for w in WORD_NUMBERS), key=len, reverse=True))
_SCALE = r"thousand|million|billion|trillion|bn|mn|tn|[kmb](?![a-z])"
CURRENCY_SYMBOLS = {"$": "USD", "US$": "USD", "€": "EUR", "£": "GBP"}
CURRENCY_CODES = {"USD": "USD", "EUR": "EUR", "GBP": "GBP", "dollars": "USD", "dollar": "USD", "euros": "EUR",
                  "euro": "EUR", "pounds": "GBP", "US dollars": "USD"}

NUMBER_RE = re.compile(
    rf"(?:(?P<bound>{_BOUND_RE})\s+)?"
    rf"(?P<cur_pre>US\$|\$|€|£|(?:USD|EUR|GBP)\s?)?"
    rf"(?P<num>{_DIGITS}|(?<![\w-])(?:{_WORDNUM})(?![\w-]))"
    rf"(?:[\s-]?(?P<scale>{_SCALE})\b)?",
    re.I)
ORDINAL_RE = re.compile(
    r"(?<![\w-])(?:(?P<digits>\d+)(?P<suffix>st|nd|rd|th)|(?P<word>" + "|".join(ORDINAL_WORDS) + r"))"
    r"(?![\w]|-(?!largest|biggest|busiest|highest|most|best|oldest|smallest)\w)", re.I)
PERCENT_AFTER = re.compile(r"\s?(?:%|per\s?cent\b|percent\b|percentage points?\b|pp\b)", re.I)
FOOTNOTE_RE = re.compile(r"\[\^?(\d{1,3})\]")


@dataclasses.dataclass(frozen=True)
class Mention:
    """A value found in text: kind is number, percent, money, quantity, ordinal or date."""

    kind: str
    start: int
    end: int
    value: Decimal | str
    bound: str | None = None
    unit: str | None = None          # unit IRI (quantities), currency code (money)
    unit_text: str | None = None
    scale_word: bool = False         # "a million": a round figure
    spelled: bool = False            # written in words ("three")
    range_role: str | None = None    # "low" or "high": one end of a stated range
    per: str | None = None           # a rate's denominator ("1,000 live births", "month")


def _to_decimal(num: str) -> Decimal | None:
    """The value of a number as written, or None when it is none, or out of the bounds lithkg takes
    (:data:`lithkg.model.NUMBER_BOUNDS`: a 5,000-digit run of digits is an identifier, not a value)."""
    text = num.strip().lower()
    if text in WORD_NUMBERS:
        return Decimal(WORD_NUMBERS[text])
    try:
        return bounded_decimal(text.replace(",", ""))
    except ValueError:
        return None


def _bound(m: re.Match) -> str | None:
    for key, _ in BOUND_WORDS:
        if m.group(f"b_{key}"):
            return key
    return None


_TOO_LARGE = Decimal(10) ** MAX_MAGNITUDE
_EXPONENT = re.compile(r"[eE][+-]?\d")
_WORDS_RE = re.compile(r"[a-z]+")
_NUMBER_WORDS = (set(WORD_NUMBERS) - {"a", "an"}) | {"thousand", "million", "billion", "trillion", "hundred", "dozen"}


_DIGIT = re.compile(r"\d")


def _may_have_number(text: str) -> bool:
    return bool(_DIGIT.search(text)) or not _NUMBER_WORDS.isdisjoint(_WORDS_RE.findall(text.lower()))


def find_numbers(text: str, unit_index: "UnitIndex | None" = None) -> list[Mention]:
    """Numbers with scale and bound, classified as money, percent, quantity (with a unit) or plain number."""
    out: list[Mention] = []
    if not _may_have_number(text):
        return out
    for m in NUMBER_RE.finditer(text):
        num = m.group("num")
        value = _to_decimal(num)
        if value is None:
            continue
        start, end = m.start("num"), m.end()
        before, after_num = text[max(0, start - 2):start], text[m.end("num"):m.end("num") + 1]
        if re.search(r"[A-Za-z]-$|\+$", before) or after_num in ("+", "/") or re.search(r"[A-Za-z]$", before):
            continue  # part of a name: COVID-19, 17+1, A4
        if _EXPONENT.match(text, m.end("num")):
            continue  # scientific notation (1e9, 6.02E+23): not how the texts lithkg reads state values
        spelled = not num[0].isdigit()
        scale = (m.group("scale") or "").lower()
        if spelled and num.lower() in ("a", "an") and not scale:
            continue  # "a" alone is an article
        if scale:
            if scale in ("k", "m", "b") and not (m.group("cur_pre") or text[end:end + 1] in ("", " ", ",", ".")):
                scale = ""
            if scale:
                value *= SCALES[scale]
                if abs(value) >= _TOO_LARGE:  # "999 trillion trillion": out of the bounds once scaled
                    continue
        else:
            end = m.end("num")
        bound = _bound(m) if m.group("bound") else None
        if bound:
            start = m.start("bound")
        cur = m.group("cur_pre")
        if cur:
            start = min(start, m.start("cur_pre"))
            code = CURRENCY_SYMBOLS.get(cur.strip(), cur.strip().upper())
            out.append(Mention("money", start, end, value, bound, code, cur.strip(), bool(scale), spelled))
            continue
        after = text[end:]
        pm = PERCENT_AFTER.match(after)
        if pm:
            out.append(Mention("percent", start, end + pm.end(), value, bound, "PERCENT", pm.group().strip(),
                               bool(scale), spelled))
            continue
        cm = re.match(r"\s?(US dollars|dollars|euros|euro|pounds|USD|EUR|GBP)\b", after)
        if cm:
            code = CURRENCY_CODES[cm.group(1)]
            out.append(Mention("money", start, end + cm.end(), value, bound, code, cm.group(1), bool(scale), spelled))
            continue
        if unit_index is not None:
            um = unit_index.match(after)
            if um is not None:
                iri, length, label = um
                out.append(Mention("quantity", start, end + length, value, bound, iri, label, bool(scale), spelled))
                continue
        out.append(Mention("number", start, end, value, bound, None, None, bool(scale), spelled))
    return out


def find_ordinals(text: str) -> list[Mention]:
    out = []
    for m in ORDINAL_RE.finditer(text):
        if m.group("digits"):
            if len(m.group("digits")) > 9:  # no rank is that long: an identifier such as "12345678901th"
                continue
            value = int(m.group("digits"))
        else:
            value = ORDINAL_WORDS[m.group("word").lower()]
        out.append(Mention("ordinal", m.start(), m.end(), Decimal(value)))
    return out


class UnitIndex:
    """Unit words and symbols (from ontology/units.ttl) that may follow a number: '508-kilometre', '32 km'."""

    def __init__(self, units):
        names = []
        for u in units:
            if u.kind != "Quantity":
                continue
            for name in {u.label, u.symbol or "", *u.aliases}:
                name = name.strip().lstrip("-")
                if name:
                    names.append((name, u.iri, u.label))
        names.sort(key=lambda n: -len(n[0]))
        self._by_lower = {}
        for name, iri, label in names:
            self._by_lower.setdefault(name.lower(), (iri, label))
        alternatives = "|".join(re.escape(n) for n, _, _ in names)
        self._re = re.compile(rf"[\s-]?(?P<u>{alternatives})(?![\w²³])", re.I)

    def match(self, after: str):
        m = self._re.match(after)
        if not m:
            return None
        unit = m.group("u")
        if unit in ("m", "h", "d", "t") and not re.match(r"[\s-]?" + re.escape(unit) + r"\b", after):
            return None
        iri, label = self._by_lower[unit.lower()]
        return iri, m.end(), label


