"""A generated corpus of argumentative notes, written as Markdown files, for the export
quality benchmark. Everything comes from text the project owns: the paragraphs of
``examples/`` and sentences built from the word lists below and the abstract and concrete
nouns of ``graphmind/lang`` (claims, reasons, objections, concessions and their answers,
examples, metaphors, questions), in English and Russian.

The notes vary the way real ones do: a title in the front matter, a heading, or only a file
name that is an id (chat exports); sections; lists; chat callouts with speakers.
"""

from __future__ import annotations

import random
import re
from pathlib import Path

from graphmind.lang import en as en_data
from graphmind.lang import ru as ru_data

ROOT = Path(__file__).resolve().parent.parent

EN = {
    "subj": ["the city", "our school", "every writer", "the government", "a good teacher", "the reader",
             "the new law", "public transport", "a healthy diet", "the internet", "a daily walk", "science",
             "a small library", "remote work", "the local council", "a shared calendar"],
    "verb": ["changes", "improves", "damages", "needs", "supports", "ignores", "shapes", "costs", "protects",
             "explains", "reduces", "creates"],
    "obj": ["the way we learn", "our daily habits", "public health", "the quality of work", "local business",
            "the cost of living", "young people", "long-term planning", "trust in experts", "free time",
            "the noise in the streets", "the time we spend reading"],
    "act": ["invest in it", "measure it every year", "protect it", "start small", "ask the people it affects",
            "keep it simple", "write it down", "fund it properly"],
}
RU = {
    "subj": ["город", "наша школа", "каждый писатель", "правительство", "хороший учитель", "многие читатели",
             "новый закон", "общественный транспорт", "здоровое питание", "интернет", "ежедневная прогулка",
             "наука", "маленькая библиотека", "удалённая работа"],
    "verb": ["меняет", "улучшает", "разрушает", "требует", "поддерживает", "игнорирует", "формирует",
             "защищает", "объясняет", "сокращает", "создаёт"],
    "obj": ["способ учиться", "наши привычки", "общественное здоровье", "качество работы", "местный бизнес",
            "стоимость жизни", "молодых людей", "долгосрочное планирование", "доверие к экспертам",
            "свободное время"],
    "act": ["вкладываться в это", "измерять это каждый год", "защищать это", "начинать с малого",
            "спрашивать тех, кого это касается", "записывать это", "финансировать это как следует"],
}


def _cap(s: str) -> str:
    return s[:1].upper() + s[1:]


def _en_paragraph(rnd: random.Random) -> str:
    w = EN
    s = lambda: f"{rnd.choice(w['subj'])} {rnd.choice(w['verb'])} {rnd.choice(w['obj'])}"  # noqa: E731
    abstract, concrete = rnd.choice(en_data.ABSTRACT_NOUNS), rnd.choice(en_data.CONCRETE_NOUNS)
    patterns = [
        lambda: f"{_cap(s())}. Therefore we should {rnd.choice(w['act'])}, because {s()}. "
                f"For example, {s()} in our town.",
        lambda: f"Some people say that {s()}. But {s()}, so {s()}.",
        lambda: f"Critics argue that {s()}. However, {s()}, and {s()}.",
        lambda: f"Of course, {s()}. But {s()}, so we should {rnd.choice(w['act'])}.",
        lambda: f"It is true that {s()}. However, {s()}, so the argument against it is weaker than it looks.",
        lambda: f"{_cap(abstract)} is a {concrete} that {rnd.choice(w['verb'])} {rnd.choice(w['obj'])}. "
                f"Therefore we should {rnd.choice(w['act'])}, because {s()}.",
        lambda: f"Why is it that {s()}? Because {s()}. Thus we should {rnd.choice(w['act'])}.",
        lambda: f"{_cap(s())}, since {s()}. Moreover, {s()}. In conclusion, we should {rnd.choice(w['act'])}.",
        lambda: f"Just as a {concrete} needs care, {abstract} needs attention. So {s()}.",
    ]
    return rnd.choice(patterns)()


def _ru_paragraph(rnd: random.Random) -> str:
    w = RU
    s = lambda: f"{rnd.choice(w['subj'])} {rnd.choice(w['verb'])} {rnd.choice(w['obj'])}"  # noqa: E731
    abstract, concrete = rnd.choice(ru_data.ABSTRACT_NOUNS), rnd.choice(ru_data.CONCRETE_NOUNS)
    patterns = [
        lambda: f"{_cap(s())}. Поэтому нужно {rnd.choice(w['act'])}, ведь {s()}. Например, {s()} в нашем районе.",
        lambda: f"Некоторые считают, что {s()}. Однако {s()}, поэтому {s()}.",
        lambda: f"Конечно, {s()}. Но {s()}, поэтому нужно {rnd.choice(w['act'])}.",
        lambda: f"Хотя {s()}, {s()}. Например, {s()}.",
        lambda: f"{_cap(abstract)} — это {concrete}, который {rnd.choice(w['verb'])} {rnd.choice(w['obj'])}. "
                f"Поэтому нужно {rnd.choice(w['act'])}, потому что {s()}.",
        lambda: f"Почему {s()}? Потому что {s()}. Итак, нужно {rnd.choice(w['act'])}.",
        lambda: f"{_cap(s())}, так как {s()}. Кроме того, {s()}. В итоге нужно {rnd.choice(w['act'])}.",
    ]
    return rnd.choice(patterns)()


def _example_paragraphs() -> dict[str, list[str]]:
    """The prose paragraphs of examples/ (front matter, comments, headings and links left out)."""
    out: dict[str, list[str]] = {"en": [], "ru": []}
    for path in sorted((ROOT / "examples").rglob("*")):
        if path.suffix not in (".md", ".txt"):
            continue
        text = re.sub(r"(?s)^---.*?---\n|<!--.*?-->", "", path.read_text(encoding="utf-8"))
        for block in re.split(r"\n\s*\n", text):
            block = block.strip()
            if not block or block.startswith(("#", ">", "See ", "См.", "Смотрите")) or "[[" in block:
                continue
            out["ru" if re.search("[а-яё]", block, re.I) else "en"].append(block)
    return out


def make_notes(folder: str | Path, n: int = 1000, seed: int = 11) -> list[Path]:
    """Write ``n`` notes into ``folder``; returns their paths."""
    rnd = random.Random(seed)
    folder = Path(folder)
    folder.mkdir(parents=True, exist_ok=True)
    borrowed = _example_paragraphs()
    paths = []
    for k in range(n):
        lang = "ru" if rnd.random() < 0.3 else "en"
        make = _ru_paragraph if lang == "ru" else _en_paragraph
        paras = [make(rnd) for _ in range(rnd.randint(3, 8))]
        if rnd.random() < 0.15 and borrowed[lang]:
            paras.insert(rnd.randrange(len(paras) + 1), rnd.choice(borrowed[lang]))
        kind = rnd.random()
        title = f"{_cap(rnd.choice(EN['obj'] if lang == 'en' else RU['obj']))} {k}"
        if kind < 0.15:  # a chat export: an id for a file name, no title, callouts with speakers
            name = f"{k:03d}_{rnd.getrandbits(64):016x}.md"
            body = []
            for j, p in enumerate(paras):
                who = "nexus_user" if j % 2 == 0 else "nexus_agent"
                label = "User" if j % 2 == 0 else "Assistant"
                body.append(f">[!{who}] **{label}** - 14.05.2026 21:{j:02d}\n> {p}")
            text = "\n\n".join(body) + "\n"
        else:
            name = f"note-{k:04d}.md"
            head = f"---\ntitle: {title}\n---\n\n" if kind < 0.5 else f"# {title}\n\n"
            parts = []
            for j, p in enumerate(paras):
                if j and j % 3 == 0 and rnd.random() < 0.6:
                    parts.append(f"## {_cap(rnd.choice(EN['obj'] if lang == 'en' else RU['obj']))}")
                parts.append(f"- {p}" if rnd.random() < 0.1 else p)
            text = head + "\n\n".join(parts) + "\n"
        path = folder / name
        path.write_text(text, encoding="utf-8")
        paths.append(path)
    return paths
