"""Read documents: plain text, Markdown or HTML, with optional YAML front matter.

The document text, the one claim offsets count in, is what is left after the front matter is removed,
line endings are made ``\\n`` and HTML is reduced to text (by the html-text library). Its SHA-256 is the
document version's identity: the same text read again is the same version.
"""
from __future__ import annotations

import datetime as _dt
import hashlib
import os
import re
import stat
from pathlib import Path

import yaml

from ..errors import DocumentError, escape
from ..model import Document, parse_iso_datetime
from .yamlsafe import YAML_VALUE_ERRORS, YamlLimitError
from . import yamlsafe

MEDIA_TYPES = {
    ".txt": "text/plain", ".text": "text/plain",
    ".md": "text/markdown", ".markdown": "text/markdown",
    ".html": "text/html", ".htm": "text/html", ".xhtml": "text/html",
}
MAX_DOCUMENT_SIZE = 64 * 1024 * 1024  # bytes: the default of the max_document_size setting
FRONT_MATTER_KEYS = {"title": str, "url": str, "published": "date", "retrieved": "date", "focus": str}
_FRONT_RE = re.compile(r"\A---[ \t]*\n(.*?\n)?(?:---|\.\.\.)[ \t]*(?:\n|\Z)", re.S)
_YEAR_RE = re.compile(r"(?<![\d.,])(1[89]\d\d|20\d\d)(?![\d.,]\d)")


MAX_FRONT_MATTER = 1024 * 1024  # characters of the YAML between the --- lines


def is_document_path(path: Path) -> bool:
    return path.suffix.lower() in MEDIA_TYPES


MAX_HTML_DEPTH = 200  # elements nested in an HTML document (lxml's parser stops at 256 and drops the rest)
# Refused in a document's text and fields: C0 controls but tab and newline (form feed and vertical tab are made
# newlines first; carriage returns are line endings), DEL, C1 controls, and U+FFFE / U+FFFF, none of which XML allows
CONTROL = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\ufffe\uffff]")
_REFUSED = re.compile("[\x00-\x08\x0e-\x1f\x7f-\x9f\ufffe\uffff]")
_PAGE_BREAKS = str.maketrans({"\x0b": "\n", "\x0c": "\n"})
_NAME_CONTROL = re.compile("[\x00-\x1f\x7f-\x9f]")


def _char_name(c: str) -> str:
    return f"U+{ord(c):04X}"


def check_file_name(path: Path | str, shown: str | None = None) -> None:
    """Refuse a file name that is not UTF-8 (Python holds its bytes as lone surrogates) or holds a control character:
    it could not be stored (or exported) as the document's name. The message shows it escaped."""
    text = str(path)
    shown = escape(shown if shown is not None else text)
    try:
        text.encode("utf-8")
    except UnicodeEncodeError:
        raise DocumentError("the file name is not UTF-8", path=shown, hint="rename the file") from None
    if _NAME_CONTROL.search(text):
        raise DocumentError("the file name has a control character", path=shown, hint="rename the file")


_FILE_TYPES = ((stat.S_ISFIFO, "a FIFO (named pipe)"), (stat.S_ISCHR, "a character device"),
               (stat.S_ISBLK, "a block device"), (stat.S_ISSOCK, "a socket"), (stat.S_ISDIR, "a folder"))


def not_regular(mode: int, name: str) -> DocumentError | None:
    """The refusal for a file that is not a regular file (lithkg reads documents only from regular files)."""
    if stat.S_ISREG(mode):
        return None
    kind = next((what for test, what in _FILE_TYPES if test(mode)), "not a regular file")
    if kind == "a folder":
        return DocumentError("is a folder, not a file", path=name)
    return DocumentError(f"is {kind}, not a regular file", path=name, hint="give documents as regular files")


def check_text(text: str, name: str, *, line_offset: int = 0, what: str = "the text") -> str:
    """Form feeds and vertical tabs made newlines (one character for one: offsets stay as they are); any other
    control character refused, naming the line it is on."""
    m = _REFUSED.search(text)
    if m:
        line = text.count("\n", 0, m.start()) + 1 + line_offset if line_offset is not None else None
        raise DocumentError(f"{what} has control character {_char_name(m.group(0))}", path=name, line=line,
                            hint="remove it: a document holds text, tabs and line breaks only")
    return text.translate(_PAGE_BREAKS)


# UTF-32 first: its little-endian BOM starts with UTF-16's
_WIDE_BOMS = ((b"\xff\xfe\x00\x00", "UTF-32"), (b"\x00\x00\xfe\xff", "UTF-32"), (b"\xff\xfe", "UTF-16"),
              (b"\xfe\xff", "UTF-16"))


def content_hash(text: str) -> str:
    return "sha256:" + hashlib.sha256(text.encode("utf-8")).hexdigest()


def stdin_source_key(text_hash: str) -> str:
    """The source key of a document read from stdin with no --source and no url: ``stdin-`` and the first 12 hex
    digits of its text's SHA-256 (:func:`content_hash`). Two different texts piped in are two sources; the same text
    piped twice is one source and one version."""
    return "stdin-" + text_hash.rpartition(":")[2][:12]


def decode(data: bytes, name: str) -> str:
    """Bytes to text: refuse empty, binary and non-UTF-8 input; drop a BOM; make line endings ``\\n``."""
    if not data.strip():
        raise DocumentError("the document is empty", path=name, hint="give a file with text in it")
    for bom, encoding in _WIDE_BOMS:
        if data.startswith(bom):
            raise DocumentError(f"the text is not UTF-8: it starts with a {encoding} byte order mark", path=name,
                                hint=f"convert it to UTF-8, e.g. with iconv -f {encoding} -t UTF-8")
    if b"\x00" in data[:65536]:
        raise DocumentError("the file is binary, not text", path=name,
                            hint="give a .txt, .md or .html document")
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as exc:
        line = data[:exc.start].count(b"\n") + 1
        raise DocumentError(f"the text is not UTF-8 (byte {exc.start})", path=name, line=line,
                            hint="convert it to UTF-8, e.g. with iconv") from None
    if text.startswith("\ufeff"):
        text = text[1:]
    return check_text(text.replace("\r\n", "\n").replace("\r", "\n"), name)


def _date_field(key: str, value, name: str, line: int) -> str:
    if isinstance(value, _dt.datetime):
        return value.date().isoformat()
    if isinstance(value, _dt.date):
        return value.isoformat()
    if isinstance(value, int) and not isinstance(value, bool):
        value = str(value)
    if isinstance(value, str):
        try:
            return parse_iso_datetime(value)
        except ValueError as exc:
            raise DocumentError(f"front matter '{key}': {exc}", path=name, line=line,
                                hint=getattr(exc, "hint", None)) from None
    raise DocumentError(f"front matter '{key}' must be a date, not {type(value).__name__}", path=name, line=line,
                        hint="write e.g. 2022-05-01")


def split_front_matter(text: str, name: str) -> tuple[dict, str]:
    """Parse a leading ``---`` YAML block; return its checked fields and the text after it."""
    m = _FRONT_RE.match(text)
    if not m:
        if text.startswith("---\n") and "\n---" not in text[4:] and ":" in text.split("\n", 2)[1]:
            raise DocumentError("front matter is not closed", path=name, line=1,
                                hint="end it with a line '---'")
        return {}, text
    block = m.group(1) or ""
    if len(block) > MAX_FRONT_MATTER:
        raise DocumentError(f"front matter is {len(block):,} characters, over the limit of {MAX_FRONT_MATTER:,}",
                            path=name, line=2, hint="keep the fields (title, url, published, retrieved) short")
    try:
        data = yamlsafe.load(block)[0] if block.strip() else {}
    except YamlLimitError as exc:
        raise DocumentError(f"front matter: {exc.message}", path=name, line=exc.problem_mark.line + 2,
                            hint="use fewer aliases" if exc.expansion else exc.hint) from None
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        line = mark.line + 2 if mark is not None else 1
        problem = getattr(exc, "problem", None) or "not valid YAML"
        raise DocumentError(f"front matter is not valid YAML: {problem}", path=name, line=line,
                            hint="fix the YAML between the --- lines") from None
    except RecursionError:  # PyYAML composes nested collections recursively
        raise DocumentError("front matter is nested too deeply", path=name, line=2,
                            hint="fix the YAML between the --- lines") from None
    except YAML_VALUE_ERRORS as exc:
        raise DocumentError(f"front matter is not valid YAML: a tagged value cannot be read ({exc})", path=name,
                            line=2, hint="fix the YAML between the --- lines") from None
    if data is None:
        data = {}
    if not isinstance(data, dict):
        raise DocumentError("front matter must be a mapping of fields (title, url, published, retrieved)",
                            path=name, line=2)
    lines = block.split("\n")
    fields = {}
    for key, value in data.items():
        line = next((i + 2 for i, ln in enumerate(lines) if ln.startswith(f"{key}:")), 2)
        if key not in FRONT_MATTER_KEYS or value is None:
            continue
        kind = FRONT_MATTER_KEYS[key]
        if kind == "date":
            fields[key] = _date_field(key, value, name, line)
        elif isinstance(value, str) and value.strip():
            fields[key] = value.strip()
        else:
            raise DocumentError(f"front matter '{key}' must be a text, not {type(value).__name__}",
                                path=name, line=line)
    return fields, text[m.end():]


def html_to_text(html: str) -> str:
    """Visible text of an HTML page, with block elements on their own lines (html-text library); table rows
    become ``| cell | cell |`` lines, as in Markdown, so a row keeps its cells apart."""
    import html_text

    html = re.sub(r"(?i)<tr(\s[^>]*)?>", lambda m: m.group(0) + "<span>| </span>", html)
    html = re.sub(r"(?i)</t([dh])\s*>", r"</t\1><span> | </span>", html)
    try:
        tree = html_text.parse_html(html)
        depth = _depth(tree)
        if depth > MAX_HTML_DEPTH:  # the parser keeps 256 levels and silently drops what is deeper: refused
            raise DocumentError(f"the HTML nests elements {'at least ' if depth >= 256 else ''}{depth} deep, over the"
                                f" limit of {MAX_HTML_DEPTH}", hint="flatten the markup, or give the text as .txt")
        return html_text.extract_text(tree, guess_layout=True)
    except DocumentError:
        raise
    except Exception as exc:  # lxml raises several kinds on broken markup
        raise DocumentError(f"cannot read the HTML: {exc}") from None


def _depth(tree) -> int:
    """How deep elements nest in a parsed tree (the root is 1), without recursion."""
    deepest, stack = 0, [(tree, 1)]
    while stack:
        element, depth = stack.pop()
        deepest = max(deepest, depth)
        stack.extend((child, depth + 1) for child in element)
    return deepest


def _html_title(html: str) -> str | None:
    m = re.search(r"<title[^>]*>(.*?)</title>", html, re.S | re.I)
    if not m:
        return None
    import html as _html

    title = " ".join(_html.unescape(re.sub(r"<[^>]+>", "", m.group(1))).split())
    return title or None


def infer_date(text: str, today: _dt.date | None = None) -> str | None:
    """The latest year the text mentions (not in the future), as the document's inferred date."""
    limit = (today or _dt.date.today()).year
    years = [int(y) for y in _YEAR_RE.findall(text) if int(y) <= limit]
    return str(max(years)) if years else None


def display_path(path: Path, relative_to: Path | None = None) -> str:
    """A stable, portable name for a file: relative (POSIX) to ``relative_to`` or the working directory."""
    base = (relative_to or Path.cwd()).resolve()
    resolved = path.resolve()
    try:
        return resolved.relative_to(base).as_posix()
    except ValueError:
        return Path(os.path.relpath(resolved, base)).as_posix() if resolved.anchor == base.anchor \
            else resolved.as_posix()


def parse_document(data: bytes, *, name: str, media_type: str | None = None, source: str | None = None,
                   url: str | None = None, title: str | None = None, published: str | None = None,
                   retrieved: str | None = None) -> Document:
    """Make a :class:`Document` from raw bytes. ``name`` is the file name it was read from (``-`` for stdin);
    keyword fields override the front matter. The source key is ``source``, else the url, else the file name; for
    stdin with neither, :func:`stdin_source_key`."""
    if media_type is None:
        media_type = MEDIA_TYPES.get(Path(name).suffix.lower(), "text/plain")
    raw = decode(data, name)
    fields, body = split_front_matter(raw, name)
    if media_type == "text/html":
        try:
            text = html_to_text(body)
        except DocumentError as exc:
            raise DocumentError(exc.message, path=name, hint=exc.hint) from None
        text = check_text(text, name, line_offset=None, what="the HTML's text")  # (from character references)
        if "title" not in fields and _html_title(body):
            fields["title"] = _html_title(body)
    else:
        text = body
    if not text.strip():
        raise DocumentError("the document has no text after its front matter", path=name,
                            hint="add the document's text below the --- lines")
    overrides = {"url": url, "title": title, "published": published, "retrieved": retrieved}
    for key, value in overrides.items():
        if value is not None:
            fields[key] = _date_field(key, value, name, None) if key in ("published", "retrieved") else value
    for key, value in fields.items():  # escapes in the front matter ("\a"), character references in an HTML title
        fields[key] = _check_field(key, value, raw, name, key in overrides and overrides[key] is not None)
    source_key = source or fields.get("url") or (stdin_source_key(content_hash(text)) if name == "-" else name)
    if source is not None:
        _check_field("source", source, raw, name, True)
    if fields.get("published"):
        source_date, inferred = fields["published"], False
    else:
        source_date, inferred = infer_date(text), True
        if source_date is None and fields.get("retrieved"):
            source_date = fields["retrieved"]
    return Document(text=text, content_hash=content_hash(text), source_key=source_key, file_name=name,
                    media_type=media_type, title=fields.get("title"), url=fields.get("url") or
                    (source if source and "://" in source else None), published=fields.get("published"),
                    retrieved=fields.get("retrieved"), source_date=source_date,
                    source_date_inferred=inferred and source_date is not None, focus=fields.get("focus"))


def _check_field(key: str, value: str, raw: str, name: str, given: bool) -> str:
    """A front-matter (or command-line) field with control characters refused, form feeds made newlines."""
    if not isinstance(value, str) or not CONTROL.search(value):
        return value
    m = _REFUSED.search(value)
    if m:
        if given:
            raise DocumentError(f"the {key} given has control character {_char_name(m.group(0))}", path=name,
                                hint="remove it")
        head = raw.split("\n---", 1)[0].split("\n") if raw.startswith("---") else []
        line = next((i + 1 for i, ln in enumerate(head) if ln.startswith(f"{key}:")), None)
        raise DocumentError(f"front matter '{key}' has control character {_char_name(m.group(0))}", path=name,
                            line=line, hint="remove it")
    return value.translate(_PAGE_BREAKS)


def _too_big(name: str, limit: int, size: int | None = None) -> DocumentError:
    said = f"{size:,} bytes, " if size is not None else ""  # (a pipe's size is not known)
    return DocumentError(f"the document is {said}over the limit of {limit:,} bytes (max_document_size)", path=name,
                         hint="split it, or raise LITHKG_MAX_DOCUMENT_SIZE")


def read_stdin(max_bytes: int | None = None, stream=None) -> bytes:
    """A document from stdin, read up to the size limit (never more than the limit plus one byte)."""
    import sys

    limit = MAX_DOCUMENT_SIZE if max_bytes is None else max_bytes
    data = (stream or sys.stdin.buffer).read(limit + 1)
    if len(data) > limit:
        raise _too_big("-", limit)
    return data


def read_document(path: Path, *, relative_to: Path | None = None, max_bytes: int | None = None,
                  **fields) -> Document:
    """Read one document file (see :func:`parse_document` for the keyword fields). A file over ``max_bytes``
    (default :data:`MAX_DOCUMENT_SIZE`) is refused before it is read."""
    name = display_path(path, relative_to)
    if path.suffix.lower() not in MEDIA_TYPES:
        raise DocumentError(f"'{path.suffix or path.name}' is not a document type lithkg reads", path=name,
                            hint="give .txt, .md or .html files")
    limit = MAX_DOCUMENT_SIZE if max_bytes is None else max_bytes
    check_file_name(name)  # what is stored as the document's name
    try:
        refused = not_regular(os.stat(path).st_mode, name)  # a FIFO would block, a device never end: not opened
        if refused:
            raise refused
        # O_NONBLOCK: should the file be swapped for a FIFO after the check, the open does not wait for a writer
        fd = os.open(path, os.O_RDONLY | os.O_NONBLOCK | getattr(os, "O_NOCTTY", 0) | getattr(os, "O_CLOEXEC", 0))
        with os.fdopen(fd, "rb") as f:
            st = os.fstat(f.fileno())
            refused = not_regular(st.st_mode, name)
            if refused:
                raise refused
            os.set_blocking(fd, True)
            if st.st_size > limit:
                raise _too_big(name, limit, st.st_size)
            data = f.read(limit + 1)  # never more than the limit, whatever the size said
        if len(data) > limit:
            raise _too_big(name, limit)
    except DocumentError:
        raise
    except FileNotFoundError:
        raise DocumentError("no such file", path=name) from None
    except IsADirectoryError:
        raise DocumentError("is a folder, not a file", path=name) from None
    except OSError as exc:
        raise DocumentError(f"cannot read the file: {exc.strerror}", path=name) from None
    return parse_document(data, name=name, media_type=MEDIA_TYPES[path.suffix.lower()], **fields)
