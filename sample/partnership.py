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

Event ids are uuid5 names, so reloading the sample is idempotent: the service answers
"duplicate" for an event it has already applied.
"""

from __future__ import annotations

import hashlib
import random
import uuid
from datetime import date, datetime, time, timedelta, timezone

from shared.events.base import EventData
from shared.events.envelope import Envelope, new_event
from shared.events.training import AttendanceRecorded, CoursePublished, SessionScheduled

PARTNERSHIP = "doncaster"
AGENCY = "dscp-training"
SOURCE = "/partners/dscp-training/lms"
POLICE = "south-yorkshire-police"
POLICE_SOURCE = "/partners/south-yorkshire-police/learning"
NAMESPACE = uuid.uuid5(uuid.NAMESPACE_URL, "https://scp.example/sample/dscp/2021-22")
SEED = 2022

# London time without a tz database: BST until 31 Oct 2021, GMT until 27 Mar 2022, then BST.
_GMT, _BST = timezone.utc, timezone(timedelta(hours=1), "BST")


def london(day: date, at: time) -> datetime:
    bst = day < date(2021, 10, 31) or day >= date(2022, 3, 27)
    return datetime.combine(day, at, _BST if bst else _GMT)


PERIOD_START = london(date(2021, 10, 1), time(0, 0))
PERIOD_END = london(date(2022, 3, 31), time(23, 59, 59))
BANK_HOLIDAYS = {date(2021, 12, 27), date(2021, 12, 28), date(2022, 1, 3)}  # England, within the period

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
EXPECTED = {"courses": len(COURSES), "sessions": TOTAL_SESSIONS, "attendances": ATTENDEES, "attendees": ATTENDEES,
            "events": len(COURSES) + TOTAL_SESSIONS + ATTENDEES}

PARTNERSHIPS = [  # the sample deployment hosts two partnerships
    {"code": "doncaster", "name": "Doncaster Safeguarding Children Partnership", "area": "Doncaster", "year_starts": "04-01"},
    {"code": "rotherham", "name": "Rotherham Safeguarding Children Partnership", "area": "Rotherham", "year_starts": "04-01"},
]
KEYS = [
    {"agency": AGENCY, "partnerships": ["doncaster"], "event_types": ["training.*"],
     "label": "sample: DSCP training team LMS"},
    {"agency": "rscp-training", "partnerships": ["rotherham"], "event_types": ["training.*"],
     "label": "sample: RSCP training team LMS"},
    {"agency": POLICE, "partnerships": ["doncaster", "rotherham"], "event_types": ["training.attendance.recorded.v1"],
     "label": "sample: South Yorkshire Police learning system, attendance of its own people, both partnerships"},
]


def attendee_ref(n: int) -> str:
    """A pseudonymous reference for the n-th attendee: a hash, never a name."""
    return "att-" + hashlib.sha256(f"dscp-2021-22/attendee/{n}".encode()).hexdigest()[:8]


def _training_days() -> list[date]:
    day, days = date(2021, 10, 4), []  # the first Monday, so every session is scheduled before it starts
    while day <= PERIOD_END.date():
        if day.weekday() < 5 and day not in BANK_HOLIDAYS:
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


def team_event(data: EventData, name: str, at: datetime, *, partnership: str, team: str, team_source: str,
               namespace: uuid.UUID) -> Envelope:
    """An envelope from a partnership's training team LMS (or, for its own people's attendance, the
    police's learning system), with an id that is the same on every run."""
    police = isinstance(data, AttendanceRecorded) and data.attendee_agency == POLICE
    event = new_event(data.type_name, data.model_dump(mode="json"), partnership=partnership,
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
    events = [_event(CoursePublished(course_id=c[0], title=c[1], competencies=c[2]), c[0],
                     published + timedelta(minutes=i)) for i, c in enumerate(COURSES)]
    scheduled = []
    for s in sessions:
        lead = timedelta(days=rng.randint(14, 42))
        at = max(london((s.starts_at - lead).date(), time(10)), published + timedelta(hours=1))
        scheduled.append(_event(s, s.session_id, at))
    events += sorted(scheduled, key=lambda e: (e.time, e.id))
    starts = {s.session_id: s.starts_at for s in sessions}
    events += [_event(a, f"{a.session_id}/{a.attendee_ref}", starts[a.session_id] + DURATION) for a in attendance]
    return events
