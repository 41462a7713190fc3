"""Shared fixtures: real on-disk Oxigraph stores, the bundled corpus, the seeds, a CLI runner."""
from __future__ import annotations

import os
import shutil
from pathlib import Path

import pytest
from click.testing import CliRunner

from lithkg.cli import main
from lithkg.config import Settings
from lithkg.kg import KnowledgeGraph

ROOT = Path(__file__).resolve().parent.parent
GRAPH = ROOT / "graph"
SHARED = ROOT.parent / "shared"
SEEDS = SHARED / "seeds"


@pytest.fixture(autouse=True)
def _isolated_env(monkeypatch):
    """No settings leak in from the machine. Tests of the store, versioning and CLI mechanics count curated claims
    only (LITHKG_EXTRACTORS=curated); tests of extraction and of the bundled graph use the defaults explicitly."""
    for key in list(os.environ):
        if key.startswith("LITHKG_"):
            monkeypatch.delenv(key, raising=False)
    monkeypatch.delenv("SOURCE_DATE_EPOCH", raising=False)
    monkeypatch.setenv("LITHKG_EXTRACTORS", "curated")


DEFAULTS = Settings()


@pytest.fixture
def store_path(tmp_path) -> Path:
    return tmp_path / "store"


@pytest.fixture
def kg(store_path):
    with KnowledgeGraph(store_path) as graph:
        yield graph


@pytest.fixture(scope="session")
def built_store(tmp_path_factory) -> Path:
    """A store with the bundled corpus ingested the way 'lithkg build' does (built once per session)."""
    path = tmp_path_factory.mktemp("bundled") / "store"
    from lithkg.kg import build_record_time
    with KnowledgeGraph(path, settings=DEFAULTS) as graph:
        graph.ingest([GRAPH / "sources", GRAPH / "claims"], relative_to=ROOT, record_time=build_record_time)
    return path


@pytest.fixture
def bundled(built_store, tmp_path):
    """A private copy of the bundled store (tests may write to it)."""
    copy = tmp_path / "bundled"
    shutil.copytree(built_store, copy)
    with KnowledgeGraph(copy, settings=DEFAULTS) as graph:
        yield graph


@pytest.fixture
def runner():
    return CliRunner()


@pytest.fixture
def cli(runner, store_path):
    """Run the lithkg command on the test's store: cli('claims', '--format', 'jsonl')."""
    def run(*args, input=None, store=None):
        return runner.invoke(main, ["--store", str(store or store_path), *args], input=input,
                             catch_exceptions=False)
    return run


def write(path: Path, text: str) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")
    return path


PAGE_2021 = """---
title: Facts 2021
url: https://facts.example/page
published: 2021-06-01
---
In 2021 we rank 4th in the world on the National Cyber Security Index.
Back in 2017, Lithuania was 57th.
"""

PAGE_2022 = """---
title: Facts 2022
url: https://facts.example/page
published: 2022-05-02
---
Lithuania now ranks 6th in the National Cyber Security Index.
"""

CLAIMS_2021 = """document: p2021.md
claims:
  - subject: Lithuania
    property: rank
    value: 4
    time: "2021"
    qualifiers: {index: National Cyber Security Index}
    quote: "rank 4th in the world on the National Cyber Security Index"
  - subject: Lithuania
    property: rank
    value: 57
    time: "2017"
    qualifiers: {index: NCSI}
    quote: "Lithuania was 57th"
"""

CLAIMS_2022 = """document: p2022.md
claims:
  - subject: Lithuania
    property: rank
    value: 6
    time: "2022"
    qualifiers: {index: National Cyber Security Index}
    quote: "ranks 6th in the National Cyber Security Index"
"""


@pytest.fixture
def two_versions(tmp_path):
    """Two versions of one source with curated claims: returns the folder."""
    folder = tmp_path / "docs"
    write(folder / "p2021.md", PAGE_2021)
    write(folder / "p2022.md", PAGE_2022)
    write(folder / "p2021.yaml", CLAIMS_2021)
    write(folder / "p2022.yaml", CLAIMS_2022)
    return folder
