"""What a partner's system gets, through the ingest API, when an event carries what looks like personal data
(issue 13, part 4): a 422 naming the field and the kind found, the value never echoed, nothing stored or
published. And the references the pseudonymisation recipe makes are always accepted (part 7)."""

import json

import pytest

from shared.events.envelope import new_event
from shared.events.pseudonym import pseudonymise
from tests.integration.test_hostile_input import SOURCE, assert_problem, course, post_json, raw

KINDS = {  # what partners were found sending, and more of each kind
    "an NHS number": ["(943) 476 5919", "943 - 476 - 5919", "943  476  5919", "943, 476, 5919", "943\u00a0476\u00a05919",
                      "943\u2009476\u20095919", "943\u2013476\u20135919", "943\t476\t5919", "943\n476\n5919",
                      "943\u200b476\u200b5919", "943\u00ad476\u00ad5919", "ref 2021-943-476-5919"],
    "an email address": ["ellie.johnson@example.org", "write to e.j+school@mail.example.co.uk"],
    "a phone number": ["07700 900123", "+44 7700 900123", "mum on 07700900123", "(0114) 496 0123"],
    "a postcode": ["DN1 3BU", "lives at dn1 3bu", "SW1A 1AA"],
    "a date of birth": ["DOB 12/03/2015", "D.O.B. 12-3-15", "date of birth 12 March 2015", "born 2015-03-12"],
    "a person's name with their age": ["Ellie-Mae Johnson (aged 7)", "Ellie-Mae Johnson, aged 7",
                                       "Ellie-Mae Johnson age 7", "Ellie-Mae Johnson 7 years old",
                                       "Ellie-Mae Johnson, a 7-year-old"],
}
# the same kinds as a reference to a person could hold them (letters, digits, `_` and `-` only)
REFERENCES = [("an NHS number", "943-476-5919"), ("an NHS number", "att-2021-943-476-5919"),
              ("a phone number", "07700900123"), ("a postcode", "DN13BU")]
BLANK = ["   ", "\u2028", "\u2029", "\u00a0\u00a0", "\u200b\u200d\ufeff", "\u3000\u2009"]


def evaluation(**data):
    return new_event("training.evaluation.submitted.v1",
                     {"session_id": "s-1", "attendee_ref": "att-0001", "submitted_at": "2021-11-02T12:40:00Z",
                      "good_use_of_time": "agree", "positive_impact": "agree", **data},
                     partnership="doncaster", agency="dscp-training", source=SOURCE)


def attendance(ref):
    return new_event("training.attendance.recorded.v1", {"session_id": "s-1", "attendee_ref": ref,
                                                         "attendee_agency": "schools"},
                     partnership="doncaster", agency="dscp-training", source=SOURCE)


def assert_refused_naming(response, loc, kind, value):
    problem = assert_problem(response, 422, loc)
    (error,) = [e for e in problem["errors"] if e["loc"] == loc]
    assert f"contains what looks like {kind}" in error["msg"], error
    assert value not in response.text and json.dumps(value)[1:-1] not in response.text, "the value was echoed"


@pytest.mark.parametrize("kind", KINDS)
async def test_personal_data_of_each_kind_is_refused_in_titles_free_text_and_the_subject(stack, kind):
    """One batch carrying each example in a title, in free text and in the subject: every one is named."""
    key = await stack.key()
    batch, expected = [], []
    for value in KINDS[kind]:
        title = " ".join(value.split())  # a title is one line
        batch.append(raw(course(title=f"Learning: {title}")))
        expected.append((["body", len(batch) - 1, "data", "title"], title))
        batch.append(raw(evaluation(comments=f"Useful day.\n{value} was discussed.")))
        expected.append((["body", len(batch) - 1, "data", "comments"], value))
        batch.append(raw(course(), subject=title))
        expected.append((["body", len(batch) - 1, "subject"], title))
    response = await post_json(stack, key, batch)
    for loc, value in expected:
        assert_refused_naming(response, loc, kind, value)
    assert await stack.end_offsets(stack.topic) == 0


async def test_personal_data_as_a_reference_to_a_person_is_refused_naming_the_reference(stack):
    key = await stack.key()
    response = await post_json(stack, key, [raw(attendance(ref)) for _, ref in REFERENCES])
    for i, (kind, ref) in enumerate(REFERENCES):
        assert_refused_naming(response, ["body", i, "data", "attendee_ref"], kind, ref)


async def test_text_made_only_of_spaces_or_invisible_characters_is_refused(stack):
    key = await stack.key()
    batch, locs = [], []
    for blank in BLANK:
        for body, loc in ((raw(course(title=blank)), ["data", "title"]),
                          (raw(evaluation(comments=f"\n{blank}\n")), ["data", "comments"]),
                          (raw(course(), subject=blank), ["subject"])):
            batch.append(body)
            locs.append(["body", len(batch) - 1, *loc])
    problem = assert_problem(await post_json(stack, key, batch), 422, locs[0])
    messages = {tuple(e["loc"]): e["msg"] for e in problem["errors"]}
    for loc in locs:
        assert "visible text" in messages[tuple(loc)], loc
    assert await stack.end_offsets(stack.topic) == 0


async def test_ordinary_safeguarding_text_is_accepted(stack):
    key = await stack.key()
    texts = ["Children aged 0-2 who are members of a Family Hub", "Year 7 pupils: transition to secondary school",
             "84% took up 2-year-old funding", "Session 2021-12-07 09:30, 1,368 attendees in 2021-22"]
    response = await stack.post([course(f"c-{i}", title=text) for i, text in enumerate(texts)], key)
    assert response.status_code == 202, response.text


async def test_staff_numbers_the_guard_refuses_are_accepted_once_pseudonymised_by_the_recipe(stack):
    key = await stack.key()
    session = new_event("training.session.scheduled.v1",
                        {"session_id": "s-1", "course_id": "c-1", "delivery_mode": "virtual",
                         "starts_at": "2021-11-02T09:30:00Z"}, partnership="doncaster", agency="dscp-training",
                        source=SOURCE)
    assert (await stack.post([course(), session], key)).status_code == 202
    refused_as_they_are = []
    for number in ["9434765919", "4010232137"] + [f"{n:010d}" for n in range(1_000_000_000, 1_000_000_300)]:
        response = await stack.post(attendance(number), key)
        if response.status_code == 422:
            assert_refused_naming(response, ["body", 0, "data", "attendee_ref"], "an NHS number", number)
            refused_as_they_are.append(number)
        else:
            assert response.status_code == 202, response.text
    assert len(refused_as_they_are) >= 10  # about one in eleven: 27 of 300 by chance
    secret = b"our agency's own secret, kept by us"
    response = await stack.post([attendance(pseudonymise(secret, n)) for n in refused_as_they_are], key)
    assert response.status_code == 202, response.text
    assert response.json()["accepted"] == len(refused_as_they_are)
