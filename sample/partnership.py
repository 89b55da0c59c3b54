"""Doncaster's multi-agency training year, October 2021 to March 2022, as training events.

Pure data and a deterministic generator (seeded `random.Random(2022)`, no I/O). Where each figure
comes from, in /work/shared/domain/dscp-annual-report-2021-22.md, "Multi-agency Safeguarding Training":

- The 22 courses: the list "The following courses were delivered during this period" (titles as
  printed, typos included). Their competencies are our reading of the four "Core Principles"
  that follow (Be aware, Recognise, Respond, Communicate); the report does not map them.
- The period: the report covers the six months 1 October 2021 to 31 March 2022.
- Delivery modes: the Training Needs Analysis ("51% of learners prefer ... virtual ... 38% prefer
  face to face training and 11% e-learning"). Sessions are split in exactly those shares.
- Attendance: "1368 people attended training delivered face to face or virtual". So 1,368
  distinct people attend one session each, all of them at face-to-face or virtual sessions, and
  all with outcome "attended": the report gives no no-shows, so none are invented. E-learning
  sessions (the Virtual College / Buy Doncaster offer) are scheduled but carry no attendance,
  because the report's count excludes them.
- Attendees' agencies: the report names the partners (the council, the CCG, South Yorkshire
  Police, the Children's Services Trust, health providers, schools, early years, voluntary
  sector) but not how many of each attended; AGENCY_WEIGHTS is our plausible guess.
- Not from the report (invented so the events are complete): the number of sessions, their dates
  and times, capacities, and which courses also ran as e-learning.

- Who records what: the training team's LMS publishes the courses, schedules the sessions and
  records the attendance, except South Yorkshire Police's own people, whose attendance the police's
  learning system records itself (the ownership rule lets an agency record its own people). The
  police's one key emits to Doncaster and to Rotherham (sample.rotherham): one integration, two
  partnerships.

What each course says beyond its title (COURSE_DETAILS): the levels are the report's own ("L1", "L2"
in the titles); the Core Principles' lettered items, the priorities and strategies served (the strategy
service's ids: `priority-2`, `child-exploitation-strategy`, ...) and the 36-month refresher interval of the
Safeguarding Everyone and introduction courses are our reading, invented where the report is silent. The
delivery modes offered are those the sessions use.

The feedback. The report says "Of these 44 people provided feedback" and then "51 out of 55 stating that
they either agreed or strongly agreed that the training was a good use of their time and that it would
have a positive impact on their safeguarding practice". 55 responses cannot come from 44 people who
attended one session each, so both cannot describe one set of responses. The reading taken: 44 people
each submitted one evaluation on the day (the count of people is the harder fact), and the report's
share agreeing (51/55, 92.7%) is applied to them: 41 of the 44 agree or strongly agree on both scales
(93.2%). The figures show what the events say (44 responses, 41 agreeing, a 3.2% response rate), and
REPORTED_BUT_NOT_REPRODUCIBLE names "51 out of 55", which the events cannot reproduce. The four quoted
comments are four of the evaluations' free text; the evaluators are drawn (seeded) from the people whose
attendance the training team records (the police's own people's attendance arrives after the team's
events). No 6-8-week follow-ups: the report has none ("Completion of an evaluation form ... is not
mandatory").

The training needs analysis: one survey with the report's shares (51% virtual, 38% face to face, 11%
e-learning). The report gives no number of respondents: 100 is invented, so the counts are the shares.
Its closing day (1 March 2022) is invented too.

Child Matters (the report's "Child Matters – South Yorkshire Police"): "commenced in September 2021 ...
To date there have been 81 training sessions delivered and a total of 4600 attendees". One report by
South Yorkshire Police's key for the period 1 September 2021 to 31 March 2022 (the report's "to date"
read as its period end), serving priority 3's action c ("Ensure full multi-agency participation in the
SYP programme to improve the response to neglect") and the Neglect Strategy. It is a programme reported in
aggregate and stays apart from the 1,368: the dashboard's attendances do not include it.

Bookings, waiting lists, cancellations and no-shows: the report gives none, so none are invented.

Dates are London's (`zoneinfo`, Europe/London), and training days skip weekends and the bank holidays
of England and Wales (shared.calendar, from the `holidays` package).

Event ids are uuid5 names, so reloading the sample is idempotent: the service answers
"duplicate" for an event it has already applied.
"""

from __future__ import annotations

import random
import uuid
from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from shared.calendar import is_working_day
from shared.events.base import EventData
from shared.events.envelope import Envelope, new_event
from shared.events.training import (CORE_PRINCIPLES, AttendanceRecorded, CoursePublished, EvaluationSubmitted,
                                    FeedbackSummaryReported, NeedsAnalysisRecorded, ProgrammeReported,
                                    SessionScheduled)
from shared.events.pseudonym import pseudonymise

PARTNERSHIP = "doncaster"
AGENCY = "dscp-training"
SOURCE = "/partners/dscp-training/lms"
POLICE = "south-yorkshire-police"
POLICE_SOURCE = "/partners/south-yorkshire-police/learning"
NAMESPACE = uuid.uuid5(uuid.NAMESPACE_URL, "https://scp.example/sample/dscp/2021-22")
SEED = 2022

LONDON = ZoneInfo("Europe/London")


def london(day: date, at: time) -> datetime:
    """That day and time in London, summer time or not."""
    return datetime.combine(day, at, LONDON)


PERIOD_START = london(date(2021, 10, 1), time(0, 0))
PERIOD_END = london(date(2022, 3, 31), time(23, 59, 59))
AS_OF = "2022-03-31"  # the figures are read at the end of the report's period

# (course_id, title as printed, competencies, relative demand, also offered as e-learning)
COURSES: tuple[tuple[str, str, tuple[str, ...], int, bool], ...] = (
    ("early-help-supervision", "Early Help Supervision", ("respond", "communicate"), 1, False),
    ("intro-early-help-thresholds", "Introduction to Early Help, Thresholds of Intervention",
     ("be_aware", "recognise", "respond"), 3, False),
    ("outcomes-plans-closures", "Outcomes, Plans and Closures", ("respond", "communicate"), 1, False),
    ("signs-of-safety", "Signs of Safety", ("recognise", "respond", "communicate"), 2, False),
    ("role-of-lead-practitioner", "Role Of Lead Practitioner", ("respond", "communicate"), 2, False),
    ("managing-engagement", "Managing Engagement", ("respond", "communicate"), 1, False),
    ("intro-early-help-experienced", "Introduction to Early Help - Experienced Practitioners",
     ("be_aware", "recognise", "respond"), 1, False),
    ("child-exploitation", "Child Exploitation", ("be_aware", "recognise", "respond"), 3, True),
    ("reducing-parental-conflict", "Reducing Parental Conflict", ("recognise", "respond", "communicate"), 2, False),
    ("getting-on-programme", "Introduction to 'getting on' programme", ("respond", "communicate"), 1, False),
    ("coercive-controlling-behaviour", "Coercive and Controlling Behaviour",
     ("be_aware", "recognise", "respond"), 2, True),
    ("l1-safeguarding-everyone", "L1 Safeguarding Everyone", ("be_aware", "recognise"), 3, True),
    ("early-help-assessment-mosaic", "Early Help Assessment - Mosaic", ("respond", "communicate"), 2, False),
    ("domestic-abuse", "Domestic Abuse", ("be_aware", "recognise", "respond"), 3, True),
    ("reducing-parental-conflict-relationship-matters", "Reducing Parental Conflict/ Relationship Matters",
     ("recognise", "respond", "communicate"), 1, False),
    ("l2-safeguarding-everyone-refresher", "L2 Safeguarding Everyone refresher",
     ("be_aware", "recognise", "respond", "communicate"), 2, True),
    ("self-neglect", "Self Neglect", ("be_aware", "recognise", "respond"), 1, True),
    ("lado-training", "LADO Training", ("recognise", "respond", "communicate"), 1, False),
    ("intro-to-safeguarding", "An introduction to Safeguarding", ("be_aware", "recognise"), 3, True),
    ("safer-recruitment", "Safer Recruitment", ("be_aware", "respond"), 1, False),
    ("mosaic-familiarisation", "Mosaic Familiarisation", ("communicate",), 1, False),
    ("harmful-sexual-behaviour", "Recognising and Responding to Children/Young People with sexually "
     "concerning or harmful behavior", ("recognise", "respond"), 2, False),
)

ALL = "all"  # every lettered item of each of the course's principles
THREE_YEARS = 36
# course_id -> (level, competency items (or ALL), priorities and strategies served, refresher interval in months)
COURSE_DETAILS: dict[str, tuple[str | None, tuple[str, ...] | str, tuple[str, ...], int | None]] = {
    "early-help-supervision": (None, ("respond.b", "respond.d", "communicate.c", "communicate.d"), ("family-hubs",),
                               None),
    "intro-early-help-thresholds": (None, ALL, ("priority-8-a", "family-hubs"), None),
    "outcomes-plans-closures": (None, ("respond.d", "communicate.d"), ("family-hubs",), None),
    "signs-of-safety": (None, ALL, ("priority-6-e",), None),
    "role-of-lead-practitioner": (None, ("respond.a", "respond.d", "communicate.c", "communicate.d"), ("family-hubs",),
                                  None),
    "managing-engagement": (None, ("respond.a", "communicate.d"), ("family-hubs",), None),
    "intro-early-help-experienced": (None, ALL, ("priority-8-a", "family-hubs"), None),
    "child-exploitation": (None, ("be_aware.b", "be_aware.c", "recognise.c", "respond.c", "respond.e"),
                           ("priority-2", "child-exploitation-strategy"), None),
    "reducing-parental-conflict": (None, ALL, ("domestic-abuse-2021-24",), None),
    "getting-on-programme": (None, ("respond.a", "communicate.d"), (), None),
    "coercive-controlling-behaviour": (None, ("be_aware.b", "be_aware.c", "recognise.a", "recognise.b", "respond.e"),
                                       ("domestic-abuse-2021-24",), None),
    "l1-safeguarding-everyone": ("L1", ALL, (), THREE_YEARS),
    "early-help-assessment-mosaic": (None, ("respond.d", "communicate.a", "communicate.d"), ("family-hubs",), None),
    "domestic-abuse": (None, ("be_aware.b", "be_aware.c", "recognise.a", "recognise.b", "respond.e"),
                       ("domestic-abuse-2021-24",), None),
    "reducing-parental-conflict-relationship-matters": (None, ALL, ("domestic-abuse-2021-24",), None),
    "l2-safeguarding-everyone-refresher": ("L2", ALL, (), THREE_YEARS),
    "self-neglect": (None, ("be_aware.b", "recognise.a", "respond.a"), (), None),
    "lado-training": (None, ("recognise.b", "respond.b", "respond.c", "communicate.c"), (), None),
    "intro-to-safeguarding": (None, ALL, (), THREE_YEARS),
    "safer-recruitment": (None, ("be_aware.a", "respond.b"), (), None),
    "mosaic-familiarisation": (None, ("communicate.a", "communicate.b"), (), None),
    "harmful-sexual-behaviour": (None, ("recognise.a", "recognise.b", "respond.c", "respond.d"), ("priority-2",), None),
}


def course_published(course: tuple) -> CoursePublished:
    """A course of the offer with what it says beyond its title: level, Core Principle items, modes, priorities served,
    refresher interval."""
    course_id, title, principles, _, e_learning = course
    level, items, serves, refresher = COURSE_DETAILS[course_id]
    if items == ALL:
        items = tuple(f"{p}.{letter}" for p in principles for letter in CORE_PRINCIPLES[p])
    modes = ("face_to_face", "virtual", "e_learning") if e_learning else ("face_to_face", "virtual")
    return CoursePublished(course_id=course_id, title=title, competencies=principles, level=level,
                           competency_items=items, delivery_modes=modes, serves=serves, refresher_months=refresher)


TOTAL_SESSIONS = 100
MODE_SPLIT = {"virtual": 0.51, "face_to_face": 0.38, "e_learning": 0.11}  # the Training Needs Analysis
CAPACITY = {"virtual": 35, "face_to_face": 20, "e_learning": 100}  # virtual: "fewer restrictions on delegate numbers"
DURATION = timedelta(hours=3)
ATTENDEES = 1368  # "1368 people attended training delivered face to face or virtual"
AGENCY_WEIGHTS = {  # our guess: an Early Help-heavy offer draws schools, the council's Early Help teams and the Trust
    "schools": 0.20, "doncaster-council": 0.18, "doncaster-childrens-services-trust": 0.17,
    "early-years": 0.12, "voluntary-sector": 0.10, "rotherham-doncaster-south-humber-nhs-ft": 0.07,
    "doncaster-bassetlaw-teaching-hospitals": 0.07, "south-yorkshire-police": 0.06, "nhs-doncaster-ccg": 0.03,
}


def apportion(total: int, weights: dict[str, float]) -> dict[str, int]:
    """Split `total` in proportion to `weights`, whole numbers summing to `total` (largest remainder)."""
    scale = total / sum(weights.values())
    shares = {k: w * scale for k, w in weights.items()}
    counts = {k: int(s) for k, s in shares.items()}
    by_remainder = sorted(weights, key=lambda k: shares[k] - counts[k], reverse=True)
    for k in by_remainder[: total - sum(counts.values())]:
        counts[k] += 1
    return counts


SESSIONS_BY_MODE = apportion(TOTAL_SESSIONS, MODE_SPLIT)
ATTENDEES_BY_AGENCY = apportion(ATTENDEES, AGENCY_WEIGHTS)
FEEDBACK_PEOPLE = 44  # "Of these 44 people provided feedback"
AGREED_BOTH = round(FEEDBACK_PEOPLE * 51 / 55)  # the report's share agreeing (51 of 55) applied to the 44: 41
QUOTES = (  # the report's quoted comments, as four evaluations' free text
    "This was another course delivered by a confident and competent trainer who knew her stuff. Really useful "
    "and easy to take on board.",
    "Found the course really helpful and refreshed my current knowledge. Was a bit worried about it being virtual "
    "but found it just as good as face to face sessions",
    "The trainer ran the course extremely well, first time for me attending a course online and much preferred due "
    "to being a child minder working all day then attending courses in the evening",
    "Great training course - I had already completed mosaic training so this further solidified my understanding.",
)
NOT_AGREEING = (("agree", "neither"), ("neither", "neither"), ("disagree", "agree"))  # invented: 3 of the 44
TNA = {"respondents": 100, "virtual": 51, "face_to_face": 38, "e_learning": 11}  # the shares; 100 respondents invented
CHILD_MATTERS = {"programme_id": "child-matters", "title": "Child Matters", "period_start": "2021-09-01",
                 "period_end": "2022-03-31", "sessions": 81, "attendees": 4600,
                 "serves": ("priority-3-c", "neglect-2022-24")}
# "51 out of 55 agreed", as the training team's survey tool counted it: reported as its own summary, beside the 44
# evaluations recorded one by one, so that the figures show both (the statement is the report's two scales)
FEEDBACK_SUMMARY = {"summary_id": "feedback-survey-2021-22-h2", "title": "DSCP training feedback survey",
                    "period_start": "2021-10-01", "period_end": "2022-03-31",
                    "statement": "The training was a good use of my time and will have a positive impact on my "
                                 "safeguarding practice", "responses": 55, "agreed": 51}
# The report's figures, as printed: what the events reproduce, and what they cannot
REPORTED = {"courses": 22, "attendees": 1368, "feedback_people": 44, "agreed": "51 out of 55",
            "preferences": {"virtual": 0.51, "face_to_face": 0.38, "e_learning": 0.11},
            "child_matters": {"sessions": 81, "attendees": 4600}}
REPORTED_BUT_NOT_REPRODUCIBLE = {
    "51 out of 55 agreed": f"55 responses cannot come from the {FEEDBACK_PEOPLE} people who provided feedback; the "
                           f"events hold {FEEDBACK_PEOPLE} responses, {AGREED_BOTH} agreeing on both scales"}
EXPECTED = {"courses": len(COURSES), "sessions": TOTAL_SESSIONS, "attendances": ATTENDEES, "attendees": ATTENDEES,
            "evaluations": FEEDBACK_PEOPLE, "agreed_both": AGREED_BOTH,
            "response_rate": round(FEEDBACK_PEOPLE / ATTENDEES, 3),
            "agreement_rate": round(AGREED_BOTH / FEEDBACK_PEOPLE, 3),
            "preferences": {m: round(TNA[m] / TNA["respondents"], 3)
                            for m in ("virtual", "face_to_face", "e_learning")},
            "child_matters": {"sessions": CHILD_MATTERS["sessions"], "attendees": CHILD_MATTERS["attendees"]},
            "events": len(COURSES) + TOTAL_SESSIONS + ATTENDEES + FEEDBACK_PEOPLE + 1 + 1 + 1}

PARTNERSHIPS = [  # the sample deployment hosts two partnerships
    {"code": "doncaster", "name": "Doncaster Safeguarding Children Partnership", "area": "Doncaster", "year_starts": "04-01"},
    {"code": "rotherham", "name": "Rotherham Safeguarding Children Partnership", "area": "Rotherham", "year_starts": "04-01"},
]
KEYS = [
    {"agency": AGENCY, "partnerships": ["doncaster"], "event_types": ["training.*"],
     "label": "sample: DSCP training team LMS"},
    {"agency": "rscp-training", "partnerships": ["rotherham"], "event_types": ["training.*"],
     "label": "sample: RSCP training team LMS"},
    {"agency": POLICE, "partnerships": ["doncaster", "rotherham"],
     "event_types": ["training.attendance.recorded.v1", "training.programme.reported.v1"],
     "label": "sample: South Yorkshire Police learning system, attendance of its own people and Child Matters, "
              "both partnerships"},
]


# The LMS's pseudonymisation secret (shared.events.pseudonym): a real partner keeps its own, and never sends it.
LMS_SECRET = b"sample only: the DSCP LMS's pseudonymisation secret"


def attendee_ref(n: int) -> str:
    """The pseudonymous reference for the n-th attendee, by the partners' recipe: never a name or a number."""
    return pseudonymise(LMS_SECRET, f"dscp-2021-22/attendee/{n}")


def _training_days() -> list[date]:
    day, days = date(2021, 10, 4), []  # the first Monday, so every session is scheduled before it starts
    while day <= PERIOD_END.date():
        if is_working_day(day):
            days.append(day)
        day += timedelta(days=1)
    return days


def _sessions(rng: random.Random) -> list[SessionScheduled]:
    """Sessions in the TNA's mode shares; every course runs at least once face to face or virtually."""
    live = SESSIONS_BY_MODE["virtual"] + SESSIONS_BY_MODE["face_to_face"]
    course_ids = [c[0] for c in COURSES]
    extra = apportion(live - len(COURSES), {c[0]: c[3] for c in COURSES})  # the rest by relative demand
    picks = course_ids + [course_id for course_id, n in extra.items() for _ in range(n)]
    modes = ["virtual"] * SESSIONS_BY_MODE["virtual"] + ["face_to_face"] * SESSIONS_BY_MODE["face_to_face"]
    rng.shuffle(modes)
    e_courses = [c[0] for c in COURSES if c[4]]
    plan = list(zip(picks, modes)) + [(e_courses[i % len(e_courses)], "e_learning")
                                      for i in range(SESSIONS_BY_MODE["e_learning"])]
    days, taken, sessions = _training_days(), set(), []
    for course_id, mode in plan:
        while True:
            day, at = rng.choice(days), time(9) if mode == "e_learning" else rng.choice((time(9, 30), time(13, 30)))
            if (course_id, day, at) not in taken:
                break
        taken.add((course_id, day, at))
        sessions.append(SessionScheduled(
            session_id=f"{course_id}-{day:%Y%m%d}-{at:%H%M}", course_id=course_id, delivery_mode=mode,
            starts_at=london(day, at), capacity=CAPACITY[mode]))
    return sorted(sessions, key=lambda s: (s.starts_at, s.session_id))


def _attendance(rng: random.Random, sessions: list[SessionScheduled]) -> list[AttendanceRecorded]:
    """Each of the 1,368 people attends one face-to-face or virtual session that still has a place."""
    agencies = [a for a, n in ATTENDEES_BY_AGENCY.items() for _ in range(n)]
    rng.shuffle(agencies)
    live = [s for s in sessions if s.delivery_mode != "e_learning"]
    places = [s.capacity for s in live]
    chosen: list[tuple[int, int, str]] = []
    for n, agency in enumerate(agencies):
        i = rng.choices(range(len(live)), weights=places)[0]
        places[i] -= 1
        chosen.append((i, n, agency))
    return [AttendanceRecorded(session_id=live[i].session_id, attendee_ref=attendee_ref(n), attendee_agency=agency,
                               outcome="attended") for i, n, agency in sorted(chosen)]


ADDED_SINCE_V1 = {"level", "competency_items", "delivery_modes", "serves", "refresher_months", "attendee_role"}


def as_sent(data: EventData) -> dict:
    """The event's data as the LMS sends it: the optional fields added to the v1 contracts only when given, so an
    event the sample sent before they existed says exactly what it said then (a reload stays a duplicate)."""
    return data.model_dump(mode="json", exclude=ADDED_SINCE_V1 - data.model_fields_set)


def team_event(data: EventData, name: str, at: datetime, *, partnership: str, team: str, team_source: str,
               namespace: uuid.UUID) -> Envelope:
    """An envelope from a partnership's training team LMS (or, for its own people's attendance, the
    police's learning system), with an id that is the same on every run."""
    police = (isinstance(data, AttendanceRecorded) and data.attendee_agency == POLICE) or \
        isinstance(data, ProgrammeReported)
    event = new_event(data.type_name, as_sent(data), partnership=partnership,
                      agency=POLICE if police else team, source=POLICE_SOURCE if police else team_source,
                      subject=data.aggregate_id(), time=at)
    return event.model_copy(update={"id": str(uuid.uuid5(namespace, f"{data.type_name}/{name}"))})


def _event(data: EventData, name: str, at: datetime) -> Envelope:
    return team_event(data, name, at, partnership=PARTNERSHIP, team=AGENCY, team_source=SOURCE, namespace=NAMESPACE)


def training_events() -> list[Envelope]:
    """Every sample event in dependency order: the 22 courses, then sessions, then attendance."""
    rng = random.Random(SEED)
    sessions = _sessions(rng)
    attendance = _attendance(rng, sessions)
    published = london(PERIOD_START.date(), time(9))
    # named anew since the courses gained their details, so a deployment loaded before takes them as revisions
    events = [_event(course_published(c), f"{c[0]}/offer-2021-22", published + timedelta(minutes=i))
              for i, c in enumerate(COURSES)]
    scheduled = []
    for s in sessions:
        lead = timedelta(days=rng.randint(14, 42))
        at = max(london((s.starts_at - lead).date(), time(10)), published + timedelta(hours=1))
        scheduled.append(_event(s, s.session_id, at))
    events += sorted(scheduled, key=lambda e: (e.time, e.id))
    starts = {s.session_id: s.starts_at for s in sessions}
    events += [_event(a, f"{a.session_id}/{a.attendee_ref}", starts[a.session_id] + DURATION) for a in attendance]
    events += _evaluations(attendance, starts)
    tna = NeedsAnalysisRecorded(survey_id="tna-2021-22", title="Training Needs Analysis 2021-22",
                                closed_on=date(2022, 3, 1), respondents=TNA["respondents"],
                                prefer_virtual=TNA["virtual"], prefer_face_to_face=TNA["face_to_face"],
                                prefer_e_learning=TNA["e_learning"])
    events.append(_event(tna, tna.survey_id, london(date(2022, 3, 1), time(17))))
    feedback = FeedbackSummaryReported(**FEEDBACK_SUMMARY)
    events.append(_event(feedback, feedback.summary_id, london(date(2022, 3, 31), time(16))))
    child_matters = ProgrammeReported(**CHILD_MATTERS)
    events.append(_event(child_matters, f"{child_matters.programme_id}/{child_matters.period_start}",
                         london(date(2022, 3, 31), time(17))))
    return events


def _evaluations(attendance: list[AttendanceRecorded], starts: dict[str, datetime]) -> list[Envelope]:
    """44 evaluations on the day, from people the training team recorded: 41 agreeing on both scales, 3 not."""
    rng = random.Random(SEED + 44)
    evaluators = rng.sample([a for a in attendance if a.attendee_agency != POLICE], FEEDBACK_PEOPLE)
    answers = [(("agree", "strongly_agree")[i % 2], ("strongly_agree", "agree")[i % 3 % 2]) for i in range(AGREED_BOTH)]
    answers += NOT_AGREEING
    rng.shuffle(answers)
    events = []
    for i, (a, (good, impact)) in enumerate(zip(evaluators, answers)):
        at = starts[a.session_id] + DURATION + timedelta(minutes=10)
        evaluation = EvaluationSubmitted(session_id=a.session_id, attendee_ref=a.attendee_ref, submitted_at=at,
                                         good_use_of_time=good, positive_impact=impact,
                                         comments=QUOTES[i] if i < len(QUOTES) else None)
        events.append(_event(evaluation, f"{a.session_id}/{a.attendee_ref}", at))
    return sorted(events, key=lambda e: (e.time, e.id))


def summary(figures) -> list[str] | None:
    """Lines for `python -m sample` once the read model shows the training sample's figures, else None.
    `figures(path)` answers a reporting JSON endpoint under /p/doncaster/api/."""
    f = figures(f"training?as_of={AS_OF}")
    shown = sample_figures(f)
    if shown != {k: EXPECTED[k] for k in shown}:
        return None
    gaps = "; ".join(f"the report's \"{k}\": {why}" for k, why in REPORTED_BUT_NOT_REPRODUCIBLE.items())
    prefs = shown["preferences"]
    return [f"Doncaster's training at {AS_OF}: {shown['attendances']:,} attendances at {shown['courses']} courses; "
            f"{shown['evaluations']} evaluations ({shown['response_rate']:.1%} of attendees), {shown['agreed_both']} "
            f"agreeing on both scales; needs analysis {prefs['virtual']:.0%} virtual, {prefs['face_to_face']:.0%} "
            f"face to face, {prefs['e_learning']:.0%} e-learning; Child Matters (South Yorkshire Police, apart) "
            f"{shown['child_matters']['sessions']} sessions, {shown['child_matters']['attendees']:,} attendees.",
            f"  Not reproducible from the events: {gaps}."]


def sample_figures(f: dict) -> dict:
    """The figures EXPECTED describes, read from the training summary endpoint's answer."""
    surveys = f["needs_analysis"]["surveys"]
    programmes = {p["programme_id"]: p for p in f["programmes"]["programmes"]}
    matters = programmes.get(CHILD_MATTERS["programme_id"], {})
    return {"courses": len(f["attendance"]["by_course"]), "sessions": f["attendance"]["sessions_held"],
            "attendances": f["attendance"]["attendances"], "attendees": f["attendance"]["people"],
            "evaluations": f["evaluations"]["responses"], "agreed_both": f["evaluations"]["agreed_both"],
            "response_rate": f["evaluations"]["response_rate"], "agreement_rate": f["evaluations"]["agreement_rate"],
            "preferences": surveys[0]["shares"] if surveys else None,
            "child_matters": {"sessions": matters.get("sessions"), "attendees": matters.get("attendees")}}
