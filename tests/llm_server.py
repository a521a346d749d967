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
    {"delay": seconds, "content": {...}}  a normal answer after a while

``structured`` sets which ``response_format`` the server takes, as servers in the wild do:
"strict" (default, as OpenAI: json_schema held to the schema), "400" (json_schema refused with
a 400; json_object with a schema held to it), "llama" (json_schema refused with a 500 naming
the field, as llama-cpp-python's server does; json_object with a schema held to it),
"json_only" (json_schema refused; json_object gives JSON but ignores the schema), "plain"
(both refused). The structured-output probe (a "Say hello." request) is answered to match.
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
        self.in_flight = self.max_in_flight = 0
        self.structured = "strict"
        self.lock = threading.Lock()
        server = self

        class Handler(BaseHTTPRequestHandler):
            def log_message(self, *args):
                pass

            def do_POST(self):
                body = json.loads(self.rfile.read(int(self.headers["Content-Length"])))
                with server.lock:
                    server.requests.append(body)
                    server.in_flight += 1
                    server.max_in_flight = max(server.max_in_flight, server.in_flight)
                try:
                    status, payload, headers = server.respond(body)
                finally:
                    with server.lock:
                        server.in_flight -= 1
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
        user = "\n".join(m["content"] for m in body["messages"] if m["role"] == "user")
        keys = [k for k in self.scenarios if k in user]
        if not keys:
            return {"status": 500, "error": "no recorded answer for this paragraph"}
        key = max(keys, key=len)
        with self.lock:
            n = self.played.get(key, 0)
            self.played[key] = n + 1
        steps = self.scenarios[key]
        return steps[min(n, len(steps) - 1)]

    def refusal(self, body: dict):
        """The error this server gives for the request's response_format, or None."""
        kind = (body.get("response_format") or {}).get("type")
        if kind == "json_schema" and self.structured != "strict":
            if self.structured == "llama":
                return 500, {"error": {"message": "1 validation error: ('body', 'response_format', 'type'): Input "
                                                  "should be 'text' or 'json_object'", "type": "internal_server_error"}}
            return 400, {"error": {"message": "response_format json_schema is not supported by this server",
                                   "type": "invalid_request_error"}}
        if kind == "json_object" and self.structured == "plain":
            return 400, {"error": {"message": "response_format is not supported", "type": "invalid_request_error"}}
        return None

    def respond(self, body: dict):
        refused = self.refusal(body)
        if refused:
            return refused[0], refused[1], {}
        if body["messages"][-1]["content"] == "Say hello.":  # the structured-output probe
            fmt = body.get("response_format") or {}
            held = fmt.get("type") == "json_schema" or (fmt.get("type") == "json_object" and self.structured != "json_only")
            schema = fmt.get("json_schema", {}).get("schema") or fmt.get("schema") or {}
            if held:
                content = json.dumps({k: v["enum"][0] for k, v in schema["properties"].items()})
            elif fmt:
                content = json.dumps({"greeting": "hello"})
            else:
                content = "Hello! How can I help?"
            return 200, self.completion(body, {"role": "assistant", "content": content, "refusal": None}, "stop"), {}
        step = self.step(body)
        if "hang" in step:
            time.sleep(step["hang"])
            return None, None, None
        time.sleep(step.get("delay", 0))
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
        return 200, self.completion(body, message, step.get("finish", "stop")), {}

    @staticmethod
    def completion(body: dict, message: dict, finish: str) -> dict:
        choice = {"index": 0, "message": message, "finish_reason": finish, "logprobs": None}
        usage = {"prompt_tokens": 100, "completion_tokens": 40, "total_tokens": 140}
        return {"id": "chatcmpl-test", "object": "chat.completion", "created": 0, "model": body["model"],
                "choices": [choice], "usage": usage}
