"""Stories about the sample partnership: Doncaster's 2021-22 training year as events.

The generator must tell the report's story (22 courses, 1,368 people, the training needs analysis'
delivery modes), in an order the training service accepts, with nothing that identifies a person.
The loader stories run the real training handlers behind a fake HTTP transport: no services needed.
"""

from __future__ import annotations

import asyncio
import json
import re
from collections import Counter
from datetime import date, time

import httpx
import pytest

from sample import load as loader
from sample import partnership, rotherham
from sample.partnership import (AGENCY, ATTENDEES_BY_AGENCY, EXPECTED, KEYS, MODE_SPLIT, PARTNERSHIPS, PERIOD_END,
                                PERIOD_START, POLICE, POLICE_SOURCE, SESSIONS_BY_MODE, SOURCE, training_events)
from shared.write.aggregates import KeyedLocks, MemoryAggregateStore, UnitOfWork
from shared.events.catalogue import parse_data
from shared.http.ingest import BATCH, validate
from shared.write.handling import EventRefused, ingest
from shared.write.identities import MemoryIdentities
from shared.write.rules import Actor
from services.training import handlers

COURSE, SESSION, ATTENDANCE = ("training.course.published.v1", "training.session.scheduled.v1",
                               "training.attendance.recorded.v1")
FEEDBACK_SUMMARY = "training.feedback_summary.reported.v1"
EVALUATION, NEEDS_ANALYSIS, PROGRAMME = ("training.evaluation.submitted.v1", "training.needs_analysis.recorded.v1",
                                         "training.programme.reported.v1")


@pytest.fixture(scope="module")
def events():
    return training_events()


def of(events, type_name):
    return [e for e in events if e.type == type_name]


def test_the_report_figures_1368_people_attended_22_courses(events):
    attended = [e for e in of(events, ATTENDANCE) if e.data["outcome"] == "attended"]
    assert len({e.data["attendee_ref"] for e in attended}) == 1368 == EXPECTED["attendances"]
    assert len(attended) == EXPECTED["attendances"]
    courses = of(events, COURSE)
    assert len({e.data["course_id"] for e in courses}) == len(courses) == 22 == EXPECTED["courses"]
    assert len(of(events, SESSION)) == EXPECTED["sessions"]
    assert len(events) == EXPECTED["events"]


def test_no_no_shows_are_invented(events):
    assert {e.data["outcome"] for e in of(events, ATTENDANCE)} == {"attended"}


def test_every_course_in_the_report_was_delivered_to_someone(events):
    session_course = {e.data["session_id"]: e.data["course_id"] for e in of(events, SESSION)}
    delivered = {session_course[e.data["session_id"]] for e in of(events, ATTENDANCE)}
    assert delivered == {e.data["course_id"] for e in of(events, COURSE)}


def test_events_come_in_dependency_order(events):
    kinds = [e.type for e in events]
    order = [COURSE, SESSION, ATTENDANCE, EVALUATION, NEEDS_ANALYSIS, FEEDBACK_SUMMARY, PROGRAMME]
    assert kinds == sorted(kinds, key=order.index)
    attended = {(e.data["session_id"], e.data["attendee_ref"]): e for e in of(events, ATTENDANCE)}
    for e in of(events, EVALUATION):
        recorded = attended[(e.data["session_id"], e.data["attendee_ref"])]
        assert recorded.agency == AGENCY, "an evaluation sent before the police's own attendance record"
        assert recorded.time < e.time
    published, scheduled = {}, {}
    for e in events:
        if e.type == COURSE:
            published[e.data["course_id"]] = e.time
        elif e.type == SESSION:
            assert e.data["course_id"] in published, "a session of a course not yet published"
            assert published[e.data["course_id"]] < e.time
            scheduled[e.data["session_id"]] = e
        elif e.type in (ATTENDANCE, EVALUATION):
            session = scheduled.get(e.data["session_id"])
            assert session is not None, "attendance at a session not yet scheduled"
            assert session.time < e.time
            assert parse_data(session).starts_at < e.time, "attendance recorded before the session started"


def test_ids_are_deterministic_so_reloading_is_idempotent(events):
    again = training_events()
    assert [e.id for e in again] == [e.id for e in events]
    assert [e.to_json() for e in again] == [e.to_json() for e in events]
    assert len({e.id for e in events}) == len(events)


def test_every_event_honours_its_contract_and_comes_from_the_agency_that_owns_the_fact(events):
    for e in events:
        parse_data(e)
        assert e.partnership == "doncaster"
        police_fact = (e.type == ATTENDANCE and e.data["attendee_agency"] == POLICE) or e.type == PROGRAMME
        assert (e.agency, e.source) == ((POLICE, POLICE_SOURCE) if police_fact else (AGENCY, SOURCE))
        assert PERIOD_START <= e.time <= PERIOD_END
    for s in of(events, SESSION):
        assert PERIOD_START <= parse_data(s).starts_at <= PERIOD_END


def test_attendees_are_pseudonymous(events):
    name_like = re.compile(r"^[A-Z][a-z]+([ _-][A-Z][a-z]+)+$")
    nhs_number = re.compile(r"\d{10}|\d{3}[ -]?\d{3}[ -]?\d{4}")
    for e in of(events, ATTENDANCE):
        ref = e.data["attendee_ref"]
        assert re.fullmatch(r"p-[a-z2-7]{32}", ref), ref  # the partners' recipe (shared.events.pseudonym)
        assert not name_like.match(ref) and not nhs_number.search(ref), ref
        assert set(e.data) == {"session_id", "attendee_ref", "attendee_agency", "outcome"}


def test_sessions_follow_the_training_needs_analysis(events):
    modes = Counter(e.data["delivery_mode"] for e in of(events, SESSION))
    assert modes == Counter(SESSIONS_BY_MODE)
    for mode, share in MODE_SPLIT.items():
        assert abs(modes[mode] / EXPECTED["sessions"] - share) <= 0.03, mode


def test_the_1368_attended_face_to_face_or_virtual(events):
    mode = {e.data["session_id"]: e.data["delivery_mode"] for e in of(events, SESSION)}
    attended_by_mode = Counter(mode[e.data["session_id"]] for e in of(events, ATTENDANCE))
    assert set(attended_by_mode) == {"virtual", "face_to_face"}
    assert attended_by_mode["virtual"] > attended_by_mode["face_to_face"]


def test_attendees_come_from_across_the_partnership(events):
    agencies = Counter(e.data["attendee_agency"] for e in of(events, ATTENDANCE))
    assert agencies == Counter(ATTENDEES_BY_AGENCY)
    assert {"doncaster-council", "south-yorkshire-police", "nhs-doncaster-ccg",
            "doncaster-childrens-services-trust", "schools", "early-years", "voluntary-sector"} <= set(agencies)


def test_no_session_is_over_capacity(events):
    capacity = {e.data["session_id"]: e.data["capacity"] for e in of(events, SESSION)}
    attended = Counter(e.data["session_id"] for e in of(events, ATTENDANCE))
    for session_id, n in attended.items():
        assert capacity[session_id] is None or n <= capacity[session_id], session_id


def test_keys_cover_what_the_loader_sends(events):
    by_agency = {k["agency"]: k for k in KEYS}
    for e in events + rotherham.training_events():
        key = by_agency[e.agency]
        assert e.partnership in key["partnerships"] and any(re.fullmatch(p.replace("*", ".*"), e.type)
                                                           for p in key["event_types"])
    assert by_agency[POLICE]["partnerships"] == ["doncaster", "rotherham"]  # one integration, two partnerships
    assert by_agency[POLICE]["event_types"] == [ATTENDANCE, PROGRAMME]  # its own people, and Child Matters
    assert {p["code"] for p in PARTNERSHIPS} == {"doncaster", "rotherham"}


def test_rotherham_is_small_shares_the_police_and_reuses_a_course_id():
    events = rotherham.training_events()
    assert {e.partnership for e in events} == {"rotherham"}
    assert len(of(events, ATTENDANCE)) == rotherham.EXPECTED["attendances"] == 160
    assert {e.agency for e in events} == {"rscp-training", POLICE}
    assert "child-exploitation" in {e.data["course_id"] for e in of(events, COURSE)}  # Doncaster has one too
    for e in events:
        parse_data(e)


class FakeTrainingService:
    """The training service's ingest path (keys, partnerships, validation, domain rules, duplicates) without
    HTTP, Kafka or MongoDB."""

    def __init__(self, keys: list[dict]):
        self.keys = {k["key"]: k["agency"] for k in keys}  # raw key -> agency
        self.store, self.locks, self.requests, self.identities = MemoryAggregateStore(), KeyedLocks(), [], MemoryIdentities()
        self.scopes = {k["agency"]: k["partnerships"] for k in KEYS}

    def __call__(self, request: httpx.Request) -> httpx.Response:
        self.requests.append(request)
        agency = self.keys.get(request.headers.get("authorization", "").removeprefix("Bearer "))
        if agency is None:
            return httpx.Response(401, json={"detail": "a valid API key is required"})
        if request.headers.get("content-type") != BATCH:
            return httpx.Response(415, json={"detail": "send a batch"})
        incoming, errors = validate(json.loads(request.content), "training")
        if errors:
            return httpx.Response(422, json={"errors": errors})
        if any(i.envelope.agency != agency or i.envelope.partnership not in self.scopes[agency] for i in incoming):
            return httpx.Response(403, json={"detail": "not this key's agency or partnership"})
        uow = UnitOfWork(self.store, self.locks)
        try:
            statuses = asyncio.run(ingest(uow, handlers.ROUTES, self.identities, [(i.envelope, i.data) for i in incoming],
                                          Actor(agency)))
        except EventRefused as refused:
            return httpx.Response(refused.rule.status, json={"detail": refused.rule.message})
        return httpx.Response(202, json={"accepted": statuses.count("accepted"),
                                         "duplicates": statuses.count("duplicate"), "events": []})


SAMPLE_KEYS = [{**k, "key": f"scp_{i:012x}_{'k' * 32}"} for i, k in enumerate(KEYS)]
TRAINING = {"training": "http://training"}


def both_partnerships_training():
    return partnership.training_events() + rotherham.training_events()


def test_the_loader_sends_everything_once_with_each_agencys_key_and_a_reload_is_all_duplicates():
    service = FakeTrainingService(SAMPLE_KEYS)
    client = httpx.Client(transport=httpx.MockTransport(service))
    total = EXPECTED["events"] + len(rotherham.training_events())
    first = loader.load(TRAINING, SAMPLE_KEYS, batch=200, client=client, events=both_partnerships_training())
    assert first["accepted"] == total and first["duplicates"] == 0
    assert all(str(r.url) == "http://training/events" for r in service.requests)
    again = loader.load(TRAINING, SAMPLE_KEYS, batch=500, client=client, events=both_partnerships_training())
    assert again["accepted"] == 0 and again["duplicates"] == total
    attended = Counter(kind_id[1].split("/")[0] for kind_id, s in service.store.docs.items()
                       if kind_id[0] == handlers.SESSIONS
                       for a in s.state["attendance"].values() if a["outcome"] == "attended")
    assert attended == {"doncaster": 1368, "rotherham": 160}
    recorded_by = Counter(a["recorded_by"] for (kind, _), s in service.store.docs.items() if kind == handlers.SESSIONS
                          for a in s.state["attendance"].values())
    assert recorded_by[POLICE] == ATTENDEES_BY_AGENCY[POLICE] + rotherham.ATTENDEES_BY_AGENCY[POLICE]


def test_the_loader_stops_loudly_on_a_refusal(capsys, monkeypatch, tmp_path):
    service = FakeTrainingService(SAMPLE_KEYS)
    real_client = httpx.Client
    monkeypatch.setattr(loader.httpx, "Client", lambda **kw: real_client(transport=httpx.MockTransport(service), **kw))
    monkeypatch.setattr(loader, "sample_events", both_partnerships_training)
    wrong = tmp_path / "wrong.json"
    wrong.write_text(json.dumps([{**k, "key": "scp_0123456789ab_" + "x" * 32} for k in SAMPLE_KEYS]))
    assert loader.main(["--training-url", "http://training", "--keys", str(wrong)]) == 1
    assert "HTTP 401" in capsys.readouterr().err
    assert len(service.requests) == 1
    right = tmp_path / "right.json"
    right.write_text(json.dumps(SAMPLE_KEYS))
    assert loader.main(["--training-url", "http://training", "--keys", str(right), "--batch", "1000"]) == 0
    total = EXPECTED["events"] + len(rotherham.training_events())
    assert f"{total} accepted, 0 duplicates" in capsys.readouterr().out


def test_the_feedback_is_44_responses_41_agreeing_and_the_report_s_51_of_55_is_flagged(events):
    evaluations = of(events, EVALUATION)
    assert len(evaluations) == len({(e.data["session_id"], e.data["attendee_ref"]) for e in evaluations}) == 44
    agree = ("agree", "strongly_agree")
    both = [e for e in evaluations if e.data["good_use_of_time"] in agree and e.data["positive_impact"] in agree]
    assert len(both) == EXPECTED["agreed_both"] == 41
    assert sum(1 for e in evaluations if e.data.get("comments")) == 4
    assert "51 out of 55 agreed" in partnership.REPORTED_BUT_NOT_REPRODUCIBLE


def test_the_needs_analysis_and_child_matters_are_the_report_s(events):
    [tna] = of(events, NEEDS_ANALYSIS)
    assert (tna.data["prefer_virtual"], tna.data["prefer_face_to_face"], tna.data["prefer_e_learning"]) == (51, 38, 11)
    [matters] = of(events, PROGRAMME)
    assert (matters.agency, matters.data["sessions"], matters.data["attendees"]) == (POLICE, 81, 4600)


def test_courses_carry_levels_core_principle_items_priorities_and_refreshers(events):
    courses = {e.data["course_id"]: e.data for e in of(events, COURSE)}
    l1 = courses["l1-safeguarding-everyone"]
    assert l1["level"] == "L1" and l1["refresher_months"] == 36
    assert courses["child-exploitation"]["serves"] == ["priority-2", "child-exploitation-strategy"]
    assert "recognise.c" in courses["child-exploitation"]["competency_items"]
    assert all({i.split(".")[0] for i in c["competency_items"]} <= set(c["competencies"]) for c in courses.values())


def test_training_days_skip_the_bank_holidays_of_england_and_london_keeps_summer_time(events):
    days = {parse_data(e).starts_at.astimezone(partnership.LONDON).date() for e in of(events, SESSION)}
    assert not days & {date(2021, 12, 27), date(2021, 12, 28), date(2022, 1, 3)}
    assert partnership.london(date(2021, 10, 29), time(9)).utcoffset().seconds == 3600  # BST until 31 October
    assert partnership.london(date(2021, 11, 1), time(9)).utcoffset().seconds == 0
