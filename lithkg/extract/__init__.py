"""Extractors turn a document into claims. They are registered by name; ingest runs the configured ones.

An extractor is any object with ``name``, ``version`` and ``extract(document, context) -> list[Claim]``.
Register one with :func:`register` (a class decorator); :func:`get` returns a fresh instance by name.

Bundled extractors:
    ``curated``  the claims people wrote down in curated-claims YAML files (see :mod:`lithkg.extract.curated`)
    ``frames``   claims read from prose by the frames of ontology/frames.ttl (see :mod:`lithkg.extract.frames`)
"""
from __future__ import annotations

import dataclasses
import re
from typing import Callable, Protocol

from ..errors import ExtractionError, LithkgError, UsageError
from ..model import Claim, Document

_REGISTRY: dict[str, Callable[[], "Extractor"]] = {}
_NAME_RE = re.compile(r"^[a-z][a-z0-9_-]*$")


class Extractor(Protocol):
    name: str
    version: str

    def extract(self, document: Document, context: "ExtractionContext") -> list[Claim]: ...


@dataclasses.dataclass
class ExtractionContext:
    """What an extractor may use besides the document: the ontology and the curated entries for it."""

    ontology: object
    curated: list = dataclasses.field(default_factory=list)


def register(factory):
    """Class decorator: make an extractor available by its ``name``."""
    name = factory.name
    if not _NAME_RE.match(name):
        raise ValueError(f"extractor name {name!r} must be lowercase letters, digits, '-' or '_'")
    _REGISTRY[name] = factory
    return factory


def get(name: str) -> Extractor:
    try:
        return _REGISTRY[name]()
    except KeyError:
        raise UsageError(f"unknown extractor '{name}'", hint=f"use one of: {', '.join(available())}") from None


def available() -> list[str]:
    return sorted(_REGISTRY)


def run(names, document: Document, context: ExtractionContext) -> list[Claim]:
    """The claims of every named extractor for one document. An extractor's own failure (a bug) becomes one
    :class:`ExtractionError` naming the document, never a traceback."""
    claims: list[Claim] = []
    for name in names:
        try:
            claims.extend(get(name).extract(document, context))
        except LithkgError:
            raise
        except Exception as exc:
            raise ExtractionError(f"extractor '{name}' failed: {type(exc).__name__}: {exc}",
                                  path=document.file_name, hint="nothing was written; please report this "
                                                                "document") from exc
    return claims


from . import curated, frames  # noqa: E402,F401  (registers the bundled extractors)
