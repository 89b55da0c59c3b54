"""The reviews figures for a partnership and an as-of moment: clocks, recommendations, learning, audits, LADO.

`load` reads the events recorded by the as-of moment (their envelope `time`) and folds them into each
aggregate's state; everything else here is pure, a function of those states, the as-of day (the
as-of moment's date in London) and the period asked for (the partnership's reporting year unless the reader
asks for another). A fact counts at the as-of day when its own date is on or before it
(a recommendation made, an audit completed, a learning item disseminated); a step dated later is not
known yet. Every figure lists the ids of the facts behind it and their event ids.

What a period shows: a clock that ran in it (started by its end, and not stopped before it began); a case
that was open in it (one of its steps falls in it, or it had not reached its last step when the period began);
a recommendation made by its end and not completed before it began; learning disseminated, audits completed,
LADO referrals and resolutions, dip samples and service reviews in it. Without a period (None), everything by
the as-of day.

The statutory clocks are the reviews service's: it counts every case's days and publishes each clock's start, due
date and near-breach day (`reviews.clock.set.v1`) and what stopped it (`reviews.clock.stopped.v1`). Here they are
only compared with the as-of day: a clock stopped by then is met (on or before its due date) or missed; one still
running is overdue after its due date, a near breach from its near-breach day, else open. Nothing is counted again.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from datetime import date, datetime
from typing import Any

from shared.calendar import APRIL, Period, london_day, quarter_of
from shared.events.catalogue import CATALOGUE
from shared.events.reviews import CLOCKS
from services.reporting.projections.source import recorded_order
from services.reporting.projections import read_for, reviews as rm
from shared.read import entities

KINDS = {"incidents": rm.INCIDENTS, "rapid_reviews": rm.RAPID_REVIEWS, "practice_reviews": rm.PRACTICE_REVIEWS,
         "allegations": rm.ALLEGATIONS, "dip_samples": rm.DIP_SAMPLES, "lado_reviews": rm.LADO_REVIEWS,
         "audits": rm.AUDITS, "recommendations": rm.RECOMMENDATIONS, "learning": rm.LEARNING,
         "briefing_uses": rm.BRIEFING_USES, "engagements": rm.ENGAGEMENTS}
SOURCES = [model.type_name for model in rm.COLLECTION_OF]


def as_of_day(as_of: datetime) -> date:
    return london_day(as_of)


def _by(value: str | None, day: date) -> bool:
    """Whether a fact dated `value` had happened by `day`."""
    return value is not None and date.fromisoformat(value) <= day


def _in(value: str | None, period: Period | None) -> bool:
    """Whether a fact dated `value` falls in the period (any date, without one)."""
    return value is not None and (period is None or period.holds_day(value))


def _open_in(first: str | None, dates: Iterable[str | None], last: str | None, period: Period | None) -> bool:
    """Whether a case bears on the period: it began (`first`) by the period's end, and one of its steps' dates falls
    in the period or its last step (`last`) had not been reached when the period began."""
    if period is None:
        return True
    if first is None or first > period.last.isoformat():
        return False
    if any(period.holds_day(d) for d in dates if d is not None):
        return True
    return not dates_before(last, period.first.isoformat())


def dates_before(value: str | None, day: str) -> bool:
    return value is not None and value < day


State = dict[str, dict[str, Any]]  # aggregate id -> its state


@dataclass
class Facts:
    """What was recorded by the as-of moment: each aggregate's state, by kind, and the service's clock decisions
    in recorded order."""

    incidents: State = field(default_factory=dict)
    rapid_reviews: State = field(default_factory=dict)
    practice_reviews: State = field(default_factory=dict)
    allegations: State = field(default_factory=dict)
    dip_samples: State = field(default_factory=dict)
    lado_reviews: State = field(default_factory=dict)
    audits: State = field(default_factory=dict)
    recommendations: State = field(default_factory=dict)
    learning: State = field(default_factory=dict)
    briefing_uses: State = field(default_factory=dict)
    engagements: State = field(default_factory=dict)
    clocks: list[dict[str, Any]] = field(default_factory=list)

    @classmethod
    def of(cls, docs: Callable[[str], Iterable[dict[str, Any]]]) -> "Facts":
        """The facts from `docs(collection)`: the documents of one collection recorded by the as-of moment."""
        return cls(**{kind: fold(docs(collection)) for kind, collection in KINDS.items()},
                   clocks=sorted(docs(rm.CLOCKS), key=recorded_order))


async def load(db, partnership: str, as_of: datetime, period: Period | None = None) -> Facts:
    """The reviews events of the partnership recorded by `as_of`, of the cases that can bear on the period (those
    filed under its years and after, and those still open: shared.read.entities), each folded into its aggregate's
    state; and the service's clock decisions recorded by then, in recorded order. Without a period, every case."""
    found = await read_for(db, partnership, period, {c: c in rm.OPENING for c in (*KINDS.values(), rm.CLOCKS)})
    recorded = {c: [r for r in entities.records_of(docs) if r["event_time"] <= as_of] for c, docs in found.items()}
    return Facts.of(recorded.__getitem__)


def fold(docs: Iterable[dict[str, Any]]) -> dict[str, dict[str, Any]]:
    """Each aggregate's state from its events' documents, in the order they were emitted. A partner may date a
    step (its envelope `time`) before the fact it follows: the state then lacks that fact's fields, and the
    figures leave it out until the fact is recorded."""
    states: dict[str, dict[str, Any]] = {}
    seen: set[tuple] = set()
    for doc in sorted(docs, key=recorded_order):
        state = states.setdefault(doc["aggregate_id"], {"id": doc["aggregate_id"], "event_ids": [],
                                                        "recorded_by": doc["emitted_by"]})
        if (identity := (doc["aggregate_id"], doc.get("event_source"), doc["event_id"])) not in seen:
            seen.add(identity)
            state["event_ids"].append(doc["event_id"])
        own_id = CATALOGUE[doc["type"]].aggregate  # the aggregate's id field, already the state's `id`
        data = {k: v for k, v in doc["data"].items() if k != own_id}
        verb = doc["type"].rsplit(".", 2)[1]
        if verb == "progressed":
            state.setdefault("stages", {})[data["stage"]] = data["reached_on"]
        elif verb == "strategy_meeting_held":
            state["strategy_meetings"] = sorted({*state.get("strategy_meetings", []), data["held_on"]})
        elif verb == "impact_evidenced":
            state.setdefault("impacts", {})[data["evidence_id"]] = {k: v for k, v in data.items() if k != "evidence_id"}
        elif verb == "change_reported":
            state.setdefault("changes", {})[data["change_id"]] = {
                **{k: v for k, v in data.items() if k != "change_id"}, "reported_by": doc["emitted_by"],
                "event_id": doc["event_id"]}
        else:
            state.update(data)
    return states


# --- clocks -----------------------------------------------------------------------------------------------

CLOCK_ORDER = {name: i for i, name in enumerate(CLOCKS)}


def clock_state(due: str, near_breach_from: str, done: str | None, day: str) -> str:
    """met or missed once stopped (on or before its due date, or after); else overdue, near_breach or open."""
    if done is not None:
        return "met" if done <= due else "missed"
    if day > due:
        return "overdue"
    return "near_breach" if day >= near_breach_from else "open"


def clocks(facts: Facts, day: date, period: Period | None = None) -> list[dict[str, Any]]:
    """Every statutory clock started by `day` that ran in the period (started by its end, not stopped before it
    began), as it stood on `day`, from the service's decisions recorded by the as-of moment: the latest setting of
    each case's clock, and the earliest day any of its stoppers gives (each stopper's latest word)."""
    settings: dict[tuple[str, str], dict] = {}
    stops: dict[tuple[str, str], dict[str, dict]] = defaultdict(dict)
    for doc in facts.clocks:
        data = doc["data"]
        key = (data["clock"], data["case_id"])
        if doc["type"] == "reviews.clock.set.v1":
            settings[key] = doc
        else:
            stops[key][data["stopped_by"]] = doc
    today = day.isoformat()
    found = []
    for key, doc in settings.items():
        setting = doc["data"]
        withdrawn = setting.get("withdrawn_on")
        if setting["started_on"] > today or (withdrawn is not None and withdrawn <= today):
            continue
        stoppers = sorted(stops.get(key, {}).values(), key=lambda d: (d["data"]["stopped_on"], d["data"]["stopped_by"]))
        done = stoppers[0]["data"]["stopped_on"] if stoppers and stoppers[0]["data"]["stopped_on"] <= today else None
        if period is not None and (setting["started_on"] > period.last.isoformat()
                                   or dates_before(done, period.first.isoformat())):
            continue
        state = clock_state(setting["due_on"], setting["near_breach_from"], done, today)
        listed = setting.get("working_days") or []
        left = sum(1 for d in listed if d > today) if state in ("open", "near_breach") and listed else None
        behind = [doc, *stoppers]
        found.append({"case_kind": setting["case_kind"], "case": setting["case_id"], "rule": setting["clock"],
                      "owner": doc["emitted_by"],
                      "start": setting["started_on"], "due": setting["due_on"],
                      "near_breach_from": setting["near_breach_from"], "done": done, "state": state,
                      "working_days_left": left, "breached": state in ("missed", "overdue"),
                      "event_ids": list(dict.fromkeys(d.get("fact_id", d["event_id"]) for d in behind)),
                      "decision_ids": [d["event_id"] for d in behind]})
    found.sort(key=lambda c: (c["start"], CLOCK_ORDER[c["rule"]], c["case"]))
    return found


def timeliness(all_clocks: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """Per clock: of the cases decided by the as-of day (done, or overdue), the share done on time."""
    rows = []
    for rule in CLOCKS.values():
        cases = [c for c in all_clocks if c["rule"] == rule.name]
        on_time = sum(1 for c in cases if c["state"] == "met")
        late = sum(1 for c in cases if c["state"] in ("missed", "overdue"))
        share = round(on_time / (on_time + late), 3) if on_time + late else None
        rows.append({"clock": rule.name, "label": rule.label, "target": rule.target, "decided": on_time + late,
                     "on_time": on_time, "late": late, "share_on_time": share,
                     "meets_target": None if share is None else share >= rule.target,
                     "still_running": len(cases) - on_time - late,
                     "cases": [{k: c[k] for k in ("case", "start", "due", "done", "state", "event_ids")}
                               for c in cases]})
    return rows


def clock_rules() -> list[dict[str, Any]]:
    return [{"clock": r.name, "label": r.label, "amount": r.amount, "unit": r.unit, "starts": r.starts,
             "stops": r.stops, "near_breach_within_working_days": r.warn_within, "target": r.target,
             "basis": r.basis} for r in CLOCKS.values()]


def running(all_clocks: list[dict[str, Any]]) -> dict[str, Any]:
    """The clocks still running (open, near breach, overdue), and the breaches (overdue or missed)."""
    def pick(*states: str) -> list[dict]:
        return sorted((c for c in all_clocks if c["state"] in states), key=lambda c: (c["due"], c["rule"], c["case"]))

    return {"open": pick("open", "near_breach", "overdue"), "overdue": pick("overdue"),
            "near_breach": pick("near_breach"), "breaches": pick("overdue", "missed")}


# --- reviews, recommendations, learning, audits, LADO ---------------------------------------------------

def cases(facts: Facts, day: date, period: Period | None = None) -> dict[str, Any]:
    """Serious incidents, rapid reviews and practice reviews as they stood on `day`, those open in the period."""
    def steps(state: dict, fields: tuple[str, ...]) -> dict:
        return {f: state.get(f) if _by(state.get(f), day) else None for f in fields}

    def bears(state: dict, fields: tuple[str, ...], last: str) -> bool:
        known = steps(state, fields)
        return _open_in(known[fields[0]], known.values(), known[last], period)

    incidents = [{"incident_id": i["id"], "case_ref": i.get("case_ref"), **steps(i, ("aware_on", "notified_on")),
                  "decision": i.get("decision") if _by(i.get("decided_on"), day) else None,
                  "event_ids": i["event_ids"]} for i in facts.incidents.values()
                 if _by(i.get("aware_on"), day) and bears(i, ("aware_on", "notified_on", "decided_on"), "decided_on")]
    rapid = []
    for r in facts.rapid_reviews.values():
        if not _by(r.get("started_on"), day) or not bears(r, ("started_on", "completed_on", "sent_on"), "sent_on"):
            continue
        done = _by(r.get("completed_on"), day)
        rapid.append({"review_id": r["id"], "incident_id": r["incident_id"],
                      **steps(r, ("started_on", "completed_on", "sent_on")),
                      "practice_review_recommended": r.get("practice_review_recommended") if done else None,
                      # v2 says it by listing the learning; a record kept from v1 before the upcaster came, by a flag
                      "learning_found": (bool(r["learning"]) if "learning" in r else r.get("learning_found"))
                      if done else None,
                      "learning": r.get("learning", []) if done else None,
                      "outcome": r.get("outcome") if done else None, "event_ids": r["event_ids"]})
    practice = []
    for p in facts.practice_reviews.values():
        if not _by(p.get("decided_on"), day) or not bears(
                {**p, **p.get("stages", {})}, ("decided_on", *p.get("stages", {}), "published_on"), "published_on"):
            continue
        published = _by(p.get("published_on"), day)
        practice.append({"review_id": p["id"], "title": p["title"], "decided_on": p["decided_on"],
                         "stages": {s: d for s, d in p.get("stages", {}).items() if _by(d, day)},
                         "published_on": p["published_on"] if published else None,
                         "link": p.get("link") if published else None, "event_ids": p["event_ids"]})
    return {"serious_incidents": incidents, "rapid_reviews": rapid, "practice_reviews": practice,
            "counts": {"serious_incidents": len(incidents), "rapid_reviews_started": len(rapid),
                       "rapid_reviews_completed": sum(1 for r in rapid if r["completed_on"]),
                       "rapid_reviews_with_learning": sum(1 for r in rapid if r["learning_found"]),
                       "practice_reviews": len(practice),
                       "practice_reviews_published": sum(1 for p in practice if p["published_on"])}}


def recommendation_status(rec: dict[str, Any], day: date) -> str:
    """completed (by its due date), completed_late, overdue (not completed, due date passed) or open."""
    if _by(rec.get("completed_on"), day):
        return "completed" if rec["completed_on"] <= rec["due_on"] else "completed_late"
    return "overdue" if day > date.fromisoformat(rec["due_on"]) else "open"


def recommendations(facts: Facts, day: date, period: Period | None = None) -> dict[str, Any]:
    """Every recommendation made by `day` (and by the period's end) and not completed before the period began, with
    its lineage (source, actions, evidence, impact), and by owner."""
    rows = []
    for rec in facts.recommendations.values():
        if not _by(rec.get("made_on"), day):
            continue
        if period is not None and (rec["made_on"] > period.last.isoformat() or (
                _by(rec.get("completed_on"), day) and dates_before(rec["completed_on"], period.first.isoformat()))):
            continue
        state = recommendation_status(rec, day)
        done = state.startswith("completed")
        rows.append({"recommendation_id": rec["id"], "source": rec["source"], "source_id": rec["source_id"],
                     "text": rec["text"], "owner": rec["owner"], "made_on": rec["made_on"], "due_on": rec["due_on"],
                     "action_ids": rec.get("action_ids", []), "status": state,
                     "completed_on": rec.get("completed_on") if done else None,
                     "evidence": rec.get("evidence") if done else None,
                     "impacts": [{"evidence_id": k, **v} for k, v in sorted(rec.get("impacts", {}).items())
                                 if _by(v.get("evidenced_on"), day)],
                     "event_ids": rec["event_ids"]})
    rows.sort(key=lambda r: (r["due_on"], r["recommendation_id"]))
    owners: dict[str, dict[str, Any]] = {}
    for row in rows:
        owner = owners.setdefault(row["owner"], {"owner": row["owner"], "open": 0, "overdue": 0, "completed": 0,
                                                 "recommendations": []})
        owner["completed" if row["status"].startswith("completed") else row["status"]] += 1
        if row["status"] == "overdue":
            owner["open"] += 1  # overdue ones are open too
        owner["recommendations"].append(row["recommendation_id"])
    return {"made": len(rows), "open": sum(1 for r in rows if r["status"] in ("open", "overdue")),
            "overdue": sum(1 for r in rows if r["status"] == "overdue"),
            "completed": sum(1 for r in rows if r["status"].startswith("completed")),
            "with_impact_evidence": sum(1 for r in rows if r["impacts"]),
            "by_owner": sorted(owners.values(), key=lambda o: o["owner"]), "recommendations": rows}


def learning(facts: Facts, day: date, period: Period | None = None) -> dict[str, Any]:
    """Learning disseminated by `day`, in the period, by Panel theme and by source."""
    items = sorted((i for i in facts.learning.values()
                    if _by(i.get("disseminated_on"), day) and _in(i.get("disseminated_on"), period)),
                   key=lambda i: (i["disseminated_on"], i["id"]))
    themes: dict[str, list[str]] = defaultdict(list)
    sources: dict[str, list[str]] = defaultdict(list)
    for item in items:
        for theme in item["themes"]:
            themes[theme].append(item["id"])
        sources[item["source"]].append(item["id"])
    return {"items": len(items),
            "by_theme": [{"theme": t, "items": len(ids), "learning_ids": ids}
                         for t, ids in sorted(themes.items(), key=lambda kv: (-len(kv[1]), kv[0]))],
            "by_source": [{"source": s, "items": len(ids), "learning_ids": ids} for s, ids in sorted(sources.items())],
            "learning": [{"learning_id": i["id"], **{k: i.get(k) for k in (
                "source", "source_id", "themes", "summary_text", "audience", "disseminated_on", "format")},
                "event_ids": i["event_ids"]} for i in items]}


def audits(facts: Facts, day: date, period: Period | None = None) -> dict[str, Any]:
    """Audits and deep dives completed by `day`, in the period, with their gradings."""
    done = sorted((a for a in facts.audits.values()
                   if _by(a.get("completed_on"), day) and _in(a.get("completed_on"), period)),
                  key=lambda a: (a["completed_on"], a["id"]))
    gradings: dict[str, int] = defaultdict(int)
    kinds: dict[str, int] = defaultdict(int)
    for audit in done:
        gradings[audit.get("grading") or "not_graded"] += 1
        kinds[audit["kind"]] += 1
    return {"audits": sum(1 for a in done if a["kind"] == "multi_agency_audit"),
            "deep_dives": sum(1 for a in done if a["kind"] == "deep_dive"),
            "cases_sampled": sum(a["cases_sampled"] for a in done),
            "by_grading": dict(sorted(gradings.items())), "by_kind": dict(sorted(kinds.items())),
            "completed": [{"audit_id": a["id"], **{k: a.get(k) for k in (
                "kind", "theme", "themes", "completed_on", "cases_sampled", "agencies", "findings", "grading")},
                "event_ids": a["event_ids"]} for a in done]}


def lado(facts: Facts, day: date, all_clocks: list[dict[str, Any]], year_starts: str = APRIL,
         period: Period | None = None) -> dict[str, Any]:
    """LADO figures by quarter of the partnership's reporting year (from April unless it says otherwise): referrals (and within 1 working day), outcomes and resolution within
    1, 3 and 12 months (by the quarter of resolution), sectors, dip samples; and the LADO service reviews."""
    met = {(c["rule"], c["case"]) for c in all_clocks if c["state"] == "met"}
    quarters: dict[str, dict[str, Any]] = {}

    def quarter(d: str) -> dict[str, Any]:
        label = quarter_of(date.fromisoformat(d), year_starts)
        return quarters.setdefault(label, {
            "quarter": label, "referred": 0, "referred_within_1_working_day": 0, "resolved": 0,
            "resolved_within_1_month": 0, "resolved_within_3_months": 0, "resolved_within_12_months": 0,
            "outcomes": defaultdict(int), "by_sector": defaultdict(int), "by_category": defaultdict(int),
            "allegation_ids": [], "dip_samples": [], "cases_sampled": 0})

    for a in facts.allegations.values():
        if _by(a.get("referred_on"), day) and _in(a.get("referred_on"), period):
            q = quarter(a["referred_on"])
            q["referred"] += 1
            q["referred_within_1_working_day"] += ("lado_referral", a["id"]) in met
            q["by_sector"][a["employment_sector"]] += 1
            q["by_category"][a["category"]] += 1
            q["allegation_ids"].append(a["id"])
        if _by(a.get("resolved_on"), day) and _in(a.get("resolved_on"), period):
            q = quarter(a["resolved_on"])
            q["resolved"] += 1
            q["outcomes"][a["outcome"]] += 1
            for n, unit in ((1, "month"), (3, "months"), (12, "months")):
                q[f"resolved_within_{n}_{unit}"] += (f"allegation_resolution_{n}_{unit}", a["id"]) in met
    for s in facts.dip_samples.values():
        if _by(s.get("completed_on"), day) and _in(s.get("quarter_start"), period):
            q = quarter(s["quarter_start"])
            q["dip_samples"].append({"sample_id": s["id"], "completed_on": s["completed_on"],
                                     "cases_sampled": s["cases_sampled"], "findings": s.get("findings", []),
                                     "grading": s.get("grading"), "event_ids": s["event_ids"]})
            q["cases_sampled"] += s["cases_sampled"]
    rows = [{**q, **{k: dict(sorted(q[k].items())) for k in ("outcomes", "by_sector", "by_category")}}
            for _, q in sorted(quarters.items())]
    reviews = [{"review_id": r["id"], "title": r["title"], "reported_on": r["reported_on"],
                "summary": r["summary_text"], "event_ids": r["event_ids"]}
               for r in facts.lado_reviews.values() if _by(r.get("reported_on"), day) and _in(r.get("reported_on"), period)]
    return {"by_quarter": rows, "dip_samples": sum(len(q["dip_samples"]) for q in rows),
            "allegations_referred": sum(q["referred"] for q in rows), "service_reviews": reviews}


# --- briefings used, and the voice of children and families --------------------------------------------------

def briefings_used(facts: Facts, day: date, period: Period | None = None) -> dict[str, Any]:
    """The uses of learning items' briefings with staff dated by `day`, in the period: by agency (the key's that
    recorded each use) and by learning item, with the staff reached."""
    uses = sorted((u for u in facts.briefing_uses.values()
                   if _by(u.get("used_on"), day) and _in(u.get("used_on"), period)),
                  key=lambda u: (u["used_on"], u["id"]))
    by_agency: dict[str, dict[str, Any]] = {}
    by_item: dict[str, dict[str, Any]] = {}
    for use in uses:
        agency = by_agency.setdefault(use["recorded_by"], {"agency": use["recorded_by"], "uses": 0, "staff": 0,
                                                           "learning_ids": [], "event_ids": []})
        item = by_item.setdefault(use["learning_id"], {"learning_id": use["learning_id"], "uses": 0, "staff": 0,
                                                       "agencies": [], "event_ids": []})
        for row in (agency, item):
            row["uses"] += 1
            row["staff"] += use["staff"]
            row["event_ids"].extend(use["event_ids"])
        if use["learning_id"] not in agency["learning_ids"]:
            agency["learning_ids"].append(use["learning_id"])
        if use["recorded_by"] not in item["agencies"]:
            item["agencies"].append(use["recorded_by"])
    return {"uses": len(uses), "staff": sum(u["staff"] for u in uses),
            "by_agency": sorted(by_agency.values(), key=lambda r: (-r["staff"], r["agency"])),
            "by_learning_item": sorted(by_item.values(), key=lambda r: r["learning_id"])}


def _engaged_in(engagement: dict[str, Any], day: date, period: Period | None) -> bool:
    """Held by `day`, and in the period: it began in it, ended in it, or ran across it."""
    held, ended = engagement.get("held_on"), engagement.get("ended_on")
    if not _by(held, day):
        return False
    if period is None or _in(held, period) or _in(ended, period):
        return True
    return held < period.first.isoformat() and ended is not None and ended > period.last.isoformat()


def voice(facts: Facts, day: date, period: Period | None = None) -> dict[str, Any]:
    """The voice of children and families: each engagement held by `day` in the period, who was heard (in
    aggregate), what they said (in themes), and what changed as a result by `day` (each change with the strategy
    actions that carry it); and their counts, by kind and by group heard."""
    shown = []
    for e in sorted(facts.engagements.values(), key=lambda e: (e.get("held_on") or "", e["id"])):
        if not _engaged_in(e, day, period):
            continue
        changes = [{"change_id": k, **{f: v.get(f) for f in ("reported_on", "change", "action_ids", "reported_by")},
                    "event_ids": [v["event_id"]]}
                   for k, v in sorted(e.get("changes", {}).items(), key=lambda kv: (kv[1]["reported_on"], kv[0]))
                   if _by(v.get("reported_on"), day)]
        shown.append({"engagement_id": e["id"], **{k: e.get(k) for k in (
            "kind", "title", "group", "held_on", "ended_on", "heard", "said", "themes", "summary_text")},
            "recorded_by": e["recorded_by"], "changes": changes, "event_ids": e["event_ids"]})
    kinds: dict[str, int] = defaultdict(int)
    groups: dict[str, dict[str, Any]] = {}
    for e in shown:
        kinds[e["kind"]] += 1
        for h in e["heard"]:
            g = groups.setdefault(h["group"], {"group": h["group"], "engagements": 0, "counted": 0,
                                               "engagements_not_counted": 0})
            g["engagements"] += 1
            g["counted"] += h.get("count") or 0
            g["engagements_not_counted"] += not h.get("count")
    changes = [c for e in shown for c in e["changes"]]
    return {"engagements": len(shown), "changes": len(changes),
            "with_changes": sum(1 for e in shown if e["changes"]),
            "changes_linked_to_actions": sum(1 for c in changes if c["action_ids"]),
            "people_heard_counted": sum(g["counted"] for g in groups.values()),
            "by_kind": dict(sorted(kinds.items())),
            "by_group": sorted(groups.values(), key=lambda g: g["group"]), "engagement_list": shown}
