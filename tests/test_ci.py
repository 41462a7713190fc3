"""The CI script waits for the package manager instead of failing when another process holds its locks."""
import os
import re
import subprocess
import sys
import time

from conftest import ROOT

WAIT = ROOT / ".ci" / "wait-for-apt-lock"
HOLD = """
import fcntl, os, sys
fd = os.open(sys.argv[1], os.O_RDWR | os.O_CREAT)
fcntl.lockf(fd, fcntl.LOCK_EX)   # the kind of lock dpkg and apt take
print("held", flush=True)
sys.stdin.read()                 # until the test closes stdin
"""


def hold(path):
    proc = subprocess.Popen([sys.executable, "-c", HOLD, str(path)], stdin=subprocess.PIPE, stdout=subprocess.PIPE,
                            text=True)
    assert proc.stdout.readline() == "held\n"
    return proc


def waiter(path, seconds):
    return subprocess.Popen(["bash", str(WAIT), str(path)], env={**os.environ, "LITHKG_CI_LOCK_WAIT": str(seconds)},
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)


def test_a_free_or_missing_lock_is_passed_at_once(tmp_path):
    (tmp_path / "lock").write_text("")
    for path in (tmp_path / "lock", tmp_path / "missing"):
        run = subprocess.run(["bash", str(WAIT), str(path)], capture_output=True, text=True, timeout=30)
        assert (run.returncode, run.stderr) == (0, "")


def test_it_waits_while_another_process_holds_the_lock_and_goes_on_when_it_is_released(tmp_path):
    lock = tmp_path / "lock-frontend"
    holder = hold(lock)
    proc = waiter(lock, 60)
    try:
        time.sleep(2.5)
        assert proc.poll() is None  # still waiting
    finally:
        holder.stdin.close()
        holder.wait(timeout=10)
    out, err = proc.communicate(timeout=10)
    assert proc.returncode == 0
    assert err == f"ci: waiting for {lock}: another process is using the package manager\n"


def test_it_gives_up_with_one_line_after_the_time_given(tmp_path):
    lock = tmp_path / "lock"
    holder = hold(lock)
    try:
        started = time.monotonic()
        out, err = waiter(lock, 1).communicate(timeout=30)
        assert time.monotonic() - started >= 1
    finally:
        holder.stdin.close()
        holder.wait(timeout=10)
    assert err.splitlines()[-1] == (f"ci: {lock} is still held after 1 s: another process is using the package "
                                    "manager (wait for it to finish, or raise LITHKG_CI_LOCK_WAIT)")


def test_every_apt_get_of_the_ci_scripts_waits_for_the_lock():
    for script in (ROOT / ".ci" / "run", ROOT / ".ci" / "servers.sh"):
        text = script.read_text()
        calls = re.findall(r"apt-get (?:update|install) -[^;&|\n]*", text.replace("\\\n", " "))  # (not messages)
        assert calls, script
        assert all("-o DPkg::Lock::Timeout=600" in call for call in calls), (script, calls)
        assert "wait-for-apt-lock" in text.split("apt-get update")[0], script
