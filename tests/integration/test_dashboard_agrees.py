"""The dashboard and the training figures give one answer to one question (issue 14, part 2).

The dashboard's tiles are the training figures' own functions as of now: with a booking cancelled after the
cut-off, a cancellation recorded at the session, a no-show and attendances, the dashboard's late cancellations,
no-shows and attendances are `/api/training`'s, at every as-of date, for the period the dashboard covers (the
reporting year of the latest session held: 2021-22 here, even on 1 January 2026).
"""

from services.reporting.dashboard import training_figures
from services.reporting.entrypoints.common import parse_as_of
from tests.harness import eventually
from tests.integration.test_training_bookings import accepted, attendance, book, cancel, course, session

AS_OF = ["2021-10-19", "2021-10-20", "2021-11-02", "2021-11-03", "2021-11-04", "2021-11-30", "2026-01-01"]
ASKED = ("attendances", "no_shows", "late_cancellations")


async def test_the_dashboard_and_the_training_figures_agree_at_every_as_of_date(stack):
    key = await stack.key()
    await accepted(stack, [course(), session(capacity=6), *(book(f"ref-000{n}") for n in range(1, 6))], key)
    await accepted(stack, [cancel("ref-0001", "2021-11-03T08:00:00Z")], key)  # after the cut-off: late
    await accepted(stack, [attendance("ref-0002", "no_show"), attendance("ref-0003"), attendance("ref-0004"),
                           attendance("ref-0005", "cancelled_late")], key)
    await stack.start_projector()

    async def projected():
        figures = await stack.figures("training/attendance", as_of="2021-11-30")
        return figures if figures["attendances"] == 2 else None

    await eventually(projected)
    dashboard = await stack.dashboard()
    now = {k: dashboard[k] for k in ASKED}
    assert now == {"attendances": 2, "no_shows": 1, "late_cancellations": 2}  # the booking and the recorded one
    assert dashboard["period"]["label"] == "2021-22"
    assert now == {k: (await stack.figures("training/attendance", period="2021-22"))[k] for k in ASKED}
    for day in AS_OF:
        tiles = await training_figures(stack.read_model, "doncaster", now=parse_as_of(day))
        api = await stack.figures("training/attendance", as_of=day, period=tiles["period"]["label"])
        assert {k: tiles[k] for k in ASKED} == {k: api[k] for k in ASKED}, day
        assert api["period"] == tiles["period"], day
