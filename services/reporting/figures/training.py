"""Training figures for a partnership at an as-of moment, computed when read from the training read model.

`load` reads one partnership's training entity documents that can bear on the period (its sessions, with everything
that happened at each, and every course), and keeps the records recorded by the as-of moment (all but courses and
sessions, read as they stand now, by the event's `time`); the figure functions are pure functions of those facts,
the as-of moment and the period, so they are unit-tested without a database. Within one answer, the bookings
replayed and the attendance recorded by the as-of moment are worked out once (`Facts.once`), however many
figures read them.

A fact counts at an as-of moment when it had been recorded by then (its event's `time`) and had happened by
then (its own date: a session's start, a booking's `booked_at`, an evaluation's `submitted_at`, a survey's
`closed_on`, a programme period's end). Per-person facts are kept one record per event, so the latest
recorded by the as-of moment is the one that counts: a later correction does not change an earlier as-of.
Courses and sessions are read as they stand now (their revisions apply to every as-of).

What a period shows (the partnership's reporting year unless the reader asks for another): attendance, bookings,
evaluations and reach at the sessions held in it, partner programmes' periods that ended in it, and the needs
analyses that closed in it. Competencies are a state on the as-of day, not a period's figure: held from any
attendance whose refresher is not overdue. Without a period (None), everything by the as-of moment.

Partner programmes reported in aggregate (Child Matters) are figures of their own, never added into
individual attendance. Training's rules (the cancellation cut-off, agreement, the follow-up window, refreshers)
are the training service's: it decides each when it records the fact and publishes the outcome
(`training.cancellation.judged.v1`, `training.evaluation.judged.v1`, `training.follow_up.judged.v1`,
`training.refresher.set.v1`; docs/training.md). These figures take the latest decision recorded by the as-of
moment and only count it, or compare its days with the as-of day.
"""

from __future__ import annotations

from collections import Counter, defaultdict
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date, datetime, timezone
from typing import Any

from pymongo.asynchronous.database import AsyncDatabase

from shared.events.training import CORE_PRINCIPLES
from services.reporting.projections import read_for
from services.reporting.projections.source import recorded_order
from services.reporting.projections.training import (ATTENDANCE, BOOKINGS, COURSES, ENTITY_OF, EVALUATIONS,
                                                      FEEDBACK, PROGRAMMES, REFRESHERS, SESSIONS, STATES, SURVEYS)
from shared.read import entities
from shared.calendar import Period, london_day, london_month

MODES = ("face_to_face", "virtual", "e_learning")
LISTED = 500  # at most this many people listed by name (pseudonymous reference) in a figure
T = "training."
SOURCES = {
    "attendance": [T + "course.published.v1", T + "session.scheduled.v1", T + "attendance.recorded.v1",
                   T + "booking.cancelled.v1",  # late cancellations: a booking cancelled after the cut-off too
                   T + "cancellation.judged.v1"],
    "bookings": [T + "session.scheduled.v1", T + "booking.made.v1", T + "booking.waitlisted.v1",
                 T + "booking.promoted.v1", T + "booking.cancelled.v1", T + "cancellation.judged.v1",
                 T + "attendance.recorded.v1"],
    "evaluations": [T + "attendance.recorded.v1", T + "evaluation.submitted.v1", T + "evaluation.judged.v1",
                    T + "evaluation.followed_up.v1", T + "follow_up.judged.v1", T + "feedback_summary.reported.v1"],
    "needs_analysis": [T + "needs_analysis.recorded.v1"],
    "programmes": [T + "programme.reported.v1"],
    "competencies": [T + "course.published.v1", T + "session.scheduled.v1", T + "attendance.recorded.v1",
                     T + "refresher.set.v1"],
    "priorities": [T + "course.published.v1", T + "session.scheduled.v1", T + "attendance.recorded.v1",
                   T + "programme.reported.v1"],
}


ENTITIES = tuple(dict.fromkeys(ENTITY_OF.values()))  # the entity collections, each read once
PER_EVENT = {"bookings": BOOKINGS, "evaluations": EVALUATIONS, "surveys": SURVEYS, "programmes": PROGRAMMES,
             "refreshers": REFRESHERS, "feedback_summaries": FEEDBACK}  # Facts' lists of records kept one per event


def utc(moment: datetime) -> datetime:
    return moment.replace(tzinfo=timezone.utc) if moment.tzinfo is None else moment.astimezone(timezone.utc)


def own_id(doc: dict) -> str:
    """A read-model document's id within its partnership (`doncaster/c1` -> `c1`)."""
    return doc["_id"].split("/", 1)[1]


@dataclass
class Facts:
    """One partnership's training documents (`refreshers`: the training service's `training.refresher.set.v1`)."""

    courses: dict[str, dict] = field(default_factory=dict)
    sessions: dict[str, dict] = field(default_factory=dict)
    attendance: list[dict] = field(default_factory=list)
    bookings: list[dict] = field(default_factory=list)
    evaluations: list[dict] = field(default_factory=list)
    surveys: list[dict] = field(default_factory=list)
    programmes: list[dict] = field(default_factory=list)
    feedback_summaries: list[dict] = field(default_factory=list)  # survey tools' own counts
    refreshers: list[dict] = field(default_factory=list)
    attended_later: list[datetime] = field(default_factory=list)  # attendance recorded after the as-of moment
    _once: dict[tuple, Any] = field(default_factory=dict, repr=False, compare=False)

    def once(self, what: str, as_of: datetime, work: Callable[[], Any]) -> Any:
        """`work()`, worked out once per as-of moment for these facts: every figure of an answer reads the same
        result (which none of them changes)."""
        if (what, as_of) not in self._once:
            self._once[(what, as_of)] = work()
        return self._once[(what, as_of)]


async def load(db: AsyncDatabase, partnership: str, as_of: datetime, period: Period | None = None) -> Facts:
    """The partnership's training facts that can count at `as_of`, of the entities that can bear on the period
    (shared.read.entities: every course; the sessions, needs analyses and programmes filed under its years and
    after, each session with everything that happened at it; without a period, every one, as competencies need):
    courses and sessions as they stand now (their revisions apply to every as-of), an attendance once first or
    latest recorded by then (its first outcome is kept beside the latest, `attendance_as_of`), and every other
    record once recorded by then."""
    found = await read_for(db, partnership, period, {c: c == COURSES for c in ENTITIES})
    return facts_of(entities.records_of(d for docs in found.values() for d in docs), partnership, as_of)


def facts_of(records: list[dict], partnership: str, as_of: datetime) -> Facts:
    """The facts from the records of entity documents (pure): the states merged from their records in the order
    they were projected, the others recorded by `as_of`; and the moments of attendance recorded after it."""
    kinds: dict[str, list[dict]] = defaultdict(list)
    for record in records:
        if record["partnership"] == partnership:
            kinds[record["kept_as"]].append(
                {k: utc(v) if isinstance(v, datetime) else v for k, v in record.items() if k != "kept_as"})
    states = {kind: _states(kinds[kind], first=kind == ATTENDANCE) for kind in STATES}
    attendance = [d for d in states[ATTENDANCE].values()
                  if d["event_time"] <= as_of or d["first_event_time"] <= as_of]
    return Facts(courses={own_id(d): d for d in states[COURSES].values()},
                 sessions={own_id(d): d for d in states[SESSIONS].values()},
                 attendance=attendance, **{name: [d for d in kinds[kind] if d["event_time"] <= as_of]
                                           for name, kind in PER_EVENT.items()},
                 attended_later=[d["event_time"] for d in states[ATTENDANCE].values() if d["event_time"] > as_of])


def _states(records: list[dict], first: bool = False) -> dict[str, dict]:
    """Each thing's state: its records merged in the order they were projected (as `$set` would), known by its own
    id; with `first` (an attendance), also its first record's outcome, moment and event id."""
    states: dict[str, dict] = {}
    for record in records:
        own = record["_id"].rsplit("/", 1)[0]
        state = states.get(own)
        if state is None:
            state = states[own] = {"_id": own, **({"first_outcome": record.get("outcome"),
                                                   "first_event_time": record["event_time"],
                                                   "first_event_id": record["event_id"]} if first else {})}
        state.update({k: v for k, v in record.items() if k != "_id"})
    return states


def _recorded(docs: list[dict], as_of: datetime) -> list[dict]:
    return sorted((d for d in docs if d["event_time"] <= as_of), key=recorded_order)


def _latest(docs: list[dict], key, as_of: datetime) -> dict[Any, dict]:
    """The latest document recorded by `as_of` for each key."""
    found: dict[Any, dict] = {}
    for d in _recorded(docs, as_of):
        found[key(d)] = d
    return found


def _in_period(moment: datetime, as_of: datetime, period: Period | None) -> bool:
    return moment <= as_of and (period is None or period.holds(moment))


def _rate(part: int, whole: int) -> float | None:
    return round(part / whole, 3) if whole else None


def attendance_as_of(doc: dict, as_of: datetime) -> dict | None:
    """One person's attendance at one session as recorded by `as_of`: the latest record, or the first one when the
    latest came after `as_of` (an intermediate correction between the two is not kept), or None."""
    if doc["event_time"] <= as_of:
        return doc
    if doc.get("first_event_time") and doc["first_event_time"] <= as_of:
        return {**doc, "outcome": doc["first_outcome"], "event_time": doc["first_event_time"],
                "event_id": doc["first_event_id"]}
    return None


def recorded_attendance(facts: Facts, as_of: datetime) -> dict[tuple[str, str], dict]:
    """(session, person) -> their attendance as recorded by `as_of` (worked out once per answer)."""
    return facts.once("attendance", as_of, lambda: _recorded_attendance(facts, as_of))


def _recorded_attendance(facts: Facts, as_of: datetime) -> dict[tuple[str, str], dict]:
    found = {}
    for doc in facts.attendance:
        view = attendance_as_of(doc, as_of)
        if view is not None:
            found[(doc["session_id"], doc["_id"].rsplit("/", 1)[1])] = view
    return found


def people_at_sessions(facts: Facts, as_of: datetime, period: Period | None = None) -> dict[tuple[str, str], dict]:
    """(session, person) -> their attendance as recorded by `as_of`, at sessions held in the period."""
    return {k: d for k, d in recorded_attendance(facts, as_of).items()
            if k[0] in facts.sessions and _in_period(facts.sessions[k[0]]["starts_at"], as_of, period)}


def _sorted_counts(counter: Counter, name: str) -> list[dict]:
    return [{name: k, "attended": n} for k, n in sorted(counter.items(), key=lambda kv: (-kv[1], kv[0]))]


def attendance(facts: Facts, as_of: datetime, period: Period | None = None) -> dict[str, Any]:
    """Attendance by agency, course, mode and month; fill, no-show and late-cancellation rates."""
    people = people_at_sessions(facts, as_of, period)
    outcomes = Counter(d["outcome"] for d in people.values())
    attended = [(s, ref) for (s, ref), d in people.items() if d["outcome"] == "attended"]
    held = {s: doc for s, doc in facts.sessions.items() if _in_period(doc["starts_at"], as_of, period)}
    by_agency, by_course, by_mode, by_month = Counter(), Counter(), Counter(), Counter()
    for s, ref in attended:
        session = facts.sessions[s]
        by_agency[people[(s, ref)]["attendee_agency"]] += 1
        by_course[session["course_id"]] += 1
        by_mode[session["delivery_mode"]] += 1
        by_month[london_month(session["starts_at"])] += 1
    sessions_by = (Counter(doc["course_id"] for doc in held.values()),
                   Counter(doc["delivery_mode"] for doc in held.values()))
    limited = {s for s, doc in held.items() if doc.get("capacity")}
    places = sum(held[s]["capacity"] for s in limited)
    filled = sum(1 for s, _ in attended if s in limited)
    late = late_cancellations(facts, as_of, period)
    taken_up = len(set(people) | booked_places(facts, as_of, period))
    return {
        "attendances": len(attended),
        "people": len({ref for _, ref in attended}),
        "no_shows": outcomes["no_show"],
        "late_cancellations": len(late),
        "sessions_held": len(held),
        "places_offered": places,
        "fill_rate": _rate(filled, places),
        "no_show_rate": _rate(outcomes["no_show"], outcomes["attended"] + outcomes["no_show"]),
        "late_cancellation_rate": _rate(len(late), taken_up),
        "by_agency": _sorted_counts(by_agency, "agency"),
        "by_course": [{"course_id": c, "title": facts.courses.get(c, {}).get("title", "(course not yet published)"),
                       "sessions": sessions_by[0][c], "attended": by_course[c]}
                      for c in sorted(set(by_course) | set(sessions_by[0]), key=lambda c: (-by_course[c], c))],
        "by_delivery_mode": [{"mode": m, "sessions": sessions_by[1][m], "attended": by_mode[m],
                              "share": _rate(by_mode[m], len(attended)) or 0.0,
                              "fill_rate": _rate(sum(1 for s, _ in attended if s in limited
                                                     and held[s]["delivery_mode"] == m),
                                                 sum(held[s]["capacity"] for s in limited
                                                     if held[s]["delivery_mode"] == m))}
                             for m in (*MODES, *sorted(set(by_mode) - set(MODES)))],
        "by_month": [{"month": m, "attended": n} for m, n in sorted(by_month.items())],
        "sources": SOURCES["attendance"],
    }


# a cancellation, then the training service's judgement of it, at the same moment
BOOKING_KINDS = ("made", "cancelled", "judged", "waitlisted", "promoted")


def _booking_order(d: dict) -> tuple:
    return d["event_time"], BOOKING_KINDS.index(d["kind"]), *recorded_order(d)[1:]


def booking_history(facts: Facts, as_of: datetime) -> dict[tuple[str, str], dict]:
    """(session, person) -> {status, held_place, late}: the bookings replayed as recorded by `as_of` (worked out
    once per answer). A cancellation is late when the training service judged it so."""
    return facts.once("bookings", as_of, lambda: _booking_history(facts, as_of))


def _booking_history(facts: Facts, as_of: datetime) -> dict[tuple[str, str], dict]:
    state: dict[tuple[str, str], dict] = {}
    for d in sorted((d for d in facts.bookings if d["event_time"] <= as_of and d["at"] <= as_of), key=_booking_order):
        key = (d["session_id"], d["attendee_ref"])
        if d["kind"] == "made":
            state[key] = {"status": "booked", "held_place": True, "late": None, "agency": d.get("attendee_agency")}
        elif key not in state:
            continue
        elif d["kind"] == "waitlisted":
            state[key].update(status="waiting", held_place=False)
        elif d["kind"] == "promoted":
            state[key].update(status="booked", held_place=True, promoted=True)
        elif d["kind"] == "cancelled":
            was_booked = state[key]["status"] == "booked"
            state[key].update(status="cancelled", late=False, left_waiting_list=not was_booked)
        elif d["kind"] == "judged" and state[key]["status"] == "cancelled":
            state[key]["late"] = bool(d.get("late"))
    return state


def booked_places(facts: Facts, as_of: datetime, period: Period | None = None) -> set[tuple[str, str]]:
    return {k for k, b in booking_history(facts, as_of).items() if b["held_place"]
            and k[0] in facts.sessions and _in_period(facts.sessions[k[0]]["starts_at"], as_of, period)}


def late_cancellations(facts: Facts, as_of: datetime, period: Period | None = None) -> set[tuple[str, str]]:
    """People who cancelled late: a booking cancelled after the cut-off, or an attendance recorded as cancelled_late,
    at sessions held in the period (one person at one session counted once)."""
    booked = {k for k, b in booking_history(facts, as_of).items() if b.get("late")}
    recorded = {k for k, d in recorded_attendance(facts, as_of).items() if d["outcome"] == "cancelled_late"}
    return {k for k in booked | recorded
            if k[0] in facts.sessions and _in_period(facts.sessions[k[0]]["starts_at"], as_of, period)}


def bookings(facts: Facts, as_of: datetime, period: Period | None = None) -> dict[str, Any]:
    """Bookings made, waiting lists and promotions, cancellations in time and late, no-shows among the booked."""
    history = {k: b for k, b in booking_history(facts, as_of).items()
               if k[0] in facts.sessions and (period is None or period.holds(facts.sessions[k[0]]["starts_at"]))}
    people = recorded_attendance(facts, as_of)
    upcoming = {s for s, doc in facts.sessions.items()
                if doc["starts_at"] > as_of and (period is None or period.holds(doc["starts_at"]))}
    held_booked = [k for k, b in history.items() if b["status"] == "booked" and k[0] not in upcoming]
    no_shows = sum(1 for k in held_booked if people.get(k, {}).get("outcome") == "no_show")
    cancelled = [b for b in history.values() if b["status"] == "cancelled" and not b.get("left_waiting_list")]
    per_upcoming = []
    for s in sorted(upcoming):
        booked = sum(1 for k, b in history.items() if k[0] == s and b["status"] == "booked")
        waiting = sum(1 for k, b in history.items() if k[0] == s and b["status"] == "waiting")
        if booked or waiting:
            capacity = facts.sessions[s].get("capacity")
            per_upcoming.append({"session_id": s, "capacity": capacity, "booked": booked, "waiting": waiting,
                                 "fill_rate": _rate(booked, capacity or 0)})
    late = sum(1 for b in cancelled if b["late"])
    return {
        "bookings": len(history),
        "booked": sum(1 for b in history.values() if b["status"] == "booked"),
        "waiting": sum(1 for b in history.values() if b["status"] == "waiting"),
        "promoted_from_waiting_list": sum(1 for b in history.values() if b.get("promoted")),
        "left_waiting_list": sum(1 for b in history.values() if b.get("left_waiting_list")),
        "cancelled_in_time": len(cancelled) - late,
        "cancelled_late": late,
        "late_cancellation_rate": _rate(late, sum(1 for b in history.values() if b["held_place"])),
        "no_shows_among_booked": no_shows,
        "no_show_rate_among_booked": _rate(no_shows, len(held_booked)),
        "upcoming_sessions": per_upcoming,
        # the training service's rule, in words: it judges each cancellation (training.cancellation.judged.v1)
        "cut_off": "2 working days before the session's day (docs/training.md)",
        "sources": SOURCES["bookings"],
    }


def evaluations(facts: Facts, as_of: datetime, period: Period | None = None) -> dict[str, Any]:
    """Responses on the day (response rate, agreement on each scale and on both) and 6-8-week follow-ups."""
    people = people_at_sessions(facts, as_of, period)
    attended = {k for k, d in people.items() if d["outcome"] == "attended"}
    latest = _latest([d for d in facts.evaluations if d["at"] <= as_of],
                     lambda d: (d["kind"], d["session_id"], d["attendee_ref"]), as_of)
    day = [d for (kind, s, ref), d in latest.items() if kind == "on_the_day" and (s, ref) in attended]
    follow = [d for (kind, s, ref), d in latest.items() if kind == "follow_up" and (s, ref) in attended]

    def judged(kind: str, d: dict, said: str) -> bool:
        """What the training service's latest judgement (by `as_of`) of this person's response says."""
        return bool(latest.get((kind, d["session_id"], d["attendee_ref"]), {}).get(said))

    good = sum(1 for d in day if judged("on_the_day_judged", d, "agreed_good_use_of_time"))
    impact = sum(1 for d in day if judged("on_the_day_judged", d, "agreed_positive_impact"))
    both = sum(1 for d in day if judged("on_the_day_judged", d, "agreed_both"))
    practice = Counter(d["practice"] for d in follow)
    on_time = sum(1 for d in follow if judged("follow_up_judged", d, "on_time"))
    return {
        "attended": len(attended),
        "responses": len(day),
        "people_responding": len({d["attendee_ref"] for d in day}),
        "response_rate": _rate(len(day), len(attended)),
        "agreed_good_use_of_time": good,
        "agreed_positive_impact": impact,
        "agreed_both": both,
        "agreement_rate": _rate(both, len(day)),
        "with_comments": sum(1 for d in day if d.get("comments")),
        "follow_ups": {
            "responses": len(follow),
            "on_time": on_time,
            "practice_changed": practice["changed"],
            "practice_partly_changed": practice["partly_changed"],
            "practice_not_changed": practice["not_changed"],
            "changed_rate": _rate(practice["changed"] + practice["partly_changed"], len(follow)),
            "share_of_attendees": _rate(len(follow), len(attended)),
        },
        "reported_summaries": feedback_summaries(facts, as_of, period, len(day)),
        # the training service's rules, in words: it judges each response (training.evaluation.judged.v1,
        # training.follow_up.judged.v1)
        "rules": "agreement: agree or strongly_agree; both: on both scales; on time: 42 to 56 days after the session",
        "sources": SOURCES["evaluations"],
    }


def feedback_summaries(facts: Facts, as_of: datetime, period: Period | None, responses: int) -> list[dict]:
    """Each survey tool's own count for a period that ended (in the period) by `as_of`, the latest recorded by then,
    beside the `responses` recorded one by one: shown side by side, never added in, and where the tool counts more
    responses than the evaluations recorded, said so."""
    latest = _latest(facts.feedback_summaries, lambda d: d["summary_id"], as_of)
    shown = []
    for _, d in sorted(latest.items()):
        if date.fromisoformat(d["period_end"]) > london_day(as_of) or (period and not period.holds_day(d["period_end"])):
            continue
        shown.append({"summary_id": d["summary_id"], "title": d["title"], "period_start": d["period_start"],
                      "period_end": d["period_end"], "statement": d["statement"], "responses": d["responses"],
                      "agreed": d["agreed"], "reported_by": d["emitted_by"], "evaluations_recorded": responses,
                      "more_responses_than_recorded": d["responses"] > responses, "event_ids": [d["event_id"]]})
    return shown


def needs_analysis(facts: Facts, as_of: datetime, period: Period | None = None) -> dict[str, Any]:
    """Each training needs analysis closed (in the period) and recorded by `as_of`: preferences by delivery mode."""
    surveys = []
    for survey_id, d in sorted(_latest(facts.surveys, lambda d: d["survey_id"], as_of).items()):
        if date.fromisoformat(d["closed_on"]) > london_day(as_of) or (period and not period.holds_day(d["closed_on"])):
            continue
        counts = {"virtual": d["prefer_virtual"], "face_to_face": d["prefer_face_to_face"],
                  "e_learning": d["prefer_e_learning"]}
        surveys.append({"survey_id": survey_id, "title": d["title"], "closed_on": d["closed_on"],
                        "respondents": d["respondents"], "preferences": counts,
                        "shares": {m: _rate(n, d["respondents"]) for m, n in counts.items()},
                        "event_id": d["event_id"]})
    return {"surveys": surveys, "sources": SOURCES["needs_analysis"]}


def programmes(facts: Facts, as_of: datetime, period: Period | None = None) -> dict[str, Any]:
    """Partner programmes reported in aggregate, per period ended and recorded by `as_of`. Kept apart: these
    sessions and attendees are never added into individual attendance."""
    periods = _latest(facts.programmes, lambda d: (d["programme_id"], d["period_start"], d["period_end"]), as_of)
    by_programme: dict[str, dict] = {}
    for (programme_id, start, end), d in sorted(periods.items()):
        if date.fromisoformat(end) > london_day(as_of) or (period and not period.holds_day(end)):
            continue
        p = by_programme.setdefault(programme_id, {"programme_id": programme_id, "title": d["title"],
                                                   "reported_by": d["emitted_by"], "serves": d.get("serves", []),
                                                   "sessions": 0, "attendees": 0, "periods": []})
        p["sessions"] += d["sessions"]
        p["attendees"] += d["attendees"]
        p["periods"].append({"period_start": start, "period_end": end, "sessions": d["sessions"],
                             "attendees": d["attendees"], "event_id": d["event_id"]})
    return {"programmes": list(by_programme.values()),
            "note": "reported in aggregate by the partner that runs them; not part of individual attendance",
            "sources": SOURCES["programmes"]}


def _course_competencies(course: dict) -> tuple[set[str], set[str]]:
    items = set(course.get("competency_items") or [])
    principles = set(course.get("competencies") or []) | {i.split(".")[0] for i in items}
    return principles, items


def refresher_state(refresher: dict | None, today: date) -> str | None:
    """A refresher the training service set, on the as-of day: `overdue` after its due day, `due_soon` from the
    day it set for that, else `current`; None when none falls due."""
    if not refresher or not refresher.get("due_on"):
        return None
    if today > date.fromisoformat(refresher["due_on"]):
        return "overdue"
    return "due_soon" if today >= date.fromisoformat(refresher["due_soon_from"]) else "current"


def competencies(facts: Facts, as_of: datetime) -> dict[str, Any]:
    """Pseudonymous people holding each competency (by agency and role) and refreshers due or overdue at `as_of`.
    A competency is held from attending a course that builds it, while the refresher the training service set for
    the person's last attendance of it is not overdue."""
    today = london_day(as_of)
    last: dict[tuple[str, str], tuple[date, dict, str]] = {}  # (person, course) -> (day last attended, it, session)
    for (s, ref), d in people_at_sessions(facts, as_of).items():
        if d["outcome"] != "attended":
            continue
        session = facts.sessions[s]
        day = london_day(session["starts_at"])
        if (ref, session["course_id"]) not in last or last[(ref, session["course_id"])][0] < day:
            last[(ref, session["course_id"])] = (day, d, s)
    set_by_service = _latest(facts.refreshers, lambda d: (d["session_id"], d["attendee_ref"]), as_of)
    holders: dict[str, dict[str, tuple[str, str]]] = defaultdict(dict)  # competency or item -> person -> (agency, role)
    refreshers, states = [], Counter()
    for (ref, course_id), (day, d, s) in last.items():
        course = facts.courses.get(course_id, {})
        refresher = set_by_service.get((s, ref))
        state = refresher_state(refresher, today)
        if state is not None and state != "current":
            states[state] += 1
            refreshers.append({"attendee_ref": ref, "agency": d["attendee_agency"], "course_id": course_id,
                               "attended_on": refresher["attended_on"], "due": refresher["due_on"],
                               "due_soon_from": refresher["due_soon_from"], "state": state})
        if state == "overdue":
            continue
        principles, items = _course_competencies(course)
        for name in principles | items:
            holders[name][ref] = (d["attendee_agency"], d.get("attendee_role") or "unstated")

    def coverage(name: str) -> dict:
        people = holders.get(name, {})
        return {"people": len(people),
                "by_agency": dict(sorted(Counter(a for a, _ in people.values()).items())),
                "by_role": dict(sorted(Counter(r for _, r in people.values()).items()))}

    refreshers.sort(key=lambda r: (r["due"], r["attendee_ref"]))
    return {
        "people_trained": len({ref for ref, _ in last}),
        "coverage": {c: {**coverage(c), "items": {f"{c}.{x}": len(holders.get(f"{c}.{x}", {})) for x in letters}}
                     for c, letters in CORE_PRINCIPLES.items()},
        "refreshers": {"due_soon": states["due_soon"], "overdue": states["overdue"],
                       "people": refreshers[:LISTED], "listed": min(len(refreshers), LISTED)},
        "sources": SOURCES["competencies"],
    }


def priorities(facts: Facts, as_of: datetime, period: Period | None = None) -> dict[str, Any]:
    """Which priorities and strategies the period's training served, and how many people it reached; partner
    programmes serving them are shown beside, not added in."""
    people = people_at_sessions(facts, as_of, period)
    reached: dict[str, set[str]] = defaultdict(set)
    courses: dict[str, set[str]] = defaultdict(set)
    sessions: dict[str, set[str]] = defaultdict(set)
    for (s, ref), d in people.items():
        course_id = facts.sessions[s]["course_id"]
        for serves in facts.courses.get(course_id, {}).get("serves") or []:
            sessions[serves].add(s)
            courses[serves].add(course_id)
            if d["outcome"] == "attended":
                reached[serves].add(ref)
    partner = defaultdict(list)
    for p in programmes(facts, as_of, period)["programmes"]:
        for serves in p["serves"]:
            partner[serves].append({"programme_id": p["programme_id"], "sessions": p["sessions"],
                                    "attendees": p["attendees"]})
    served = sorted(set(courses) | set(partner))
    return {"served": [{"id": i, "courses": sorted(courses[i]), "sessions": len(sessions[i]),
                        "people_reached": len(reached[i]), "partner_programmes": partner.get(i, [])} for i in served],
            "sources": SOURCES["priorities"]}


def summary(facts: Facts, as_of: datetime, period: Period | None = None) -> dict[str, Any]:
    """Every training figure at once."""
    return {"attendance": attendance(facts, as_of, period), "bookings": bookings(facts, as_of, period),
            "evaluations": evaluations(facts, as_of, period), "needs_analysis": needs_analysis(facts, as_of, period),
            "programmes": programmes(facts, as_of, period), "competencies": competencies(facts, as_of),
            "priorities": priorities(facts, as_of, period)}
