"""Find the dates a sentence states, absolute or relative, each with its character span, resolved against the
document's date where they are relative: "1st of May 2022", "23 August 1989", "Jan. 23", "August 2020", "in 2014",
"in late 2014", "the first half of 2025", "On 7 April", "on Monday", "announced Tuesday", "this Monday's",
"last year", "a month ago", "last week", "yesterday", "the following day", "currently", "since the beginning of
April".

A year-less day or month is given the year that makes sense at the document's date: the document's own, or the
year before for a month still to come ("in December", written in January), unless the sentence speaks of the
future ("will close on 1 October"), the day is only weeks ahead, or it is a deadline ("by the end of March").
"""
from __future__ import annotations

import calendar
import dataclasses
import datetime as _dt
import re

from .values import MONTHS

_DIGIT = re.compile(r"\d")
_WORDS_RE = re.compile(r"[a-z]+")
_NONDIGIT = re.compile(r"\D")

_MONTH = "|".join(sorted(MONTHS, key=len, reverse=True))
_YEAR = r"(?:1[89]\d\d|20\d\d)"
_DAY = r"(?:[0-3]?\d)(?:st|nd|rd|th)?"
_WEEKDAY = r"Monday|Tuesday|Wednesday|Thursday|Friday|Saturday|Sunday"
# a part of a year or month: "late 2014", "the end of 2025", "the first half of 2025", "mid-2020"
_PART = (r"(?:the\s+)?(?:very\s+)?(?:beginning|start|end|middle|first\s+half|second\s+half|latter\s+half|"
         r"(?:first|second|third|fourth|last|final)\s+quarter|spring|summer|autumn|fall|winter)\s+of|"
         r"early|late|mid-?|end-|start-")
DATE_PATTERNS = [
    ("iso", re.compile(rf"\b(?P<y>{_YEAR})-(?P<m>[01]\d)-(?P<d>[0-3]\d)\b")),
    ("dmy", re.compile(rf"\b(?P<d>{_DAY})(?:\s+of)?\s+(?P<m>{_MONTH})\.?,?\s+(?P<y>{_YEAR})\b", re.I)),
    ("mdy", re.compile(rf"\b(?P<m>{_MONTH})\.?\s+(?P<d>{_DAY}),?\s+(?P<y>{_YEAR})\b", re.I)),
    ("dm", re.compile(rf"\b(?P<d>{_DAY})(?:\s+of)?\s+(?P<m>{_MONTH})\b(?!\.?\s+{_YEAR})", re.I)),
    ("md", re.compile(rf"\b(?P<m>{_MONTH})\.?\s+(?P<d>[0-3]?\d)(?:st|nd|rd|th)?\b(?!,?\s+{_YEAR}|\d|[.,]\d|\s*%|\s+per\s?cent)",
                      re.I)),
    ("my", re.compile(rf"\b(?:(?P<part>{_PART})\s*)?"
                      rf"(?P<m>{_MONTH})\.?,?\s+(?P<y>{_YEAR})\b", re.I)),
    ("m", re.compile(rf"\b(?:(?P<part>{_PART})\s*)?"
                     rf"(?P<m>January|February|March|April|May|June|July|August|September|October|November|"
                     rf"December)\b(?!\s+(?:{_YEAR}|[0-3]?\d\b))")),
    ("yp", re.compile(rf"\b(?P<part>{_PART})\s*(?P<y>{_YEAR})\b(?![\d%]|,\d|\.\d)", re.I)),
    ("y", re.compile(rf"(?<![\d,.$€£-])(?P<y>{_YEAR})(?![\d%]|,\d|\.\d|\s?(?:km|kilomet|m\b|people|per))")),
    ("y_old", re.compile(r"\b(?:in|since|from|until|before|after|around|circa|c\.|by|of|back to)\s+(?P<y>1[0-7]\d\d)\b"
                         r"(?![\d%]|,\d|\.\d|\s?(?:km|people|per|tonnes|students|euros?|dollars))", re.I)),
    ("wd", re.compile(rf"(?:\b(?P<pre>on|last|this|next|since|until|till|by|from|coming|past)\s+)?"
                      rf"\b(?P<wd>{_WEEKDAY})(?:['’]s)?\b")),
    ("after", re.compile(r"\b(?P<rel>the\s+(?:following|next)\s+day|a\s+day\s+later|the\s+day\s+after(?=\s*[,.;)]|$))\b",
                         re.I)),
    ("rel", re.compile(r"\b(?P<rel>(?:a|an|one|two|three|four|five|six|seven|eight|nine|ten|eleven|twelve|\d{1,2})\s+"
                       r"(?:days?|weeks?|months?|years?)\s+ago|"
                       r"last year|this year|next year|the previous year|the past year|a year ago|"
                       r"last month|this month|next month|a month ago|one month ago|last week|this week|next week|"
                       r"a week ago|one week ago|yesterday|currently|at present|at the moment|nowadays|now|today|"
                       r"so far|to date)\b", re.I)),
]
# the sentence speaks of what is still to come
_FUTURE = re.compile(r"\b(?:will|shall|won['’]t|is to|are to|expected|expects?|scheduled|planned|plans?|due|set to|"
                     r"slated|upcoming|intends?|aims?|going to|should|would)\b|['’]ll\b", re.I)
_DEADLINE = re.compile(r"\b(?:by|until|till|before|no later than)\s+(?:the\s+(?:end|beginning|start|middle)\s+of\s+)?$",
                       re.I)
_MAY_BEFORE = re.compile(r"\b(?:in|since|from|until|by|of|early|late|mid|end|beginning|start|middle)\s+$")
# a time of day before a day: "12:00 on 21 September", "1pm (EEST) on October 1", "noon on 3 May"
_CLOCK_BEFORE = re.compile(r"\b(?P<clock>(?:\d{1,2}[:.]\d\d(?:\s*[ap]\.?m\.?)?|\d{1,2}\s*[ap]\.?m\.?|noon|midnight|midday)"
                           r"(?:\s*\([A-Z]{2,5}\))?)\s+(?:on\s+)?$", re.I)
_PART_WORDS = re.compile(r"^(?:the\s+)?(?:very\s+)?|\s+of$|-$", re.I)


@dataclasses.dataclass(frozen=True)
class DateMention:
    start: int
    end: int
    value: str | None          # ISO at the text's precision, or None when it cannot be resolved
    relative: str | None = None  # a relative expression ("last year", "monday", "the following day"), resolved
    #                              against the document date (or the date stated before it)
    yearless: bool = False     # "7 April", "in March": the year was taken from the document date
    part: str | None = None    # the part of the year or month the text names: "late", "end", "first half" ...
    future: bool = False       # a year-less date read as still to come ("until 1 October", "by the end of March")
    clock: str | None = None   # the time of day the text gives with the day ("12:00", "1pm (EEST)", "noon"),
    #                            inside the span


_DATE_WORDS = set(MONTHS) | {"year", "month", "week", "day", "yesterday", "currently", "present", "moment",
                               "nowadays", "now", "today", "so", "date", "monday", "tuesday", "wednesday",
                               "thursday", "friday", "saturday", "sunday", "ago"}


def find_dates(text: str, doc_date: str | None, previous: str | None = None) -> list[DateMention]:
    """Date expressions, resolved against the document date (ISO, any precision) where they are relative;
    ``previous`` is the last day the text stated before this sentence ("the following day" is the day after it)."""
    taken: list[tuple[int, int]] = []
    out: list[DateMention] = []
    if not _DIGIT.search(text) and _DATE_WORDS.isdisjoint(_WORDS_RE.findall(text.lower())):
        return out
    doc_year = int(doc_date[:4]) if doc_date else None
    future_sentence = None
    for kind, pattern in DATE_PATTERNS:
        for m in pattern.finditer(text):
            s, e = m.span()
            if any(s < te and ts < e for ts, te in taken):
                continue
            value, rel, yearless, part, future = None, None, False, None, False
            if kind in ("iso", "dmy", "mdy"):
                y, mo, d = int(m.group("y")), _month(m.group("m")), int(_NONDIGIT.sub("", m.group("d")))
                value = _iso(y, mo, d)
            elif kind in ("dm", "md"):
                if m.group("m") != "May" and m.group("m").lower() == "may" and kind == "md":
                    continue  # "may 3" is the verb
                if kind == "md" and not m.group("m")[0].isupper():
                    continue  # "mar 5", "dec 3" in lower case are not dates
                mo, d = _month(m.group("m")), int(_NONDIGIT.sub("", m.group("d")))
                if doc_year:
                    if future_sentence is None:
                        future_sentence = bool(_FUTURE.search(text))
                    year, future = _year_of_day(mo, d, doc_date, future_sentence or bool(
                        _DEADLINE.search(text[max(0, s - 30):s])))
                    value = _iso(year, mo, d)
                yearless = value is not None
            elif kind == "my":
                value = f"{int(m.group('y')):04d}-{_month(m.group('m')):02d}"
                part = _part(m.group("part"))
            elif kind == "m":
                if m.group("m") == "May" and not _MAY_BEFORE.search(text[:s]):
                    continue
                part = _part(m.group("part"))
                if doc_year:
                    mo = _month(m.group("m"))
                    deadline = bool(_DEADLINE.search(text[max(0, s - 30):s]))
                    if future_sentence is None:
                        future_sentence = bool(_FUTURE.search(text))
                    year = _year_of_month(mo, doc_date)
                    if deadline and len(doc_date) >= 7 and mo < int(doc_date[5:7]):
                        year, future = int(doc_date[:4]) + 1, True   # "by the end of March", written in May
                    elif future_sentence and year < int(doc_date[:4]):
                        year, future = int(doc_date[:4]), True       # "will close in October", written in June
                    value = f"{year:04d}-{mo:02d}"
                    yearless = True
            elif kind == "yp":
                value, part = m.group("y"), _part(m.group("part"))
            elif kind in ("y", "y_old"):
                value = m.group("y")
                if kind == "y_old":
                    s = m.start("y")
            elif kind == "wd":
                pre = (m.group("pre") or "").lower()
                ahead = pre in ("next", "until", "till", "by", "coming") or (
                    pre != "last" and bool(_FUTURE.search(text, max(0, s - 40), s)))
                value = _weekday(m.group("wd"), doc_date, ahead, strictly=pre == "last")
                if pre not in ("last", "this", "next", "coming", "past"):
                    s = m.start("wd")
                if value is None:
                    continue
                rel = m.group("wd").lower()
            elif kind == "after":
                rel = "the following day"
                before = [d for d in out if d.end <= s and d.value and len(d.value) == 10]
                base = max(before, key=lambda d: d.end).value if before else previous
                if not base or len(base) != 10:
                    continue
                value = (_dt.date.fromisoformat(base) + _dt.timedelta(days=1)).isoformat()
            else:
                rel = " ".join(m.group("rel").lower().split())
                value = _relative(rel, doc_date)
            if kind != "rel" and value is None:
                continue
            clock = None
            if kind in ("iso", "dmy", "mdy", "dm", "md"):
                cm = _CLOCK_BEFORE.search(text, max(0, s - 30), s)
                if cm is not None and not any(cm.start() < te and ts < s for ts, te in taken):
                    s, clock = cm.start(), " ".join(cm.group("clock").split())
            taken.append((s, e))
            out.append(DateMention(s, e, value, rel, yearless, part, future, clock))
    return _carry_year(sorted(out, key=lambda d: d.start))


def _carry_year(dates: list[DateMention]) -> list[DateMention]:
    """'from 21 September 2020 until 1 October', 'on 8 February 2025 and from 9 February': a year-less day or month
    after a date with its year takes that year (the next one when its month comes earlier)."""
    anchor = None
    out = []
    for d in dates:
        if d.value and not d.relative and not d.yearless and len(d.value) >= 7:
            anchor = d.value
        elif d.yearless and anchor and d.value:
            year, month = int(anchor[:4]), int(anchor[5:7])
            if int(d.value[5:7]) < month:
                year += 1
            value = f"{year:04d}{d.value[4:]}"
            if len(value) < 10 or _iso(year, int(value[5:7]), int(value[8:10])):
                d = dataclasses.replace(d, value=value, future=False)
        out.append(d)
    return out


def last_day(dates: list[DateMention]) -> str | None:
    """The last day (a full ISO date) among a sentence's dates, for "the following day" in the next one."""
    days = [d for d in dates if d.value and len(d.value) == 10]
    return max(days, key=lambda d: d.end).value if days else None


def _part(text: str | None) -> str | None:
    return " ".join(_PART_WORDS.sub("", text.strip()).lower().split()) if text else None


def _year_of_month(month: int, doc_date: str) -> int:
    """The year of a year-less month: the document's, unless that month is still to come at the document's date
    ("in December", written in January, is last December)."""
    year = int(doc_date[:4])
    if len(doc_date) >= 7 and month > int(doc_date[5:7]):
        return year - 1
    return year


def _year_of_day(month: int, day: int, doc_date: str, future: bool) -> tuple[int, bool]:
    """The year of a year-less day, and whether it is read as still to come: a day after the document's date is
    in the same year when the sentence speaks of the future or the day is at most two months ahead, else it was
    last year's; a deadline day already past ("by 1 March", written in May) is next year's."""
    year = int(doc_date[:4])
    if len(doc_date) < 7:
        return year, False
    doc_m = int(doc_date[5:7])
    doc_d = int(doc_date[8:10]) if len(doc_date) >= 10 else 1
    ahead = (month - doc_m) * 31 + (day - doc_d)
    if ahead > 0:
        if future or ahead <= 62:
            return year, True
        return year - 1, False
    if future and ahead < -62:
        return year + 1, True
    return year, False


def _weekday(name: str, doc_date: str | None, ahead: bool = False, strictly: bool = False) -> str | None:
    """'on Wednesday' in a dated article: the last such day on or before the document's date (the next one on or
    after it when the sentence speaks of the future); in a text dated to the month only, that month."""
    if not doc_date:
        return None
    if len(doc_date) == 7:
        return doc_date
    if len(doc_date) != 10:
        return None
    day = _dt.date.fromisoformat(doc_date)
    target = list(calendar.day_name).index(name)
    if ahead:
        return (day + _dt.timedelta(days=(target - day.weekday()) % 7)).isoformat()
    back = (day.weekday() - target) % 7
    if strictly and back == 0:
        back = 7
    return (day - _dt.timedelta(days=back)).isoformat()


def _month(name: str) -> int:
    """A month's number from its name or abbreviation, or from its digits (an ISO date's "05")."""
    return int(name) if name.isdigit() else MONTHS[name.lower().rstrip(".")]


def _iso(y: int, m: int, d: int) -> str | None:
    try:
        return _dt.date(y, m, d).isoformat()
    except ValueError:
        return None


def _month_shift(doc_date: str, months: int) -> str | None:
    if len(doc_date) < 7:
        return None
    y, mo = int(doc_date[:4]), int(doc_date[5:7]) + months
    while mo < 1:
        y, mo = y - 1, mo + 12
    while mo > 12:
        y, mo = y + 1, mo - 12
    return f"{y:04d}-{mo:02d}"


def _day_shift(doc_date: str, days: int) -> str | None:
    if len(doc_date) != 10:
        return None
    return (_dt.date.fromisoformat(doc_date) + _dt.timedelta(days=days)).isoformat()


_AGO = re.compile(r"(?P<n>\w+)\s+(?P<u>day|week|month|year)s?\s+ago")
_AGO_WORDS = {"a": 1, "an": 1, "one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6, "seven": 7,
              "eight": 8, "nine": 9, "ten": 10, "eleven": 11, "twelve": 12}


def _relative(rel: str, doc_date: str | None) -> str | None:
    if not doc_date:
        return None
    year = int(doc_date[:4])
    ago = _AGO.fullmatch(rel.lower())
    if ago:  # "three days ago", "two years ago": counted back from the document's date, to what that count knows
        n = int(ago.group("n")) if ago.group("n").isdigit() else _AGO_WORDS[ago.group("n")]
        unit = ago.group("u")
        if unit == "year":
            return f"{year - n:04d}"
        if unit == "month":
            return _month_shift(doc_date, -n) if len(doc_date) >= 7 else None
        day = _day_shift(doc_date, -n * (7 if unit == "week" else 1))
        return day if day and unit == "day" else (day[:7] if day else None)
    if rel in ("last year", "the previous year", "the past year", "a year ago"):
        return f"{year - 1:04d}"
    if rel == "next year":
        return f"{year + 1:04d}"
    if rel in ("last month", "a month ago", "one month ago"):
        return _month_shift(doc_date, -1)
    if rel == "this month":
        return _month_shift(doc_date, 0)
    if rel == "next month":
        return _month_shift(doc_date, 1)
    if rel in ("last week", "a week ago", "one week ago"):
        day = _day_shift(doc_date, -7)
        return day[:7] if day else None   # the week is known, not the day: its month
    if rel in ("this week", "next week"):
        day = _day_shift(doc_date, 7 if rel == "next week" else 0)
        return day[:7] if day else None
    if rel == "yesterday":
        return _day_shift(doc_date, -1)
    if rel == "today":
        return doc_date if len(doc_date) >= 7 else f"{year:04d}"
    return f"{year:04d}"  # "currently", "now", "this year": the document's year
