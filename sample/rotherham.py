"""A second, smaller partnership beside Doncaster: Rotherham's training, October 2021 to March 2022.

Invented, to show the platform hosting two partnerships that share a partner: nothing here comes
from a report. Pure data and a deterministic generator (seeded, no I/O).

- Four courses. One has the same id as a Doncaster course (`child-exploitation`): ids are unique
  within a partnership, so the two stay two courses.
- Eight sessions of 30 places, virtual and face to face, and 160 people attending one each.
- South Yorkshire Police sits in both partnerships: its learning system records its own people's
  attendance here with the same key it uses for Doncaster.
"""

from __future__ import annotations

import random
import uuid
from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

from sample.partnership import POLICE, team_event
from shared.events.base import EventData
from shared.events.envelope import Envelope
from shared.events.training import AttendanceRecorded, CoursePublished, SessionScheduled
from shared.events.pseudonym import pseudonymise

PARTNERSHIP = "rotherham"
AGENCY = "rscp-training"
SOURCE = "/partners/rscp-training/lms"
NAMESPACE = uuid.uuid5(uuid.NAMESPACE_URL, "https://scp.example/sample/rscp/2021-22")
LMS_SECRET = b"sample only: the RSCP LMS's pseudonymisation secret"  # a real partner keeps its own (shared.events.pseudonym)
LONDON = ZoneInfo("Europe/London")

COURSES = (
    ("child-exploitation", "Child Exploitation", ("be_aware", "recognise", "respond")),
    ("domestic-abuse-awareness", "Domestic Abuse Awareness", ("be_aware", "recognise")),
    ("neglect-graded-care-profile", "Neglect and the Graded Care Profile", ("recognise", "respond")),
    ("l1-safeguarding-everyone", "L1 Safeguarding Everyone", ("be_aware", "recognise")),
)
SESSIONS = (  # (course, day, hour, mode)
    ("child-exploitation", "2021-10-12", 9, "virtual"), ("domestic-abuse-awareness", "2021-11-03", 13, "face_to_face"),
    ("neglect-graded-care-profile", "2021-11-17", 9, "virtual"), ("l1-safeguarding-everyone", "2021-12-08", 9, "virtual"),
    ("child-exploitation", "2022-01-19", 13, "face_to_face"), ("domestic-abuse-awareness", "2022-02-09", 9, "virtual"),
    ("neglect-graded-care-profile", "2022-03-02", 13, "face_to_face"), ("l1-safeguarding-everyone", "2022-03-23", 9, "virtual"),
)
CAPACITY = 30
ATTENDEES_BY_AGENCY = {"rotherham-council": 44, "schools": 40, POLICE: 24, "nhs-south-yorkshire-icb": 20,
                       "rotherham-doncaster-south-humber-nhs-ft": 16, "voluntary-sector": 16}
EXPECTED = {"courses": len(COURSES), "sessions": len(SESSIONS), "attendances": sum(ATTENDEES_BY_AGENCY.values())}


def _event(data: EventData, name: str, at: datetime) -> Envelope:
    return team_event(data, name, at, partnership=PARTNERSHIP, team=AGENCY, team_source=SOURCE, namespace=NAMESPACE)


def training_events() -> list[Envelope]:
    """Courses, sessions, then attendance: the training team's events first, then the police's."""
    rng = random.Random(2122)
    published = datetime(2021, 10, 1, 9, tzinfo=LONDON)
    events = [_event(CoursePublished(course_id=c, title=t, competencies=k), c, published + timedelta(minutes=i))
              for i, (c, t, k) in enumerate(COURSES)]
    sessions = []
    for course_id, day, hour, mode in SESSIONS:
        starts = datetime.fromisoformat(day).replace(hour=hour, tzinfo=LONDON)
        session = SessionScheduled(session_id=f"{course_id}-{starts:%Y%m%d-%H%M}", course_id=course_id,
                                   delivery_mode=mode, starts_at=starts, capacity=CAPACITY)
        sessions.append(session)
        events.append(_event(session, session.session_id, max(starts - timedelta(days=21), published + timedelta(hours=1))))
    places = {s.session_id: CAPACITY for s in sessions}
    people = [agency for agency, n in ATTENDEES_BY_AGENCY.items() for _ in range(n)]
    rng.shuffle(people)
    attendance = []
    for n, agency in enumerate(people):
        session = rng.choice([s for s in sessions if places[s.session_id]])
        places[session.session_id] -= 1
        ref = pseudonymise(LMS_SECRET, f"rscp-2021-22/attendee/{n}")
        record = AttendanceRecorded(session_id=session.session_id, attendee_ref=ref, attendee_agency=agency)
        attendance.append(_event(record, f"{session.session_id}/{ref}", session.starts_at + timedelta(hours=3)))
    attendance.sort(key=lambda e: (e.agency != AGENCY, e.time, e.id))
    return events + attendance
