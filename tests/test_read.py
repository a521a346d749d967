import pytest

from graphmind.exceptions import InputError
from graphmind.lang import detect_language
from graphmind.read import read_note
from graphmind.read.encoding import decode_bytes
from graphmind.read.markdown import parse_markdown


def texts(note):
    return [b.text for b in note.blocks]


def test_headings_become_sections(fixtures):
    note = read_note(fixtures / "structure.md")
    by_text = {b.text: b.section for b in note.blocks}
    assert by_text["Intro paragraph under the top heading."] == ("Top",)
    assert by_text["Closing paragraph."] == ("Top", "Second level")


def test_a_list_is_one_block_with_one_line_per_item(fixtures):
    note = read_note(fixtures / "structure.md")
    items = [b.text for b in note.blocks if b.kind == "list"]
    assert items == ["First item of a list.\nSecond item of a list continues on an indented line."]


def test_a_nested_item_keeps_its_depth_as_indentation():
    note = parse_markdown("Objections:\n- It costs too much.\n  - Reply: it pays back in a year.\n"
                          "    - The meters show it.\n- It is **ugly**.\n\t* Reply: taste changes.\n")
    (block,) = note.blocks
    assert block.text.split("\n") == ["Objections:", "It costs too much.", "  Reply: it pays back in a year.",
                                      "    The meters show it.", "It is ugly.", "  Reply: taste changes."]
    a, b = block.emphasis
    assert block.text[a:b] == "ugly"  # emphasis offsets still point at the bold word


def test_a_list_indented_as_a_whole_is_not_nested():
    note = parse_markdown("Steps:\n   - boil the water\n   - pour it\n")
    assert texts(note) == ["Steps:\nboil the water\npour it"]


def test_a_fence_holding_prose_is_kept_as_an_example_block(fixtures):
    note = read_note(fixtures / "structure.md")
    assert [b.text for b in note.blocks if b.kind == "code"] == ["Therefore this code block is not prose."]


def test_code_is_left_out_and_counted():
    note = parse_markdown("Run this:\n\n```python\ndef f(x):\n    return x * 2\n```\n\nDone here now.")
    assert texts(note) == ["Run this:", "Done here now."]
    assert note.skipped == {"code blocks (code, not prose)": 1}


def test_a_table_is_read_row_by_row_with_its_header(fixtures):
    note = read_note(fixtures / "structure.md")
    assert [b.text for b in note.blocks if b.kind == "table"] == ["a: Therefore table; b: cells"]


def test_plain_quote_is_a_paragraph(fixtures):
    note = read_note(fixtures / "structure.md")
    assert [b.kind for b in note.blocks if b.text.startswith("A plain quote")] == ["quote"]


def test_callouts_are_attributed_to_their_type(fixtures):
    note = read_note(fixtures / "chat-export.md")
    callouts = [(b.callout, b.text) for b in note.blocks if b.callout]
    assert callouts[0] == ("nexus_user", "Why do I feel tired after eight hours of sleep?")
    assert [c for c, _ in callouts] == ["nexus_user", "nexus_agent", "nexus_agent"]


def test_callout_title_is_metadata_not_text(fixtures):
    note = read_note(fixtures / "chat-export.md")
    assert not any("**User**" in t or "01.02.2026" in t for t in texts(note))
    assert [b.callout_title for b in note.blocks if b.callout][0].startswith("User")


def test_comments_and_front_matter_are_metadata(fixtures):
    note = read_note(fixtures / "chat-export.md")
    assert note.title == "Chat about sleep"
    assert not any("UID" in t or "title:" in t for t in texts(note))
    assert "UID: 1111-aaaa" in note.metadata


def test_wikilinks_are_recorded_and_alias_is_visible(fixtures):
    note = read_note(fixtures / "chat-export.md")
    assert [(l.target, l.alias) for l in note.links] == [
        ("Sleep cycles", "the note on cycles"),
        ("Circadian rhythm", None),
    ]
    assert "See the note on cycles and Circadian rhythm." in texts(note)


def test_inline_markup_is_removed():
    note = parse_markdown("This is **bold**, *italic*, `code` and [a link](http://x.invalid).")
    assert texts(note) == ["This is bold, italic, code and a link."]


def test_windows_1251_is_decoded(fixtures):
    expected = (fixtures / "ru_expected.txt").read_text(encoding="utf-8")
    note = read_note(fixtures / "cp1251.txt")
    assert " ".join(texts(note)) == " ".join(expected.split())
    assert any("Windows-1251" in n for n in note.notes)


@pytest.mark.parametrize("name", ["mojibake-latin1.md", "mojibake-macroman.md"])
def test_double_encoded_text_is_repaired(fixtures, name):
    expected = " ".join((fixtures / "ru_expected.txt").read_text(encoding="utf-8").split())
    note = read_note(fixtures / name)
    assert " ".join(texts(note)) == expected
    assert any("double-encoded" in n for n in note.notes)


def test_bom_is_not_text(fixtures):
    assert texts(read_note(fixtures / "bom.txt")) == ["Reading matters, because it trains attention."]


def test_binary_content_is_an_input_error():
    with pytest.raises(InputError, match="binary"):
        decode_bytes(b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR", "image.md")


def test_undecodable_bytes_are_reported_not_dropped():
    decoded = decode_bytes(b"Plain text \xff\xfe with bad bytes", "bad.txt")
    assert "\ufffd" in decoded.text
    assert any("undecodable" in n for n in decoded.notes)


def test_plain_text_paragraphs_split_on_blank_lines(tmp_path):
    path = tmp_path / "a.txt"
    path.write_text("First line\nsame paragraph.\n\n\nSecond paragraph.\n", encoding="utf-8")
    assert texts(read_note(path)) == ["First line same paragraph.", "Second paragraph."]


@pytest.mark.parametrize(
    "text, lang",
    [("Memory is a river.", "en"), ("Память — это река.", "ru"), ("12345 ---", "other"), ("Это text на русском", "ru")],
)
def test_language_is_detected_by_script(text, lang):
    assert detect_language(text) == lang


@pytest.mark.parametrize("line, title", [
    ('title: "He said \\"hi\\" to me"', 'He said "hi" to me'),
    ("title: 'It''s late'", "It's late"),
    ('title: "Tab\\tand \\u00e9"', "Tab\tand é"),
    ('title: "\\UFFFFFFFF stays"', "\\UFFFFFFFF stays"),
])
def test_a_yaml_title_is_unescaped(tmp_path, line, title):
    path = tmp_path / "note.md"
    path.write_text(f"---\n{line}\n---\n\nSome text.\n", encoding="utf-8")
    assert read_note(path).title == title


def test_inline_code_keeps_its_text(tmp_path):
    path = tmp_path / "note.md"
    path.write_text("We should run `git rebase --onto main` before merging.\n", encoding="utf-8")
    assert texts(read_note(path)) == ["We should run git rebase --onto main before merging."]


def _items(note):
    return [line for b in note.blocks if b.kind in ("list", "table") for line in b.text.split("\n")]


def test_list_items_over_the_note_limit_are_counted_not_read(monkeypatch):
    monkeypatch.setenv("GRAPHMIND_MAX_LIST_ITEMS", "50")
    rows = "| n | claim |\n|---|---|\n" + "".join(f"| {i} | row {i} |\n" for i in range(20))
    text = "".join(f"- item {i} is a claim.\n" for i in range(40)) + "\nA paragraph after.\n\n" + rows
    note = parse_markdown(text)
    items = _items(note)
    assert len(items) == 50 and items[0] == "item 0 is a claim." and items[-1].startswith("n: 9;")
    (what, left_out), = note.skipped.items()
    assert left_out == 10 and "GRAPHMIND_MAX_LIST_ITEMS" in what
    assert "A paragraph after." in texts(note)  # the prose after the limit is still read


def test_a_list_within_the_limit_is_read_whole():
    note = parse_markdown("".join(f"- item {i} is a claim.\n" for i in range(1_000)))
    assert len(_items(note)) == 1_000 and not note.skipped


def test_a_bad_list_limit_is_one_clear_error(monkeypatch):
    monkeypatch.setenv("GRAPHMIND_MAX_LIST_ITEMS", "many")
    with pytest.raises(InputError, match="GRAPHMIND_MAX_LIST_ITEMS must be a whole number"):
        parse_markdown("- one\n- two\n")
