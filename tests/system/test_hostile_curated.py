"""Hostile curated claims, front matter and settings: each row an input of a few bytes (or a sparse file) that once
hung an ingest, filled its memory or was accepted though wrong, and the exact one-line refusal it now gets.

The rows run like those of ``tests/system/test_hostile.py``: on a copy of one small store, hashed before and after, with
the exact stderr and exit code; rows that could hang or exhaust memory run as a real process with a time limit and a
bound on its peak memory. The bounds themselves (:data:`lithkg.model.NUMBER_BOUNDS`, :mod:`lithkg.extract.yamlsafe`, the
curated-claims file limits) have unit tests at the end.
"""
from __future__ import annotations

import dataclasses
import os
import subprocess
import sys
import time
from decimal import Decimal
from pathlib import Path

import pytest

from lithkg.extract.curated import MAX_CLAIMS, MAX_FILE_SIZE, MAX_TEXT, load_claims_file
from lithkg.extract.values import find_numbers, find_ordinals
from lithkg.model import NumberRangeError, Value, check_number, parse_iso_datetime
from lithkg.errors import ClaimsFileError, DocumentError
from lithkg.extract.documents import MAX_FRONT_MATTER, split_front_matter
from lithkg.extract import yamlsafe

from test_hostile import copies, DOC, INDEX, MEASURE, MIB, QUOTE, RANK, base_store, claim, digest, invoke_in, write_files  # noqa: F401

E = "lithkg: error: "
RANGE_HINT = "(lithkg takes numbers from 1e-30 to under 1e30 in size, with at most 40 significant digits)"
EXPANDED = "the YAML holds more than 250,000 values once its aliases are expanded"
SIZE = "'max_document_size' must be a size from 1 byte to 1G (1,073,741,824 bytes), such as 67108864 or 64M"
TIMEOUT = "'query_timeout' must be a number of seconds from 0 to 86,400 (0: no limit)"
PEAK = 400 * MIB  # no row's process may use more (the 1.5 GB of the alias file, before)


def value(v: str) -> bytes:
    """The curated rank claim with another value (line 5)."""
    return claim("subject: Lithuania", "property: rank", f"value: {v}", INDEX, QUOTE)


def laughs(levels: int = 9, *, merge: bool = False, text: str = "lol") -> list[str]:
    """Nested YAML aliases, each level nine times the one before (lines 1 to ``levels`` + 1)."""
    if merge:  # the same with '<<' merge keys, which PyYAML copies
        lines = ["l0: &l0 {" + ", ".join(f"k{i}: {text}" for i in range(9)) + "}"]
        lines += [f"l{i}: &l{i} {{<<: [" + ", ".join([f"*l{i - 1}"] * 9) + "]}" for i in range(1, levels + 1)]
        return lines
    lines = [f"l0: &l0 [{', '.join([text] * 9)}]"]
    lines += [f"l{i}: &l{i} [" + ", ".join([f"*l{i - 1}"] * 9) + "]" for i in range(1, levels + 1)]
    return lines


LAUGHS = ("document: doc.md\n" + "\n".join(laughs()) + "\nclaims:\n  - {subject: Lithuania, property: rank,"
          " value: *l9, quote: x}\n").encode()
MERGE_LAUGHS = ("document: doc.md\n" + "\n".join(laughs(merge=True)) + "\nclaims: []\n").encode()
# a text of 1,000 characters, in 10**4 places: 10 MB once expanded, in under 1,000 values
TEXT_LAUGHS = ("document: doc.md\n" + "\n".join(laughs(4, text="x" * 1000)) + "\nclaims: []\n").encode()
FM_LAUGHS = ("---\ntitle: Facts\n" + "\n".join(laughs()) + "\n---\nLithuania ranks 6th.\n").encode()
BIG_NUMBERS = (b"---\ntitle: Numbers\npublished: 2022-05-02\n---\n"
               b"Lithuania now ranks 6th in the National Cyber Security Index.\n"
               b"The pipeline cost 1e999999999 euros and 1E+9999999999999999 dollars in 2022.\n"
               b"Its serial number is " + b"7" * 5000 + b" and it is " + b"9" * 5000 + b"th in line.\n"
               b"The share was 0." + b"3" * 5000 + b"% and it cost EUR 1" + b",000" * 2000 + b" million.\n")


@dataclasses.dataclass(frozen=True)
class Case:
    id: str
    args: tuple
    code: int
    message: str
    files: dict = dataclasses.field(default_factory=dict)
    env: dict = dataclasses.field(default_factory=dict)
    process: bool = False  # a real process, with a time limit and a bound on its peak memory
    store_changes: bool = False  # only for the rows that succeed in writing

    def __str__(self):
        return self.id


CASES = [
    # ---------------------------------------------------------------- numbers in curated claims
    Case("claims-value-1e999999999", ("ingest", "c.yaml"), 4,
         E + f"c.yaml:5: value '1e999999999' is 1e30 or more in size {RANGE_HINT}",
         {"doc.md": DOC, "c.yaml": value('"1e999999999"')}, process=True),
    Case("claims-value-exponent-of-16-digits", ("ingest", "c.yaml"), 4,
         E + f"c.yaml:5: value '1E+9999999999999999' is 1e30 or more in size {RANGE_HINT}",
         {"doc.md": DOC, "c.yaml": value('"1E+9999999999999999"')}, process=True),
    Case("claims-value-plain-1e999", ("ingest", "c.yaml"), 4,
         E + f"c.yaml:5: value '1e999' is 1e30 or more in size {RANGE_HINT}",
         {"doc.md": DOC, "c.yaml": value("1e999")}),
    Case("claims-value-1e30", ("ingest", "c.yaml"), 4,
         E + f"c.yaml:5: value '1000000000000000000000000000000' is 1e30 or more in size {RANGE_HINT}",
         {"doc.md": DOC, "c.yaml": value("1000000000000000000000000000000")}),
    Case("claims-value-tiny-exponent", ("ingest", "c.yaml"), 4,
         E + f"c.yaml:5: value '1e-999999999' is not 0 but under 1e-30 in size {RANGE_HINT}",
         {"doc.md": DOC, "c.yaml": value('"1e-999999999"')}, process=True),
    Case("claims-value-41-significant-digits", ("ingest", "c.yaml"), 4,
         E + f"c.yaml:5: value '1.2345678901234567890123456789012345678901' has more than 40 significant digits"
             f" {RANGE_HINT}", {"doc.md": DOC, "c.yaml": value('"1.2345678901234567890123456789012345678901"')}),
    Case("claims-value-5000-digits", ("ingest", "c.yaml"), 4,
         E + f"c.yaml:5: value '{'9' * 57}...' is over 100 characters long {RANGE_HINT}",
         {"doc.md": DOC, "c.yaml": value("9" * 5000)}, process=True),
    Case("claims-value-huge-hexadecimal", ("ingest", "c.yaml"), 4,
         E + f"c.yaml:5: value '{16 ** 40 - 1}' is 1e30 or more in size {RANGE_HINT}",
         {"doc.md": DOC, "c.yaml": value("0x" + "f" * 40)}),
    Case("claims-occurrence-5000-digits", ("ingest", "c.yaml"), 4,
         E + "c.yaml:8: 'occurrence' must be a whole number from 1",
         {"doc.md": DOC, "c.yaml": claim(*RANK, INDEX, QUOTE, "occurrence: " + "9" * 5000)}, process=True),

    # ---------------------------------------------------------------- YAML aliases, nesting, size
    Case("claims-billion-laughs", ("ingest", "c.yaml"), 4,
         E + f"c.yaml:7: {EXPANDED} (split the file, or use fewer aliases)", {"doc.md": DOC, "c.yaml": LAUGHS},
         process=True),
    Case("claims-billion-laughs-by-merge-keys", ("ingest", "c.yaml"), 4,
         E + f"c.yaml:7: {EXPANDED} (split the file, or use fewer aliases)", {"doc.md": DOC, "c.yaml": MERGE_LAUGHS},
         process=True),
    Case("claims-aliases-of-a-long-text", ("ingest", "c.yaml"), 4,
         E + "c.yaml:6: the YAML holds more than 8,388,608 characters of text once its aliases are expanded (split the"
             " file, or use fewer aliases)", {"doc.md": DOC, "c.yaml": TEXT_LAUGHS}, process=True),
    Case("claims-alias-inside-itself", ("ingest", "c.yaml"), 4,
         E + "c.yaml:2: a YAML alias refers to the collection it is in (remove the alias)",
         {"doc.md": DOC, "c.yaml": b"document: doc.md\nloop: &loop [a, *loop]\nclaims: []\n"}),
    Case("claims-nested-1000-deep", ("ingest", "c.yaml"), 4,
         E + "c.yaml:6: the YAML nests more than 32 levels deep (write it with fewer nested levels)",
         {"doc.md": DOC, "c.yaml": claim(*RANK, "note: " + "[" * 1000 + "]" * 1000, QUOTE)}),
    Case("claims-nested-block-mappings", ("ingest", "c.yaml"), 4,
         E + "c.yaml:35: the YAML nests more than 32 levels deep (write it with fewer nested levels)",
         {"doc.md": DOC, "c.yaml": b"document: doc.md\nclaims: []\n" + b"".join(
             b"  " * i + b"k%d:\n" % i for i in range(100)) + b"  " * 100 + b"end\n"}),
    Case("claims-quote-of-20000-characters", ("ingest", "c.yaml"), 4,
         E + "c.yaml:7: a text of 20,000 characters is over the limit of 10,000 (shorten it)",
         {"doc.md": DOC, "c.yaml": claim(*RANK, INDEX, "quote: " + "x" * 20000)}),
    Case("claims-subject-of-a-megabyte", ("ingest", "c.yaml"), 4,
         E + "c.yaml:3: a text of 1,048,576 characters is over the limit of 10,000 (shorten it)",
         {"doc.md": DOC, "c.yaml": claim("subject: " + "L" * MIB, "property: rank", "value: 6", QUOTE)},
         process=True),
    Case("claims-10001-claims", ("ingest", "c.yaml"), 4,
         E + "c.yaml:10003: the file has more than 10,000 claims (split it into several files)",
         {"doc.md": DOC, "c.yaml": b"document: doc.md\nclaims:\n" + b"  - {subject: Lithuania}\n" * 10001},
         process=True),
    Case("claims-file-of-5-mib", ("ingest", "c.yaml"), 4,
         E + "c.yaml: the file is 5,242,880 bytes, over the limit of 4,194,304 bytes for a curated-claims file"
             " (split it into several files)", {"doc.md": DOC, "c.yaml": 5 * MIB}, process=True),

    # ---------------------------------------------------------------- front matter
    Case("front-matter-time-25-99-99", ("ingest", "fm.md"), 4,
         E + "fm.md:3: front matter 'published': '2022-05-02T25:99:99' has no hour 25 (write e.g. 2022-05-02 or"
             " 2022-05-02T10:30:00Z)",
         {"fm.md": b"---\ntitle: Facts\npublished: 2022-05-02T25:99:99\n---\nLithuania ranks 6th.\n"}),
    Case("front-matter-minute-60", ("ingest", "fm.md"), 4,
         E + "fm.md:2: front matter 'retrieved': '2022-05-02T10:60:00Z' has no minute 60 (write e.g. 2022-05-02 or"
             " 2022-05-02T10:30:00Z)", {"fm.md": b"---\nretrieved: 2022-05-02T10:60:00Z\n---\nLithuania ranks 6th.\n"}),
    Case("front-matter-time-not-a-time", ("ingest", "fm.md"), 4,
         E + "fm.md:2: front matter 'published': '2022-05-02Tnoon' is not an ISO date and time (YYYY-MM-DDThh:mm:ss)"
             " (write e.g. 2022-05-02 or 2022-05-02T10:30:00Z)",
         {"fm.md": b"---\npublished: 2022-05-02Tnoon\n---\nLithuania ranks 6th.\n"}),
    Case("front-matter-billion-laughs", ("ingest", "fm.md"), 4,
         E + f"fm.md:8: front matter: {EXPANDED} (use fewer aliases)", {"fm.md": FM_LAUGHS}, process=True),
    Case("front-matter-nested-1000-deep", ("ingest", "fm.md"), 4,
         E + "fm.md:2: front matter: the YAML nests more than 32 levels deep (write it with fewer nested levels)",
         {"fm.md": b"---\ntags: " + b"[" * 1000 + b"]" * 1000 + b"\n---\nLithuania ranks 6th.\n"}),
    Case("front-matter-of-2-mib", ("ingest", "fm.md"), 4,
         E + "fm.md:2: front matter is 2,097,173 characters, over the limit of 1,048,576 (keep the fields (title, url,"
             " published, retrieved) short)",
         {"fm.md": b"---\ntitle: Facts\nnotes: " + b"x" * (2 * MIB) + b"\n---\nLithuania ranks 6th.\n"},
         process=True),
    Case("front-matter-number-of-5000-digits", ("ingest", "fm.md"), 4,
         E + f"fm.md:2: front matter 'published': '{'2' * 57}...' is not an ISO date (YYYY, YYYY-MM or YYYY-MM-DD)",
         {"fm.md": b"---\npublished: " + b"2" * 5000 + b"\n---\nLithuania ranks 6th.\n"}, process=True),

    # ---------------------------------------------------------------- numbers in document text (the extractors)
    Case("document-with-huge-numbers-succeeds", ("ingest", "n.md"), 0,
         "1 document(s): 1 added, 0 updated, 0 unchanged; 1 claim(s)", {"n.md": BIG_NUMBERS},
         env={"LITHKG_EXTRACTORS": "curated,frames"}, process=True, store_changes=True),

    # ---------------------------------------------------------------- settings
    Case("settings-max-document-size-100g", ("ingest", "doc.md"), 2,
         E + f"LITHKG_MAX_DOCUMENT_SIZE: {SIZE}, not '100G'", {"doc.md": DOC},
         env={"LITHKG_MAX_DOCUMENT_SIZE": "100G"}, process=True),
    Case("settings-max-document-size-zero", ("ingest", "doc.md"), 2,
         E + f"LITHKG_MAX_DOCUMENT_SIZE: {SIZE}, not '0'", {"doc.md": DOC}, env={"LITHKG_MAX_DOCUMENT_SIZE": "0"}),
    Case("settings-max-document-size-negative", ("ingest", "doc.md"), 2,
         E + f"LITHKG_MAX_DOCUMENT_SIZE: {SIZE}, not '-64M'", {"doc.md": DOC},
         env={"LITHKG_MAX_DOCUMENT_SIZE": "-64M"}),
    Case("settings-max-document-size-words", ("ingest", "doc.md"), 2,
         E + f"LITHKG_MAX_DOCUMENT_SIZE: {SIZE}, not 'lots'", {"doc.md": DOC},
         env={"LITHKG_MAX_DOCUMENT_SIZE": "lots"}),
    Case("settings-max-document-size-5000-digits", ("ingest", "doc.md"), 2,
         E + f"LITHKG_MAX_DOCUMENT_SIZE: {SIZE}, not '{'9' * 37}...'", {"doc.md": DOC},
         env={"LITHKG_MAX_DOCUMENT_SIZE": "9" * 5000}),
    Case("settings-query-timeout-huge", ("query", "-e", "ASK {}"), 2,
         E + f"LITHKG_QUERY_TIMEOUT: {TIMEOUT}, not '1e999'", env={"LITHKG_QUERY_TIMEOUT": "1e999"}),
    Case("settings-query-timeout-negative", ("query", "-e", "ASK {}"), 2,
         E + f"LITHKG_QUERY_TIMEOUT: {TIMEOUT}, not '-1'", env={"LITHKG_QUERY_TIMEOUT": "-1"}),
    Case("settings-query-timeout-nan", ("query", "-e", "ASK {}"), 2,
         E + f"LITHKG_QUERY_TIMEOUT: {TIMEOUT}, not 'nan'", env={"LITHKG_QUERY_TIMEOUT": "nan"}),
]


def run_process(case: Case, store: Path, tmp: Path, work: Path) -> tuple[int, str, str, int, float]:
    """The command as a real process (killed after 60 s): exit code, stdout, stderr, peak RSS in bytes, wall time."""
    env = {k: v for k, v in os.environ.items() if not k.startswith("LITHKG_")}
    env.update({"LITHKG_EXTRACTORS": "curated", **case.env})
    peak_file = tmp / "peak-rss"
    started = time.monotonic()
    r = subprocess.run([sys.executable, "-c", MEASURE, str(peak_file), sys.executable, "-m", "lithkg.cli",
                        "--store", str(store), *case.args], stdin=subprocess.DEVNULL, capture_output=True,
                       cwd=str(work), env=env, timeout=60)
    return (r.returncode, r.stdout.decode(errors="replace"), r.stderr.decode(errors="replace"),
            int(peak_file.read_text()) * 1024, time.monotonic() - started)


@pytest.mark.parametrize("case", CASES, ids=str)
def test_hostile_curated_input(case: Case, base_store, tmp_path, monkeypatch):
    store, work, before, files_before = copies(base_store, tmp_path, case.files)
    if case.process:
        code, stdout, stderr, peak, elapsed = run_process(case, store, tmp_path, work)
        assert peak < PEAK, f"peak RSS {peak / MIB:.0f} MiB"
        assert elapsed < 30, f"{elapsed:.1f} s"
    else:
        code, stdout, stderr = invoke_in(work, store, case.args, monkeypatch=monkeypatch, env=case.env)
    if case.code == 0:
        assert code == 0, stderr
        assert stderr.splitlines()[-1] == case.message
    else:
        assert (code, stderr) == (case.code, case.message + "\n")
        assert stdout == ""
    if not case.store_changes:
        assert digest(store) == before, "the store changed"
    assert digest(work) == files_before, "a file was left behind or changed in the working folder"


def test_the_table_has_a_row_for_every_kind_of_input():
    assert len({c.id for c in CASES}) == len(CASES)
    kinds = {c.id.split("-")[0] for c in CASES}
    assert kinds == {"claims", "front", "document", "settings"}


# ------------------------------------------------------------------------------------------------ number bounds
@pytest.mark.parametrize("number,lexical", [
    ("6", "6"), (6, "6"), ("0.06", "0.06"), (0.06, "0.06"), ("1600000000", "1600000000"), (" 7 ", "7"),
    ("-.5e2", "-50"), ("+3", "3"), ("1.", "1"), ("0e999999999999", "0"), ("0.000", "0"),
    ("9.99e29", "999000000000000000000000000000"), ("-9" * 1 + "9" * 29, "-" + "9" * 30),
    ("1e-30", "0." + "0" * 29 + "1"), ("1" * 30, "1" * 30), ("1." + "1" * 39, "1." + "1" * 39),
    (10 ** 30 - 1, "9" * 30), (Decimal("1.5E+3"), "1500"),
])
def test_numbers_within_the_bounds(number, lexical):
    assert Value.number(number).lexical == lexical


@pytest.mark.parametrize("number,reason", [
    ("1e30", "is 1e30 or more in size"), ("-1e30", "is 1e30 or more in size"),
    ("1e999999999", "is 1e30 or more in size"), ("1E+9999999999999999", "is 1e30 or more in size"),
    ("1" * 31, "is 1e30 or more in size"), ("0.001e33", "is 1e30 or more in size"),
    (10 ** 30, "is 1e30 or more in size"), pytest.param(10 ** 5000, "is 1e30 or more in size", id="10**5000"),
    (1e300, "is 1e30 or more in size"),
    (Decimal("1E+999999999"), "is 1e30 or more in size"),
    ("1e-31", "is not 0 but under 1e-30 in size"), ("1e-999999999", "is not 0 but under 1e-30 in size"),
    ("0." + "0" * 30 + "1", "is not 0 but under 1e-30 in size"),
    ("1" * 41 + "e-20", "has more than 40 significant digits"),
    ("0." + "1" * 41, "has more than 40 significant digits"),
    ("0" * 99 + "1" * 2, "is over 100 characters long"), ("7" * 5000, "is over 100 characters long"),
])
def test_numbers_out_of_the_bounds_are_refused_by_their_text(number, reason):
    with pytest.raises(NumberRangeError) as exc:
        Value.number(number)
    assert exc.value.reason == reason


@pytest.mark.parametrize("number", ["abc", "1,000", "0x10", "1e", ".", "e5", "inf", "-Infinity", "NaN", "1_000",
                                    float("inf"), float("nan"), Decimal("NaN"), [6], {"a": 1}, True])
def test_what_is_no_number_is_a_value_error(number):
    with pytest.raises(ValueError):
        Value.number(number)


def test_the_check_is_quick_on_any_text():
    started = time.monotonic()
    for text in ("1e" + "9" * 10 ** 6, "9" * 10 ** 6, "1" + "0" * 10 ** 6 + "e-999999", "1e999999999"):
        with pytest.raises(NumberRangeError):
            check_number(text)
    assert time.monotonic() - started < 1


def test_extracted_numbers_out_of_the_bounds_are_not_values():
    text = ("It cost 1e999999999 euros, " + "7" * 5000 + " people and 1" + ",000" * 2000 + " km, "
            "0." + "3" * 5000 + "% and 999,999,999,999,999,999,999 trillion dollars; the " + "9" * 5000 + "th.")
    numbers = find_numbers(text)
    assert all(abs(m.value) < Decimal(10) ** 30 for m in numbers)
    assert [m.value for m in find_ordinals(text)] == []
    assert [m.value for m in find_numbers("about 44.5 thousand and $1.6 billion")] == [44500, 1600000000]


# ------------------------------------------------------------------------------------------------ YAML bounds
def test_aliases_within_the_bounds_are_read(tmp_path):
    path = tmp_path / "c.yaml"
    path.write_text("document: doc.md\nq: &q {index: National Cyber Security Index}\nclaims:\n"
                    "  - {subject: Lithuania, property: rank, value: 6, qualifiers: *q, quote: x}\n"
                    "  - {subject: Lithuania, property: rank, value: 7, qualifiers: *q, quote: y}\n")
    cf = load_claims_file(path, name="c.yaml")
    assert [e.fields["qualifiers"] for e in cf.entries] == [{"index": "National Cyber Security Index"}] * 2


@pytest.mark.parametrize("text,message", [
    ("document: d.md\n" + "\n".join(laughs()) + "\nclaims: []\n", f"c.yaml:7: {EXPANDED}"),
    ("document: d.md\nclaims:\n" + "  - {subject: A}\n" * (MAX_CLAIMS + 1),
     f"c.yaml:{MAX_CLAIMS + 3}: the file has more than 10,000 claims"),
    ("document: d.md\nclaims:\n  - {note: " + "y" * (MAX_TEXT + 1) + "}\n",
     "c.yaml:3: a text of 10,001 characters is over the limit of 10,000"),
    ("document: d.md\nclaims: []\nx: " + "{a: " * 33 + "1" + "}" * 33 + "\n",
     "c.yaml:3: the YAML nests more than 32 levels deep"),
])
def test_claims_file_bounds(tmp_path, text, message):
    path = tmp_path / "c.yaml"
    path.write_text(text)
    with pytest.raises(ClaimsFileError) as exc:
        load_claims_file(path, name="c.yaml")
    assert str(exc.value).split(" (")[0] == message


def test_claims_file_size_is_checked_before_it_is_read(tmp_path):
    path = tmp_path / "c.yaml"
    with path.open("wb") as f:
        f.truncate(MAX_FILE_SIZE + 1)
    with pytest.raises(ClaimsFileError, match="over the limit of 4,194,304 bytes"):
        load_claims_file(path, name="c.yaml")


def test_depth_32_is_read_and_33_is_not():
    assert yamlsafe.load("[" * 32 + "]" * 32)[0] is not None
    with pytest.raises(yamlsafe.YamlLimitError):
        yamlsafe.load("[" * 33 + "]" * 33)


def test_front_matter_bounds():
    with pytest.raises(DocumentError, match="over the limit of 1,048,576"):
        split_front_matter("---\nx: " + "y" * MAX_FRONT_MATTER + "\n---\ntext\n", "d.md")
    assert split_front_matter("---\npublished: 2022-05-02T23:59:59+02:00\n---\ntext\n", "d.md")[0] == \
        {"published": "2022-05-02"}


@pytest.mark.parametrize("text,date", [("2022", "2022"), ("2022-05-02", "2022-05-02"),
                                       ("2022-05-02T10:30", "2022-05-02"), ("2022-05-02T00:00:00.5Z", "2022-05-02"),
                                       ("2022-05-02T23:59:59-14:00", "2022-05-02")])
def test_dates_and_times(text, date):
    assert parse_iso_datetime(text) == date


@pytest.mark.parametrize("text,message", [
    ("2022-05-02T24:00", "'2022-05-02T24:00' has no hour 24"),
    ("2022-05-02T10:30:60", "'2022-05-02T10:30:60' has no second 60"),
    ("2022-05-02T10:30+15:00", "'2022-05-02T10:30+15:00' has no time zone hour 15"),
    ("2022-02-30T10:30", "'2022-02-30T10:30' is not a real day"),
    ("2022-05T10:30", "'2022-05T10:30' is not an ISO date and time (YYYY-MM-DDThh:mm:ss)"),
])
def test_impossible_times(text, message):
    with pytest.raises(ValueError) as exc:
        parse_iso_datetime(text)
    assert str(exc.value) == message
