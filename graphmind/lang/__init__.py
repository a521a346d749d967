"""Per-language data (``en``, ``ru``) and cheap language detection by script ratio."""

from __future__ import annotations

import importlib
import re
from functools import lru_cache
from types import ModuleType

SUPPORTED = ("en", "ru")
_CYRILLIC = re.compile(r"[\u0400-\u04FF]")
_LATIN = re.compile(r"[A-Za-z\u00C0-\u024F]")


def detect_language(text: str) -> str:
    """``ru`` when Cyrillic letters dominate, ``en`` when Latin letters do, else ``other``."""
    cyr = len(_CYRILLIC.findall(text))
    lat = len(_LATIN.findall(text))
    if cyr + lat < 3:
        return "other"
    if cyr >= lat:
        return "ru"
    return "en"


@lru_cache(maxsize=None)
def language_data(lang: str) -> ModuleType:
    """The pure-data module with the discourse cues of a supported language."""
    if lang not in SUPPORTED:
        raise ValueError(f"no language data for {lang!r}; supported: {', '.join(SUPPORTED)}")
    return importlib.import_module(f"{__name__}.{lang}")
