"""The LLM extractor: any OpenAI-compatible chat-completions server (OpenAI, vLLM, Ollama,
llama.cpp) through the ``openai`` client, with the same output contract as the rules.

- Structured output: the answer's schema (``schemas/llm_output.schema.json``, generated
  from the graph schema) goes in the request in the form the server honours (see
  ``structured.py``: ``json_schema``, ``json_object`` with a schema, or JSON in the text;
  ``auto`` probes each server once and remembers); every answer is validated here too.
- Prompts: a system prompt per language (``prompts/v2.en.txt``, ``v2.ru.txt``) and a few
  short examples from the project's annotated corpus as earlier chat turns (``examples.py``).
- Grounding: the model quotes unit texts (it is never asked for offsets); each quote is
  looked up in the paragraph to set the offsets: exactly, up to white space, or up to one
  word in ten in a quote of five words or more (the paragraph's own words are kept). A quote that is
  not there is dropped and counted. Relations must join returned units with schema types.
- Failures, per paragraph: a truncated answer is retried on the paragraph's two halves;
  a refusal or content filter is reported, not retried; malformed or schema-violating JSON
  gets one repair request; 429, 5xx and timeouts are retried by the client with backoff;
  a 400 is not retried. Nothing from a failed paragraph is stored; ``fallback="rules"``
  extracts such paragraphs with the rules instead.
- Cost: answers are cached on disk by (base URL, model, prompt and examples, paragraph);
  requests run with bounded concurrency; usage and (with prices) cost are totalled.
"""

from __future__ import annotations

import hashlib
import json
import os
import re
import sqlite3
import threading
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field, replace
from difflib import SequenceMatcher
from functools import lru_cache
from pathlib import Path

import jsonschema

from .. import ids
from ..exceptions import GraphMindError
from ..model import Paragraph, Relation, Unit
from ..schema import load_schema, resource_dir
from . import structured
from .examples import examples
from .rules import RuleExtractor

PROMPT_VERSION = "v2"
PROMPTS = Path(__file__).resolve().parent / "prompts"
_SENTENCE_END = re.compile(r"(?<=[.!?…])\s+")
_WORD = re.compile(r"\w+")
LLM_CONFIDENCE = 0.8
MAX_UNITS, MAX_RELATIONS = 24, 32  # bounds of the grammar-held (json_object) answer


def llm_output_schema() -> dict:
    """JSON Schema of the model's answer, generated from the graph schema (strict-mode
    compatible: every property required, no additional properties). A unit's ``text``
    comes before its ``type``: the model quotes first, then classifies."""
    schema = load_schema()
    unit = {"type": "object", "additionalProperties": False, "required": ["id", "text", "type", "central"],
            "properties": {"id": {"type": "string"}, "text": {"type": "string"},
                           "type": {"type": "string", "enum": list(schema.unit_types)},
                           "central": {"type": "boolean"}}}
    relation = {"type": "object", "additionalProperties": False, "required": ["source", "target", "type"],
                "properties": {"source": {"type": "string"}, "target": {"type": "string"},
                               "type": {"type": "string", "enum": list(schema.argument_relations)}}}
    return {"type": "object", "additionalProperties": False, "required": ["units", "relations"],
            "properties": {"units": {"type": "array", "items": unit},
                           "relations": {"type": "array", "items": relation}}}


def local_output_schema() -> dict:
    """The same answer, bounded for servers that hold the answer to it by grammar
    (``json_object`` with a schema): ids ``u1``, ``u2``, ...; at most MAX_UNITS units and
    MAX_RELATIONS relations, so a small model that repeats itself stops early."""
    schema = llm_output_schema()
    ident = {"type": "string", "pattern": "^u[1-9][0-9]?$"}
    units, relations = schema["properties"]["units"], schema["properties"]["relations"]
    units["maxItems"], relations["maxItems"] = MAX_UNITS, MAX_RELATIONS
    units["items"]["properties"]["id"] = ident
    units["items"]["properties"]["text"] = {"type": "string", "minLength": 1}
    relations["items"]["properties"]["source"] = relations["items"]["properties"]["target"] = ident
    return schema


def llm_schema_text() -> str:
    return json.dumps(llm_output_schema(), indent=2) + "\n"


@lru_cache(maxsize=None)
def prompt(lang: str) -> tuple[str, str]:
    """(system prompt, user template) of the current version for ``lang``."""
    path = PROMPTS / f"{PROMPT_VERSION}.{lang if lang in ('en', 'ru') else 'en'}.txt"
    system, _, user = path.read_text(encoding="utf-8").partition("--- user ---\n")
    return system.strip(), user


def messages(lang: str, text: str, corpus: Path | None = None) -> list[dict]:
    """The chat for one paragraph: the system prompt, the few-shot examples as earlier
    turns (each answer in the exact form asked for), then the paragraph."""
    system, user = prompt(lang)
    out = [{"role": "system", "content": system}]
    for ex in examples(lang, corpus):
        out.append({"role": "user", "content": user.format(paragraph=ex.text)})
        out.append({"role": "assistant", "content": json.dumps(ex.answer, ensure_ascii=False)})
    out.append({"role": "user", "content": user.format(paragraph=text)})
    return out


def answer_budget(text: str) -> int:
    """Default ``max_tokens`` for a paragraph's answer: room to quote the paragraph once in a
    model's own tokens (up to four per approximate token: SmolLM2 spends 2.55 on Russian)
    plus the JSON around its units and relations. A model that repeats itself stops there,
    and the paragraph is tried again in halves."""
    from ..export.tokens import ApproxTokenizer

    return 4 * ApproxTokenizer().count(text) + 200


@dataclass
class LLMConfig:
    base_url: str | None = None
    model: str | None = None
    api_key: str | None = field(default=None, repr=False)
    timeout: float = 60.0
    max_retries: int = 3
    concurrency: int = 4
    prices: tuple[float, float] | None = None  # per million input and output tokens
    cache_dir: str | None = None
    structured: str = "auto"  # auto | json_schema | json_object | none
    max_tokens: int | None = None  # per answer; None: answer_budget(paragraph)
    tokenizer: str | None = None  # for --estimate: approx, tokenizer.json, tiktoken:NAME or a .gguf file
    corpus: str | None = None  # few-shot examples from here instead of the project's corpus/

    @classmethod
    def from_env(cls, **overrides) -> "LLMConfig":
        env = os.environ
        prices = None
        if env.get("GRAPHMIND_LLM_PRICES"):
            try:
                a, b = (float(x) for x in env["GRAPHMIND_LLM_PRICES"].split(","))
                prices = (a, b)
            except ValueError:
                raise GraphMindError("GRAPHMIND_LLM_PRICES is 'INPUT,OUTPUT' in currency per million tokens") from None

        def number(name, kind, default):
            try:
                return kind(env[name]) if env.get(name) else default
            except ValueError:
                raise GraphMindError(f"{name} must be a number, not {env[name]!r}") from None

        cfg = cls(
            base_url=env.get("GRAPHMIND_LLM_BASE_URL") or None,
            model=env.get("GRAPHMIND_LLM_MODEL") or None,
            api_key=env.get("GRAPHMIND_LLM_API_KEY") or env.get("OPENAI_API_KEY") or None,
            timeout=number("GRAPHMIND_LLM_TIMEOUT", float, 60.0),
            max_retries=number("GRAPHMIND_LLM_MAX_RETRIES", int, 3),
            concurrency=number("GRAPHMIND_LLM_CONCURRENCY", int, 4),
            prices=prices,
            structured=env.get("GRAPHMIND_LLM_STRUCTURED") or "auto",
            max_tokens=number("GRAPHMIND_LLM_MAX_TOKENS", int, None),
            tokenizer=env.get("GRAPHMIND_LLM_TOKENIZER") or None,
        )
        for key, value in overrides.items():
            if value is not None:
                setattr(cfg, key, value)
        if cfg.structured not in structured.CHOICES:
            raise GraphMindError(f"structured output {cfg.structured!r} is unknown; use one of "
                                 f"{', '.join(structured.CHOICES)} (--llm-structured or GRAPHMIND_LLM_STRUCTURED)")
        return cfg


@dataclass
class LLMReport:
    requests: int = 0
    cache_hits: int = 0
    prompt_tokens: int = 0
    completion_tokens: int = 0
    failures: list[tuple[str, int, str]] = field(default_factory=list)  # (source, paragraph index, reason)
    fallbacks: int = 0
    ungrounded_units: int = 0
    repeated_units: int = 0
    approximate_units: int = 0
    invalid_relations: int = 0
    structured: str | None = None  # "json_object (probed: ...)"
    lock: threading.Lock = field(default_factory=threading.Lock, repr=False)

    def cost(self, prices: tuple[float, float] | None) -> float | None:
        if not prices:
            return None
        return (self.prompt_tokens * prices[0] + self.completion_tokens * prices[1]) / 1_000_000

    def lines(self, prices=None) -> list[str]:
        out = [f"model requests: {self.requests} (cached answers used: {self.cache_hits}); tokens: "
               f"{self.prompt_tokens} in, {self.completion_tokens} out"
               + (f"; cost: {self.cost(prices):.4f}" if prices else "")]
        if self.structured:
            out.append(f"structured output: {self.structured}")
        if self.ungrounded_units or self.repeated_units or self.invalid_relations:
            out.append(f"dropped {self.ungrounded_units} unit(s) whose text is not in the paragraph, "
                       f"{self.repeated_units} repeating a unit already placed and "
                       f"{self.invalid_relations} relation(s) with unknown endpoints or types")
        if self.approximate_units:
            out.append(f"{self.approximate_units} unit(s) quoted with small differences were matched to the "
                       "paragraph's own words")
        for source, index, reason in self.failures:
            out.append(f"failed: {source} paragraph {index}: {reason}")
        if self.fallbacks:
            out.append(f"{self.fallbacks} failed paragraph(s) extracted with the rules instead")
        return out


class ParagraphFailure(Exception):
    """The model could not give a usable answer for a paragraph."""


class Cache:
    """Answers on disk, keyed by (base URL, model, prompt and examples, paragraph)."""

    def __init__(self, directory: str | os.PathLike):
        Path(directory).mkdir(parents=True, exist_ok=True)
        self.db = sqlite3.connect(str(Path(directory) / "llm-cache.sqlite"), check_same_thread=False)
        self.db.execute("CREATE TABLE IF NOT EXISTS answers (key TEXT PRIMARY KEY, answer TEXT NOT NULL)")
        self.lock = threading.Lock()

    @staticmethod
    def key(base_url: str, model: str, lang: str, text: str, corpus: Path | None = None) -> str:
        digest = hashlib.sha256(text.encode("utf-8")).hexdigest()
        shots = _prompt_fingerprint(lang, corpus)
        return hashlib.sha256(json.dumps([base_url, model, PROMPT_VERSION, lang, shots, digest]).encode()).hexdigest()

    def get(self, key: str) -> dict | None:
        with self.lock:
            row = self.db.execute("SELECT answer FROM answers WHERE key = ?", (key,)).fetchone()
        return json.loads(row[0]) if row else None

    def put(self, key: str, answer: dict) -> None:
        with self.lock, self.db:
            self.db.execute("INSERT OR REPLACE INTO answers VALUES (?, ?)", (key, json.dumps(answer)))


@lru_cache(maxsize=None)
def _prompt_fingerprint(lang: str, corpus: Path | None) -> str:
    """A hash of the system prompt and the examples: a new prompt or new examples miss the cache."""
    return hashlib.sha256(json.dumps(messages(lang, "", corpus)[:-1], ensure_ascii=False).encode()).hexdigest()


def ground(text: str, paragraph: str, used: set[tuple[int, int]]) -> tuple[int, int, bool] | None:
    """(start, end, exact) of ``text`` in ``paragraph``, preferring an occurrence not used
    yet: exactly, else up to white space, else (``exact`` False) a stretch of the paragraph
    whose words differ little from a quote of five words or more (see ``_near``)."""
    candidates = []
    start = paragraph.find(text)
    while start >= 0 and text:
        candidates.append((start, start + len(text)))
        start = paragraph.find(text, start + 1)
    if not candidates and text.strip():
        pattern = r"\s+".join(re.escape(w) for w in text.split())
        candidates = [(m.start(), m.end()) for m in re.finditer(pattern, paragraph)]
    for span in candidates:
        if span not in used:
            return span[0], span[1], True
    if candidates:
        return None
    span = _near(text, paragraph, used)
    return (span[0], span[1], False) if span else None


def _near(text: str, paragraph: str, used: set[tuple[int, int]]) -> tuple[int, int] | None:
    """The stretch of whole words of ``paragraph`` that best matches the quote ``text`` word
    by word (case aside), when the quote has at least five words, nine in ten of them are in
    the stretch in order, and nine in ten of the stretch's words are in the quote: a word
    dropped, added or changed in ten. Invented sentences are far from that."""
    quote = [w.lower() for w in _WORD.findall(text)]
    if len(quote) < 5:
        return None
    words = list(_WORD.finditer(paragraph))
    lower = [w.group().lower() for w in words]
    anchor = SequenceMatcher(None, lower, quote, autojunk=False).find_longest_match(0, len(lower), 0, len(quote))
    if anchor.size < 2:
        return None
    origin = anchor.a - anchor.b  # where the quote would start in the paragraph
    best = None
    for first in range(max(0, origin - 3), min(len(lower), origin + 4)):
        for last in range(first + max(1, int(0.9 * len(quote))) - 1, min(len(lower), first + int(len(quote) / 0.9) + 1)):
            window = lower[first:last + 1]
            same = sum(b.size for b in SequenceMatcher(None, window, quote, autojunk=False).get_matching_blocks())
            # nine in ten of the quote's words are there, and nine in ten of the stretch's words are quoted
            if same >= 0.9 * len(quote) and same >= 0.9 * len(window):
                score = same / len(quote) + same / len(window)
                if best is None or score > best[0]:
                    best = (score, first, last)
    if best is None:
        return None
    start, end = words[best[1]].start(), words[best[2]].end()
    # keep the closing punctuation (and an opening quote mark) the quote has too
    if text.rstrip()[-1:] and not text.rstrip()[-1].isalnum():
        while end < len(paragraph) and not paragraph[end].isspace() and not paragraph[end].isalnum() and end - words[best[2]].end() < 3:
            end += 1
    if text.lstrip()[:1] and not text.lstrip()[0].isalnum() and start > 0 and not paragraph[start - 1].isspace():
        start -= 1
    return None if (start, end) in used else (start, end)


class LLMExtractor(RuleExtractor):
    """``mode``: ``llm`` (the model alone) or ``hybrid`` (rules first; the model confirms,
    retypes and adds). ``fallback``: ``rules`` to extract failed paragraphs with the rules."""

    def __init__(self, config: LLMConfig, mode: str = "llm", fallback: str | None = None, lang: str = "auto",
                 trained: bool = True, report: LLMReport | None = None, progress=None):
        super().__init__(lang=lang, trained=trained)
        if not config.model:
            raise GraphMindError("no model named: set GRAPHMIND_LLM_MODEL (and GRAPHMIND_LLM_BASE_URL for a "
                                 "server other than OpenAI)")
        if mode not in ("llm", "hybrid"):
            raise GraphMindError(f"unknown extractor mode {mode!r}")
        if config.structured not in structured.CHOICES:
            raise GraphMindError(f"structured output {config.structured!r} is unknown; use one of "
                                 f"{', '.join(structured.CHOICES)}")
        self.name = mode
        self.config = config
        self.mode = mode
        self.fallback = fallback
        self.report = report or LLMReport()
        self.progress = progress
        self._client = None
        cache_dir = config.cache_dir or os.path.join(os.environ.get("GRAPHMIND_DATA_DIR") or ".graphmind", "llm-cache")
        self.cache = Cache(cache_dir)
        self.memory = structured.Memory(cache_dir)
        self.corpus = Path(config.corpus) if config.corpus else None
        self._validator = jsonschema.Draft202012Validator(llm_output_schema())
        self._form: str | None = None if config.structured == "auto" else config.structured
        self._form_lock = threading.Lock()
        self._reprobed = False

    @property
    def base_url(self) -> str:
        return self.config.base_url or "openai"

    @property
    def client(self):
        if self._client is None:
            from openai import OpenAI

            self._client = OpenAI(base_url=self.config.base_url, api_key=self.config.api_key or "not-needed",
                                  timeout=self.config.timeout, max_retries=self.config.max_retries)
        return self._client

    # -- which structured output the server takes --------------------------------------
    def form(self) -> str:
        """The structured-output form for this server: the configured one, else the one
        remembered for the base URL, else probed now (once) and remembered."""
        if self._form is not None:
            if self.report.structured is None:
                self.report.structured = f"{self._form} (as set)"
            return self._form
        with self._form_lock:
            if self._form is None:
                remembered = self.memory.get(self.base_url)
                if remembered:
                    self._form = remembered
                    self.report.structured = f"{remembered} (remembered for this server)"
                else:
                    form, detail = structured.probe(self._probe_send)
                    self.memory.put(self.base_url, form, detail)
                    self._form = form
                    self.report.structured = f"{form} (probed: {detail})"
        return self._form

    def _probe_send(self, response_format: dict | None) -> str:
        import openai

        extra = {"response_format": response_format} if response_format else {}
        with self.report.lock:
            self.report.requests += 1
        try:
            response = self.client.with_options(max_retries=0).chat.completions.create(
                model=self.config.model, messages=structured.PROBE_MESSAGES, temperature=0, max_tokens=24, **extra)
        except ValueError:  # an HTTP 200 whose body is not JSON
            raise ParagraphFailure("the model server answered with something that is not JSON; check that "
                                   "GRAPHMIND_LLM_BASE_URL is a chat-completions API") from None
        except openai.APIStatusError as exc:
            if structured.refuses_form(exc.status_code, str(exc)):
                raise structured.FormRefused(f"{exc.status_code}") from None
            self._raise_for(exc, retries=0)
        except openai.APIError as exc:
            self._raise_for(exc, retries=0)
        self._count_usage(response)
        return response.choices[0].message.content or ""

    def _refused(self, exc, form_used: str) -> None:
        """The server refused the form we used. Forced form: a clear error. Auto: forget the
        remembered form and let the caller retry, which probes again (once a run)."""
        with self._form_lock:
            if self.config.structured == "auto" and self._form != form_used:
                return  # another request saw the refusal first; the form is being chosen again
            if self.config.structured != "auto" or self._reprobed:
                raise GraphMindError(
                    f"the model server refused structured output {form_used!r} ({exc.status_code}: {_short(exc)}); "
                    "use --llm-structured auto or another form")
            self._reprobed = True
            self.memory.forget(self.base_url)
            self._form = None

    # -- one request --------------------------------------------------------------
    def _messages(self, lang: str, text: str) -> list[dict]:
        return messages(lang, text, self.corpus)

    def _request_fields(self, text: str) -> dict:
        fields = {"max_tokens": self.config.max_tokens or answer_budget(text)}
        fmt = structured.response_format(self.form(), llm_output_schema(), local_output_schema())
        if fmt is not None:
            fields["response_format"] = fmt
        return fields

    def _count_usage(self, response) -> None:
        usage = getattr(response, "usage", None)
        if usage is not None:
            with self.report.lock:
                self.report.prompt_tokens += usage.prompt_tokens or 0
                self.report.completion_tokens += usage.completion_tokens or 0

    def _raise_for(self, exc, retries: int | None = None):
        import openai

        retries = self.config.max_retries if retries is None else retries

        if isinstance(exc, openai.AuthenticationError):
            raise GraphMindError("the model server refused the API key (401); check OPENAI_API_KEY or "
                                 "GRAPHMIND_LLM_API_KEY") from None
        if isinstance(exc, openai.NotFoundError):
            raise GraphMindError(f"the model server does not know model {self.config.model!r} or the URL "
                                 f"(404): {_short(exc)}") from None
        if isinstance(exc, openai.BadRequestError):
            raise ParagraphFailure(f"the server rejected the request (400): {_short(exc)}") from None
        if isinstance(exc, openai.APITimeoutError):
            raise ParagraphFailure(f"timed out after {retries + 1} attempt(s) of "
                                   f"{self.config.timeout:g} s") from None
        if isinstance(exc, openai.RateLimitError):
            raise ParagraphFailure(f"rate limited (429) after {retries} retries") from None
        if isinstance(exc, openai.APIStatusError):
            raise ParagraphFailure(f"server error ({exc.status_code}) after {retries} "
                                   "retries") from None
        if isinstance(exc, openai.APIConnectionError):
            if type(exc.__cause__).__name__ in ("RemoteProtocolError", "ReadError"):
                raise ParagraphFailure("the model server's answer broke off (the connection closed mid-answer) "
                                       f"after {retries} retries") from None
            raise ParagraphFailure("cannot connect to the model server; check GRAPHMIND_LLM_BASE_URL") from None
        raise ParagraphFailure(f"the model server failed: {_short(exc)}") from None

    def _call(self, messages: list[dict], text: str):
        import openai

        while True:
            fields = self._request_fields(text)
            form_used = self._form
            try:
                with self.report.lock:
                    self.report.requests += 1
                return self.client.chat.completions.create(
                    model=self.config.model, messages=messages, temperature=0, **fields)
            except ValueError:  # an HTTP 200 whose body is not JSON (a proxy's error page)
                raise ParagraphFailure("the model server answered with something that is not JSON; check that "
                                       "GRAPHMIND_LLM_BASE_URL is a chat-completions API") from None
            except openai.APIStatusError as exc:
                if "response_format" in fields and structured.refuses_form(exc.status_code, str(exc)):
                    self._refused(exc, form_used)
                    continue
                self._raise_for(exc)
            except openai.APIError as exc:
                self._raise_for(exc)

    def _answer(self, lang: str, text: str) -> dict:
        """A schema-valid answer for ``text`` (cached), or ParagraphFailure."""
        key = Cache.key(self.base_url, self.config.model, lang, text, self.corpus)
        cached = self.cache.get(key)
        if cached is not None:
            with self.report.lock:
                self.report.cache_hits += 1
            return cached
        messages = self._messages(lang, text)
        for attempt in (1, 2):
            response = self._call(messages, text)
            self._count_usage(response)
            choice = response.choices[0]
            message = choice.message
            if getattr(message, "refusal", None):
                raise ParagraphFailure(f"the model refused: {message.refusal[:120]}")
            if choice.finish_reason == "content_filter":
                raise ParagraphFailure("the server's content filter stopped the answer")
            if choice.finish_reason == "length":
                raise _Truncated()
            content = message.content or ""
            try:
                answer = structured.json_from_text(content)
                self._validator.validate(answer)
            except (ValueError, jsonschema.ValidationError) as exc:
                problem = exc.message if isinstance(exc, jsonschema.ValidationError) else f"not JSON ({exc})"
                if attempt == 2:
                    raise ParagraphFailure(f"malformed answer after one repair request: {problem[:160]}") from None
                messages = messages + [
                    {"role": "assistant", "content": content},
                    {"role": "user", "content": f"That answer is not valid: {problem[:300]}. Answer again with "
                                                "JSON only, matching the schema exactly."}]
                continue
            self.cache.put(key, answer)
            return answer
        raise AssertionError("unreachable")

    # -- one paragraph --------------------------------------------------------------
    def _paragraph_answer(self, p: Paragraph, text: str, offset: int = 0, depth: int = 0) -> list[tuple]:
        """[(unit dict, absolute start, absolute end)] and relations, split in halves when
        the answer is cut off by the length limit."""
        try:
            answer = self._answer(p.lang, text)
        except _Truncated:
            cut = _halfway(text)
            if depth >= 2 or cut is None:
                raise ParagraphFailure("the answer was cut off by the length limit even for a short piece") from None
            left = self._paragraph_answer(p, text[:cut], offset, depth + 1)
            right = self._paragraph_answer(p, text[cut:], offset + cut, depth + 1)
            return left + right
        return [(answer, offset, text)]

    def _llm_paragraph(self, p: Paragraph) -> tuple[list[Unit], list[Relation]]:
        units: list[Unit] = []
        relations: list[Relation] = []
        used: set[tuple[int, int]] = set()
        schema = load_schema()
        dropped_units = dropped_rels = repeated = approximate = 0
        for k, (answer, offset, piece) in enumerate(self._paragraph_answer(p, p.text)):
            local: dict[str, Unit] = {}
            for item in answer["units"]:
                local_used = {(a - offset, b - offset) for a, b in used}
                found = ground(item["text"], piece, local_used)
                if found is None:
                    if ground(item["text"], piece, set()) is not None:
                        repeated += 1
                    else:
                        dropped_units += 1
                    continue
                start, end = found[0] + offset, found[1] + offset
                approximate += not found[2]
                used.add((start, end))
                u = Unit(ids.unit_id(p.id, start, end), p.id, item["type"], p.text[start:end], start, end, "llm",
                         LLM_CONFIDENCE, bool(item["central"]))
                local[item["id"]] = u
                units.append(u)
            for item in answer["relations"]:
                src, dst = local.get(item["source"]), local.get(item["target"])
                if src is None or dst is None or src is dst or item["type"] not in schema.argument_relations:
                    dropped_rels += 1
                    continue
                relations.append(Relation(ids.relation_id(src.id, dst.id, item["type"]), src.id, dst.id,
                                          item["type"], schema.relation_type(item["type"]).family, "llm",
                                          LLM_CONFIDENCE))
        with self.report.lock:
            self.report.ungrounded_units += dropped_units
            self.report.repeated_units += repeated
            self.report.approximate_units += approximate
            self.report.invalid_relations += dropped_rels
        units.sort(key=lambda u: (u.start, u.end))
        centrals = [u for u in units if u.central]
        for u in centrals[1:]:  # one centre per paragraph
            u.central = False
        return units, _dedupe(relations)

    # -- documents ------------------------------------------------------------------
    def _work(self, p: Paragraph) -> tuple[list[Unit], list[Relation]] | str:
        """The model's units and relations for a paragraph, or why it failed."""
        try:
            return self._llm_paragraph(p)
        except ParagraphFailure as exc:
            return str(exc)
        finally:
            if self.progress is not None:
                self.progress.update()

    def analyse(self, paragraphs: list[Paragraph]):
        todo = [p for p in paragraphs if p.text.strip()]
        ahead = getattr(self, "_ahead", {})
        if all(p.id in ahead for p in todo):  # submitted already by extract_notes
            results = {p.id: ahead.pop(p.id).result() for p in todo}
        else:
            with ThreadPoolExecutor(max_workers=max(1, self.config.concurrency)) as pool:
                results = dict(zip((p.id for p in todo), pool.map(self._work, todo)))
        failed = [p for p in paragraphs if isinstance(results.get(p.id), str)]
        self._outcome = (len(todo), len(failed), results.get(failed[0].id) if failed else None)
        # the rules run where they are used: every paragraph in hybrid mode, only the failed
        # ones for a fallback
        rule_pars = paragraphs if self.mode == "hybrid" else failed if self.fallback == "rules" else []
        rule_units, rule_rels, _ = super().analyse(rule_pars) if rule_pars else ([], [], {})
        units: list[Unit] = []
        relations: list[Relation] = []
        by_par_units: dict[str, list[Unit]] = {}
        for u in rule_units:
            by_par_units.setdefault(u.paragraph_id, []).append(u)
        by_par_rels: dict[str, list[Relation]] = {}
        unit_par = {u.id: u.paragraph_id for u in rule_units}
        for r in rule_rels:
            by_par_rels.setdefault(unit_par[r.source], []).append(r)
        source_of = getattr(self, "_current_source", "")
        for p in paragraphs:
            got = results.get(p.id)
            rules_here = (by_par_units.get(p.id, []), by_par_rels.get(p.id, []))
            if isinstance(got, str) or got is None:
                if got is not None:
                    with self.report.lock:
                        self.report.failures.append((source_of, p.index, got))
                if self.fallback == "rules" and got is not None:
                    with self.report.lock:
                        self.report.fallbacks += 1
                    units.extend(rules_here[0])
                    relations.extend(rules_here[1])
                continue
            if self.mode == "hybrid":
                pu, pr = merge(rules_here[0], rules_here[1], *got)
            else:
                pu, pr = got
            units.extend(pu)
            relations.extend(pr)
        mentions = self.mentions_for(paragraphs, units)
        return units, relations, mentions

    def extract_note(self, note):
        self._current_source = note.source
        self._outcome = (0, 0, None)
        return super().extract_note(note)

    def document_failed(self, extraction) -> str | None:
        """Every paragraph failed with the model and nothing took its place (no fallback, no
        rules in hybrid mode): the document is not stored."""
        todo, failed, first = getattr(self, "_outcome", (0, 0, None))
        if self.mode == "llm" and self.fallback != "rules" and todo and failed == todo:
            return f"every paragraph failed with the model (first: {first})"
        return None

    def extract_notes(self, notes):
        """One Extraction per note, in order, while the model works ahead across notes:
        up to ``concurrency`` requests at once, and at most four times that many paragraphs
        read ahead of the note being finished."""
        from collections import deque

        limit = max(1, self.config.concurrency)
        pool = ThreadPoolExecutor(max_workers=limit)
        self._ahead: dict = {}
        waiting: deque = deque()  # (note, paragraph ids)
        try:
            for note in notes:
                paragraphs = [p for p in self.paragraphs_of(note, ids.document_id(note.source)) if p.text.strip()]
                for p in paragraphs:
                    if p.id not in self._ahead:
                        self._ahead[p.id] = pool.submit(self._work, p)
                waiting.append(note)
                while len(waiting) > 1 and len(self._ahead) > 4 * limit:
                    yield self.extract_or_error(waiting.popleft())
            while waiting:
                yield self.extract_or_error(waiting.popleft())
        finally:
            pool.shutdown(wait=True, cancel_futures=True)
            self._ahead = {}

    def estimate(self, paragraphs: list[Paragraph]) -> tuple[int, int]:
        """(requests, approximate tokens in and out) this extractor would send for
        ``paragraphs``, leaving out cached ones; nothing is called."""
        requests, tokens_in, tokens_out = self.estimate_tokens(paragraphs)
        return requests, tokens_in + tokens_out

    def estimate_tokens(self, paragraphs: list[Paragraph]) -> tuple[int, int, int]:
        """(requests, prompt tokens, answer tokens), counted with ``config.tokenizer`` (the
        built-in approximate counter by default; a model's own ``.gguf`` or
        ``tokenizer.json`` counts as that model does). The prompt is counted as sent: the
        system prompt, the examples and the paragraph, with a few tokens a message for the
        chat template; the answer as the JSON that quotes each sentence once as a unit and
        links it to the one before. A server that puts the schema into the prompt
        (``json_schema``, as OpenAI does) counts it too."""
        from ..export.tokens import get_tokenizer

        if getattr(self, "_count", None) is None:
            self._count = get_tokenizer(self.config.tokenizer).count
        count = self._count
        form = self._form or self.memory.get(self.base_url)
        schema_tokens = count(llm_schema_text()) if form == "json_schema" else 0
        requests = tokens_in = tokens_out = 0
        for p in paragraphs:
            if not p.text.strip():
                continue
            if self.cache.get(Cache.key(self.base_url, self.config.model, p.lang, p.text, self.corpus)):
                continue
            chat = self._messages(p.lang, p.text)
            requests += 1
            tokens_in += sum(count(m["content"]) + _TOKENS_PER_MESSAGE for m in chat) + _TOKENS_PER_REPLY + schema_tokens
            tokens_out += count(json.dumps(_likely_answer(p.text), ensure_ascii=False))
        return requests, tokens_in, tokens_out


_TOKENS_PER_MESSAGE = 4  # a chat template's role markers around each message
_TOKENS_PER_REPLY = 3  # and the start of the answer


def _likely_answer(text: str) -> dict:
    """The answer a model would give if each sentence were a unit supporting the one before
    (for estimates only)."""
    sentences = [s for s in _SENTENCE_END.split(text.strip()) if s]
    units = [{"id": f"u{k}", "text": s, "type": "premise", "central": k == 1} for k, s in enumerate(sentences, 1)]
    relations = [{"source": f"u{k}", "target": f"u{k - 1}", "type": "supports"} for k in range(2, len(units) + 1)]
    return {"units": units, "relations": relations}


class _Truncated(Exception):
    pass


def _short(exc: Exception) -> str:
    return str(exc).splitlines()[0][:200]


def _halfway(text: str) -> int | None:
    """A sentence boundary near the middle of ``text``, or None for one sentence."""
    bounds = [m.end() for m in _SENTENCE_END.finditer(text)]
    if not bounds:
        return None
    return min(bounds, key=lambda b: abs(b - len(text) / 2))


def _dedupe(relations: list[Relation]) -> list[Relation]:
    seen, out = set(), []
    for r in relations:
        if r.id not in seen:
            seen.add(r.id)
            out.append(r)
    return out


def _jaccard(a: Unit, b: Unit) -> float:
    inter = max(0, min(a.end, b.end) - max(a.start, b.start))
    union = max(a.end, b.end) - min(a.start, b.start)
    return inter / union if union else 0.0


def merge(rule_units: list[Unit], rule_rels: list[Relation], llm_units: list[Unit],
          llm_rels: list[Relation]) -> tuple[list[Unit], list[Relation]]:
    """Hybrid: the rules' units stay (their spans); a model unit that overlaps one (Jaccard
    >= 0.5) confirms it and gives it the model's type and centrality; a model unit that
    overlaps no rule unit is added; other model units are dropped. Relations: the rules'
    plus the model's, mapped onto the kept units; where both link the same pair, the
    model's type wins."""
    schema = load_schema()
    kept = [replace(u) for u in rule_units]
    alias: dict[str, str] = {}
    for m in llm_units:
        best = max(kept, key=lambda u: _jaccard(u, m), default=None)
        if best is not None and _jaccard(best, m) >= 0.5:
            best.type, best.central, best.cue = m.type, m.central, f"llm:{best.cue or 'confirmed'}"
            best.confidence = max(best.confidence, LLM_CONFIDENCE)
            alias[m.id] = best.id
        elif all(_jaccard(u, m) == 0 for u in kept):
            kept.append(m)
            alias[m.id] = m.id
    centrals = [u for u in kept if u.central and u.cue.startswith("llm")] or [u for u in kept if u.central]
    for u in kept:  # one centre per paragraph, the model's when it named one
        u.central = bool(centrals) and u is centrals[0]
    pairs: dict[tuple[str, str], Relation] = {(r.source, r.target): r for r in rule_rels}
    for r in llm_rels:
        s, t = alias.get(r.source), alias.get(r.target)
        if s and t and s != t:
            pairs[(s, t)] = Relation(ids.relation_id(s, t, r.type), s, t, r.type,
                                     schema.relation_type(r.type).family, "llm", LLM_CONFIDENCE)
    kept.sort(key=lambda u: (u.start, u.end))
    return kept, list(pairs.values())


def write_schema_file() -> None:
    (resource_dir("schemas") / "llm_output.schema.json").write_text(llm_schema_text(), encoding="utf-8")


if __name__ == "__main__":
    write_schema_file()
    print("wrote schemas/llm_output.schema.json")
