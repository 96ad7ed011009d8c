"""fields: one check_fields for every schema, and the parsers that read single values."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta, timezone
from zoneinfo import ZoneInfo

import pytest

from newsroom import fields as f
from newsroom.config import CONFIG_SCHEMA
from newsroom.content import ARTICLE_SCHEMA, EVENT_SCHEMA
from newsroom.yamlsource import parse_yaml

SCHEMA: f.Schema = {
    "title": f.Field(f.text, required=True, example='"Your headline"'),
    "location": f.Field(f.text),
    "draft": f.Field(f.boolean),
}


def check(text: str, schema: f.Schema = SCHEMA, key: tuple = (), **options) -> f.Checked:
    doc, problems = parse_yaml(text, "content/x.yaml")
    assert problems == [] and doc is not None
    item = doc.data
    for part in key:
        item = item[part]
    return f.check_fields(item, schema, doc, key, "content/x.yaml", **options)


def messages(checked: f.Checked) -> list[str]:
    return [str(p) for p in checked.problems]


def failure(parse, value) -> str:
    with pytest.raises(f.FieldError) as raised:
        parse(value)
    return str(raised.value)


# check_fields


def test_known_keys_are_parsed_into_values():
    checked = check("title: Fair\nlocation: Town hall\ndraft: true\n")
    assert checked.problems == []
    assert checked.values == {"title": "Fair", "location": "Town hall", "draft": True}
    assert checked.extra == {}


def test_unknown_key_near_a_known_one_is_an_error_with_a_suggestion():
    checked = check("title: Fair\nlcoation: Town hall\n")
    assert messages(checked) == [
        "content/x.yaml:2: unknown key 'lcoation' (did you mean 'location'?)"]


def test_near_miss_is_an_error_even_when_unknown_keys_are_kept():
    checked = check("titel: Fair\n", keep_unknown=True)
    assert messages(checked) == [
        "content/x.yaml:1: unknown key 'titel' (did you mean 'title'?)",
        "content/x.yaml:1: title: missing (add title: \"Your headline\")",
    ]
    assert checked.extra == {}


def test_unknown_key_far_from_any_known_one_lists_the_known_keys():
    checked = check("title: Fair\nflavour: lemon\n")
    assert messages(checked) == [
        "content/x.yaml:2: unknown key 'flavour' (known keys: draft, location, title)"]


def test_unknown_config_key_lists_every_config_key():
    checked = check("title: News\nbase_url: https://example.org/\nwibble: 3\n",
                    schema=CONFIG_SCHEMA)
    known = ", ".join(sorted(CONFIG_SCHEMA))
    assert messages(checked) == [f"content/x.yaml:3: unknown key 'wibble' (known keys: {known})"]


def test_keep_unknown_keeps_unknown_keys_in_extra_as_written():
    checked = check("title: Fair\nhero_colour: teal\nsponsors: [a, b]\n", keep_unknown=True)
    assert checked.problems == []
    assert checked.values == {"title": "Fair"}
    assert checked.extra == {"hero_colour": "teal", "sponsors": ["a", "b"]}


def test_missing_required_key_points_at_the_records_line():
    checked = check("- title: One\n- location: Hall\n  draft: false\n", key=(1,))
    assert messages(checked) == [
        "content/x.yaml:2: title: missing (add title: \"Your headline\")"]


def test_empty_required_value_is_an_error_at_its_key():
    checked = check("location: Hall\ntitle:\n")
    assert messages(checked) == ["content/x.yaml:2: title: is empty (write title: "
                                 "\"Your headline\")"]


def test_blank_required_text_is_empty_too():
    checked = check("title: '   '\n")
    assert messages(checked) == ["content/x.yaml:1: title: is empty (write title: "
                                 "\"Your headline\")"]


def test_empty_optional_value_is_left_out():
    checked = check("title: Fair\nlocation:\n")
    assert checked.problems == []
    assert checked.values == {"title": "Fair"}


def test_a_bad_value_names_the_key_and_its_line():
    checked = check("title: Fair\ndraft: maybe\n")
    assert messages(checked) == [
        "content/x.yaml:2: draft: 'maybe' is not true or false (write true or false)"]


def test_label_prefixes_every_message():
    text = "- title: One\n- title: Two\n  lcoation: Hall\n  draft: often\n"
    checked = check(text, key=(1,), label="event 2")
    assert messages(checked) == [
        "content/x.yaml:3: event 2: unknown key 'lcoation' (did you mean 'location'?)",
        "content/x.yaml:4: event 2: draft: 'often' is not true or false (write true or false)",
    ]


def test_every_problem_of_a_record_is_reported_at_once():
    checked = check("titel: Fair\ndraft: often\nlocation: [a]\n")
    assert len(checked.problems) == 4
    assert [p.line for p in checked.problems] == [1, 2, 3, 1]


def test_a_record_that_is_not_a_mapping_is_one_problem():
    checked = check("- just a line\n", key=(0,), label="event 1")
    assert messages(checked) == [
        "content/x.yaml:1: event 1: expected key: value lines (a mapping), found str"]


def test_a_key_that_is_not_a_name_is_an_error():
    checked = check("title: Fair\n2020: year\n")
    assert messages(checked) == [
        "content/x.yaml:2: key 2020 is not a name; write a word such as title:"]


def test_article_and_event_schemas_are_checked_by_the_same_helper():
    article = check("title: Hi\ndate: July 6th\n", schema=ARTICLE_SCHEMA, keep_unknown=True)
    assert messages(article) == ["content/x.yaml:2: date: 'July 6th' is not a date (write "
                                 "2020-07-06 or 2020-07-06 09:30)"]
    event = check("title: Hi\nstart: 2027-01-01\nstatus: cancelld\n", schema=EVENT_SCHEMA)
    assert messages(event) == [
        "content/x.yaml:3: status: 'cancelld' is not allowed (did you mean 'cancelled'? write "
        "one of: scheduled, cancelled, postponed, rescheduled, moved-online)"]


# text


def test_text_is_stripped_and_numbers_are_taken_as_text():
    assert f.text("  Hello  ") == "Hello"
    assert f.text(42) == "42"
    assert f.text(1.5) == "1.5"


def test_text_refuses_lists_mappings_and_booleans():
    assert failure(f.text, ["a"]) == ("['a'] is not text (write plain text, in quotes if it "
                                      "contains ': ')")
    assert failure(f.text, {"a": 1}) == ("{'a': 1} is not text (write plain text, in quotes "
                                         "if it contains ': ')")
    assert failure(f.text, True) == ("True is not text (write plain text, in quotes if it "
                                     "contains ': ')")


def test_text_that_is_only_spaces_is_empty():
    assert failure(f.text, "   ") == "is empty"


def test_long_values_are_shortened_in_messages():
    assert failure(f.when, "x" * 100) == ("'" + "x" * 56 + "...' is not a date (write "
                                          "2020-07-06 or 2020-07-06 09:30)")


# boolean


def test_boolean_takes_true_and_false_only():
    assert f.boolean(True) is True
    assert f.boolean(False) is False
    assert failure(f.boolean, "yes please") == ("'yes please' is not true or false (write "
                                                "true or false)")
    assert failure(f.boolean, 1) == "1 is not true or false (write true or false)"


# string_list


def test_string_list_splits_a_comma_separated_line():
    assert f.string_list("science, health ,people") == ("science", "health", "people")


def test_string_list_takes_a_yaml_list():
    assert f.string_list(["science", "health"]) == ("science", "health")


def test_string_list_drops_repeats_and_keeps_the_first_order():
    assert f.string_list(["b", "a", "b", " a "]) == ("b", "a")
    assert f.string_list("b, a, b") == ("b", "a")


def test_string_list_takes_numbers_as_text():
    assert f.string_list(["covid", 19]) == ("covid", "19")


def test_string_list_refuses_items_that_are_not_text():
    assert failure(f.string_list, ["a", ["b"]]) == "['b'] is not text (write [first, second])"
    assert failure(f.string_list, ["a", {"b": 1}]) == ("{'b': 1} is not text (write [first, "
                                                       "second])")


def test_string_list_refuses_a_mapping_or_a_number():
    assert failure(f.string_list, {"a": 1}) == "{'a': 1} is not a list (write [first, second])"
    assert failure(f.string_list, 7) == "7 is not a list (write [first, second])"


# when


def test_when_reads_a_date():
    assert f.when("2020-07-06") == date(2020, 7, 6)


def test_when_reads_a_date_and_time_without_a_zone():
    assert f.when("2020-07-06 09:30") == datetime(2020, 7, 6, 9, 30)
    assert f.when("2020-07-06T09:30:15") == datetime(2020, 7, 6, 9, 30, 15)


def test_when_reads_a_single_digit_hour():
    assert f.when("2020-07-06 9:30") == datetime(2020, 7, 6, 9, 30)


def test_when_keeps_an_offset():
    assert f.when("2020-07-06 09:30+01:00") == datetime(
        2020, 7, 6, 9, 30, tzinfo=timezone(timedelta(hours=1)))
    assert f.when("2020-07-06T09:30Z") == datetime(2020, 7, 6, 9, 30, tzinfo=UTC)


def test_when_passes_yaml_dates_and_datetimes_through():
    assert f.when(date(2020, 7, 6)) == date(2020, 7, 6)
    assert f.when(datetime(2020, 7, 6, 9, 30)) == datetime(2020, 7, 6, 9, 30)


def test_when_refuses_words():
    assert failure(f.when, "July 6th") == ("'July 6th' is not a date (write 2020-07-06 or "
                                           "2020-07-06 09:30)")


def test_when_refuses_a_day_that_does_not_exist():
    assert failure(f.when, "2020-02-30") == ("'2020-02-30' is not a real date or time (write "
                                             "2020-07-06 or 2020-07-06 09:30)")


def test_when_refuses_an_hour_that_does_not_exist():
    assert failure(f.when, "2020-07-06 25:00") == ("'2020-07-06 25:00' is not a real date or "
                                                   "time (write 2020-07-06 or "
                                                   "2020-07-06 09:30)")


def test_when_refuses_a_number():
    assert failure(f.when, 2020) == "2020 is not a date (write 2020-07-06 or 2020-07-06 09:30)"


# timezone


def test_timezone_reads_an_iana_name():
    assert f.timezone("America/New_York") == ZoneInfo("America/New_York")
    assert f.timezone(" Europe/London ") == ZoneInfo("Europe/London")


def test_timezone_refuses_an_unknown_zone():
    assert failure(f.timezone, "Mars/Olympus") == (
        "'Mars/Olympus' is not a known time zone (write an IANA name such as Europe/London "
        "or America/New_York)")


def test_timezone_refuses_a_path():
    assert failure(f.timezone, "../etc/passwd") == (
        "'../etc/passwd' is not a known time zone (write an IANA name such as Europe/London or "
        "America/New_York)")
    assert failure(f.timezone, "/etc/localtime") == (
        "'/etc/localtime' is not a known time zone (write an IANA name such as Europe/London or "
        "America/New_York)")


# web_url and link


def test_web_url_takes_http_and_https_addresses():
    assert f.web_url("https://example.org/page?x=1") == "https://example.org/page?x=1"
    assert f.web_url("http://localhost:8000/") == "http://localhost:8000/"


def test_web_url_refuses_other_schemes_and_bare_names():
    for value in ["example.org", "javascript:alert(1)", "ftp://example.org/x", "/about/"]:
        assert failure(f.web_url, value) == (f"'{value}' is not a full web address (write "
                                             "https://example.org/page)")


def test_link_takes_a_site_path_or_a_web_address():
    assert f.link("/media/photo.jpg") == "/media/photo.jpg"
    assert f.link("https://example.org/photo.jpg") == "https://example.org/photo.jpg"


def test_link_refuses_parent_folders():
    assert failure(f.link, "/media/../site_config.yaml") == (
        "'/media/../site_config.yaml' may not contain '..' (write /media/photo.jpg)")


def test_link_refuses_protocol_relative_and_relative_paths():
    for value in ["//evil.example/x.jpg", "media/photo.jpg", "javascript:alert(1)"]:
        assert failure(f.link, value) == (
            f"'{value}' is not a link (write /media/photo.jpg for a file on this site or "
            "https://example.org/page)")


# slug


def test_slug_takes_lowercase_words_and_hyphens():
    assert f.slug("summer-fair-2020") == "summer-fair-2020"


def test_slug_refuses_other_characters_and_suggests_one():
    assert failure(f.slug, "Summer Fair!") == (
        "'Summer Fair!' may only contain lowercase letters, digits and hyphens "
        "(write summer-fair)")


def test_slug_with_nothing_usable_suggests_a_placeholder():
    assert failure(f.slug, "!!!") == (
        "'!!!' may only contain lowercase letters, digits and hyphens (write my-page)")


# choice


def test_choice_takes_one_of_its_words_in_any_case():
    status = f.choice("scheduled", "cancelled")
    assert status("Cancelled") == "cancelled"


def test_choice_suggests_the_nearest_word():
    status = f.choice("scheduled", "cancelled", "postponed")
    assert failure(status, "canceled") == ("'canceled' is not allowed (did you mean "
                                           "'cancelled'? write one of: scheduled, cancelled, "
                                           "postponed)")


def test_choice_without_a_near_word_lists_them_all():
    status = f.choice("scheduled", "cancelled")
    assert failure(status, "zzz") == "'zzz' is not allowed (write one of: scheduled, cancelled)"


# integer


def test_integer_takes_the_bounds_themselves():
    per_page = f.integer(1, 1000)
    assert per_page(1) == 1
    assert per_page(1000) == 1000


def test_integer_refuses_values_outside_the_bounds():
    per_page = f.integer(1, 1000)
    assert failure(per_page, 0) == "0 is not a whole number from 1 to 1000"
    assert failure(per_page, 1001) == "1001 is not a whole number from 1 to 1000"


def test_integer_refuses_a_boolean():
    assert failure(f.integer(0, 100), True) == "True is not a whole number from 0 to 100"


def test_integer_refuses_text_and_fractions():
    assert failure(f.integer(0, 100), "5") == "'5' is not a whole number from 0 to 100"
    assert failure(f.integer(0, 100), 2.5) == "2.5 is not a whole number from 0 to 100"


# mapping_list


def test_mapping_list_takes_a_list_only():
    assert f.mapping_list([{"a": 1}]) == [{"a": 1}]
    assert failure(f.mapping_list, {"a": 1}) == ("{'a': 1} is not a list (write one '- ' line "
                                                 "per item)")
