"""Prompts of the instruction formats (chat, alpaca, dpo): each one a well-posed task whose
answer follows from the prompt alone.

- micro: the paragraph(s) and the two linked spans, named in reading order; the answer puts
  the span the other attaches to first.
- meso: the paragraphs the chain quotes and the claim it leads to, named.
- macro: the text itself: its title and section headings as Markdown headings (the answer's
  ``[THEME]`` lines repeat them), then its paragraphs.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from ..linearize import symbol_text, theme_lines
from ..walk import GraphView, section_of
from .language import ExportLanguage


@dataclass
class Context:
    """What a prompt shows: paragraphs (in reading order, per document), optional headings,
    and the units the task names."""

    paragraphs: list[str]
    headings: bool = False  # macro: title and section headings before the paragraphs
    section: tuple[str, ...] = ()  # macro of a section: its headings
    spans: list[str] = field(default_factory=list)  # micro: the two units, in reading order
    claim: str | None = None  # meso: the unit the chain leads to
    via: str | None = None  # cross-document macro: how the two documents are linked
    symbol: str | None = None  # unfold: the symbol whose scene the answer unfolds
    quotes: list[str] = field(default_factory=list)  # fold: the scene's units, quoted one a line
    glossary: list[str] = field(default_factory=list)  # fold: the symbols to choose from


def paragraphs_of(view: GraphView, units: list[str]) -> list[str]:
    """The paragraphs of ``units`` in reading order."""
    pars = {view.units[u]["paragraph_id"] for u in units if u in view.units}
    return sorted((p for p in pars if p in view.paragraphs), key=_reading(view))


def _reading(view: GraphView):
    def key(p: str) -> tuple:
        par = view.paragraphs.get(p, {})
        doc = view.documents.get(par.get("document_id"), {})
        return (doc.get("source", ""), par.get("index", 0), p)
    return key


def context_blocks(view: GraphView, ctx: Context, lang: ExportLanguage, first_doc: str | None = None) -> list[str]:
    """The text part of a prompt as blocks (joined with blank lines): headings, paragraphs,
    and the named spans or claim."""
    parts: list[str] = []
    if ctx.headings:
        by_doc: dict[str, list[str]] = {}
        for p in ctx.paragraphs:
            by_doc.setdefault(view.paragraphs[p]["document_id"], []).append(p)
        order = sorted(by_doc, key=lambda d: (d != first_doc, view.documents.get(d, {}).get("source", "")))
        for doc in order:
            themes = theme_lines(view, doc, ctx.section if doc == first_doc or len(by_doc) == 1 else ())
            parts.extend("#" * (level + 1) + " " + line for level, line in enumerate(themes))
            shown: tuple[str, ...] = tuple(themes)
            for p in by_doc[doc]:
                path = section_of(view, p)
                if themes and path[:1] != (themes[0],):
                    path = (themes[0],) + path  # headings under a title from the front matter
                changed = False
                for level, heading in enumerate(path):
                    changed = changed or level >= len(shown) or shown[level] != heading
                    if changed and heading not in themes:
                        parts.append("#" * (level + 1) + " " + heading)
                shown = path if path else shown
                if view.paragraphs[p].get("kind") != "heading":  # its heading line is already there
                    parts.append(view.paragraphs[p]["text"])
    else:
        parts.extend(view.paragraphs[p]["text"] for p in ctx.paragraphs)
    if ctx.spans:
        label = lang.labels["span"]
        parts.append("\n".join(f"{label} {k + 1}: {lang.quote(view.text(u))}" for k, u in enumerate(ctx.spans)))
    if ctx.claim:
        parts.append(f"{lang.labels['claim']}: {lang.quote(view.text(ctx.claim))}")
    if ctx.symbol:
        parts.append(f"{lang.labels['symbol']}: {symbol_text(view, ctx.symbol)}")
    if ctx.quotes:
        parts.append(f"{lang.labels['scene']}:\n" + "\n".join(lang.quote(view.text(u)) for u in ctx.quotes))
    if ctx.glossary:
        parts.append(f"{lang.labels['symbols']}:\n" + "\n".join(symbol_text(view, s) for s in ctx.glossary))
    return parts


def render_context(view: GraphView, ctx: Context, lang: ExportLanguage, first_doc: str | None = None) -> str:
    """The text part of a prompt."""
    return "\n\n".join(context_blocks(view, ctx, lang, first_doc))
