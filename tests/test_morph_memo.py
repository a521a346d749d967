"""The remembered morphology equals a fresh analysis on every word form of the project's texts,
and the compiled dictionary backend is the one in use (issue 17)."""

import json
import re
from pathlib import Path

import pytest

from graphmind.extract.morph import Morphology, morphology

from conftest import EXAMPLES, FIXTURES, ROOT

WORD = re.compile(r"[^\W\d_]+(?:[-'’][^\W\d_]+)*")


def word_forms(lang: str) -> list[str]:
    texts = []
    for line in (ROOT / "corpus" / f"{lang}.jsonl").read_text(encoding="utf-8").splitlines():
        if line.strip():
            texts.append(json.loads(line)["text"])
    for folder in (FIXTURES / "notes", EXAMPLES):
        texts += [p.read_text(encoding="utf-8") for p in sorted(folder.rglob("*")) if p.is_file()]
    forms = {w for t in texts for w in WORD.findall(t)}
    forms |= {w.lower() for w in forms}
    return sorted(forms)


@pytest.mark.parametrize("lang", ["ru", "en"])
def test_remembered_forms_equal_a_fresh_analysis(lang):
    forms = word_forms(lang)
    assert len(forms) > 1000
    shared = morphology(lang)
    first = [shared.form(w) for w in forms]  # fills the memo
    again = [shared.form(w) for w in forms]  # from the memo
    fresh = Morphology(lang)
    uncached = [fresh._analyse(w) for w in forms]  # no memo at all
    assert again == first
    mismatched = [w for w, a, b in zip(forms, again, uncached) if a != b]
    assert not mismatched, mismatched[:10]


def test_russian_dictionaries_use_the_compiled_backend():
    import pymorphy3.dawg

    assert pymorphy3.dawg.EXTENSION_AVAILABLE, "pip install dawg2 (the compiled DAWG backend)"
