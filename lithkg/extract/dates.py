"""Find the dates a sentence states, absolute or relative, each with its character span, resolved against the
document's date where they are relative: "1st of May 2022", "23 August 1989", "August 2020", "in 2014", "On 7 April",
"on Monday", "last year", "currently", "since the beginning of April".
"""
from __future__ import annotations

import calendar
import dataclasses
import datetime as _dt
import re

from .values import MONTHS

_DIGIT = re.compile(r"\d")
_WORDS_RE = re.compile(r"[a-z]+")

_MONTH = "|".join(sorted(MONTHS, key=len, reverse=True))
_YEAR = r"(?:1[89]\d\d|20\d\d)"
_DAY = r"(?:[0-3]?\d)(?:st|nd|rd|th)?"
DATE_PATTERNS = [
    ("iso", re.compile(rf"\b(?P<y>{_YEAR})-(?P<m>[01]\d)-(?P<d>[0-3]\d)\b")),
    ("dmy", re.compile(rf"\b(?P<d>{_DAY})(?:\s+of)?\s+(?P<m>{_MONTH})\.?,?\s+(?P<y>{_YEAR})\b", re.I)),
    ("mdy", re.compile(rf"\b(?P<m>{_MONTH})\.?\s+(?P<d>{_DAY}),?\s+(?P<y>{_YEAR})\b", re.I)),
    ("dm", re.compile(rf"\b(?P<d>{_DAY})(?:\s+of)?\s+(?P<m>{_MONTH})\b(?!\s+{_YEAR})", re.I)),
    ("md", re.compile(rf"\b(?P<m>{_MONTH})\s+(?P<d>[0-3]?\d)(?:st|nd|rd|th)?\b(?!,?\s+{_YEAR}|\d)", re.I)),
    ("my", re.compile(rf"\b(?:(?P<part>the\s+(?:beginning|start|end|middle)\s+of|early|late|mid-?)\s*)?"
                      rf"(?P<m>{_MONTH})\.?,?\s+(?P<y>{_YEAR})\b", re.I)),
    ("m", re.compile(rf"\b(?:(?P<part>the\s+(?:beginning|start|end|middle)\s+of|early|late|mid-?)\s*)?"
                     rf"(?P<m>January|February|March|April|May|June|July|August|September|October|November|"
                     rf"December)\b(?!\s+(?:{_YEAR}|[0-3]?\d\b))")),
    ("y", re.compile(rf"(?<![\d,.$€£-])(?P<y>{_YEAR})(?![\d%]|,\d|\.\d|\s?(?:km|kilomet|m\b|people|per))")),
    ("y_old", re.compile(r"\b(?:in|since|from|until|before|after|around|circa|c\.|by|of|back to)\s+(?P<y>1[0-7]\d\d)\b"
                         r"(?![\d%]|,\d|\.\d|\s?(?:km|people|per|tonnes|students|euros?|dollars))", re.I)),
    ("wd", re.compile(r"\b(?:on|last)\s+(?P<wd>Monday|Tuesday|Wednesday|Thursday|Friday|Saturday|Sunday)\b")),
    ("rel", re.compile(r"\b(?P<rel>last year|this year|next year|the previous year|the past year|a year ago|"
                       r"last month|this month|currently|at present|at the moment|nowadays|now|today|so far|"
                       r"to date)\b", re.I)),
]


@dataclasses.dataclass(frozen=True)
class DateMention:
    start: int
    end: int
    value: str | None          # ISO at the text's precision, or None when it cannot be resolved
    relative: str | None = None  # a relative expression ("last year", "currently"), resolved against the document date
    yearless: bool = False     # "7 April", "in March": the year was taken from the document date


_DATE_WORDS = set(MONTHS) | {"year", "month", "currently", "present", "moment", "nowadays", "now", "today", "so",
                               "date", "monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday"}


def find_dates(text: str, doc_date: str | None) -> list[DateMention]:
    """Date expressions, resolved against the document date (ISO, any precision) where they are relative."""
    taken: list[tuple[int, int]] = []
    out: list[DateMention] = []
    if not _DIGIT.search(text) and _DATE_WORDS.isdisjoint(_WORDS_RE.findall(text.lower())):
        return out
    doc_year = int(doc_date[:4]) if doc_date else None
    for kind, pattern in DATE_PATTERNS:
        for m in pattern.finditer(text):
            s, e = m.span()
            if any(s < te and ts < e for ts, te in taken):
                continue
            value, rel, yearless = None, None, False
            if kind in ("iso", "dmy", "mdy"):
                y, mo, d = int(m.group("y")), _month(m.group("m")), int(re.sub(r"\D", "", m.group("d")))
                value = _iso(y, mo, d)
            elif kind in ("dm", "md"):
                if m.group("m").lower() == "may" and kind == "md":
                    continue  # "may 3" is usually the verb
                mo, d = _month(m.group("m")), int(re.sub(r"\D", "", m.group("d")))
                value = _iso(_year_of_month(mo, doc_date), mo, d) if doc_year else None
                yearless = value is not None
            elif kind == "my":
                value = f"{int(m.group('y')):04d}-{_month(m.group('m')):02d}"
            elif kind == "m":
                if m.group("m") == "May" and not re.search(r"\b(?:in|since|from|until|by|of|early|late|mid)\s+$",
                                                            text[:s]):
                    continue
                if doc_year:
                    mo = _month(m.group("m"))
                    value = f"{_year_of_month(mo, doc_date):04d}-{mo:02d}"
                    yearless = True
            elif kind in ("y", "y_old"):
                value = m.group("y")
                if kind == "y_old":
                    s = m.start("y")
            elif kind == "wd":
                value = _weekday_before(m.group("wd"), doc_date)
                s = m.start("wd")
                if value is None:
                    continue
                rel = m.group("wd").lower()
            else:
                rel = m.group("rel").lower()
                value = _relative(rel, doc_date)
            if kind != "rel" and value is None:
                continue
            taken.append((s, e))
            out.append(DateMention(s, e, value, rel, yearless))
    return sorted(out, key=lambda d: d.start)


def _year_of_month(month: int, doc_date: str) -> int:
    """The year of a year-less month: the document's, unless that month is still to come at the document's date
    ("in December", written in January, is last December)."""
    year = int(doc_date[:4])
    if len(doc_date) >= 7 and month > int(doc_date[5:7]):
        return year - 1
    return year


def _weekday_before(name: str, doc_date: str | None) -> str | None:
    """'on Wednesday' in a dated article: the last such day on or before the document's date."""
    if not doc_date or len(doc_date) != 10:
        return None
    day = _dt.date.fromisoformat(doc_date)
    target = list(calendar.day_name).index(name)
    return (day - _dt.timedelta(days=(day.weekday() - target) % 7)).isoformat()


def _month(name: str) -> int:
    """A month's number from its name or abbreviation, or from its digits (an ISO date's "05")."""
    return int(name) if name.isdigit() else MONTHS[name.lower().rstrip(".")]


def _iso(y: int, m: int, d: int) -> str | None:
    try:
        return _dt.date(y, m, d).isoformat()
    except ValueError:
        return None


def _relative(rel: str, doc_date: str | None) -> str | None:
    if not doc_date:
        return None
    year = int(doc_date[:4])
    if rel in ("last year", "the previous year", "the past year", "a year ago"):
        return f"{year - 1:04d}"
    if rel == "next year":
        return f"{year + 1:04d}"
    if rel in ("last month", "this month"):
        if len(doc_date) < 7:
            return None
        y, mo = year, int(doc_date[5:7])
        if rel == "last month":
            y, mo = (y - 1, 12) if mo == 1 else (y, mo - 1)
        return f"{y:04d}-{mo:02d}"
    return f"{year:04d}"  # "currently", "now", "this year": the document's year
