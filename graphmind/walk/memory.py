"""Build the networkx form of a meaning graph straight from extractions, in the same
shape as ``GraphStore.load_graph`` gives (labels, properties, ``rel`` on edges), without a
database: for benchmarks and quick experiments. A test checks that both give the same
dataset."""

from __future__ import annotations

from dataclasses import asdict
from pathlib import Path
from typing import Iterable

import networkx as nx

from ..model import Extraction
from ..read.markdown import link_key
from ..schema import load_schema


def to_networkx(extractions: Iterable[Extraction]) -> nx.MultiDiGraph:
    schema = load_schema()
    rel = {name: r.rel for name, r in schema.relation_types.items()}
    g = nx.MultiDiGraph()
    titles: dict[str, str] = {}
    pending_links = []
    for ex in extractions:
        d = ex.document
        g.add_node(d.id, **asdict(d), labels=["Document"])
        titles[Path(d.source).stem.lower()] = d.id
        titles[d.title.lower()] = d.id
        previous = None
        for p in ex.paragraphs:
            g.add_node(p.id, **asdict(p), source=d.source, labels=["Paragraph"])
            g.add_edge(d.id, p.id, key=rel["has_paragraph"], rel=rel["has_paragraph"])
            if previous:
                g.add_edge(previous, p.id, key=rel["next"], rel=rel["next"])
            previous = p.id
        lang = {p.id: p.lang for p in ex.paragraphs}
        for u in ex.units:
            label = schema.unit_type(u.type).label
            g.add_node(u.id, **asdict(u), document_id=d.id, source=d.source, lang=lang[u.paragraph_id],
                       labels=sorted(["Unit", label]))
            g.add_edge(u.paragraph_id, u.id, key=rel["has_unit"], rel=rel["has_unit"])
        for c in ex.concepts:
            if c.id not in g:
                g.add_node(c.id, id=c.id, label=c.label, lemma=c.lemma, labels=["Concept"])
            for uid in c.unit_ids:
                g.add_edge(uid, c.id, key=rel["mentions"], rel=rel["mentions"])
        for r in ex.relations:
            if r.target in g:
                g.add_edge(r.source, r.target, key=r.id, rel=rel[r.type], id=r.id, type=r.type,
                           family=r.family, cue=r.cue, confidence=r.confidence)
        pending_links.extend((d.id, l.target, l.alias) for l in ex.links)
    for source, target, alias in pending_links:
        key = link_key(target)
        if key in titles and titles[key] != source:
            g.add_edge(source, titles[key], key=rel["links_to"], rel=rel["links_to"], alias=alias)
    return g
