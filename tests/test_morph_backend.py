"""The compiled dictionary backend (dawg2) gives pymorphy3 the same analyses as the pure-Python
one it replaces, on every word form of the project's Russian texts and of the Russian gold
corpora in ../shared when they are there (read for this comparison only) — so the faster
morphology changes nothing in the output (issue 17)."""

import json
import subprocess
import sys

from conftest import ROOT
from test_morph_memo import WORD, word_forms

SHARED_RU = [ROOT.parent / "shared" / "benchmarks" / name for name in ("microtexts.ru.jsonl", "metaphor-lcc.ru.jsonl")]

# run in a fresh interpreter: with ``block`` the compiled module cannot be imported, so
# pymorphy3 falls back to dawg_python; prints each form's parses and the extractor's Form
ANALYSE = r"""
import json, sys
if sys.argv[1] == "block":
    sys.modules["dawg"] = None
import pymorphy3.dawg
from graphmind.extract.morph import Morphology
m = Morphology("ru")
out = {"compiled": pymorphy3.dawg.EXTENSION_AVAILABLE, "forms": {}}
for w in json.load(sys.stdin):
    parses = [[str(p.tag), p.normal_form, round(p.score, 9)] for p in m.parses(w)]
    out["forms"][w] = [parses, repr(m._analyse(w))]
json.dump(out, sys.stdout, ensure_ascii=False)
"""


def russian_forms() -> list[str]:
    forms = set(word_forms("ru"))
    for path in SHARED_RU:
        if path.exists():
            for line in path.read_text(encoding="utf-8").splitlines():
                if line.strip():
                    words = WORD.findall(json.loads(line)["text"])
                    forms.update(words)
                    forms.update(w.lower() for w in words)
    return sorted(forms)


def analyse(forms: list[str], backend: str) -> dict:
    done = subprocess.run([sys.executable, "-c", ANALYSE, backend], input=json.dumps(forms), capture_output=True,
                          text=True, check=True, cwd=ROOT)
    return json.loads(done.stdout)


def test_compiled_and_pure_python_dictionaries_analyse_every_form_alike():
    forms = russian_forms()
    assert len(forms) > 5000
    compiled, pure = analyse(forms, "compiled"), analyse(forms, "block")
    assert compiled["compiled"] and not pure["compiled"]
    differ = [w for w in forms if compiled["forms"][w] != pure["forms"][w]]
    assert not differ, differ[:10]
