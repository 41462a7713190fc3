"""Find the values a sentence states: numbers with their scale, bound, unit or currency, percentages and
ordinals, each with its character span (dates are found in :mod:`.dates`).

These are the kinds of statement, not sentences: "more than a million", "over 10,000", "some 38,000",
"44.5 thousand", "3 million 120 thousand", "$1.6 billion", "$ 1.7 bn", "EUR 558 million", "€1bn", "0.06%",
"about 4 per cent", "the 508-kilometre", "165 kilometres", "4 bcm", "240km/h" (a speed), "twenty-five";
ranges whose currency, scale or unit is written once ("€1.2bn-1.5bn", "EUR 13-19 billion", "between 2 and 3 km",
"0.5 to 0.7 percentage points": :attr:`Mention.range_role`); fractions as percentages ("two-thirds",
"three quarters of", "half of"); rates ("3.4 per 1,000 live births": :attr:`Mention.per`, and the 1,000 is no
value of its own); "6th", "the third", "its millionth ring" (an ordinal of a scale, a count). Times of day
("13:00", "1pm", "14.00 CET") and signs such as "24/7" are not values.
"""
from __future__ import annotations

import bisect
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
SCALES = {"hundred": 100, "thousand": 1000, "million": 10 ** 6, "billion": 10 ** 9, "trillion": 10 ** 12,
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
_TENS_UNITS = "(?:twenty|" + "|".join(TENS) + r")[\s-](?:one|two|three|four|five|six|seven|eight|nine)"  # "twenty-five"
_SCALE = r"thousand|million|billion|trillion|bn|mn|tn|[kmb](?![a-z])|(?<=[a-z] )hundred"
CURRENCY_SYMBOLS = {"$": "USD", "US$": "USD", "€": "EUR", "£": "GBP"}
CURRENCY_CODES = {"USD": "USD", "EUR": "EUR", "GBP": "GBP", "dollars": "USD", "dollar": "USD", "euros": "EUR",
                  "euro": "EUR", "pounds": "GBP", "US dollars": "USD"}

NUMBER_RE = re.compile(
    rf"(?:(?P<bound>{_BOUND_RE})\s+)?"
    rf"(?P<cur_pre>(?:US\$|\$|€|£)\s?|(?:USD|EUR|GBP)\s?)?"
    rf"(?P<num>{_DIGITS}|(?<![\w-])(?:{_TENS_UNITS}|{_WORDNUM})(?![\w-]))"
    rf"(?:[\s-]?(?P<scale>{_SCALE})\b)?",
    re.I)
SCALE_ORDINALS = {"thousandth": 1000, "millionth": 10 ** 6, "billionth": 10 ** 9}
ORDINAL_RE = re.compile(
    r"(?<![\w.,-])(?:(?:(?P<mult>\d+(?:\.\d+)?)[\s-]?)?(?P<sword>thousandth|millionth|billionth)|"
    r"(?P<digits>\d+)(?P<suffix>st|nd|rd|th)|(?P<word>" + "|".join(ORDINAL_WORDS) + r"))"
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
    range_role: str | None = None    # "low" / "high": an end of a range ("€5bn-6bn", "between 2 and 3 km")
    per: str | None = None           # the denominator of a rate: "1,000 live births" in "3.4 per 1,000 live births"


def _to_decimal(num: str) -> Decimal | None:
    """The value of a number as written, or None when it is none, or out of the bounds lithkg takes
    (:data:`lithkg.model.NUMBER_BOUNDS`: a 5,000-digit run of digits is an identifier, not a value)."""
    text = num.strip().lower()
    if text[-1:].isalpha() and text not in WORD_NUMBERS:  # "twenty-five"
        tens, _, unit = text.replace("-", " ").partition(" ")
        return Decimal(WORD_NUMBERS[tens] + SMALL[unit.strip()])
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
_SPACED_EXPONENT = re.compile(r"\s?[eE]\+?(\d{1,2})(?![\w.,])")
_WORDS_RE = re.compile(r"[a-z]+")
_NUMBER_WORDS = (set(WORD_NUMBERS) - {"a", "an"}) | {"thousand", "million", "billion", "trillion", "hundred", "dozen",
                                                     "half", "third", "quarter", "thousandth", "millionth",
                                                     "billionth"}

# "3 million 120 thousand": a smaller scale added to a larger one
_COMPOUND_SCALE = re.compile(r"\s+(?:and\s+)?(?P<num>\d{1,3}(?:\.\d+)?)\s+(?P<scale>thousand|million|billion)\b", re.I)
# units written with a scale letter: "4 bcm" (billion cubic metres); the unit is looked up by its own name
SCALED_UNITS = {"bcm": (10 ** 9, "cubic metres"), "mcm": (10 ** 6, "cubic metres"), "tcm": (10 ** 12, "cubic metres")}
_SCALED_UNIT_RE = re.compile(r"[\s-]?(?P<u>bcm|mcm|tcm)\b", re.I)
# a time of day is not a value: "12:00", "1pm", "9 a.m."
_CLOCK_AFTER = re.compile(r":\d\d(?!\d)|\s?(?i:am|pm|a\.m\.|p\.m\.)(?![\w])|(?:[.:]\d\d)?\s?\(?(?:UTC|GMT|CES?T|EES?T|"
                          r"WES?T|BST|MSK|[ECMP][SD]T)\b")
_CLOCK_BEFORE = re.compile(r"\d:$")
# the denominator of a rate: "per 1,000 live births", "per woman", "births per 1,000 people", "€26m per km"
_PER_RE = re.compile(r"(?:\s+[a-z][a-z-]*)?\s+per\s+(?!cent\b)(?:(?P<n>\d{1,3}(?:,\d{3})+|\d+)\s+)?"
                     r"(?P<w>[A-Za-z][\w-]*)(?:\s+(?P<w2>[a-z][\w-]*))?")
_PER_BEFORE = re.compile(r"\bper\s+$", re.I)
_A_PERIOD = re.compile(r"(?:\s+[a-z][a-z-]*)?\s+(?:a|an|each|every)\s+(?P<w>year|month|week|day|hour)\b"
                        r"(?!\s+(?:later|earlier|ago|before|after|on|from|or|and|long|old)\b|-)", re.I)
_RATE_HINT = re.compile(r"\sper\s|\s(?:a|an|each|every)\s+(?:year|month|week|day|hour)\b", re.I)
_NOT_DENOMINATOR = frozenset("""a an the in on at for of and or to from by with as was were is are be been has have
    had this that these those than over under between during since until which who when while on average but""".split())
_NOT_BEFORE_PER = _NOT_DENOMINATOR | {"cent"}
# fractions: "two-thirds", "three quarters of", "a third of", "half of" (percent)
_FRACTION_NUM = {"a": 1, "an": 1, "one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6, "seven": 7,
                 "eight": 8, "nine": 9}
_FRACTION_DEN = {"half": 2, "halves": 2, "third": 3, "thirds": 3, "quarter": 4, "quarters": 4, "fourth": 4,
                 "fourths": 4, "fifth": 5, "fifths": 5, "sixth": 6, "sixths": 6, "eighth": 8, "eighths": 8,
                 "tenth": 10, "tenths": 10}
FRACTION_RE = re.compile(
    rf"(?:(?P<bound>{_BOUND_RE})\s+)?(?<![\w-])"
    r"(?:(?P<num>an?|one|two|three|four|five|six|seven|eight|nine)(?P<sep>\s+|-)"
    r"(?P<den>halves|half|thirds?|quarters?|fourths?|fifths?|sixths?|eighths?|tenths?)|(?P<half>half)(?=\s+of\b))"
    r"(?![\w-])", re.I)
_FRACTION_OF = re.compile(r"\s+(?:of|majority|supermajority|share|stake)\b", re.I)
_PERIOD_BEFORE = re.compile(r"\b(?:past|last|next|first|second|previous|recent|coming|consecutive|straight|final|"
                            r"latter|early|late|other)\s+$", re.I)
_FRACTION_OF_PERIOD = re.compile(r"\s+of\s+(?:the\s+|this\s+|next\s+|last\s+)?(?:year|decade|century|season|"
                                 r"month|\d{4}|fiscal|financial)\b", re.I)


def _fractions(text: str) -> list[Mention]:
    out = []
    for m in FRACTION_RE.finditer(text):
        after = text[m.end():]
        if m.group("half"):
            num, den = 1, 2
        else:
            num, den = _FRACTION_NUM[m.group("num").lower()], _FRACTION_DEN[m.group("den").lower()]
            plural = m.group("den").lower().endswith("s")
            if plural != (num > 1) or (den == 2 and num != 1):
                continue
            if m.group("sep") != "-" and not _FRACTION_OF.match(after):
                continue  # "a third round", "three quarters" of a year: a count of periods, not a share
        if _PERIOD_BEFORE.search(text, max(0, m.start() - 16), m.start()) or _FRACTION_OF_PERIOD.match(after):
            continue  # "the first half of 2025", "the past three quarters": a period
        start = m.start("bound") if m.group("bound") else m.start("num") if m.group("num") else m.start("half")
        out.append(Mention("percent", start, m.end(), Decimal(100 * num) / Decimal(den), _bound(m) if m.group("bound")
                           else None, "PERCENT", text[m.end("bound") if m.group("bound") else start:m.end()].strip(),
                           False, True))
    return out


def _inside(found: list[Mention], pos: int) -> bool:
    """Whether pos is inside one of the mentions (in order, not overlapping)."""
    i = bisect.bisect_right(found, pos, key=lambda f: f.start) - 1
    return i >= 0 and pos < found[i].end


_DIGIT = re.compile(r"\d")


def _may_have_number(text: str) -> bool:
    return bool(_DIGIT.search(text)) or not _NUMBER_WORDS.isdisjoint(_WORDS_RE.findall(text.lower()))


def _per(text: str, end: int) -> str | None:
    """The denominator of a rate written after a number ("3.4 per 1,000 live births" -> "1,000 live births",
    "0.6 percentage points a year" -> "year")."""
    m = _PER_RE.match(text, end)
    if m is None:
        am = _A_PERIOD.match(text, end)
        return am.group("w").lower() if am else None
    between = text[end:m.start("w")].split()
    if len(between) > 2 and between[0].lower() in _NOT_BEFORE_PER:
        return None
    words = [m.group("w")]
    if m.group("n") and m.group("w2") and m.group("w2").lower() not in _NOT_DENOMINATOR:
        words.append(m.group("w2"))
    if words[0].lower() in _NOT_DENOMINATOR:
        return None
    return " ".join(([m.group("n")] if m.group("n") else []) + words)


def find_numbers(text: str, unit_index: "UnitIndex | None" = None) -> list[Mention]:
    """Numbers with scale and bound, classified as money, percent, quantity (with a unit) or plain number; the two
    ends of a range ("€5bn-6bn", "EUR 13-19 billion", "between 2 and 3 km") each with the range's currency, scale
    and unit; fractions ("two-thirds", "half of") as percentages."""
    out: list[Mention] = []
    if not _may_have_number(text):
        return out
    fractions = _fractions(text) if _FRACTION_HINT.search(text) else []
    out.extend(fractions)
    scales: list[int] = [1] * len(fractions)
    consumed = 0
    for m in NUMBER_RE.finditer(text):
        num = m.group("num")
        if m.start("num") < consumed or fractions and _inside(fractions, m.start("num")):
            continue
        value = _to_decimal(num)
        if value is None:
            continue
        start, end = m.start("num"), m.end()
        before, after_num = text[max(0, start - 2):start], text[m.end("num"):m.end("num") + 1]
        if "," in num and after_num.isdigit():  # "36,7234": a typo in the grouping; no reading of it is safe
            consumed = re.compile(r"[\d,.]*").match(text, m.end("num")).end()
            continue
        glued = re.search(r"[A-Za-z]-$", before) and out and out[-1].end == start - 1
        if (re.search(r"[A-Za-z]-$|\+$", before) and not glued) or after_num in ("+", "/") or \
                re.search(r"[A-Za-z/]$", before):
            continue  # part of a name or a sign: COVID-19, 17+1, A4, 24/7
        if _CLOCK_AFTER.match(text, m.end("num")) or _CLOCK_BEFORE.search(before):
            continue  # a time of day: 12:00, 1pm
        if _PER_BEFORE.search(text, max(0, start - 8), start):
            continue  # the denominator of a rate: "per 1,000 people"
        spelled = not num[0].isdigit()
        scale = (m.group("scale") or "").lower()
        if spelled and num.lower() in ("a", "an") and not scale:
            continue  # "a" alone is an article
        if not scale and _SCALE_ORDINAL_AFTER.match(text, m.end("num")):
            continue  # "the 2.5 millionth": an ordinal
        factor = 1
        if scale in ("k", "m", "b") and not (m.group("cur_pre") or text[end:end + 1] in ("", " ", ",", ".")
                                              and not text[m.end("num")].isspace()):
            scale = ""  # "5 m long", "3 m/s", "the 2b": a unit or a name, not a scale letter
        if not scale:
            end = m.end("num")
        glued_exp = _EXPONENT.match(text, end)
        if glued_exp or (not spelled and not scale and text[end:end + 2].lower() == " e"):
            em = _SPACED_EXPONENT.match(text, end)
            um = unit_index.match(text[em.end():]) if em is not None and unit_index is not None else None
            if um is not None:
                value, end = bounded_decimal(f"{value}e{em.group(1)}"), em.end()
            elif glued_exp:
                continue  # scientific notation (1e9) without a unit: not how the texts lithkg reads state values
        if scale:
            factor = SCALES[scale]
            cm = _COMPOUND_SCALE.match(text, end)
            if cm and SCALES[cm.group("scale").lower()] < factor:
                value = value * factor + Decimal(cm.group("num")) * SCALES[cm.group("scale").lower()]
                end = consumed = cm.end()
            else:
                value *= factor
            if abs(value) >= _TOO_LARGE:  # "999 trillion trillion": out of the bounds once scaled
                continue
        bound = _bound(m) if m.group("bound") else None
        if bound:
            start = m.start("bound")
        cur = m.group("cur_pre")
        after = text[end:]
        rate = _RATE_HINT.search(after, 0, 60) is not None
        per = _per(text, end) if rate else None
        if cur:
            start = min(start, m.start("cur_pre"))
            code = CURRENCY_SYMBOLS.get(cur.strip(), cur.strip().upper())
            out.append(Mention("money", start, end, value, bound, code, cur.strip(), bool(scale), spelled, per=per))
            scales.append(factor)
            continue
        pm = PERCENT_AFTER.match(after)
        if pm:
            out.append(Mention("percent", start, end + pm.end(), value, bound, "PERCENT", pm.group().strip(),
                               bool(scale), spelled, per=_per(text, end + pm.end()) if rate else None))
            scales.append(factor)
            continue
        cm = _CURRENCY_WORD.match(after)
        if cm:
            code = CURRENCY_CODES[cm.group(1)]
            out.append(Mention("money", start, end + cm.end(), value, bound, code, cm.group(1), bool(scale), spelled,
                               per=per))
            scales.append(factor)
            continue
        if unit_index is not None:
            sm = _SCALED_UNIT_RE.match(after) if not scale else None
            um = unit_index.match(SCALED_UNITS[sm.group("u").lower()][1]) if sm else unit_index.match(after)
            if um is not None:
                iri, length, label = um
                if sm:
                    factor = SCALED_UNITS[sm.group("u").lower()][0]
                    value, length, scale = value * factor, sm.end(), sm.group("u")
                out.append(Mention("quantity", start, end + length, value, bound, iri, label, bool(scale), spelled,
                                   per=_per(text, end + length) if rate else None))
                scales.append(factor)
                continue
        out.append(Mention("number", start, end, value, bound, None, None, bool(scale), spelled, per=per))
        scales.append(factor)
    if fractions:
        order = sorted(range(len(out)), key=lambda i: out[i].start)
        out, scales = [out[i] for i in order], [scales[i] for i in order]
    return _ranges(text, out, scales)


_FRACTION_HINT = re.compile(r"half|third|quarter|fourth|fifth|sixth|eighth|tenth", re.I)
_SCALE_ORDINAL_AFTER = re.compile(r"[\s-]?(?:thousandth|millionth|billionth)\b", re.I)
_CURRENCY_WORD = re.compile(r"\s?(US dollars|dollars|euros|euro|pounds|USD|EUR|GBP)\b")
_RANGE_GAP = re.compile(r"\s?[-–—]\s?|\s+to\s+|\s+and\s+")
_BETWEEN_BEFORE = re.compile(r"\bbetween\s+$", re.I)
_CHANGE_BEFORE = re.compile(  # a verb of change: "rose from 5 to 7", "grew by 3% to 75", "fell 2 to 3"
    r"\b(?:(?:ris(?:e[sn]?|ing)|rose|f[ae]ll(?:s|en|ing)?|gr[eo]w[sn]?|growing|went|go(?:es|ne|ing)?|"
    r"shr[aiu]nk(?:s|ing)?|up|down|cut(?:s|ting)?|swollen|swelled)|"
    r"(?:increas|decreas|reduc|chang|mov|surg|revis|declin)(?:e[sd]?|ing)|"
    r"(?:drop|slip)(?:s|ped|ping)?|"
    r"(?:climb|jump|rais|lower|soar|plung|edg|expand|boost)(?:s|ed|es|ing)?)"
    r"\s+(?:\w+ly\s+)?(?:by\s+|from\s+)?$", re.I)
_YEAR = re.compile(r"1[89]\d\d|20\d\d")
_YEAR_BEFORE = re.compile(r"\b(?:in|since|during|until|till|by|of|for|early|late|mid|year)\s+$", re.I)


def _ranges(text: str, out: list[Mention], scales: list[int]) -> list[Mention]:
    """Two values joined as a range ("€1.2bn-1.5bn", "EUR 13-19 billion", "0.5 to 0.7 percentage points",
    "between 3 and 4 km"): each end takes the currency, scale and unit written once, the bound word of the first,
    and its range_role (low / high). "from 5 to 7 million" after a verb of change ("rose from") is no range, but
    its ends still share the unit written once. Year spans ("2020-2021") are left as they are."""
    for i in range(len(out) - 1):
        a, b = out[i], out[i + 1]
        gap = text[a.end:b.start]
        gm = _RANGE_GAP.fullmatch(gap)
        if gm is None or b.bound or a.range_role or a.kind == "percent" and a.spelled:
            continue
        word = gap.strip()
        if word == "and" and not _BETWEEN_BEFORE.search(text, max(0, a.start - 10), a.start):
            continue
        num_a, num_b = text[a.start:a.end], text[b.start:b.end]
        if a.kind == "number" and _YEAR.fullmatch(num_a.strip()) and (
                b.kind == "number" and _YEAR.fullmatch(num_b.strip())
                or _YEAR_BEFORE.search(text, max(0, a.start - 12), a.start)):
            continue  # a span of years; "in 2021 to €32m": a year, then the value
        if a.kind != b.kind and "number" not in (a.kind, b.kind) or a.kind == b.kind and a.unit != b.unit:
            continue
        change = word == "to" and _CHANGE_BEFORE.search(text, max(0, a.start - 40), a.start)
        raw_a, raw_b = a.value / scales[i], b.value / scales[i + 1]
        if scales[i] == 1 and scales[i + 1] > 1 and a.kind in ("number", "money") and raw_a <= 10 * raw_b:
            a = dataclasses.replace(a, value=a.value * scales[i + 1], scale_word=True)
        if a.kind == "number" and b.kind != "number":
            a = dataclasses.replace(a, kind=b.kind, unit=b.unit, unit_text=b.unit_text, per=a.per or b.per)
        elif b.kind == "number" and a.kind != "number" and not change:  # not "grew by 3% to 75 units"
            b = dataclasses.replace(b, kind=a.kind, unit=a.unit, unit_text=a.unit_text, per=b.per or a.per)
        if scales[i + 1] == 1 and scales[i] > 1 and b.kind in ("number", "money") and raw_b >= raw_a:
            b = dataclasses.replace(b, value=b.value * scales[i], scale_word=True)
        if a.kind != b.kind:
            continue
        if a.value < b.value and not change:
            a = dataclasses.replace(a, range_role="low")
            b = dataclasses.replace(b, range_role="high", bound=a.bound, per=b.per or a.per)
        out[i], out[i + 1] = a, b
    return out


def find_ordinals(text: str) -> list[Mention]:
    """Ordinals ("6th", "the third"), and ordinals of a scale ("its millionth ring", "the 2.5 millionth device",
    whose value is the count: 2,500,000); not the denominator of a fraction ("a third of")."""
    out = []
    fractions = _fractions(text) if _FRACTION_HINT.search(text) else []
    for m in ORDINAL_RE.finditer(text):
        if fractions and _inside(fractions, m.start()):
            continue
        if m.group("sword"):
            mult = bounded_decimal(m.group("mult").replace(",", "")) if m.group("mult") else Decimal(1)
            value = mult * SCALE_ORDINALS[m.group("sword").lower()]
            out.append(Mention("ordinal", m.start(), m.end(), value, scale_word=True))
            continue
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
        self._exact = {n for n, _, _ in names}
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
        if len(unit) == 1 and (unit not in self._exact or not re.match(r"[\s-]?" + re.escape(unit) + r"\b", after)):
            return None  # "m" is a metre, "M" (a million) is not; "5 m" but not "5mx"
        iri, label = self._by_lower[unit.lower()]
        return iri, m.end(), label


