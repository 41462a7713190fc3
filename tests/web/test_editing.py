"""Corrections through the pages (lithkg/web/editing.py): a real 'lithkg serve --edit' process on loopback. Without
the token, or on a read-only server, every correction is refused (403) and the store is unchanged; with it, the
correction is recorded and the listings follow."""
import os
import re
import shutil
import subprocess
import sys
import tempfile

import httpx
import pytest

from lithkg.kg import KnowledgeGraph

from conftest import ROOT
from helpers import digest, free_port, serving, stop, wait_until_serving


@pytest.fixture
def store(built_store, tmp_path):
    path = tmp_path / "store"
    shutil.copytree(built_store, path)
    return path


def _claim(store, value=5):
    with KnowledgeGraph(store, read_only=True) as kg:
        return next(r for r in kg.claims(subject="Lithuania", property="rank") if r["value"] == value)["id"]


def _start_editing(store, port):
    env = {k: v for k, v in os.environ.items() if not k.startswith("LITHKG_")}
    log = tempfile.TemporaryFile()
    proc = subprocess.Popen([sys.executable, "-m", "lithkg.cli", "--store", str(store), "serve", "--port", str(port),
                             "--edit"], stdout=log, stderr=log, env=env, cwd=str(ROOT))
    wait_until_serving(httpx.get, f"http://127.0.0.1:{port}/sparql", proc, log=log)
    log.seek(0)
    token = re.search(r"corrections need the token (\S+)", log.read().decode()).group(1)
    return proc, token, log


def test_a_read_only_server_refuses_every_correction(store):
    claim = _claim(store).rsplit("/", 1)[-1]
    before = digest(store)
    with serving(store, free_port()) as url:
        r = httpx.post(url + "/corrections", data={"kind": "reject", "claim": claim, "reason": "x", "token": "t"})
        assert r.status_code == 403
        assert r.text == "this server is read-only: start it with 'lithkg serve --edit' to record corrections\n"
        page = httpx.get(f"{url}/id/claim/{claim}", headers={"accept": "text/html"}).text
        assert "<form method=\"post\" action=\"/corrections\">" not in page
    assert digest(store) == before


def test_with_the_token_a_correction_is_recorded_and_without_it_refused(store):
    claim_iri = _claim(store)
    claim = claim_iri.rsplit("/", 1)[-1]
    port = free_port()
    proc, token, log = _start_editing(store, port)
    url = f"http://127.0.0.1:{port}"
    try:
        page = httpx.get(f"{url}/id/claim/{claim}", headers={"accept": "text/html"}).text
        assert "<form method=\"post\" action=\"/corrections\">" in page and f'value="{claim}"' in page
        for headers, data in (({}, {}), ({"x-lithkg-token": "wrong"}, {}), ({}, {"token": token[:-1]})):
            r = httpx.post(url + "/corrections", headers=headers,
                           data={"kind": "reject", "claim": claim, "reason": "misread", **data})
            assert r.status_code == 403 and "editing token" in r.text
        r = httpx.post(url + "/corrections", headers={"x-lithkg-token": token},
                       data={"kind": "reject", "claim": "feedfacefeed", "reason": "x"})
        assert (r.status_code, r.text) == (400, "no claim 'feedfacefeed' in the store (see 'lithkg claims' for "
                                                "ids)\n")
        r = httpx.post(url + "/corrections", headers={"x-lithkg-token": token},
                       data={"kind": "reject", "claim": claim, "reason": "the index's table says 6th", "by": "ed"})
        assert r.status_code == 200 and r.text.startswith(f"reject {claim}: correction ")
        r = httpx.post(url + "/corrections", headers={"accept": "text/html"}, follow_redirects=False,
                       data={"kind": "confirm", "claim": _claim(store, 6).rsplit("/", 1)[-1],
                             "reason": "checked", "token": token})
        assert r.status_code == 303 and r.headers["location"].startswith("/id/claim/")
        rows = httpx.get(url + "/queries/claims", headers={"accept": "application/sparql-results+json"})
        assert rows.status_code == 200
        amended = _claim(store, 57).rsplit("/", 1)[-1]
        assert '<option value="amend">' in httpx.get(f"{url}/id/claim/{amended}", headers={"accept": "text/html"}).text
        r = httpx.post(url + "/corrections", headers={"x-lithkg-token": token},
                       data={"kind": "amend", "claim": amended, "time": "2016", "value": "", "reason": "the index "
                             "of 2016", "by": "ed"})
        assert r.status_code == 200 and r.text.startswith(f"amend {amended}: correction ") and "; made " in r.text
        r = httpx.post(url + "/corrections", headers={"x-lithkg-token": token},
                       data={"kind": "amend", "claim": amended, "subject": "Atlantis", "reason": "x"})
        assert (r.status_code, r.text) == (400, "unknown entity 'Atlantis' (use a label or alias from "
                                                "ontology/entities.ttl, or an IRI)\n")
    finally:
        stop(proc)
        log.close()
    with KnowledgeGraph(store, read_only=True) as kg:
        statuses = {r["id"]: r["status"] for r in kg.claims()}
        assert statuses[claim_iri] == "rejected"
        assert [(c["kind"], c["by"]) for c in kg.corrections()] == [("reject", "ed"), ("confirm", "web"),
                                                                    ("amend", "ed")]
        [made] = kg.corrections()[-1]["made"]
        assert next(r["time"] for r in kg.claims() if r["id"] == made) == "2016"
