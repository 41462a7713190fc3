"""The documentation's examples run, and print what they show.

Every ```console block of README.md and docs/*.md is run, command by command, and what each command prints (stdout
and stderr together) is compared with the lines shown under it. The rules, which a writer of the docs needs:

- A command is a line starting with `$ `; a line ending in `\\` continues it. The lines up to the next command are
  its output. A command that shows no output must print nothing and exit 0.
- The blocks of one file run in order, in one fresh folder laid out like the project: a copy of `graph/`, links to
  `ontology/`, `queries/` and `benchmarks/`, and `../shared` (copies of the seeds, gold and scorer). So a block may
  use a store that an earlier block of the same file built. `lithkg` and `python` are the project's `.venv` ones.
- `/tmp/` in a command is a fresh folder of the test's own (and that folder is shown as `/tmp/` in the output), so
  the examples write their stores and files under `/tmp/` and never into the project or its default store. A run
  that creates the default store (`.lithkg/store`) fails.
- In the output, a line `...` stands for any number of lines (none included), `<TIME>` for a record time such
  as `2026-11-22T23:08:37Z`, and `<ID>` for the short id of a record minted with its record time (a correction's).
- A `lithkg ... serve` command is started in the background on a free port (written `8000` in the docs); its first
  output lines are compared, the block's later commands (curl) run against it, and it is stopped at the block's end.
- `<!-- docs-test: file PATH -->` on the line before a block (of any language) writes that block's text to PATH
  (relative to the project folder, or under `/tmp/`), for the examples that follow: a document of the reader's own.
- `<!-- docs-test: skip (REASON) -->` on the line before a block's fence skips that block: only for what cannot run
  here (the test suite itself, a SPARQL server elsewhere).

To rewrite the shown output of the examples that no longer match with what they print today:
`.venv/bin/python tests/test_docs.py --update README.md docs/commands.md` (then put back any `...` lines).
"""

from __future__ import annotations

import os
import re
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass, field
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
VENV_BIN = ROOT / ".venv" / "bin"
DOCS = [ROOT / "README.md", *sorted((ROOT / "docs").glob("*.md"))]
SKIP = re.compile(r"<!--\s*docs-test:\s*skip\s*\((.+)\)\s*-->")
FILE = re.compile(r"<!--\s*docs-test:\s*file\s+(\S+)\s*-->")
TMP = re.compile(r"(?<![\w/.~-])/tmp(?=/|\b)")
TIME = r"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(?:\.\d+)?Z"
ID = r"[0-9a-f]{20}"
SERVE = re.compile(r"^lithkg\b.*\sserve\b")
TIMEOUT = 300


@dataclass
class Command:
    line: int  # 1-based line of the `$ ` in the file
    text: str
    expected: list[str] = field(default_factory=list)


@dataclass
class Block:
    path: Path
    line: int
    skip: str | None
    commands: list[Command]
    file: str | None = None  # a block that writes a file instead of running commands
    content: str = ""


def parse(path: Path) -> list[Block]:
    lines = path.read_text(encoding="utf-8").splitlines()
    blocks, i = [], 0
    while i < len(lines):
        made = FILE.fullmatch(lines[i].strip())
        if made and i + 1 < len(lines) and lines[i + 1].startswith("```"):
            end = lines.index("```", i + 2)
            blocks.append(Block(path, i + 2, None, [], made.group(1), "\n".join(lines[i + 2:end]) + "\n"))
            i = end + 1
            continue
        if lines[i].strip() != "```console":
            i += 1
            continue
        prev = lines[i - 1].strip() if i else ""
        skip = SKIP.fullmatch(prev)
        start, commands, i = i + 1, [], i + 1
        while i < len(lines) and lines[i].strip() != "```":
            line = lines[i]
            if line.startswith("$ "):
                text, first = line[2:], i
                while text.endswith("\\") and i + 1 < len(lines):
                    i += 1
                    text = text + "\n" + lines[i]
                commands.append(Command(first + 1, text))
            elif commands:
                commands[-1].expected.append(line)
            i += 1
        blocks.append(Block(path, start, skip.group(1) if skip else None, commands))
        i += 1
    return blocks


def matches(expected: list[str], actual: list[str]) -> bool:
    parts = []
    for line in expected:
        if line.strip() == "...":
            parts.append(r"(?:[^\n]*\n)*?")
        else:
            parts.append(re.escape(line.rstrip()).replace(re.escape("<TIME>"), TIME).replace(re.escape("<ID>"), ID)
                         + r"\n")
    text = "".join(x.rstrip() + "\n" for x in actual)
    return re.fullmatch("".join(parts), text) is not None


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class Workspace:
    """A fresh folder laid out like the project, with its own /tmp."""

    def __init__(self) -> None:
        self.base = Path(tempfile.mkdtemp(prefix="lithkg-docs-"))
        self.cwd = self.base / "project"
        self.cwd.mkdir()
        self.tmp = self.base / "tmp"
        self.tmp.mkdir()
        shutil.copytree(ROOT / "graph", self.cwd / "graph")
        for name in ("ontology", "queries", "benchmarks"):
            (self.cwd / name).symlink_to(ROOT / name)
        for name in ("seeds", "gold", "tools"):  # copied, not linked: lithkg shows paths with links resolved
            shutil.copytree(ROOT.parent / "shared" / name, self.base / "shared" / name)
        self.env = {k: v for k, v in os.environ.items() if not k.startswith("LITHKG_")}
        self.env.update(PATH=f"{VENV_BIN}{os.pathsep}{os.environ.get('PATH', '')}", PYTHONUNBUFFERED="1",
                        COLUMNS="120", TZ="UTC")
        self.env.pop("VIRTUAL_ENV", None)
        self.servers: list[subprocess.Popen] = []

    def command(self, text: str) -> str:
        return TMP.sub(str(self.tmp), text)

    def output(self, text: str) -> list[str]:
        return [line.replace(str(self.tmp), "/tmp") for line in text.splitlines()]

    def run(self, text: str) -> tuple[int, list[str]]:
        proc = subprocess.run(["bash", "-c", self.command(text)], cwd=self.cwd, env=self.env, text=True,
                              stdout=subprocess.PIPE, stderr=subprocess.STDOUT, timeout=TIMEOUT)
        return proc.returncode, self.output(proc.stdout)

    def serve(self, text: str, port: int, n_lines: int) -> list[str]:
        proc = subprocess.Popen(["bash", "-c", "exec " + self.command(text)], cwd=self.cwd, env=self.env,
                                text=True, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, start_new_session=True)
        self.servers.append(proc)
        got, deadline = [], time.monotonic() + 60
        while len(got) < n_lines and time.monotonic() < deadline:
            line = proc.stdout.readline()
            if not line:
                break
            got.append(line.rstrip("\n"))
        while time.monotonic() < deadline:  # the port answers before any client command runs
            try:
                socket.create_connection(("127.0.0.1", port), timeout=1).close()
                break
            except OSError:
                time.sleep(0.2)
        return self.output("\n".join(got))

    def stop_servers(self) -> None:
        for proc in self.servers:
            if proc.poll() is None:
                os.killpg(proc.pid, signal.SIGTERM)
                try:
                    proc.wait(timeout=20)
                except subprocess.TimeoutExpired:
                    os.killpg(proc.pid, signal.SIGKILL)
                    proc.wait()
            proc.stdout.close()
        self.servers.clear()

    def close(self) -> None:
        self.stop_servers()
        shutil.rmtree(self.base, ignore_errors=True)


def run_file(path: Path) -> tuple[list[tuple[Command, list[str], int]], int, int]:
    """Run every block of a file; give the (command, printed lines, exit code) of each command, and the counts of
    blocks run and skipped."""
    results, ran, skipped = [], 0, 0
    ws = Workspace()
    try:
        for block in parse(path):
            if block.file:
                target = ws.cwd / ws.command(block.file)
                target.parent.mkdir(parents=True, exist_ok=True)
                target.write_text(block.content, encoding="utf-8")
                continue
            if block.skip:
                skipped += 1
                continue
            ran += 1
            serving = any(SERVE.match(c.text) for c in block.commands)
            port = free_port() if serving else None
            try:
                for cmd in block.commands:
                    text = re.sub(r"\b8000\b", str(port), cmd.text) if serving else cmd.text
                    if SERVE.match(cmd.text):
                        code, out = 0, ws.serve(text, port, len(cmd.expected))
                    else:
                        code, out = ws.run(text)
                    if serving:
                        out = [line.replace(f":{port}", ":8000") for line in out]
                    results.append((cmd, out, code))
            finally:
                ws.stop_servers()
        assert not (ws.cwd / ".lithkg").exists(), f"{path.name}: an example wrote to the default store .lithkg/store"
    finally:
        ws.close()
    return results, ran, skipped


@pytest.mark.parametrize("path", DOCS, ids=[str(p.relative_to(ROOT)) for p in DOCS])
def test_console_examples_print_what_they_show(path):
    results, ran, skipped = run_file(path)
    problems = []
    for cmd, out, code in results:
        where = f"{path.relative_to(ROOT)}:{cmd.line}: $ {cmd.text}"
        if not matches(cmd.expected, out):
            problems.append(f"{where}\n--- shown\n" + "\n".join(cmd.expected) + "\n--- printed\n" + "\n".join(out))
        elif code != 0 and not cmd.expected:
            problems.append(f"{where}\nexit code {code} with no output shown")
    assert not problems, "\n\n".join(problems)


def test_every_block_is_run_or_says_why_not():
    for path in DOCS:
        for block in (b for b in parse(path) if not b.file):
            where = f"{path.relative_to(ROOT)}:{block.line}"
            assert block.commands, f"{where}: a console block with no `$ ` command"
            if block.skip:
                assert len(block.skip.strip()) > 10, f"{where}: a skip needs a reason"
            for cmd in block.commands:
                for call in re.findall(r"(?:^|[|;&(]\s*)lithkg\b([^|;&]*)", cmd.text):
                    assert re.search(r"--store|--endpoint|--help|--version", call), (
                        f"{where}: `lithkg{call}` uses the default store; give --store /tmp/NAME")


def update(path: Path) -> None:
    """Rewrite the shown output of every command whose output does not match what it prints."""
    results, _, _ = run_file(path)
    broken = [cmd.text for cmd, out, _ in results if any("Traceback (most recent call last)" in x for x in out)]
    if broken:
        sys.exit(f"{path.name}: not updated, a command failed with a traceback: {broken[0]}")
    lines = path.read_text(encoding="utf-8").splitlines()
    for cmd, out, _ in sorted(results, key=lambda r: r[0].line, reverse=True):
        if matches(cmd.expected, out):
            continue
        first = cmd.line - 1 + cmd.text.count("\n") + 1
        lines[first:first + len(cmd.expected)] = out
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")


if __name__ == "__main__":
    if sys.argv[1:2] != ["--update"] or len(sys.argv) < 3:
        sys.exit("usage: python tests/test_docs.py --update FILE.md...")
    for name in sys.argv[2:]:
        update(Path(name).resolve())
