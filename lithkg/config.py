"""Settings, with one precedence: defaults < ``[tool.lithkg]`` in pyproject.toml < ``LITHKG_*`` env < flags.

=================  ======================  ====================================================
setting            environment             meaning
=================  ======================  ====================================================
``store``          ``LITHKG_STORE``        path of the embedded Oxigraph store (default ``.lithkg/store``)
``graph_dir``      ``LITHKG_GRAPH_DIR``    the bundled graph folder ``build`` reads (default ``graph``)
``extractors``     ``LITHKG_EXTRACTORS``   comma-separated extractor names run on every document
``endpoint``       ``LITHKG_ENDPOINT``     a SPARQL 1.1 query URL: run on that server instead of the embedded store
``update_endpoint`` ``LITHKG_UPDATE_ENDPOINT`` its SPARQL Update URL (needed to write)
``graph_store``    ``LITHKG_GRAPH_STORE``  its Graph Store Protocol URL (bulk writes of a version's graph)
``base``           ``LITHKG_BASE``         the base data IRIs are minted under in a new store (default
                                           ``https://w3id.org/lithkg/id/``); a store keeps the base it
                                           was built with, and a different one given later is an error
``max_document_size`` ``LITHKG_MAX_DOCUMENT_SIZE`` the largest document ``ingest`` reads, in bytes (``64M``
                                           style suffixes K, M, G allowed; default 64 MiB); a larger one
                                           is refused before it is read; from 1 byte to ``1G``
``query_timeout``  ``LITHKG_QUERY_TIMEOUT`` seconds a ``lithkg query`` may run (default 60; 0: no limit;
                                           at most 86400)
``ontology``       ``LITHKG_ONTOLOGY``     the user's own Turtle files of entities, aliases, frames and units,
                                           read on top of lithkg's ``ontology/`` (a list; in the environment
                                           separated by ``os.pathsep``; default none)
=================  ======================  ====================================================

The pyproject.toml read is the first one found walking up from the working directory; relative paths in
it are taken relative to that file's folder.
"""
from __future__ import annotations

import dataclasses
import os
import re
import tomllib
from pathlib import Path

from .errors import UsageError

PACKAGE_DIR = Path(__file__).resolve().parent


def check_base(base: str) -> str:
    """A base must be an absolute http(s) IRI ending in ``/`` with nothing an IRI cannot hold."""
    if not isinstance(base, str) or not re.fullmatch(r"https?://[^\s<>\"{}|\\^`#?]+/", base):
        raise UsageError(f"'{base}' is not a usable base for IRIs",
                         hint="give an absolute http(s) IRI ending in '/', such as https://kg.example.org/id/")
    return base


def data_dir(name: str) -> Path:
    """Where the bundled ``ontology/`` or ``queries/`` folder is: inside the installed package, or at the
    top of the source tree for an editable install."""
    for candidate in (PACKAGE_DIR / name, PACKAGE_DIR.parent / name):
        if candidate.is_dir():
            return candidate
    raise UsageError(f"lithkg's {name}/ folder is missing", hint="reinstall lithkg")


@dataclasses.dataclass(frozen=True)
class Settings:
    store: Path = Path(".lithkg/store")
    graph_dir: Path = Path("graph")
    extractors: tuple[str, ...] = ("curated", "frames")
    base: str | None = None  # None: the store's own base, or the default one for a new store
    endpoint: str | None = None  # a SPARQL 1.1 query URL: use that server instead of the embedded store
    update_endpoint: str | None = None
    graph_store: str | None = None
    max_document_size: int = 64 * 1024 * 1024  # bytes (documents.MAX_DOCUMENT_SIZE)
    query_timeout: float = 60.0  # seconds a user's query may run in 'lithkg query'; 0: no limit
    ontology: tuple[Path, ...] = ()  # the user's Turtle files, read on top of the package's ontology/

    def replace(self, **changes) -> "Settings":
        changes = {k: v for k, v in changes.items() if v is not None}
        return dataclasses.replace(self, **changes)


MIN_DOCUMENT_SIZE = 1                 # bytes: the bounds of the max_document_size setting
MAX_DOCUMENT_SIZE = 1024 ** 3         # 1 GiB: far above any text document; a larger limit is a mistake
MAX_QUERY_TIMEOUT = 86_400            # seconds (a day) for query_timeout; 0 means no limit


def _shown(value) -> str:
    """A setting's value as a message shows it: short, on one line."""
    text = " ".join(str(value).split()) if isinstance(value, (str, int, float)) else type(value).__name__
    return text if len(text) <= 40 else text[:37] + "..."


def _find_pyproject(start: Path) -> Path | None:
    for folder in (start, *start.parents):
        candidate = folder / "pyproject.toml"
        if candidate.is_file():
            return candidate
    return None


def _coerce(key: str, value, origin: str, base: Path | None = None):
    if key in ("store", "graph_dir"):
        if not isinstance(value, str) or not value:
            raise UsageError(f"{origin}: '{key}' must be a path string")
        path = Path(value).expanduser()
        if base is not None and not path.is_absolute():
            path = base / path
        return path
    if key == "ontology":
        if isinstance(value, str):
            value = [v for v in value.split(os.pathsep) if v.strip()]
        if not isinstance(value, (list, tuple)) or not all(isinstance(v, (str, Path)) and str(v) for v in value):
            raise UsageError(f"{origin}: 'ontology' must be a list of Turtle file paths")
        paths = [Path(v).expanduser() for v in value]
        return tuple(base / p if base is not None and not p.is_absolute() else p for p in paths)
    if key == "extractors":
        if isinstance(value, str):
            value = [v.strip() for v in value.split(",") if v.strip()]
        if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
            raise UsageError(f"{origin}: 'extractors' must be a list of extractor names")
        return tuple(value)
    if key in ("endpoint", "update_endpoint", "graph_store"):
        if not isinstance(value, str) or not value.startswith(("http://", "https://")):
            raise UsageError(f"{origin}: '{key}' must be an http(s) URL")
        return value
    if key == "base":
        try:
            return check_base(value)
        except UsageError as exc:
            raise UsageError(f"{origin}: {exc.message}", hint=exc.hint) from None
    if key == "max_document_size":
        text = str(value)[:64] if isinstance(value, (str, int)) and not isinstance(value, bool) else ""
        m = re.match(r"^\s*(\d{1,13})\s*([KMG]?)i?B?\s*$", text, re.I)  # (digits bounded before int())
        size = int(m.group(1)) * 1024 ** " KMG".index((m.group(2) or " ").upper()) if m else 0
        if not MIN_DOCUMENT_SIZE <= size <= MAX_DOCUMENT_SIZE:
            raise UsageError(f"{origin}: 'max_document_size' must be a size from 1 byte to 1G ({MAX_DOCUMENT_SIZE:,}"
                             f" bytes), such as 67108864 or 64M, not '{_shown(value)}'")
        return size
    if key == "query_timeout":
        seconds = -1.0
        if isinstance(value, (int, float)) and not isinstance(value, bool):
            seconds = float(value) if abs(value) < 1e300 else -1.0
        elif isinstance(value, str) and re.match(r"^\s*\d{1,9}(\.\d{1,9})?\s*$", value):
            seconds = float(value)
        if not 0 <= seconds <= MAX_QUERY_TIMEOUT:
            raise UsageError(f"{origin}: 'query_timeout' must be a number of seconds from 0 to {MAX_QUERY_TIMEOUT:,}"
                             f" (0: no limit), not '{_shown(value)}'")
        return seconds
    raise UsageError(f"{origin}: unknown setting '{key}'", hint="known: store, graph_dir, extractors, base, endpoint, "
                                                                     "update_endpoint, graph_store, max_document_size, "
                                                                     "query_timeout, ontology")


def load_settings(*, cwd: Path | None = None, environ: dict | None = None, **flags) -> Settings:
    """Settings from defaults, pyproject.toml, the environment and the given flags (``None`` = not given)."""
    cwd = Path.cwd() if cwd is None else cwd
    environ = os.environ if environ is None else environ
    values: dict = {}
    pyproject = _find_pyproject(cwd)
    if pyproject is not None:
        try:
            table = tomllib.loads(pyproject.read_text(encoding="utf-8")).get("tool", {}).get("lithkg", {})
        except (tomllib.TOMLDecodeError, UnicodeDecodeError) as exc:
            raise UsageError(f"cannot read [tool.lithkg]: {exc}", path=str(pyproject)) from None
        for key, value in table.items():
            values[key.replace("-", "_")] = _coerce(key.replace("-", "_"), value, f"{pyproject} [tool.lithkg]",
                                                    pyproject.parent)
    for key in ("store", "graph_dir", "extractors", "base", "endpoint", "update_endpoint", "graph_store",
                "max_document_size", "query_timeout", "ontology"):
        env = environ.get(f"LITHKG_{key.upper()}")
        if env:
            values[key] = _coerce(key, env, f"LITHKG_{key.upper()}")
    for key, value in flags.items():
        if value is not None:
            values[key] = _coerce(key, value if not isinstance(value, Path) else str(value), f"--{key}")
    return Settings().replace(**values)
