import subprocess
import sys

import pyoxigraph as ox
import pytest

from lithkg.errors import QueryError, StoreError, StoreLockedError
from lithkg.store.oxigraph import OxigraphStore

G = ox.NamedNode("https://w3id.org/lithkg/id/doc/test")


def q(s, o="x", g=G):
    return ox.Quad(ox.NamedNode(f"https://ex.example/{s}"), ox.NamedNode("https://ex.example/p"), ox.Literal(o), g)


def test_apply_drops_and_inserts_in_one_transaction(tmp_path):
    store = OxigraphStore(tmp_path / "s")
    store.apply(insert=[q("a"), q("b")])
    store.apply(drop_graphs=[G.value], insert=[q("c")])
    assert {x.subject.value for x in store.graph_quads(G.value)} == {"https://ex.example/c"}


def test_replacing_a_graph_writes_only_what_changes(tmp_path):
    store = OxigraphStore(tmp_path / "s")
    other = ox.NamedNode("https://w3id.org/lithkg/id/doc/other")
    store.apply(insert=[q("a"), q("b"), q("k", g=other)])
    updates = []
    real = store._store

    class Spy:  # the real store, with the text of each update kept
        def __getattr__(self, name):
            return getattr(real, name)

        def update(self, text):
            updates.append(text)
            return real.update(text)

    store._store = Spy()
    store.apply(drop_graphs=[G.value], insert=[q("b"), q("c"), q("k", g=other)])
    store._store = real
    assert set(store.graph_quads(G.value)) == {q("b"), q("c")}
    assert set(store.graph_quads(other.value)) == {q("k", g=other)}
    [text] = updates  # one update, one transaction
    assert "DROP" not in text and "ex.example/a>" in text and "ex.example/c>" in text
    assert "ex.example/b>" not in text  # the unchanged quad of the replaced graph is left alone


def test_a_graph_with_blank_nodes_is_replaced_whole(tmp_path):
    store = OxigraphStore(tmp_path / "s")
    store._store.add(ox.Quad(ox.BlankNode("b0"), ox.NamedNode("https://ex.example/p"), ox.Literal("x"), G))
    store.apply(insert=[q("a")])
    store.apply(drop_graphs=[G.value], insert=[q("a"), q("c")])
    assert set(store.graph_quads(G.value)) == {q("a"), q("c")}


def test_a_failing_update_writes_nothing(tmp_path):
    store = OxigraphStore(tmp_path / "s")
    store.apply(insert=[q("a")])
    before = store.dump_nquads()
    # A drop and an insert, then an operation that fails while running: the first two must not happen either.
    with pytest.raises(RuntimeError, match="does not exist"):
        store._store.update(f"DROP GRAPH <{G.value}> ; INSERT DATA {{ {q('z').subject} <https://ex.example/p> 1 }} ;"
                            " DROP GRAPH <https://ex.example/no-such-graph>")
    assert store.dump_nquads() == before


def test_queries_see_the_union_of_graphs(tmp_path):
    store = OxigraphStore(tmp_path / "s")
    store.apply(insert=[q("a"), q("b", g=ox.NamedNode("https://w3id.org/lithkg/id/doc/other"))])
    rows = store.select("SELECT ?s WHERE { ?s <https://ex.example/p> ?o } ORDER BY ?s")
    assert [r["s"].value for r in rows] == ["https://ex.example/a", "https://ex.example/b"]


def test_syntax_errors_carry_line_and_column(tmp_path):
    store = OxigraphStore(tmp_path / "s")
    with pytest.raises(QueryError) as exc:
        store.query("SELECT ?x\nWHERE { ?x ?y }")
    assert (exc.value.line, exc.value.column) == (2, 16)
    assert str(exc.value).startswith("query:2:16: SPARQL syntax error:")


def test_a_second_process_gets_store_in_use(tmp_path):
    path = tmp_path / "s"
    OxigraphStore(path).apply(insert=[q("a")])
    holder = OxigraphStore(path)  # this process holds the lock
    code = ("import sys; from lithkg.store.oxigraph import OxigraphStore\n"
            "from lithkg.errors import StoreLockedError\n"
            f"try:\n    OxigraphStore({str(path)!r})\nexcept StoreLockedError as e:\n    print(e); sys.exit(6)\n")
    res = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=60)
    assert res.returncode == 6, res.stderr
    assert res.stdout.strip() == f"{path}: the store is in use by another process (wait for it to finish, or use another --store)"
    holder.close()


def test_read_only_store_refuses_writes_and_missing_store(tmp_path):
    with pytest.raises(StoreError, match="no store here"):
        OxigraphStore(tmp_path / "none", read_only=True)
    OxigraphStore(tmp_path / "s").apply(insert=[q("a")])
    ro = OxigraphStore(tmp_path / "s2", create=True)
    ro.read_only = True
    with pytest.raises(StoreError, match="open read-only"):
        ro.apply(insert=[q("b")])
    assert isinstance(StoreLockedError("x"), StoreError)
