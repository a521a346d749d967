"""A local HTTP server that speaks the OpenAI chat-completions protocol on loopback and
plays recorded answers (tests/fixtures/llm/answers.json), chosen by the paragraph the
request carries. Each scenario is a list of steps played in order (the last repeats):

    {"content": {...}}                    a normal answer (JSON content), finish_reason "stop"
    {"raw": "..."}                        content as given (e.g. malformed JSON)
    {"content": {...}, "finish": "length"}  a truncated answer
    {"refusal": "..."}                    a refusal
    {"finish": "content_filter"}          stopped by the content filter
    {"status": 429|500|400, "error": "..."}  an HTTP error
    {"hang": seconds}                     no answer for a while
"""

from __future__ import annotations

import json
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer


class FakeOpenAI:
    def __init__(self):
        self.scenarios: dict[str, list[dict]] = {}
        self.played: dict[str, int] = {}
        self.requests: list[dict] = []
        self.reject_json_schema = False
        self.lock = threading.Lock()
        server = self

        class Handler(BaseHTTPRequestHandler):
            def log_message(self, *args):
                pass

            def do_POST(self):
                body = json.loads(self.rfile.read(int(self.headers["Content-Length"])))
                with server.lock:
                    server.requests.append(body)
                status, payload, headers = server.respond(body)
                if status is None:
                    return
                data = json.dumps(payload).encode()
                try:
                    self.send_response(status)
                    for k, v in {"Content-Type": "application/json", **headers}.items():
                        self.send_header(k, v)
                    self.send_header("Content-Length", str(len(data)))
                    self.end_headers()
                    self.wfile.write(data)
                except (BrokenPipeError, ConnectionResetError):
                    pass

        self.httpd = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.httpd.daemon_threads = True
        self.url = f"http://127.0.0.1:{self.httpd.server_address[1]}/v1"
        threading.Thread(target=self.httpd.serve_forever, daemon=True).start()

    def close(self):
        self.httpd.shutdown()
        self.httpd.server_close()

    def step(self, body: dict) -> dict:
        user = body["messages"][1]["content"]
        keys = [k for k in self.scenarios if k in user]
        if not keys:
            return {"status": 500, "error": "no recorded answer for this paragraph"}
        key = max(keys, key=len)
        with self.lock:
            n = self.played.get(key, 0)
            self.played[key] = n + 1
        steps = self.scenarios[key]
        return steps[min(n, len(steps) - 1)]

    def respond(self, body: dict):
        if self.reject_json_schema and body.get("response_format", {}).get("type") == "json_schema":
            return 400, {"error": {"message": "response_format json_schema is not supported by this server",
                                   "type": "invalid_request_error"}}, {}
        step = self.step(body)
        if "hang" in step:
            time.sleep(step["hang"])
            return None, None, None
        if "status" in step:
            headers = {"retry-after-ms": "10"} if step["status"] == 429 else {}
            return step["status"], {"error": {"message": step.get("error", "error"), "type": "server_error"}}, headers
        message = {"role": "assistant", "content": None, "refusal": None}
        if "refusal" in step:
            message["refusal"] = step["refusal"]
        elif "raw" in step:
            message["content"] = step["raw"]
        elif "content" in step:
            message["content"] = json.dumps(step["content"], ensure_ascii=False)
        choice = {"index": 0, "message": message, "finish_reason": step.get("finish", "stop"), "logprobs": None}
        usage = {"prompt_tokens": 100, "completion_tokens": 40, "total_tokens": 140}
        return 200, {"id": "chatcmpl-test", "object": "chat.completion", "created": 0, "model": body["model"],
                     "choices": [choice], "usage": usage}, {}
