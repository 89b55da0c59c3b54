"""The envelope and the catalogue: what partners may send, and the published contract."""

from pathlib import Path

import pytest
from pydantic import ValidationError

from shared.events import catalogue
from shared.events.envelope import Envelope, new_event

ROOT = Path(__file__).resolve().parents[2]


def test_the_committed_catalogue_matches_the_code():
    """Regenerate with `python -m shared.events.catalogue` when a contract changes (as a new version)."""
    for path, text in catalogue.rendered(ROOT / "docs" / "catalogue").items():
        assert path.exists(), f"{path} is missing: run python -m shared.events.catalogue"
        assert path.read_text() == text, f"{path} has drifted from the code: run python -m shared.events.catalogue"


def test_every_type_name_is_versioned_and_owned_by_a_domain():
    for type_name, model in catalogue.CATALOGUE.items():
        assert type_name == model.type_name
        assert type_name.split(".")[0] in catalogue.DOMAINS and type_name.rsplit(".v", 1)[1].isdigit()


def test_an_envelope_round_trips_as_a_cloudevent():
    env = new_event("training.course.published.v1", {"course_id": "c1", "title": "LADO Training"},
                    partnership="doncaster", agency="dscp-training", source="/tests", correlationid="corr-1")
    again = Envelope.from_json(env.to_json())
    assert again == env and again.specversion == "1.0" and again.version == 1 and again.domain == "training"


def test_a_time_without_offset_is_refused():
    raw = new_event("training.course.published.v1", {"course_id": "c1", "title": "x" * 3},
                    partnership="doncaster", agency="dscp-training", source="/tests").model_dump(mode="json")
    raw["time"] = "2022-01-01T10:00:00"
    with pytest.raises(ValidationError, match="time"):
        Envelope.model_validate(raw)


@pytest.mark.parametrize("ref", ["943 476 5919", "9434765919", "943-476-5919", "NHS9434765919", "94347659190",
                                 "ref_943_476_5919", "Jane Smith", "a@b.com"])
def test_an_attendee_is_never_identified(ref):
    env = new_event("training.attendance.recorded.v1",
                    {"session_id": "s1", "attendee_ref": ref, "attendee_agency": "schools"},
                    partnership="doncaster", agency="dscp-training", source="/tests")
    with pytest.raises(ValidationError, match="attendee_ref"):
        catalogue.parse_data(env)


def test_unknown_fields_in_data_are_refused():
    env = new_event("training.course.published.v1", {"course_id": "c1", "title": "Signs of Safety", "child_name": "x"},
                    partnership="doncaster", agency="dscp-training", source="/tests")
    with pytest.raises(ValidationError, match="child_name"):
        catalogue.parse_data(env)


def test_a_schemaversion_that_contradicts_the_type_is_refused():
    raw = new_event("training.course.published.v1", {"course_id": "c1", "title": "Self Neglect"},
                    partnership="doncaster", agency="dscp-training", source="/tests").model_dump(mode="json")
    raw["schemaversion"] = 2
    with pytest.raises(ValidationError, match="schemaversion 2 does not match"):
        Envelope.model_validate(raw)
