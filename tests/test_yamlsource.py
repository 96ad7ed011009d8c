"""yamlsource.parse_yaml: safe loading that remembers the line of every key and list item."""

from __future__ import annotations

from newsroom import yamlsource
from newsroom.problems import Problem
from newsroom.yamlsource import YamlDoc, parse_yaml

DOCUMENT = """\
title: Summer fair
tags:
  - fair
  - summer
venue:
  name: Town hall
  rooms:
    - Main hall
"""


def test_every_key_and_list_item_has_its_1_based_line():
    doc, problems = parse_yaml(DOCUMENT, "content/events/fair.yaml")
    assert problems == []
    assert doc is not None
    assert doc.data == {"title": "Summer fair", "tags": ["fair", "summer"],
                        "venue": {"name": "Town hall", "rooms": ["Main hall"]}}
    assert doc.lines == {
        (): 1,
        ("title",): 1,
        ("tags",): 2,
        ("tags", 0): 3,
        ("tags", 1): 4,
        ("venue",): 5,
        ("venue", "name"): 6,
        ("venue", "rooms"): 7,
        ("venue", "rooms", 0): 8,
    }


def test_line_offset_shifts_every_line_for_front_matter_inside_a_larger_file():
    doc, problems = parse_yaml(DOCUMENT, "content/news/x.md", line_offset=1)
    assert problems == []
    assert doc is not None
    assert doc.line(("title",)) == 2
    assert doc.line(("tags", 1)) == 5
    assert doc.line(("venue", "rooms", 0)) == 9


def test_items_of_a_top_level_list_have_their_own_lines():
    text = "- title: First\n  start: 2027-01-01\n- title: Second\n  start: 2027-02-01\n"
    doc, problems = parse_yaml(text, "content/events/list.yaml")
    assert problems == []
    assert doc is not None
    assert doc.line((0,)) == 1
    assert doc.line((1,)) == 3
    assert doc.line((1, "start")) == 4


def test_keys_that_yaml_reads_as_numbers_or_booleans_have_their_own_lines():
    doc, problems = parse_yaml("title: Fair\n2020: year\nyes: sure\n", "content/x.yaml")
    assert problems == []
    assert doc is not None
    assert doc.data == {"title": "Fair", 2020: "year", True: "sure"}
    assert doc.line((2020,)) == 2
    assert doc.line((True,)) == 3


def test_line_of_an_unknown_key_falls_back_to_its_nearest_parent():
    doc, _ = parse_yaml(DOCUMENT, "content/events/fair.yaml")
    assert doc is not None
    assert doc.line(("venue", "postcode")) == 5
    assert doc.line(("venue", "rooms", 7)) == 7
    assert doc.line(("nothing", "here")) == 1


def test_line_of_an_empty_document_is_the_default():
    assert YamlDoc(None, {}).line(("title",)) == 1
    assert YamlDoc(None, {}).line(("title",), default=7) == 7


def test_duplicate_key_is_reported_with_both_lines():
    text = "title: One\ndate: 2020-07-06\ntitle: Two\n"
    doc, problems = parse_yaml(text, "content/news/x.md", line_offset=1)
    assert doc is None
    assert [str(p) for p in problems] == [
        "content/news/x.md:4: duplicate key 'title' (first given on line 2); keep one of them"]


def test_duplicate_keys_in_nested_mappings_are_reported_too():
    text = "- title: A\n  start: 2027-01-01\n  title: B\n"
    doc, problems = parse_yaml(text, "content/events/e.yaml")
    assert doc is None
    assert problems == [Problem("content/events/e.yaml", 3, "duplicate key 'title' (first "
                                "given on line 1); keep one of them")]


def test_the_same_key_in_two_list_items_is_not_a_duplicate():
    text = "- title: A\n- title: B\n"
    doc, problems = parse_yaml(text, "content/events/e.yaml")
    assert problems == []
    assert doc is not None
    assert doc.data == [{"title": "A"}, {"title": "B"}]


def test_syntax_error_gives_the_line_and_the_offset():
    text = "title: Hello\ntags: [one, two\ndate: 2020-07-06\n"
    doc, problems = parse_yaml(text, "content/news/x.md", line_offset=1)
    assert doc is None
    assert len(problems) == 1
    assert problems[0].path == "content/news/x.md"
    assert problems[0].line == 4
    assert problems[0].message.startswith("YAML syntax error: ")


def test_tab_indentation_is_a_syntax_error_with_the_tab_hint():
    text = "title: Hello\ntags:\n\t- one\n"
    doc, problems = parse_yaml(text, "site_config.yaml")
    assert doc is None
    assert [str(p) for p in problems] == [
        "site_config.yaml:3: YAML syntax error: found character '\\t' that cannot start any "
        "token (YAML does not allow tabs for indentation: use spaces)"]


def test_unquoted_colon_in_a_value_is_a_syntax_error_with_the_quoting_hint():
    text = "date: 2020-07-06\ntitle: Ohio: lessons from the field\n"
    doc, problems = parse_yaml(text, "content/news/x.md", line_offset=1)
    assert doc is None
    assert [str(p) for p in problems] == [
        "content/news/x.md:3: YAML syntax error: mapping values are not allowed here "
        "(a value containing ': ' must be quoted, e.g. title: \"Ohio: lessons\")"]


def test_other_syntax_errors_get_the_general_hint():
    doc, problems = parse_yaml("a: [1\nb: 2\n", "f.yaml")
    assert doc is None
    assert len(problems) == 1
    assert problems[0].line == 2
    assert problems[0].message.endswith(
        "(check the indentation, and quote values that contain ':' or start with "
        "'@', '*' or '&')")


def test_alias_bomb_returns_instead_of_hanging():
    # "Billion laughs": 9 levels of 9 aliases each, 9**9 strings if expanded naively.
    lines = ['a: &a ["lol", "lol", "lol", "lol", "lol", "lol", "lol", "lol", "lol"]']
    previous = "a"
    for name in "bcdefghi":
        lines.append(f"{name}: &{name} [" + ", ".join([f"*{previous}"] * 9) + "]")
        previous = name
    doc, problems = parse_yaml("\n".join(lines) + "\n", "content/events/bomb.yaml")
    if doc is None:
        assert [p.path for p in problems] == ["content/events/bomb.yaml"]
    else:
        assert problems == []
        assert doc.line(("i",)) == 9
        # The aliases are shared, not copied out 9**9 times.
        assert doc.data["i"][0] is doc.data["i"][1]


def test_aliases_that_would_expand_past_the_limit_are_reported(monkeypatch):
    monkeypatch.setattr(yamlsource, "MAX_NODES", 100)
    text = "a: &a [" + ", ".join(["x"] * 20) + "]\nb: [*a, *a, *a, *a, *a, *a]\n"
    doc, problems = parse_yaml(text, "content/events/e.yaml")
    assert doc is None
    assert "too large or too deeply aliased" in problems[0].message


def test_empty_document_is_no_data_and_no_problem():
    doc, problems = parse_yaml("", "content/events/empty.yaml")
    assert problems == []
    assert doc is not None
    assert doc.data is None


def test_document_of_only_comments_is_no_data():
    doc, problems = parse_yaml("# nothing yet\n", "content/events/empty.yaml")
    assert problems == []
    assert doc is not None
    assert doc.data is None


def test_several_documents_in_one_file_are_an_error_at_the_second():
    text = "title: One\n---\ntitle: Two\n"
    doc, problems = parse_yaml(text, "content/events/two.yaml")
    assert doc is None
    assert len(problems) == 1
    assert problems[0].path == "content/events/two.yaml"
    assert problems[0].line == 2
    assert "another document" in problems[0].message


def test_timestamps_stay_text_so_an_impossible_date_is_checked_with_its_line():
    # Unquoted, 2020-02-30 looks like a YAML timestamp; building it would fail with no line,
    # so the loader leaves it as text and fields.when reports it at the key.
    doc, problems = parse_yaml("title: Fair\ndate: 2020-02-30\n", "content/news/x.md",
                               line_offset=1)
    assert problems == []
    assert doc.data == {"title": "Fair", "date": "2020-02-30"}
    assert doc.line(("date",)) == 3


def test_unsafe_tags_are_refused():
    text = "title: !!python/object/apply:os.system ['echo hi']\n"
    doc, problems = parse_yaml(text, "site_config.yaml")
    assert doc is None
    assert len(problems) == 1
    assert problems[0].line == 1
    assert problems[0].message.startswith("YAML error: ")


def test_typical_front_matter_reads_with_the_line_of_every_key_and_item():
    text = ('\ntitle: "Granta and Vireo agree £2.5bn merger"\ndate: 2015-01-03T10:02:30+00:00\n'
            "author: Editor\ncategory: People & places\n# kept for the archive\n"
            "tags: [life sciences, \"exports\", 'it''s']\nimage: /media/a.svg\ndraft: false\n")
    doc, problems = parse_yaml(text, "a.md", 2)
    assert problems == []
    assert doc.data == {"title": "Granta and Vireo agree £2.5bn merger",
                        "date": "2015-01-03T10:02:30+00:00", "author": "Editor",
                        "category": "People & places",
                        "tags": ["life sciences", "exports", "it's"],
                        "image": "/media/a.svg", "draft": False}
    assert doc.lines[("tags", 2)] == 9 and doc.lines[("title",)] == 4
