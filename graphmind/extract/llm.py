"""The LLM extractor: any OpenAI-compatible chat-completions server (OpenAI, vLLM, Ollama,
llama.cpp) through the ``openai`` client, with the same output contract as the rules.

- Structured output: the request carries ``schemas/llm_output.schema.json`` (generated
  from the graph schema) in strict ``json_schema`` mode; a server that rejects that mode
  gets JSON mode and the answer is validated here instead.
- Grounding: the model returns unit texts; each is looked up in the paragraph to set its
  offsets, and a text that is not there is dropped and counted. Relations must join
  returned units with schema types.
- Failures, per paragraph: a truncated answer is retried on the paragraph's two halves;
  a refusal or content filter is reported, not retried; malformed or schema-violating JSON
  gets one repair request; 429, 5xx and timeouts are retried by the client with backoff;
  a 400 is not retried. Nothing from a failed paragraph is stored; ``fallback="rules"``
  extracts such paragraphs with the rules instead.
- Cost: answers are cached on disk by (base URL, model, prompt version, paragraph hash);
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
from functools import lru_cache
from pathlib import Path

import jsonschema

from .. import ids
from ..exceptions import GraphMindError
from ..model import Paragraph, Relation, Unit
from ..schema import load_schema, resource_dir
from .rules import RuleExtractor

PROMPT_VERSION = "v1"
PROMPTS = Path(__file__).resolve().parent / "prompts"
_SENTENCE_END = re.compile(r"(?<=[.!?…])\s+")
LLM_CONFIDENCE = 0.8


def llm_output_schema() -> dict:
    """JSON Schema of the model's answer, generated from the graph schema (strict-mode
    compatible: every property required, no additional properties)."""
    schema = load_schema()
    unit = {"type": "object", "additionalProperties": False, "required": ["id", "type", "text", "central"],
            "properties": {"id": {"type": "string"}, "type": {"type": "string", "enum": list(schema.unit_types)},
                           "text": {"type": "string"}, "central": {"type": "boolean"}}}
    relation = {"type": "object", "additionalProperties": False, "required": ["source", "target", "type"],
                "properties": {"source": {"type": "string"}, "target": {"type": "string"},
                               "type": {"type": "string", "enum": list(schema.argument_relations)}}}
    return {"type": "object", "additionalProperties": False, "required": ["units", "relations"],
            "properties": {"units": {"type": "array", "items": unit},
                           "relations": {"type": "array", "items": relation}}}


def llm_schema_text() -> str:
    return json.dumps(llm_output_schema(), indent=2) + "\n"


@lru_cache(maxsize=None)
def prompt(lang: str) -> tuple[str, str]:
    """(system prompt, user template) of the current version for ``lang``."""
    path = PROMPTS / f"{PROMPT_VERSION}.{lang if lang in ('en', 'ru') else 'en'}.txt"
    system, _, user = path.read_text(encoding="utf-8").partition("--- user ---\n")
    return system.strip(), user


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
        cfg = cls(
            base_url=env.get("GRAPHMIND_LLM_BASE_URL") or None,
            model=env.get("GRAPHMIND_LLM_MODEL") or None,
            api_key=env.get("GRAPHMIND_LLM_API_KEY") or env.get("OPENAI_API_KEY") or None,
            timeout=float(env.get("GRAPHMIND_LLM_TIMEOUT", 60)),
            max_retries=int(env.get("GRAPHMIND_LLM_MAX_RETRIES", 3)),
            concurrency=int(env.get("GRAPHMIND_LLM_CONCURRENCY", 4)),
            prices=prices,
        )
        for key, value in overrides.items():
            if value is not None:
                setattr(cfg, key, value)
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
    invalid_relations: int = 0
    lock: threading.Lock = field(default_factory=threading.Lock, repr=False)

    def cost(self, prices: tuple[float, float] | None) -> float | None:
        if not prices:
            return None
        return (self.prompt_tokens * prices[0] + self.completion_tokens * prices[1]) / 1_000_000

    def lines(self, prices=None) -> list[str]:
        out = [f"model requests: {self.requests} (cached answers used: {self.cache_hits}); tokens: "
               f"{self.prompt_tokens} in, {self.completion_tokens} out"
               + (f"; cost: {self.cost(prices):.4f}" if prices else "")]
        if self.ungrounded_units or self.invalid_relations:
            out.append(f"dropped {self.ungrounded_units} unit(s) whose text is not in the paragraph and "
                       f"{self.invalid_relations} relation(s) with unknown endpoints or types")
        for source, index, reason in self.failures:
            out.append(f"failed: {source} paragraph {index}: {reason}")
        if self.fallbacks:
            out.append(f"{self.fallbacks} failed paragraph(s) extracted with the rules instead")
        return out


class ParagraphFailure(Exception):
    """The model could not give a usable answer for a paragraph."""


class Cache:
    """Answers on disk, keyed by (base URL, model, prompt version, paragraph hash)."""

    def __init__(self, directory: str | os.PathLike):
        Path(directory).mkdir(parents=True, exist_ok=True)
        self.db = sqlite3.connect(str(Path(directory) / "llm-cache.sqlite"), check_same_thread=False)
        self.db.execute("CREATE TABLE IF NOT EXISTS answers (key TEXT PRIMARY KEY, answer TEXT NOT NULL)")
        self.lock = threading.Lock()

    @staticmethod
    def key(base_url: str, model: str, lang: str, text: str) -> str:
        digest = hashlib.sha256(text.encode("utf-8")).hexdigest()
        return hashlib.sha256(json.dumps([base_url, model, PROMPT_VERSION, lang, digest]).encode()).hexdigest()

    def get(self, key: str) -> dict | None:
        with self.lock:
            row = self.db.execute("SELECT answer FROM answers WHERE key = ?", (key,)).fetchone()
        return json.loads(row[0]) if row else None

    def put(self, key: str, answer: dict) -> None:
        with self.lock, self.db:
            self.db.execute("INSERT OR REPLACE INTO answers VALUES (?, ?)", (key, json.dumps(answer)))


def ground(text: str, paragraph: str, used: set[tuple[int, int]]) -> tuple[int, int] | None:
    """Offsets of ``text`` in ``paragraph`` (exactly, else up to white space), preferring
    an occurrence not used yet."""
    candidates = []
    start = paragraph.find(text)
    while start >= 0 and text:
        candidates.append((start, start + len(text)))
        start = paragraph.find(text, start + 1)
    if not candidates and text.strip():
        words = text.split()
        pattern = r"\s+".join(re.escape(w) for w in words)
        candidates = [(m.start(), m.end()) for m in re.finditer(pattern, paragraph)]
    for span in candidates:
        if span not in used:
            return span
    return None


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
        self.name = mode
        self.config = config
        self.mode = mode
        self.fallback = fallback
        self.report = report or LLMReport()
        self.progress = progress
        self.json_mode = False  # True once the server refused strict json_schema output
        self._client = None
        cache_dir = config.cache_dir or os.path.join(os.environ.get("GRAPHMIND_DATA_DIR") or ".graphmind", "llm-cache")
        self.cache = Cache(cache_dir)
        self._validator = jsonschema.Draft202012Validator(llm_output_schema())

    @property
    def client(self):
        if self._client is None:
            from openai import OpenAI

            self._client = OpenAI(base_url=self.config.base_url, api_key=self.config.api_key or "not-needed",
                                  timeout=self.config.timeout, max_retries=self.config.max_retries)
        return self._client

    # -- one request --------------------------------------------------------------
    def _messages(self, lang: str, text: str) -> list[dict]:
        system, user = prompt(lang)
        return [{"role": "system", "content": system}, {"role": "user", "content": user.format(paragraph=text)}]

    def _response_format(self) -> dict:
        if self.json_mode:
            return {"type": "json_object"}
        return {"type": "json_schema",
                "json_schema": {"name": "meaning_graph", "strict": True, "schema": llm_output_schema()}}

    def _call(self, messages: list[dict]):
        import openai

        while True:
            try:
                with self.report.lock:
                    self.report.requests += 1
                return self.client.chat.completions.create(
                    model=self.config.model, messages=messages, response_format=self._response_format(),
                    temperature=0)
            except openai.BadRequestError as exc:
                text = str(exc)
                if not self.json_mode and ("response_format" in text or "json_schema" in text):
                    self.json_mode = True  # this server has no strict mode: JSON mode and our own validation
                    continue
                raise ParagraphFailure(f"the server rejected the request (400): {_short(exc)}") from None
            except openai.AuthenticationError:
                raise GraphMindError("the model server refused the API key (401); check OPENAI_API_KEY or "
                                     "GRAPHMIND_LLM_API_KEY") from None
            except openai.NotFoundError as exc:
                raise GraphMindError(f"the model server does not know model {self.config.model!r} or the URL "
                                     f"(404): {_short(exc)}") from None
            except openai.APITimeoutError:
                raise ParagraphFailure(f"timed out after {self.config.max_retries + 1} attempt(s) of "
                                       f"{self.config.timeout:g} s") from None
            except openai.RateLimitError:
                raise ParagraphFailure(f"rate limited (429) after {self.config.max_retries} retries") from None
            except openai.APIStatusError as exc:
                raise ParagraphFailure(f"server error ({exc.status_code}) after {self.config.max_retries} "
                                       "retries") from None
            except openai.APIConnectionError:
                raise ParagraphFailure("cannot connect to the model server; check GRAPHMIND_LLM_BASE_URL") from None

    def _answer(self, lang: str, text: str) -> dict:
        """A schema-valid answer for ``text`` (cached), or ParagraphFailure."""
        key = Cache.key(self.config.base_url or "openai", self.config.model, lang, text)
        cached = self.cache.get(key)
        if cached is not None:
            with self.report.lock:
                self.report.cache_hits += 1
            return cached
        messages = self._messages(lang, text)
        for attempt in (1, 2):
            response = self._call(messages)
            usage = getattr(response, "usage", None)
            if usage is not None:
                with self.report.lock:
                    self.report.prompt_tokens += usage.prompt_tokens or 0
                    self.report.completion_tokens += usage.completion_tokens or 0
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
                answer = json.loads(content)
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
        dropped_units = dropped_rels = 0
        for k, (answer, offset, piece) in enumerate(self._paragraph_answer(p, p.text)):
            local: dict[str, Unit] = {}
            for item in answer["units"]:
                span = ground(item["text"], piece, {(a - offset, b - offset) for a, b in used})
                if span is None:
                    dropped_units += 1
                    continue
                start, end = span[0] + offset, span[1] + offset
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
            self.report.invalid_relations += dropped_rels
        units.sort(key=lambda u: (u.start, u.end))
        centrals = [u for u in units if u.central]
        for u in centrals[1:]:  # one centre per paragraph
            u.central = False
        return units, _dedupe(relations)

    # -- documents ------------------------------------------------------------------
    def analyse(self, paragraphs: list[Paragraph]):
        results: dict[str, tuple[list[Unit], list[Relation]] | str] = {}

        def work(p: Paragraph):
            try:
                results[p.id] = self._llm_paragraph(p)
            except ParagraphFailure as exc:
                results[p.id] = str(exc)
            if self.progress is not None:
                self.progress.update()

        todo = [p for p in paragraphs if p.text.strip()]
        if todo:
            with ThreadPoolExecutor(max_workers=max(1, self.config.concurrency)) as pool:
                list(pool.map(work, todo))
        failed = [p for p in paragraphs if isinstance(results.get(p.id), str)]
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
        return super().extract_note(note)

    def estimate(self, paragraphs: list[Paragraph]) -> tuple[int, int]:
        """(requests, approximate tokens) this extractor would send for ``paragraphs``,
        leaving out cached ones; nothing is called."""
        from ..export.tokens import ApproxTokenizer

        count = ApproxTokenizer().count
        schema_tokens = count(llm_schema_text())
        requests = tokens = 0
        for p in paragraphs:
            if not p.text.strip():
                continue
            if self.cache.get(Cache.key(self.config.base_url or "openai", self.config.model, p.lang, p.text)):
                continue
            system, user = prompt(p.lang)
            requests += 1
            tokens += count(system) + count(user.format(paragraph=p.text)) + schema_tokens + 2 * count(p.text)
        return requests, tokens


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
