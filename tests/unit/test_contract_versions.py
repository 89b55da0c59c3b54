"""A contract that changes version: the new one is current, the old one is still accepted and read as the new one
(an upcaster, on the reading side), and a version newer than the code knows is named as such."""

import pytest
from hypothesis import HealthCheck, given, settings
from pydantic import ValidationError

from shared.events import reviews as ev
from shared.events.catalogue import CATALOGUE, NEWEST, NewerVersion, asyncapi, is_current, json_schema, parse_data
from shared.events.envelope import new_event
from tests.generated_events import events, published

V1, V2 = "reviews.rapid_review.completed.v1", "reviews.rapid_review.completed.v2"
OUTCOME = {"review_id": "rr-1", "completed_on": "2022-01-20", "practice_review_recommended": False,
           "outcome": "Support was consistent with good practice.", "themes": ["neglect"]}


def read(type_name, **data):
    return parse_data(new_event(type_name, data, partnership="doncaster", agency="dscp", source="/tests"))


def test_a_v1_outcome_that_found_learning_is_read_as_one_point_of_learning_nothing_said_of_it():
    data = read(V1, **OUTCOME, learning_found=True)
    assert type(data) is ev.RapidReviewCompleted and data.type_name == V2
    assert data.learning == (ev.LearningPoint(),) and data.learning_found
    assert (data.review_id, data.themes, data.outcome) == ("rr-1", ("neglect",), OUTCOME["outcome"])


def test_a_v1_outcome_that_found_none_is_read_as_no_learning():
    data = read(V1, **OUTCOME, learning_found=False)
    assert data.learning == () and not data.learning_found


def test_v2_lists_the_learning_and_says_found_by_listing_it():
    data = read(V2, **OUTCOME, learning=[{"theme": "information_sharing", "agencies": ["south-yorkshire-police"],
                                          "summary": "Health did not hear of the police visits."}])
    assert data.learning_found and data.learning[0].agencies == ("south-yorkshire-police",)
    with pytest.raises(ValidationError) as refused:  # v2 has no flag: it would say the same thing twice
        read(V2, **OUTCOME, learning=[], learning_found=True)
    assert refused.value.errors()[0]["loc"] == ("learning_found",)
    with pytest.raises(ValidationError):  # a learning point is a theme of the Panel's, not any word
        read(V2, **OUTCOME, learning=[{"theme": "bad luck"}])


def test_a_version_newer_than_the_code_knows_is_named_as_such():
    with pytest.raises(NewerVersion, match="newest version of reviews.rapid_review.completed is v2"):
        read("reviews.rapid_review.completed.v3", **OUTCOME)
    with pytest.raises(NewerVersion, match="newest version of training.course.published is v1"):
        read("training.course.published.v7", course_id="c-1", title="A course")


def test_every_superseded_version_names_a_newer_one_of_its_own_type_and_only_the_newest_is_current():
    for type_name, model in CATALOGUE.items():
        base, version = type_name.rsplit(".v", 1)
        if model.superseded_by is None:
            assert int(version) == NEWEST[base], type_name
        else:
            newer_base, newer = model.superseded_by.rsplit(".v", 1)
            assert newer_base == base and int(newer) > int(version) and model.superseded_by in CATALOGUE
    assert not is_current(V1) and is_current(V2)


@settings(max_examples=60, deadline=None, database=None, suppress_health_check=list(HealthCheck))
@given(events(V1))
def test_every_valid_v1_event_upcasts_to_a_valid_v2(item):
    read_back = published(item)
    if read_back is None:
        return
    data = read_back.data
    assert data.type_name == V2
    assert ev.RapidReviewCompleted.model_validate(data.model_dump()) == data  # a v2 that v2 itself accepts
    assert data.learning_found == item["data"]["learning_found"]


def test_the_catalogue_publishes_both_and_says_which_is_current():
    assert json_schema(V1)["deprecated"] is True and "deprecated" not in json_schema(V2)
    messages = asyncapi()["components"]["messages"]
    assert messages[V1.replace(".", "_")]["tags"] == [{"name": "superseded"}]
    assert f"Superseded by {V2}" in messages[V1.replace(".", "_")]["description"]
    assert messages[V2.replace(".", "_")]["tags"] == [{"name": "current"}]
