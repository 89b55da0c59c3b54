"""What the contracts refuse so that a partnership holds only pseudonymous data, and text says what it shows."""

import re

import pytest
from pydantic import BaseModel, ValidationError

from shared.events import catalogue
from shared.events.base import FreeText, PseudonymousRef, Title
from shared.events.personal_data import KINDS, personal_data_in
from shared.events.privacy import (FREE_TEXT_PATTERN, TITLE_PATTERN, is_nhs_number, nhs_numbers_in,
                                   refuse_control_characters)


@pytest.mark.parametrize("digits, valid", [("9434765919", True), ("4010232137", True), ("9434765918", False),
                                           ("4857773456", False), ("943476591", False)])
def test_the_modulus_11_check_tells_an_nhs_number_from_ten_digits(digits, valid):
    assert is_nhs_number(digits) is valid


@pytest.mark.parametrize("text", ["9434765919", "943 476 5919", "943-476-5919", "943.476.5919", "943/476/5919",
                                  "NHS9434765919", "nhs:9434765919x", "ref-94347659190", "09434765919",
                                  "Child's NHS no. is 943 476 5919, seen at A&E",
                                  # any run of separators between the groups counts as one
                                  "(943) 476 5919", "943 - 476 - 5919", "943  476  5919", "943,476,5919",
                                  "943, 476, 5919", "943\u00a0476\u00a05919", "943\u2009476\u20095919",
                                  "943\u2013476\u20135919", "943\u2014476\u20145919", "943\t476\t5919",
                                  "943\n476\n5919", "943\u200b476\u200b5919", "943\u00ad476\u00ad5919",
                                  "943\u2028476\u20285919", "[943] [476] [5919]", "943 \u2010 476 \u2010 5919",
                                  # inside a longer reference, in its printed groups; in full-width digits
                                  "2021-943-476-5919", "case 2021/943/476/5919/b", "\uff19\uff14\uff13 476 5919",
                                  "9 4 3 4 7 6 5 9 1 9"])
def test_an_nhs_number_is_found_however_it_is_written_or_wrapped(text):
    assert nhs_numbers_in(text) == ["9434765919"] or "9434765919" in nhs_numbers_in(text)


@pytest.mark.parametrize("text", ["att-9f3a11c2", "safer-recruitment-20211013-1330", "4857773456",
                                  "20211207093000", "session 2021-12-07 09:30", "1,368 attendees in 2021-22",
                                  "12/03/21 09:30", "http://127.0.0.1:8000/p/doncaster/", "45, 52, 61, 70, 80",
                                  "2021-22, 2022-23 and 2023-24"])
def test_references_dates_and_figures_that_are_not_nhs_numbers_pass(text):
    assert nhs_numbers_in(text) == []


KINDS = {
    "an email address": ["Contact ellie.johnson@example.org about this", "ELLIE_J+x@mail.example.co.uk",
                         "ellie\u200b@example.com", "mum: e.johnson@\uff45xample.com"],
    "a phone number": ["07700 900123", "+44 7700 900123", "call 07700900123 today", "07700-900-123",
                       "+447700900123", "0044 7700 900123", "+44 (0) 7700 900123", "(0114) 496 0123",
                       "0114 496 0123", "01632 960123", "020 7946 0958", "07700\u00a0900\u00a0123"],
    "a postcode": ["DN1 3BU", "lives at dn1 3bu", "SW1A 1AA", "EC1A 1BB", "W1A 0AX", "M1 1AE", "B33 8TH",
                   "CR2 6XH", "DN13BU", "GIR 0AA", "DN1\u00a03BU"],
    "a date of birth": ["DOB 12/03/2015", "D.O.B. 12/03/2015", "d.o.b: 12-3-15", "date of birth: 12 March 2015",
                        "born 2015-03-12", "birthday 12.03.2015", "born on the 12th of March 2015",
                        "DOB: March 12, 2015", "12/03/2015 (DOB)", "Born 12 Mar 15", "birth date 12\u201303\u20132015"],
    "a person's name with their age": ["Ellie-Mae Johnson (aged 7)", "Ellie-Mae Johnson, aged 7",
                                       "Ellie-Mae Johnson age 7", "Ellie-Mae Johnson 7 years old",
                                       "Ellie-Mae Johnson, 7-year-old", "Ellie-Mae Johnson, a 7\u2011year\u2011old girl",
                                       "Liam O'Brien (aged 12)", "Zo\u00eb M\u00fcller, aged 9",
                                       "concerns about Tom Smith aged 15 at school", "Sam Lee (7 years old)"],
}


@pytest.mark.parametrize("kind, text", [(kind, text) for kind, texts in KINDS.items() for text in texts])
def test_personal_data_of_every_kind_is_found(kind, text):
    assert personal_data_in(text) == kind


@pytest.mark.parametrize("text", [
    "children aged 0-2 who are members of a Family Hub", "Year 7 pupils", "Children aged 0-5",
    "Family Hub children aged 5 to 11", "84% took up 2-year-old funding", "Looked After Children aged 16+",
    "Young People aged 16 and over", "Sessions for Year 6 (aged 10-11)", "Priority 3 (aged 18-25 care leavers)",
    "Early Help 2-year-old offer", "Key Stage 2 pupils", "KS2 3rd quarter", "Q3 1st", "babies born in 2021",
    "born in 2015 and seen on 12/03/2021", "Born Free training 2021-12-07", "email the team at the DSCP",
    "Child Matters: 81 sessions, 4,600 attendees, open to multi-agency partners.", "budget 1250000",
    "KPI 12345 67890", "Meeting 12/03/2022, 10:00-12:00", "Section 47 enquiries within 15 working days",
    "Working Together 2018, chapter 4", "aq35jg", "1234567890", "4857773456"])
def test_ordinary_safeguarding_text_and_figures_are_not_personal_data(text):
    assert personal_data_in(text) is None


def test_every_sample_event_passes_the_guard():
    """The sample partnerships' text (strategies, KPIs, reviews, training) is what partners write: none refused."""
    from sample.load import sample_events

    for event in sample_events():
        catalogue.parse_data(event)


class Fields(BaseModel):
    title: Title(200) | None = None
    note: FreeText(2000) | None = None
    ref: PseudonymousRef | None = None


@pytest.mark.parametrize("field, kind, value", [("title", "an NHS number", "Case 943 476 5919"),
                                                ("note", "a phone number", "Mum on 07700 900123"),
                                                ("title", "a postcode", "Visit to DN1 3BU"),
                                                ("note", "an email address", "ellie@example.org"),
                                                ("note", "a date of birth", "DOB 12/03/2015"),
                                                ("title", "a person's name with their age", "Ellie-Mae Johnson (aged 7)"),
                                                ("ref", "an NHS number", "9434765919")])
def test_a_refusal_names_the_field_and_the_kind_and_never_echoes_the_value(field, kind, value):
    with pytest.raises(ValidationError) as refused:
        Fields(**{field: value})
    (error,) = refused.value.errors()
    assert error["loc"] == (field,) and f"contains what looks like {kind}" in error["msg"]
    assert value not in error["msg"]


BLANK = ["   ", "\u00a0\u00a0", "\u2028", "\u2029", "\u200b", "\u200b\u200c\u200d\u2060\ufeff", "\u3000\u2009",
         "\u00ad", "\u3164", " \u2028 \u2029 "]


@pytest.mark.parametrize("value", BLANK)
def test_text_made_only_of_spaces_or_invisible_characters_is_refused(value):
    for field in ("title", "note"):
        with pytest.raises(ValidationError, match="visible text") as refused:
            Fields(**{field: value})
        assert refused.value.errors()[0]["loc"] == (field,)
    with pytest.raises(ValidationError, match="visible text"):
        Fields(note="\n\t" + value + "\r\n")


@pytest.mark.parametrize("value", [*BLANK, *(f"{b}x{b}" for b in BLANK), "Child Exploitation", "a\tb", "a\nb",
                                   "a\u202eb", "a\x00b", "\n", "\u00e9", "\u200bx"])
def test_the_published_patterns_say_what_the_contracts_accept(value):
    for field, pattern in (("title", TITLE_PATTERN), ("note", FREE_TEXT_PATTERN)):
        try:
            Fields(**{field: value})
            accepted = True
        except ValidationError:
            accepted = False
        assert bool(re.fullmatch(pattern, value)) is accepted, (field, value)


@pytest.mark.parametrize("text", ["a\u202eb", "a\u2066b", "a\x00b", "a\x1bb", "a\x85b", "two\nlines"])
def test_control_and_bidirectional_override_characters_are_refused_in_one_line_text(text):
    with pytest.raises(ValueError, match="control"):
        refuse_control_characters(text)


def _strings_and_arrays(schema, defs, path="$"):
    """Every string and array in a JSON Schema, with where it is, following $refs."""
    if "$ref" in schema:
        yield from _strings_and_arrays(defs[schema["$ref"].rsplit("/", 1)[1]], defs, path)
        return
    for key in ("anyOf", "oneOf", "allOf"):
        for i, sub in enumerate(schema.get(key, [])):
            yield from _strings_and_arrays(sub, defs, f"{path}.{key}[{i}]")
    if schema.get("type") in ("string", "array"):
        yield path, schema
    for name, sub in schema.get("properties", {}).items():
        yield from _strings_and_arrays(sub, defs, f"{path}.{name}")
    if isinstance(schema.get("items"), dict):
        yield from _strings_and_arrays(schema["items"], defs, f"{path}[]")


@pytest.mark.parametrize("type_name", sorted(catalogue.CATALOGUE))
def test_every_field_of_every_contract_is_bounded(type_name):
    """So no event can outgrow what Kafka accepts: strings by length, pattern or enumeration, lists by count."""
    schema = catalogue.json_schema(type_name)
    defs = schema.get("$defs", {})
    for path, node in _strings_and_arrays(schema, defs):
        if node["type"] == "string":
            assert "maxLength" in node or "enum" in node or "const" in node or node.get("format") == "date-time", path
        else:
            assert "maxItems" in node, path


def test_every_envelope_attribute_is_bounded():
    schema = catalogue.envelope_schema()
    for path, node in _strings_and_arrays(schema, schema.get("$defs", {})):
        if node["type"] == "string":
            assert "maxLength" in node or "enum" in node or "const" in node or node.get("format") == "date-time", path


@pytest.mark.parametrize("text", ["Ab-" * 1333, "Ab Cd " * 666, "O'Br " * 800, "1 " * 2000, "a." * 2000 + "@",
                                  "12/03/" * 666, "DOB " * 1000, "0" * 4000])
def test_the_longest_free_text_is_decided_whatever_it_holds(text):
    """How long it takes is measured by `python -m bench.privacy`, never asserted here (shared, noisy machines)."""
    assert personal_data_in(text) in (None, *KINDS)


def test_text_dense_with_phone_shaped_numbers_is_refused_without_asking_the_matcher():
    assert personal_data_in("07700 " * 660) == "a phone number"
    assert personal_data_in("Numbers: " + ", ".join(f"0114 496 {n:04d}" for n in range(21))) == "a phone number"
