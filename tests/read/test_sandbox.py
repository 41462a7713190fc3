"""The query workers (lithkg.read.sandbox): no network whatever a query says, a time limit that ends the work, bounded
memory and concurrency, errors that come back whole. Real worker processes on a real on-disk store."""
from __future__ import annotations

import os
import shutil
import threading
import time

import pyoxigraph as ox
import pytest

from lithkg.read import sandbox
from lithkg.config import Settings
from lithkg.errors import QueryError
from lithkg.kg import KnowledgeGraph
from lithkg.read.sparql import query_task

from netguard import Listener

SLOW = "SELECT (COUNT(*) AS ?n) WHERE { ?a ?b ?c . ?d ?e ?f . ?g ?h ?i }"
needs_namespaces = pytest.mark.skipif(os.uname().sysname != "Linux", reason="network namespaces are a Linux facility")


@pytest.fixture(scope="module")
def store(built_store, tmp_path_factory):
    copy = tmp_path_factory.mktemp("sandbox") / "store"
    shutil.copytree(built_store, copy)
    return copy


@pytest.fixture
def listener():
    guard = Listener()
    yield guard
    guard.close()


def _in_child(fn) -> tuple[int, str]:
    """Run ``fn`` in a forked child; its exit status and what it wrote to a pipe."""
    r, w = os.pipe()
    pid = os.fork()
    if pid == 0:  # pragma: no cover - the child
        os.close(r)
        try:
            out = fn()
            code = 0
        except BaseException as exc:
            out, code = f"{type(exc).__name__}: {exc}", 1
        os.write(w, str(out).encode()[:4000])
        os._exit(code)
    os.close(w)
    with os.fdopen(r, "rb") as f:
        text = f.read().decode()
    _, status = os.waitpid(pid, 0)
    return os.waitstatus_to_exitcode(status), text


@needs_namespaces
def test_outside_a_namespace_oxigraph_sends_service_requests(listener):
    """What the wall is for: Oxigraph itself sends a SERVICE request to whatever it names."""
    query = f"SELECT * WHERE {{ SERVICE <http://127.0.0.1:{listener.port}/sparql> {{ ?s ?p ?o }} }}"
    code, out = _in_child(lambda: list(ox.Store().query(query)))
    deadline = time.monotonic() + 10
    while not listener.connections and time.monotonic() < deadline:
        time.sleep(0.05)
    assert listener.connections and listener.connections[0][1].startswith((b"POST /sparql", b"GET /sparql"))


@needs_namespaces
def test_inside_its_namespace_a_service_query_reaches_nothing(listener):
    """The second wall, without the query check: a worker's namespace leaves Oxigraph no network to use."""
    def isolated_service():
        problem = sandbox.isolate_network()
        if problem:
            return "not isolated: " + problem
        return list(ox.Store().query(f"SELECT * WHERE {{ SERVICE <http://127.0.0.1:{listener.port}/sparql> "
                                     "{ ?s ?p ?o } }"))
    code, out = _in_child(isolated_service)
    assert not out.startswith("not isolated"), out
    assert code == 1 and "unreachable" in out.lower(), out  # the request fails: no route to any host
    listener.assert_untouched(0.5)


def test_pool_workers_are_isolated_and_verified(store):
    with sandbox.Pool(Settings(store=store), timeout=10, spare=1, max_workers=2).start() as pool:
        assert pool.isolated, pool.problem
        guard = Listener()
        try:
            problem = pool.call(sandbox.connect_probe, guard.port)
        finally:
            guard.close()
        assert problem is not None and "unreachable" in problem.lower()
        assert guard.connections == []


def test_a_query_past_its_time_limit_is_killed_and_the_pool_answers_at_once(store):
    with sandbox.Pool(Settings(store=store), timeout=1, spare=1, max_workers=2).start() as pool:
        start = time.monotonic()
        with pytest.raises(QueryError) as err:
            pool.call(query_task, SLOW, None, {})
        assert 1 <= time.monotonic() - start < 5
        assert err.value.format() == ("query: the query ran longer than the time limit (1 s) "
                                      "(narrow the query, or raise the time limit)")
        assert pool.busy() == 0
        start = time.monotonic()
        result = pool.call(query_task, "ASK { ?c a lkg:Claim }", None, {})
        assert result.kind == "ask" and result.boolean is True
        assert time.monotonic() - start < 2


def test_more_tasks_than_workers_get_busy_at_once(store):
    with sandbox.Pool(Settings(store=store), timeout=3, spare=0, max_workers=1).start() as pool:
        slow = threading.Thread(target=lambda: pytest.raises(QueryError, pool.call, query_task, SLOW, None, {}))
        slow.start()
        time.sleep(0.5)
        start = time.monotonic()
        with pytest.raises(sandbox.BusyError) as err:
            pool.call(query_task, "ASK {}", None, {})
        assert time.monotonic() - start < 0.5
        assert err.value.format() == "all 1 query workers are busy (try again in a few seconds)"
        slow.join()
        assert pool.call(query_task, "ASK {}", None, {}).boolean is True


def test_errors_come_back_with_their_line_and_column(store):
    with sandbox.Pool(Settings(store=store), timeout=10, spare=0, max_workers=1) as pool:
        with pytest.raises(QueryError) as err:
            pool.call(query_task, "SELECT * WHERE { ?s ?p }", None, {})
        assert (err.value.path, err.value.line, err.value.column) == ("query", 1, 25)
        assert err.value.format().startswith("query:1:25: SPARQL syntax error")


def test_a_worker_over_its_memory_limit_is_replaced(store):
    """A query that needs more memory than a worker may map fails alone; the next one runs."""
    big = ("SELECT (STRLEN(GROUP_CONCAT(?x; separator='')) AS ?n) WHERE { ?a ?b ?c . ?d ?e ?f "
           "BIND(CONCAT(STR(?a), STR(?d), STR(?a), STR(?d)) AS ?x) }")
    with sandbox.Pool(Settings(store=store), timeout=60, spare=0, max_workers=1, memory=700 * 1024 ** 2) as pool:
        with pytest.raises((sandbox.WorkerDied, QueryError)) as err:
            pool.call(query_task, big, None, {})
        assert "memory" in err.value.format() or "ended without answering" in err.value.format()
        assert pool.call(query_task, "ASK {}", None, {}).boolean is True


def test_run_query_uses_a_worker_and_names_the_setting(store):
    graph = KnowledgeGraph(store, settings=Settings(store=store, query_timeout=1), read_only=True)
    with pytest.raises(QueryError) as err:
        graph.run_query(SLOW)
    assert err.value.hint == "narrow the query, or raise LITHKG_QUERY_TIMEOUT"
    assert graph.run_query(name="disputes").kind == "select"


def test_only_marked_lithkg_functions_run_in_a_worker(store):
    with pytest.raises(TypeError):
        sandbox.Pool(Settings(store=store), timeout=5).call(os.getcwd)


def test_callers_wait_for_a_worker_in_a_bounded_queue(store):
    """With every worker busy, ``queue`` callers wait for one to come free; one more is refused at once."""
    with sandbox.Pool(Settings(store=store), timeout=1.5, spare=0, max_workers=1, queue=1, wait=10).start() as pool:
        outcomes = {}

        def slow():
            with pytest.raises(QueryError):
                pool.call(query_task, SLOW, None, {})

        def waiting():
            start = time.monotonic()
            outcomes["waited"] = (pool.call(query_task, "ASK {}", None, {}).boolean, time.monotonic() - start)
        first = threading.Thread(target=slow)
        first.start()
        time.sleep(0.3)
        second = threading.Thread(target=waiting)
        second.start()
        time.sleep(0.3)
        start = time.monotonic()
        with pytest.raises(sandbox.BusyError) as err:
            pool.call(query_task, "ASK {}", None, {})
        assert time.monotonic() - start < 0.5
        assert err.value.format() == ("all 1 query workers are busy and 1 requests wait for one "
                                      "(try again in a few seconds)")
        first.join()
        second.join()
        answer, waited = outcomes["waited"]
        assert answer is True and 0.5 < waited < 5  # it ran once the slow query's worker was killed and replaced


def test_run_query_from_an_unguarded_script_that_holds_the_store_open(tmp_path):
    """A worker never runs the caller's main module again: a plain script (no ``if __name__ == '__main__'``) that
    has the store open for writing can run a query in a worker."""
    import subprocess
    import sys
    from conftest import GRAPH, ROOT
    script = tmp_path / "script.py"
    script.write_text("from lithkg import KnowledgeGraph\n"
                      f"kg = KnowledgeGraph({str(tmp_path / 'store')!r})\n"
                      f"kg.ingest([{str(GRAPH / 'sources')!r}, {str(GRAPH / 'claims')!r}], relative_to={str(ROOT)!r})\n"
                      "print(kg.run_query('ASK { ?c a lkg:Claim }').boolean)\n"
                      "print(kg.run_query(name='disputes').rows[0]['group_label'])\n")
    r = subprocess.run([sys.executable, str(script)], capture_output=True, text=True, timeout=120, cwd=tmp_path)
    assert (r.returncode, r.stdout) == (0, "True\nBaltic Way / participants\n"), r.stderr
