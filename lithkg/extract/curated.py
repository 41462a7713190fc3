"""Curated claims: the claims people write down, in YAML, next to the documents they quote.

::

    document: ../sources/official-page-2022.md    # relative to this file (or a url of an ingested source)
    claims:
      - subject: Lithuania                         # entity label, alias or slug (ontology/entities.ttl)
        property: rank                             # property name or label (ontology/frames.ttl)
        value: 6                                   # number, ISO date, entity label, or text
        unit: km                                   # for quantities, money and shares (ontology/units.ttl)
        bound: lower                               # lower | upper | approx
        time: "2022"                               # when the value holds; or from: / until:
        qualifiers: {index: National Cyber Security Index}
        quote: "ranks 6th worldwide in the National Cyber Security Index"
        occurrence: 2                              # which occurrence of the quote, when there are several

Each claim may also name its own ``document``. Every problem is reported with the YAML file and line.
"""
from __future__ import annotations

import dataclasses
import datetime as _dt
import os
import re
from pathlib import Path

import yaml

from . import yamlsafe
from ..errors import ClaimsFileError, UnknownTermError
from ..model import (NUMBER_BOUNDS, Claim, Evidence, NumberRangeError, Qualifier, TimeSpec, Value, parse_iso_date, shorten)
from .yamlsafe import YAML_VALUE_ERRORS, YamlLimitError
from . import ExtractionContext, register
from .entities import scope_key


def _gazetteer(ontology):
    from .frames import gazetteer as cached
    return cached(ontology)

CLAIM_KEYS = {"document", "subject", "property", "value", "unit", "bound", "time", "from", "until", "qualifiers",
              "quote", "occurrence", "confidence", "note"}
BOUND_WORDS = {"lower": "lower", "upper": "upper", "approx": "approx", "approximate": "approx",
               "more than": "lower", "at least": "lower", "less than": "upper", "at most": "upper", "about": "approx"}


@dataclasses.dataclass(frozen=True)
class Entry:
    """One curated claim as written, with where it was written."""

    path: str
    line: int
    document: str
    fields: dict
    lines: dict

    def error(self, message: str, key: str | None = None, hint: str | None = None, cls=ClaimsFileError):
        return cls(message, path=self.path, line=self.lines.get(key, self.line), hint=hint)


@dataclasses.dataclass(frozen=True)
class ClaimsFile:
    path: str
    entries: tuple[Entry, ...]


MAX_FILE_SIZE = 4 * 1024 * 1024  # bytes of one curated-claims file
MAX_CLAIMS = 10_000              # claims in one file
MAX_TEXT = 10_000                # characters of one text in it (a quote, a note, a label)


class ClaimsLoader(yamlsafe.TextDateLoader):
    """The bounded YAML loader (:mod:`lithkg.extract.yamlsafe`), with texts of at most :data:`MAX_TEXT` characters."""

    max_scalar = MAX_TEXT


def is_claims_path(path: Path) -> bool:
    return path.suffix.lower() in (".yaml", ".yml")


def load_claims_file(path: Path, *, name: str | None = None) -> ClaimsFile:
    """Parse a curated-claims file; documents are resolved relative to it (paths) or kept as urls."""
    name = name or str(path)
    try:
        with path.open("rb") as f:
            size = os.fstat(f.fileno()).st_size
            data = f.read(MAX_FILE_SIZE + 1) if size <= MAX_FILE_SIZE else b""
        if size > MAX_FILE_SIZE or len(data) > MAX_FILE_SIZE:
            said = f"{size:,} bytes, " if size > MAX_FILE_SIZE else ""
            raise ClaimsFileError(f"the file is {said}over the limit of {MAX_FILE_SIZE:,} bytes for a curated-claims"
                                  " file", path=name, hint="split it into several files")
        text = data.decode("utf-8")
    except UnicodeDecodeError:
        raise ClaimsFileError("the file is not UTF-8 text", path=name) from None
    except OSError as exc:
        raise ClaimsFileError(f"cannot read the file: {exc.strerror}", path=name) from None
    try:
        data, root = yamlsafe.load(text, ClaimsLoader)
    except YamlLimitError as exc:
        raise ClaimsFileError(exc.message, path=name, line=exc.problem_mark.line + 1, hint=exc.hint) from None
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        raise ClaimsFileError(f"not valid YAML: {getattr(exc, 'problem', None) or exc}", path=name,
                              line=mark.line + 1 if mark else None, column=mark.column + 1 if mark else None,
                              hint="fix the YAML syntax") from None
    except RecursionError:  # PyYAML composes nested collections recursively
        raise ClaimsFileError("the YAML is nested too deeply", path=name, line=1, hint="fix the YAML syntax") from None
    except YAML_VALUE_ERRORS as exc:
        raise ClaimsFileError(f"not valid YAML: a tagged value cannot be read ({exc})", path=name, line=1,
                              hint="fix the YAML syntax") from None
    if not isinstance(data, dict) or not isinstance(root, yaml.MappingNode):
        raise ClaimsFileError("a curated-claims file is a mapping with 'document' and 'claims'", path=name, line=1)
    keys = {k.value: v for k, v in root.value if isinstance(k, yaml.ScalarNode)}
    claims_node = keys.get("claims")
    if not isinstance(data.get("claims"), list) or not isinstance(claims_node, yaml.SequenceNode):
        raise ClaimsFileError("'claims' must be a list of claims", path=name,
                              line=(claims_node.start_mark.line + 1) if claims_node is not None else 1)
    if len(claims_node.value) > MAX_CLAIMS:
        raise ClaimsFileError(f"the file has more than {MAX_CLAIMS:,} claims", path=name,
                              line=claims_node.value[MAX_CLAIMS].start_mark.line + 1,
                              hint="split it into several files")
    default_doc = data.get("document")
    if default_doc is not None and not isinstance(default_doc, str):
        raise ClaimsFileError("'document' must be a path or url", path=name,
                              line=keys["document"].start_mark.line + 1)
    entries = []
    for item, node in zip(data["claims"], claims_node.value):
        line = node.start_mark.line + 1
        if not isinstance(item, dict) or not isinstance(node, yaml.MappingNode):
            raise ClaimsFileError("each claim must be a mapping (subject, property, value, quote, ...)",
                                  path=name, line=line)
        lines = {k.value: k.start_mark.line + 1 for k, _ in node.value if isinstance(k, yaml.ScalarNode)}
        if "document" not in lines and "document" in keys:  # the file's own 'document:' line, for its errors
            lines["document"] = keys["document"].start_mark.line + 1
        unknown = sorted(str(k) for k in item if k not in CLAIM_KEYS)
        if unknown:
            raise ClaimsFileError(f"unknown key '{shorten(unknown[0])}' in a claim", path=name,
                                  line=lines.get(unknown[0], line),
                                  hint=f"known keys: {', '.join(sorted(CLAIM_KEYS))}")
        doc = item.get("document", default_doc)
        if not isinstance(doc, str) or not doc.strip():
            raise ClaimsFileError("the claim names no document", path=name, line=line,
                                  hint="add 'document: PATH' at the top of the file or to the claim")
        if "\x00" in doc:  # no path or url holds one (and the file system refuses it)
            raise ClaimsFileError("the claim's document has a NUL character in its name", path=name,
                                  line=lines.get("document", line), hint="fix the 'document:' path")
        entries.append(Entry(name, line, resolve_document_ref(doc, path), item, lines))
    return ClaimsFile(name, tuple(entries))


def resolve_document_ref(ref: str, claims_path: Path) -> str:
    """A url stays as it is; a path is made absolute relative to the claims file's folder."""
    if re.match(r"^[a-z][a-z0-9+.-]*://", ref):
        return ref
    return str((claims_path.parent / ref).resolve())


def _as_date(value, entry: Entry, key: str) -> str:
    if isinstance(value, _dt.datetime):
        value = value.date()
    if isinstance(value, _dt.date):
        return value.isoformat()
    try:
        return parse_iso_date(str(value))
    except ValueError as exc:
        raise entry.error(f"'{key}': {exc}", key, hint="write an ISO date: 2022, 2022-03 or 2022-03-15") from None


def _value(entry: Entry, prop, ontology) -> tuple[Value, str | None]:
    raw = entry.fields.get("value")
    if raw is None or raw == "":
        raise entry.error("the claim has no value", hint="add 'value:'")
    kind = prop.value_kind
    unit_name = entry.fields.get("unit")
    unit = None
    if kind in ("Quantity", "Money", "Share"):
        if unit_name is None:
            raise entry.error(f"property '{prop.label}' takes a value with a unit", "value",
                              hint="add 'unit:' (e.g. km, %, USD)")
    if unit_name is not None:
        info = ontology.unit(str(unit_name))
        if info is None and str(unit_name).lower() not in ("ordinal", "count", "date", "people"):
            raise entry.error(f"unknown unit '{shorten(unit_name)}'", "unit", cls=UnknownTermError,
                              hint="use a unit from ontology/units.ttl or add it there")
        unit = info.iri if info else None
    if kind == "Date":
        return Value.date(_as_date(raw, entry, "value")), None
    if kind == "EntityValue":
        info = ontology.entity(str(raw))
        if info is None:
            raise entry.error(f"unknown entity '{shorten(raw)}' as value", "value", cls=UnknownTermError,
                              hint="add it to ontology/entities.ttl")
        return Value.entity(info.term), None
    if kind == "TextValue":
        return Value.text_(str(raw)), None
    if isinstance(raw, bool):
        raise entry.error(f"value '{shorten(raw)}' is not a number", "value")
    try:
        value = Value.number(raw.replace(",", "") if isinstance(raw, str) else raw)
    except NumberRangeError as exc:
        raise entry.error(f"value '{shorten(raw)}' {exc.reason}", "value", hint=NUMBER_BOUNDS) from None
    except ValueError:
        raise entry.error(f"value '{shorten(raw)}' does not parse as a number for property '{prop.label}'", "value",
                          hint="write a plain number such as 508, 0.06 or 1600000000") from None
    if kind == "Ordinal" and (not value.is_integer or value.decimal < 1):
        raise entry.error(f"a {prop.label} is a whole number from 1, not '{shorten(raw)}'", "value")
    return value, unit


def _anchor(entry: Entry, text: str, doc_name: str) -> Evidence:
    quote = entry.fields.get("quote")
    if not isinstance(quote, str) or not quote.strip():
        raise entry.error("the claim has no quote", hint="add 'quote:' with the exact text of the document")
    occurrence = entry.fields.get("occurrence", 1)
    if not isinstance(occurrence, int) or isinstance(occurrence, bool) or occurrence < 1:
        raise entry.error("'occurrence' must be a whole number from 1", "occurrence")
    spans = [m.span() for m in re.finditer(re.escape(quote), text)]
    if not spans:  # the same words with other white space (e.g. a line break in HTML text)
        pattern = r"\s+".join(re.escape(w) for w in quote.split())
        spans = [m.span() for m in re.finditer(pattern, text)]
    if not spans:
        short = quote if len(quote) <= 60 else quote[:57] + "..."
        raise entry.error(f"quote not found in {doc_name}: \"{short}\"", "quote",
                          hint="copy the exact text of the document")
    if occurrence > len(spans):
        raise entry.error(f"the quote occurs {len(spans)} time(s), not {occurrence}", "occurrence")
    start, end = spans[occurrence - 1]
    return Evidence.at(text, start, end)


def entry_to_claim(entry: Entry, text: str, doc_name: str, ontology, extractor: str = "curated",
                   version: str = "1") -> Claim:
    """Check one curated entry against the ontology and anchor its quote in the document text."""
    f = entry.fields
    for key in ("subject", "property"):
        if not isinstance(f.get(key), str) or not f[key].strip():
            raise entry.error(f"the claim has no {key}", hint=f"add '{key}:'")
    subject = ontology.entity(f["subject"])
    if subject is None:
        raise entry.error(f"unknown entity '{shorten(f['subject'])}'", "subject", cls=UnknownTermError,
                          hint="add it to ontology/entities.ttl or use a known label")
    prop = ontology.property(f["property"])
    if prop is None:
        raise entry.error(f"unknown property '{shorten(f['property'])}'", "property", cls=UnknownTermError,
                          hint="add it to ontology/frames.ttl or use a known property")
    value, unit = _value(entry, prop, ontology)
    bound = f.get("bound")
    if bound is not None:
        bound = BOUND_WORDS.get(str(bound).strip().lower())
        if bound is None:
            raise entry.error(f"bound '{shorten(f['bound'])}' is not lower, upper or approx", "bound")
    time = TimeSpec(point=_as_date(f["time"], entry, "time") if f.get("time") is not None else None,
                    start=_as_date(f["from"], entry, "from") if f.get("from") is not None else None,
                    end=_as_date(f["until"], entry, "until") if f.get("until") is not None else None)
    if time.start and time.end and time.interval()[0] > time.interval()[1]:
        raise entry.error(f"'from' {time.start} is after 'until' {time.end}", "from")
    quals = []
    raw_quals = f.get("qualifiers") or {}
    if not isinstance(raw_quals, dict):
        raise entry.error("'qualifiers' must be a mapping of qualifier: value", "qualifiers")
    for key, raw in raw_quals.items():
        q = ontology.qualifier(str(key))
        if q is None:
            raise entry.error(f"unknown qualifier '{shorten(key)}'", "qualifiers", cls=UnknownTermError,
                              hint="add it to ontology/frames.ttl or use a known qualifier")
        if raw is None or str(raw).strip() == "":
            raise entry.error(f"qualifier '{shorten(key)}' has no value", "qualifiers")
        if q.value_kind == "EntityValue":
            info = ontology.entity(str(raw))
            if info is None:
                raise entry.error(f"unknown entity '{shorten(raw)}' in qualifier '{shorten(key)}'", "qualifiers",
                                  cls=UnknownTermError,
                                  hint="add it to ontology/entities.ttl")
            qvalue = Value.entity(info.term)
        elif q.value_kind == "Date":
            qvalue = Value.date(_as_date(raw, entry, "qualifiers"))
        else:
            qvalue = Value.text_(" ".join(str(raw).split()))
        key = scope_key(_gazetteer(ontology), prop.name, q.name, qvalue.lexical) if qvalue.kind == "text" else None
        quals.append(Qualifier(q.term, qvalue, ontology.is_scoping(prop, q), key))
    confidence = f.get("confidence", 1.0)
    if not isinstance(confidence, (int, float)) or isinstance(confidence, bool) or not 0 <= confidence <= 1:
        raise entry.error("'confidence' must be a number from 0 to 1", "confidence")
    evidence = _anchor(entry, text, doc_name)
    return Claim(subject=subject.term, property=prop.term, value=value, evidence=evidence, extractor=extractor,
                 extractor_version=version, unit=unit, bound=bound, time=time, qualifiers=tuple(quals),
                 confidence=float(confidence))


@register
class CuratedExtractor:
    """The claims of curated-claims files that name the document."""

    name = "curated"
    version = "1"

    def extract(self, document, context: ExtractionContext) -> list[Claim]:
        return [entry_to_claim(e, document.text, document.file_name, context.ontology, self.name, self.version)
                for e in context.curated]
