"""Which structured-output request a chat-completions server honours, and remembering it.

The forms, best first:

- ``json_schema``: ``response_format = {"type": "json_schema", "json_schema": {..., "strict": true}}``
  (OpenAI, vLLM, LM Studio, Ollama, llama.cpp's own ``llama-server``);
- ``json_object``: ``response_format = {"type": "json_object", "schema": {...}}``. llama-cpp-python's
  server (and llama.cpp's ``llama-server``) turn the ``schema`` into a grammar and hold the answer
  to it; servers that ignore the ``schema`` key still return JSON;
- ``none``: no ``response_format``; the prompt asks for JSON in the text, and the answer is cut
  out of the text, validated and repaired once.

``auto`` probes a server once with a tiny request per form (best first, a few tokens each) and
remembers the first form it honours in ``structured-output.json`` in the cache folder, per base
URL.
"""

from __future__ import annotations

import json
import os
import re
import threading
import time
from pathlib import Path

FORMS = ("json_schema", "json_object", "none")
CHOICES = ("auto",) + FORMS
MEMORY_FILE = "structured-output.json"

# A probe the model cannot pass by chance: the only valid answer holds a word no prompt mentions.
PROBE_SCHEMA = {"type": "object", "additionalProperties": False, "required": ["probe"],
                "properties": {"probe": {"type": "string", "enum": ["graphmind-structured-ok"]}}}
PROBE_MESSAGES = [{"role": "system", "content": "Answer with a JSON object."},
                  {"role": "user", "content": "Say hello."}]

# words in a server's error that show it refused the form of the request, not the request itself
_FORM_WORDS = re.compile(r"response_format|json_schema|json_object|schema|grammar", re.I)


def response_format(form: str, strict_schema: dict, local_schema: dict) -> dict | None:
    """The ``response_format`` request field for ``form`` (None: leave it out)."""
    if form == "json_schema":
        return {"type": "json_schema", "json_schema": {"name": "meaning_graph", "strict": True, "schema": strict_schema}}
    if form == "json_object":
        return {"type": "json_object", "schema": local_schema}
    return None


def refuses_form(status: int | None, message: str) -> bool:
    """True when an error answer says the server does not take this ``response_format``.
    llama-cpp-python's server answers an unknown ``response_format`` type with a 500 that
    names the field; others answer 400 or 422."""
    return status in (400, 422, 500) and bool(_FORM_WORDS.search(message or ""))


def json_from_text(content: str):
    """The JSON object in a model's answer: the text itself, else the text inside a code
    fence, else the span from the first ``{`` to the last ``}``. Raises ValueError."""
    text = (content or "").strip()
    try:
        return json.loads(text)
    except ValueError:
        pass
    fence = re.search(r"```(?:json)?\s*(.*?)```", text, re.S)
    if fence:
        try:
            return json.loads(fence.group(1))
        except ValueError:
            pass
    start, end = text.find("{"), text.rfind("}")
    if 0 <= start < end:
        return json.loads(text[start:end + 1])
    raise ValueError("no JSON object in the answer")


class Memory:
    """The probed form per base URL, kept as JSON in the cache folder (written whole, by rename)."""

    def __init__(self, directory: str | os.PathLike):
        self.path = Path(directory) / MEMORY_FILE
        self.lock = threading.Lock()

    def _read(self) -> dict:
        try:
            data = json.loads(self.path.read_text(encoding="utf-8"))
            return data if isinstance(data, dict) else {}
        except (OSError, ValueError):
            return {}

    def get(self, base_url: str) -> str | None:
        entry = self._read().get(base_url)
        form = entry.get("form") if isinstance(entry, dict) else None
        return form if form in FORMS else None

    def put(self, base_url: str, form: str, detail: str) -> None:
        with self.lock:
            data = self._read()
            data[base_url] = {"form": form, "detail": detail, "probed": time.strftime("%Y-%m-%dT%H:%M:%S%z")}
            self.path.parent.mkdir(parents=True, exist_ok=True)
            tmp = self.path.with_suffix(f".{os.getpid()}.{threading.get_ident()}.tmp")
            tmp.write_text(json.dumps(data, indent=2, sort_keys=True) + "\n", encoding="utf-8")
            os.replace(tmp, self.path)

    def forget(self, base_url: str) -> None:
        with self.lock:
            data = self._read()
            if data.pop(base_url, None) is not None:
                tmp = self.path.with_suffix(f".{os.getpid()}.{threading.get_ident()}.tmp")
                tmp.write_text(json.dumps(data, indent=2, sort_keys=True) + "\n", encoding="utf-8")
                os.replace(tmp, self.path)


def probe(send) -> tuple[str, str]:
    """(form, detail) for a server. ``send(response_format_or_None)`` makes one small request
    and returns the answer's text, or raises ``FormRefused`` when the server refuses the
    form; any other error propagates (the probe is then not remembered)."""
    import jsonschema

    notes = []
    json_only = None  # a form that gave JSON without holding it to the schema
    for form in ("json_schema", "json_object"):
        try:
            content = send(response_format(form, PROBE_SCHEMA, PROBE_SCHEMA))
        except FormRefused as exc:
            notes.append(f"{form} refused ({exc})")
            continue
        try:
            answer = json_from_text(content)
        except ValueError:
            notes.append(f"{form} accepted but the answer was not JSON")
            continue
        if jsonschema.Draft202012Validator(PROBE_SCHEMA).is_valid(answer):
            return form, "; ".join(notes + [f"{form} held the answer to the schema"])
        notes.append(f"{form} gave JSON but did not hold it to the schema")
        json_only = json_only or form
    if json_only:
        return json_only, "; ".join(notes)
    return "none", "; ".join(notes + ["JSON in the text"])


class FormRefused(Exception):
    """The server refused the request's ``response_format``."""
