"""Whatever ingest accepts, the projector accepts (issue 13, class 1).

For every event type, envelopes and data are generated from the published JSON Schemas (hypothesis-jsonschema),
with `time`s at the edges of the accepted years and with every offset. Each goes through ingest's validation;
each one accepted is published as the service publishes it, decoded as the projector decodes it, projected by
its handler, and its writes encoded as BSON, as the sink would. None may be refused on the way.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import bson
import pytest
from hypothesis import HealthCheck, given, settings

from shared.events.catalogue import CATALOGUE
from shared.http.ingest import validate
from shared.kafka.consumer import decode
from services.reporting.projections import HANDLERS
from tests.generated_events import events, published as published_by_service

EXAMPLES_PER_TYPE = 15  # bounded for `make test`; raise it locally to search harder


@dataclass
class Record:
    value: bytes
    topic: str = "events"
    headers: list = field(default_factory=list)


@pytest.mark.parametrize("type_name", sorted(CATALOGUE))
def test_every_event_ingest_accepts_is_projected(type_name):
    @settings(max_examples=EXAMPLES_PER_TYPE, deadline=None, derandomize=True, database=None,
              suppress_health_check=[HealthCheck.too_slow, HealthCheck.filter_too_much, HealthCheck.data_too_large])
    @given(item=events(type_name))
    def check(item):
        incoming, errors = validate([item], type_name.split(".", 1)[0])
        if CATALOGUE[type_name].decided_by_service:  # the service publishes it; a partner who sends it gets a 422
            assert not incoming, "ingest accepted a decision from a partner"
            if (decided := published_by_service(item)) is None:
                return
            incoming = [decided]
        elif errors:
            return  # refused at ingest with a 422: nothing published, nothing to project
        published = incoming[0].envelope.to_json()
        decoded = decode(Record(published))  # raises Failed, the DLQ's reason, if the projector refuses it
        for write in HANDLERS[type_name](decoded.envelope, decoded.data):
            bson.encode({"_id": write.id, **write.set, **write.set_on_insert})

    check()  # that the generator makes accepted events of every type is shown by tests.generated_events.an_accepted


@pytest.mark.parametrize("written", ["1970-01-01T00:00:00+23:59", "2099-12-31T23:59:59-23:59",
                                     "1969-12-31T23:59:59Z", "2100-01-01T00:00:00Z"])
def test_a_time_outside_the_years_in_utc_is_refused_at_ingest(written):
    item = _a_course(time=written)
    incoming, errors = validate([item], "training")
    assert not incoming and errors[0]["loc"] == ["body", 0, "time"], errors
    assert "in UTC" in errors[0]["msg"]


@pytest.mark.parametrize("written", ["1970-01-01T00:00:00-00:01", "2099-12-31T23:59:59+23:59",
                                     "2100-01-01T23:58:00+23:59"])
def test_a_time_inside_the_years_in_utc_is_accepted_and_published_in_utc(written):
    incoming, errors = validate([_a_course(time=written)], "training")
    assert not errors, errors
    assert incoming[0].envelope.to_json().decode().count('"time":"') == 1
    assert decode(Record(incoming[0].envelope.to_json())).envelope.time == incoming[0].envelope.time


NOT_RFC3339 = ["12", "1609459200", "1.5e9", "-1", "0", " 1609459200", "2021-11-02", "2021-11-02T09:30Z",
               "2021-11-02T09:30:00", "2021-11-02 09:30:00Z", "2021-11-02T09:30:00+0100", "20211102T093000Z",
               "2021-11-02T09:30:00.Z", "2021-11-02T09:30:00Z ", "P1D", "now", "today"]


@pytest.mark.parametrize("written", NOT_RFC3339)
def test_a_time_that_is_not_rfc3339_is_refused_wherever_a_date_time_is_taken(written):
    envelope_time = _a_course(time=written)
    session_start = {**_a_course(), "type": "training.session.scheduled.v1",
                     "data": {"session_id": "s-1", "course_id": "c-1", "delivery_mode": "virtual",
                              "starts_at": written, "capacity": 10}}
    for item, field in ((envelope_time, ["body", 0, "time"]), (session_start, ["body", 0, "data", "starts_at"])):
        incoming, errors = validate([item], "training")
        assert not incoming and errors[0]["loc"] == field, (written, errors)


@pytest.mark.parametrize("written", [12, 1609459200, 1.5e9, "12", "1609459200", "20211102", "2021-11-02T00:00:00Z",
                                     "2021-W44-2", "2021-306"])
def test_a_date_that_is_not_yyyy_mm_dd_is_refused(written):
    item = {**_a_course(), "type": "strategy.action.started.v1", "agency": "dscp",
            "data": {"action_id": "a-1", "started_on": written}}
    incoming, errors = validate([item], "strategy")
    assert not incoming and errors[0]["loc"] == ["body", 0, "data", "started_on"], errors


def test_a_lone_surrogate_is_refused_naming_its_field():
    item = _a_course()
    item["data"] = {**item["data"], "title": "Neglect \ud800"}
    incoming, errors = validate([item], "training")
    assert not incoming and errors[0]["loc"] == ["body", 0, "data", "title"], errors


def _a_course(**envelope) -> dict:
    return {"specversion": "1.0", "id": "e-1", "source": "/probe/sys-a", "type": "training.course.published.v1",
            "time": "2021-11-02T09:30:00Z", "agency": "dscp", "partnership": "doncaster",
            "data": {"course_id": "c-1", "title": "Neglect", "competencies": ["recognise"]}, **envelope}
