"""Bounded fuzzing of lithkg's input readers, driven by hypothesis (no atheris, no corpus on disk).

    python benchmarks/fuzz.py --seconds 60 [--seed N] [--targets parse_document,load_claims_file,extract]

Each target runs for ``--seconds`` on inputs hypothesis generates: arbitrary bytes, UTF-8 text, front matter and
YAML built from the characters and keys that matter, HTML fragments, and mutations of all of them.

* ``parse_document``: the document reader on any bytes as .txt, .md or .html. It must return a Document (text
  without carriage returns, a content hash that is its text's, a real ISO source date) or raise lithkg's
  DocumentError / InputError, with a line number inside the input; anything else is a failure.
* ``load_claims_file``: the curated-claims loader on any bytes. It must return entries (each with a line inside
  the file) or raise ClaimsFileError / InputError; anything else is a failure.
* ``extract``: the document reader and the automatic extractor together; every claim's span must lie in the text
  and quote it exactly.

Per target it prints examples tried, examples/s, failures, the outcomes and the slowest example; the last line
sums up. On any unexpected exception it prints the minimal failing input (hypothesis shrinks it) and exits 1.
"""
from __future__ import annotations

import argparse
import atexit
import collections
import hashlib
import re
import shutil
import sys
import tempfile
import time
import traceback
from pathlib import Path

import yaml
from hypothesis import HealthCheck, Phase, given, seed, settings
from hypothesis import strategies as st

from lithkg.extract.documents import parse_document
from lithkg.errors import InputError
from lithkg.model import parse_iso_date

# --------------------------------------------------------------------------- inputs
YAML_KEYS = ["document", "claims", "subject", "property", "value", "unit", "bound", "time", "from", "until",
             "qualifiers", "quote", "occurrence", "confidence", "note", "title", "url", "published", "retrieved",
             "focus", "index", "located in"]
YAML_BITS = [": ", ":", "- ", "-", "\n", "\n  ", "\n    ", "  - ", "[", "]", "{", "}", ", ", "'", '"', "#", "&a ", "*a",
             "!!binary ", "!!python/object:os.system ", "!!set ", "!!omap ", "!!timestamp ", "!!str ", "!!int ",
             "? ", "|", ">", "%YAML 1.1\n", "---\n", "...\n", "~", "null", "true", ".nan", ".inf", "0x1F", "0o17",
             "1_000", "2022", "2022-05-01", "2022-13-40", "0000", "99999-01-01", "2022-05-01T10:00:00Z", "\\0",
             '"\\0"', '"\\ud800"', '"\\x00"', '"\\N"', "\t", "\r", "\ufeff", "Lithuania", "rank", "6", "km", "6th",
             "lower", "National Cyber Security Index", "../x.md", "/etc/passwd", "https://a.example/p", "<<: *a"]
HTML_BITS = ["<p>", "</p>", "<tr>", "<td>", "</td>", "<th>", "</tr>", "<table>", "<script>", "</script>", "<style>",
             "<!--", "-->", "<![CDATA[", "]]>", "<title>", "</title>", "&amp;", "&#0;", "&#xD800;", "&#x110000;",
             "&nbsp;", "<br>", "<div>", "</div>", "<html>", "<body>", "<?xml version='1.0'?>", "<!DOCTYPE html>",
             "<a href='http://127.0.0.1:9/'>", "<img src=x>", "<", ">", "&", "\x00", "\x0c", "\u2028"]
PROSE_BITS = ["Lithuania ranks 6th in the National Cyber Security Index", "in 2022", "last year", "1,234,567",
              "$1.6 billion", "EUR 558 million", "0.06% of GDP", "more than a million people joined", "the 508 km",
              "23 August 1989", "2022-05-01", "1800-00-00", "31 years after the Baltic Way", "| 1 | 2 |", "[1]",
              ". ", "\n", "\n\n", "# ", "- ", "\r\n", "\u0130", "\u00df", "\ufb01", "\u200b", "\U0001f600"]


def _mutate(data: bytes, edits) -> bytes:
    out = bytearray(data)
    for pos, chunk, delete in edits:
        pos = pos % (len(out) + 1)
        out[pos:pos + delete] = chunk
    return bytes(out)


def _joined(bits, extra=st.text(max_size=8)):
    return st.lists(st.one_of(st.sampled_from(bits), extra), max_size=40).map("".join)


def _bytes_of(text_strategy):
    return text_strategy.map(lambda s: s.encode("utf-8", "surrogatepass"))


def _with_mutations(strategy):
    edits = st.lists(st.tuples(st.integers(0, 1 << 16), st.binary(max_size=4), st.integers(0, 3)), max_size=4)
    return st.one_of(strategy, st.builds(_mutate, strategy, edits))


yamlish = _joined(YAML_BITS + YAML_KEYS)
front_matter = st.builds(lambda fm, body, close: f"---\n{fm}\n{close}\n{body}", yamlish,
                         _joined(PROSE_BITS + HTML_BITS), st.sampled_from(["---", "...", "--- ", ""]))
document_bytes = _with_mutations(st.one_of(
    st.binary(max_size=2048),
    _bytes_of(st.text(max_size=400)),
    _bytes_of(_joined(PROSE_BITS)),
    _bytes_of(_joined(HTML_BITS + PROSE_BITS)),
    _bytes_of(front_matter),
    st.integers(1, 3000).map(lambda n: b"<div>" * n + b"x"),
    st.integers(1, 600).map(lambda n: b"---\n" + b"[" * n + b"\n---\nx"),  # PyYAML recurses per level
))
scalar = st.one_of(st.sampled_from(YAML_BITS + YAML_KEYS), st.text(max_size=12), st.integers(), st.floats(),
                   st.booleans(), st.none(), st.dates())
claim_entry = st.dictionaries(st.sampled_from(YAML_KEYS[:15] + ["bogus"]),
                              st.one_of(scalar, st.dictionaries(st.sampled_from(YAML_KEYS), scalar, max_size=2),
                                        st.lists(scalar, max_size=2)), max_size=8)
claims_file = st.builds(lambda doc, claims, extra: {**({"document": doc} if doc is not None else {}),
                                                    "claims": claims, **extra},
                        st.one_of(st.none(), st.sampled_from(["doc.md", "../sources/x.md", "https://a.example/p", ""]),
                                  scalar),
                        st.one_of(st.lists(claim_entry, max_size=4), scalar), st.dictionaries(st.text(max_size=5),
                                                                                              scalar, max_size=2))
claims_bytes = _with_mutations(st.one_of(
    st.binary(max_size=2048),
    claims_file.map(lambda d: yaml.safe_dump(d, allow_unicode=True).encode("utf-8")),
    claims_file.map(lambda d: yaml.safe_dump(d, default_flow_style=True).encode("utf-8")),
    _bytes_of(yamlish),
    _bytes_of(st.builds(lambda a, b: f"document: {a}\nclaims:\n{b}", _joined(YAML_BITS, st.just("doc.md")),
                        _joined(YAML_BITS + YAML_KEYS))),
    _bytes_of(st.text(max_size=200)),
    st.integers(1, 600).map(lambda n: b"claims: " + b"[" * n),
    st.integers(1, 600).map(lambda n: b"document: x\nclaims:\n" + b"  - {subject: " * n),
))
media = st.sampled_from(["d.txt", "d.md", "d.html", "d"])


# --------------------------------------------------------------------------- checks
class Unexpected(Exception):
    """An outcome the target's contract does not allow (a wrong offset, a quote that is not the text)."""


def _lines(data: bytes) -> int:
    """Lines as YAML and Python's text mode count them (CR, LF, CRLF, NEL, LS, PS end a line)."""
    return len(re.findall("\r\n|\r|\n|\x85|\u2028|\u2029", data.decode("utf-8", "replace"))) + 1


def _check_error_line(exc: InputError, data: bytes) -> None:
    lines = _lines(data)
    if exc.line is not None and not 1 <= exc.line <= lines:
        raise Unexpected(f"error line {exc.line} is outside the input's {lines} line(s): {exc}")
    m = re.search(r"\(byte (\d+)\)", exc.message)
    if m and not int(m.group(1)) < len(data):
        raise Unexpected(f"error byte {m.group(1)} is outside the input's {len(data)} bytes: {exc}")


def _read(data: bytes, name: str):
    mt = {"d.txt": "text/plain", "d.md": "text/markdown", "d.html": "text/html"}.get(name)
    try:
        doc = parse_document(data, name=name, media_type=mt)
    except InputError as exc:
        _check_error_line(exc, data)
        return None, "input error"
    if "\r" in doc.text or not doc.text.strip():
        raise Unexpected(f"the document text has a carriage return or nothing in it: {doc.text[:80]!r}")
    if doc.content_hash != "sha256:" + hashlib.sha256(doc.text.encode("utf-8")).hexdigest():
        raise Unexpected("the content hash is not the text's")
    for field in (doc.source_date, doc.published, doc.retrieved):
        if field is not None:
            parse_iso_date(field)
    return doc, "document"


def check_parse_document(case) -> str:
    data, name = case
    return _read(data, name)[1]


_CLAIMS_DIR = tempfile.mkdtemp(prefix="lithkg-fuzz-")
atexit.register(shutil.rmtree, _CLAIMS_DIR, ignore_errors=True)


def check_load_claims_file(data: bytes) -> str:
    from lithkg.extract.curated import load_claims_file

    path = Path(_CLAIMS_DIR) / "claims.yaml"
    path.write_bytes(data)
    try:
        loaded = load_claims_file(path, name="claims.yaml")
    except InputError as exc:
        _check_error_line(exc, data)
        return "input error"
    lines = _lines(data)
    for entry in loaded.entries:
        if not 1 <= entry.line <= lines or any(not 1 <= n <= lines for n in entry.lines.values()):
            raise Unexpected(f"entry line {entry.line} / {entry.lines} outside the file's {lines} line(s)")
        if not isinstance(entry.document, str):
            raise Unexpected(f"entry document is not a text: {entry.document!r}")
    return f"{len(loaded.entries)} entries" if len(loaded.entries) < 3 else "3+ entries"


def check_extract(case) -> str:
    from lithkg import extract
    from lithkg.rdf.ontology import load

    data, name = case
    doc, outcome = _read(data, name)
    if doc is None:
        return outcome
    claims = extract.run(["frames"], doc, extract.ExtractionContext(ontology=load()))
    for c in claims:
        ev = c.evidence
        if not (0 <= ev.start < ev.end <= len(doc.text) and doc.text[ev.start:ev.end] == ev.quote):
            raise Unexpected(f"span {ev.start}..{ev.end} does not quote the text ({len(doc.text)} chars): {ev}")
    return "claims" if claims else "no claims"


TARGETS = {
    "parse_document": (st.tuples(document_bytes, media), check_parse_document),
    "load_claims_file": (claims_bytes, check_load_claims_file),
    "extract": (st.tuples(_with_mutations(_bytes_of(_joined(PROSE_BITS + HTML_BITS[:12]))), media), check_extract),
}


WARM_UP = {"parse_document": (b"Lithuania ranks 6th.", "d.html"), "load_claims_file": b"claims: []\n",
           "extract": (b"Lithuania ranks 6th in the National Cyber Security Index.", "d.txt")}


# --------------------------------------------------------------------------- the driver
def fuzz(name: str, seconds: float, base_seed: int) -> dict:
    strategy, check = TARGETS[name]
    check(WARM_UP[name])  # loads the ontology and spaCy once, outside the timing
    stats = {"examples": 0, "failures": 0, "outcomes": collections.Counter(), "slowest_ms": 0.0, "failure": None,
             "busy": 0.0}
    started = time.monotonic()
    stop = started + seconds
    state = {"shrinking": False, "last_failure": None}

    def body(case):
        if time.monotonic() > stop and not state["shrinking"]:
            return
        t0 = time.perf_counter()
        try:
            outcome = check(case)
        except BaseException as exc:  # anything but the allowed outcomes, KeyboardInterrupt aside
            if isinstance(exc, KeyboardInterrupt):
                raise
            state["shrinking"] = True
            state["last_failure"] = (case, exc)
            raise
        finally:
            elapsed = (time.perf_counter() - t0) * 1000
        if not state["shrinking"]:
            stats["busy"] = time.monotonic() - started  # until the last example tried (not the shrinking after)
            stats["examples"] += 1
            stats["outcomes"][outcome] += 1
            if elapsed > stats["slowest_ms"]:
                stats["slowest_ms"], stats["slowest"] = elapsed, case

    batch = 0
    while time.monotonic() < stop:
        options = settings(max_examples=200, deadline=None, database=None, derandomize=False,
                           phases=[Phase.generate, Phase.shrink], report_multiple_bugs=False, print_blob=False,
                           suppress_health_check=list(HealthCheck))
        run = options(seed(base_seed * 1_000_003 + batch)(given(strategy)(body)))
        batch += 1
        try:
            run()
        except Exception:
            case, exc = state["last_failure"] or (None, sys.exc_info()[1])
            stats["failures"] += 1
            stats["failure"] = (case, exc)
            break
    stats["seconds"] = time.monotonic() - started
    return stats


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--seconds", type=float, default=60.0, help="time budget per target (default 60)")
    parser.add_argument("--seed", type=int, default=0, help="seed of the generated inputs (default 0)")
    parser.add_argument("--targets", default=",".join(TARGETS), help=f"comma-separated, of: {', '.join(TARGETS)}")
    args = parser.parse_args(argv)
    names = [t.strip() for t in args.targets.split(",") if t.strip()]
    unknown = [t for t in names if t not in TARGETS]
    if unknown:
        parser.error(f"unknown target(s) {unknown}: use {', '.join(TARGETS)}")
    total_examples, total_failures, total_seconds = 0, 0, 0.0
    for name in names:
        s = fuzz(name, args.seconds, args.seed)
        rate = s["examples"] / s["busy"] if s["busy"] else 0.0
        outcomes = ", ".join(f"{k} {v}" for k, v in sorted(s["outcomes"].items()))
        print(f"{name:<17} {s['examples']:>8} examples  {rate:>8.1f}/s  {s['failures']} failures  "
              f"(slowest {s['slowest_ms']:.0f} ms; {outcomes})", flush=True)
        if s.get("slowest") is not None:
            print(f"  slowest input: {s['slowest']!r}"[:160])
        if s["failure"] is not None:
            case, exc = s["failure"]
            where = traceback.extract_tb(exc.__traceback__)[-1]
            print(f"  {type(exc).__name__}: {str(exc).splitlines()[0] if str(exc) else ''}"
                  f"  (at {Path(where.filename).name}:{where.lineno} in {where.name})")
            print(f"  minimal failing input: {case!r}")
        total_examples += s["examples"]
        total_failures += s["failures"]
        total_seconds += s["seconds"]
    print(f"fuzz: {len(names)} target(s), {total_examples} examples in {total_seconds:.0f} s, "
          f"{total_failures} failures")
    return 1 if total_failures else 0


if __name__ == "__main__":
    sys.exit(main())
