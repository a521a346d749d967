"""Token counters for the per-level budgets.

- ``approx`` (the default): a built-in, dependency-free *approximate* counter: one token per
  punctuation mark and one per started 4 characters of a word (close to, and usually above,
  what BPE tokenizers give for English and Russian prose). Documented as approximate.
- a Hugging Face ``tokenizer.json`` path (needs the ``tokenizers`` package): exact for that model;
- ``tiktoken:ENCODING`` (needs ``tiktoken`` and the encoding already cached offline);
- a GGUF model file (``*.gguf`` or ``gguf:PATH``; needs ``llama-cpp-python``): the model's own
  vocabulary, loaded without its weights.
"""

from __future__ import annotations

import re
from functools import lru_cache
from pathlib import Path

from ..exceptions import GraphMindError

# A word of n characters is ceil(n / 4) chunks of at most 4 word characters; every other
# visible character is one token.
_TOKEN = re.compile(r"\w{1,4}|[^\w\s]")


class ApproxTokenizer:
    name = "approx"
    exact_sum = True  # the count of a text is the sum of the counts of its lines

    def count(self, text: str) -> int:
        return len(_TOKEN.findall(text))


class HFTokenizer:
    exact_sum = False

    def __init__(self, path: str):
        try:
            from tokenizers import Tokenizer
        except ImportError:
            raise GraphMindError("--tokenizer PATH needs the 'tokenizers' package: pip install tokenizers") from None
        if not Path(path).is_file():
            raise GraphMindError(f"--tokenizer {path}: no such tokenizer.json file")
        self.name = f"hf:{Path(path).name}"
        self._tok = Tokenizer.from_file(path)

    def count(self, text: str) -> int:
        return len(self._tok.encode(text, add_special_tokens=False).ids)


class TiktokenTokenizer:
    exact_sum = False

    def __init__(self, encoding: str):
        try:
            import tiktoken
        except ImportError:
            raise GraphMindError("--tokenizer tiktoken:NAME needs the 'tiktoken' package") from None
        try:
            self._enc = tiktoken.get_encoding(encoding)
        except Exception:
            raise GraphMindError(
                f"tiktoken encoding {encoding!r} is not available offline; use a tokenizer.json path "
                "or the default approximate counter"
            ) from None
        self.name = f"tiktoken:{encoding}"

    def count(self, text: str) -> int:
        return len(self._enc.encode(text, disallowed_special=()))


class GGUFTokenizer:
    exact_sum = False

    def __init__(self, path: str):
        try:
            from llama_cpp import Llama
            from llama_cpp._utils import suppress_stdout_stderr
        except ImportError:
            raise GraphMindError("a .gguf tokenizer needs the 'llama-cpp-python' package") from None
        if not Path(path).is_file():
            raise GraphMindError(f"tokenizer {path}: no such .gguf file")
        self.name = f"gguf:{Path(path).name}"
        with suppress_stdout_stderr(disable=False):  # llama.cpp's own log lines
            self._model = Llama(model_path=path, vocab_only=True, n_ctx=64, verbose=False)

    def count(self, text: str) -> int:
        return len(self._model.tokenize(text.encode("utf-8"), add_bos=False, special=False)) if text else 0


def get_tokenizer(spec: str | None):
    if not spec or spec == "approx":
        return ApproxTokenizer()
    if spec.startswith("gguf:") or spec.endswith(".gguf"):
        return GGUFTokenizer(spec[5:] if spec.startswith("gguf:") else spec)
    if spec.startswith("tiktoken:"):
        return TiktokenTokenizer(spec.split(":", 1)[1])
    return HFTokenizer(spec[3:] if spec.startswith("hf:") else spec)


class CachedCounter:
    """Counts with a per-text cache (lines and paragraphs recur across examples)."""

    def __init__(self, tokenizer):
        self.tokenizer = tokenizer
        self.count = lru_cache(maxsize=200_000)(tokenizer.count)
