"""The crash harness: ingest a synthetic corpus, kill the writer with SIGKILL at random points many times, and check
after every kill that nothing committed was lost and nothing half-written is visible.

    python benchmarks/crash.py --kills 50 [--documents 30] [--seed 1] [--per-cycle 5] [--bulk] [--out FILE]

A reference store is built once from the corpus (``benchmarks/synth.py``: versioned sources that corroborate,
update, retract and contradict each other), with reproducible record times. Then, in cycles on a fresh store, the
ingest runs in a child process (``KnowledgeGraph.ingest``, the call ``lithkg ingest`` makes) and is killed with
SIGKILL, either while it starts and extracts, or a random few milliseconds after it reported writing its k-th
document (k random), so most kills land inside or between the writes of one version. After each kill the store is
reopened for writing, as the next ingest would, and checked:

* every document version in the store is wholly present: its graph is exactly the reference's graph of that
  version (every claim, quote, time and provenance statement, nothing more), so versions are whole or absent;
* ``lithkg check``'s invariants hold (:mod:`lithkg.read.integrity` without SHACL): claim counts, quotes at their
  offsets, every source and group derivation equal to a fresh derivation from what is there.

While a child writes, the harness also tries, once per run, a second writer (it must get "the store is in use"
and change nothing) and a reader (opening the store read-only while it is written; every version it sees must be
whole). After ``--per-cycle`` kills the ingest is run to completion on the same store: the store must then hold
exactly the reference's quads, so re-running completes it with no duplicates and nothing missing.

``--bulk`` runs ``ingest(bulk=True)`` instead, which gives up atomicity per document: after a kill only the final
re-run's result is checked (it must equal the reference), and what a kill left is counted, not failed.

Prints one JSON summary (stdout, and ``--out``); progress on stderr; exit 1 if any check failed.
"""
from __future__ import annotations

import argparse
import json
import os
import random
import shutil
import signal
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
sys.path.insert(0, str(HERE))
sys.path.insert(0, str(ROOT))

import synth  # noqa: E402  (benchmarks/synth.py)
from lithkg.read import integrity  # noqa: E402
from lithkg.errors import StoreLockedError  # noqa: E402
from lithkg.kg import KnowledgeGraph  # noqa: E402
from lithkg.store.oxigraph import OxigraphStore  # noqa: E402

EPOCH = "1700000000"  # record times: fixed, so the reference and every re-run write the same quads

CHILD = """
import sys
from lithkg.kg import KnowledgeGraph, build_record_time
store, corpus, mode = sys.argv[1:4]
def progress(i, total, name):
    print(f"written {i}/{total}", file=sys.stderr, flush=True)
with KnowledgeGraph(store) as kg:
    kg.store  # opened (and locked for writing) now, not at the first write
    print("open", file=sys.stderr, flush=True)
    kg.ingest([corpus], record_time=build_record_time, progress=progress, bulk=mode == "bulk", workers=1)
print("done", file=sys.stderr, flush=True)
"""


def log(msg: str) -> None:
    print(f"[crash {time.strftime('%H:%M:%S')}] {msg}", file=sys.stderr, flush=True)


def child(store: Path, corpus: Path, bulk: bool) -> subprocess.Popen:
    env = {**os.environ, "SOURCE_DATE_EPOCH": EPOCH, "PYTHONUNBUFFERED": "1"}
    return subprocess.Popen([sys.executable, "-c", CHILD, str(store), str(corpus), "bulk" if bulk else "default"],
                            stderr=subprocess.PIPE, stdout=subprocess.DEVNULL, text=True, env=env, cwd=str(ROOT))


def version_graphs(kg) -> dict[str, frozenset]:
    """Each document version's graph, as a set of quads."""
    docs = [r["doc"].value for r in kg.store.select(
        "SELECT ?doc WHERE { GRAPH ?doc { ?doc a lkg:DocumentVersion } }")]
    return {d: frozenset(kg.store.graph_quads(d)) for d in docs}


def all_quads(path: Path) -> set:
    with KnowledgeGraph(path) as kg:
        return set(kg.store.quads())


def reference(corpus: Path, path: Path, bulk: bool) -> tuple[dict, set]:
    p = child(path, corpus, bulk)
    _, err = p.communicate()
    if p.returncode != 0:
        raise RuntimeError(f"reference ingest failed: {err.strip().splitlines()[-1:]}")
    with KnowledgeGraph(path) as kg:
        graphs = version_graphs(kg)
        return graphs, set(kg.store.quads())


def invariants(path: Path, ref_graphs: dict, *, whole: bool) -> tuple[list[str], int]:
    """Problems after a kill (reopened for writing, as the next ingest would) and how many versions are present."""
    problems = []
    with KnowledgeGraph(path) as kg:
        graphs = version_graphs(kg)
        if whole:
            for doc, quads in graphs.items():
                if quads != ref_graphs.get(doc):
                    problems.append(f"version {doc} is not as written: {len(quads)} statements, reference "
                                    f"{len(ref_graphs.get(doc, ()))}")
            found, _, _ = integrity.check_versions(kg)
            found += integrity.check_quotes(kg)
            found += integrity.check_derivations(kg)[0]
            problems += [f"{p.check}: {p.iri}: {p.message}" for p in found]
    return problems, len(graphs)


def probe(path: Path, ref_graphs: dict) -> list[str]:
    """While a child writes: a second writer must be refused; a reader must see only whole versions."""
    problems = []
    try:
        second = OxigraphStore(path)
    except StoreLockedError as exc:
        if "the store is in use by another process" not in str(exc):
            problems.append(f"second writer: unexpected message {exc}")
    else:
        second.close()
        problems.append("a second writer opened the store while another process was writing")
    try:
        with KnowledgeGraph(path, read_only=True) as reader:
            for doc, quads in version_graphs(reader).items():
                if quads != ref_graphs.get(doc):
                    problems.append(f"a reader saw version {doc} half-written ({len(quads)} statements)")
    except Exception as exc:  # noqa: BLE001  (any failure of the reader is a finding)
        problems.append(f"reader failed: {type(exc).__name__}: {exc}")
    return problems


def run_once(store: Path, corpus: Path, ref_graphs: dict, rng: random.Random, n_docs: int, bulk: bool,
             stats: dict, present: int = 0) -> tuple[bool, list[str]]:
    """One child ingest, killed at a random point (or left to finish). Returns (killed, problems).

    The versions already in the store are reported again at once (unchanged), so the kill point is drawn among
    the documents after them (``present``: how many the store holds; they are the first in the ingest's order)."""
    p = child(store, corpus, bulk)
    # after the k-th version is reported, and before the last one, so the kill lands while versions are written
    target = min(rng.randint(present, n_docs - 1), max(present, n_docs - 2))
    early = present == 0 and target == 0 and rng.random() < 0.5  # on a fresh store: kill in start-up or extraction
    lines: list[str] = []
    seen = threading.Event()
    opened = threading.Event()
    probed: list[str] = []

    def reader():
        for line in p.stderr:
            lines.append(line.rstrip())
            if line.startswith("open"):
                opened.set()
            if line.startswith("written "):
                k = int(line.split()[1].split("/")[0])
                if k >= target:
                    seen.set()
        seen.set()

    t = threading.Thread(target=reader, daemon=True)
    t.start()
    if early:
        time.sleep(rng.uniform(0.0, 2.0))
    else:
        if rng.random() < 0.5 and opened.wait(60) and not seen.is_set():
            probed = probe(store, ref_graphs)
            stats["probes"] += 1
        seen.wait(120)
        time.sleep(rng.uniform(0.0, 0.01))
    if p.poll() is None:
        p.send_signal(signal.SIGKILL)
        p.wait()
        t.join(5)
        written = max([int(x.split()[1].split("/")[0]) for x in lines if x.startswith("written ")] or [0])
        stats["kill_points"].append(written)
        return True, probed
    p.wait()
    t.join(5)
    if p.returncode != 0:
        probed.append(f"ingest failed: exit {p.returncode}: {lines[-1:] if lines else ''}")
    return False, probed


def run(*, kills: int = 50, documents: int = 30, seed: int = 1, per_cycle: int = 5, bulk: bool = False,
        tmp: Path | None = None) -> dict:
    rng = random.Random(seed)
    root = Path(tempfile.mkdtemp(prefix="lithkg-crash-", dir=tmp))
    try:
        corpus = root / "corpus"
        synth.write_corpus(synth.Params(documents=documents, seed=seed), corpus)
        (corpus / "manifest.json").unlink(missing_ok=True)
        n_docs = sum(1 for _ in corpus.rglob("*.md"))
        log(f"corpus: {n_docs} documents; building the reference store")
        ref_graphs, ref_quads = reference(corpus, root / "reference", bulk)
        stats = {"mode": "bulk" if bulk else "default", "documents": n_docs, "kills": 0, "runs": 0,
                 "completed_runs": 0, "cycles": 0, "probes": 0, "kill_points": [], "versions_present_after_kill": [],
                 "reference_quads": len(ref_quads), "failures": []}
        t0 = time.perf_counter()
        while stats["kills"] < kills:
            stats["cycles"] += 1
            store = root / f"store-{stats['cycles']}"
            in_cycle = present = 0
            while in_cycle < per_cycle and stats["kills"] < kills and present < n_docs:
                killed, problems = run_once(store, corpus, ref_graphs, rng, n_docs, bulk, stats,
                                            present=0 if bulk else present)
                stats["runs"] += 1
                stats["failures"] += [f"cycle {stats['cycles']}, during a run: {x}" for x in problems]
                if not killed:
                    stats["completed_runs"] += 1
                    break
                stats["kills"] += 1
                in_cycle += 1
                problems, present = invariants(store, ref_graphs, whole=not bulk)
                stats["versions_present_after_kill"].append(present)
                stats["failures"] += [f"cycle {stats['cycles']}, after kill {stats['kills']}: {x}" for x in problems]
                log(f"kill {stats['kills']}/{kills}: after {stats['kill_points'][-1]} written, {present} "
                    f"version(s) present, {len(problems)} problem(s)")
            p = child(store, corpus, bulk)  # the same ingest again, to completion
            _, err = p.communicate()
            if p.returncode != 0:
                stats["failures"].append(f"cycle {stats['cycles']}: the re-run failed: {err.strip()[-300:]}")
            else:
                got = all_quads(store)
                if got != ref_quads:
                    stats["failures"].append(f"cycle {stats['cycles']}: after the re-run the store differs from the "
                                             f"reference: {len(ref_quads - got)} missing, {len(got - ref_quads)} extra")
            shutil.rmtree(store, ignore_errors=True)
        points = stats["kill_points"]
        stats["kills_mid_write"] = sum(1 for k in points if 0 < k < n_docs)
        stats["seconds"] = round(time.perf_counter() - t0, 1)
        return stats
    finally:
        shutil.rmtree(root, ignore_errors=True)


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--kills", type=int, default=50)
    ap.add_argument("--documents", type=int, default=30, help="synthetic documents in the corpus")
    ap.add_argument("--seed", type=int, default=1)
    ap.add_argument("--per-cycle", type=int, default=5, help="kills on one store before the completing re-run")
    ap.add_argument("--bulk", action="store_true", help="kill 'ingest --bulk' instead of the default ingest")
    ap.add_argument("--tmp", type=Path, default=None)
    ap.add_argument("--out", type=Path, default=None, help="also write the JSON summary here")
    a = ap.parse_args(argv)
    stats = run(kills=a.kills, documents=a.documents, seed=a.seed, per_cycle=a.per_cycle, bulk=a.bulk, tmp=a.tmp)
    text = json.dumps(stats, indent=1)
    print(text)
    if a.out:
        a.out.write_text(text + "\n", encoding="utf-8")
    log(f"{stats['kills']} kills ({stats['kills_mid_write']} mid-write), {stats['cycles']} cycles, "
        f"{len(stats['failures'])} failure(s), {stats['seconds']} s")
    return 1 if stats["failures"] else 0


if __name__ == "__main__":
    sys.exit(main())
