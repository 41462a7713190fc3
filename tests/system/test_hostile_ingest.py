"""The table of refused ingests: file names, file types, folders, documents outside the project, control characters,
huge paragraphs, deep HTML and store folders (issue 14, items 4 to 6).

Modelled on :mod:`test_hostile`: every row gives the command, the exact one-line message on stderr and the exit code
of :mod:`lithkg.errors`, and checks that the store is byte-for-byte what it was (every file hashed before and after)
and that the working folder is unchanged. Rows that would hang if the check failed (a FIFO, a huge paragraph) run as a
real process with a time limit; rows about permissions run, when the tests run as root (for whom a folder of mode
000 is still readable), without the two capabilities by which root reads anything. Every check on names, types, folders and containment has a
``--bulk`` row too: the bulk ingest makes the same checks before its first write.
"""
from __future__ import annotations

import dataclasses
import hashlib
import json
import os
import shutil
import socket
import stat
import subprocess
import sys
from pathlib import Path

import pytest
from click.testing import CliRunner

from lithkg.cli import main
from lithkg.extract.documents import MAX_HTML_DEPTH
from lithkg.errors import escape
from lithkg.extract.text import PIECE, layout, pieces

from test_hostile import CLAIMS, DOC, E, base_store, claim, digest, invoke_in  # noqa: F401  (base_store is a fixture)

SECOND = b"Lithuania is a country.\n"
OUT_DOC = DOC.replace(b"https://facts.example/page", b"https://outside.example/notes")
OUT_CLAIMS = CLAIMS.replace(b"document: doc.md", b"document: ../outside/doc.md")
RANK_FF = claim("subject: Lithuania", "property: rank", "value: 6", "qualifiers: {index: National Cyber Security Index}",
                'quote: "ranks 6th in the\\nNational Cyber Security Index"', document="ff.md")
PROSE = b"The weather in the valley was calm and the river ran slowly past the old mill. "
OUTSIDE_HINT = ("(give the document or its folder in the same ingest, or allow it with --allow-outside PATH)")
TYPE_HINT = "(give documents as regular files)"
CONTROL_HINT = "(remove it: a document holds text, tabs and line breaks only)"
NAME_HINT = "(rename the file)"
STORE_HINT = "(give --store a new or empty folder, or an existing store)"


def nested_html(depth: int) -> bytes:
    return (b"<html><body>" + b"<div>" * depth + b"<p>first paragraph</p>" + b"</div>" * depth
            + b"<p>Lithuania ranks 6th in the National Cyber Security Index.</p></body></html>")


@dataclasses.dataclass(frozen=True)
class Case:
    id: str
    args: tuple  # the command line after --store STORE
    code: int
    message: str  # the exact stderr ({etc}, {dev}: those folders relative to the working one); for code 0 its last line
    files: dict = dataclasses.field(default_factory=dict)  # name (str or bytes) -> bytes, or a special kind
    outside: dict = dataclasses.field(default_factory=dict)  # files in a folder next to the working folder
    mode: str = "cli"  # cli (CliRunner), process (a real process with a time limit), unreadable (a process that
    # cannot read what it has no permission for, even as root)
    env: dict = dataclasses.field(default_factory=dict)
    stdin: bytes | None = None
    check: str | None = None
    store_changes: bool = False

    def __str__(self):
        return self.id


FIFO, SOCKET, LOCKED = "fifo", "socket", "locked"  # special entries of Case.files


def link(target: str) -> tuple:
    return ("link", target)


def both(case: Case) -> list[Case]:
    """The row, and the same row with --bulk."""
    return [case, dataclasses.replace(case, id=case.id + "-bulk", args=(case.args[0], "--bulk", *case.args[1:]))]


CASES = [
    # ---------------------------------------------------------------- 4. atomicity: file names
    *both(Case("name-not-utf8-in-folder", ("ingest", "f"), 4, E + f"f/\\xff.md: the file name is not UTF-8 {NAME_HINT}",
               {"f/a.md": DOC, b"f/\xff.md": SECOND})),
    Case("name-not-utf8-given", ("ingest", os.fsdecode(b"\xfe\xff.md")), 4,
         E + f"\\xfe\\xff.md: the file name is not UTF-8 {NAME_HINT}", {b"\xfe\xff.md": SECOND}),
    *both(Case("name-with-escape-and-cr-in-folder", ("ingest", "f"), 4,
               E + f"f/e\\x1b[31mvil\\r.md: the file name has a control character {NAME_HINT}",
               {"f/a.md": DOC, "f/e\x1b[31mvil\r.md": SECOND})),
    Case("name-with-escape-not-found", ("ingest", "\x1b[2Jgone\x07.md"), 4,
         E + f"\\x1b[2Jgone\\x07.md: the file name has a control character {NAME_HINT}"),
    Case("name-with-newline-in-subfolder", ("ingest", "f"), 4,
         E + f"f/sub\\nname/b.md: the file name has a control character {NAME_HINT}",
         {"f/a.md": DOC, "f/sub\nname/b.md": SECOND}),
    Case("claims-document-name-with-escape", ("ingest", "c.yaml"), 4,
         E + f"x\\x1by.md: the file name has a control character {NAME_HINT}",
         {"c.yaml": claim("subject: Lithuania", document='"x\\ey.md"'), "x\x1by.md": DOC}),

    # ---------------------------------------------------------------- documents only from regular files
    Case("fifo-given", ("ingest", "pipe.md"), 4,
         E + f"pipe.md: is a FIFO (named pipe), not a regular file {TYPE_HINT}", {"pipe.md": FIFO}, mode="process"),
    *both(Case("fifo-in-folder", ("ingest", "f"), 4,
               E + f"f/pipe.md: is a FIFO (named pipe), not a regular file {TYPE_HINT}",
               {"f/a.md": DOC, "f/pipe.md": FIFO}, mode="process")),
    *both(Case("fifo-named-by-curated-claims", ("ingest", "c.yaml"), 4,
               E + f"pipe.md: is a FIFO (named pipe), not a regular file {TYPE_HINT}",
               {"c.yaml": claim("subject: Lithuania", document="pipe.md"), "pipe.md": FIFO}, mode="process")),
    Case("fifo-claims-file-in-folder", ("ingest", "f"), 4,
         E + f"f/c.yaml: is a FIFO (named pipe), not a regular file {TYPE_HINT}",
         {"f/a.md": DOC, "f/c.yaml": FIFO}, mode="process"),
    Case("character-device-via-link", ("ingest", "zero.md"), 4,
         E + f"{{dev}}/zero: is a character device, not a regular file {TYPE_HINT}", {"zero.md": link("/dev/zero")},
         mode="process"),
    *both(Case("character-device-in-folder", ("ingest", "f"), 4,
               E + "f/z.md: is a link to a file outside the folder given (give the file it points to by name, or"
                   " remove the link)", {"f/a.md": DOC, "f/z.md": link("/dev/zero")}, mode="process")),
    Case("socket-given", ("ingest", "sock.md"), 4,
         E + f"sock.md: is a socket, not a regular file {TYPE_HINT}", {"sock.md": SOCKET}, mode="process"),
    Case("broken-link-in-folder", ("ingest", "f"), 4, E + "f/gone.md: no such file (a link to nothing?)",
         {"f/a.md": DOC, "f/gone.md": link("nowhere.md")}),

    # ---------------------------------------------------------------- unreadable folders and files
    *both(Case("unreadable-subfolder", ("ingest", "f"), 4,
               E + "f/locked: cannot read the folder: Permission denied (make it readable, or leave it out)",
               {"f/a.md": DOC, "f/locked/b.md": SECOND, "f/locked": LOCKED}, mode="unreadable")),
    *both(Case("unreadable-file-in-folder", ("ingest", "f"), 4,
               E + "f/b.md: cannot read the file: Permission denied",
               {"f/a.md": DOC, "f/b.md": SECOND, "f/b.md#": LOCKED}, mode="unreadable")),

    # ---------------------------------------------------------------- 5. documents outside the folders given
    *both(Case("claims-document-outside-relative", ("ingest", "c.yaml"), 4,
               E + f"c.yaml:1: names document ../outside/notes.md, which is outside the folders given to the ingest"
                   f" {OUTSIDE_HINT}",
               {"c.yaml": claim("subject: Lithuania", document="../outside/notes.md")},
               {"notes.md": b"Private notes.\n"})),
    Case("claims-document-outside-deep-relative", ("ingest", "claims"), 4,
         E + f"claims/c.yaml:1: names document ../outside/notes.md, which is outside the folders given to the ingest"
             f" {OUTSIDE_HINT}",
         {"claims/c.yaml": claim("subject: Lithuania", document="../../outside/notes.md")},
         {"notes.md": b"Private notes.\n"}),
    Case("claims-document-absolute-system-path", ("ingest", "c.yaml"), 4,
         E + f"c.yaml:1: names document {{etc}}/hostname, which is outside the folders given to the ingest"
             f" {OUTSIDE_HINT}", {"c.yaml": claim("subject: Lithuania", document="/etc/hostname")}),
    *both(Case("claims-document-link-to-outside", ("ingest", "f/c.yaml"), 4,
               E + f"f/c.yaml:1: names document ../outside/notes.md, which is outside the folders given to the ingest"
                   f" {OUTSIDE_HINT}",
               {"f/c.yaml": claim("subject: Lithuania", document="notes.md"), "f/notes.md": link("../../outside/notes.md")},
               {"notes.md": b"Private notes.\n"})),
    Case("folder-link-to-outside-file", ("ingest", "f"), 4,
         E + "f/notes.md: is a link to a file outside the folder given (give the file it points to by name, or"
             " remove the link)", {"f/a.md": DOC, "f/notes.md": link("../../outside/notes.md")},
         {"notes.md": b"Private notes.\n"}),
    Case("allow-outside-names-nothing", ("ingest", "--allow-outside", "nowhere", "c.yaml"), 2,
         E + "nowhere: --allow-outside names no file or folder",
         {"c.yaml": claim("subject: Lithuania", document="../outside/notes.md")}),
    Case("allow-outside-lets-the-document-in", ("ingest", "--allow-outside", "../outside", "c.yaml"), 0,
         "1 document(s): 1 added, 0 updated, 0 unchanged; 1 claim(s)",
         {"c.yaml": OUT_CLAIMS}, {"doc.md": OUT_DOC},
         store_changes=True),
    Case("document-given-by-name-outside-is-fine", ("ingest", "../outside/doc.md", "c.yaml"), 0,
         "1 document(s): 1 added, 0 updated, 0 unchanged; 1 claim(s)",
         {"c.yaml": OUT_CLAIMS}, {"doc.md": OUT_DOC}, store_changes=True),

    # ---------------------------------------------------------------- control characters in texts and fields
    *both(Case("nul-after-64k", ("ingest", "nul.md"), 4,
               E + f"nul.md:4001: the text has control character U+0000 {CONTROL_HINT}",
               {"nul.md": b"Lithuania ranks 6th.\n" * 4000 + b"x\x00y\n"})),
    Case("bel-in-body", ("ingest", "bel.md"), 4, E + f"bel.md:2: the text has control character U+0007 {CONTROL_HINT}",
         {"bel.md": b"Lithuania ranks 6th.\nA bell \x07 here.\n"}),
    Case("esc-in-body", ("ingest", "esc.md"), 4, E + f"esc.md:5: the text has control character U+001B {CONTROL_HINT}",
         {"esc.md": b"---\ntitle: T\n---\nLithuania ranks 6th.\n\x1b[31mred\n"}),
    Case("c1-control-in-body", ("ingest", "c1.txt"), 4,
         E + f"c1.txt:1: the text has control character U+0085 {CONTROL_HINT}", {"c1.txt": "a\u0085b\n".encode()}),
    Case("non-character-ffff-in-body", ("ingest", "nc.txt"), 4,
         E + f"nc.txt:1: the text has control character U+FFFF {CONTROL_HINT}", {"nc.txt": "a\uffffb\n".encode()}),
    Case("bel-on-stdin", ("ingest", "-"), 4, E + f"-:1: the text has control character U+0007 {CONTROL_HINT}",
         stdin=b"Lithuania \x07ranks 6th.\n"),
    Case("bel-in-title-escape", ("ingest", "t.md"), 4,
         E + "t.md:3: front matter 'title' has control character U+0007 (remove it)",
         {"t.md": b'---\nurl: https://t.example/\ntitle: "Facts \\a 2022"\n---\nLithuania ranks 6th.\n'}),
    Case("esc-in-focus-escape", ("ingest", "t.md"), 4,
         E + "t.md:2: front matter 'focus' has control character U+001B (remove it)",
         {"t.md": b'---\nfocus: "\\e[2J"\n---\nLithuania ranks 6th.\n'}),
    Case("bel-in-title-option", ("ingest", "--title", "Facts\x07", "doc.md"), 4,
         E + "doc.md: the title given has control character U+0007 (remove it)", {"doc.md": DOC}),
    Case("bel-in-html-character-reference", ("ingest", "p.html"), 4,
         E + f"p.html: the HTML's text has control character U+0007 {CONTROL_HINT}",
         {"p.html": b"<html><body><p>Lithuania &#7; ranks 6th.</p></body></html>"}),
    Case("form-feed-and-vertical-tab-become-newlines", ("ingest", "ff.md", "ff.yaml"), 0,
         "1 document(s): 1 added, 0 updated, 0 unchanged; 1 claim(s)",
         {"ff.md": b"Page one.\x0cLithuania now ranks 6th in the\x0bNational Cyber Security Index.\n",
          "ff.yaml": RANK_FF}, check="form_feed", store_changes=True),

    # ---------------------------------------------------------------- a very long paragraph, deep HTML
    Case("paragraph-of-1mb-is-split", ("ingest", "long.md"), 0,
         "1 document(s): 1 added, 0 updated, 0 unchanged; 0 claim(s)",
         {"long.md": PROSE * (1_050_000 // len(PROSE)) + b"\n"}, mode="process",
         env={"LITHKG_EXTRACTORS": "curated,frames"}, store_changes=True),
    Case("line-of-1mb-without-spaces-is-split", ("ingest", "x.md"), 0,
         "1 document(s): 1 added, 0 updated, 0 unchanged; 0 claim(s)", {"x.md": b"x" * 1_050_000 + b"\n"},
         mode="process", env={"LITHKG_EXTRACTORS": "curated,frames"}, store_changes=True),
    Case("html-nested-300-deep", ("ingest", "deep.html"), 4,
         E + f"deep.html: the HTML nests elements at least 256 deep, over the limit of {MAX_HTML_DEPTH} (flatten the"
             " markup, or give the text as .txt)", {"deep.html": nested_html(300)}),
    Case("html-nested-220-deep", ("ingest", "deep.html"), 4,
         E + f"deep.html: the HTML nests elements 223 deep, over the limit of {MAX_HTML_DEPTH} (flatten the markup,"
             " or give the text as .txt)", {"deep.html": nested_html(220)}),
    Case("html-nested-150-deep-keeps-all-its-text", ("ingest", "deep.html"), 0,
         "1 document(s): 1 added, 0 updated, 0 unchanged; 0 claim(s)", {"deep.html": nested_html(150)},
         check="deep_html_text", store_changes=True),

    # ---------------------------------------------------------------- --store at the user's own files
    *both(Case("store-at-a-folder-of-own-files", ("ingest", "--store", "mine", "doc.md"), 6,
               E + f"mine: the folder is not empty and is not a lithkg store {STORE_HINT}",
               {"doc.md": DOC, "mine/notes.txt": b"my notes\n"})),
    Case("store-at-a-file", ("ingest", "--store", "notes.txt", "doc.md"), 6,
         E + f"notes.txt: is not a folder, so it cannot be the store {STORE_HINT}",
         {"doc.md": DOC, "notes.txt": b"my notes\n"}),
    Case("store-with-a-fake-current", ("ingest", "--store", "mine", "doc.md"), 6,
         E + f"mine: the folder is not empty and is not a lithkg store {STORE_HINT}",
         {"doc.md": DOC, "mine/CURRENT": b"my notes\n"}),
    Case("store-in-an-empty-folder-is-fine", ("ingest", "--store", "empty", "doc.md"), 0,
         "1 document(s): 1 added, 0 updated, 0 unchanged; 0 claim(s)", {"doc.md": DOC, "empty/": b""},
         check="new_store"),
]


# ------------------------------------------------------------------------------------------------ setting up
def make_files(work: Path, outside: Path, case: Case) -> list[Path]:
    """Write the row's files; returns the paths to make unreadable."""
    locked = []
    for name, data in case.outside.items():
        path = outside / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(data)
    for name, data in case.files.items():
        raw = name if isinstance(name, bytes) else os.fsencode(name)
        if raw.endswith(b"/"):
            os.makedirs(os.path.join(os.fsencode(work), raw), exist_ok=True)
            continue
        if data == LOCKED:
            locked.append(work / os.fsdecode(raw).rstrip("#"))
            continue
        path = os.path.join(os.fsencode(work), raw)
        os.makedirs(os.path.dirname(path), exist_ok=True)
        if data == FIFO:
            os.mkfifo(path)
        elif data == SOCKET:
            s = socket.socket(socket.AF_UNIX)
            s.bind(path)
            s.close()
        elif isinstance(data, tuple):
            os.symlink(data[1], path)
        else:
            with open(path, "wb") as f:
                f.write(data)
    return locked


def work_digest(folder: Path) -> dict[str, str]:
    """Every regular file under ``folder`` hashed, every other entry by its type (a FIFO is never opened)."""
    out = {}
    for root, dirs, files in os.walk(os.fsencode(folder)):
        for name in sorted(dirs + files):
            path = os.path.join(root, name)
            key = os.fsdecode(os.path.relpath(path, os.fsencode(folder)))
            st = os.lstat(path)
            if stat.S_ISREG(st.st_mode) and os.access(path, os.R_OK):
                with open(path, "rb") as f:
                    out[key] = hashlib.sha256(f.read()).hexdigest()
            else:
                out[key] = stat.filemode(st.st_mode)
    return out


CAP_DAC_OVERRIDE, CAP_DAC_READ_SEARCH, PR_CAPBSET_DROP = 1, 2, 24


def without_permission_bypass():
    """In the child before exec: drop the two capabilities by which root reads any file (Linux), so a folder or file
    of mode 000 is as unreadable to the command as to any user (it keeps uid 0, and so its access to the Python)."""
    import ctypes
    libc = ctypes.CDLL(None, use_errno=True)
    for cap in (CAP_DAC_OVERRIDE, CAP_DAC_READ_SEARCH):
        if libc.prctl(PR_CAPBSET_DROP, cap, 0, 0, 0) != 0:
            raise OSError(ctypes.get_errno(), "prctl(PR_CAPBSET_DROP)")


def can_drop_bypass(folder: Path) -> bool:
    """Whether a child without those capabilities is refused a folder of mode 000."""
    probe = folder / "probe"
    probe.mkdir()
    os.chmod(probe, 0)
    try:
        r = subprocess.run([sys.executable, "-c", f"import os; os.listdir({str(probe)!r})"],
                           preexec_fn=without_permission_bypass, capture_output=True, timeout=30)
        return r.returncode != 0 and b"PermissionError" in r.stderr
    except (OSError, subprocess.SubprocessError):
        return False
    finally:
        os.chmod(probe, 0o755)
        probe.rmdir()


def run_process(case: Case, store: Path, work: Path) -> tuple[int, str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("LITHKG_")}
    env.update({"LITHKG_EXTRACTORS": "curated", "HOME": str(work), **case.env})
    preexec = without_permission_bypass if case.mode == "unreadable" and os.geteuid() == 0 else None
    r = subprocess.run([sys.executable, "-m", "lithkg.cli", "--store", str(store), *case.args],
                       stdin=subprocess.DEVNULL, capture_output=True, cwd=str(work), env=env, timeout=60,
                       preexec_fn=preexec)
    return r.returncode, r.stdout.decode(errors="replace"), r.stderr.decode(errors="replace")


# ------------------------------------------------------------------------------------------------ extra checks
def claims_json(store: Path) -> list[dict]:
    r = CliRunner().invoke(main, ["--store", str(store), "claims", "-f", "jsonl"], catch_exceptions=False)
    return [json.loads(line) for line in r.stdout.splitlines()]


def form_feed(store: Path, work: Path) -> None:
    """Form feed and vertical tab are newlines in the stored text: the quote's span is exact, and every export
    (RDF/XML too, which allows no control character) is written."""
    text = (work / "ff.md").read_text().replace("\x0c", "\n").replace("\x0b", "\n")
    [row] = [r for r in claims_json(store) if r["quote"].startswith("ranks 6th in the\n")]
    assert text[row["start"]:row["end"]] == row["quote"] == "ranks 6th in the\nNational Cyber Security Index"
    for fmt in ("rdf-xml", "turtle", "trig", "nquads", "ntriples", "json-ld"):
        r = CliRunner().invoke(main, ["--store", str(store), "export", "-f", fmt, "-o", "-"], catch_exceptions=False)
        assert r.exit_code == 0 and len(r.stdout_bytes) > 1000, (fmt, r.stderr)
    import rdflib
    rdflib.Graph().parse(data=CliRunner().invoke(main, ["--store", str(store), "export", "-f", "rdf-xml", "-o", "-"])
                         .stdout, format="xml")


def deep_html_text(store: Path, work: Path) -> None:
    r = CliRunner().invoke(main, ["--store", str(store), "query", "-e",
                                  "SELECT ?t WHERE { ?d <https://w3id.org/lithkg/ns#text> ?t }", "-f", "json"],
                           catch_exceptions=False)
    texts = [b["t"]["value"] for b in json.loads(r.stdout)["results"]["bindings"]]
    assert any("first paragraph" in t and "National Cyber Security Index" in t for t in texts), texts


def new_store(store: Path, work: Path) -> None:
    assert (work / "empty" / "CURRENT").is_file()


CHECKS = {"form_feed": form_feed, "deep_html_text": deep_html_text, "new_store": new_store}


# ------------------------------------------------------------------------------------------------ the table
@pytest.mark.parametrize("case", CASES, ids=str)
def test_hostile_ingest(case: Case, base_store, tmp_path, monkeypatch):  # noqa: F811
    if case.mode == "unreadable" and os.geteuid() == 0 and not can_drop_bypass(tmp_path):
        pytest.skip("running as root without CAP_SETPCAP: cannot make a folder unreadable to the command")
    tmp = tmp_path
    locked = []
    try:
        store = tmp / "store"
        shutil.copytree(base_store, store)
        work, outside = tmp / "work", tmp / "outside"
        work.mkdir()
        outside.mkdir()
        locked = make_files(work, outside, case)
        before, files_before = digest(store), work_digest(work)
        for path in locked:
            os.chmod(path, 0)

        if case.mode in ("process", "unreadable"):
            code, stdout, stderr = run_process(case, store, work)
        else:
            code, stdout, stderr = invoke_in(work, store, case.args, monkeypatch=monkeypatch, env=case.env,
                                             stdin=case.stdin)

        message = case.message.replace("{etc}", os.path.relpath("/etc", work))
        message = message.replace("{dev}", os.path.relpath("/dev", work))
        if case.code == 0:
            assert code == 0, stderr
            assert stderr.splitlines()[-1] == message
            if case.check:
                CHECKS[case.check](store, work)
        else:
            assert (code, stderr) == (case.code, message + "\n")
            assert stderr.count("\n") == 1 and stderr.startswith("lithkg: error: ")
            assert stdout == ""
        for path in locked:
            os.chmod(path, 0o755)  # (so the working folder can be hashed)
        if not case.store_changes:
            assert digest(store) == before, "the store changed"
        if case.check != "new_store":
            assert work_digest(work) == files_before, "a file was left behind or changed in the working folder"
    finally:
        for path in locked:
            os.chmod(path, 0o755)


def test_the_table_covers_every_check():
    ids = {c.id for c in CASES}
    assert len(ids) == len(CASES)
    for needed in ("name-not-utf8-in-folder-bulk", "fifo-in-folder-bulk", "unreadable-subfolder-bulk",
                   "claims-document-outside-relative-bulk", "nul-after-64k-bulk", "store-at-a-folder-of-own-files-bulk"):
        assert needed in ids


# ------------------------------------------------------------------------------------------------ the pieces
def test_messages_escape_what_a_terminal_acts_on():
    assert escape("a\x1b[31mb\rc\td\ne\x07\x7f\x85") == "a\\x1b[31mb\\rc\\td\\ne\\x07\\x7f\\x85"
    assert escape(os.fsdecode(b"\xff\xfe.md")) == "\\xff\\xfe.md"
    assert escape("\u202eevil\u2066") == "\\u202eevil\\u2066"
    assert escape("Lietuva – café, “quoted”") == "Lietuva – café, “quoted”"


def test_long_paragraphs_reach_the_splitter_in_pieces():
    text = "Lithuania ranks 6th. " * 5000 + "x" * (3 * PIECE) + " end"
    spans = list(pieces(text, 0, len(text)))
    assert spans[0][0] == 0 and spans[-1][1] == len(text)
    assert all(a[1] == b[0] for a, b in zip(spans, spans[1:]))  # contiguous: no character lost
    assert all(end - start <= PIECE for start, end in spans)
    assert text[spans[0][1] - 2:spans[0][1]] == ". "  # cut after a sentence end where there is one
    lay = layout(text)
    assert all(text[s.start:s.end] == s.text for s in lay.sentences)
    assert sum(1 for s in lay.sentences if s.text == "Lithuania ranks 6th.") == 5000
