"""What the reviews contracts accept: calendar days only, pseudonymous people, the Panel's themes, bounded lists;
and every type has its projection."""

import pytest
from pydantic import ValidationError

from shared.events import reviews as ev
from services.reporting import projections as all_projections
from services.reporting.projections import reviews as projections
from services.reviews import handlers

ALLEGATION = {"allegation_id": "lado-1", "person_ref": "person-7f3a2b", "person_agency": "doncaster-council",
              "employment_sector": "education", "category": "physical", "alleged_on": "2021-12-24",
              "referred_on": "2021-12-29"}


@pytest.mark.parametrize("day", [20211224, "2021-12-24T10:00:00Z", "24/12/2021", "1969-12-31", "2100-01-01",
                                 "2021-02-30", True])
def test_a_clock_date_is_a_calendar_day_yyyy_mm_dd_between_1970_and_2099(day):
    with pytest.raises(ValidationError):
        ev.AllegationReferred.model_validate({**ALLEGATION, "alleged_on": day})


@pytest.mark.parametrize("ref", ["943 476 5919", "Jane Smith", "js"])
def test_the_person_an_allegation_is_about_is_a_pseudonymous_reference_never_a_name_or_nhs_number(ref):
    with pytest.raises(ValidationError):
        ev.AllegationReferred.model_validate({**ALLEGATION, "person_ref": ref})


def test_an_allegation_has_no_field_for_a_name():
    with pytest.raises(ValidationError, match="Extra inputs"):
        ev.AllegationReferred.model_validate({**ALLEGATION, "person_name": "Jane Smith"})


def test_learning_is_tagged_with_the_national_panels_themes_only():
    item = {"learning_id": "l1", "source": "audit", "themes": ["neglect"], "summary_text": "Hear the child",
            "audience": ["multi-agency workforce"], "disseminated_on": "2021-11-15"}
    assert ev.LearningDisseminated.model_validate(item).themes == ("neglect",)
    with pytest.raises(ValidationError):
        ev.LearningDisseminated.model_validate({**item, "themes": ["astrology"]})
    with pytest.raises(ValidationError):
        ev.LearningDisseminated.model_validate({**item, "themes": []})


def test_every_reviews_type_is_handled_by_the_service_and_projected_by_reporting():
    current = {model for model in ev.EVENTS if model.superseded_by is None}
    facts = {model for model in current if not model.decided_by_service}
    assert {model for model in ev.EVENTS if model.decided_by_service} == {ev.ClockSet, ev.ClockStopped}
    assert set(handlers.ROUTES) == facts  # partners send the facts; the service publishes its decisions
    assert current == set(projections.COLLECTION_OF)  # a superseded version is read as its current one
    assert set(projections.HANDLERS) == {model.type_name for model in current}
    assert set(all_projections.HANDLERS) >= {model.type_name for model in ev.EVENTS}
    assert all(t.startswith("reviews.") for t in projections.HANDLERS)
