"""Scoring an extractor against gold annotations: the metrics behind ``graphmind eval`` and
``benchmarks/extraction_quality.py`` (one scorer for everyone, so the figures can't disagree).

Argument files (the microtext schema, or GraphMind's own corpus) give, per language:
- **segmentation** P/R/F1: a predicted unit matches a gold unit when their character spans
  overlap with Jaccard >= 0.5, one-to-one, best overlap first;
- **central-claim accuracy**: the one unit flagged ``central`` matches the gold central claim;
- **relations** P/R/F1, directed, on the support/attack family: a predicted relation is right
  when its source and target match the gold relation's source and unit-level target
  (``target_unit``: undercuts and linked premises projected to units) and the family agrees;
- **unit types** (when the gold has them): macro F1 over the gold types, on aligned units.

Metaphor files (``targets``) give the **targeted accuracy**: a target counts as read as a
metaphor when it lies on an image word of the unit that holds it (word level), and, beside
it, when that unit is typed ``metaphor`` (unit level).
"""

from __future__ import annotations

from collections import Counter, defaultdict
from dataclasses import dataclass, field

from .schema import load_schema


def jaccard(a: tuple[int, int], b: tuple[int, int]) -> float:
    inter = max(0, min(a[1], b[1]) - max(a[0], b[0]))
    union = max(a[1], b[1]) - min(a[0], b[0])
    return inter / union if union else 0.0


def align(pred: list[tuple[int, int]], gold: list[tuple[int, int]], threshold: float = 0.5) -> dict[int, int]:
    """One-to-one alignment of predicted to gold spans, best overlap first."""
    pairs = sorted(((jaccard(p, g), i, j) for i, p in enumerate(pred) for j, g in enumerate(gold)), reverse=True)
    used_p, used_g, out = set(), set(), {}
    for s, i, j in pairs:
        if s < threshold:
            break
        if i in used_p or j in used_g:
            continue
        used_p.add(i)
        used_g.add(j)
        out[i] = j
    return out


def prf(tp: int, n_pred: int, n_gold: int) -> tuple[float, float, float]:
    p = tp / n_pred if n_pred else 0.0
    r = tp / n_gold if n_gold else 0.0
    return p, r, (2 * p * r / (p + r) if p + r else 0.0)


@dataclass
class Tally:
    """Counts for one language; ``result()`` turns them into figures."""

    texts: int = 0
    seg_tp: int = 0
    seg_pred: int = 0
    seg_gold: int = 0
    central_ok: int = 0
    rel_tp: int = 0
    rel_pred: int = 0
    rel_gold: int = 0
    types: dict = field(default_factory=lambda: defaultdict(lambda: [0, 0, 0]))  # type -> [tp, pred, gold]
    typed_texts: int = 0
    targets: int = 0
    word_ok: int = 0
    unit_ok: int = 0
    target_labels: Counter = field(default_factory=Counter)
    fragments: int = 0
    short: int = 0
    units: int = 0
    calibration: list = field(default_factory=list)  # (confidence, right) of each predicted relation

    def result(self) -> dict:
        out: dict = {"texts": self.texts}
        if self.seg_gold or self.seg_pred:
            out["segmentation"] = prf(self.seg_tp, self.seg_pred, self.seg_gold)
            out["central_accuracy"] = self.central_ok / self.texts if self.texts else 0.0
            out["relations"] = prf(self.rel_tp, self.rel_pred, self.rel_gold)
            out["units"] = self.units
            out["fragments"] = self.fragments / self.units if self.units else 0.0
            out["short_units"] = self.short / self.units if self.units else 0.0
            if self.calibration:
                out["calibration_error"] = expected_calibration_error(self.calibration)
        if self.typed_texts:
            per = {t: prf(*v)[2] for t, v in sorted(self.types.items()) if v[2]}
            out["types"] = {"macro_f1": sum(per.values()) / len(per) if per else 0.0, "per_type": per}
        if self.targets:
            out["metaphor"] = {"targets": self.targets, "word_accuracy": self.word_ok / self.targets,
                               "unit_accuracy": self.unit_ok / self.targets,
                               "metaphorical_share": self.target_labels[True] / self.targets}
        return out


_FRAGMENT_END = (",", ":", "—", "–", "-", ";")


def is_fragment(text: str, conjunctions: frozenset = frozenset()) -> bool:
    """A unit that ends mid-sentence: with a comma, colon, dash, or a conjunction."""
    t = text.rstrip()
    if t.endswith(_FRAGMENT_END):
        return True
    last = t.split()[-1].lower() if t.split() else ""
    return last in conjunctions


def score_argument(tally: Tally, item: dict, units, relations, conjunctions=frozenset()) -> None:
    families = {n: r.family for n, r in load_schema().relation_types.items()}
    gold_units = [u for u in item["units"] if not u.get("implicit")]
    gold_spans = [(u["start"], u["end"]) for u in gold_units]
    gold_index = {u["id"]: k for k, u in enumerate(gold_units)}
    pred_spans = [(u.start, u.end) for u in units]
    mapping = align(pred_spans, gold_spans)
    tally.texts += 1
    tally.seg_tp += len(mapping)
    tally.seg_pred += len(pred_spans)
    tally.seg_gold += len(gold_spans)
    tally.units += len(units)
    for u in units:
        tally.fragments += is_fragment(u.text, conjunctions)
        tally.short += len(u.text.split()) < 3
    central_pred = [k for k, u in enumerate(units) if u.central]
    central_gold = [k for k, u in enumerate(gold_units) if u.get("central")]
    if len(central_pred) == 1 and central_gold and mapping.get(central_pred[0]) == central_gold[0]:
        tally.central_ok += 1
    gold_rel = {(gold_index[r["source"]], gold_index[r["target_unit"]], r["coarse"])
                for r in item["relations"]
                if r.get("coarse") in ("support", "attack") and r["source"] in gold_index
                and r.get("target_unit") in gold_index}
    uidx = {u.id: k for k, u in enumerate(units)}
    pred_rel = set()
    for r in relations:
        fam = families.get(r.type)
        if fam not in ("support", "attack") or r.source not in uidx or r.target not in uidx:
            continue
        s, t = mapping.get(uidx[r.source]), mapping.get(uidx[r.target])
        key = (s, t, fam) if s is not None and t is not None else (r.id, None, fam)
        pred_rel.add(key)
        tally.calibration.append((r.confidence, key in gold_rel))
    tally.rel_tp += len(pred_rel & gold_rel)
    tally.rel_pred += len(pred_rel)
    tally.rel_gold += len(gold_rel)
    if any("type" in u for u in gold_units):
        tally.typed_texts += 1
        gold_type = {k: u.get("type") for k, u in enumerate(gold_units)}
        for k, u in enumerate(units):
            g = gold_type.get(mapping[k]) if k in mapping else None
            tally.types[u.type][1] += 1
            if g == u.type:
                tally.types[u.type][0] += 1
        for g in gold_type.values():
            tally.types[g][2] += 1


def expected_calibration_error(pairs: list[tuple[float, bool]], bins: int = 10) -> float:
    """How far confidence is from the share that is right, averaged over 10 equal-width bins
    weighted by their size (0 = perfectly calibrated)."""
    total = len(pairs)
    err = 0.0
    for b in range(bins):
        lo, hi = b / bins, (b + 1) / bins
        inside = [(c, ok) for c, ok in pairs if lo <= c < hi or (b == bins - 1 and c == 1.0)]
        if inside:
            conf = sum(c for c, _ in inside) / len(inside)
            acc = sum(ok for _, ok in inside) / len(inside)
            err += len(inside) / total * abs(conf - acc)
    return err


def score_metaphor(tally: Tally, item: dict, units) -> None:
    tally.texts += 1
    for t in item["targets"]:
        tally.targets += 1
        tally.target_labels[bool(t["metaphor"])] += 1
        holder = next((u for u in units if u.start <= t["start"] < u.end), None)
        word = unit_level = False
        if holder is not None:
            spans = list(zip(holder.images[0::2], holder.images[1::2]))
            word = any(a < t["end"] and t["start"] < b for a, b in spans)
            unit_level = holder.type in ("metaphor", "analogy")
        tally.word_ok += word == bool(t["metaphor"])
        tally.unit_ok += unit_level == bool(t["metaphor"])


def evaluate(records, extractor, progress=None) -> dict[str, dict]:
    """Figures per language (and ``all``) for gold records (dicts) and an extractor with
    ``parse_text(text, lang, source)``."""
    tallies: dict[str, Tally] = defaultdict(Tally)
    conj: dict[str, frozenset] = {}
    for item in records:
        lang = item.get("lang", "en")
        if lang not in conj:
            conj[lang] = _conjunctions(lang)
        _, units, relations = extractor.parse_text(item["text"], lang=lang, source=item.get("id", "<gold>"))
        if "targets" in item:
            score_metaphor(tallies[lang], item, units)
        else:
            score_argument(tallies[lang], item, units, relations, conj[lang])
        if progress is not None:
            progress.update(1)
    return {lang: t.result() for lang, t in sorted(tallies.items())}


def _conjunctions(lang: str) -> frozenset:
    return frozenset({"en": ("and", "but", "or", "because", "so", "if", "that", "which", "although"),
                      "ru": ("и", "а", "но", "или", "что", "если", "потому", "который", "хотя", "чтобы")}
                     .get(lang, ()))


def table(results: dict[str, dict]) -> str:
    """The figures as a Markdown table, one column per language."""
    langs = list(results)
    rows = []

    def row(name, fn):
        cells = []
        for lang in langs:
            try:
                cells.append(fn(results[lang]))
            except (KeyError, TypeError):
                cells.append("–")
        if any(c != "–" for c in cells):
            rows.append(f"| {name} | " + " | ".join(cells) + " |")

    def trio(key):
        return lambda r: "{:.3f} / {:.3f} / **{:.3f}**".format(*r[key])

    row("texts", lambda r: str(r["texts"]))
    row("segmentation P / R / F1", trio("segmentation"))
    row("central-claim accuracy", lambda r: f"**{r['central_accuracy']:.3f}**")
    row("relations P / R / F1", trio("relations"))
    row("unit-type macro F1", lambda r: f"{r['types']['macro_f1']:.3f}")
    row("relation confidence: calibration error", lambda r: f"{r['calibration_error']:.3f}")
    row("units ending mid-sentence", lambda r: f"{r['fragments']:.3f}")
    row("units under 3 words", lambda r: f"{r['short_units']:.3f}")
    row("metaphor targets", lambda r: str(r["metaphor"]["targets"]))
    row("metaphor accuracy (word level)", lambda r: f"**{r['metaphor']['word_accuracy']:.3f}**")
    row("metaphor accuracy (unit level)", lambda r: f"{r['metaphor']['unit_accuracy']:.3f}")
    head = "| metric | " + " | ".join(langs) + " |\n|---|" + "---|" * len(langs)
    return head + "\n" + "\n".join(rows)
