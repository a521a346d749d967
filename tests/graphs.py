"""Hand-built extractions with a known structure, for store and query tests."""

from graphmind import ids
from graphmind.model import Concept, Document, Extraction, Link, Paragraph, Relation, Unit
from graphmind.schema import load_schema


def build(source: str, title: str, paragraphs: list[list[tuple[str, str, bool]]],
          relations: list[tuple[tuple[int, int], tuple[int, int], str]],
          concepts: dict[str, list[tuple[int, int]]] | None = None,
          links: list[tuple[str, str | None]] = (), lang: str = "en") -> Extraction:
    """paragraphs: per paragraph a list of (type, text, central); relations refer to
    (paragraph index, unit index)."""
    schema = load_schema()
    doc = Document(ids.document_id(source), source, title, lang)
    ex = Extraction(doc)
    units: dict[tuple[int, int], Unit] = {}
    for pi, items in enumerate(paragraphs):
        text = " ".join(t for _, t, _ in items)
        par = Paragraph(ids.paragraph_id(doc.id, text), doc.id, pi, text, "Main" if pi else "", lang)
        ex.paragraphs.append(par)
        offset = 0
        for ui, (typ, t, central) in enumerate(items):
            u = Unit(ids.unit_id(par.id, offset, offset + len(t)), par.id, typ, t, offset, offset + len(t),
                     "", 0.5, central)
            units[(pi, ui)] = u
            ex.units.append(u)
            offset += len(t) + 1
    for src, dst, rel in relations:
        a, b = units[src], units[dst]
        ex.relations.append(Relation(ids.relation_id(a.id, b.id, rel), a.id, b.id, rel,
                                     schema.relation_type(rel).family, "", 0.5))
    for lemma, where in (concepts or {}).items():
        ex.concepts.append(Concept(ids.concept_id(lang, lemma), lemma, lemma, [units[w].id for w in where]))
    ex.links = [Link(doc.id, target, alias) for target, alias in links]
    return ex


def debate() -> list[Extraction]:
    """Two linked documents: a claim with support chains, an objection and a reply,
    a metaphor, a definition, a question with an answer, a support cycle, an isolated unit."""
    a = build(
        "notes/reading.md", "Reading",
        [
            [("claim", "We should read every day.", True),
             ("premise", "Reading trains attention.", False),
             ("premise", "Attention is scarce.", False)],
            [("claim", "Critics say reading is slow.", False),
             ("premise", "But slow is the point.", False),
             ("metaphor", "A book is a gym for the mind.", False)],
            [("definition", "Attention is the focus of the mind.", False),
             ("question", "Why read at all?", False),
             ("claim", "Because reading builds the mind.", False),
             ("claim", "Cats sleep a lot.", False)],
        ],
        [((0, 1), (0, 0), "supports"), ((0, 2), (0, 1), "supports"),
         ((1, 0), (0, 0), "attacks"), ((1, 1), (1, 0), "attacks"),
         ((1, 2), (0, 0), "carries"), ((2, 2), (2, 1), "answers")],
        concepts={"attention": [(0, 1), (0, 2), (2, 0)], "mind": [(1, 2), (2, 0), (2, 2)], "read": [(0, 0), (0, 1)]},
        links=[("Writing", "on writing")],
    )
    b = build(
        "notes/writing.md", "Writing",
        [
            [("claim", "Writing clarifies thinking.", True),
             ("premise", "Thinking needs a form.", False),
             ("premise", "A form needs writing.", False)],
        ],
        [((0, 1), (0, 0), "supports"), ((0, 2), (0, 1), "supports"), ((0, 1), (0, 2), "supports")],
        concepts={"attention": [(0, 1)], "mind": [(0, 0)]},
        links=[("Reading", None)],
    )
    for ex in (a, b):  # a definition defines the concept it names
        for u in ex.units:
            if u.type == "definition":
                cid = ids.concept_id("en", "attention")
                ex.relations.append(Relation(ids.relation_id(u.id, cid, "defines"), u.id, cid, "defines",
                                             "structure", "is", 0.6))
    return [a, b]


_SUBJECTS = ["Reading", "A daily walk", "Writing by hand", "Public transport", "A shared calendar", "Open offices",
             "Homework", "Short meetings", "Cities", "Small schools", "Память", "Привычка читать"]
_CLAIMS = ["{s} makes people calmer and more attentive over the years.",
           "{s} should be encouraged by every school.",
           "{s} is overrated.",
           "{s} costs less than it seems once the hidden costs of the alternatives are counted, including the time "
           "people lose, the stress they carry home and the money cities spend on repairs every single year.",
           "{s} — это то, что нужно каждому."]
_REASONS = ["because attention grows with practice", "since studies of {s} show a small but steady effect",
            "as most people already do it without noticing", "because it takes only ten minutes",
            "since the evidence from three countries points the same way and nobody has found a convincing "
            "counterexample in twenty years of trying, despite many attempts by sceptical researchers",
            "потому что это проверено временем"]
_OBJECTIONS = ["But critics say {s} wastes time.", "However, not everyone can afford it.",
               "Some argue that the effect disappears after a month.", "Однако это не всегда так."]
_EXAMPLES = ["For example, a nurse who walks to work arrives less tired.",
             "For instance, one town halved its traffic in a year."]


def argument_corpus(units: int = 200, seed: int = 11) -> list[Extraction]:
    """Documents of varied size (one large) whose paragraphs hold argument trees: a central
    claim, reasons and objections below it (some with reasons of their own), examples,
    metaphors, a question and its answer, a few units with no relation, and relations
    from one paragraph to the central claim of an earlier one. Texts vary from a few
    words to several lines, in English and Russian."""
    import random

    rnd = random.Random(seed)
    sizes, left = [], units
    for want in (90, 40, 25, 15, 10, 8, 6, 6):
        take = min(want, left)
        if take:
            sizes.append(take)
        left -= take
    while left > 0:
        sizes.append(min(6, left))
        left -= min(6, left)
    out = []
    for d, size in enumerate(sizes):
        subject = _SUBJECTS[d % len(_SUBJECTS)]
        paragraphs, relations, made, p = [], [], 0, 0
        while made < size:
            n = min(size - made, rnd.randint(3, 8))
            items = [("claim", rnd.choice(_CLAIMS).format(s=subject), True)]
            rels = []
            for k in range(1, n):
                kind = rnd.random()
                target = rnd.randrange(k) if rnd.random() < 0.4 else 0
                if kind < 0.4:
                    items.append(("premise", rnd.choice(_REASONS).format(s=subject.lower()) + ".", False))
                    rels.append(((p, k), (p, target), "supports"))
                elif kind < 0.6:
                    items.append(("claim", rnd.choice(_OBJECTIONS).format(s=subject.lower()), False))
                    rels.append(((p, k), (p, target), "attacks"))
                elif kind < 0.7:
                    items.append(("example", rnd.choice(_EXAMPLES), False))
                    rels.append(((p, k), (p, target), "illustrates"))
                elif kind < 0.78:
                    items.append(("metaphor", "Attention is a garden that grows whatever we water.", False))
                    rels.append(((p, k), (p, target), "carries"))
                elif kind < 0.86 and k + 1 < n:
                    items.append(("question", f"Why does {subject.lower()} matter at all?", False))
                else:
                    items.append(("claim", f"A remark on {subject.lower()} number {k}.", False))
            for k in range(1, n):  # answers go from the answer to the question
                if items[k][0] == "question" and k + 1 < n:
                    rels = [r for r in rels if r[0] != (p, k + 1)]
                    rels.append(((p, k + 1), (p, k), "answers"))
            if p > 0 and rnd.random() < 0.5:  # a paragraph's claim supports or attacks an earlier one's
                rels.append(((p, 0), (rnd.randrange(p), 0), rnd.choice(["supports", "attacks"])))
            paragraphs.append(items)
            relations.extend(rels)
            made += n
            p += 1
        out.append(build(f"args/doc{d:02d}.md", f"{subject}: an argument", paragraphs, relations,
                         links=[(f"{_SUBJECTS[(d + 1) % len(sizes)]}: an argument", None)] if d % 2 == 0 else []))
    return out


def many(documents: int) -> list[Extraction]:
    """Many small documents (4 paragraphs, a claim and its premise each; concepts shared
    between documents), for tests that need several write transactions."""
    out = []
    for d in range(documents):
        paragraphs = [[("claim", f"Claim {d}.{p} holds.", True), ("premise", f"Because of reason {d}.{p}.", False)]
                      for p in range(4)]
        out.append(build(f"gen/doc{d:04d}.md", f"Document {d}", paragraphs,
                         [((p, 1), (p, 0), "supports") for p in range(4)],
                         concepts={f"topic{d % 7}": [(0, 0), (1, 0)], f"reason{d % 11}": [(2, 1)]}))
    return out


GLYPHS = ["⟁", "🜂", "🫁", "🇺🇦", "🧑\u200d🚀"]  # a math sign, an alchemical symbol, an emoji, a flag, a ZWJ sequence


def symbolic() -> list[Extraction]:
    """Two documents (English and Russian) that declare symbols in prose and use them later:
    ⟁ declared in the first and written in both, 🜂 declared in the second, 🫁, 🇺🇦 and 🧑‍🚀
    declared in English, 🪶 written but never defined, a word symbol «Ось» declared in
    Russian and named later, and a support cycle of three premises about 🧑‍🚀."""
    a = build(
        "notes/ascent.md", "Ascent",
        [
            [("definition", "⟁ = the ascent through a threefold conflict.", True),
             ("premise", "Each conflict breaks an old form.", False)],
            [("claim", "Every crisis is a ⟁ in disguise.", True),
             ("premise", "The old form must fall first.", False)],
            [("definition", "🫁 stands for breath as attention.", True),
             ("claim", "A feather 🪶 falls without a sound.", False)],
            [("definition", "🧑\u200d🚀 stands for the explorer who leaves the map.", True)],
            [("premise", "The 🧑\u200d🚀 leaves the map.", False),
             ("premise", "Leaving the map finds new ground.", False),
             ("premise", "New ground makes the explorer leave again.", False)],
            [("definition", "🇺🇦 = the republic of letters.", True),
             ("claim", "Every reader of 🇺🇦 writes back, and 🫁 keeps the pace.", False)],
        ],
        [((0, 1), (0, 0), "supports"), ((1, 1), (1, 0), "supports"),
         ((4, 0), (4, 1), "supports"), ((4, 1), (4, 2), "supports"), ((4, 2), (4, 0), "supports")],
        concepts={"conflict": [(0, 0), (0, 1)], "form": [(0, 1), (1, 1)], "explorer": [(3, 0), (4, 0), (4, 2)]},
    )
    b = build(
        "notes/fire.md", "Огонь",
        [
            [("definition", "Символ 🜂 — это жар, очищение и катарсис.", True)],
            [("claim", "Спор проходит через ⟁ и 🜂.", True),
             ("premise", "Без распада нет восхождения.", False)],
            [("definition", "Символ «Ось» означает то, что остаётся после распада.", True)],
            [("claim", "Ось держит форму, когда всё рушится.", True)],
        ],
        [((1, 1), (1, 0), "supports")],
        concepts={"распад": [(1, 1), (2, 0)]}, lang="ru",
    )
    return [a, b]
