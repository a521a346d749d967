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
