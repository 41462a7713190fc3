"""lithkg: a claim-versioning knowledge graph.

Documents become claims with provenance and time qualifiers, stored as RDF in an embedded Oxigraph
store (or any SPARQL 1.1 endpoint), queried with SPARQL and exported as Turtle, JSON-LD, TriG and N-Quads.

The Python entry point is :class:`lithkg.kg.KnowledgeGraph`; the ``lithkg`` command is a thin layer over it.
"""

__version__ = "0.1.0"

from .errors import LithkgError  # noqa: E402

__all__ = ["LithkgError", "__version__"]
