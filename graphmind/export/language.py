"""The export's language data (``graphmind/export/lang/<code>.json``): the prompts of the
instruction formats, the cues that tell a granted objection (a concession) from a reported
one, and the words a sentence cannot end with. Data, not logic: a new cue is an edit to the
JSON file."""

from __future__ import annotations

import json
import re
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

LANG_DIR = Path(__file__).resolve().parent / "lang"


@dataclass(frozen=True)
class ExportLanguage:
    code: str
    system: str
    instructions: dict[str, str]
    labels: dict[str, str]
    concessive_cues: tuple[str, ...]
    reporting_cues: tuple[str, ...]
    dangling_words: frozenset[str]
    concessive_re: re.Pattern
    reporting_re: re.Pattern

    def quote(self, text: str) -> str:
        return f"{self.labels['quote_open']}{text}{self.labels['quote_close']}"

    def is_concessive(self, cue: str, text: str) -> bool:
        """The unit grants a point (of course, admittedly, хотя, конечно, ...): its cue is
        one of the concessive cues, or its text starts with one."""
        return (cue or "").strip().lower() in self.concessive_cues or bool(self.concessive_re.match(text))

    def is_reported(self, cue: str, text: str) -> bool:
        """The unit reports someone else's view (some people say, critics, некоторые, ...)."""
        return (cue or "").strip().lower() in self.reporting_cues or bool(self.reporting_re.match(text))


@lru_cache(maxsize=None)
def export_language(code: str | None) -> ExportLanguage:
    path = LANG_DIR / f"{code}.json"
    if not path.is_file():
        path = LANG_DIR / "en.json"
    data = json.loads(path.read_text(encoding="utf-8"))

    def starts(cues: list[str]) -> re.Pattern:
        alternatives = "|".join(re.escape(c.lower()) for c in sorted(cues, key=len, reverse=True))
        return re.compile(rf"\s*(?:{alternatives})(?!\w)", re.IGNORECASE)

    return ExportLanguage(
        code=path.stem,
        system=data["system"],
        instructions=dict(data["instructions"]),
        labels=dict(data["labels"]),
        concessive_cues=tuple(c.lower() for c in data["concessive_cues"]),
        reporting_cues=tuple(c.lower() for c in data["reporting_cues"]),
        dangling_words=frozenset(w.lower() for w in data["dangling_words"]),
        concessive_re=starts(data["concessive_cues"]),
        reporting_re=starts(data["reporting_cues"]),
    )


_LAST_WORD = re.compile(r"(\w+)\W*$")
MID_SENTENCE_ENDINGS = (",", ":", ";", "—", "–", "-")


def ends_mid_sentence(text: str, lang: str | None) -> bool:
    """The text stops where its sentence cannot: on a comma, colon, semicolon or dash, or on
    a conjunction, preposition or article."""
    stripped = text.rstrip()
    if stripped.endswith(MID_SENTENCE_ENDINGS):
        return True
    if stripped.endswith((".", "!", "?", "…", "»", "\u201d", '"', ")")):
        return False
    m = _LAST_WORD.search(stripped)
    return bool(m) and m.group(1).lower() in export_language(lang).dangling_words


def word_count(text: str) -> int:
    return len(re.findall(r"\w+", text))
