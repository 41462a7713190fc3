"""Reading the store in worker processes that cannot reach the network and can be stopped.

Oxigraph evaluates ``SERVICE`` by sending an HTTP request, and it cannot cancel a query once started. The query check
(:func:`lithkg.read.querycheck.check_safe`) refuses every query that names ``SERVICE``, ``LOAD`` or a remote graph; this
module is the second wall, which does not depend on reading the query at all:

* **No network.** A worker's first act is to move into a network namespace of its own (Linux
  ``unshare(CLONE_NEWNET)``: as root, else inside an unprivileged user namespace). That namespace holds one loopback
  interface, down: a ``connect()`` to any address, loopback included, fails there, whatever a query asks for. The
  worker opens the store only after that. Where the platform allows no namespace, :attr:`Pool.isolated` is False
  with the reason, ``lithkg serve`` says so when it starts, and ``isolation="require"`` refuses to run instead.
* **A time limit that ends the work.** The caller waits for the answer up to the limit; then the worker is killed
  (SIGKILL) and replaced, and the caller gets a :class:`~lithkg.errors.QueryTimeout`. Nothing keeps running.
* **Bounded memory.** A worker's address space is limited (``memory`` bytes, ``RLIMIT_AS``): a query that needs more
  fails in that worker, which is replaced, and the machine keeps its memory.
* **Bounded concurrency.** At most ``max_workers`` tasks run at once; at most ``queue`` more wait, each at most
  ``wait`` seconds, for a worker to come free; past either bound a caller gets :class:`BusyError` at once (the
  endpoint answers 503 with ``Retry-After``): no queue grows without bound. ``spare`` idle workers are kept
  started, with the store open, so a request seldom waits for a process to start.

A task is a module-level function marked with :func:`task`; it runs as ``fn(session, *args)`` with a read-only
:class:`~lithkg.session.Session` on the store (opened again when the store's files change, so each task sees what
had been committed when it began) and returns something picklable. Errors lithkg raises on purpose come back as
the same exception, with their file, line and hint.
"""
from __future__ import annotations

import contextlib
import ctypes
import errno
import importlib
import multiprocessing
import os
import sys
import threading
import time
import types
from pathlib import Path
from typing import Any, Callable

from ..errors import LithkgError, QueryError, QueryTimeout
from ..session import Session

CLONE_NEWUSER = 0x10000000
CLONE_NEWNET = 0x40000000
DEFAULT_MEMORY = 4 * 1024 ** 3  # bytes of address space a worker may map (RLIMIT_AS)
START_LIMIT = 60.0  # seconds a new worker may take to start and open the store
IDLE_LIMIT = 60.0  # seconds an idle worker beyond the spare ones is kept


class BusyError(LithkgError):
    """Every worker is busy: the caller should answer 'try again shortly' (HTTP 503 with Retry-After)."""
    exit_code = 5


class WorkerDied(LithkgError):
    """A worker ended without answering (its memory limit, a crash of the engine); it has been replaced."""
    exit_code = 5


def task(fn: Callable) -> Callable:
    """Mark ``fn`` (a module-level function of lithkg) as runnable in a worker."""
    fn.__lithkg_task__ = True
    return fn


# ---------------------------------------------------------------------------------------------- the worker side
def isolate_network() -> str | None:
    """Move this process into a network namespace of its own, with no interface up. Returns None when done, else
    why it could not be done. Must run before the process opens any socket it means to keep private."""
    if not hasattr(os, "fork") or not os.uname().sysname == "Linux":
        return f"network namespaces need Linux (this is {os.uname().sysname})"
    try:
        libc = ctypes.CDLL(None, use_errno=True)
    except OSError as exc:  # pragma: no cover - every Linux Python has a libc
        return f"no C library to call unshare: {exc}"
    if libc.unshare(CLONE_NEWNET) == 0:
        return None
    first = ctypes.get_errno()
    uid, gid = os.getuid(), os.getgid()
    if libc.unshare(CLONE_NEWUSER | CLONE_NEWNET) == 0:  # unprivileged: a user namespace that owns the new one
        try:  # keep our own ids inside it (files on disk are checked against the real ones either way)
            Path("/proc/self/setgroups").write_text("deny")
            Path("/proc/self/uid_map").write_text(f"{uid} {uid} 1")
            Path("/proc/self/gid_map").write_text(f"{gid} {gid} 1")
        except OSError:
            pass
        return None
    second = ctypes.get_errno()
    return (f"unshare(CLONE_NEWNET) failed ({errno.errorcode.get(first, first)}) and no user namespace could be made "
            f"({errno.errorcode.get(second, second)})")


@task
def connect_probe(session, port: int) -> str | None:
    """Try to connect to ``127.0.0.1:port`` from a worker: None if it connected (the worker reaches the network),
    else the error. :meth:`Pool.start` runs it against a listener of its own to verify the isolation."""
    import socket
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as s:
        s.settimeout(2)
        try:
            s.connect(("127.0.0.1", port))
        except OSError as exc:
            return f"{type(exc).__name__}: {exc}"
    return None


def _limit_memory(limit: int) -> None:
    if limit:
        import resource
        resource.setrlimit(resource.RLIMIT_AS, (limit, limit))


def _files_signature(path: Path) -> tuple:
    """What changes when a commit lands: a commit appends to the write-ahead log (``*.log``), and a flush or
    compaction adds and removes files, which changes the folder's listing and CURRENT / MANIFEST. Only those files
    are looked at, so the cost does not grow with the store's data files."""
    try:
        folder = os.stat(path)
        return (folder.st_mtime_ns, tuple(sorted(
            (e.name, e.stat().st_size, e.stat().st_mtime_ns) for e in os.scandir(path)
            if e.name.endswith(".log") or e.name == "CURRENT" or e.name.startswith("MANIFEST-"))))
    except OSError:
        return ()


class _Reader:
    """The worker's read-only Session, opened again when the store's files change."""

    def __init__(self, settings):
        self.settings = settings
        self.signature = None
        self.session = None

    def get(self) -> Session:
        signature = _files_signature(Path(self.settings.store))
        if self.session is None or signature != self.signature:
            self.session = Session(self.settings, read_only=True)
            self.session.store  # open it now: a spare worker is ready with the store open
            self.signature = signature
        return self.session


def _resolve(ref: str) -> Callable:
    module, _, name = ref.partition(":")
    if not module.startswith("lithkg."):
        raise QueryError(f"'{ref}' is not a lithkg task")
    fn = getattr(importlib.import_module(module), name, None)
    if fn is None or not getattr(fn, "__lithkg_task__", False):
        raise QueryError(f"'{ref}' is not a lithkg task")
    return fn


def _pack_error(exc: BaseException) -> tuple:
    if isinstance(exc, LithkgError):
        return ("lithkg", type(exc), {k: v for k, v in vars(exc).items()})
    return ("other", f"{type(exc).__name__}: {exc}")


def _unpack_error(packed: tuple) -> BaseException:
    if packed[0] == "lithkg":
        cls, fields = packed[1], packed[2]
        exc = cls.__new__(cls)
        vars(exc).update(fields)
        Exception.__init__(exc, exc.format())
        return exc
    return WorkerDied(f"the query failed in its worker: {packed[1]}")


def _worker_main(conn, settings, memory: int) -> None:
    """A worker: isolate, limit, open the store, say ready, then answer tasks until the pipe closes."""
    problem = isolate_network()
    _limit_memory(memory)
    reader = _Reader(settings)
    try:
        reader.get()
    except BaseException as exc:  # the store cannot be opened: the caller gets the error itself
        conn.send(("ready", problem, _pack_error(exc)))
        return
    conn.send(("ready", problem, None))
    while True:
        try:
            ref, args = conn.recv()
        except (EOFError, OSError):
            return
        try:
            result = ("ok", _resolve(ref)(reader.get(), *args))
        except MemoryError:
            result = ("error", ("lithkg", WorkerDied, {"message": "the query needed more memory than a worker may use",
                                                      "path": None, "line": None, "column": None,
                                                      "hint": "narrow the query"}))
        except BaseException as exc:
            result = ("error", _pack_error(exc))
        try:
            conn.send(result)
        except (OSError, ValueError, TypeError) as exc:  # an answer that cannot be sent (pickling)
            conn.send(("error", _pack_error(WorkerDied(f"the answer could not be sent back: {exc}"))))


# ---------------------------------------------------------------------------------------------- the caller side
class _Worker:
    def __init__(self, ctx, settings, memory: int):
        self.conn, child = ctx.Pipe()
        self.process = ctx.Process(target=_worker_main, args=(child, settings, memory), daemon=True,
                                   name="lithkg-query")
        with _main_left_out():
            self.process.start()
        child.close()
        self.problem: str | None = None
        self.idle_since = time.monotonic()

    def wait_ready(self) -> None:
        if not self.conn.poll(START_LIMIT):
            self.kill()
            raise WorkerDied(f"a query worker did not start within {START_LIMIT:g} s")
        try:
            _, self.problem, error = self.conn.recv()
        except (EOFError, OSError):
            self.kill()
            raise WorkerDied("a query worker ended while starting") from None
        if error is not None:
            self.kill()
            raise _unpack_error(error)

    def run(self, ref: str, args: tuple, timeout: float | None, limit_hint: str):
        self.conn.send((ref, args))
        if not self.conn.poll(timeout if timeout else None):
            self.kill()
            raise QueryTimeout(timeout, hint=limit_hint)
        try:
            kind, payload = self.conn.recv()
        except (EOFError, OSError):
            self.kill()
            raise WorkerDied("the query's worker ended without answering (its memory limit?)",
                             hint="narrow the query") from None
        if kind == "error":
            raise _unpack_error(payload)
        return payload

    def alive(self) -> bool:
        return self.process.is_alive()

    def kill(self) -> None:
        if self.process.is_alive():
            self.process.kill()
        self.process.join(5)
        self.conn.close()


def _single_threaded() -> bool:
    """Whether this process has one thread, native ones included (a store's engine may start its own)."""
    try:
        return len(os.listdir("/proc/self/task")) == 1
    except OSError:
        return False


_MAIN_LOCK = threading.Lock()


@contextlib.contextmanager
def _main_left_out():
    """Start a process without handing it this program's ``__main__``: multiprocessing's forkserver and spawn
    would import the caller's main module again in the worker (a user's script that is not guarded by
    ``if __name__ == "__main__"`` would run again there, open the store for writing and fail). A worker needs
    nothing from it: it runs lithkg's own tasks."""
    with _MAIN_LOCK:
        saved = sys.modules["__main__"]
        sys.modules["__main__"] = types.ModuleType("__main__")
        try:
            yield
        finally:
            sys.modules["__main__"] = saved


def _mapped_bytes() -> int:
    """The address space this process maps now (0 where the platform does not say)."""
    try:
        with open("/proc/self/status", encoding="ascii") as f:
            return next((int(line.split()[1]) * 1024 for line in f if line.startswith("VmSize:")), 0)
    except OSError:
        return 0


def _context(start: str | None, memory: int = 0):
    """'fork' where this process has no threads yet and is small beside the workers' memory limit (the CLI: a worker
    starts in milliseconds), else 'forkserver' (the server, where forking a process with threads is unsafe, and a
    large process, whose fork would start over the limit), preloaded with what the workers import: the modules of
    the tasks, and the lithkg modules this process has imported."""
    small = not memory or _mapped_bytes() < memory // 2
    method = start or ("fork" if _single_threaded() and small else "forkserver")
    if method not in multiprocessing.get_all_start_methods():
        method = "spawn"
    ctx = multiprocessing.get_context(method)
    if method == "forkserver":
        tasks = ["lithkg.session", "lithkg.read.sparql", "lithkg.read.listings", "lithkg.web.server"]
        loaded = sorted(m for m in list(sys.modules) if m.startswith("lithkg.") and m not in tasks)
        ctx.set_forkserver_preload(tasks + loaded)
    return ctx


def _task_ref(fn: Callable) -> str:
    if not getattr(fn, "__lithkg_task__", False):
        raise TypeError(f"{fn!r} is not marked with @sandbox.task")
    return f"{fn.__module__}:{fn.__name__}"


class Pool:
    """Worker processes that read the store at ``settings.store`` (see the module docstring).

    :param timeout: seconds a task may run (0: no limit)
    :param spare: idle workers kept started, with the store open
    :param max_workers: tasks that may run at once
    :param queue: callers that may wait for a worker when all are busy; one more gets :class:`BusyError` at once
    :param wait: seconds a caller waits for a worker (default: ``timeout``), then :class:`BusyError`
    :param memory: bytes of address space each worker may map (0: no limit)
    :param isolation: ``"auto"`` (isolate where the platform allows, else say why in :attr:`problem`) or
        ``"require"`` (a worker that cannot be isolated is an error)
    """

    def __init__(self, settings, *, timeout: float, spare: int = 2, max_workers: int = 8, queue: int = 0,
                 wait: float | None = None, memory: int = DEFAULT_MEMORY, isolation: str = "auto",
                 start: str | None = None, limit_hint: str = "narrow the query, or raise the time limit"):
        if isolation not in ("auto", "require"):
            raise ValueError("isolation is 'auto' or 'require'")
        self.settings = settings
        self.timeout = timeout
        self.spare = max(0, min(spare, max_workers))
        self.max_workers = max(1, max_workers)
        self.queue = max(0, queue)
        self.limit_hint = limit_hint  # what the time-limit error tells the user to change
        self.wait = timeout if wait is None else wait
        self._waiting = 0
        self.memory = memory
        self.isolation = isolation
        self._ctx = _context(start, memory)
        self._lock = threading.Condition()
        self._idle: list[_Worker] = []
        self._count = 0  # workers started or starting, idle or busy
        self._closed = False
        self.problem: str | None = None  # why workers are not isolated from the network (None: they are)
        self._filler: threading.Thread | None = None
        self._started = False

    # -- the workers
    def _start(self) -> _Worker:
        worker = _Worker(self._ctx, self.settings, self.memory)
        try:
            worker.wait_ready()
        except BaseException:
            with self._lock:
                self._count -= 1
            raise
        self.problem = worker.problem
        if worker.problem and self.isolation == "require":
            worker.kill()
            with self._lock:
                self._count -= 1
            raise QueryError(f"query workers cannot be isolated from the network: {worker.problem}",
                             hint="run where network namespaces are allowed, or allow unisolated workers")
        return worker

    def start(self) -> "Pool":
        """Start the spare workers now (and learn whether they are isolated); returns the pool. Once only."""
        with self._lock:
            if self._started:
                return self
            self._started = True
            self._count += 1
        worker = self._start()
        self._release(worker)
        if self.problem is None:
            self._verify()
        self._fill()
        return self

    def _verify(self) -> None:
        """Check that a worker cannot reach a listener of this process on loopback (the namespace at work)."""
        import socket
        with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as listener:
            listener.bind(("127.0.0.1", 0))
            listener.listen(1)
            if self.call(connect_probe, listener.getsockname()[1], timeout=10) is None:
                self.problem = "a worker connected to a loopback listener despite its network namespace"
                if self.isolation == "require":
                    raise QueryError(f"query workers are not isolated from the network: {self.problem}")

    def _fill(self) -> None:
        """Keep ``spare`` idle workers, started in a background thread."""
        with self._lock:
            if self._closed or (self._filler is not None and self._filler.is_alive()):
                return
            if len(self._idle) >= self.spare or self._count >= self.max_workers:
                return
            self._filler = threading.Thread(target=self._fill_loop, name="lithkg-pool-filler", daemon=True)
            self._filler.start()

    def _fill_loop(self) -> None:
        while True:
            with self._lock:
                if self._closed or len(self._idle) >= self.spare or self._count >= self.max_workers:
                    return
                self._count += 1
            try:
                worker = self._start()
            except LithkgError:
                return
            self._release(worker)

    def _acquire(self) -> _Worker:
        """An idle worker, a new one, or (all busy) the first to come free within ``wait`` seconds, with at most
        ``queue`` callers waiting; else BusyError."""
        deadline = None
        with self._lock:
            while True:
                if self._closed:
                    raise BusyError("the server is shutting down")
                worker = None
                while self._idle:
                    candidate = self._idle.pop()
                    if candidate.alive():
                        worker = candidate
                        break
                    self._count -= 1
                    candidate.kill()
                if worker is not None:
                    break
                if self._count < self.max_workers:
                    self._count += 1
                    break
                if self._waiting >= self.queue:
                    raise BusyError(f"all {self.max_workers} query workers are busy"
                                    + (f" and {self._waiting} requests wait for one" if self._waiting else ""),
                                    hint="try again in a few seconds")
                now = time.monotonic()
                deadline = deadline or now + self.wait
                if now >= deadline:
                    raise BusyError(f"all {self.max_workers} query workers stayed busy for {self.wait:g} s",
                                    hint="try again in a few seconds")
                self._waiting += 1
                try:
                    self._lock.wait(deadline - now)
                finally:
                    self._waiting -= 1
        if worker is None:
            worker = self._start()
        self._fill()
        return worker

    def _release(self, worker: _Worker) -> None:
        """Back to the idle workers (the last used is the next taken); idle workers beyond ``spare`` that have not
        been used for IDLE_LIMIT seconds are stopped, so a burst of requests does not keep its workers for ever."""
        stale = []
        with self._lock:
            self._lock.notify()  # a waiting caller may take this worker, or start one in its place
            now = time.monotonic()
            while len(self._idle) > self.spare and now - self._idle[0].idle_since > IDLE_LIMIT:
                stale.append(self._idle.pop(0))
                self._count -= 1
            if worker.alive() and not self._closed:
                worker.idle_since = now
                self._idle.append(worker)
            else:
                self._count -= 1
                stale.append(worker)
        for w in stale:
            w.kill()

    # -- running tasks
    def call(self, fn: Callable, *args, timeout: float | None = None) -> Any:
        """``fn(session, *args)`` in a worker, within the time limit (``timeout``, else the pool's). Raises
        :class:`BusyError` when every worker is busy, :class:`~lithkg.errors.QueryTimeout` at the time limit (the
        worker is killed and replaced), :class:`WorkerDied` when the worker ends without answering, and whatever
        lithkg error ``fn`` raised."""
        ref = _task_ref(fn)
        worker = self._acquire()
        try:
            return worker.run(ref, args, self.timeout if timeout is None else timeout, self.limit_hint)
        finally:
            self._release(worker)

    @property
    def isolated(self) -> bool:
        return self.problem is None

    def busy(self) -> int:
        """How many tasks are running now."""
        with self._lock:
            return self._count - len(self._idle)

    def close(self) -> None:
        """Stop every worker (idle ones now; busy ones as their task ends)."""
        with self._lock:
            self._closed = True
            idle, self._idle = self._idle, []
            self._count -= len(idle)
        for worker in idle:
            worker.kill()

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        self.close()


def call_once(settings, fn: Callable, *args, timeout: float, memory: int = DEFAULT_MEMORY,
              limit_hint: str = "narrow the query, or raise the time limit") -> Any:
    """``fn(session, *args)`` in one new worker (isolated, killed at ``timeout``), for one command of the CLI."""
    pool = Pool(settings, timeout=timeout, spare=0, max_workers=1, memory=memory, limit_hint=limit_hint)
    try:
        return pool.call(fn, *args)
    finally:
        pool.close()


__all__ = ["Pool", "BusyError", "WorkerDied", "task", "call_once", "isolate_network"]
