"""The records of an extraction. Field order is the output order (see
``schemas/extraction.schema.json``)."""

from __future__ import annotations

from dataclasses import asdict, dataclass, field, fields

_FLAT = (str, int, float, bool, type(None))


@dataclass
class Document:
    id: str
    source: str
    title: str
    lang: str
    central: str | None = None  # the unit at the root of the document's argument tree


@dataclass
class Paragraph:
    id: str
    document_id: str
    index: int
    text: str
    section: str
    lang: str
    kind: str = "paragraph"  # paragraph | list | heading | quote | callout | code | table
    callout: str | None = None
    speaker: str | None = None  # chat exports: user | assistant | the callout type
    turn: int | None = None  # chat exports: index of the turn in the document
    timestamp: str | None = None  # chat exports: the turn's time as written
    emphasis: list[int] = field(default_factory=list)  # bold spans as flat [start, end, start, end, ...]


@dataclass
class Unit:
    id: str
    paragraph_id: str
    type: str
    text: str
    start: int
    end: int
    cue: str
    confidence: float
    central: bool = False
    role: str = "pro"  # pro: the author's own view; opp: an opposing voice the author reports
    images: list[int] = field(default_factory=list)  # image words as flat [start, end, ...] in the paragraph


@dataclass
class Relation:
    id: str
    source: str
    target: str
    type: str
    family: str
    cue: str
    confidence: float


@dataclass
class Concept:
    id: str
    label: str
    lemma: str
    unit_ids: list[str] = field(default_factory=list)


@dataclass
class Link:
    source_document: str
    target: str
    alias: str | None


@dataclass
class Extraction:
    """Everything extracted from one document."""

    document: Document
    paragraphs: list[Paragraph] = field(default_factory=list)
    units: list[Unit] = field(default_factory=list)
    relations: list[Relation] = field(default_factory=list)
    concepts: list[Concept] = field(default_factory=list)
    links: list[Link] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)

    SECTIONS = ("documents", "paragraphs", "units", "relations", "concepts", "links")

    def records(self):
        """(section, dict) pairs in output order."""
        yield "documents", _record(self.document)
        for name, items in (
            ("paragraphs", self.paragraphs),
            ("units", self.units),
            ("relations", self.relations),
            ("concepts", self.concepts),
            ("links", self.links),
        ):
            for item in items:
                yield name, _record(item)


def _record(item) -> dict:
    """``asdict(item)`` for records of plain values and lists of them (all of ours), without
    its recursive deep copy (a tenth of the time of extracting a long list to JSON)."""
    out = {}
    for f in fields(item):
        value = getattr(item, f.name)
        if type(value) is list and all(type(x) in _FLAT for x in value):
            value = list(value)
        elif type(value) not in _FLAT:
            return asdict(item)
        out[f.name] = value
    return out
