"""The training sample through the API with its own keys: the read model's JSON figures are the report's
(22 courses, 1,368 attendees, 44 evaluations, 51/38/11, Child Matters' 81 sessions and 4,600 attendees kept
apart), and Rotherham's dashboard still shows its 160."""

from sample import partnership, rotherham
from sample.load import by_sender, key_for
from tests.harness import eventually


async def test_the_sample_training_year_reproduces_the_reports_figures(stack):
    keys = [{**spec, "key": await stack.key(spec["agency"], tuple(spec["event_types"]), tuple(spec["partnerships"]))}
            for spec in partnership.KEYS]
    events = partnership.training_events() + rotherham.training_events()
    for (domain, code, agency), group in by_sender(events).items():
        key = key_for(keys, domain, code, agency, {e.type for e in group})
        for start in range(0, len(group), 500):
            response = await stack.post(group[start:start + 500], key)
            assert response.status_code == 202, response.text
    await stack.start_projector()

    await eventually(stack.caught_up, timeout_s=90)  # both partnerships, every partition
    figures = await stack.figures("training", as_of=partnership.AS_OF)
    expected = partnership.EXPECTED
    assert partnership.sample_figures(figures) == {k: expected[k] for k in partnership.sample_figures(figures)}
    assert figures["attendance"]["attendances"] == partnership.REPORTED["attendees"] == 1368
    assert len(figures["attendance"]["by_course"]) == partnership.REPORTED["courses"] == 22
    evaluations = figures["evaluations"]
    assert (evaluations["responses"], evaluations["agreed_both"], evaluations["with_comments"]) == (44, 41, 4)
    assert evaluations["follow_ups"]["responses"] == 0  # the report has none
    assert figures["needs_analysis"]["surveys"][0]["shares"] == partnership.REPORTED["preferences"]
    [matters] = figures["programmes"]["programmes"]
    assert (matters["sessions"], matters["attendees"]) == (81, 4600)
    assert matters["reported_by"] == "south-yorkshire-police"
    served = {row["id"]: row for row in figures["priorities"]["served"]}
    assert served["priority-3-c"]["people_reached"] == 0  # Child Matters reaches no individual attendee
    assert served["priority-3-c"]["partner_programmes"][0]["attendees"] == 4600
    assert served["child-exploitation-strategy"]["people_reached"] > 0
    assert figures["competencies"]["people_trained"] == 1368
    assert figures["competencies"]["refreshers"]["overdue"] == 0

    dashboard = await stack.dashboard()
    assert dashboard["attendances"] == 1368 and dashboard["courses"] == 22  # Child Matters is not added in
    assert (dashboard["evaluations"]["responses"], dashboard["evaluations"]["agreed_both"]) == (44, 41)
    assert dashboard["needs_analysis"]["preferences"] == {"virtual": 51, "face_to_face": 38, "e_learning": 11}
    assert [(p["sessions"], p["attendees"]) for p in dashboard["partner_programmes"]] == [(81, 4600)]
    assert (await stack.dashboard("rotherham"))["attendances"] == 160 == rotherham.EXPECTED["attendances"]
    since_january = await stack.figures("training/attendance", as_of=partnership.AS_OF, since="2022-01-01")
    assert 0 < since_january["attendances"] < 1368 and since_january["by_month"][0]["month"] == "2022-01"
    # three years on, the L1/L2 and introduction courses' refreshers are due
    later = await stack.figures("training/competencies", as_of="2025-03-31")
    assert later["refreshers"]["overdue"] > 0
