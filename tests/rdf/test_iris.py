import re

import pytest

from lithkg.rdf import mapping
from lithkg.errors import UsageError
from lithkg.rdf.iris import DEFAULT_BASE, Ids, check_base
from lithkg.model import Claim, Document, Evidence, Term, TimeSpec, Value

DOC = Document(text="Lithuania ranks 6th.", content_hash="sha256:" + "1" * 64, source_key="page",
               file_name="x.md", media_type="text/markdown")


def _claim(ids: Ids) -> Claim:
    return Claim(subject=Term(ids.entity + "lithuania", "Lithuania"), property=Term(mapping.LKGP + "rank", "rank"),
                 value=Value.entity(Term(ids.entity + "nato", "NATO")), evidence=Evidence("ranks", 10, 15),
                 extractor="curated", time=TimeSpec(point="2022"))


def test_default_base_mints_under_w3id():
    ids = Ids()
    assert ids.base == DEFAULT_BASE == "https://w3id.org/lithkg/id/"
    assert re.fullmatch(r"https://w3id.org/lithkg/id/doc/[0-9a-f]{20}", ids.document(DOC))
    assert ids.prefixes is mapping.PREFIXES


def test_another_base_keeps_local_names():
    """The hash behind each IRI is the same under any base, so moving a graph is a prefix substitution."""
    home, other = Ids(), Ids("http://127.0.0.1:8000/id/")
    doc_home, doc_other = home.document(DOC), other.document(DOC)
    assert doc_other == "http://127.0.0.1:8000/id/" + home.local(doc_home)
    assert other.claim(_claim(other), doc_other) == other.rebase(home.claim(_claim(home), doc_home))
    assert other.group(_claim(other)) == other.rebase(home.group(_claim(home)))
    assert other.unlinked_entity("Baltic Way") == other.rebase(home.unlinked_entity("Baltic Way"))
    assert other.is_unlinked(other.unlinked_entity("x")) and not other.is_unlinked(home.unlinked_entity("x"))
    assert other.prefixes["lke"] == "http://127.0.0.1:8000/id/entity/"
    assert other.prefixes["lkg"] == mapping.LKG
    assert other.local("https://elsewhere.example/x") is None


@pytest.mark.parametrize("bad", ["kg.example.org/id/", "https://kg.example.org/id", "ftp://x/", "https://a b/",
                                 "https://x/<y>/", "https://x/id#/", "https://x/?q=1/", ""])
def test_unusable_bases_are_refused(bad):
    with pytest.raises(UsageError, match="is not a usable base for IRIs"):
        check_base(bad)
