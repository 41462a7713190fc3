"""Extraction speed of the automatic extractor, on one core: sentences/s and claims/s.

    python benchmarks/extraction_speed.py [--documents 400] [--seed 7] [--repeat 3] [--out benchmarks/extraction_speed.json]
    python benchmarks/extraction_speed.py --docs ../shared/realdev/docs --repeat 5     (real pages instead)

A synthetic corpus is generated from a seed: documents of claim sentences in varied wordings (ranks, lengths,
money, shares, changes, counts, dates, relative dates) over many entities, plus filler prose. As a baseline in the
same run, the same text is only split into sentences (spaCy's sentencizer alone), so the ratio says what the
rules cost on top of reading the text.
"""
from __future__ import annotations

import argparse
import json
import platform
import random
import time
from pathlib import Path

from lithkg.extract.documents import parse_document, read_document
from lithkg.extract import ExtractionContext, get
from lithkg.extract.text import layout
from lithkg.rdf.ontology import load

NAMES = ["Lithuania", "Latvia", "Estonia", "Poland", "Finland", "Vilnius", "Riga", "Tallinn", "Nord Security",
         "GIPL", "Rail Baltica", "Port of Klaipeda", "Kaunas", "Tartu University", "Baltic Power"]
TEMPLATES = [
    "{e} ranks {o} in the National Cyber Security Index.",
    "In {y}, {e} was ranked {o} in the Henley Passport Index.",
    "The {n}-kilometre line connects {e} with the coast.",
    "{e} raised ${m} million from investors at a ${b} billion valuation.",
    "Last year, {e} increased its spending on research by {p}%.",
    "Over {c} students are studying IT in {e}.",
    "The terminal in {e} was inaugurated in {y}.",
    "Some {c} people joined the march in {e} on {d} August {y}.",
    "Exports from {e} fell by {p} per cent in {y}.",
    "{e} allocated EUR {m} million to the project.",
    "Unemployment in {e} stood at {p}% last year.",
    "Officials met to discuss cooperation, culture and the shared history of the region.",
    "The report describes the main trends and the outlook for the coming years.",
]
ORD = ["1st", "2nd", "3rd", "4th", "6th", "11th", "second", "third", "57th"]


def corpus(documents: int, seed: int) -> list[str]:
    rng = random.Random(seed)
    docs = []
    for _ in range(documents):
        sentences = []
        for _ in range(rng.randint(8, 14)):
            t = rng.choice(TEMPLATES)
            sentences.append(t.format(e=rng.choice(NAMES), o=rng.choice(ORD), y=rng.randint(1990, 2023),
                                      n=rng.randint(10, 900), m=rng.randint(2, 900), b=round(rng.uniform(1, 9), 1),
                                      p=round(rng.uniform(0.1, 40), 1), c=f"{rng.randint(2, 90) * 1000:,}",
                                      d=rng.randint(1, 28)))
        docs.append(" ".join(sentences[:5]) + "\n\n" + " ".join(sentences[5:]))
    return docs


def main(argv=None):
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--documents", type=int, default=400)
    ap.add_argument("--seed", type=int, default=7)
    ap.add_argument("--out", default=None)
    ap.add_argument("--repeat", type=int, default=3, help="runs; the fastest is reported")
    ap.add_argument("--docs", default=None, help="time real documents in this folder instead of the synthetic corpus")
    a = ap.parse_args(argv)
    if a.docs:
        docs = [read_document(p) for p in sorted(Path(a.docs).iterdir()) if p.is_file()]
    else:
        texts = corpus(a.documents, a.seed)
        docs = [parse_document(t.encode(), name=f"d{i}.txt", published="2024-01-01") for i, t in enumerate(texts)]
    onto = load()
    extractor = get("frames")
    extractor.extract(docs[0], ExtractionContext(ontology=onto))  # warm caches (gazetteer, spaCy)
    base = took = float("inf")
    for _ in range(a.repeat):  # the best of several runs, as timeit does: the machine's noise only slows a run
        t0 = time.perf_counter()
        sentences = sum(len(layout(d.text).sentences) for d in docs)
        base = min(base, time.perf_counter() - t0)
        t0 = time.perf_counter()
        claims = sum(len(extractor.extract(d, ExtractionContext(ontology=onto))) for d in docs)
        took = min(took, time.perf_counter() - t0)
    result = {
        "documents": len(docs), "sentences": sentences, "claims": claims,
        "sentences_per_s": round(sentences / took, 1), "claims_per_s": round(claims / took, 1),
        "baseline_sentences_per_s": round(sentences / base, 1), "ratio_to_baseline": round(took / base, 2),
        "machine": {"python": platform.python_version(), "processor": platform.processor() or platform.machine(),
                    "cores_used": 1},
    }
    text = json.dumps(result, indent=2)
    print(text)
    print(f"\n| documents | sentences | claims | sentences/s | claims/s | sentencizer-only sentences/s |\n"
          f"|---|---|---|---|---|---|\n| {result['documents']} | {sentences} | {claims} | "
          f"{result['sentences_per_s']} | {result['claims_per_s']} | {result['baseline_sentences_per_s']} |")
    if a.out:
        Path(a.out).write_text(text + "\n", encoding="utf-8")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
