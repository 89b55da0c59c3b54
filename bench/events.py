"""The bench's events: sample-like training events, generated fresh for each round.

Like `sample.partnership`: a few courses, their sessions, then attendance, each person once, about
25 people a session, sorted by session (as an LMS records a session's register after it ran). What
differs from the sample is the size, which is a parameter, and the ids, which are new in every round
so that the training service never answers "duplicate".

`workload` makes one partnership's events (Doncaster's unless told); `spread` makes a year of the
sample's shape (its 22 courses, 100 sessions and 1,368 attendances) for each of several partnerships,
as the scale bench (`bench.scale`) loads them.
"""

from __future__ import annotations

import random
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import datetime, timedelta, timezone

from shared.events.base import EventData
from shared.events.envelope import Envelope, new_event
from shared.events.training import AttendanceRecorded, CoursePublished, SessionScheduled
from shared.kafka.producer import event_headers
from services.reporting.projections import HANDLERS
from services.reporting.projections.training import ATTENDANCE, COURSES, SESSIONS
from sample.partnership import AGENCY, AGENCY_WEIGHTS, COURSES as SAMPLE_COURSES, EXPECTED, SOURCE

PER_SESSION = 25  # attendees a session, about the sample's (1,368 people over 89 live sessions is ~15; capacities 20-35)
SESSIONS_PER_COURSE = 5
START = datetime(2021, 10, 4, 9, 30, tzinfo=timezone.utc)
PARTNERSHIP = "doncaster"  # of `workload`'s events unless told otherwise
# (courses, sessions, attendances) of the sample's year, sample.partnership.training_events(): 1,490 events
SAMPLE_YEAR = (EXPECTED["courses"], EXPECTED["sessions"], EXPECTED["attendances"])


@dataclass(frozen=True)
class Event:
    """One event as every side of the bench sends it: the envelope, its data, Kafka key, value and headers."""

    envelope: Envelope
    data: EventData
    key: str
    value: bytes
    headers: list[tuple[str, bytes]]


@dataclass
class Workload:
    """A round's events, in the phases a partner must post them in (a session needs its course first...)."""

    tag: str
    phases: list[list[Event]] = field(default_factory=list)

    @property
    def events(self) -> list[Event]:
        return [e for phase in self.phases for e in phase]

    def __len__(self) -> int:
        return sum(len(p) for p in self.phases)

    def documents(self) -> dict[str, int]:
        """How many read-model documents the reporting projections make of these events, per collection."""
        return documents(self.events)


def documents(events: Iterable[Event]) -> dict[str, int]:
    """How many distinct read-model documents the reporting projections make of `events`, per collection
    (several events may write one document, such as a partnership's read-model version)."""
    ids: dict[str, set[str]] = {COURSES: set(), SESSIONS: set(), ATTENDANCE: set()}
    for e in events:
        for w in HANDLERS[e.envelope.type](e.envelope, e.data):
            ids.setdefault(w.collection, set()).add(w.id)
    return {collection: len(found) for collection, found in ids.items()}


def _event(data: EventData, at: datetime, partnership: str) -> Event:
    """The envelope as the training team's LMS sends it, keyed on Kafka as the service keys it (partnership/aggregate)."""
    envelope = new_event(data.type_name, data.model_dump(mode="json"), partnership=partnership, agency=AGENCY,
                         source=SOURCE, subject=data.aggregate_id(), time=at)
    return Event(envelope, data, f"{partnership}/{data.aggregate_id()}", envelope.to_json(),
                 event_headers(envelope.type, envelope.id, envelope.correlationid))


def sizes(total: int) -> tuple[int, int, int]:
    """(courses, sessions, attendances) adding up to `total` (at least 3)."""
    if total < 3:
        raise ValueError("at least 3 events: a course, a session and an attendance")
    sessions = max(1, total // (PER_SESSION + 1))
    courses = max(1, min(len(SAMPLE_COURSES), sessions // SESSIONS_PER_COURSE))
    sessions = max(1, min(sessions, total - courses - 1))
    return courses, sessions, total - courses - sessions


def workload(total: int, tag: str, seed: int = 2022, *, partnership: str = PARTNERSHIP) -> Workload:
    """`total` events of one partnership: courses, then sessions, then attendance, with ids unique to `tag`."""
    return Workload(tag, _phases(random.Random(f"{seed}/{tag}"), tag, partnership, *sizes(total)))


def spread(tag: str, partnerships: Sequence[str], *, year: tuple[int, int, int] = SAMPLE_YEAR,
           seed: int = 2022) -> Workload:
    """A year of `year`'s shape (courses, sessions, attendances; the sample's by default) for each partnership,
    phase by phase: every partnership's courses, then their sessions, then their attendance. The ids are
    the same in each partnership (two partnerships may both have a course `<tag>-child-exploitation`)."""
    per = [_phases(random.Random(f"{seed}/{tag}/{p}"), tag, p, *year) for p in partnerships]
    return Workload(tag, [[e for phases in per for e in phases[i]] for i in range(3)] if per else [])


def partnership_codes(count: int) -> list[str]:
    """`p01`, `p02`, ... (registered codes: lower-case letters and digits)."""
    width = max(2, len(str(count)))
    return [f"p{i:0{width}d}" for i in range(1, count + 1)]


def _phases(rng: random.Random, tag: str, partnership: str, n_courses: int, n_sessions: int,
            n_attendance: int) -> list[list[Event]]:
    """One partnership's courses, sessions and attendance (three phases), each person attending once."""
    if not 1 <= n_courses <= len(SAMPLE_COURSES) or n_sessions < 1 or n_attendance < 0:
        raise ValueError(f"need 1 to {len(SAMPLE_COURSES)} courses, a session or more, no negative attendance")
    courses = [CoursePublished(course_id=f"{tag}-{c[0]}"[:64], title=c[1], competencies=c[2])
               for c in SAMPLE_COURSES[:n_courses]]
    modes = ("virtual", "face_to_face")
    capacity = max(2 * PER_SESSION, 2 * -(-n_attendance // n_sessions))  # never full
    sessions = [SessionScheduled(session_id=f"{tag}-s{i:05d}", course_id=courses[i % n_courses].course_id,
                                 delivery_mode=modes[i % 2], starts_at=START + timedelta(hours=4 * i),
                                 capacity=capacity)
                for i in range(n_sessions)]
    agencies, weights = list(AGENCY_WEIGHTS), list(AGENCY_WEIGHTS.values())
    attendance = []
    for j in range(n_attendance):
        session = sessions[j * n_sessions // n_attendance]  # contiguous: one session's register after another
        data = AttendanceRecorded(session_id=session.session_id, attendee_ref=f"att-{tag}-{j:06d}",
                                  attendee_agency=rng.choices(agencies, weights)[0],
                                  outcome="attended" if rng.random() < 0.93 else "no_show")
        attendance.append(_event(data, session.starts_at + timedelta(hours=3), partnership))
    published = START - timedelta(days=30)
    return [
        [_event(c, published + timedelta(minutes=i), partnership) for i, c in enumerate(courses)],
        [_event(s, published + timedelta(days=1, minutes=i), partnership) for i, s in enumerate(sessions)],
        attendance,
    ]


def batch_body(events: list[Event]) -> bytes:
    """An `application/cloudevents-batch+json` body, as `sample.load` builds it."""
    return b"[" + b",".join(e.value for e in events) + b"]"
