"""A generated meaning graph for the store and export benchmarks: documents of 4 paragraphs
of 5 units, a unit type drawn at random, every unit after the first of its paragraph
supporting, attacking or illustrating an earlier one (chains of varied depth), and 2 concepts per unit from a
vocabulary of 400."""

from __future__ import annotations

import random

from graphmind import ids
from graphmind.model import Concept, Document, Extraction, Paragraph, Relation, Unit
from graphmind.schema import load_schema

TYPES = ["claim", "premise", "premise", "conclusion", "example", "metaphor", "definition", "question"]
WORDS = [f"concept{k}" for k in range(2000)]



GLYPHS = [chr(0x1F700 + k) for k in range(116)]  # the alchemical symbols block


def corpus(units: int, seed: int = 3, per_par: int = 5, pars_per_doc: int = 4, symbols_every: int = 0) -> list[Extraction]:
    """``symbols_every``: every so many documents, the first sentence declares a glyph
    ("🜁 = the sign of …"), and every seventh document writes one in a sentence (the same
    random draws either way: only texts change)."""
    rnd = random.Random(seed)
    schema = load_schema()
    docs, made, d = [], 0, 0
    while made < units:
        source = f"gen/doc{d:05d}.md"
        doc = Document(ids.document_id(source), source, f"Document {d}", "en")
        ex = Extraction(doc)
        concepts: dict[str, Concept] = {}
        for p in range(pars_per_doc):
            texts = [f"Sentence {d}.{p}.{k} says something about {rnd.choice(WORDS)}." for k in range(per_par)]
            if symbols_every:
                if d % symbols_every == 0 and p == 0:
                    texts[0] = f"{GLYPHS[d // symbols_every % len(GLYPHS)]} = the sign of{texts[0].split('about', 1)[1]}"
                if d % 7 == 3 and p == 1:
                    texts[1] = texts[1][:-1] + f" and of {GLYPHS[d % len(GLYPHS)]}."
            text = " ".join(texts)
            par = Paragraph(ids.paragraph_id(doc.id, text), doc.id, p, text, "", "en")
            ex.paragraphs.append(par)
            offset, punits = 0, []
            for k, t in enumerate(texts):
                u = Unit(ids.unit_id(par.id, offset, offset + len(t)), par.id, rnd.choice(TYPES), t, offset,
                         offset + len(t), "", 0.5, k == 0)
                offset += len(t) + 1
                punits.append(u)
                ex.units.append(u)
                for lemma in rnd.sample(WORDS[:400], 2):
                    cid = ids.concept_id("en", lemma)
                    concepts.setdefault(cid, Concept(cid, lemma, lemma, [])).unit_ids.append(u.id)
            for k, u in enumerate(punits[1:], start=1):
                target = punits[rnd.randrange(k)]  # an earlier unit: chains of varied depth
                rel = rnd.choice(["supports", "supports", "attacks", "illustrates"])
                ex.relations.append(Relation(ids.relation_id(u.id, target.id, rel), u.id, target.id, rel,
                                             schema.relation_type(rel).family, "", 0.5))
            made += per_par
        ex.concepts = list(concepts.values())
        docs.append(ex)
        d += 1
    return docs




def peak_rss_mib() -> float:
    """This process's peak resident memory (VmHWM). Unlike getrusage's ru_maxrss, it is
    not inherited from the parent across exec, so each benchmark process measures itself."""
    with open("/proc/self/status", encoding="ascii") as f:
        for line in f:
            if line.startswith("VmHWM:"):
                return int(line.split()[1]) / 1024
    raise RuntimeError("no VmHWM in /proc/self/status")
