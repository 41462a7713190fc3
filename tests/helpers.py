"""What several test folders share: a real ``lithkg serve`` process on a loopback port (and the module-scoped
``server`` fixture over a copy of the bundled store), the store's files hashed, and the CLI run from a folder."""
from __future__ import annotations

import contextlib
import hashlib
import os
import shutil
import socket
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import httpx
import pytest
from click.testing import CliRunner

from lithkg.cli import main

from conftest import ROOT

SERVED = {}  # the ``server`` fixture's store, for tests that write to it while it is served


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def wait_until_serving(get, url: str, proc: subprocess.Popen, seconds: float = 90, log=None) -> None:
    """Poll ``url`` with ``get`` until the server process answers; what it logged in the error if it exits first
    (``log``: the file its stderr goes to, else its stderr pipe)."""
    deadline = time.time() + seconds
    while time.time() < deadline:
        try:
            get(url, timeout=2)
            return
        except httpx.HTTPError:
            if proc.poll() is not None:
                if log is not None:
                    log.seek(0)
                    raise RuntimeError(log.read().decode(errors="replace")[-3000:])
                raise RuntimeError(proc.stderr.read().decode()[-3000:])
            time.sleep(0.2)
    raise RuntimeError("the server did not start")


@contextlib.contextmanager
def serving(store, port: int, *args: str):
    """``lithkg serve`` on ``store`` as a real process on a loopback port; yields its URL. Its output goes to a
    file, never to a pipe nobody reads (a server that logs much would block on a full pipe)."""
    env = {k: v for k, v in os.environ.items() if not k.startswith("LITHKG_")}
    with tempfile.TemporaryFile() as log:
        proc = subprocess.Popen([sys.executable, "-m", "lithkg.cli", "--store", str(store), "serve", "--port",
                                 str(port), *args], stdout=log, stderr=log, env=env, cwd=str(ROOT))
        url = f"http://127.0.0.1:{port}"
        wait_until_serving(httpx.get, url + "/sparql", proc, log=log)
        try:
            yield url
        finally:
            stop(proc)


def stop(proc: subprocess.Popen, timeout: float = 10) -> None:
    """End a server process: terminate it, and kill it if it has not ended within ``timeout`` seconds."""
    proc.terminate()
    try:
        proc.wait(timeout=timeout)
    except subprocess.TimeoutExpired:
        proc.kill()
        proc.wait(timeout=10)


@pytest.fixture(scope="module")
def server(built_store, tmp_path_factory):
    """``lithkg serve`` on a copy of the bundled store (time limit 5 s, at most 50 rows); yields its URL."""
    store = tmp_path_factory.mktemp("served") / "store"
    shutil.copytree(built_store, store)
    SERVED["store"] = store
    with serving(store, free_port(), "--timeout", "5", "--row-cap", "50") as url:
        yield url


def digest(folder: Path) -> dict[str, str]:
    """Every file under ``folder`` (relative path -> SHA-256 of its bytes)."""
    return {f.relative_to(folder).as_posix(): hashlib.sha256(f.read_bytes()).hexdigest()
            for f in sorted(folder.rglob("*")) if f.is_file()}


def invoke_in(work: Path, store: Path, args, *, monkeypatch, env: dict | None = None, stdin=None) -> tuple[int, str, str]:
    """``lithkg --store STORE ARGS`` in CliRunner, from the folder ``work`` with ``env`` set: (exit code, stdout,
    stderr). The hostile-input tables share it."""
    monkeypatch.chdir(work)
    for key, value in (env or {}).items():
        monkeypatch.setenv(key, value)
    result = CliRunner().invoke(main, ["--store", str(store), *args], input=stdin, catch_exceptions=False)
    return result.exit_code, result.stdout, result.stderr
