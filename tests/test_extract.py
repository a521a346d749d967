import json

import pytest

from graphmind.extract.rules import RuleExtractor, RunReport, extract_paths
from graphmind.exceptions import InputError
from graphmind.read import read_note

from conftest import EXAMPLES


def one(extractor, text, lang="auto"):
    ex = RuleExtractor(lang=lang, trained=False) if lang != "auto" else extractor
    return ex.extract_text(text)


def types(ex):
    return [(u.type, u.text) for u in ex.units]


def rels(ex):
    text = {u.id: u.text for u in ex.units}
    return {(text[r.source], r.type, text.get(r.target, r.target)) for r in ex.relations}


@pytest.mark.parametrize("path", sorted(p for p in EXAMPLES.rglob("*") if p.is_file()), ids=lambda p: p.name)
def test_unit_offsets_index_the_paragraph_text(extractor, path):
    ex = extractor.extract_note(read_note(path))
    paragraphs = {p.id: p.text for p in ex.paragraphs}
    assert ex.units
    for u in ex.units:
        assert paragraphs[u.paragraph_id][u.start:u.end] == u.text


def test_same_input_gives_identical_output(extractor):
    runs = [
        json.dumps([list(e.records()) for e in extract_paths([str(EXAMPLES)], extractor)], ensure_ascii=False)
        for _ in range(2)
    ]
    assert runs[0] == runs[1]


def test_unchanged_paragraph_keeps_its_ids_when_others_change(extractor, tmp_path):
    path = tmp_path / "note.md"
    kept = "Reading is a habit. Therefore we should read every day, because habits compound."
    path.write_text(f"First version of the intro.\n\n{kept}\n", encoding="utf-8")
    before = extractor.extract_note(read_note(path))
    path.write_text(f"A rewritten intro, longer than before.\n\nA new paragraph.\n\n{kept}\n", encoding="utf-8")
    after = extractor.extract_note(read_note(path))

    def ids_of(ex):
        pid = next(p.id for p in ex.paragraphs if p.text == kept)
        return pid, [u.id for u in ex.units if u.paragraph_id == pid], sorted(
            r.id for r in ex.relations if r.source.startswith("unit_") and r.target.startswith("unit_")
            and any(u.id == r.source and u.paragraph_id == pid for u in ex.units))

    assert ids_of(before) == ids_of(after)


@pytest.mark.parametrize(
    "text, expected",
    [
        ("Prices went up last year. Therefore people buy less.", ("conclusion", "Therefore people buy less.")),
        ("Цены выросли в прошлом году. Поэтому люди покупают меньше.", ("conclusion", "Поэтому люди покупают меньше.")),
        ("We should walk more, because walking is cheap.", ("premise", "because walking is cheap.")),
        ("Нам нужно больше ходить, потому что ходьба ничего не стоит.", ("premise", "потому что ходьба ничего не стоит.")),
        ("Habits matter. For example, a daily walk changes the mood.", ("example", "For example, a daily walk changes the mood.")),
        ("Привычки важны. Например, ежедневная прогулка меняет настроение.", ("example", "Например, ежедневная прогулка меняет настроение.")),
        ("Memory is a river that carries everything away.", ("metaphor", "Memory is a river that carries everything away.")),
        ("Память — это река, которая всё уносит.", ("metaphor", "Память — это река, которая всё уносит.")),
        ("He talks as if the world were a stage.", ("metaphor", "He talks as if the world were a stage.")),
        ("Он говорит, словно весь мир — театр.", ("metaphor", "Он говорит, словно весь мир — театр.")),
        ("Entropy is defined as a measure of disorder.", ("definition", "Entropy is defined as a measure of disorder.")),
        ("Энтропия определяется как мера беспорядка.", ("definition", "Энтропия определяется как мера беспорядка.")),
        ("Why do we forget? Because we never repeat.", ("question", "Why do we forget?")),
        ("Почему мы забываем? Потому что не повторяем.", ("question", "Почему мы забываем?")),
        ("Just as muscles grow with use, the mind grows with practice.", ("analogy", "Just as muscles grow with use, the mind grows with practice.")),
        ("Так же как мышцы растут от нагрузки, ум растёт от практики.", ("analogy", "Так же как мышцы растут от нагрузки, ум растёт от практики.")),
    ],
)
def test_units_are_typed_from_cues(extractor, text, expected):
    assert expected in types(one(extractor, text))


@pytest.mark.parametrize(
    "text, source, target",
    [
        ("Cities should build bicycle lanes. Critics argue that lanes take space from cars. "
         "But bicycles carry more people per metre of street.",
         "Critics argue that lanes take space from cars.", "Cities should build bicycle lanes."),
        ("Городам нужно строить велодорожки. Критики говорят, что дорожки отнимают место у машин. "
         "Но велосипеды перевозят больше людей на метр улицы.",
         "Критики говорят, что дорожки отнимают место у машин.", "Городам нужно строить велодорожки."),
    ],
)
def test_objection_attacks_the_claim_and_the_reply_attacks_the_objection(extractor, text, source, target):
    found = rels(one(extractor, text))
    assert (source, "attacks", target) in found
    reply = text.split(". ")[-1]
    assert (reply, "attacks", source) in found


@pytest.mark.parametrize(
    "text, reason, claim",
    [
        ("We should read more, because reading trains attention.", "because reading trains attention.", "We should read more,"),
        ("Нам стоит больше читать, потому что чтение тренирует внимание.", "потому что чтение тренирует внимание.", "Нам стоит больше читать,"),
    ],
)
def test_reason_supports_the_clause_it_explains(extractor, text, reason, claim):
    ex = one(extractor, text)
    assert (reason, "supports", claim) in rels(ex)
    assert all(r.family == "support" for r in ex.relations if r.type == "supports")


def test_every_unit_and_relation_records_cue_and_confidence(extractor):
    ex = one(extractor, "We should read more, because reading trains attention. For example, chess players read.")
    for item in ex.units + ex.relations:
        assert isinstance(item.cue, str) and 0 <= item.confidence <= 1
    assert {r.cue for r in ex.relations} >= {"because", "for example"}


def test_concepts_are_merged_by_lemma_across_the_document(extractor):
    ex = one(extractor, "Заметки помогают думать. Хорошая заметка хранит одну мысль.")
    concept = next(c for c in ex.concepts if c.lemma == "заметка")
    assert len(concept.unit_ids) == 2


def test_paragraph_longer_than_the_spacy_limit_is_split_at_sentences():
    ex = RuleExtractor(lang="en", trained=False, max_chars=200)
    text = " ".join(f"Sentence number {i} says that reading helps." for i in range(60))
    out = ex.extract_text(text)
    assert len(out.units) == 60
    paragraphs = {p.id: p for p in out.paragraphs}  # cut after 50 sentences: offsets are each paragraph's own
    for u in out.units:
        assert paragraphs[u.paragraph_id].text[u.start:u.end] == u.text


def test_empty_file_gives_no_units_and_no_error(extractor, tmp_path):
    (tmp_path / "empty.md").write_text("", encoding="utf-8")
    (tmp_path / "code-only.md").write_text("```\nbecause therefore\n```\n", encoding="utf-8")
    report = RunReport()
    out = list(extract_paths([str(tmp_path)], extractor, report))
    assert [len(e.units) for e in out] == [0, 0]
    assert report.errors == []


def test_binary_file_is_reported_and_the_rest_goes_on(extractor, tmp_path):
    (tmp_path / "a.md").write_text("We should rest, because sleep heals.", encoding="utf-8")
    (tmp_path / "b.md").write_bytes(b"\x00\x01\x02binary\x00")
    report = RunReport()
    out = list(extract_paths([str(tmp_path)], extractor, report))
    assert [e.document.source.split("/")[-1] for e in out] == ["a.md"]
    assert len(report.errors) == 1 and "b.md" in report.errors[0]


def test_missing_path_is_a_clear_error(extractor, tmp_path):
    with pytest.raises(InputError, match="no such file"):
        list(extract_paths([str(tmp_path / "nope")], extractor))


def test_other_files_are_skipped_with_a_note(extractor, tmp_path):
    (tmp_path / "image.png").write_bytes(b"\x89PNG")
    report = RunReport()
    assert list(extract_paths([str(tmp_path)], extractor, report)) == []
    assert any("image.png" in n and "skipped" in n for n in report.notes)


@pytest.mark.parametrize("lang", ["en", "ru"])
def test_lang_override_sets_paragraph_language(lang):
    ex = RuleExtractor(lang=lang, trained=False).extract_text("Mixed текст here.")
    assert {p.lang for p in ex.paragraphs} == {lang}
