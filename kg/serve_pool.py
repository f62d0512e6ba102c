"""The query workers behind ``kg serve``: processes that each hold the store open read-only.

Why processes: pyoxigraph cannot be interrupted from Python once it evaluates a query, and a
query can exhaust memory or (past what :mod:`kg.querylimits` lets through) crash the engine.
So a query past the time-out is stopped by killing its worker; each worker has an address
space limit (``RLIMIT_AS``) so a runaway query ends its own process, not the machine; and a
worker that dies for any reason is replaced, so the endpoint heals instead of answering 503.
"""
from __future__ import annotations

import multiprocessing
import os
import queue
import signal
import threading
from dataclasses import dataclass
from typing import Optional

from .errors import StoreError

DEFAULT_TIMEOUT = 10.0      # below the seconds a doubling query needs to fill the memory cap
DEFAULT_MEMORY_MB = 1024
DEFAULT_MAX_ROWS = 100_000


@dataclass(frozen=True)
class Answer:
    status: int
    content_type: str
    body: bytes
    truncated: bool = False


def error(status: int, message: str) -> Answer:
    return Answer(status, "text/plain; charset=utf-8", (message + "\n").encode("utf-8"))


# ---------------------------------------------------------------------------- worker side
def evaluate(store, query: str, accept: Optional[str], max_rows: int,
             default_graphs: tuple[str, ...] = (), named_graphs: tuple[str, ...] = ()) -> Answer:
    """Run one query on a pyoxigraph store and serialise the answer for ``accept``."""
    import pyoxigraph as ox
    from . import sparql_results as sr
    from .serialize import PREFIXES     # the prefixes kg query declares: one map for both
    kwargs: dict = {"use_default_graph_as_union": not default_graphs, "prefixes": PREFIXES}
    if default_graphs:
        kwargs["default_graph"] = [ox.NamedNode(g) for g in default_graphs]
    if named_graphs:
        kwargs["named_graphs"] = [ox.NamedNode(g) for g in named_graphs]
    try:
        res = store.query(query, **kwargs)
    except SyntaxError as e:
        return error(400, f"Malformed query: {e}")
    except (OSError, ValueError) as e:
        return error(400, f"Query failed: {e}")
    if isinstance(res, (ox.QuerySolutions, ox.QueryBoolean)):
        media = sr.negotiate(accept, list(sr.SELECT_TYPES))
        if media is None:
            return error(406, "Acceptable result types: " + ", ".join(sr.MEDIA_TYPE.values()))
        fmt = sr.SELECT_TYPES[media]
        ctype = sr.MEDIA_TYPE[fmt] + ("; charset=utf-8" if fmt != "json" else "")
        if isinstance(res, ox.QueryBoolean):
            return Answer(200, ctype, sr.boolean(bool(res), fmt))
        names = [v.value for v in res.variables]
        rows, truncated = [], False
        try:
            for sol in res:
                if len(rows) >= max_rows:
                    truncated = True
                    break
                rows.append([sol[n] for n in names])
        except OSError as e:
            return error(400, f"Query failed: {e}")
        return Answer(200, ctype, sr.solutions(names, rows, fmt), truncated)
    media = sr.negotiate(accept, list(sr.GRAPH_TYPES))
    if media is None:
        return error(406, "Acceptable graph types: " + ", ".join(sr.GRAPH_TYPES))
    triples, truncated = [], False
    for t in res:
        if len(triples) >= max_rows:
            truncated = True
            break
        triples.append(t)
    fmt = sr.GRAPH_TYPES[media]
    kw = {"prefixes": PREFIXES} if fmt in (ox.RdfFormat.TURTLE, ox.RdfFormat.TRIG) else {}
    return Answer(200, media + "; charset=utf-8", ox.serialize(triples, format=fmt, **kw), truncated)


def _cut_network() -> None:
    """Best effort: move this process into a network namespace of its own, with no route
    anywhere, so that no query can reach another server even past the SERVICE check."""
    import ctypes
    try:
        libc = ctypes.CDLL(None, use_errno=True)
        for flags in (0x40000000, 0x40000000 | 0x10000000):   # CLONE_NEWNET, then with CLONE_NEWUSER
            if libc.unshare(flags) == 0:
                return
    except (OSError, AttributeError):
        pass


def _limit_memory(extra: int) -> None:
    """Let this process map ``extra`` bytes more than it holds now (the store open, the stack)."""
    import resource
    try:
        with open("/proc/self/statm") as f:
            now = int(f.read().split()[0]) * resource.getpagesize()
        resource.setrlimit(resource.RLIMIT_AS, (now + extra, now + extra))
    except (OSError, ValueError):
        pass     # not Linux: the time-out is the only bound


def _worker_main(conn, store_path: str, max_rows: int, memory_bytes: int, network: bool) -> None:
    signal.signal(signal.SIGINT, signal.SIG_IGN)   # Ctrl+C is for the server, which stops us
    os.environ["RUST_BACKTRACE"] = "0"              # an allocation failure prints one line, not 50
    if not network:
        _cut_network()
    import pyoxigraph as ox
    from .querylimits import call_with_stack
    try:
        store = ox.Store.read_only(store_path)
    except OSError as e:
        conn.send(f"cannot open: {e}")
        return
    call_with_stack(_serve_jobs, conn, store, max_rows, memory_bytes)


def _serve_jobs(conn, store, max_rows: int, memory_bytes: int) -> None:
    if memory_bytes:
        _limit_memory(memory_bytes)
    conn.send("ready")
    while True:
        try:
            job = conn.recv()
        except (EOFError, OSError):
            return
        try:
            conn.send(evaluate(store, *job[:2], max_rows, *job[2:]))
        except MemoryError:
            conn.send(error(503, f"Query stopped: it needed more than the {memory_bytes >> 20} MB "
                                 "a query worker may use (kg serve --memory)."))
        except Exception as e:  # never let one query take the worker down silently
            conn.send(error(500, f"Internal error: {type(e).__name__}: {e}"))


# ---------------------------------------------------------------------------- server side
class _Worker:
    def __init__(self, ctx, store_path: str, max_rows: int, memory_bytes: int, network: bool, generation: int):
        self.generation = generation
        self.conn, child = ctx.Pipe()
        self.proc = ctx.Process(target=_worker_main, args=(child, store_path, max_rows, memory_bytes, network),
                                daemon=True)
        self.proc.start()
        child.close()
        try:
            hello = self.conn.recv() if self.conn.poll(60) else "no answer in 60 s"
        except (EOFError, OSError):
            hello = "it exited while opening it"
        if hello != "ready":
            self.kill()
            raise StoreError(f"a query worker could not open the store: {hello}", path=store_path)

    def kill(self) -> None:
        self.proc.kill()
        self.proc.join(5)
        self.conn.close()


def _death(exitcode: Optional[int], memory_mb: int) -> Answer:
    if exitcode in (-signal.SIGABRT, -signal.SIGKILL):      # an allocation failed, or the OOM killer
        return error(503, f"Query stopped: it needed more than the {memory_mb} MB a query worker may use "
                          "(kg serve --memory); the worker was replaced.")
    return error(500, f"Query stopped: the query engine crashed on it (exit {exitcode}); "
                      "the worker was replaced.")


class WorkerPool:
    """Query workers; a query past the time-out kills its worker, and any worker that dies is replaced."""

    def __init__(self, store_path: str, size: int, timeout: float, max_rows: int,
                 memory_mb: int = DEFAULT_MEMORY_MB, network: bool = False):
        self.ctx = multiprocessing.get_context("spawn")
        self.store_path, self.size, self.timeout, self.max_rows = store_path, size, timeout, max_rows
        self.memory_mb, self.network = memory_mb, network
        self.generation = 0
        self.lock = threading.Lock()
        self.idle: queue.Queue = queue.Queue()
        self.all: list[_Worker] = []
        for _ in range(size):
            self._add()

    def _add(self) -> _Worker:
        with self.lock:
            path, generation = self.store_path, self.generation
        w = _Worker(self.ctx, path, self.max_rows, self.memory_mb << 20, self.network, generation)
        with self.lock:
            self.all.append(w)
        self.idle.put(w)
        return w

    def _add_later(self) -> None:
        def add():
            try:
                self._add()
            except StoreError:
                pass          # the next request tries again, and says why if it fails
        threading.Thread(target=add, daemon=True).start()

    def _drop(self, w: _Worker) -> None:
        w.kill()
        with self.lock:
            if w in self.all:
                self.all.remove(w)

    def reopen(self, store_path: Optional[str] = None) -> None:
        """Workers started from now on open ``store_path`` (or the same folder) afresh; the
        others finish what they run and are replaced."""
        with self.lock:
            self.generation += 1
            if store_path is not None:
                self.store_path = store_path
        while True:
            try:
                w = self.idle.get_nowait()
            except queue.Empty:
                break
            self._drop(w)
            self._add_later()

    def _take(self) -> _Worker | Answer:
        with self.lock:
            short = len(self.all) == 0
        if short:      # every replacement failed so far: try now, and say why on failure
            try:
                self._add()
            except StoreError as e:
                return error(503, f"No query worker: {e}")
        try:
            w = self.idle.get(timeout=self.timeout)
        except queue.Empty:
            return error(503, "All query workers are busy; try again later.")
        if w.generation == self.generation and w.proc.is_alive():
            return w
        self._drop(w)         # it died while idle, or the store changed on disk
        try:
            self._add()
            return self.idle.get(timeout=self.timeout)
        except StoreError as e:
            return error(503, f"No query worker: {e}")
        except queue.Empty:
            return error(503, "All query workers are busy; try again later.")

    def run(self, query: str, accept: Optional[str], default_graphs=(), named_graphs=()) -> Answer:
        job = (query, accept, tuple(default_graphs), tuple(named_graphs))
        for _ in range(2):
            w = self._take()
            if isinstance(w, Answer):
                return w
            try:
                w.conn.send(job)
                break
            except OSError:       # it died after it was taken: once more, with another
                self._drop(w)
                self._add_later()
        else:
            return error(503, "No query worker could take the query; try again later.")
        try:
            if not w.conn.poll(self.timeout):
                self._drop(w)     # the only way to stop a query pyoxigraph is evaluating
                self._add_later()
                return error(503, f"Query stopped: it ran longer than the {self.timeout:g} s time-out.")
            answer = w.conn.recv()
        except (EOFError, OSError):
            w.proc.join(5)
            code = w.proc.exitcode
            self._drop(w)
            self._add_later()
            return _death(code, self.memory_mb)
        if w.generation != self.generation:
            self._drop(w)
            self._add_later()
        else:
            self.idle.put(w)
        return answer

    def close(self) -> None:
        with self.lock:
            workers, self.all = list(self.all), []
        for w in workers:
            w.kill()
