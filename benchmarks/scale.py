"""The scale benchmark: lithkg against a plain rdflib in-memory baseline, side by side, at several corpus sizes.

    python benchmarks/scale.py --sizes 1000,10000,100000 --out benchmarks/results.json [--baseline-max 10000]
                               [--bulk] [--profile] [--keep] [--tmp DIR] [synthetic-corpus options, see synth.py]

For each size a synthetic corpus (``benchmarks/synth.py``: versioned sources whose versions corroborate, update,
retract and contradict each other; its manifest records the intended shares) is generated into a temporary folder,
then every measured phase runs in its own subprocess (``ru_maxrss`` of that process is the phase's peak RSS):

lithkg (the public API, ``lithkg.kg.KnowledgeGraph``)
  * ingest: ``kg.ingest([corpus])`` end to end (read, extract, derive, write); claims/s = claims written / wall s
    (``--bulk`` passes ``bulk=True`` when ``ingest`` has that keyword);
  * store size on disk right after ingest (RocksDB write-ahead logs included) and after the store was opened again;
  * queries: ``kg.run_named("conflicts")`` (every claim of every group with several values), ``"disputes"`` (grouped:
    one row per disputed group) and ``kg.run_named("history", {"subject", "property"})`` for five
    (subject, property) pairs, the most claimed one and four others (median ms of ``--repeat`` runs);
  * exports: ``kg.export(fmt, out=file)`` for N-Quads, Turtle and JSON-LD (statements written / s);
  * adding one new document to the large store: the next documents of the same generator (a new version of an
    existing source or a new source about an existing topic), one ``kg.ingest`` each, median ms (after one warm-up);
  * derived statuses after ingest: how many claims lithkg finds corroborated, compatible, updated, conflicting, no
    longer stated; and quads per claim (the store's quads / claims).

baseline (plain rdflib, one process, ``rdflib.Dataset(default_union=True)`` in memory)
  * ingest = parsing lithkg's N-Quads export of the same store into the Dataset (quads/s). It measures RDF parsing
    and in-memory indexing only: no reading of documents, extraction or derivation. The quads are taken from
    lithkg's store rather than rebuilt from the documents because only lithkg knows how to turn the documents into
    claims, groups and derivations; re-implementing that over rdflib would measure a second implementation, not
    the storage and query engines. So the baseline answers the questions on byte-identical data;
  * the same conflicts, disputes and history SPARQL text (same prefixes, same parameter bindings) on rdflib's SPARQL engine;
  * serialization with rdflib's N-Quads, Turtle (union graph) and JSON-LD (union graph, lithkg's context)
    serializers.
  The baseline is slow and memory-hungry: it runs only for sizes up to ``--baseline-max`` (default 10,000);
  above it its figures are null. Each baseline query has a time limit (``--baseline-timeout``, null when hit).

As a storage-level reference, the same N-Quads are also bulk-loaded into a fresh Oxigraph store
(``pyoxigraph.Store.bulk_load``), what a bulk ingest mode could approach for the writing part.

``--profile`` runs one more ingest under cProfile and reports where the time goes (extraction, RDF building,
store writes, derivation queries, derivation logic). Results: JSON (``--out``) and a Markdown table (printed, and
written next to the JSON with the ``.md`` suffix); progress on stderr. Sizes are run in the order given; the JSON
is rewritten after each size, so a long run keeps what it has measured.
"""
from __future__ import annotations

import argparse
import dataclasses
import datetime as _dt
import inspect
import json
import os
import platform
import resource
import shutil
import signal
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
sys.path.insert(0, str(HERE))

import synth  # noqa: E402  (benchmarks/synth.py, found through sys.path above)

EXPORTS = [("nquads", "nquads", ".nq"), ("turtle", "turtle", ".ttl"), ("json-ld", "jsonld", ".jsonld")]


def log(msg: str) -> None:
    print(f"[scale {time.strftime('%H:%M:%S')}] {msg}", file=sys.stderr, flush=True)


def rss_mb() -> float:
    """Peak resident set size of this process so far, in MB (Linux reports KB)."""
    return round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024, 1)


def dir_mb(path: Path) -> float:
    total = 0
    for base, _dirs, files in os.walk(path):
        for f in files:
            try:
                total += os.path.getsize(os.path.join(base, f))
            except OSError:
                pass
    return round(total / 2 ** 20, 1)


def median_ms(times: list[float]) -> float | None:
    return round(statistics.median(times) * 1000, 2) if times else None


class Timeout(BaseException):
    """Not an Exception: rdflib's serializers catch ``Exception`` around name handling and would swallow it."""


def _alarm(_sig, _frame):
    raise Timeout()


def time_limited(seconds: float, fn):
    """Run fn() with a wall-clock limit (SIGALRM; pure-Python work such as rdflib's SPARQL engine is interrupted);
    returns (result, elapsed seconds) or (None, None) when the limit is hit."""
    old = signal.signal(signal.SIGALRM, _alarm)
    signal.setitimer(signal.ITIMER_REAL, seconds, 1.0)  # and again every second, should one be swallowed
    t0 = time.perf_counter()
    try:
        result = fn()
        return result, time.perf_counter() - t0
    except Timeout:
        return None, None
    finally:
        signal.setitimer(signal.ITIMER_REAL, 0)
        signal.signal(signal.SIGALRM, old)


# ====================================================================== phases (each runs in a subprocess)
def _kg(store: str, read_only: bool = False):
    from lithkg.config import Settings
    from lithkg.kg import KnowledgeGraph

    return KnowledgeGraph(store, settings=Settings(), read_only=read_only)


def phase_generate(a: dict) -> dict:
    p = synth.Params(**a["params"])
    manifest = synth.write_corpus(p, Path(a["corpus"]), progress=lambda i, n: log(
        f"generate: {i:,}/{n:,} documents") if i % max(1000, n // 10) == 0 or i == n else None)
    extra = Path(a["extra"])
    extra.mkdir(parents=True, exist_ok=True)
    tail = []
    for i, doc in enumerate(synth.generate(dataclasses.replace(p, documents=p.documents + a["extra_docs"]))):
        if i >= p.documents:
            path = extra / doc.path.replace("/", "-")
            path.write_text(doc.text, encoding="utf-8")
            tail.append(str(path))
    return {"manifest": manifest, "extra_documents": tail, "rss_mb": rss_mb()}


def phase_ingest(a: dict) -> dict:
    from lithkg.kg import KnowledgeGraph

    kg = _kg(a["store"])
    kwargs = {}
    if a.get("bulk"):
        kwargs["bulk"] = True
    t0 = time.perf_counter()
    state = {"last": t0, "commit0": None}

    def progress(i: int, n: int, name: str) -> None:
        now = time.perf_counter()
        if state["commit0"] is None:
            state["commit0"] = now
        stage = name if name.endswith(" derived") else "documents written"  # the bulk ingest's later stages
        if state.get("stage") != stage:
            state["stage"], state["stage0"] = stage, state.get("last_call", state["commit0"])
        state["last_call"] = now
        if now - state["last"] >= 15 or i == n:
            state["last"] = now
            rate = i / max(1e-9, now - state["stage0"])
            log(f"ingest: {i:,}/{n:,} {stage}, {now - t0:,.0f} s, {rate:.1f}/s, "
                f"about {(n - i) / max(rate, 1e-9):,.0f} s left")

    log(f"ingest: reading and extracting {a['corpus']}{' (profiled)' if a.get('profile') else ''}")
    profiler = None
    if a.get("profile"):
        import cProfile
        profiler = cProfile.Profile()
        profiler.enable()
    report = kg.ingest([a["corpus"]], progress=progress, **kwargs)
    kg.close()
    if profiler is not None:
        profiler.disable()
    seconds = time.perf_counter() - t0
    out = {"documents": len(report.documents), "claims": report.claims, "seconds": round(seconds, 2),
           "extract_seconds": round((state["commit0"] or time.perf_counter()) - t0, 2), "rss_mb": rss_mb(),
           "statuses": {s: report.count(s) for s in ("added", "updated", "unchanged")},
           "bulk": bool(kwargs), "bulk_supported": "bulk" in inspect.signature(KnowledgeGraph.ingest).parameters}
    if profiler is not None:
        profiler.dump_stats(a["profile"])
        out["profile"] = profile_breakdown(a["profile"], seconds)
    return out


def profile_breakdown(path: str, wall: float) -> dict:
    """Where an ingest's time went, from a cProfile dump: inclusive times of functions that do not nest."""
    import pstats

    st = pstats.Stats(path).stats  # (file, line, name) -> (cc, nc, tt, ct, callers)

    def cum(file_suffix: str, *names: str) -> float:
        return sum(v[3] for (f, _l, n), v in st.items() if f.endswith(file_suffix) and n in names)

    def tot(file_suffix: str, *names: str) -> float:
        return sum(v[2] for (f, _l, n), v in st.items() if f.endswith(file_suffix) and n in names)

    def calls(file_suffix: str, name: str) -> int:
        return sum(v[1] for (f, _l, n), v in st.items() if f.endswith(file_suffix) and n == name)

    parts = {
        "read documents (read_document)": cum("lithkg/extract/documents.py", "read_document"),
        "extraction (frames + curated extractors)": cum("lithkg/extract/frames/reader.py", "extract")
        + cum("lithkg/extract/curated.py", "extract"),
        "RDF building (rdfmap: document, run, claim, group, lineage quads)": cum(
            "lithkg/rdf/mapping.py", "document_quads", "run_quads", "claim_quads", "group_quads", "lineage_quads",
            "ontology_quads"),
        "store writes: SPARQL text built by store.insert_data": cum("lithkg/store/oxigraph.py", "insert_data"),
        "store writes: Oxigraph update (DROP GRAPH + INSERT DATA)": tot("~", "<method 'update' of 'pyoxigraph.Store' "
                                                                         "objects>"),
        "store flush": cum("lithkg/store/oxigraph.py", "flush"),
        "derivation queries (store.select + kg.query: members, overrides, versions, source claims)":
            cum("lithkg/store/oxigraph.py", "select") + cum("lithkg/kg.py", "query") + cum("lithkg/store/oxigraph.py", "graph_quads",
                                                                                 "has_graph"),
        "derivation logic (versioning.derive, lineage, preference_reason)": cum(
            "lithkg/versioning/rules.py", "derive", "lineage", "preference_reason"),
    }
    total = cum("lithkg/kg.py", "ingest") or wall
    parts = {k: round(v, 2) for k, v in parts.items()}
    parts["other (imports, spaCy/ontology loading, bookkeeping)"] = round(total - sum(parts.values()), 2)
    return {"profiled_seconds": round(total, 2),
            "seconds": parts, "share": {k: round(v / total, 3) for k, v in parts.items()},
            "store_update_calls": calls("~", "<method 'update' of 'pyoxigraph.Store' objects>"),
            "store_query_calls": calls("~", "<method 'query' of 'pyoxigraph.Store' objects>"),
            "note": "cProfile adds overhead to Python code, so these seconds exceed the unprofiled ingest"}


def phase_queries(a: dict) -> dict:
    """Derived statuses, the conflicts query and the history query, on the ingested store."""
    from lithkg.rdf import exports
    from lithkg.read import sparql

    kg = _kg(a["store"])
    t0 = time.perf_counter()
    stats = kg.stats()
    stats_s = time.perf_counter() - t0
    statuses = {r["st"].value: int(r["n"].value) for r in kg.store.select(
        "SELECT ?st (COUNT(?c) AS ?n) WHERE { ?c a lkg:Claim ; lkg:status ?st } GROUP BY ?st")}
    sizes = kg.store.select("SELECT ?s ?p (COUNT(?c) AS ?n) WHERE { ?c a lkg:Claim ; lkg:subject ?s ; lkg:property ?p }"
                            " GROUP BY ?s ?p ORDER BY DESC(?n) ?s ?p")
    group_sizes = [int(r["n"].value) for r in kg.store.select(
        "SELECT ?g (COUNT(?c) AS ?n) WHERE { ?c a lkg:Claim ; lkg:group ?g } GROUP BY ?g")]
    # the most claimed (subject, property) and four others spread over the list (deterministic)
    picks = [0] + [round(len(sizes) * f) for f in (0.2, 0.4, 0.6, 0.8)]
    targets = [{"subject": sizes[i]["s"].value, "property": sizes[i]["p"].value, "claims": int(sizes[i]["n"].value)}
               for i in sorted({min(i, len(sizes) - 1) for i in picks})] if sizes else []
    repeat = a["repeat"]
    timed = {}
    for name in ("conflicts", "disputes"):  # the listing, then the grouped query (one row per disputed group)
        times, rows = [], 0
        for _ in range(repeat):
            t0 = time.perf_counter()
            rows = len(kg.run_named(name).terms)
            times.append(time.perf_counter() - t0)
            log(f"queries: {name} {times[-1] * 1000:,.0f} ms, {rows:,} rows")
        timed[f"{name}_query_ms"], timed[f"{name}_rows"] = median_ms(times), rows
    history_t = []
    for tg in targets:
        tg_times = []
        for _ in range(repeat):
            t0 = time.perf_counter()
            n = len(kg.run_named("history", {"subject": tg["subject"], "property": tg["property"]}).terms)
            tg_times.append(time.perf_counter() - t0)
        tg["rows"], tg["ms"] = n, median_ms(tg_times)
        history_t += tg_times
    nq = sparql.named_queries()
    out = {
        "stats": stats, "stats_ms": round(stats_s * 1000, 1), "statuses": statuses,
        "group_size_max": max(group_sizes, default=0),
        "group_size_median": statistics.median(group_sizes) if group_sizes else 0,
        "groups_with_more_than_30_claims": sum(1 for g in group_sizes if g > 30),
        **timed,
        "history_query_ms": median_ms(history_t), "history_targets": targets,
        "quads": len(kg.store), "prefixes": kg.ids.prefixes,
        "queries": {"conflicts": nq["conflicts"].text, "disputes": nq["disputes"].text,
                    "history": nq["history"].text},
        "jsonld_context": exports.context(kg.ids.base),
        "rss_mb": rss_mb(),
    }
    kg.close()
    return out


def phase_export(a: dict) -> dict:
    kg = _kg(a["store"], read_only=True)
    t0 = time.perf_counter()
    with open(a["file"], "wb") as fh:
        count = kg.export(a["format"], out=fh)
    seconds = time.perf_counter() - t0
    kg.close()
    return {"format": a["format"], "statements": count, "seconds": round(seconds, 3),
            "per_s": round(count / seconds, 1), "bytes": os.path.getsize(a["file"]), "rss_mb": rss_mb()}


def phase_add(a: dict) -> dict:
    """Add new documents to the large store one at a time (one kg.ingest each); the first is a warm-up."""
    kg = _kg(a["store"])
    times, claims = [], []
    for i, path in enumerate(a["documents"]):
        t0 = time.perf_counter()
        report = kg.ingest([path])
        dt = time.perf_counter() - t0
        if i >= a["warmup"]:
            times.append(dt)
            claims.append(report.claims)
        log(f"add one document: {Path(path).name} {dt * 1000:,.0f} ms, {report.claims} claims"
            f"{' (warm-up)' if i < a['warmup'] else ''}")
    kg.close()
    return {"add_one_document_ms": median_ms(times), "times_ms": [round(t * 1000, 1) for t in times],
            "claims": claims, "rss_mb": rss_mb()}


OXLOAD_MAX_BYTES = 4 * 2 ** 30  # the reference bulk load is skipped for a larger N-Quads export (100k documents)


def phase_oxload(a: dict) -> dict:
    """The storage-level reference: Oxigraph's own bulk load of lithkg's N-Quads export. Above ``OXLOAD_MAX_BYTES``
    of N-Quads it is skipped (figures null): its rate is known from the smaller sizes, and at 100,000 documents it
    would add a second store of the same size and about ten minutes to a run of hours."""
    import pyoxigraph as ox

    size = os.path.getsize(a["nquads"])
    if size > OXLOAD_MAX_BYTES:
        log(f"oxload: skipped, the N-Quads export is {size / 2 ** 30:.1f} GB (over {OXLOAD_MAX_BYTES / 2 ** 30:.0f} GB)")
        return {"quads": None, "seconds": None, "quads_per_s": None, "store_mb": None, "rss_mb": rss_mb()}
    store = ox.Store(a["store"])
    t0 = time.perf_counter()
    store.bulk_load(path=a["nquads"], format=ox.RdfFormat.N_QUADS)
    store.flush()
    seconds = time.perf_counter() - t0
    n = len(store)
    del store
    return {"quads": n, "seconds": round(seconds, 2), "quads_per_s": round(n / seconds, 1),
            "store_mb": dir_mb(Path(a["store"])), "rss_mb": rss_mb()}


def phase_baseline(a: dict) -> dict:
    """Plain rdflib: parse the N-Quads into an in-memory Dataset, query, serialize."""
    import rdflib

    out: dict = {"notes": []}
    ds = rdflib.Dataset(default_union=True)
    t0 = time.perf_counter()
    ds.parse(a["nquads"], format="nquads")
    seconds = time.perf_counter() - t0
    out["quads"] = sum(1 for _ in ds.quads((None, None, None, None)))
    out["union_triples"] = len(ds)
    out["load_seconds"] = round(seconds, 2)
    out["load_quads_per_s"] = round(out["quads"] / seconds, 1)
    out["rss_after_load_mb"] = rss_mb()
    log(f"baseline: parsed {out['quads']:,} quads in {seconds:,.1f} s, peak RSS {out['rss_after_load_mb']:,.0f} MB")
    init_ns = {k: rdflib.Namespace(v) for k, v in a["prefixes"].items()}
    limit = a["timeout"]

    def run(text, bindings=None):
        return len(list(ds.query(text, initNs=init_ns, initBindings=bindings or {})))

    history_t = []
    for tg in a["history_targets"]:
        bindings = {"subject": rdflib.URIRef(tg["subject"]), "property": rdflib.URIRef(tg["property"])}
        for _ in range(a["repeat"]):
            n, dt = time_limited(limit, lambda b=bindings: run(a["queries"]["history"], b))
            if dt is None:
                out["notes"].append(f"history query over {limit} s: stopped")
                history_t = []
                break
            history_t.append(dt)
            tg["baseline_rows"] = n
        if not history_t:
            break
    out["history_query_ms"] = median_ms(history_t)
    out["history_rows"] = [tg.get("baseline_rows") for tg in a["history_targets"]]
    log(f"baseline: history {out['history_query_ms']} ms")
    union = UnionGraph(ds)
    for fmt, key, suffix in EXPORTS:
        target = a["export_prefix"] + suffix
        if fmt == "nquads":
            def fn(t=target):
                return ds.serialize(destination=t, format="nquads")
        elif fmt == "turtle":
            def fn(t=target):  # the union graph (default_union=True), as lithkg's Turtle export
                return ds.serialize(destination=t, format="turtle")
        else:
            def fn(t=target):  # the union graph, compacted with lithkg's JSON-LD context
                return union.serialize(destination=t, format="json-ld", context=a["context"])
        fmt_limit = a.get("turtle_timeout") or limit if fmt == "turtle" else limit
        _, dt = time_limited(fmt_limit, fn)
        out[f"export_{key}_seconds"] = round(dt, 2) if dt is not None else None
        out[f"export_{key}_bytes"] = os.path.getsize(target) if dt is not None and os.path.exists(target) else None
        if os.path.exists(target):
            os.remove(target)
        if dt is None:
            out["notes"].append(f"rdflib {fmt} serialization over {fmt_limit} s: stopped"
                                + (" (rdflib's Turtle serializer mints a prefix per IRI namespace and looks each IRI "
                                   "up among all of them, RDFLib/rdflib#1752: superlinear on lithkg's per-claim "
                                   "IRIs)" if fmt == "turtle" else ""))
        log(f"baseline: {fmt} export {dt if dt is None else round(dt, 1)} s")
    for name in ("conflicts", "disputes"):  # the listing, then the grouped query
        times, rows = [], None
        for _ in range(a["conflicts_repeat"]):
            rows, dt = time_limited(limit, lambda q=a["queries"][name]: run(q))
            if dt is None:
                out["notes"].append(f"{name} query over {limit} s: stopped")
                break
            times.append(dt)
            log(f"baseline: {name} {dt * 1000:,.0f} ms, {rows:,} rows")
        out[f"{name}_query_ms"] = median_ms(times)
        out[f"{name}_rows"] = rows
    out["rss_mb"] = rss_mb()
    return out


def UnionGraph(ds):
    """The union of a Dataset's graphs as one plain Graph, without copying it (what lithkg's graph exports carry)."""
    import rdflib

    class _Union(rdflib.Graph):
        def __init__(self, dataset):
            super().__init__(store=dataset.store, identifier=rdflib.URIRef("urn:x-lithkg-bench:union"),
                             namespace_manager=dataset.namespace_manager)
            self._ds = dataset

        def triples(self, pattern):
            return self._ds.triples(pattern)

        def __len__(self):
            return sum(1 for _ in self._ds.triples((None, None, None)))

    return _Union(ds)


PHASES = {"generate": phase_generate, "ingest": phase_ingest, "queries": phase_queries, "export": phase_export,
          "add": phase_add, "oxload": phase_oxload, "baseline": phase_baseline}


def run_phase(name: str, args: dict, tmp: Path) -> dict:
    """Run one phase in a fresh Python process; its result comes back as JSON in a file."""
    result = tmp / f"phase-{name}-{time.monotonic_ns()}.json"
    spec = tmp / f"phase-{name}-{time.monotonic_ns()}-args.json"
    spec.write_text(json.dumps(args), encoding="utf-8")
    t0 = time.perf_counter()
    r = subprocess.run([sys.executable, str(Path(__file__).resolve()), "--phase", name, str(spec), str(result)],
                       cwd=str(ROOT), check=False)
    if r.returncode != 0:
        raise RuntimeError(f"phase {name} failed (exit {r.returncode})")
    out = json.loads(result.read_text(encoding="utf-8"))
    out["_process_seconds"] = round(time.perf_counter() - t0, 2)
    result.unlink()
    spec.unlink()
    return out


# ====================================================================== one size
def machine() -> dict:
    from importlib import metadata

    cpu = "unknown"
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    ram = None
    try:
        for line in Path("/proc/meminfo").read_text().splitlines():
            if line.startswith("MemTotal"):
                ram = round(int(line.split()[1]) / 2 ** 20, 1)
    except OSError:
        pass
    versions = {}
    for pkg in ("lithkg", "pyoxigraph", "rdflib", "oxrdflib", "spacy"):
        try:
            versions[pkg] = metadata.version(pkg)
        except metadata.PackageNotFoundError:
            versions[pkg] = None
    commit = None
    try:
        commit = subprocess.run(["git", "-C", str(ROOT), "rev-parse", "--short", "HEAD"], check=False,
                                capture_output=True, text=True, timeout=10).stdout.strip() or None
        dirty = subprocess.run(["git", "-C", str(ROOT), "status", "--porcelain", "--", "lithkg"], check=False,
                               capture_output=True, text=True, timeout=10).stdout.strip()
        commit = f"{commit}{'+uncommitted changes in lithkg/' if dirty else ''}" if commit else None
    except (OSError, subprocess.SubprocessError):
        pass
    return {"cpu": cpu, "cores": os.cpu_count(), "ram_gb": ram, "python": platform.python_version(),
            "platform": platform.platform(), "versions": versions, "lithkg_commit": commit}


def ratio(a, b):
    return round(a / b, 3) if a is not None and b not in (None, 0) else None


def run_size(n: int, opts, tmp_root: Path, mach: dict) -> dict:
    tmp = Path(tempfile.mkdtemp(prefix=f"lithkg-scale-{n}-", dir=tmp_root))
    log(f"size {n:,}: working in {tmp}")
    rec: dict = {"documents": n, "notes": []}
    try:
        params = dataclasses.asdict(synth.params_from_args(argparse.Namespace(**{**vars(opts.synth_ns),
                                                                                    "documents": n})))
        params["version_weights"] = list(params["version_weights"])
        corpus, store = tmp / "corpus", tmp / "store"
        gen = run_phase("generate", {"params": params, "corpus": str(corpus), "extra": str(tmp / "extra"),
                                     "extra_docs": opts.add_docs + 1}, tmp)
        manifest = gen["manifest"]
        log(f"size {n:,}: corpus of {manifest['documents']:,} documents, {manifest['claim_sentences']:,} claim "
            f"sentences, {manifest['facts_stated']:,} facts, {manifest['bytes'] / 2 ** 20:.1f} MB")
        # -- lithkg ingest
        ing = run_phase("ingest", {"store": str(store), "corpus": str(corpus), "bulk": opts.bulk_ok}, tmp)
        rec.update({
            "claims": ing["claims"], "ingest_seconds": ing["seconds"],
            "ingest_claims_per_s": round(ing["claims"] / ing["seconds"], 1),
            "ingest_extract_phase_seconds": ing["extract_seconds"],
            "ingest_documents_per_s": round(ing["documents"] / ing["seconds"], 2), "ingest_bulk": ing["bulk"],
            "peak_rss_mb": ing["rss_mb"], "store_size_mb": dir_mb(store),
        })
        log(f"size {n:,}: ingest {ing['claims']:,} claims in {ing['seconds']:,.0f} s "
            f"({rec['ingest_claims_per_s']} claims/s), store {rec['store_size_mb']:,} MB")
        # -- queries (the store is opened read-write, as the lithkg commands do: RocksDB replays its logs)
        q = run_phase("queries", {"store": str(store), "repeat": opts.repeat}, tmp)
        rec["store_size_reopened_mb"] = dir_mb(store)
        rec["quads"] = q["quads"]
        rec["quads_per_claim"] = round(q["quads"] / rec["claims"], 1) if rec.get("claims") else None
        rec["ingest_quads_per_s"] = round(q["quads"] / ing["seconds"], 1)
        rec.update({"conflicts_query_ms": q["conflicts_query_ms"], "conflicts_rows": q["conflicts_rows"],
                    "disputes_query_ms": q["disputes_query_ms"], "disputes_rows": q["disputes_rows"],
                    "history_query_ms": q["history_query_ms"], "history_targets": q["history_targets"],
                    "queries_peak_rss_mb": q["rss_mb"]})
        st = q["stats"]
        total = sum(q["statuses"].values()) or 1
        rec["derived"] = {
            "claim_groups": st.get("claim_groups"), "groups_with_several_values": st.get("groups_with_several_values"),
            "disputed_groups": st.get("disputed_groups"), "subjects": st.get("subjects"),
            "sources": st.get("sources"), "document_versions": st.get("document_versions"),
            "group_size_max": q["group_size_max"], "group_size_median": q["group_size_median"],
            "groups_with_more_than_30_claims": q["groups_with_more_than_30_claims"],
            "statuses": q["statuses"],
            "status_shares": {k: round(v / total, 4) for k, v in sorted(q["statuses"].items())},
        }
        rec["corpus"] = {k: manifest[k] for k in ("sources", "topics", "facts_stated", "distinct_subjects",
                                                  "claim_sentences", "bytes", "events", "shares", "params")}
        # -- exports
        rss_export = []
        for fmt, key, suffix in EXPORTS:
            e = run_phase("export", {"store": str(store), "format": fmt, "file": str(tmp / f"export{suffix}")}, tmp)
            rec[f"export_{key}_triples_per_s"] = e["per_s"]
            rec[f"export_{key}_statements"] = e["statements"]
            rec[f"export_{key}_seconds"] = e["seconds"]
            rec[f"export_{key}_mb"] = round(e["bytes"] / 2 ** 20, 1)
            rec[f"export_{key}_peak_rss_mb"] = e["rss_mb"]
            rss_export.append(e["rss_mb"])
            log(f"size {n:,}: export {fmt}: {e['statements']:,} statements in {e['seconds']:,.1f} s")
        nquads = tmp / "export.nq"
        for _, _, suffix in EXPORTS[1:]:
            (tmp / f"export{suffix}").unlink(missing_ok=True)
        # -- storage-level reference: Oxigraph bulk load of the same quads
        ox = run_phase("oxload", {"store": str(tmp / "oxload"), "nquads": str(nquads)}, tmp)
        rec["oxigraph_bulk_load_quads_per_s"] = ox["quads_per_s"]
        rec["oxigraph_bulk_load_store_mb"] = ox["store_mb"]
        shutil.rmtree(tmp / "oxload", ignore_errors=True)
        # -- baseline
        if n <= opts.baseline_max:
            b = run_phase("baseline", {
                "nquads": str(nquads), "prefixes": q["prefixes"], "queries": q["queries"],
                "history_targets": q["history_targets"], "context": q["jsonld_context"],
                "timeout": opts.baseline_timeout, "turtle_timeout": opts.baseline_turtle_timeout,
                "repeat": opts.baseline_repeat, "conflicts_repeat": opts.baseline_repeat,
                "export_prefix": str(tmp / "baseline-export")}, tmp)
            rec.update({
                "baseline_quads": b["quads"], "baseline_ingest_quads_per_s": b["load_quads_per_s"],
                "baseline_ingest_seconds": b["load_seconds"],
                "baseline_conflicts_query_ms": b["conflicts_query_ms"], "baseline_conflicts_rows": b["conflicts_rows"],
                "baseline_disputes_query_ms": b["disputes_query_ms"], "baseline_disputes_rows": b["disputes_rows"],
                "baseline_history_query_ms": b["history_query_ms"],
                "baseline_peak_rss_mb": b["rss_after_load_mb"], "baseline_peak_rss_all_phases_mb": b["rss_mb"],
            })
            for _fmt, key, _ in EXPORTS:
                s = b[f"export_{key}_seconds"]
                rec[f"baseline_export_{key}_triples_per_s"] = \
                    round(rec[f"export_{key}_statements"] / s, 1) if s else None
                rec[f"baseline_export_{key}_seconds"] = s
            if b["conflicts_rows"] is not None and b["conflicts_rows"] != rec["conflicts_rows"]:
                rec["notes"].append(f"conflicts rows differ: lithkg {rec['conflicts_rows']}, "
                                    f"rdflib {b['conflicts_rows']}")
            hist_rows = [t.get("rows") for t in rec["history_targets"]]
            if any(r is not None for r in b["history_rows"]) and b["history_rows"] != hist_rows:
                rec["notes"].append(f"history rows differ: lithkg {hist_rows}, rdflib {b['history_rows']}")
            rec["notes"] += [f"baseline: {x}" for x in b["notes"]]
        else:
            for key in ("baseline_quads", "baseline_ingest_quads_per_s", "baseline_ingest_seconds",
                        "baseline_conflicts_query_ms", "baseline_disputes_query_ms", "baseline_history_query_ms", "baseline_peak_rss_mb",
                        "baseline_export_nquads_triples_per_s", "baseline_export_turtle_triples_per_s",
                        "baseline_export_jsonld_triples_per_s"):
                rec[key] = None
            rec["notes"].append(f"baseline not run: {n:,} documents is above --baseline-max {opts.baseline_max:,}")
        nquads.unlink(missing_ok=True)
        # -- add one new document to the large store (last: it changes the store)
        add = run_phase("add", {"store": str(store), "documents": gen["extra_documents"], "warmup": 1}, tmp)
        rec["add_one_document_ms"] = add["add_one_document_ms"]
        rec["add_one_document_times_ms"] = add["times_ms"]
        rec["add_peak_rss_mb"] = add["rss_mb"]
        # -- optional profile: one more ingest, under cProfile, into another store
        if opts.profile:
            prof = HERE / f"profile-ingest-{n}.prof" if opts.keep_profile else tmp / "ingest.prof"
            pr = run_phase("ingest", {"store": str(tmp / "store-profiled"), "corpus": str(corpus),
                                      "bulk": opts.bulk_ok, "profile": str(prof)}, tmp)
            rec["ingest_profile"] = pr["profile"]
            shutil.rmtree(tmp / "store-profiled", ignore_errors=True)
        rec["ratios_lithkg_over_baseline"] = {
            "ingest_quads_per_s (different work: lithkg reads, extracts, derives, writes; rdflib parses)":
                ratio(rec.get("ingest_quads_per_s"), rec.get("baseline_ingest_quads_per_s")),
            "conflicts_query_ms (<1: lithkg faster)":
                ratio(rec["conflicts_query_ms"], rec.get("baseline_conflicts_query_ms")),
            "disputes_query_ms (<1: lithkg faster)":
                ratio(rec["disputes_query_ms"], rec.get("baseline_disputes_query_ms")),
            "history_query_ms (<1: lithkg faster)":
                ratio(rec["history_query_ms"], rec.get("baseline_history_query_ms")),
            **{f"export_{key}_triples_per_s (>1: lithkg faster)": ratio(rec[f"export_{key}_triples_per_s"],
                                                                        rec.get(f"baseline_export_{key}_triples_per_s"))
               for _, key, _ in EXPORTS},
            "peak_rss_mb (lithkg ingest / rdflib load)": ratio(rec["peak_rss_mb"], rec.get("baseline_peak_rss_mb")),
        }
        rec["machine"] = mach
    finally:
        if opts.keep:
            log(f"size {n:,}: kept {tmp}")
        else:
            shutil.rmtree(tmp, ignore_errors=True)
    return rec


# ====================================================================== report
ROWS = [
    ("claims", "claims", None),
    ("quads in store", "quads", "baseline_quads"),
    ("quads per claim", "quads_per_claim", None),
    ("ingest claims/s", "ingest_claims_per_s", None),
    ("ingest quads/s (baseline: N-Quads parse)", "ingest_quads_per_s", "baseline_ingest_quads_per_s"),
    ("ingest wall s", "ingest_seconds", "baseline_ingest_seconds"),
    ("add one document, ms (median)", "add_one_document_ms", None),
    ("conflicts query (every claim of every group with several values), ms", "conflicts_query_ms",
     "baseline_conflicts_query_ms"),
    ("disputes query (grouped: one row per disputed group), ms", "disputes_query_ms", "baseline_disputes_query_ms"),
    ("history query, ms (median of 5 pairs)", "history_query_ms", "baseline_history_query_ms"),
    ("export N-Quads, quads/s", "export_nquads_triples_per_s", "baseline_export_nquads_triples_per_s"),
    ("export Turtle, triples/s", "export_turtle_triples_per_s", "baseline_export_turtle_triples_per_s"),
    ("export JSON-LD, triples/s", "export_jsonld_triples_per_s", "baseline_export_jsonld_triples_per_s"),
    ("store on disk after ingest, MB", "store_size_mb", None),
    ("store on disk after reopening, MB", "store_size_reopened_mb", None),
    ("peak RSS, MB (ingest / rdflib load)", "peak_rss_mb", "baseline_peak_rss_mb"),
    ("Oxigraph bulk_load of the same quads, quads/s", "oxigraph_bulk_load_quads_per_s", None),
]


def _fmt(v) -> str:
    if v is None:
        return "–"
    if isinstance(v, float):
        return f"{v:,.1f}" if abs(v) >= 10 else f"{v:,.3g}"
    if isinstance(v, int):
        return f"{v:,}"
    return str(v)


def markdown(records: list[dict]) -> str:
    head = "| metric | " + " | ".join(f"{r['documents']:,} docs: lithkg | rdflib | lithkg/rdflib"
                                      for r in records) + " |"
    sep = "|---|" + "---|---|---|" * len(records)
    lines = [head, sep]
    for label, key, bkey in ROWS:
        cells = []
        for r in records:
            a = r.get(key)
            b = r.get(bkey) if bkey else None
            cells += [_fmt(a), _fmt(b) if bkey else "", _fmt(ratio(a, b)) if bkey else ""]
        lines.append(f"| {label} | " + " | ".join(cells) + " |")
    status_lines = ["", "| derived statuses (share of claims) | " + " | ".join(f"{r['documents']:,} docs"
                                                                             for r in records) + " |",
                    "|---|" + "---|" * len(records)]
    for s in ("preferred", "corroborated", "compatible", "updated", "outranked", "conflicting", "no longer stated",
              "retracted", "deprecated"):
        if not any(r["derived"]["statuses"].get(s) for r in records) and s in ("outranked", "retracted", "deprecated"):
            continue
        status_lines.append(f"| {s} | " + " | ".join(
            f"{r['derived']['statuses'].get(s, 0):,} ({r['derived']['status_shares'].get(s, 0):.1%})"
            for r in records) + " |")
    status_lines.append("| claim groups | " + " | ".join(_fmt(r["derived"]["claim_groups"]) for r in records) + " |")
    status_lines.append("| disputed groups | " + " | ".join(_fmt(r["derived"]["disputed_groups"])
                                                             for r in records) + " |")
    corpus_lines = ["", "| synthetic corpus (intended, from the manifest) | " + " | ".join(
        f"{r['documents']:,} docs" for r in records) + " |", "|---|" + "---|" * len(records)]
    for label, fn in (("sources / topics / facts stated", lambda c: f"{c['sources']:,} / {c['topics']:,} / "
                                                                     f"{c['facts_stated']:,}"),
                      ("claim sentences", lambda c: f"{c['claim_sentences']:,}")):
        corpus_lines.append(f"| {label} | " + " | ".join(fn(r["corpus"]) for r in records) + " |")
    for key in records[0]["corpus"]["shares"] if records else []:
        corpus_lines.append(f"| {key} | " + " | ".join(f"{r['corpus']['shares'].get(key, 0):.1%}" for r in records)
                            + " |")
    notes = [f"- {r['documents']:,} docs: {n}" for r in records for n in r.get("notes", [])]
    return "\n".join(lines + status_lines + corpus_lines + ([""] + notes if notes else [])) + "\n"


def main(argv=None) -> int:
    argv = list(sys.argv[1:] if argv is None else argv)
    if argv[:1] == ["--phase"]:  # internal: one measured phase in this (fresh) process
        name, spec, result = argv[1:4]
        out = PHASES[name](json.loads(Path(spec).read_text(encoding="utf-8")))
        Path(result).write_text(json.dumps(out, default=str), encoding="utf-8")
        return 0
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--sizes", default="1000", help="comma-separated corpus sizes in documents (default 1000)")
    ap.add_argument("--out", type=Path, default=HERE / "results.json",
                    help="JSON results (the Markdown table goes next to it, .md)")
    ap.add_argument("--baseline-max", type=int, default=10000, help="largest size the rdflib baseline runs at")
    ap.add_argument("--baseline-timeout", type=float, default=3600, help="seconds per baseline query or export")
    ap.add_argument("--baseline-turtle-timeout", type=float, default=None,
                    help="seconds for rdflib's Turtle serialization (default: --baseline-timeout); it is superlinear "
                         "here: 34 minutes for 540k triples")
    ap.add_argument("--baseline-repeat", type=int, default=1, help="runs of each baseline query (median)")
    ap.add_argument("--repeat", type=int, default=5, help="runs of each lithkg query (median)")
    ap.add_argument("--add-docs", type=int, default=5, help="documents added one at a time (after one warm-up)")
    ap.add_argument("--bulk", action="store_true", help="pass bulk=True to KnowledgeGraph.ingest if it accepts it")
    ap.add_argument("--profile", action="store_true", help="also profile one ingest per size (cProfile)")
    ap.add_argument("--keep-profile", action="store_true", help="keep the .prof files in benchmarks/")
    ap.add_argument("--keep", action="store_true", help="keep the temporary corpus and store")
    ap.add_argument("--tmp", type=Path, default=None, help="folder for the temporary corpora and stores")
    synth.add_arguments(ap)
    opts = ap.parse_args(argv)
    sizes = [int(s.replace("_", "")) for s in opts.sizes.split(",") if s.strip()]
    opts.synth_ns = argparse.Namespace(**{k: getattr(opts, k) for k in (
        "seed", "claims", "facts_per_topic", "sources_per_topic", "max_versions", "update", "retract", "reword",
        "conflict", "gazetteer")}, documents=0)
    from lithkg.kg import KnowledgeGraph

    bulk_supported = "bulk" in inspect.signature(KnowledgeGraph.ingest).parameters
    opts.bulk_ok = opts.bulk and bulk_supported
    if opts.bulk and not bulk_supported:
        log("--bulk: KnowledgeGraph.ingest has no 'bulk' keyword in this lithkg; ingesting document by document")
    mach = machine()
    tmp_root = opts.tmp or Path(tempfile.gettempdir())
    tmp_root.mkdir(parents=True, exist_ok=True)
    result = {"command": "python benchmarks/scale.py " + " ".join(argv),
              "started": _dt.datetime.now(_dt.timezone.utc).replace(microsecond=0).isoformat(),
              "machine": mach, "bulk_requested": opts.bulk, "bulk_supported": bulk_supported,
              "notes": [
                  "lithkg figures use the public API (KnowledgeGraph.ingest / run_named / export); each phase runs in "
                  "its own process and peak_rss_mb is that process's ru_maxrss.",
                  "baseline = rdflib Dataset(default_union=True) in memory, loaded by parsing lithkg's N-Quads export "
                  "of the same store (so both answer on identical data); baseline ingest measures parsing only.",
                  "ratios are lithkg / baseline: for ms and MB below 1 means lithkg is faster/smaller, for per-second "
                  "rates above 1 means lithkg is faster.",
                  f"baseline runs only up to --baseline-max {opts.baseline_max:,} documents; larger sizes record null.",
              ],
              "records": []}
    opts.out.parent.mkdir(parents=True, exist_ok=True)
    for n in sizes:
        rec = run_size(n, opts, tmp_root, mach)
        result["records"].append(rec)
        opts.out.write_text(json.dumps(result, indent=2, default=str) + "\n", encoding="utf-8")
        table = markdown(result["records"])
        opts.out.with_suffix(".md").write_text(f"# lithkg scale benchmark\n\n`{result['command']}` on "
                                               f"{mach['cpu']}, {mach['cores']} cores, {mach['ram_gb']} GB\n\n"
                                               + table, encoding="utf-8")
        log(f"size {n:,}: done; wrote {opts.out}")
    print(markdown(result["records"]))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
