"""A bounded load test of ``lithkg serve``: concurrent clients on loopback run a named query.

    python benchmarks/server_load.py [--clients 10] [--requests 400] [--query conflicts] [--out benchmarks/server_load.json]

The bundled graph is built into a temporary store, ``lithkg serve`` is started on it as a process on a free
loopback port, and ``--clients`` threads share a fixed number of requests for ``/queries/NAME`` (SPARQL results
JSON). It reports requests/s and p50/p99 latency, and fails (exit 1) if any request is not answered 200.

Two baselines in the same run: the same named query run in this process straight on the store, one after another
(what the HTTP layer adds), and the endpoint's cheapest route, ``/queries`` (what the server itself costs).
"""
from __future__ import annotations

import argparse
import json
import os
import platform
import socket
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

import httpx

from lithkg.config import Settings
from lithkg.kg import KnowledgeGraph, build_record_time

ROOT = Path(__file__).resolve().parent.parent


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _percentile(values: list[float], p: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(p / 100 * (len(ordered) - 1)))]


def _load(url: str, clients: int, requests: int) -> dict:
    """``requests`` GETs of ``url`` shared by ``clients`` threads; latencies in ms and the statuses seen."""
    latencies: list[float] = []
    statuses: dict[int, int] = {}
    lock = threading.Lock()
    counter = iter(range(requests))

    def client():
        with httpx.Client(headers={"Accept": "application/sparql-results+json"}, timeout=60) as http:
            while True:
                with lock:
                    if next(counter, None) is None:
                        return
                t0 = time.perf_counter()
                try:
                    status = http.get(url).status_code
                except httpx.HTTPError:
                    status = 0
                took = (time.perf_counter() - t0) * 1000
                with lock:
                    latencies.append(took)
                    statuses[status] = statuses.get(status, 0) + 1

    threads = [threading.Thread(target=client) for _ in range(clients)]
    t0 = time.perf_counter()
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    wall = time.perf_counter() - t0
    return {"requests": len(latencies), "requests_per_s": round(len(latencies) / wall, 1),
            "p50_ms": round(_percentile(latencies, 50), 2), "p99_ms": round(_percentile(latencies, 99), 2),
            "errors": sum(n for s, n in statuses.items() if s != 200)}


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--clients", type=int, default=10)
    ap.add_argument("--requests", type=int, default=400)
    ap.add_argument("--query", default="conflicts", help="the named query to run")
    ap.add_argument("--out", default=None)
    a = ap.parse_args(argv)
    with tempfile.TemporaryDirectory(prefix="lithkg-load-") as tmp:
        store = Path(tmp) / "store"
        print("building the bundled graph ...", file=sys.stderr)
        with KnowledgeGraph(store, settings=Settings()) as graph:
            graph.ingest([ROOT / "graph" / "sources", ROOT / "graph" / "claims"], relative_to=ROOT,
                         record_time=build_record_time)
            claims = len(graph.claims())
            rows = len(graph.run_named(a.query).rows)
            t0 = time.perf_counter()
            for _ in range(50):
                graph.run_named(a.query)
            direct_ms = (time.perf_counter() - t0) / 50 * 1000
        port = _free_port()
        env = {k: v for k, v in os.environ.items() if not k.startswith("LITHKG_")}
        log = open(Path(tmp) / "serve.log", "w+b")  # a file, not a pipe: a server that logs much never blocks
        proc = subprocess.Popen([sys.executable, "-m", "lithkg.cli", "--store", str(store), "serve", "--port",
                                 str(port)], env=env, stdout=subprocess.DEVNULL, stderr=log)
        base = f"http://127.0.0.1:{port}"
        try:
            deadline = time.time() + 60
            while True:
                try:
                    httpx.get(base + "/queries", timeout=1)
                    break
                except httpx.HTTPError:
                    if proc.poll() is not None or time.time() > deadline:
                        log.seek(0)
                        raise SystemExit(f"lithkg serve did not start: {log.read().decode()}")
                    time.sleep(0.2)
            print(f"{a.clients} clients, {a.requests} requests of /queries/{a.query} ...", file=sys.stderr)
            _load(f"{base}/queries/{a.query}", a.clients, min(a.requests, 20))  # warm up
            endpoint = _load(f"{base}/queries/{a.query}", a.clients, a.requests)
            cheapest = _load(f"{base}/queries", a.clients, a.requests)
        finally:
            proc.terminate()
            proc.wait(timeout=30)
            log.close()
    result = {
        "query": a.query, "clients": a.clients, "claims": claims, "result_rows": rows,
        **endpoint,
        "baseline_in_process_ms": round(direct_ms, 2),
        "baseline_in_process_per_s": round(1000 / direct_ms, 1),
        "ratio_endpoint_to_in_process": round(endpoint["requests_per_s"] / (1000 / direct_ms), 2),
        "baseline_cheapest_route_per_s": cheapest["requests_per_s"],
        "baseline_cheapest_route_p50_ms": cheapest["p50_ms"],
        "machine": {"python": platform.python_version(), "processor": platform.processor() or platform.machine(),
                    "cores": os.cpu_count()},
    }
    text = json.dumps(result, indent=2)
    print(text)
    print(f"\n| named query | clients | requests | requests/s | p50 ms | p99 ms | errors | in-process queries/s "
          f"| ratio | /queries requests/s |\n|---|---|---|---|---|---|---|---|---|---|\n"
          f"| {a.query} | {a.clients} | {endpoint['requests']} | {endpoint['requests_per_s']} | {endpoint['p50_ms']} "
          f"| {endpoint['p99_ms']} | {endpoint['errors']} | {result['baseline_in_process_per_s']} "
          f"| {result['ratio_endpoint_to_in_process']} | {cheapest['requests_per_s']} |")
    if a.out:
        Path(a.out).write_text(text + "\n", encoding="utf-8")
    if endpoint["errors"] or cheapest["errors"]:
        print(f"error: {endpoint['errors'] + cheapest['errors']} request(s) were not answered 200", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
