"""SIGKILLs of a real process recording analyst corrections on a real store on disk: after every kill each
correction is whole or absent, the derived graphs equal a fresh derivation from the corrections present (so
'lithkg check' holds), and replaying the same file completes the store."""
from __future__ import annotations

import json
import os
import random
import signal
import subprocess
import sys
import time

from lithkg.kg import KnowledgeGraph

from conftest import ROOT, write

RECORDS = 60


def _corpus(folder):
    for i in range(12):
        write(folder / f"d{i:02d}.md", f"---\ntitle: Port report {i}\nurl: https://ports.example/{i}\n"
                                        f"published: 2023-0{1 + i % 9}-01\n---\n"
                                        f"The Northport Harbour handled {4000 + 37 * i:,} ships in 2022.\n"
                                        f"The Southport Harbour handled {900 + 11 * i:,} ships in 2022.\n")
    return folder


def _whole(kg) -> list[str]:
    rows = kg.store.select("""
SELECT ?r (COUNT(DISTINCT ?reason) AS ?n1) (COUNT(DISTINCT ?at) AS ?n2) (COUNT(DISTINCT ?by) AS ?n3)
       (COUNT(DISTINCT ?c) AS ?n4) WHERE {
  ?r a lkg:Correction .
  OPTIONAL { ?r lkg:reason ?reason } OPTIONAL { ?r prov:generatedAtTime ?at }
  OPTIONAL { ?r prov:wasAttributedTo ?by } OPTIONAL { ?r lkg:claim ?c }
} GROUP BY ?r""")
    broken = [r["r"].value for r in rows if any(int(r[k].value) != 1 for k in ("n1", "n2", "n3", "n4"))]
    made = kg.store.select("""
SELECT ?r (COUNT(DISTINCT ?made) AS ?n) WHERE {
  ?r a lkg:Amendment . OPTIONAL { ?made lkg:amends ?c ; prov:wasGeneratedBy ?r ; lkg:value ?v ; lkg:group ?g }
} GROUP BY ?r""")
    return broken + [r["r"].value for r in made if int(r["n"].value) != 1]  # an amend without the claim it made


def test_kills_while_corrections_are_written_leave_each_whole_or_absent(tmp_path, monkeypatch):
    monkeypatch.setenv("LITHKG_EXTRACTORS", "frames")
    store = tmp_path / "store"
    with KnowledgeGraph(store) as kg:
        kg.ingest([_corpus(tmp_path / "docs")])
        claims = sorted(r["id"] for r in kg.claims())
    assert len(claims) == 24
    kinds = ("reject", "confirm", "amend")  # an amend also writes the claim it makes, in the same transaction
    lines = [json.dumps({"kind": kinds[i % 3], "claims": [claims[i % len(claims)]], "reason": f"checked {i}",
                         "by": "ann", "at": f"2030-01-01T00:{i // 60:02d}:{i % 60:02d}Z",
                         **({"changes": {"value": {"kind": "number", "lexical": str(5000 + i)}}} if i % 3 == 2
                            else {})})
             for i in range(RECORDS)]
    fixes = write(tmp_path / "fixes.jsonl", "\n".join(lines) + "\n")
    env = {**os.environ, "PYTHONUNBUFFERED": "1"}
    rng = random.Random(5)
    kills = landed = 0
    for _ in range(6):
        child = subprocess.Popen([sys.executable, "-m", "lithkg.cli", "--store", str(store), "corrections", "--apply",
                                  str(fixes), "--format", "json"], env=env, cwd=str(ROOT),
                                 stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        time.sleep(rng.uniform(0.8, 2.5))
        if child.poll() is None:
            child.send_signal(signal.SIGKILL)
            kills += 1
        child.wait()
        with KnowledgeGraph(store) as kg:
            present = len(kg.corrections())
            landed += 0 < present < RECORDS
            assert _whole(kg) == []
            report = kg.check(shacl=False)
            assert report.ok, [p.message for p in report.problems]
    assert kills >= 3  # the process was killed mid-way, not only after it finished
    with KnowledgeGraph(store) as kg:
        kg.apply_corrections(fixes)
        assert len(kg.corrections()) == RECORDS
        assert kg.check(shacl=False).ok
    assert landed >= 1
