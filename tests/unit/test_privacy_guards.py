"""What the contracts refuse so that a partnership holds only pseudonymous data, and text says what it shows."""

import pytest

from shared.events import catalogue
from shared.events.privacy import is_nhs_number, nhs_numbers_in, refuse_control_characters


@pytest.mark.parametrize("digits, valid", [("9434765919", True), ("4010232137", True), ("9434765918", False),
                                           ("4857773456", False), ("943476591", False)])
def test_the_modulus_11_check_tells_an_nhs_number_from_ten_digits(digits, valid):
    assert is_nhs_number(digits) is valid


@pytest.mark.parametrize("text", ["9434765919", "943 476 5919", "943-476-5919", "943.476.5919", "943/476/5919",
                                  "NHS9434765919", "nhs:9434765919x", "ref-94347659190", "09434765919",
                                  "Child's NHS no. is 943 476 5919, seen at A&E"])
def test_an_nhs_number_is_found_however_it_is_written_or_wrapped(text):
    assert nhs_numbers_in(text) == ["9434765919"] or "9434765919" in nhs_numbers_in(text)


@pytest.mark.parametrize("text", ["att-9f3a11c2", "safer-recruitment-20211013-1330", "4857773456",
                                  "20211207093000", "session 2021-12-07 09:30", "1,368 attendees in 2021-22"])
def test_references_dates_and_figures_that_are_not_nhs_numbers_pass(text):
    assert nhs_numbers_in(text) == []


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
