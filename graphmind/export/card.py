"""The dataset card (``README.md`` beside the data): what is in the dataset, what was left
out and why, and how to load it. Every figure comes from ``stats.json``."""

from __future__ import annotations

from ..schema import load_schema

LEVELS = ("micro", "meso", "macro")

FORMAT_FIELDS = {
    "text": '`{"text"}`: the layers (pretraining), a micro example first giving in a `[SOURCE]` line the '
            'sentence of a clause it quotes; with `--unpacked` the source paragraphs first',
    "chat": '`{"messages": [system, user, assistant]}`: the user message holds the instruction and the text, '
            "the assistant message the layers",
    "alpaca": '`{"instruction", "input", "output"}`: the input holds the text, the output the layers',
    "dpo": '`{"prompt": [system, user], "chosen": [assistant], "rejected": [assistant]}` (the conversational '
           "preference form TRL's `DPOTrainer` reads): the rejected answer reads a perturbed graph",
}

LEVELS_TEXT = ("micro (one relation and its two units), meso (a reasoning chain to its claim, or a seeded "
               "random walk), macro (a whole document or section, or two linked documents; split into pieces "
               "that repeat the theme and anchor when over budget)")
LEVELS_TASKS = ("micro (the prompt names two spans; the answer says which attaches to which, and how), meso "
                "(the prompt names a claim; the answer unpacks the reasoning that leads to it), macro (the prompt "
                "is a document, a section or a window of its paragraphs under their headings; the answer "
                "unpacks its structure)")

LOAD = {
    "text": "",
    "chat": "",
    "alpaca": "",
    "dpo": """
The `prompt`, `chosen` and `rejected` columns are in the conversational preference form of
TRL's `DPOTrainer`; the other columns can go with `ds.remove_columns(["level", "id", "meta"])`.
""",
}


def _table(s: dict) -> str:
    rows = []
    for lvl in LEVELS:
        if lvl not in s["levels"] or (lvl == "micro" and s["format"] == "dpo"):
            continue
        dropped = s["dropped"].get(lvl, {})
        why = ", ".join(f"{reason.replace('_', ' ')}: {n}" for reason, n in
                        sorted(dropped.items(), key=lambda kv: (-kv[1], kv[0]))) or "none"
        rows.append(f"| {lvl} | {s['examples']['train'].get(lvl, 0)} | {s['examples']['val'].get(lvl, 0)} | "
                    f"{s['max_tokens'][lvl]} | {s['token_length_max'].get(lvl, 0)} | {why} |")
    return "\n".join(rows)


def _markers() -> str:
    schema = load_schema()
    lines = [f"- `[{schema.markers[name]}]`: {schema.marker_descriptions.get(name, '')}" for name in schema.markers]
    lines += [f"- `[{u.marker}]`: {u.description}" for u in schema.unit_types.values()]
    return "\n".join(lines)


def dataset_card(dataset) -> str:
    s = dataset.stats
    f = s["filters"]
    extractor = s["extractor"]
    units_by = ", ".join(f"{name}: {n} units" for name, n in extractor.get("units", {}).items()) or "no units"
    built = extractor.get("name")
    model = extractor.get("model")
    prompt = extractor.get("prompt_version")
    details = ", ".join(x for x in (f"model `{model}`" if model else "", f"prompts `{prompt}`" if prompt else "") if x)
    extractor_line = (f"this run `{built}`" + (f" ({details})" if details else "") + "; " if built else "")
    extractor_line += f"the stored units: {units_by}"
    languages = ", ".join(f"{k}: {n}" for k, n in s["languages"].items()) or "none"
    sources = s["sources"]
    shown = ", ".join(f"`{x}`" for x in sources[:12]) + (f" and {len(sources) - 12} more (all in `stats.json`)"
                                                        if len(sources) > 12 else "")
    near = f["near_duplicates"]
    seen = {reason for lvl in LEVELS for reason in s["dropped"].get(lvl, {})}
    reasons = "\n".join(f"- {k.replace('_', ' ')}: {v}" for k, v in s["dropped_reasons"].items() if k in seen) or "- none"
    micro_share = (f"{100 * s['micro_per_relation']:.0f} % ({s['kept'].get('micro', 0)} micro examples for "
                   f"{s['relations']} argument relations)" if s["micro_per_relation"] is not None else "no relations")
    micro_line = (f"Micro level kept: {micro_share}." if s["micro_per_relation"] is not None else
                  "Micro examples are not paired (dpo pairs meso and macro examples)." if s["format"] == "dpo" else
                  "")
    levels_line = LEVELS_TEXT if s["format"] == "text" else LEVELS_TASKS
    contamination = ""
    if s.get("contamination"):
        contamination = "\n## Overlap with other texts (13-grams)\n\n" + "\n".join(
            f"- `{path}`: {c['examples']} of {c['of']} examples share at least one word 13-gram with it "
            f"({c['shared_13grams']} distinct 13-grams); their ids are in `stats.json`"
            for path, c in s["contamination"].items()) + "\n"
    dpo = ""
    if s["format"] == "dpo":
        dpo = (f"\nPreference pairs: {s.get('dpo_pairs', 0)} (perturbations: "
               + ", ".join(f"{k} {n}" for k, n in s.get("perturbations", {}).items()) + ").\n")
    warnings = "".join(f"\n> **{w}**\n" for w in dataset.warnings)
    return f"""# GraphMind dataset

Linearized walks over a meaning graph built by GraphMind from the source notes: each example
quotes units of the source text verbatim and marks their roles and relations.
{warnings}
## What is in it

- format: `{s['format']}`: {FORMAT_FIELDS[s['format']]}. Every line of `train.jsonl` and
  `val.jsonl` is one JSON object, also with `level`, `id` and `meta` (kind of walk, language,
  documents, paragraph ids; each unit's id, type, role, cue, character offsets and, in chat
  exports, speaker; each relation's type, cue and confidence; the lowest confidence).
- levels: {levels_line}
- languages (examples): {languages}
- tokenizer `{s['tokenizer']}`; budgets count {s['budget_counts']}; seed {s['seed']}; order `{s['order']}`
- split by document: {s['documents']['train']} train, {s['documents']['val']} validation documents
  (no document's units in both)

| level | train | val | budget (tokens) | longest | left out, and why |
|---|---|---|---|---|---|
{_table(s)}

{micro_line}
{dpo}
## Markers

Indentation shows what attaches to what; `(relation)` says how a line attaches to the line
above it (`(supports)`: this line supports the one above; in random walks `(supported by)`:
the line above supports this one).

{_markers()}

Roles (`pro`, the author's own view; `opp`, an opposing voice) are the stored ones in
{s['roles']['documents_with_stored_roles']} document(s) and derived from the attack structure in
{s['roles']['documents_with_derived_roles']} (an extractor that does not mark roles).

## Filters and thresholds

- fragments: {'on' if f['fragments']['on'] else 'off'} (a unit under {f['fragments']['min_words']} words, or
  ending on `,` `:` `;` `—` or a conjunction without the rest of its sentence in the example; a
  clause ending on a punctuation mark is whole where the example quotes its paragraph);
  {s['fragment_units_removed']} unit(s) left out of examples
- one-step chains: {'on' if f['one_step_chains']['on'] else 'off'}
- relations below confidence {f['min_confidence']}: {s['relations_below_min_confidence']} left out
- near duplicates: {'threshold ' + str(near['threshold']) + ', ' + near['method'] if near['on'] else 'off'}
- examples quoting the same units as an earlier one of their level, exact duplicates, and
  prompts with more than one answer: removed

Why examples were left out:
{reasons}
{contamination}
## Provenance

- built by GraphMind {s['graphmind_version']}; extractor: {extractor_line}
- {len(sources)} source document(s): {shown}
- licence: {s['license'] or 'not stated (pass --license); the licence and privacy of the source notes apply'}

## Loading

```python
from datasets import load_dataset

ds = load_dataset("json", data_files={{"train": "train.jsonl", "validation": "val.jsonl"}})
```

This reads the local files and needs no network (set `HF_DATASETS_OFFLINE=1` to be sure).
{LOAD[s['format']]}
Statistics: `stats.json`.
"""
