"""The table of refused inputs: hostile or broken documents, curated claims, queries, exports and HTTP requests.

Every row gives one input and what lithkg must answer: the exact one-line message on stderr (``lithkg: error: ``,
the input it names, the line where there is one) and the exit code of :mod:`lithkg.errors`, or for the HTTP endpoint
the status and its short body. Every row also checks that the store is byte-for-byte what it was (every file under
it hashed before and after) and that no stray file (a half-written export) is left in the working folder. The few
rows that must succeed (mixed line endings, ``-o -``, a string parameter that looks like SPARQL) say so.

The store is built once (one small document and its curated claim) and copied for every row.
"""
from __future__ import annotations

import dataclasses
import json
import os
import shutil
import subprocess
import sys
import time
from pathlib import Path

import httpx
import pytest
from click.testing import CliRunner

from lithkg.cli import main
from lithkg.config import Settings
from lithkg.kg import KnowledgeGraph

from conftest import CLAIMS_2022, ROOT
from helpers import digest, free_port, invoke_in, serving  # noqa: F401  (digest, invoke_in: the other tables)

DOC = b"""---
title: Facts 2022
url: https://facts.example/page
published: 2022-05-02
---
Lithuania now ranks 6th in the National Cyber Security Index.
"""
CLAIMS = CLAIMS_2022.replace("document: p2022.md", "document: doc.md").encode()  # the same claim, about doc.md
MIB = 1024 * 1024
HUGE = 512 * MIB  # a sparse file: its size is what counts
LIMIT = 64 * MIB  # the default max_document_size


def claim(*lines: str, document: str = "doc.md") -> bytes:
    """A curated-claims file of one claim: its fields one per line (the claim starts on line 3)."""
    return (f"document: {document}\nclaims:\n  - " + "\n    ".join(lines) + "\n").encode("utf-8")


RANK = ("subject: Lithuania", "property: rank", "value: 6")
QUOTE = 'quote: "ranks 6th in the National Cyber Security Index"'
INDEX = "qualifiers: {index: National Cyber Security Index}"


@dataclasses.dataclass(frozen=True)
class Case:
    id: str
    area: str  # ingest, claims, query, export, http
    args: tuple = ()  # command line after --store (CLI), or (method, path) (HTTP)
    code: int = 0  # exit code, or HTTP status
    message: str = ""  # the exact stderr (CLI) or response body (HTTP)
    files: dict = dataclasses.field(default_factory=dict)  # written in the working folder first
    stdin: bytes | str | None = None  # bytes, or the name of a file in the working folder (subprocess rows)
    env: dict = dataclasses.field(default_factory=dict)
    process: bool = False  # run as a real process (memory and time measured), not in CliRunner
    http: dict = dataclasses.field(default_factory=dict)  # httpx keyword arguments
    check: str | None = None  # an extra check for rows that succeed (see CHECKS)
    store_changes: bool = False  # only for rows that succeed in writing to the store

    def __str__(self):
        return self.id


E = "lithkg: error: "
NEST = "(write it with fewer nested groups)"
UPDATE = "is refused: queries here only read the store (change the store with 'lithkg ingest')"
DEEP_BRACES = "SELECT * WHERE " + "{" * 5000 + " ?s ?p ?o " + "}" * 5000
CROSS = "SELECT (COUNT(*) AS ?n) WHERE { ?a ?b ?c . ?d ?e ?f . ?g ?h ?i . ?j ?k ?l . ?m ?n2 ?o }"
PATHS = "SELECT (COUNT(*) AS ?n) WHERE { ?a (!<urn:x>|^!<urn:x>)*/(!<urn:x>|^!<urn:x>)*/(!<urn:x>|^!<urn:x>)* ?b }"
MIXED = (b"---\r\ntitle: Mixed\r\nurl: https://mixed.example/\r\npublished: 2022-05-02\r\n---\r\n"
         b"Windows line.\r\nLithuania now ranks\r6th in the\nNational Cyber Security Index.\r\nOld Mac line.\rEnd.\n")

CASES = [
    # ---------------------------------------------------------------- 1. documents (lithkg ingest FILE)
    Case("ingest-empty-file", "ingest", ("ingest", "empty.md"), 4,
         E + "empty.md: the document is empty (give a file with text in it)", {"empty.md": b""}),
    Case("ingest-only-white-space", "ingest", ("ingest", "blank.txt"), 4,
         E + "blank.txt: the document is empty (give a file with text in it)", {"blank.txt": b" \r\n\t\n"}),
    Case("ingest-binary-nul-bytes", "ingest", ("ingest", "data.txt"), 4,
         E + "data.txt: the file is binary, not text (give a .txt, .md or .html document)",
         {"data.txt": b"Lithuania\x00\x00\x01\x02 ranks"}),
    Case("ingest-png-named-md", "ingest", ("ingest", "picture.md"), 4,
         E + "picture.md: the file is binary, not text (give a .txt, .md or .html document)",
         {"picture.md": b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00\x00\x01"}),
    Case("ingest-invalid-utf8", "ingest", ("ingest", "latin.md"), 4,
         E + "latin.md:2: the text is not UTF-8 (byte 19) (convert it to UTF-8, e.g. with iconv)",
         {"latin.md": "Lithuania\nranks caf\u00e9 6th\n".encode("latin-1")}),
    Case("ingest-utf16-with-bom", "ingest", ("ingest", "wide.txt"), 4,
         E + "wide.txt: the text is not UTF-8: it starts with a UTF-16 byte order mark (convert it to UTF-8, e.g. with iconv -f UTF-16 -t UTF-8)",
         {"wide.txt": "Lithuania ranks 6th.\n".encode("utf-16")}),
    Case("ingest-binary-on-stdin", "ingest", ("ingest", "-"), 4,
         E + "-: the file is binary, not text (give a .txt, .md or .html document)", stdin=b"\x00\x01\x02\x03"),
    Case("ingest-mixed-line-endings-succeeds", "ingest", ("ingest", "mixed.md", "mixed.yaml"), 0,
         "1 document(s): 1 added, 0 updated, 0 unchanged; 1 claim(s)",
         {"mixed.md": MIXED, "mixed.yaml": claim("subject: Lithuania", "property: rank", "value: 6",
                                                 INDEX, 'quote: "ranks\\n6th in the\\nNational Cyber Security Index"',
                                                 document="mixed.md")},
         check="quotes_exact", store_changes=True),
    Case("ingest-front-matter-not-yaml", "ingest", ("ingest", "fm.md"), 4,
         E + "fm.md:3: front matter is not valid YAML: expected ',' or ']', but got '<stream end>' (fix the YAML"
             " between the --- lines)", {"fm.md": b"---\ntitle: [Facts, 2022\n---\nLithuania ranks 6th.\n"}),
    Case("ingest-front-matter-a-list", "ingest", ("ingest", "fm.md"), 4,
         E + "fm.md:2: front matter must be a mapping of fields (title, url, published, retrieved)",
         {"fm.md": b"---\n- title\n- url\n---\nLithuania ranks 6th.\n"}),
    Case("ingest-front-matter-published-list", "ingest", ("ingest", "fm.md"), 4,
         E + "fm.md:3: front matter 'published' must be a date, not list (write e.g. 2022-05-01)",
         {"fm.md": b"---\ntitle: Facts\npublished: [1, 2]\n---\nLithuania ranks 6th.\n"}),
    Case("ingest-front-matter-published-dict", "ingest", ("ingest", "fm.md"), 4,
         E + "fm.md:2: front matter 'published' must be a date, not dict (write e.g. 2022-05-01)",
         {"fm.md": b"---\npublished: {year: 2022}\n---\nLithuania ranks 6th.\n"}),
    Case("ingest-front-matter-title-list", "ingest", ("ingest", "fm.md"), 4,
         E + "fm.md:2: front matter 'title' must be a text, not list",
         {"fm.md": b"---\ntitle: [Facts, 2022]\n---\nLithuania ranks 6th.\n"}),
    Case("ingest-front-matter-impossible-date", "ingest", ("ingest", "fm.md"), 4,
         E + "fm.md:2: front matter 'published': '2021-02-30' is not a real day",
         {"fm.md": b"---\npublished: 2021-02-30\n---\nLithuania ranks 6th.\n"}),
    Case("ingest-front-matter-never-closed", "ingest", ("ingest", "fm.md"), 4,
         E + "fm.md:1: front matter is not closed (end it with a line '---')",
         {"fm.md": b"---\ntitle: Facts\npublished: 2022-05-02\nLithuania ranks 6th.\n"}),
    Case("ingest-unknown-extension", "ingest", ("ingest", "report.pdf"), 4,
         E + "report.pdf: '.pdf' is not a document type lithkg reads (give .txt, .md or .html files)",
         {"report.pdf": b"%PDF-1.7\n"}),
    Case("ingest-folder-with-nothing-readable", "ingest", ("ingest", "inbox"), 4,
         E + "inbox: the folder has nothing to ingest (give .txt, .md or .html documents or .yaml curated claims)",
         {"inbox/report.pdf": b"%PDF-1.7\n", "inbox/.hidden.md": b"Lithuania ranks 6th.\n"}),
    Case("ingest-path-does-not-exist", "ingest", ("ingest", "nowhere.md"), 4,
         E + "nowhere.md: no such file or folder"),
    Case("ingest-over-the-configured-size", "ingest", ("ingest", "long.md"), 4,
         E + "long.md: the document is 2,010 bytes, over the limit of 1,024 bytes (max_document_size) (split it, or"
             " raise LITHKG_MAX_DOCUMENT_SIZE)", {"long.md": b"Lithuania ranks 6th.\n" * 95 + b"Lithuania ranks"},
         env={"LITHKG_MAX_DOCUMENT_SIZE": "1K"}),
    Case("ingest-huge-file-512mib", "ingest", ("ingest", "huge.md"), 4,
         E + f"huge.md: the document is {HUGE:,} bytes, over the limit of {LIMIT:,} bytes (max_document_size)"
             " (split it, or raise LITHKG_MAX_DOCUMENT_SIZE)", {"huge.md": HUGE}, process=True),
    Case("ingest-huge-stdin-512mib", "ingest", ("ingest", "-"), 4,
         E + f"-: the document is over the limit of {LIMIT:,} bytes (max_document_size)"
             " (split it, or raise LITHKG_MAX_DOCUMENT_SIZE)", {"huge.md": HUGE}, stdin="huge.md", process=True),

    # ---------------------------------------------------------------- 2. curated claims (YAML)
    Case("claims-not-yaml", "claims", ("ingest", "c.yaml"), 4,
         E + "c.yaml:3:3: not valid YAML: expected the node content, but found '-' (fix the YAML syntax)",
         {"doc.md": DOC, "c.yaml": b"document: doc.md\nclaims: [\n  - subject: Lithuania\n"}),
    Case("claims-tab-indent", "claims", ("ingest", "c.yaml"), 4,
         E + "c.yaml:4:1: not valid YAML: found character '\\t' that cannot start any token (fix the YAML syntax)",
         {"doc.md": DOC, "c.yaml": b"document: doc.md\nclaims:\n  - subject: Lithuania\n\tproperty: rank\n"}),
    Case("claims-not-utf8", "claims", ("ingest", "c.yaml"), 4, E + "c.yaml: the file is not UTF-8 text",
         {"doc.md": DOC, "c.yaml": b"document: doc.md\nclaims:\n  - subject: Lietuv\xe0\n"}),
    Case("claims-claims-not-a-list", "claims", ("ingest", "c.yaml"), 4,
         E + "c.yaml:2: 'claims' must be a list of claims",
         {"doc.md": DOC, "c.yaml": b"document: doc.md\nclaims: {subject: Lithuania}\n"}),
    Case("claims-quote-missing", "claims", ("ingest", "c.yaml"), 4,
         E + "c.yaml:3: the claim has no quote (add 'quote:' with the exact text of the document)",
         {"doc.md": DOC, "c.yaml": claim(*RANK, INDEX)}),
    Case("claims-quote-not-in-document", "claims", ("ingest", "c.yaml"), 4,
         E + 'c.yaml:7: quote not found in doc.md: "ranks 7th in the National Cyber Security Index" (copy the'
             " exact text of the document)",
         {"doc.md": DOC, "c.yaml": claim(*RANK, INDEX, 'quote: "ranks 7th in the National Cyber Security Index"')}),
    Case("claims-impossible-day", "claims", ("ingest", "c.yaml"), 4,
         E + "c.yaml:6: 'time': '2021-02-30' is not a real day (write an ISO date: 2022, 2022-03 or 2022-03-15)",
         {"doc.md": DOC, "c.yaml": claim(*RANK, 'time: "2021-02-30"', INDEX, QUOTE)}),
    Case("claims-year-zero", "claims", ("ingest", "c.yaml"), 4,
         E + "c.yaml:6: 'time': '0000' has no year 0 (years run from 0001) (write an ISO date: 2022, 2022-03 or"
             " 2022-03-15)", {"doc.md": DOC, "c.yaml": claim(*RANK, 'time: "0000"', INDEX, QUOTE)}),
    Case("claims-month-13", "claims", ("ingest", "c.yaml"), 4,
         E + "c.yaml:6: 'from': '2021-13' has no month 13 (write an ISO date: 2022, 2022-03 or 2022-03-15)",
         {"doc.md": DOC, "c.yaml": claim(*RANK, 'from: "2021-13"', INDEX, QUOTE)}),
    Case("claims-unknown-entity", "claims", ("ingest", "c.yaml"), 4,
         E + "c.yaml:3: unknown entity 'Atlantis' (add it to ontology/entities.ttl or use a known label)",
         {"doc.md": DOC, "c.yaml": claim("subject: Atlantis", "property: rank", "value: 6", INDEX, QUOTE)}),
    Case("claims-unknown-property", "claims", ("ingest", "c.yaml"), 4,
         E + "c.yaml:4: unknown property 'colour' (add it to ontology/frames.ttl or use a known property)",
         {"doc.md": DOC, "c.yaml": claim("subject: Lithuania", "property: colour", "value: 6", QUOTE)}),
    Case("claims-unknown-unit", "claims", ("ingest", "c.yaml"), 4,
         E + "c.yaml:6: unknown unit 'parsec' (use a unit from ontology/units.ttl or add it there)",
         {"doc.md": DOC, "c.yaml": claim("subject: GIPL", "property: length", "value: 6", "unit: parsec", QUOTE)}),
    Case("claims-value-of-wrong-type", "claims", ("ingest", "c.yaml"), 4,
         E + "c.yaml:5: value '[6]' does not parse as a number for property 'rank' (write a plain number such as"
             " 508, 0.06 or 1600000000)",
         {"doc.md": DOC, "c.yaml": claim("subject: Lithuania", "property: rank", "value: [6]", INDEX, QUOTE)}),
    Case("claims-document-does-not-exist", "claims", ("ingest", "c.yaml"), 4,
         E + "c.yaml:1: names document gone/doc.md, which does not exist (fix the 'document:' path (it is"
             " relative to the YAML file))", {"c.yaml": claim(*RANK, QUOTE, document="gone/doc.md")}),
    Case("claims-subject-with-iri-breaking-characters", "claims", ("ingest", "c.yaml"), 4,
         E + "c.yaml:3: unknown entity 'Lith<uania>\"{}|\\^ x' (add it to ontology/entities.ttl or use a known"
             " label)",
         {"doc.md": DOC, "c.yaml": claim('subject: "Lith<uania>\\"{}|\\\\^\\nx"', "property: rank", "value: 6",
                                         QUOTE)}),
    Case("claims-property-with-iri-breaking-characters", "claims", ("ingest", "c.yaml"), 4,
         E + "c.yaml:4: unknown property 'rank> } ; DROP ALL # x' (add it to ontology/frames.ttl or use a known"
             " property)",
         {"doc.md": DOC, "c.yaml": claim("subject: Lithuania", 'property: "rank> } ; DROP ALL #\\nx"', "value: 6",
                                         QUOTE)}),
    Case("claims-qualifier-with-iri-breaking-characters", "claims", ("ingest", "c.yaml"), 4,
         E + "c.yaml:7: unknown entity 'NCSI <x> \"{}|\\^ ' in qualifier 'located in' (add it to"
             " ontology/entities.ttl)",
         {"doc.md": DOC, "c.yaml": claim("subject: GIPL", "property: length", "value: 6", "unit: km",
                                         'qualifiers: {located in: "NCSI <x> \\"{}|\\\\^\\n"}', QUOTE)}),

    # ---------------------------------------------------------------- 3. queries (lithkg query)
    Case("query-param-injection-label", "query",
         ("query", "history", "--param", "subject=x> } ; DROP ALL #", "--param", "property=rank"), 2,
         E + "parameter 'subject': unknown entity 'x> } ; DROP ALL #' (use a label or alias from"
             " ontology/entities.ttl, or an IRI)"),
    Case("query-param-injection-in-angle-brackets", "query",
         ("query", "history", "--param", "subject=<https://x.example/> } ; DROP ALL #>", "--param",
          "property=rank"), 2, E + "parameter 'subject': '<https://x.example/> } ; DROP ALL #>' is not an IRI"),
    Case("query-param-injection-newline", "query",
         ("query", "history", "--param", "subject=Lithuania>\n} ; DROP ALL #", "--param", "property=rank"), 2,
         E + "parameter 'subject': unknown entity 'Lithuania> } ; DROP ALL #' (use a label or alias from"
             " ontology/entities.ttl, or an IRI)"),
    Case("query-param-undeclared-iri-injection", "query",
         ("query", "-e", "SELECT ?s WHERE { ?s ?p ?o } LIMIT 1", "--param", "s=<urn:a> } UNION { <urn:b>"), 2,
         E + "parameter 's': '<urn:a> } UNION { <urn:b>' is not an IRI"),
    Case("query-param-string-that-looks-like-sparql", "query",
         ("query", "claims-by-source", "--param", 'source="} UNION { ?s ?p ?o } #', "-f", "csv"), 0,
         "", check="no_rows"),
    Case("query-unknown-parameter", "query",
         ("query", "history", "--param", "subject=Lithuania", "--param", "property=rank", "--param", "colour=red"),
         2, E + "the query has no parameter 'colour' (its parameters: subject, property, group)"),
    Case("query-syntax-error-line-and-column", "query", ("query", "bad.rq"), 5,
         E + 'bad.rq:4:13: SPARQL syntax error: expected one of "$", "?", NOT (fix the query)',
         {"bad.rq": b"# a broken query\nSELECT ?s\nWHERE {\n  BIND(1 AS )\n}\n"}),
    Case("query-file-not-utf8", "query", ("query", "latin.rq"), 2, E + "latin.rq: the query file is not UTF-8",
         {"latin.rq": "SELECT * WHERE { ?s ?p 'caf\u00e9' }".encode("latin-1")}),
    Case("query-insert-refused", "query", ("query", "-e", "INSERT DATA { <urn:a> <urn:b> <urn:c> }"), 5,
         E + "INSERT " + UPDATE),
    Case("query-delete-after-prologue-refused", "query",
         ("query", "-e", "PREFIX ex: <urn:x#>\n# comment\nDELETE WHERE { ?s ?p ?o }"), 5, E + "DELETE " + UPDATE),
    Case("query-drop-refused", "query", ("query", "-e", "DROP ALL"), 5, E + "DROP " + UPDATE),
    Case("query-clear-refused", "query", ("query", "-e", "clear default"), 5, E + "CLEAR " + UPDATE),
    Case("query-load-refused", "query", ("query", "-e", "LOAD <http://127.0.0.1:9/data.ttl>"), 5,
         E + "LOAD is refused: lithkg never fetches remote data (download the data and ingest it with 'lithkg"
             " ingest')"),
    Case("query-service-refused", "query", ("query", "-e", "SELECT * WHERE { SERVICE <http://127.0.0.1:9/> { ?s ?p"
                                                           " ?o } }"), 5,
         E + "SERVICE is refused: lithkg does not send queries to other servers (query the other endpoint"
             " yourself)"),
    Case("query-5000-nested-groups", "query", ("query", "deep.rq"), 5,
         E + f"deep.rq:1:80: the query nests brackets more than 64 deep {NEST}", {"deep.rq": DEEP_BRACES.encode()}),
    Case("query-5000-nested-parentheses", "query",
         ("query", "-e", "SELECT * WHERE {\n BIND(" + "(" * 5000 + "1" + ")" * 5000 + " AS ?x) }"), 5,
         E + f"query:2:69: the query nests brackets more than 64 deep {NEST}"),
    Case("query-nested-collections-exponential", "query",
         ("query", "-e", "SELECT * WHERE { ?s ?p " + "(" * 200 + "1" + ")" * 200 + " }"), 5,
         E + f"query:1:87: the query nests brackets more than 64 deep {NEST}"),
    Case("query-cross-product-time-limit", "query", ("query", "-e", CROSS), 5,
         E + "query: the query ran longer than the time limit (1 s) (narrow the query, or raise"
             " LITHKG_QUERY_TIMEOUT)", env={"LITHKG_QUERY_TIMEOUT": "1"}, process=True),
    Case("query-exponential-path-time-limit", "query", ("query", "paths.rq"), 5,
         E + "paths.rq: the query ran longer than the time limit (1 s) (narrow the query, or raise"
             " LITHKG_QUERY_TIMEOUT)", {"paths.rq": PATHS.encode()}, env={"LITHKG_QUERY_TIMEOUT": "1"},
         process=True),

    # ---------------------------------------------------------------- 4. exports (lithkg export -f FORMAT -o FILE)
    Case("export-unknown-format", "export", ("export", "-f", "pdf", "-o", "out.pdf"), 2,
         E + "unknown format 'pdf' (use one of: turtle, trig, nquads, ntriples, json-ld, rdf-xml)"),
    Case("export-wrong-alias", "export", ("export", "-f", "nquad", "-o", "out.nq"), 2,
         E + "unknown format 'nquad' (use one of: turtle, trig, nquads, ntriples, json-ld, rdf-xml)"),
    Case("export-tabular-format", "export", ("export", "-f", "csv", "-o", "out.csv"), 2,
         E + "unknown format 'csv' (use one of: turtle, trig, nquads, ntriples, json-ld, rdf-xml)"),
    Case("export-wrong-alias-keeps-the-old-file", "export", ("export", "-f", "n-quad", "-o", "kg.nq"), 2,
         E + "unknown format 'n-quad' (use one of: turtle, trig, nquads, ntriples, json-ld, rdf-xml)",
         {"kg.nq": b"<urn:old> <urn:p> <urn:o> .\n"}),
    Case("export-into-missing-folder", "export", ("export", "-f", "turtle", "-o", "missing/dir/kg.ttl"), 2,
         E + "missing/dir/kg.ttl: cannot write the export: No such file or directory"),
    Case("export-onto-a-folder", "export", ("export", "-f", "turtle", "-o", "outdir"), 2,
         E + "outdir: cannot write the export: Is a directory", {"outdir/keep.txt": b"keep\n"}),
    Case("export-under-a-file", "export", ("export", "-o", "notes.txt/kg.nq"), 2,
         E + "notes.txt/kg.nq: cannot write the export: Not a directory", {"notes.txt": b"notes\n"}),
    Case("export-to-stdout", "export", ("export", "-f", "nquads", "-o", "-"), 0, "", check="nquads_on_stdout"),

    # ---------------------------------------------------------------- 5. the HTTP endpoint (lithkg serve)
    Case("http-malformed-query", "http", ("get", "/sparql"), 400,
         "query:1:25: SPARQL syntax error: expected one of LATERAL, SERVICE, [_] (fix the query)",
         http={"params": {"query": "SELECT * WHERE { ?s ?p }"}}),
    Case("http-update-as-query-via-get", "http", ("get", "/sparql"), 403, "DROP " + UPDATE,
         http={"params": {"query": "DROP ALL"}}),
    Case("http-update-parameter-via-get", "http", ("get", "/sparql"), 403,
         "updates are refused: this endpoint only reads the store", http={"params": {"update": "DROP ALL"}}),
    Case("http-update-via-post-form", "http", ("post", "/sparql"), 403,
         "updates are refused: this endpoint only reads the store", http={"data": {"update": "CLEAR ALL"}}),
    Case("http-update-via-post-body", "http", ("post", "/sparql"), 403,
         "updates are refused: this endpoint only reads the store",
         http={"content": "INSERT DATA { <urn:a> <urn:b> <urn:c> }",
               "headers": {"Content-Type": "application/sparql-update"}}),
    Case("http-unknown-route", "http", ("get", "/admin/../etc/passwd"), 404, "Not Found"),
    Case("http-unknown-named-query", "http", ("get", "/queries/drop-all"), 404, "no named query 'drop-all'"),
    Case("http-wrong-method", "http", ("put", "/sparql"), 405, "Method Not Allowed",
         http={"content": "SELECT * WHERE { ?s ?p ?o }"}),
    Case("http-unacceptable-accept", "http", ("get", "/sparql"), 406,
         "no acceptable format: SELECT and ASK results are available as application/sparql-results+json,"
         " application/sparql-results+xml, text/csv, text/tab-separated-values",
         http={"params": {"query": "SELECT * WHERE { ?s ?p ?o } LIMIT 1"}, "headers": {"Accept": "image/png"}}),
    Case("http-oversize-body", "http", ("post", "/sparql"), 413,
         f"the request body is {2 * MIB + 33:,} bytes, over the limit of {MIB:,} bytes",
         http={"content": "SELECT * WHERE { ?s ?p ?o } LIMIT 1" + " " * (2 * MIB - 2),
               "headers": {"Content-Type": "application/sparql-query"}}),
    Case("http-non-utf8-query-string", "http", ("get", "/sparql?query=SELECT%20*%20WHERE%20%7B%20?s%20?p%20%22%FF"
                                                      "%FE%22%20%7D"), 400,
         "the query string is not UTF-8: percent-encode the UTF-8 bytes of the query"),
    Case("http-non-utf8-body", "http", ("post", "/sparql"), 400, "the query is not UTF-8 (byte 24)",
         http={"content": b"SELECT * WHERE { ?s ?p '\xff' }", "headers": {"Content-Type": "application/sparql-query"}}),
    Case("http-service", "http", ("get", "/sparql"), 400,
         "SERVICE is refused: lithkg does not send queries to other servers (query the other endpoint yourself)",
         http={"params": {"query": "SELECT * WHERE { SERVICE <http://127.0.0.1:9/> { ?s ?p ?o } }"}}),
    Case("http-5000-nested-groups", "http", ("post", "/sparql"), 400,
         f"query:1:80: the query nests brackets more than 64 deep {NEST}",
         http={"data": {"query": DEEP_BRACES}}),
    Case("http-named-query-param-injection", "http", ("get", "/queries/history"), 400,
         "parameter 'subject': unknown entity 'x> } ; DROP ALL #' (use a label or alias from"
         " ontology/entities.ttl, or an IRI)", http={"params": {"subject": "x> } ; DROP ALL #", "property": "rank"}}),
]


# ------------------------------------------------------------------------------------------------ the store
@pytest.fixture(scope="module")
def base_store(tmp_path_factory) -> Path:
    """One small document and its curated claim, ingested once for every row of the table."""
    folder = tmp_path_factory.mktemp("hostile-base")
    (folder / "doc.md").write_bytes(DOC)
    (folder / "doc.yaml").write_bytes(CLAIMS)
    store = folder / "store"
    with KnowledgeGraph(store, settings=Settings(extractors=("curated",))) as kg:
        kg.ingest([folder / "doc.md", folder / "doc.yaml"], relative_to=folder)
    return store


@pytest.fixture(scope="module")
def server(base_store, tmp_path_factory):
    """``lithkg serve`` on a copy of the store; yields its URL and the copy."""
    store = tmp_path_factory.mktemp("hostile-served") / "store"
    shutil.copytree(base_store, store)
    with serving(store, free_port(), "--timeout", "5") as url:
        yield url, store


def copies(base_store: Path, tmp_path: Path, files: dict) -> tuple[Path, Path, dict, dict]:
    """A copy of the row's store and a working folder holding ``files``, with every file of each hashed: what a row
    runs on and what it must leave as it was."""
    store = tmp_path / "store"
    shutil.copytree(base_store, store)
    work = tmp_path / "work"
    work.mkdir()
    write_files(work, files)
    return store, work, digest(store), digest(work)


def write_files(work: Path, files: dict) -> None:
    for name, data in files.items():
        path = work / name
        path.parent.mkdir(parents=True, exist_ok=True)
        if isinstance(data, int):  # a huge file: one line of text, then a hole (sparse; its size is what counts)
            with path.open("wb") as f:
                f.write(b"Lithuania ranks 6th in the National Cyber Security Index.\n")
                f.truncate(data)
        else:
            path.write_bytes(data)


# Runs the command and writes getrusage(RUSAGE_CHILDREN).ru_maxrss (KiB) to argv[1]. The command is started by this
# small process, not by pytest: a child forked from a large process reports that process's size as its own peak.
MEASURE = ("import resource, subprocess, sys\n"
           "code = subprocess.call(sys.argv[2:])\n"
           "open(sys.argv[1], 'w').write(str(resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss))\n"
           "sys.exit(code)\n")


def run_process(case: Case, store: Path, tmp: Path, work: Path) -> tuple[int, str, str, int, float]:
    """The command as a real process: exit code, stdout, stderr, its peak RSS in bytes, and its wall time."""
    env = {k: v for k, v in os.environ.items() if not k.startswith("LITHKG_")}
    env.update({"LITHKG_EXTRACTORS": "curated", **case.env})
    peak_file = tmp / "peak-rss"
    stdin = (work / case.stdin).open("rb") if isinstance(case.stdin, str) else subprocess.DEVNULL
    started = time.monotonic()
    try:
        r = subprocess.run([sys.executable, "-c", MEASURE, str(peak_file), sys.executable, "-m", "lithkg.cli",
                            "--store", str(store), *case.args], stdin=stdin, capture_output=True, cwd=str(work),
                           env=env, timeout=120)
    finally:
        if stdin is not subprocess.DEVNULL:
            stdin.close()
    elapsed = time.monotonic() - started
    return (r.returncode, r.stdout.decode(errors="replace"), r.stderr.decode(errors="replace"),
            int(peak_file.read_text()) * 1024, elapsed)


# ------------------------------------------------------------------------------------------------ extra checks
def quotes_exact(store: Path, work: Path, stdout: str) -> None:
    """Mixed CRLF / LF / CR: the text is read with '\\n' endings and the claim's span quotes it exactly."""
    r = CliRunner().invoke(main, ["--store", str(store), "claims", "--source", "https://mixed.example/", "-f",
                                  "jsonl"], catch_exceptions=False)
    [row] = [json.loads(line) for line in r.stdout.splitlines()]
    body = MIXED.decode().split("---\r\n", 2)[2].replace("\r\n", "\n").replace("\r", "\n")
    assert row["quote"] == "ranks\n6th in the\nNational Cyber Security Index"
    assert body[row["start"]:row["end"]] == row["quote"]


def no_rows(store: Path, work: Path, stdout: str) -> None:
    """A string parameter is one literal: the text that looks like SPARQL matches no source, and changes nothing."""
    assert stdout.splitlines()[0].startswith("source,document,version,claim,")
    assert len(stdout.splitlines()) == 1


def nquads_on_stdout(store: Path, work: Path, stdout: str) -> None:
    import rdflib
    ds = rdflib.Dataset()
    ds.parse(data=stdout, format="nquads")
    assert len(ds) > 100 or sum(1 for _ in ds.quads()) > 100


CHECKS = {"quotes_exact": quotes_exact, "no_rows": no_rows, "nquads_on_stdout": nquads_on_stdout}


# ------------------------------------------------------------------------------------------------ the table
@pytest.mark.parametrize("case", CASES, ids=str)
def test_hostile_input(case: Case, base_store, tmp_path, monkeypatch, request):
    if case.area == "http":
        url, store = request.getfixturevalue("server")
        before = digest(store)
        method, path = case.args
        r = httpx.request(method.upper(), url + path, timeout=30, **case.http)
        assert (r.status_code, r.text) == (case.code, case.message + "\n") or \
            (r.status_code, r.text) == (case.code, case.message)  # Starlette's own 404 / 405 bodies have no newline
        assert "\n" not in r.text.rstrip("\n")
        assert digest(store) == before
        return

    store, work, before, files_before = copies(base_store, tmp_path, case.files)

    if case.process:
        code, stdout, stderr, peak, elapsed = run_process(case, store, tmp_path, work)
        if case.area == "ingest":  # never loaded whole: at most the size limit is read, far below the input
            assert peak < 2 * LIMIT < HUGE // 2, f"peak RSS {peak / MIB:.0f} MiB for a {HUGE / MIB:.0f} MiB input"
        else:  # the time limit ends the query, and the process exits right after
            assert elapsed < 20, f"{elapsed:.1f} s"
    else:
        code, stdout, stderr = invoke_in(work, store, case.args, monkeypatch=monkeypatch, env=case.env,
                                         stdin=case.stdin)

    if case.code == 0:
        assert code == 0, stderr
        if case.message:
            assert stderr.splitlines()[-1] == case.message
        CHECKS[case.check](store, work, stdout)
    else:
        assert (code, stderr) == (case.code, case.message + "\n")
        assert stderr.count("\n") == 1 and stderr.startswith("lithkg: error: ")
        assert stdout == ""
    if not case.store_changes:
        assert digest(store) == before, "the store changed"
    assert digest(work) == files_before, "a file was left behind or changed in the working folder"


def test_the_table_covers_every_area():
    areas = {}
    for case in CASES:
        areas[case.area] = areas.get(case.area, 0) + 1
    assert len(CASES) >= 34 and len({c.id for c in CASES}) == len(CASES)
    assert set(areas) == {"ingest", "claims", "query", "export", "http"} and min(areas.values()) >= 6, areas


def test_the_docs_point_to_this_table():
    docs = (ROOT / "docs" / "configuration.md").read_text(encoding="utf-8")
    errors = docs.split("## Errors and exit codes", 1)[1].split("\n## ", 1)[0]
    assert f"`{Path(__file__).relative_to(ROOT).as_posix()}`" in errors
