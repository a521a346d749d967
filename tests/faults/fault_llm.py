"""A chat-completions server on loopback that fails every request in one way (``mode``):

    "500"        an HTTP 500 with a JSON error
    "not_json"   an HTTP 200 whose body is not JSON (an HTML error page from a proxy)
    "truncated"  an HTTP 200 that promises a body and closes the connection half-way
    "slow"       no answer for ``delay`` seconds
    "malformed"  a well-formed completion whose content is not JSON
    "ok"         a correct (empty) answer

A "closed" server is a port where nothing listens (``closed_url``)."""

from __future__ import annotations

import json
import socket
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer


def completion(content: str, model: str = "test-model") -> dict:
    return {"id": "chatcmpl-fault", "object": "chat.completion", "created": 0, "model": model,
            "choices": [{"index": 0, "finish_reason": "stop", "logprobs": None,
                         "message": {"role": "assistant", "content": content, "refusal": None}}],
            "usage": {"prompt_tokens": 10, "completion_tokens": 5, "total_tokens": 15}}


class FaultServer:
    def __init__(self, mode: str = "500", delay: float = 5.0):
        self.mode, self.delay, self.requests = mode, delay, 0
        server = self

        class Handler(BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1"

            def log_message(self, *args):
                pass

            def do_POST(self):
                self.rfile.read(int(self.headers.get("Content-Length") or 0))
                server.requests += 1
                try:
                    server.answer(self)
                except (BrokenPipeError, ConnectionResetError):
                    pass

        self.httpd = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.httpd.daemon_threads = True
        self.url = f"http://127.0.0.1:{self.httpd.server_address[1]}/v1"
        threading.Thread(target=self.httpd.serve_forever, daemon=True).start()

    def answer(self, h: BaseHTTPRequestHandler) -> None:
        mode = self.mode

        def send(status: int, body: bytes, ctype: str = "application/json", length: int | None = None) -> None:
            h.send_response(status)
            h.send_header("Content-Type", ctype)
            h.send_header("Content-Length", str(len(body) if length is None else length))
            h.end_headers()
            h.wfile.write(body)
            h.wfile.flush()

        if mode == "500":
            send(500, json.dumps({"error": {"message": "internal error", "type": "server_error"}}).encode())
        elif mode == "not_json":
            send(200, b"<html><body>502 Bad Gateway</body></html>")
        elif mode == "truncated":
            body = json.dumps(completion('{"units": [], "relations": []}')).encode()
            send(200, body[: len(body) // 3], length=len(body))
            h.close_connection = True
            h.connection.shutdown(socket.SHUT_RDWR)
        elif mode == "slow":
            time.sleep(self.delay)
            send(200, json.dumps(completion('{"units": [], "relations": []}')).encode())
        elif mode == "malformed":
            send(200, json.dumps(completion('{"units": [{"id": "u1", "type"')).encode())
        else:
            send(200, json.dumps(completion('{"units": [], "relations": []}')).encode())

    def close(self) -> None:
        self.httpd.shutdown()
        self.httpd.server_close()


def closed_url() -> str:
    """A loopback URL where nothing listens."""
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    return f"http://127.0.0.1:{port}/v1"
