"""Images (graphmind.extract.images) and the concreteness lexicons they read."""

import json
import subprocess
import sys
from pathlib import Path

import pytest

from graphmind.evaluate import Tally, score_metaphor
from graphmind.extract.images import Finder, MetaphorModel, _table, find_image_kinds, lexicon
from graphmind.extract.rules import RuleExtractor

ROOT = Path(__file__).resolve().parent.parent
LANG = ROOT / "graphmind" / "lang"


@pytest.fixture(scope="module")
def ex():
    return RuleExtractor(trained=False)


def images(ex, text):
    """The image words of a one-sentence text, with the type of the unit holding each."""
    _, units, _ = ex.parse_text(text)
    return [(text[a:b], u.type) for u in units for a, b in zip(u.images[0::2], u.images[1::2])]


def image_words(ex, text):
    return [w for w, _ in images(ex, text)]


@pytest.mark.parametrize("text, word", [
    ("Memory is a river that carries everything away.", "river"),
    ("Память — это река, которая всё уносит.", "река"),
])
def test_copular_image_is_the_concrete_predicate(ex, text, word):
    assert image_words(ex, text)[0] == word


@pytest.mark.parametrize("text, words", [
    ("Attention is not a reservoir but a current.", ["reservoir", "current"]),
    ("Память — не архив, а мастерская.", ["архив", "мастерская"]),
])
def test_contrasted_predicates_are_both_images(ex, text, words):
    assert image_words(ex, text) == words


@pytest.mark.parametrize("text, word", [
    ("The weight of tradition falls on the youngest child.", "weight"),
    ("Тяжесть традиции ложится на младшего ребёнка.", "Тяжесть"),
    ("Контекстное окно — это горизонт дыхания модели.", "дыхания"),
])
def test_genitive_image_is_the_concrete_head(ex, text, word):
    assert word in image_words(ex, text)


@pytest.mark.parametrize("text, word", [
    ("He talks as if the world were a stage.", "stage"),
    ("Он говорит, словно весь мир — театр.", "театр"),
    ("Risk in play works like a vaccine.", "vaccine"),
])
def test_simile_marks_the_thing_compared_with(ex, text, word):
    assert word in image_words(ex, text)


@pytest.mark.parametrize("text, word", [
    ("Grief grips the whole family for months.", "grips"),
    ("Инфляция съедает сбережения пенсионеров.", "съедает"),
])
def test_physical_verb_with_an_abstract_subject_is_an_image(ex, text, word):
    assert image_words(ex, text) == [word]


@pytest.mark.parametrize("text", [
    "She grips the rope with both hands.",
    "Собака съедает миску каши за минуту.",
])
def test_physical_verb_with_concrete_arguments_is_literal(ex, text):
    assert image_words(ex, text) == []


@pytest.mark.parametrize("text, word", [
    ("Bitter truth is better than sweet lies.", "Bitter"),
    ("Горькая правда лучше сладкой лжи.", "сладкой"),
])
def test_physical_adjective_on_an_abstract_noun_is_an_image(ex, text, word):
    assert word in image_words(ex, text)


@pytest.mark.parametrize("text", ["The coffee was bitter and cold.", "Кофе был горький и холодный."])
def test_physical_adjective_on_a_thing_is_literal(ex, text):
    assert image_words(ex, text) == []


@pytest.mark.parametrize("text, predicate", [
    ("A cache is a short memory that forgets old entries.", "memory"),
    ("Заметка — это короткий текст, который хранит одну мысль.", "текст"),
    # an abstract suffix («-ота») weighs against the lexicon's reading of «частота» as a thing
    ("Поверхностная статистика — это частоты пар слов.", "частоты"),
])
def test_literal_copular_sentence_has_no_image_and_is_not_a_metaphor(ex, text, predicate):
    _, units, _ = ex.parse_text(text)
    assert predicate not in image_words(ex, text)
    assert units[0].type != "metaphor"


@pytest.mark.parametrize("text", [
    "Memory is a river that carries everything away.",
    "Память — это река, которая всё уносит.",
])
def test_unit_with_a_copular_image_is_a_metaphor(ex, text):
    assert {t for _, t in images(ex, text)} == {"metaphor"}


@pytest.mark.parametrize("text", [
    "Just as muscles grow with use, the mind grows with practice.",
    "Так же как мышцы растут от нагрузки, ум растёт от практики.",
])
def test_analogy_stays_an_analogy_when_it_holds_an_image(ex, text):
    _, units, _ = ex.parse_text(text)
    assert [u.type for u in units] == ["analogy"]


def test_english_lemmas_come_from_wordnet_forms():
    lex = lexicon("en")
    assert lex.word("burdens").noun == lex.word("burden").noun  # a regular plural
    assert lex.word("went").verb == lex.word("go").verb  # an irregular form (lemmas.tsv)
    assert lex.word("burden").noun[1] > lex.word("burden").noun[0]  # basically a load, usually a worry


@pytest.mark.parametrize("lang", ["en", "ru"])
def test_own_dev_sentences_are_read_mostly_right(ex, lang):
    """Our own metaphor/literal sentences (corpus/metaphor-dev.*): word-level targeted accuracy
    well above the 0.5 of guessing (the labels are balanced by construction)."""
    tally = Tally()
    for line in (ROOT / "corpus" / f"metaphor-dev.{lang}.jsonl").read_text(encoding="utf-8").splitlines():
        item = json.loads(line)
        _, units, _ = ex.parse_text(item["text"], lang=lang)
        score_metaphor(tally, item, units)
    assert tally.word_ok / tally.targets > 0.8


# -- the data files ------------------------------------------------------------------------
def _rows(path):
    return [l.split("\t") for l in path.read_text(encoding="utf-8").splitlines() if not l.startswith("#")]


def test_english_lexicon_has_a_row_per_wordnet_lemma_with_values_in_range():
    rows = _rows(LANG / "en" / "concreteness.tsv")
    assert len(rows) > 70_000
    assert [r[0] for r in rows] == sorted(r[0] for r in rows)
    for r in rows:
        assert len(r) in (4, 5) and any(r[1:4])
        for cell in r[1:4]:
            assert all(0.0 <= float(x) <= 1.0 for x in cell.split())
        assert len(r) == 4 or set(r[4]) <= set("nvar")


def test_russian_lexicon_has_nouns_and_verbs_with_probabilities():
    rows = _rows(LANG / "ru" / "concreteness.tsv")
    assert len(rows) > 35_000
    assert {r[1] for r in rows} == {"n", "v"}
    assert all(len(r) == 3 and 0.0 <= float(r[2]) <= 1.0 for r in rows)
    table = _table("ru")
    assert float(table["река\tn"]) > float(table["бедность\tn"])


def test_wordnet_derived_files_carry_its_notice():
    assert "Princeton University" in (LANG / "en" / "WORDNET-LICENSE").read_text(encoding="utf-8")
    for name in ("concreteness.tsv", "lemmas.tsv"):
        head = (LANG / "en" / name).read_text(encoding="utf-8")[:400]
        assert "WordNet 3.0 Copyright 2006 by Princeton University" in head
    assert "navec" in (LANG / "ru" / "concreteness.tsv").read_text(encoding="utf-8")[:300]


# -- conventional metaphors, word by word (graphmind/lang/<code>/metaphor.json) ---------------
CONVENTIONAL = "Сосредоточенность, которую мы растеряли за годы уведомлений."


def test_a_physical_verb_among_abstract_words_reads_as_a_conventional_metaphor():
    """No construction holds «растеряли» here (its object is the relative «которую»); the
    word-level model reads it."""
    kinds = {CONVENTIONAL[a:b]: k for a, b, k in find_image_kinds(CONVENTIONAL, 0, len(CONVENTIONAL), {}, "ru")}
    assert kinds == {"растеряли": "lexical"}
    plain = Finder(lexicon("ru"))  # the constructions alone
    assert plain.find(CONVENTIONAL, 0, len(CONVENTIONAL), {}) == []


@pytest.mark.parametrize("text", ["Мы растеряли ключи и перчатки по дороге домой.",
                                  "Туристы растеряли рюкзаки на вокзале."])
def test_the_same_verb_among_things_is_literal(text):
    assert find_image_kinds(text, 0, len(text), {}, "ru") == []


def test_a_conventional_metaphor_alone_does_not_make_its_unit_a_metaphor(ex):
    _, units, _ = ex.parse_text(CONVENTIONAL, lang="ru")
    assert "растеряли" in image_words(ex, CONVENTIONAL)
    assert all(u.type != "metaphor" for u in units)


def test_a_model_written_switched_off_reads_nothing(tmp_path, monkeypatch):
    """A language whose word-level model could not mark real prose precisely enough ships it
    with no threshold (English, today): the finder then reads the constructions alone."""
    import graphmind.extract.images as images_module

    data = json.loads((LANG / "ru" / "metaphor.json").read_text(encoding="utf-8"))
    assert images_module.MetaphorModel.shipped("ru") is not None
    (tmp_path / "ru").mkdir()
    (tmp_path / "ru" / "metaphor.json").write_text(json.dumps({**data, "threshold": None}), encoding="utf-8")
    monkeypatch.setattr(images_module, "_LANG_DIR", tmp_path)
    assert images_module.MetaphorModel.shipped("ru") is None


def test_a_metaphor_model_of_another_format_is_refused():
    with pytest.raises(ValueError, match="not a metaphor model"):
        MetaphorModel({"format": "something-else", "features": {}, "threshold": 0.5})


@pytest.mark.slow
def test_the_shipped_metaphor_models_are_what_the_script_makes(tmp_path):
    """scripts/fit_metaphor.py (make metaphor-weights) rebuilds graphmind/lang/<code>/metaphor.json
    byte for byte from corpus/metaphor-train.<code>.jsonl."""
    proc = subprocess.run([sys.executable, str(ROOT / "scripts" / "fit_metaphor.py"), "--out-dir", str(tmp_path)],
                          capture_output=True, text=True, cwd=ROOT)
    assert proc.returncode == 0, proc.stderr
    for lang in ("en", "ru"):
        assert (tmp_path / lang / "metaphor.json").read_bytes() == (LANG / lang / "metaphor.json").read_bytes()


@pytest.mark.parametrize("lang", ["en", "ru"])
def test_metaphor_training_sentences_are_well_formed(lang):
    """corpus/metaphor-train.<code>.jsonl: offsets point at their words, labels agree with the
    targets, and the two labels are about balanced."""
    labels = []
    for line in (ROOT / "corpus" / f"metaphor-train.{lang}.jsonl").read_text(encoding="utf-8").splitlines():
        r = json.loads(line)
        assert r["lang"] == lang and r["targets"]
        for t in r["targets"]:
            assert r["text"][t["start"]:t["end"]] == t["text"], r["id"]
            labels.append(t["metaphor"])
        assert r["label"] == ("metaphor" if any(t["metaphor"] for t in r["targets"]) else "literal"), r["id"]
    assert len(labels) >= 400 and 0.4 < sum(labels) / len(labels) < 0.6
