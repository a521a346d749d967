"""Dataset export: determinism, budgets, coherent tasks, markers, filters, preference pairs,
contamination, the card."""

import json
import random
import re

import networkx as nx
import pytest

from graphmind import ids
from graphmind.exceptions import GraphMindError
from graphmind.export import ExportOptions, build_dataset, parse_levels_map, write_dataset
from graphmind.export.dpo import PERTURBATIONS, apply_perturbation
from graphmind.export.filters import NearDuplicates
from graphmind.export.roles import assign_roles
from graphmind.export.tokens import ApproxTokenizer
from graphmind.extract.rules import RuleExtractor, extract_paths
from graphmind.linearize import meso_layout, render
from graphmind.model import Relation
from graphmind.walk import GraphView, reasoning_tree
from graphmind.walk.memory import to_networkx

from conftest import EXAMPLES
from graphs import build, debate

INSTRUCTION = ("chat", "alpaca", "dpo")
LINE = re.compile(r"^(?P<indent> *)\[(?P<marker>[A-Z]+)\] (?:\((?P<rel>[^)]*)\) )?(?P<text>.*)$")


@pytest.fixture(scope="module")
def corpus_graph():
    exs = list(extract_paths([str(EXAMPLES)], RuleExtractor(trained=False))) + debate()
    return to_networkx(exs)


def all_records(ds):
    return ds.train + ds.val


def prompt_of(rec):
    if "messages" in rec:
        return rec["messages"][1]["content"]
    if "prompt" in rec:
        return rec["prompt"][1]["content"]
    return rec["instruction"] + "\n\n" + rec["input"]


def answer_of(rec):
    if "text" in rec:
        return rec["text"]
    if "messages" in rec:
        return rec["messages"][-1]["content"]
    if "chosen" in rec:
        return rec["chosen"][0]["content"]
    return rec["output"]


def tokens(rec):
    count = ApproxTokenizer().count
    if "text" in rec:
        return count(rec["text"])
    if "messages" in rec:
        return sum(count(m["content"]) for m in rec["messages"])
    if "prompt" in rec:
        return sum(count(m["content"]) for m in rec["prompt"]) + max(count(rec["chosen"][0]["content"]),
                                                                     count(rec["rejected"][0]["content"]))
    return sum(count(rec[k]) for k in ("instruction", "input", "output"))


def lines_of(text):
    out = []
    for line in text.split("\n"):
        m = LINE.match(line)
        assert m, f"not a layer line: {line!r}"
        out.append(m)
    return out


def unit_of(ex, text):
    return next(u for u in ex.units if u.text == text)


def relate(ex, source, target, rel, cue="", confidence=0.5):
    a, b = unit_of(ex, source), unit_of(ex, target)
    family = "attack" if rel == "attacks" else "support"
    ex.relations.append(Relation(ids.relation_id(a.id, b.id, rel), a.id, b.id, rel, family, cue, confidence))


# -- determinism, budgets -----------------------------------------------------------------
@pytest.mark.parametrize("fmt", ["text", "dpo"])
def test_same_seed_gives_identical_files(corpus_graph, tmp_path, fmt):
    outs = []
    for k in range(2):
        opts = ExportOptions(format=fmt, seed=7, order="shuffle", mix={"micro": 0.5, "meso": 0.3, "macro": 0.2})
        out = write_dataset(build_dataset(corpus_graph, opts), tmp_path / str(k))
        outs.append({p.name: p.read_bytes() for p in sorted(out.iterdir())})
    assert outs[0] == outs[1]
    assert outs[0]["train.jsonl"]


def test_different_seed_changes_the_split_or_order(corpus_graph):
    a = build_dataset(corpus_graph, ExportOptions(seed=1, order="shuffle"))
    b = build_dataset(corpus_graph, ExportOptions(seed=2, order="shuffle"))
    assert [r["id"] for r in a.train] != [r["id"] for r in b.train]


@pytest.mark.parametrize("fmt, unpacked", [("text", False), ("text", True), ("chat", False), ("alpaca", False),
                                           ("dpo", False)])
@pytest.mark.parametrize("budgets", [{"micro": 24, "meso": 40, "macro": 60}, {"micro": 60, "meso": 120, "macro": 200},
                                     {}])
def test_budgets_are_never_exceeded(corpus_graph, fmt, unpacked, budgets):
    ds = build_dataset(corpus_graph, ExportOptions(format=fmt, max_tokens=budgets, unpacked=unpacked))
    limit = ds.stats["max_tokens"]
    for rec in all_records(ds):
        assert tokens(rec) <= limit[rec["level"]]


@pytest.mark.parametrize("fmt, unpacked", [("text", False), ("text", True), ("chat", False), ("alpaca", False)])
def test_default_budgets_keep_the_micro_level_in_every_format(corpus_graph, fmt, unpacked):
    ds = build_dataset(corpus_graph, ExportOptions(format=fmt, unpacked=unpacked))
    over = {"over_budget_with_prompt", "unit_too_long"}
    assert ds.stats["kept"]["micro"] > 0
    assert not over & set(ds.stats["dropped"]["micro"])


def test_unpacked_is_refused_with_an_instruction_format():
    with pytest.raises(GraphMindError, match="--unpacked is for --format text"):
        ExportOptions(format="chat", unpacked=True)


def test_small_text_macro_budget_splits_into_pieces_that_repeat_the_header(corpus_graph):
    big = build_dataset(corpus_graph, ExportOptions(levels=("macro",)))
    small = build_dataset(corpus_graph, ExportOptions(levels=("macro",), max_tokens={"macro": 100}))
    assert len(all_records(small)) > len(all_records(big))
    headers = {}
    for rec in all_records(small):
        lines = rec["text"].split("\n")
        header = [line for line in lines if line.startswith("[THEME] ")]
        header.append(next(line for line in lines if not line.startswith("[THEME] ")))
        headers.setdefault((rec["meta"]["kind"], json.dumps(rec["meta"]["documents"])), set()).add(tuple(header))
    assert any(len(v) == 1 for v in headers.values())
    assert all(len(v) == 1 for k, v in headers.items() if k[0] == "document")


def test_instruction_macro_over_budget_becomes_windows_that_each_fit(corpus_graph):
    ds = build_dataset(corpus_graph, ExportOptions(format="chat", levels=("macro",), max_tokens={"macro": 400}))
    windows = [r for r in all_records(ds) if r["meta"]["kind"] == "window"]
    assert windows and all(tokens(r) <= 400 for r in windows)


def test_over_budget_with_the_prompt_is_the_reason_given(corpus_graph):
    ds = build_dataset(corpus_graph, ExportOptions(format="chat", levels=("micro",), max_tokens={"micro": 90}))
    assert ds.stats["dropped"]["micro"].get("over_budget_with_prompt", 0) > 0


def test_a_level_losing_more_than_a_tenth_gets_a_warning_with_counts(corpus_graph):
    ds = build_dataset(corpus_graph, ExportOptions(levels=("micro",), max_tokens={"micro": 10}))
    assert ds.stats["kept"]["micro"] == 0
    [warning] = ds.warnings
    lost = sum(ds.stats["dropped"]["micro"].values())
    assert warning.startswith(f"micro: {lost} of {lost} examples dropped") and "unit too long" in warning


# -- coherent tasks -------------------------------------------------------------------------
@pytest.mark.parametrize("fmt", INSTRUCTION)
@pytest.mark.parametrize("budgets", [{}, {"micro": 120, "meso": 150, "macro": 300}])
def test_every_line_of_an_answer_quotes_its_prompt(corpus_graph, fmt, budgets):
    ds = build_dataset(corpus_graph, ExportOptions(format=fmt, max_tokens=budgets, val_fraction=0))
    assert ds.train
    for rec in all_records(ds):
        prompt = prompt_of(rec)
        answers = [answer_of(rec)] + ([rec["rejected"][0]["content"]] if "rejected" in rec else [])
        for answer in answers:
            for m in lines_of(answer):
                if m["marker"] in ("THEME", "LINK"):
                    assert re.search(r"^#+ " + re.escape(m["text"]) + "$", prompt, re.M), m["text"]
                else:
                    for part in m["text"].split(" ⇐ "):
                        assert part in prompt


@pytest.mark.parametrize("fmt", INSTRUCTION)
def test_no_two_records_share_a_prompt_with_different_answers(corpus_graph, fmt):
    ds = build_dataset(corpus_graph, ExportOptions(format=fmt, val_fraction=0))
    answers = {}
    for rec in all_records(ds):
        answers.setdefault(prompt_of(rec), set()).add(answer_of(rec))
    assert answers and all(len(a) == 1 for a in answers.values())


def test_records_whose_prompt_has_two_answers_are_all_removed():
    docs = []
    for k, rel in enumerate(("supports", "attacks")):
        ex = build(f"twin{k}.md", f"Twin {k}", [[("claim", "We should walk to work.", True),
                                                 ("premise", "Walking takes forty minutes.", False)]], [])
        relate(ex, "Walking takes forty minutes.", "We should walk to work.", rel)
        docs.append(ex)
    ds = build_dataset(to_networkx(docs), ExportOptions(format="chat", levels=("micro",), val_fraction=0))
    assert ds.train == [] and ds.stats["dropped"]["micro"]["conflicting_prompt"] == 2


def test_micro_prompt_names_both_spans_in_reading_order(corpus_graph):
    ds = build_dataset(corpus_graph, ExportOptions(format="chat", levels=("micro",), val_fraction=0))
    rec = next(r for r in ds.train if "Span 1:" in prompt_of(r)
               and "“Critics say reading is slow.”" in prompt_of(r) and "We should read" in prompt_of(r))
    assert prompt_of(rec).endswith("Span 1: “We should read every day.”\nSpan 2: “Critics say reading is slow.”")


def test_meso_prompt_names_the_claim_the_chain_leads_to(corpus_graph):
    ds = build_dataset(corpus_graph, ExportOptions(format="alpaca", levels=("meso",), val_fraction=0))
    rec = next(r for r in ds.train if r["output"].startswith("[ANCHOR] We should read every day."))
    assert rec["input"].endswith("Claim: “We should read every day.”")


def test_section_theme_lines_are_the_headings_of_the_prompt(corpus_graph):
    ds = build_dataset(corpus_graph, ExportOptions(format="chat", levels=("macro",), val_fraction=0))
    rec = next(r for r in ds.train if r["meta"]["kind"] == "section" and "Objections" in answer_of(r))
    assert answer_of(rec).startswith("[THEME] Attention is a garden\n[THEME] Objections\n")
    assert "# Attention is a garden\n\n## Objections\n\n" in prompt_of(rec)


@pytest.mark.parametrize("fmt", ["text", "chat"])
def test_a_file_id_is_never_a_theme(fmt):
    ex = build("chats/001_9670482e435a26bd.md", "001_9670482e435a26bd",
               [[("claim", "We should read every day.", True), ("premise", "Reading trains attention.", False)],
                [("claim", "Attention is scarce today.", True), ("premise", "Phones compete for it.", False)]],
               [((0, 1), (0, 0), "supports"), ((1, 1), (1, 0), "supports")])
    ds = build_dataset(to_networkx([ex]), ExportOptions(format=fmt, levels=("macro",), val_fraction=0))
    assert ds.train
    for rec in ds.train:
        assert "9670482e435a26bd" not in json.dumps({k: v for k, v in rec.items() if k != "meta"})
        assert not answer_of(rec).startswith("[THEME]")


# -- markers and roles ----------------------------------------------------------------------
def micro_answers(exs, **opts):
    ds = build_dataset(to_networkx(exs), ExportOptions(levels=("micro",), val_fraction=0, **opts))
    return [r["text"] for r in ds.train]


def test_objection_is_an_error_and_the_authors_answer_a_rebuttal():
    ds = build_dataset(to_networkx(debate()), ExportOptions(levels=("meso",), val_fraction=0, drop_one_step=False))
    chain = next(r["text"] for r in ds.train if r["text"].startswith("[ANCHOR] We should read every day."))
    lines = chain.split("\n")
    k = lines.index("  [ERROR] (attacks) Critics say reading is slow.")
    assert lines[k + 1] == "    [REBUTTAL] (attacks) But slow is the point."


def test_a_granted_objection_is_a_concession():
    ex = build("c.md", "Concession", [[("claim", "Of course, reading takes time.", False),
                                       ("claim", "But the time pays back.", False),
                                       ("claim", "We should read every day.", True)]], [])
    relate(ex, "Of course, reading takes time.", "We should read every day.", "attacks", "of course")
    relate(ex, "But the time pays back.", "Of course, reading takes time.", "attacks", "but")
    answers = micro_answers([ex])
    assert "[CLAIM] We should read every day.\n  [CONCESSION] (attacks) Of course, reading takes time." in answers
    assert "[CONCESSION] Of course, reading takes time.\n  [REBUTTAL] (attacks) But the time pays back." in answers


def test_without_stored_roles_an_attack_on_the_authors_claim_is_an_objection():
    ex = build("d.md", "Derived", [[("claim", "Reading is slow.", False), ("claim", "We should read every day.", True)]],
               [((0, 0), (0, 1), "attacks")])
    assert micro_answers([ex]) == ["[CLAIM] We should read every day.\n  [ERROR] (attacks) Reading is slow."]


def test_stored_roles_are_kept_and_an_attack_between_the_authors_units_is_a_correction():
    ex = build("s.md", "Stored", [[("claim", "Everyone agrees reading helps.", False),
                                   ("claim", "We should read every day.", True),
                                   ("claim", "Every other day is enough.", False)]],
               [((0, 0), (0, 1), "supports"), ((0, 2), (0, 1), "attacks")])
    unit_of(ex, "Everyone agrees reading helps.").role = "opp"
    answers = micro_answers([ex])
    assert "[CLAIM] We should read every day.\n  [ERROR] (supports) Everyone agrees reading helps." in answers
    assert "[CLAIM] We should read every day.\n  [CORRECTION] (attacks) Every other day is enough." in answers


def test_roles_are_derived_only_in_documents_without_an_opposing_unit():
    a = build("a.md", "A", [[("claim", "Reading is slow.", False), ("claim", "We should read.", True)]],
              [((0, 0), (0, 1), "attacks")])
    b = build("b.md", "B", [[("claim", "Reading is slow.", False), ("claim", "We should read.", True),
                             ("claim", "Critics disagree.", False)]], [((0, 0), (0, 1), "attacks")])
    unit_of(b, "Critics disagree.").role = "opp"
    view = GraphView(to_networkx([a, b]))
    assert assign_roles(view) == {"documents_with_stored_roles": 1, "documents_with_derived_roles": 1}
    assert view.role(unit_of(a, "Reading is slow.").id) == "opp"
    assert view.role(unit_of(b, "Reading is slow.").id) == "pro"


def test_meta_carries_each_relation_and_each_units_role_and_speaker():
    ex = build("m.md", "Meta", [[("claim", "We should read every day.", True),
                                 ("premise", "Reading trains attention.", False)]], [])
    relate(ex, "Reading trains attention.", "We should read every day.", "supports", "because", 0.7)
    ex.paragraphs[0].speaker = "assistant"
    [rec] = build_dataset(to_networkx([ex]), ExportOptions(levels=("micro",), val_fraction=0)).train
    assert rec["meta"]["relations"] == [{"source": unit_of(ex, "Reading trains attention.").id,
                                         "target": unit_of(ex, "We should read every day.").id,
                                         "type": "supports", "cue": "because", "confidence": 0.7}]
    assert {(u["role"], u["speaker"]) for u in rec["meta"]["units"]} == {("pro", "assistant")}


def test_random_walks_say_supported_by_instead_of_arrows():
    texts = []
    for seed in range(6):
        ds = build_dataset(to_networkx(debate()), ExportOptions(levels=("meso",), seed=seed, val_fraction=0,
                                                                drop_one_step=False, walks_per_document=6))
        texts += [r["text"] for r in ds.train if r["meta"]["kind"] == "random_walk"]
    assert texts and not any("->" in t or "<-" in t for t in texts)
    assert any(re.search(r"\((supported|attacked|answered|carried|illustrated) by\)", t) for t in texts)


# -- filters ---------------------------------------------------------------------------------
def test_min_confidence_leaves_out_weak_relations():
    ex = build("w.md", "Weak", [[("claim", "We should read every day.", True),
                                 ("premise", "Reading trains attention.", False),
                                 ("premise", "Books are cheap nowadays.", False)]], [])
    relate(ex, "Reading trains attention.", "We should read every day.", "supports", "because", 0.7)
    relate(ex, "Books are cheap nowadays.", "We should read every day.", "supports", "", 0.4)
    ds = build_dataset(to_networkx([ex]), ExportOptions(levels=("micro",), val_fraction=0, min_confidence=0.5))
    assert [r["meta"]["relations"][0]["confidence"] for r in ds.train] == [0.7]
    assert ds.stats["dropped"]["micro"] == {"min_confidence": 1}


@pytest.mark.parametrize("drop", [True, False])
def test_units_under_three_words_are_fragments(drop):
    ex = build("f.md", "Fragments", [[("claim", "See Memory.", False), ("claim", "We should read every day.", True)]],
               [((0, 0), (0, 1), "supports")])
    ds = build_dataset(to_networkx([ex]), ExportOptions(levels=("micro",), val_fraction=0, drop_fragments=drop))
    assert len(ds.train) == (0 if drop else 1)
    assert ds.stats["dropped"]["micro"].get("fragment", 0) == (1 if drop else 0)


def commas_note():
    return build("c.md", "Commas", [[("claim", "We should read every day,", True),
                                     ("premise", "because reading trains attention.", False),
                                     ("premise", "Attention is scarce today.", False)]],
                 [((0, 1), (0, 0), "supports"), ((0, 2), (0, 0), "supports")])


@pytest.mark.parametrize("fmt, unpacked", [("chat", False), ("alpaca", False), ("text", True)])
def test_a_clause_cut_at_a_comma_is_whole_where_the_example_quotes_its_paragraph(fmt, unpacked):
    ds = build_dataset(to_networkx([commas_note()]),
                       ExportOptions(levels=("micro",), format=fmt, unpacked=unpacked, val_fraction=0))
    assert len(ds.train) == 2 and ds.stats["dropped"]["micro"].get("fragment", 0) == 0


def test_packed_text_shows_the_sentence_of_a_clause_it_quotes_apart():
    ds = build_dataset(to_networkx([commas_note()]), ExportOptions(levels=("micro",), val_fraction=0))
    apart = [r["text"] for r in ds.train if "Attention is scarce" in r["text"]]
    assert apart == ["[SOURCE] We should read every day, because reading trains attention.\n\n"
                     "[CLAIM] We should read every day,\n  [PREMISE] (supports) Attention is scarce today."]
    assert len(ds.train) == 2 and ds.stats["dropped"]["micro"].get("fragment", 0) == 0


def test_the_source_line_runs_to_the_end_of_the_sentence_through_unpunctuated_clauses():
    ex = build("t.md", "Tags", [[("claim", "Short notes are easier to link than long ones.", True)],
                                [("premise", "Although tags help,", False), ("claim", "links carry more meaning", False),
                                 ("premise", "because they say why two ideas belong together.", False)]],
               [((1, 0), (0, 0), "attacks"), ((1, 1), (0, 0), "supports"), ((1, 2), (1, 1), "supports")])
    ds = build_dataset(to_networkx([ex]), ExportOptions(levels=("micro",), val_fraction=0))
    [rec] = [r for r in ds.train if "Although" in r["text"]]
    assert rec["text"].startswith("[SOURCE] Although tags help, links carry more meaning because they say why two "
                                  "ideas belong together.\n\n")


def test_a_clause_beside_its_continuation_needs_no_source_line():
    ds = build_dataset(to_networkx([commas_note()]), ExportOptions(levels=("micro",), val_fraction=0))
    together = [r["text"] for r in ds.train if "because" in r["text"]]
    assert together and not together[0].startswith("[SOURCE]")


def test_a_unit_ending_on_a_conjunction_is_a_fragment_even_beside_its_paragraph():
    ex = build("d.md", "Dangling", [[("premise", "Attention is scarce today.", False),
                                     ("claim", "We should read every day and", True)]],
               [((0, 0), (0, 1), "supports")])
    ds = build_dataset(to_networkx([ex]), ExportOptions(levels=("micro",), format="chat", val_fraction=0))
    assert ds.train == [] and ds.stats["dropped"]["micro"] == {"fragment": 1}


@pytest.mark.parametrize("drop", [True, False])
def test_one_step_chains_are_left_out_unless_asked(drop):
    ex = build("o.md", "One step", [[("claim", "We should read every day.", True),
                                     ("premise", "Reading trains attention.", False),
                                     ("premise", "Books are cheap nowadays.", False)]],
               [((0, 1), (0, 0), "supports"), ((0, 2), (0, 0), "supports")])
    ds = build_dataset(to_networkx([ex]), ExportOptions(levels=("meso",), val_fraction=0, drop_one_step=drop))
    assert len(ds.train) == (0 if drop else 1)
    assert ds.stats["dropped"]["meso"].get("one_step", 0) == (1 if drop else 0)


@pytest.mark.parametrize("threshold", [0.9, None])
def test_near_duplicate_answers_are_removed(threshold):
    docs = []
    for k, premise in enumerate(("Reading every day trains a patient kind of attention, and that attention lasts.",
                                 "Reading every day trains a patient kind of attention; and that attention lasts!")):
        docs.append(build(f"n{k}.md", f"Near {k}",
                          [[("claim", "We should read every day.", True), ("premise", premise, False),
                            ("premise", "Attention is the scarcest thing we have.", False)]],
                          [((0, 1), (0, 0), "supports"), ((0, 2), (0, 1), "supports")]))
    ds = build_dataset(to_networkx(docs), ExportOptions(levels=("meso",), val_fraction=0, near_duplicates=threshold,
                                                        walks_per_document=0))
    assert len(ds.train) == (1 if threshold else 2)
    assert ds.stats["dropped"]["meso"].get("near_duplicate", 0) == (1 if threshold else 0)


def test_minhash_finds_an_answer_that_differs_in_one_word_of_three_hundred():
    words = [f"word{k}" for k in range(300)]
    index = NearDuplicates(0.9)
    assert not index.seen("macro", "a", " ".join(words))
    assert index.seen("macro", "b", " ".join(words[:-1] + ["changed"]))
    assert not index.seen("macro", "c", " ".join(reversed(words)))


def test_near_duplicates_agree_with_datasketch():
    """The index made with numpy alone answers as datasketch's MinHash + MinHashLSH would."""
    import random

    from datasketch import MinHash, MinHashLSH
    from datasketch.lsh import _optimal_param

    from graphmind.export.filters import BANDS, NUM_PERM

    assert all(_optimal_param(t, n, 0.5, 0.5) == found for (t, n), found in BANDS.items())
    rng = random.Random(5)
    vocab = [f"w{k}" for k in range(400)]
    texts = []
    for k in range(300):
        if texts and rng.random() < 0.5:  # a copy of an earlier text with a few words changed
            words = rng.choice(texts).split()
            for _ in range(rng.choice((0, 1, 2, 5, 20))):
                words[rng.randrange(len(words))] = rng.choice(vocab)
        else:
            words = [rng.choice(vocab) for _ in range(rng.randrange(1, 120))]
        texts.append(" ".join(words))
    for threshold in (0.9, 0.7):
        ours = NearDuplicates(threshold)
        theirs = MinHashLSH(threshold=threshold, num_perm=NUM_PERM)
        verdicts = []
        for k, text in enumerate(texts):
            shingles = ours.shingles(text)
            m = MinHash(num_perm=NUM_PERM, hashfunc=int, scheme="affine32")
            m.update_batch(shingles)
            assert list(ours.signature(shingles)) == list(m.hashvalues)
            dup = bool(theirs.query(m))
            if not dup:
                theirs.insert(str(k), m)
            assert ours.seen("meso", str(k), text) == dup
            verdicts.append(dup)
        assert 0 < sum(verdicts) < len(texts)  # both kinds of answer were met


def test_exact_duplicates_are_removed(corpus_graph):
    ds = build_dataset(corpus_graph, ExportOptions(val_fraction=0))
    keys = [json.dumps(r["text"]) for r in ds.train]
    assert len(keys) == len(set(keys))


# -- preference pairs --------------------------------------------------------------------------
def test_dpo_records_pair_a_chosen_and_a_different_rejected_answer(corpus_graph):
    ds = build_dataset(corpus_graph, ExportOptions(format="dpo", val_fraction=0))
    assert ds.train and {r["level"] for r in ds.train} == {"meso", "macro"}
    for rec in ds.train:
        assert set(rec) == {"prompt", "chosen", "rejected", "level", "id", "meta"}
        assert [m["role"] for m in rec["prompt"]] == ["system", "user"]
        assert rec["chosen"][0]["content"] != rec["rejected"][0]["content"]
        assert rec["meta"]["perturbation"] in PERTURBATIONS


@pytest.fixture
def reading_tree():
    view = GraphView(to_networkx(debate()))
    assign_roles(view)
    root = next(u for u, d in view.units.items() if d["text"] == "We should read every day.")
    return view, reasoning_tree(view, root)


@pytest.mark.parametrize("name, target, expected", [
    ("support_to_attack", "Reading trains attention.", "  [ERROR] (attacks) Reading trains attention."),
    ("attack_to_support", "Critics say reading is slow.", "  [CLAIM] (supports) Critics say reading is slow."),
    ("metaphor_as_definition", "A book is a gym for the mind.", "  [DEFINITION] (carries) A book is a gym for the mind."),
    ("swap_central", "Reading trains attention.", "[ANCHOR] Reading trains attention."),
])
def test_each_perturbation_misreads_the_graph_as_named(reading_tree, name, target, expected):
    view, tree = reading_tree
    unit = next(u for u, d in view.units.items() if d["text"] == target)
    perturbed, overlay = apply_perturbation(view, tree, name, unit, random.Random(0))
    assert expected in render(meso_layout(overlay, perturbed).lines()).split("\n")


def parent_line(answer, text):
    lines = answer.split("\n")
    k = next(i for i, line in enumerate(lines) if line.endswith(text))
    depth = len(lines[k]) - len(lines[k].lstrip())
    return next(LINE.match(line)["text"] for line in reversed(lines[:k]) if len(line) - len(line.lstrip()) < depth)


def test_wrong_attachment_moves_a_reason_under_another_unit(reading_tree):
    view, tree = reading_tree
    unit = next(u for u, d in view.units.items() if d["text"] == "Attention is scarce.")
    perturbed, overlay = apply_perturbation(view, tree, "wrong_attachment", unit, random.Random(0))
    before = render(meso_layout(view, tree).lines())
    after = render(meso_layout(overlay, perturbed).lines())
    assert parent_line(before, "Attention is scarce.") == "Reading trains attention."
    assert parent_line(after, "Attention is scarce.") != "Reading trains attention."


# -- selection, contamination, card ---------------------------------------------------------------
def test_source_prefix_selects_the_documents_under_it(corpus_graph):
    ds = build_dataset(corpus_graph, ExportOptions(source_prefixes=(str(EXAMPLES / "ru"),), val_fraction=0))
    sources = {d["source"] for r in ds.train for d in r["meta"]["documents"]}
    assert sources and all(s.startswith(str(EXAMPLES / "ru")) for s in sources)


def test_check_against_reports_13_gram_overlap(corpus_graph, tmp_path):
    leaked = tmp_path / "eval.jsonl"
    leaked.write_text(json.dumps({"question": "Why?", "context": (EXAMPLES / "en" / "attention.md").read_text()}) + "\n")
    clean = tmp_path / "other.txt"
    clean.write_text("An unrelated text about boats and rivers that shares nothing with the notes at all.\n")
    ds = build_dataset(corpus_graph, ExportOptions(check_against=(str(leaked), str(clean))))
    report = ds.stats["contamination"]
    assert report[str(leaked)]["examples"] > 0 and report[str(clean)]["examples"] == 0
    assert any("contamination" in m for m in ds.messages)


def test_check_against_a_missing_file_is_a_clear_error(corpus_graph, tmp_path):
    with pytest.raises(GraphMindError, match="no such file"):
        build_dataset(corpus_graph, ExportOptions(check_against=(str(tmp_path / "nope.jsonl"),)))


def test_dataset_card_tells_counts_drops_filters_licence_and_loading(corpus_graph, tmp_path):
    ds = build_dataset(corpus_graph, ExportOptions(format="chat", license="CC-BY-4.0", provenance={"name": "rules"}))
    card = (write_dataset(ds, tmp_path) / "README.md").read_text()
    stats = ds.stats
    assert f"| micro | {stats['examples']['train'].get('micro', 0)} |" in card
    assert "fragment" in card and "one-step chains: on" in card and "near duplicates: threshold 0.9" in card
    assert "licence: CC-BY-4.0" in card and "`rules`" in card and f"GraphMind {stats['graphmind_version']}" in card
    assert 'load_dataset("json"' in card
    for marker in ("[ERROR]", "[CONCESSION]", "[REBUTTAL]", "[CORRECTION]"):
        assert marker in card


def test_stats_describe_the_data(corpus_graph, tmp_path):
    out = write_dataset(build_dataset(corpus_graph, ExportOptions()), tmp_path)
    stats = json.loads((out / "stats.json").read_text())
    assert set(stats["token_length_histogram"]) == {"micro", "meso", "macro"}
    assert stats["unit_types"]["claim"] > 0 and stats["relation_types"]["supports"] > 0
    assert stats["relations"] == sum(stats["relation_types"].values())
    assert stats["languages"] == {"en": stats["languages"]["en"], "ru": stats["languages"]["ru"]}


# -- what stays from before -------------------------------------------------------------------
def test_every_unit_is_quoted_verbatim_from_its_paragraph(corpus_graph):
    ds = build_dataset(corpus_graph, ExportOptions(format="chat"))
    for rec in all_records(ds):
        text = answer_of(rec)
        for u in rec["meta"]["units"]:
            paragraph = corpus_graph.nodes[u["paragraph_id"]]["text"]
            quoted = paragraph[u["start"]:u["end"]]
            assert quoted == corpus_graph.nodes[u["id"]]["text"]
            assert quoted in text
        assert all(corpus_graph.nodes[p]["text"] in prompt_of(rec) for p in rec["meta"]["paragraphs"])


def test_no_document_is_in_both_splits(corpus_graph):
    ds = build_dataset(corpus_graph, ExportOptions(val_fraction=0.3, seed=4))
    train_docs = {d["id"] for r in ds.train for d in r["meta"]["documents"]}
    val_docs = {d["id"] for r in ds.val for d in r["meta"]["documents"]}
    assert train_docs and val_docs and not train_docs & val_docs
    assert sorted(val_docs) <= ds.stats["val_documents"]


def test_a_support_cycle_exports_and_terminates():
    ex = build("c.md", "Cycle", [[("claim", "A is true.", True), ("premise", "B is true.", False),
                                  ("premise", "C is true.", False)]],
               [((0, 1), (0, 0), "supports"), ((0, 2), (0, 1), "supports"), ((0, 1), (0, 2), "supports"),
                ((0, 0), (0, 2), "supports")])
    ds = build_dataset(to_networkx([ex]), ExportOptions(val_fraction=0))
    assert {r["level"] for r in ds.train} == {"micro", "meso", "macro"}


def test_empty_graph_exports_an_empty_dataset_with_a_message(tmp_path):
    ds = build_dataset(nx.MultiDiGraph(), ExportOptions())
    out = write_dataset(ds, tmp_path)
    assert (out / "train.jsonl").read_text() == "" and (out / "val.jsonl").read_text() == ""
    assert ds.messages and "ingest" in ds.messages[0]
    assert json.loads((out / "stats.json").read_text())["examples"]["total"] == 0


@pytest.mark.parametrize("fmt, keys", [("text", {"text"}), ("chat", {"messages"}),
                                       ("alpaca", {"instruction", "input", "output"}),
                                       ("dpo", {"prompt", "chosen", "rejected"})])
def test_jsonl_files_are_strict_json_lines(corpus_graph, tmp_path, fmt, keys):
    out = write_dataset(build_dataset(corpus_graph, ExportOptions(format=fmt)), tmp_path)
    for name in ("train.jsonl", "val.jsonl"):
        raw = (out / name).read_bytes()
        assert raw == b"" or raw.endswith(b"\n")
        for line in raw.decode("utf-8").split("\n")[:-1]:
            rec = json.loads(line)
            assert set(rec) == keys | {"level", "id", "meta"}
            assert rec["level"] in ("micro", "meso", "macro")
    if fmt == "chat":
        rec = json.loads((out / "train.jsonl").read_text().split("\n")[0])
        assert [m["role"] for m in rec["messages"]] == ["system", "user", "assistant"]


def test_curriculum_orders_micro_then_meso_then_macro(corpus_graph):
    ds = build_dataset(corpus_graph, ExportOptions(order="curriculum"))
    levels = [r["level"] for r in ds.train]
    assert levels == sorted(levels, key=["micro", "meso", "macro"].index)


def test_mix_samples_levels_to_the_asked_proportions(corpus_graph):
    ds = build_dataset(corpus_graph, ExportOptions(mix={"micro": 0.5, "meso": 0.5}, val_fraction=0))
    counts = {lvl: sum(1 for r in ds.train if r["level"] == lvl) for lvl in ("micro", "meso", "macro")}
    assert counts["macro"] == 0 and abs(counts["micro"] - counts["meso"]) <= 1


def test_unpacked_text_puts_the_source_paragraph_first():
    ds = build_dataset(to_networkx(debate()), ExportOptions(levels=("micro",), unpacked=True, val_fraction=0))
    rec = ds.train[0]
    assert rec["text"].startswith("[SOURCE] ")
    source = rec["text"].split("\n\n")[0]
    assert source[len("[SOURCE] "):] in {d["text"] for _, d in to_networkx(debate()).nodes(data=True) if "text" in d}


def test_hugging_face_tokenizer_json_counts_the_budget(tmp_path, corpus_graph):
    from tokenizers import Tokenizer, models, pre_tokenizers, trainers

    tok = Tokenizer(models.WordLevel(unk_token="[UNK]"))
    tok.pre_tokenizer = pre_tokenizers.Whitespace()
    tok.train_from_iterator(["We should read every day"], trainers.WordLevelTrainer(special_tokens=["[UNK]"]))
    path = tmp_path / "tokenizer.json"
    tok.save(str(path))
    budgets = {"micro": 30, "meso": 60, "macro": 90}
    ds = build_dataset(corpus_graph, ExportOptions(tokenizer=str(path), max_tokens=budgets))
    assert ds.stats["tokenizer"] == "hf:tokenizer.json"
    for rec in all_records(ds):
        assert len(tok.encode(rec["text"], add_special_tokens=False).ids) <= budgets[rec["level"]]


def test_bad_options_are_clear_errors():
    with pytest.raises(GraphMindError, match="unknown level"):
        ExportOptions(levels=("mega",))
    with pytest.raises(GraphMindError, match="LEVEL=VALUE"):
        parse_levels_map("micro:0.5")
    with pytest.raises(GraphMindError, match="--min-confidence"):
        ExportOptions(min_confidence=2)
    with pytest.raises(GraphMindError, match="positive number"):
        ExportOptions(max_tokens={"micro": 0})
    with pytest.raises(GraphMindError, match="no such tokenizer.json"):
        build_dataset(nx.MultiDiGraph(), ExportOptions(tokenizer="/nope/tokenizer.json"))


@pytest.mark.store
def test_graph_read_back_from_the_store_gives_the_same_dataset(store, corpus_graph):
    exs = list(extract_paths([str(EXAMPLES)], RuleExtractor(trained=False))) + debate()
    store.ingest(exs)
    opts = ExportOptions(seed=3, format="chat")
    from_store = build_dataset(store.load_graph(), opts)
    in_memory = build_dataset(to_networkx(exs), opts)
    assert from_store.train == in_memory.train and from_store.val == in_memory.val


@pytest.mark.parametrize("fmt", ["text", "chat", "alpaca", "dpo"])
def test_jsonl_files_load_with_the_datasets_json_loader(corpus_graph, tmp_path, monkeypatch, fmt):
    monkeypatch.setenv("HF_DATASETS_OFFLINE", "1")
    monkeypatch.setenv("HF_HUB_OFFLINE", "1")
    import datasets
    ds = build_dataset(corpus_graph, ExportOptions(format=fmt, val_fraction=0.3, seed=1))
    out = write_dataset(ds, tmp_path / "data")
    loaded = datasets.load_dataset("json", data_files={"train": str(out / "train.jsonl"),
                                                       "validation": str(out / "val.jsonl")},
                                   cache_dir=str(tmp_path / "cache"))
    assert loaded["train"].num_rows == len(ds.train) and loaded["validation"].num_rows == len(ds.val)
    assert loaded["train"][0]["id"] == ds.train[0]["id"]
