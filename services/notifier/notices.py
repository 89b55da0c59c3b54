"""What is worth telling someone today (pure, no I/O): from the figures the pages show on a day, each statutory
clock, action, KPI and recommendation that reached a threshold; and, for each subscription that covers it, the notice
to send, keyed so that it is sent once per thing, threshold and recipient.

The owning services decided every due day, clock state and KPI status, and the reporting service compared them with
the day (the notifier reads its published JSON, services.notifier.reporting);
the notifier's own rule is only when to tell: `When` (shared.subscriptions). Working days before a clock's
due day are the reviews service's own list (a clock's `working_days_left`); before an action's due day they are
counted with the kit's calendar (shared.calendar), as the strategy service publishes no list.

A threshold reached on a day the notifier did not run (it was stopped) is still told the next day it runs: late is
better than never. Of the "before" thresholds a thing has passed, only the nearest to its due day is told.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass, field
from datetime import date
from typing import Any

from shared.calendar import is_working_day, period_at, period_containing, period_index, working_days_after
from shared.subscriptions import LEARNING, Subscription

OPEN_ACTION = ("not_started", "on_track", "at_risk")
BREACHED_CLOCK = ("overdue", "missed")


@dataclass(frozen=True)
class Candidate:
    """Something worth telling, once: `key` names the thing and the threshold it reached (a due day revised is a
    new thing); `facts` are what a notice may say of it (never a case's details: which clock, when due)."""

    key: str
    kind: str  # clock.due_soon, clock.due_today, clock.breached, action.due_soon, action.due_today,
    #            action.overdue, kpi.off_track, kpi.missing, recommendation.overdue
    topic: str
    subject: str
    owner: str | None
    rule: str | None
    page: str  # the signed-in page that shows it, under /p/{partnership}/
    facts: dict[str, Any] = field(default_factory=dict)
    threshold: int | None = None  # the working days before the due day, for a *.due_soon


@dataclass(frozen=True)
class Notice:
    """A notice decided for one recipient: its id is the same every time it is decided (the idempotency key)."""

    id: str
    subscription_id: str
    partnership: str
    candidate: Candidate


def notice_id(partnership: str, subscription_id: str, key: str) -> str:
    digest = hashlib.sha256(f"{partnership}\n{subscription_id}\n{key}".encode()).hexdigest()[:32]
    return f"ntc_{digest}"


def _before(left: int | None, thresholds: tuple[int, ...]) -> int | None:
    """The nearest "before" threshold a thing `left` working days from its due day has reached, or None."""
    if left is None or left <= 0:
        return None
    reached = [t for t in thresholds if t >= left]
    return min(reached) if reached else None


def clock_candidates(clocks: list[dict], day: date) -> list[Candidate]:
    """Each statutory clock's state on `day` (the reporting service's `api/reviews/clocks` rows), as candidates: a
    running clock with working days left (due soon; every "before" threshold is decided at send time), on its due
    day, or breached (overdue, or stopped late)."""
    found = []
    for c in clocks:
        base = {"rule": c["rule"], "case": c["case"], "case_kind": c["case_kind"], "due": c["due"],
                "start": c["start"], "state": c["state"], "working_days_left": c.get("working_days_left")}
        key = f"clock:{c['rule']}:{c['case']}:{c['due']}"
        page = f"reviews?as_of={day.isoformat()}#clocks"
        common = dict(topic="clocks", subject=c["case"], owner=c.get("owner"), rule=c["rule"], page=page, facts=base)
        if c["state"] in BREACHED_CLOCK:
            found.append(Candidate(f"{key}:breach", "clock.breached", **common))
        elif c["state"] in ("open", "near_breach"):
            left = c.get("working_days_left")
            if c["due"] == day.isoformat() or left == 0:
                found.append(Candidate(f"{key}:due-day", "clock.due_today", **common))
            elif left is not None:
                found.append(Candidate(f"{key}:before", "clock.due_soon", **common))
    return found


def action_candidates(actions: list[dict], day: date) -> list[Candidate]:
    """Each action open on `day` (the scorecard's and attention list's rows): overdue, due today, or
    due soon (with the working days left to its due day)."""
    found = []
    for a in actions:
        if a["status"] not in (*OPEN_ACTION, "overdue"):
            continue
        base = {"action_id": a["action_id"], "title": a["title"], "due": a["due_on"], "status": a["status"]}
        key = f"action:{a['action_id']}:{a['due_on']}"
        common = dict(topic="actions", subject=a["action_id"], owner=a["owner_agency"], rule=None,
                      page=f"strategy?as_of={day.isoformat()}")
        due = date.fromisoformat(a["due_on"])
        if a["status"] == "overdue" or due < day:
            found.append(Candidate(f"{key}:breach", "action.overdue", facts=base, **common))
        elif due == day:
            found.append(Candidate(f"{key}:due-day", "action.due_today", facts=base, **common))
        else:
            left = len(working_days_after(day, due))
            found.append(Candidate(f"{key}:before", "action.due_soon", facts={**base, "working_days_left": left},
                                   **common))
    return found


def kpi_candidates(kpis: list[dict], day: date) -> list[Candidate]:
    """Each KPI whose latest period is off track or missing its value on `day` (`api/strategy/kpis/{id}`, with
    their series; `owner_agency`: the agency that defined it): the period that is so, its value and expectation."""
    found = []
    for k in kpis:
        if k["status"] not in ("off_track", "missing"):
            continue
        rows = [r for s in k.get("series", []) for r in s["rows"] if r["status"] == k["status"]]
        latest = max(rows, key=lambda r: r["end"]) if rows else {}
        period = latest.get("period") or "-"
        facts = {"kpi_id": k["kpi_id"], "title": k["title"], "status": k["status"], "period": period,
                 "value": latest.get("value"), "expected": latest.get("expected"), "unit": k["unit"]}
        found.append(Candidate(f"kpi:{k['kpi_id']}:{period}:{k['status']}", f"kpi.{k['status']}", topic="kpis",
                               subject=k["kpi_id"], owner=k.get("owner_agency"), rule=None,
                               page=f"strategy?as_of={day.isoformat()}#kpis", facts=facts))
    return found


def recommendation_candidates(recommendations: list[dict], day: date) -> list[Candidate]:
    """Each recommendation overdue on `day` (`api/reviews/recommendations` rows)."""
    return [Candidate(f"recommendation:{r['recommendation_id']}:{r['due_on']}:breach", "recommendation.overdue",
                      topic="recommendations", subject=r["recommendation_id"], owner=r["owner"], rule=None,
                      page=f"reviews?as_of={day.isoformat()}#recommendations",
                      facts={"recommendation_id": r["recommendation_id"], "due": r["due_on"], "source": r["source"]})
            for r in recommendations if r["status"] == "overdue"]


def _wanted(s: Subscription, c: Candidate) -> Candidate | None:
    """The candidate as this subscription is told it (a due-soon with its threshold), or None when its `when`
    does not ask for it."""
    w = s.when
    if c.kind.endswith(".due_soon"):
        threshold = _before(c.facts.get("working_days_left"), w.before_working_days)
        if threshold is None:
            return None
        return Candidate(f"{c.key}-{threshold}", c.kind, c.topic, c.subject, c.owner, c.rule, c.page, c.facts,
                         threshold)
    if c.kind.endswith(".due_today"):
        return c if w.on_due_day else None
    if c.kind in ("clock.breached", "action.overdue", "recommendation.overdue"):
        return c if w.on_breach else None
    if c.kind == "kpi.off_track":
        return c if w.kpi_off_track else None
    if c.kind == "kpi.missing":
        return c if w.kpi_missing else None
    return None


DIGESTED = 10  # a daily or weekly digest lists what is due within this many working days, and all that is late


def _digest(s: Subscription, covered: list[Candidate], day: date) -> Candidate | None:
    """The subscription's daily digest (each working day) or weekly digest (once each ISO week, on the first day it
    is evaluated in it) of everything it covers that is due soon, due today or late; None when it asks for none, it
    is not the day, or nothing is due."""
    if s.when.digest == "none" or (s.when.digest == "daily" and not is_working_day(day)):
        return None
    items = [c for c in covered if not c.kind.endswith(".due_soon") or
             (c.facts.get("working_days_left") or 0) <= DIGESTED]
    if not items:
        return None
    year, week, _ = day.isocalendar()
    label = day.isoformat() if s.when.digest == "daily" else f"{year}-W{week:02d}"
    facts = {"period": label, "items": [{"kind": c.kind, "topic": c.topic, "subject": c.subject, "owner": c.owner,
                                         "rule": c.rule, "page": c.page, **c.facts} for c in items]}
    return Candidate(f"digest:{s.when.digest}:{label}", f"digest.{s.when.digest}", "digest", label, None, None,
                     f"?as_of={day.isoformat()}", facts)


def _learning(s: Subscription, day: date) -> Candidate | None:
    """A link to the learning digest of the month or quarter before the one holding `day` (sent once it has ended)."""
    if LEARNING not in s.topics:
        return None
    kind = "month" if s.when.learning_digest == "month" else "quarter"
    label = period_at(kind, period_index(kind, period_containing(kind, day)) - 1)
    return Candidate(f"learning-digest:{label}", "digest.learning", LEARNING, label, None, None,
                     f"digest?period={label}", {"period": label, "pdf": f"digest.pdf?period={label}"})


def decide(partnership: str, subscriptions: list[Subscription], candidates: list[Candidate],
           day: date | None = None) -> list[Notice]:
    """Every notice the subscriptions ask for: one per candidate (with its threshold) and subscription; and, on
    `day`, each subscription's digest and learning digest."""
    notices = []
    for s in subscriptions:
        if s.partnership != partnership:
            continue
        covered = [c for c in candidates if s.covers(c.topic, c.owner, c.rule)]
        told = [t for t in (_wanted(s, c) for c in covered) if t is not None]
        if day is not None:
            told += [c for c in (_digest(s, covered, day), _learning(s, day)) if c is not None]
        notices += [Notice(notice_id(partnership, s.id, t.key), s.id, partnership, t) for t in told]
    return notices
