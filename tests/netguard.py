"""Test helpers that prove nothing goes to the network: a loopback listener that records every connection it
accepts, an rdflib that refuses to load any URL (remote JSON-LD contexts included), and a JSON-LD reader that
refuses documents naming a remote context before rdflib sees them."""
from __future__ import annotations

import contextlib
import json
import socket
import threading
import time


class Listener:
    """A TCP listener on 127.0.0.1 (a free port) that accepts and records every connection in a background thread,
    with the first bytes the client sent (a request line shows what was asked for)."""

    def __init__(self):
        self._sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
        self._sock.bind(("127.0.0.1", 0))
        self._sock.listen(32)
        self._sock.settimeout(0.2)
        self.port = self._sock.getsockname()[1]
        self.connections: list[tuple[tuple, bytes]] = []
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._serve, name=f"listener-{self.port}", daemon=True)
        self._thread.start()

    def _serve(self):
        while not self._stop.is_set():
            try:
                conn, addr = self._sock.accept()
            except (socket.timeout, OSError):
                continue
            data = b""
            try:
                conn.settimeout(0.5)
                data = conn.recv(4096)
            except OSError:
                pass
            finally:
                self.connections.append((addr, data))
                conn.close()

    def url(self, path: str = "/") -> str:
        return f"http://127.0.0.1:{self.port}{path}"

    def assert_untouched(self, settle: float = 0.3) -> None:
        """No connection arrived (after ``settle`` seconds for a late one)."""
        time.sleep(settle)
        asked = [data.split(b"\r\n", 1)[0].decode("latin-1") or "(nothing sent)" for _, data in self.connections]
        assert not self.connections, f"{len(self.connections)} connection(s) reached the listener: {asked}"

    def close(self) -> None:
        self._stop.set()
        self._thread.join(timeout=2)
        self._sock.close()


@contextlib.contextmanager
def rdflib_offline():
    """rdflib with every URL load refused (``rdflib.parser._urlopen`` is what all its URL input goes through:
    remote JSON-LD contexts, ``@import``, parsing a URL)."""
    import rdflib.parser

    def refuse(request):
        raise OSError(f"network access refused in this test: {getattr(request, 'full_url', request)}")

    saved = rdflib.parser._urlopen
    rdflib.parser._urlopen = refuse
    try:
        yield
    finally:
        rdflib.parser._urlopen = saved


def remote_context_refs(node) -> list[str]:
    """Every URL a JSON-LD document would load: string values of ``@context`` (alone or in a list) and
    ``@import``, anywhere in the document."""
    found = []
    if isinstance(node, dict):
        for key, value in node.items():
            if key in ("@context", "@import"):
                for item in value if isinstance(value, list) else [value]:
                    if isinstance(item, str):
                        found.append(item)
            found += remote_context_refs(value)
    elif isinstance(node, list):
        for item in node:
            found += remote_context_refs(item)
    return found


def parse_jsonld_offline(data: bytes | str, graph=None):
    """Parse JSON-LD with rdflib, refusing a document that names a remote context, and with rdflib's URL loading
    refused as well; returns the rdflib Graph."""
    import rdflib

    text = data.decode("utf-8") if isinstance(data, bytes) else data
    refs = remote_context_refs(json.loads(text))
    if refs:
        raise ValueError(f"the JSON-LD names remote contexts: {refs}")
    graph = graph if graph is not None else rdflib.Graph()
    with rdflib_offline():
        graph.parse(data=text, format="json-ld")
    return graph
