"""The agency directory (issue 15): pages show names, never codes; an unknown code is shown as itself and listed
for the admin; and every agency the sample's events name is in the sample's registry."""

import typing

import pytest
from pydantic import ValidationError

from sample import partnership as training_sample, reviews as reviews_sample, rotherham as rotherham_sample
from sample import strategy as strategy_sample
from sample.agencies import AGENCIES
from sample.load import KEYS
from shared.agencies import KIND_TITLES, Agency, AgencyKind, Directory
from shared.events.base import AgencyCode
from shared.events.catalogue import parse_data

POLICE = Agency(code="south-yorkshire-police", name="South Yorkshire Police", kind="police",
                partnerships=["doncaster", "rotherham"])
SCHOOLS = Agency(code="schools", name="Schools and colleges", kind="education")


def test_a_registered_code_is_shown_by_its_name_and_kind():
    directory = Directory([POLICE, SCHOOLS])
    assert directory.name("south-yorkshire-police") == "South Yorkshire Police"
    assert directory.kind("schools") is AgencyKind.education and directory.known("schools")
    assert SCHOOLS.partnerships == []  # none: a member of any partnership


def test_an_unknown_code_is_shown_as_itself_and_listed_for_the_admin():
    directory = Directory([POLICE])
    assert directory.name("nhs-doncaster-ccg") == "nhs-doncaster-ccg"
    assert directory.kind("nhs-doncaster-ccg") is None and not directory.known("nhs-doncaster-ccg")
    assert directory.unknown(["schools", "south-yorkshire-police", "early-years", "schools"]) == \
        ["early-years", "schools"]
    assert Directory().unknown([]) == []


def test_every_kind_has_a_title():
    assert AgencyKind.icb.title == "integrated care board"
    assert AgencyKind.education.title == "education and childcare"
    assert set(KIND_TITLES) == set(AgencyKind) and all(k.title for k in AgencyKind)


@pytest.mark.parametrize("bad", [{"code": "South Yorkshire Police"}, {"name": ""}, {"name": "x" * 121},
                                 {"kind": "church"}, {"partnerships": ["Doncaster"]}])
def test_a_malformed_agency_is_refused(bad):
    with pytest.raises(ValidationError):
        Agency(**{"code": "schools", "name": "Schools", "kind": "education", **bad})


def _names_an_agency(hint) -> bool:
    """AgencyCode itself, or a type holding one (`AgencyCode | None`, `tuple[AgencyCode, ...]`)."""
    return hint == AgencyCode or any(_names_an_agency(arg) for arg in typing.get_args(hint))


def _agencies_named(event) -> set[str]:
    """The envelope's agency and every agency code in its data (owner_agency, attendee_agency, agencies, ...)."""
    data = parse_data(event)
    found = {event.agency}
    for field, hint in typing.get_type_hints(type(data), include_extras=True).items():
        if field in type(data).model_fields and _names_an_agency(hint):
            value = getattr(data, field)
            found |= set(value) if isinstance(value, (tuple, list)) else {value} - {None}
    return found


def test_every_agency_the_samples_events_name_is_registered_by_the_sample():
    events = strategy_sample.events() + reviews_sample.events() + training_sample.training_events() \
        + rotherham_sample.training_events()
    named = set().union(*map(_agencies_named, events)) | {k["agency"] for k in KEYS}
    assert {"dscp", "south-yorkshire-police", "schools", "nhs-south-yorkshire-icb"} <= named  # the walk finds them
    registered = Directory([Agency(**spec) for spec in AGENCIES])
    assert registered.unknown(named) == []
    assert len({spec["code"] for spec in AGENCIES}) == len(AGENCIES)
