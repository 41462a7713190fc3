"""The exception tree of lithkg, with a fixed exit code for each branch.

::

    LithkgError                     exit 1   anything lithkg refuses or cannot do
    ├── UsageError                  exit 2   a wrong option value, an unknown format or command argument
    ├── InputError                  exit 4   a document, curated-claims file or other input that cannot be read
    │   ├── DocumentError                    an empty, binary, non-UTF-8 or malformed document / front matter
    │   ├── ClaimsFileError                  a curated claim that does not parse or whose quote is not in its document
    │   └── UnknownTermError                 an entity, property, qualifier or unit that the ontology does not know
    ├── ExtractionError             exit 1   an extractor failed on a document (a bug: nothing is written)
    ├── QueryError                  exit 5   a SPARQL syntax error, a missing parameter, a refused operation
    │   ├── QueryTimeout                     a query ran past its time limit (and was stopped)
    │   └── UpdateRefused                    an update sent as a query (the endpoint answers 403)
    ├── StoreError                  exit 6   the store cannot be opened or written
    │   └── StoreLockedError                 another process holds the store
    ├── EndpointError               exit 7   a remote SPARQL endpoint failed or refused
    ├── MissingExtraError           exit 8   an optional extra is not installed (plotting: ``lithkg[plot]``)
    └── CheckFailed                 exit 3   a check ran and found problems (``validate``: the store does not conform)

Every message is one line that names the input (file, and line where there is one) and says what to do. Control
characters, bytes of a file name that are not UTF-8 and characters that reorder or break terminal text are shown
escaped (``\\x1b``, ``\\r``, ``\\xff``), so no message can move the cursor, recolour or overwrite a terminal.
"""
from __future__ import annotations

import re

# C0 and C1 controls and DEL, lone surrogates (the undecodable bytes of a file name, as Python's surrogateescape gives
# them), bidirectional overrides and isolates, and the Unicode line and paragraph separators
_UNSAFE = re.compile("[\x00-\x1f\x7f-\x9f\u061c\u200e\u200f\u2028\u2029\u202a-\u202e\u2066-\u2069"
                     "\ud800-\udfff]")
_NAMED = {"\t": "\\t", "\n": "\\n", "\r": "\\r"}


def _escape_one(m: re.Match) -> str:
    c = m.group(0)
    n = ord(c)
    if c in _NAMED:
        return _NAMED[c]
    if 0xDC80 <= n <= 0xDCFF:  # a byte that did not decode (surrogateescape): show the byte
        return f"\\x{n - 0xDC00:02x}"
    return f"\\x{n:02x}" if n < 0x100 else f"\\u{n:04x}"


def escape(text: str) -> str:
    """``text`` with every control character (tab and newline too), undecodable file-name byte and bidirectional
    control shown as an escape: what a message prints of a file name or other text from the input."""
    return _UNSAFE.sub(_escape_one, str(text))


class LithkgError(Exception):
    """Base class of every error lithkg raises on purpose."""

    exit_code = 1

    def __init__(self, message: str, *, path: str | None = None, line: int | None = None,
                 column: int | None = None, hint: str | None = None):
        self.message = message
        self.path = path
        self.line = line
        self.column = column
        self.hint = hint
        super().__init__(self.format())

    def format(self) -> str:
        where = ""
        if self.path is not None:
            where = str(self.path)
            if self.line is not None:
                where += f":{self.line}"
                if self.column is not None:
                    where += f":{self.column}"
            where += ": "
        text = f"{where}{self.message}"
        if self.hint:
            text += f" ({self.hint})"
        return escape(" ".join(text.split("\n")))  # one line, and nothing a terminal acts on


class UsageError(LithkgError):
    exit_code = 2


class CheckFailed(LithkgError):
    exit_code = 3


class InputError(LithkgError):
    exit_code = 4


class DocumentError(InputError):
    pass


class ClaimsFileError(InputError):
    pass


class UnknownTermError(InputError):
    pass


class ExtractionError(LithkgError):
    exit_code = 1


class QueryError(LithkgError):
    exit_code = 5


class UpdateRefused(QueryError):
    """An update (INSERT, DELETE, LOAD, ...) where a query was expected: lithkg's queries only read the store."""


class QueryTimeout(QueryError):
    """A query ran past its time limit of ``seconds`` (the endpoint answers 503)."""

    def __init__(self, seconds: float, *, path: str = "query", hint: str = "narrow the query, or raise the time limit"):
        super().__init__(f"the query ran longer than the time limit ({seconds:g} s)", path=path, hint=hint)


class StoreError(LithkgError):
    exit_code = 6


class StoreLockedError(StoreError):
    pass


class EndpointError(LithkgError):
    exit_code = 7


class MissingExtraError(LithkgError):
    exit_code = 8


EXIT_CODES = {
    "ok": 0,
    "error": LithkgError.exit_code,
    "usage": UsageError.exit_code,
    "check failed": CheckFailed.exit_code,
    "input": InputError.exit_code,
    "query": QueryError.exit_code,
    "store": StoreError.exit_code,
    "endpoint": EndpointError.exit_code,
    "missing extra": MissingExtraError.exit_code,
}
