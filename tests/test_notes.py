"""Real notes, read as their author wrote them: chat exports (.txt and .md), outlines, essays,
plain notes (tests/fixtures/notes, written for the project; tests/fixtures/notes-expected.md
says what a correct reader makes of each)."""

import re
from pathlib import Path

import pytest

from graphmind.extract.rules import RuleExtractor, extract_paths
from graphmind.read import read_note
from graphmind.read.markdown import parse_markdown

NOTES = Path(__file__).resolve().parent / "fixtures" / "notes"
EXPECTED = Path(__file__).resolve().parent / "fixtures" / "notes-expected.md"

FILES = {  # file: (read as, title, speakers of the turns, blocks, headings)
    "ru-chat-sleep.txt": ("markdown", "Зачем мозгу сон", "UAUAUA", 25, 6),
    "ru-chat-symbols.md": ("markdown", "Символы и метафоры в мышлении", "UAUAUAU", 30, 10),
    "en-chat-focus.txt": ("markdown", "Attention is a budget, not a muscle", "UAUAUA", 25, 7),
    "en-chat-tokens.md": ("markdown", "How a language model reads a sentence", "UAUAUA", 23, 6),
    "ru-outline.md": ("markdown", "Как языковая модель читает текст", "", 18, 8),
    "en-outline.md": ("markdown", "Learning a language as an adult", "", 15, 6),
    "ru-essay.md": ("markdown", 'Память "в долг"', "", 6, 0),
    "en-essay.md": ("markdown", "A note archive is a workshop, not a warehouse", "", 7, 1),
    "001_9670482e435a26bd.md": ("markdown", "Почему я забываю прочитанную книгу через неделю?", "UAUAUA", 13, 0),
    "ru-notes-plain.txt": ("text", "ru-notes-plain", "", 8, 0),
    "en-notes-mixed.txt": ("markdown", "Notes on code review", "", 15, 6),
}
MARKUP = ["**", "__", "[[", "]]", "](", "[^", "[!", "<!--", "-->", "UID:", "nexus_", "```", "==", "|"]


def note(name):
    return read_note(NOTES / name)


@pytest.mark.parametrize("name", FILES)
def test_each_note_is_read_in_its_form(name):
    fmt, title, speakers, blocks, headings = FILES[name]
    n = note(name)
    assert n.input_format == fmt
    assert n.title == title
    assert len(n.blocks) == blocks
    assert sum(b.kind == "heading" for b in n.blocks) == headings


@pytest.mark.parametrize("name", [n for n, v in FILES.items() if v[2]])
def test_chat_turns_keep_their_speakers_and_times(name):
    n = note(name)
    turns = {}
    for b in n.blocks:
        if b.turn is not None:
            turns.setdefault(b.turn, (b.speaker, b.timestamp))
    assert "".join(s[0].upper() for s, _ in turns.values()) == FILES[name][2]
    assert all(re.fullmatch(r"\d{4}-\d\d-\d\dT\d\d:\d\d", t) for _, t in turns.values())


@pytest.mark.parametrize("name", FILES)
def test_no_paragraph_holds_markup(name):
    for b in note(name).blocks:
        for mark in MARKUP:
            assert mark not in b.text, (mark, b.text)
        if FILES[name][0] == "markdown":
            assert not re.search(r"^(?:>|#{1,6} |[-*] |\d+\. )", b.text, re.M), b.text


def _expected_blocks():
    text = EXPECTED.read_text(encoding="utf-8")
    out = {}
    for section in re.split(r"^## ", text, flags=re.M)[1:]:
        name = section.split("\n", 1)[0].strip()
        fence = re.search(r"```text\n(.*?)```", section, re.S)
        if not fence:
            continue
        blocks = []
        for line in fence.group(1).split("\n"):
            m = re.match(r"^\[\d+\] (\w+)[^|]*\| [^|]* \|\s?(.*)$", line)
            if m:
                blocks.append([m.group(1), m.group(2)])
            elif line.startswith("    ") and blocks:  # a nested list item keeps its indentation
                blocks[-1][1] = (blocks[-1][1] + "\n" if blocks[-1][1] else "") + line[4:].rstrip()
        out[name] = blocks
    return out


def _plain(kind, text):
    """Decoration a test may ignore: a heading's leading emoji and section number, a ✔️ bullet."""
    if kind == "heading":
        text = re.sub(r"^[^\w«\"'(]+\s*", "", text)
        text = re.sub(r"^(?:\d+\.)+\d*\s+", "", text)
    return "\n".join(re.sub(r"^( *)✔️\s*", r"\1", line) for line in text.split("\n")).strip()


@pytest.mark.parametrize("name", FILES)
def test_blocks_are_what_the_author_wrote(name):
    expected = [(k, _plain(k, t)) for k, t in _expected_blocks()[name]]
    got = [(b.kind, _plain(b.kind, b.text)) for b in note(name).blocks]
    assert got == expected


def test_bold_is_kept_as_spans_even_across_a_lazy_line():
    n = note("ru-chat-sleep.txt")
    block = next(b for b in n.blocks if b.text.startswith("Главное:"))
    spans = [block.text[a:b] for a, b in zip(block.emphasis[0::2], block.emphasis[1::2])]
    assert spans == ["сон не выключает мозг, а переключает его в режим сортировки."]


def test_what_is_left_out_is_counted():
    counts = {}
    for name in FILES:
        for what, k in note(name).skipped.items():
            counts[what] = counts.get(what, 0) + k
    assert counts == {"code blocks (code, not prose)": 3, "lines holding only links or tags": 4}


def test_a_txt_file_of_markdown_says_so_and_can_be_read_as_text():
    n = note("en-chat-focus.txt")
    assert any("read as Markdown" in x for x in n.notes)
    plain = read_note(NOTES / "en-chat-focus.txt", "text")
    assert plain.input_format == "text" and any("[!nexus_user]" in b.text for b in plain.blocks)


def test_a_title_never_is_a_file_id():
    assert note("001_9670482e435a26bd.md").title.startswith("Почему я забываю")


@pytest.mark.parametrize("text, expected", [
    ("Title\n=====\n\nBody text here.", ["Title", "Body text here."]),
    ("See [[148_делая_этот_раздел]] and `snake_case_name` now.", ["See 148_делая_этот_раздел and snake_case_name now."]),
    ("A claim[^1] with a note[3].\n\n[^1]: The note itself.", ["A claim with a note.", "The note itself."]),
    ("Open [the link](https://example.org/a_(b)) now.", ["Open the link now."]),
    ("Before <script>alert(1)</script> after.", ["Before after."]),
    ("Она может:\n- понимать\n- писать", ["Она может:\nпонимать\nписать"]),
    ("Line one\n✔️ first\n✔️ second", ["Line one", "first\nsecond"]),
])
def test_inline_and_block_markup(text, expected):
    assert [b.text for b in parse_markdown(text).blocks] == expected


def test_deep_nesting_does_not_recurse():
    text = ">" * 5000 + " deep text here.\n\nAfter it."
    blocks = parse_markdown(text).blocks
    assert [b.text for b in blocks] == ["deep text here.", "After it."]


# -- one argument tree per document ----------------------------------------------------------
@pytest.fixture(scope="module")
def extracted():
    return {Path(ex.document.source).name: ex for ex in extract_paths([str(NOTES)], RuleExtractor(trained=False))}


def _components(ex):
    """Connected groups of units over the argument relations (direction aside)."""
    import networkx as nx

    g = nx.Graph()
    g.add_nodes_from(u.id for u in ex.units)
    g.add_edges_from((r.source, r.target) for r in ex.relations if r.type != "defines")
    return g


@pytest.mark.parametrize("name", FILES)
def test_a_document_is_one_tree(extracted, name):
    ex = extracted[name]
    import networkx as nx

    assert ex.document.central in {u.id for u in ex.units}
    assert nx.is_tree(_components(ex))


@pytest.mark.parametrize("name", [n for n, v in FILES.items() if v[2]])
def test_each_assistant_turn_answers_the_user_turn_before_it(extracted, name):
    ex = extracted[name]
    par = {p.id: p for p in ex.paragraphs}
    unit = {u.id: u for u in ex.units}
    answered = set()
    for r in ex.relations:
        if r.type == "answers" and r.cue == "chat turn":
            a, q = par[unit[r.source].paragraph_id], par[unit[r.target].paragraph_id]
            assert a.speaker == "assistant" and q.speaker == "user" and a.turn == q.turn + 1
            answered.add(a.turn)
    assistant_turns = {p.turn for p in ex.paragraphs if p.speaker == "assistant" and any(
        u.paragraph_id == p.id for u in ex.units)}
    assert answered == assistant_turns


def test_a_fenced_example_illustrates_its_lead_in(extracted):
    ex = extracted["ru-chat-sleep.txt"]
    unit = {u.id: u for u in ex.units}
    par = {p.id: p for p in ex.paragraphs}
    code = [u for u in ex.units if par[u.paragraph_id].kind == "code"]
    assert code
    for u in code:
        rel = next(r for r in ex.relations if r.source == u.id)
        assert rel.type == "illustrates"
        assert par[unit[rel.target].paragraph_id].text.startswith("Это видно на простом опыте.")


def test_relations_cross_paragraphs(extracted):
    cross = sum(1 for ex in extracted.values() for r in ex.relations
                if r.type != "defines" and {u.id: u.paragraph_id for u in ex.units}.get(r.source)
                != {u.id: u.paragraph_id for u in ex.units}.get(r.target))
    assert cross > 0


OBJECTIONS = "# Reading\n\nWe should read every day, because reading trains attention.\n\n## {heading}\n\n{paragraph}\n"


def _section_note(tmp_path, heading, paragraph, lang):
    """The extraction of a note with a claim and then ``paragraph`` under ``heading``."""
    path = tmp_path / "reading.md"
    path.write_text(OBJECTIONS.format(heading=heading, paragraph=paragraph), encoding="utf-8")
    [ex] = extract_paths([path], RuleExtractor(lang=lang))
    return ex


def _objection_section(tmp_path, heading, paragraph, lang):
    ex = _section_note(tmp_path, heading, paragraph, lang)
    last = max(p.index for p in ex.paragraphs)
    pid = next(p.id for p in ex.paragraphs if p.index == last)
    units = [u for u in ex.units if u.paragraph_id == pid]
    by_id = {u.id: u for u in ex.units}
    out = [r for r in ex.relations if r.source in {u.id for u in units} and by_id[r.target].paragraph_id != pid]
    return units, out


@pytest.mark.parametrize("lang, heading, paragraph", [
    ("en", "Objections", "It is true that reading takes time. However, ten pages take a quarter of an hour, "
                         "so the cost is small."),
    ("ru", "Возражения", "Конечно, чтение отнимает время. Однако десять страниц занимают четверть часа, "
                         "поэтому цена невелика."),
])
def test_an_objection_answered_in_its_own_paragraph_is_the_authors_side(tmp_path, lang, heading, paragraph):
    units, outgoing = _objection_section(tmp_path, heading, paragraph, lang)
    conceded = next(u for u in units if u.text.startswith(("It is true", "Конечно")))
    answer = next(u for u in units if u.text.startswith(("However", "Однако")))
    assert (conceded.role, answer.role) == ("opp", "pro")
    assert outgoing and all(r.type != "attacks" for r in outgoing)


@pytest.mark.parametrize("lang, heading, paragraph", [
    ("en", "Objections", "Busy people have no hour to spare for books."),
    ("ru", "Возражения", "У занятых людей нет лишнего часа на книги."),
])
def test_a_paragraph_under_an_objection_heading_attacks_and_voices_the_opponent(tmp_path, lang, heading, paragraph):
    units, outgoing = _objection_section(tmp_path, heading, paragraph, lang)
    assert [r.type for r in outgoing] == ["attacks"]
    assert {u.role for u in units} == {"opp"}


@pytest.mark.parametrize("lang, heading, unit", [
    ("en", "How a language model reads a sentence", None),  # a topic
    ("en", "Why do models split words?", "Why do models split words?"),  # it asks
    ("en", "Models read tokens, not words", "Models read tokens, not words"),  # it states
    ("ru", "Как языковая модель читает текст", None),
    ("ru", "Почему модель делит слова?", "Почему модель делит слова?"),
    ("ru", "Модель читает токены, а не слова", "Модель читает токены, а не слова"),
])
def test_a_heading_that_names_a_topic_is_no_unit(tmp_path, lang, heading, unit):
    path = tmp_path / "note.md"
    path.write_text(f"# {heading}\n\nThe text of the note follows here, one sentence.\n", encoding="utf-8")
    [ex] = extract_paths([path], RuleExtractor(lang=lang))
    head = next(p for p in ex.paragraphs if p.kind == "heading")
    assert [u.text for u in ex.units if u.paragraph_id == head.id] == ([unit] if unit else [])


@pytest.mark.parametrize("lang, heading, objection, answer", [
    ("en", "Objection", "Busy people have no hour to spare for books.",
     "That is true, but only of a whole hour. Ten pages on the train take a quarter of one."),
    ("ru", "Возражение", "У занятых людей нет лишнего часа на книги.",
     "Это правда, но только про целый час. Десять страниц в метро занимают четверть часа."),
])
def test_the_authors_answer_after_an_objection_attacks_it_on_the_authors_side(tmp_path, lang, heading, objection, answer):
    ex = _section_note(tmp_path, heading, f"{objection}\n\n{answer}", lang)
    by_par = {p.text: p.id for p in ex.paragraphs}
    unit = {u.id: u for u in ex.units}
    objecting = [u for u in ex.units if u.paragraph_id == by_par[objection]]
    answering = [u for u in ex.units if u.paragraph_id == by_par[answer]]
    assert {u.role for u in objecting} == {"opp"} and {u.role for u in answering} == {"pro"}
    outgoing = [r for r in ex.relations if unit[r.source].paragraph_id == by_par[answer]
                and r.target in unit and unit[r.target].paragraph_id != by_par[answer]]
    assert [r.type for r in outgoing] == ["attacks"] and unit[outgoing[0].target].paragraph_id == by_par[objection]


@pytest.mark.parametrize("lang, heading, questions, closing", [
    ("en", "Open questions", "Does the habit survive a busy month? Would audiobooks count?",
     "Next step: keep a log for four weeks and compare."),
    ("ru", "Открытые вопросы", "Выдержит ли привычка трудный месяц? Считаются ли аудиокниги?",
     "Следующий шаг — вести журнал четыре недели и сравнить."),
])
def test_open_questions_are_left_open(tmp_path, lang, heading, questions, closing):
    ex = _section_note(tmp_path, heading, f"{questions}\n\n{closing}", lang)
    par = {p.id: p.text for p in ex.paragraphs}
    unit = {u.id: u for u in ex.units}
    across = [(par[unit[r.source].paragraph_id], r.type, par[unit[r.target].paragraph_id]) for r in ex.relations
              if r.target in unit and unit[r.source].paragraph_id != unit[r.target].paragraph_id]
    assert not [r for r in ex.relations if r.type == "answers"]
    assert (questions, "follows", OBJECTIONS.splitlines()[2]) in across
    assert (closing, "follows", questions) in across


@pytest.mark.parametrize("lang, question, answer", [
    ("en", "Why do people keep paper notebooks when phones exist?",
     "Paper never runs out of battery, and writing by hand slows thinking down to a useful pace."),
    ("ru", "Зачем люди ведут бумажные блокноты, если есть телефоны?",
     "Бумага не разряжается, а письмо от руки замедляет мысль до полезного темпа."),
])
def test_a_paragraph_answers_the_question_asked_before_it_never_the_other_way(lang, question, answer):
    ex = RuleExtractor(lang=lang)
    forward = ex.extract_text(f"{question}\n\n{answer}")
    after = ex.extract_text(f"{answer}\n\n{question}")
    for extraction, answered in ((forward, True), (after, False)):
        text = {u.id: u.text for u in extraction.units}
        answers = [(text[r.source], text[r.target]) for r in extraction.relations if r.type == "answers"]
        if answered:
            assert len(answers) == 1 and answers[0][1] == question and answer.startswith(answers[0][0])
        else:
            assert answers == []  # what came before a question does not answer it


CHAT = (">[!nexus_user] **User** - 21.03.2025 at 09:14\n> {user}\n\n"
        ">[!nexus_agent] **Assistant** - 21.03.2025 at 09:15\n> {answer}\n")


@pytest.mark.parametrize("lang, user, question, answer", [
    ("en", "How do I protect a block of time? I work in an open office.", "How do I protect a block of time?",
     "Book a meeting room for ninety minutes and leave the phone at your desk."),
    ("ru", "Как защитить время для работы? Я сижу в открытом офисе.", "Как защитить время для работы?",
     "Забронируйте переговорную на полтора часа и оставьте телефон на столе."),
])
def test_a_users_turn_asks_even_when_its_context_comes_after_the_question(tmp_path, lang, user, question, answer):
    path = tmp_path / "chat.md"
    path.write_text(CHAT.format(user=user, answer=answer), encoding="utf-8")
    [ex] = extract_paths([path], RuleExtractor(lang=lang))
    central = {u.text for u in ex.units if u.central}
    assert question in central
    text = {u.id: u.text for u in ex.units}
    answered = {text[r.target] for r in ex.relations if r.type == "answers"}
    assert answered == {question}  # the assistant's turn answers the question, not the context


def test_a_users_stated_view_stays_central_after_a_question(tmp_path):
    path = tmp_path / "chat.md"
    path.write_text(CHAT.format(user="What is a metaphor, then? I think metaphors only get in the way of thinking.",
                                answer="Metaphors are how we understand new things through old ones."), encoding="utf-8")
    [ex] = extract_paths([path], RuleExtractor(lang="en"))
    assert "I think metaphors only get in the way of thinking." in {u.text for u in ex.units if u.central}


@pytest.mark.parametrize("lang, user, granted", [
    ("en", "OK, fair enough. How do I work out when to go to bed if I get up at seven?", "OK, fair enough."),
    ("ru", "Хорошо, допустим. Как посчитать, во сколько ложиться, если вставать в семь?", "Хорошо, допустим."),
])
def test_what_leads_up_to_a_users_own_question_does_not_attack_it(tmp_path, lang, user, granted):
    path = tmp_path / "chat.md"
    path.write_text(CHAT.format(user=user, answer="Count back in cycles of ninety minutes."), encoding="utf-8")
    [ex] = extract_paths([path], RuleExtractor(lang=lang))
    unit = {u.id: u for u in ex.units}
    out = [r for r in ex.relations if unit[r.source].text == granted]
    assert out and all(r.type != "attacks" for r in out) and unit[out[0].source].role == "pro"


@pytest.mark.parametrize("lang, note, objection", [
    ("en", "# Multitasking\n\n## Objection\n\nHeavy multitaskers practise switching every day, so they should be the best "
           "at it.\n\n## Example\n\nThe reply takes two minutes. Getting back into the report takes fifteen.\n\n"
           "Therefore what improves with practice is comfort with switching, not skill at it.\n",
     "so they should be the best at it."),
    ("ru", "# Многозадачность\n\n## Возражение\n\nКто переключается каждый день, тот и делает это лучше всех.\n\n"
           "## Пример\n\nОтвет на письмо занимает две минуты. Вернуться к отчёту стоит пятнадцати.\n\n"
           "Поэтому с практикой растёт привычка к переключению, а не умение.\n",
     "Кто переключается каждый день, тот и делает это лучше всех."),
])
def test_an_objection_section_is_not_the_point_of_its_document(tmp_path, lang, note, objection):
    path = tmp_path / "note.md"
    path.write_text(note, encoding="utf-8")
    [ex] = extract_paths([path], RuleExtractor(lang=lang))
    unit = {u.id: u for u in ex.units}
    out = [r.type for r in ex.relations if unit[r.source].text == objection and r.target in unit
           and unit[r.target].paragraph_id != unit[r.source].paragraph_id]
    assert out == ["attacks"]  # it attacks the point instead of being it
