"""lithkg: a claim-versioning knowledge graph.

Documents become claims with provenance and time qualifiers, stored as RDF in an embedded Oxigraph
store (or any SPARQL 1.1 endpoint), queried with SPARQL and exported as Turtle, JSON-LD, TriG and N-Quads.

The Python entry point is :class:`KnowledgeGraph` (``from lithkg import KnowledgeGraph``, defined in
:mod:`lithkg.kg`); the ``lithkg`` command is a thin layer over it. Errors lithkg raises on purpose are
:class:`LithkgError` and its subclasses (:mod:`lithkg.errors`).
"""

__version__ = "0.1.0"

from .errors import LithkgError  # noqa: E402

__all__ = ["KnowledgeGraph", "LithkgError", "__version__"]


def __getattr__(name: str):
    """``lithkg.KnowledgeGraph`` is imported on first use, so ``import lithkg`` (and the CLI's ``--help``) stays
    light."""
    if name == "KnowledgeGraph":
        from .kg import KnowledgeGraph
        return KnowledgeGraph
    raise AttributeError(f"module 'lithkg' has no attribute {name!r}")
