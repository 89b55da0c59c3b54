"""Stories of what the notifier tells, and when (services.notifier.notices): each thing once per threshold and
recipient, the nearest threshold only, late rather than never, and nothing a subscription did not ask for."""

from datetime import date

from services.notifier import render
from services.notifier.notices import (action_candidates, clock_candidates, decide, kpi_candidates, notice_id,
                                       recommendation_candidates)
from shared.subscriptions import Recipient, Subscription, When

DAY = date(2026, 12, 3)
COUNCIL = Recipient(channel="email", address="safeguarding@council.example.org", name="Council")


def subscription(sid="sub_council0001", **fields):
    return Subscription(**{"id": sid, "partnership": "doncaster", "recipient": COUNCIL, **fields})


def clock(left, state="near_breach", due="2026-12-04", rule="serious_incident_notification", case="si-1",
          owner="doncaster-council"):
    return {"rule": rule, "case": case, "case_kind": "serious_incident", "start": "2026-11-27", "due": due,
            "state": state, "working_days_left": left, "owner": owner}


def test_a_clock_one_working_day_from_its_due_day_is_told_once_at_the_nearest_threshold():
    subs = [subscription(when=When(before_working_days=(5, 1)))]
    (told,) = decide("doncaster", subs, clock_candidates([clock(1)], DAY))
    assert (told.candidate.kind, told.candidate.threshold) == ("clock.due_soon", 1)
    assert told.id == notice_id("doncaster", "sub_council0001", "clock:serious_incident_notification:si-1:2026-12-04:before-1")
    # three working days out, only the 5-day threshold is reached
    (early,) = decide("doncaster", subs, clock_candidates([clock(3)], DAY))
    assert early.candidate.threshold == 5
    assert decide("doncaster", [subscription(when=When(before_working_days=(1,)))],
                  clock_candidates([clock(2)], DAY)) == []  # not yet


def test_the_due_day_and_a_breach_are_each_their_own_notice_and_a_revised_due_day_a_new_one():
    subs = [subscription()]
    today = decide("doncaster", subs, clock_candidates([clock(0, due=DAY.isoformat())], DAY))
    breach = decide("doncaster", subs, clock_candidates([clock(None, state="overdue")], DAY))
    revised = decide("doncaster", subs, clock_candidates([clock(None, state="overdue", due="2026-12-07")], DAY))
    assert [n.candidate.kind for n in (*today, *breach)] == ["clock.due_today", "clock.breached"]
    assert len({n.id for n in (*today, *breach, *revised)}) == 3
    assert decide("doncaster", subs, clock_candidates([clock(None, state="met")], DAY)) == []


def test_a_subscription_hears_only_its_topics_rules_owners_and_thresholds():
    candidates = clock_candidates([clock(None, state="overdue"), clock(None, state="overdue", rule="lado_referral",
                                                                       case="a-1", owner="dscp")], DAY)
    assert len(decide("doncaster", [subscription()], candidates)) == 2
    assert [n.candidate.subject for n in decide("doncaster", [subscription(rules=("lado_referral",))], candidates)] \
        == ["a-1"]
    assert [n.candidate.subject for n in decide("doncaster", [subscription(owners=("doncaster-council",))],
                                                candidates)] == ["si-1"]
    assert decide("doncaster", [subscription(topics=("actions",))], candidates) == []
    assert decide("doncaster", [subscription(when=When(on_breach=False))], candidates) == []
    assert decide("rotherham", [subscription()], candidates) == []  # another partnership's subscription


def test_an_overdue_action_an_off_track_kpi_and_an_overdue_recommendation_are_told_to_their_owner():
    actions = [{"action_id": "priority-5-c", "title": "Review audits", "due_on": "2022-03-31", "status": "overdue",
                "owner_agency": "doncaster-council"},
               {"action_id": "priority-6-d", "title": "Hear children", "due_on": "2022-03-31",
                "status": "complete_on_time", "owner_agency": "dscp"}]
    kpis = [{"kpi_id": "young-carers", "title": "Young carers supported", "unit": "count", "status": "off_track",
             "owner_agency": "doncaster-council",
             "series": [{"rows": [{"period": "2026-Q2", "end": "2026-09-30", "status": "off_track", "value": 180,
                                   "expected": 240}]}]}]
    recs = [{"recommendation_id": "r1", "owner": "doncaster-council", "status": "overdue", "due_on": "2022-06-30",
             "source": "audit"}]
    candidates = [*action_candidates(actions, DAY), *kpi_candidates(kpis, DAY),
                  *recommendation_candidates(recs, DAY)]
    told = decide("doncaster", [subscription(owners=("doncaster-council",))], candidates)
    assert [(n.candidate.kind, n.candidate.subject) for n in told] == [
        ("action.overdue", "priority-5-c"), ("kpi.off_track", "young-carers"), ("recommendation.overdue", "r1")]
    assert told[1].candidate.facts["period"] == "2026-Q2"


def test_an_action_due_soon_counts_working_days_with_the_kits_calendar():
    action = {"action_id": "a", "title": "A", "due_on": "2026-12-28", "status": "on_track", "owner_agency": "dscp"}
    (candidate,) = action_candidates([action], date(2026, 12, 22))
    assert candidate.facts["working_days_left"] == 2  # 23 and 24 December; Christmas and Boxing Day observed after


def test_a_notice_says_which_clock_and_when_and_links_to_the_signed_in_page_never_the_case():
    (notice,) = decide("doncaster", [subscription(when=When(before_working_days=(1,)))],
                       clock_candidates([clock(1)], DAY))
    name = "Doncaster Safeguarding Children Partnership"
    assert render.subject(notice, name) == (f"[{name}] Due soon: Serious incident notified to the national Panel "
                                            "(case si-1)")
    body = render.text(notice, name, "https://scp.example.org")
    assert "due on 2026-12-04: 1 working day left" in body
    assert "https://scp.example.org/p/doncaster/reviews?as_of=2026-12-03#clocks" in body
    payload = render.payload(notice, "https://scp.example.org", __import__("datetime").datetime(2026, 12, 3, 9))
    assert payload["type"] == "clock.due_soon" and payload["data"]["threshold_working_days"] == 1
    assert payload["data"]["link"].endswith("#clocks") and "case_ref" not in payload["data"]


def test_a_daily_digest_lists_what_is_near_or_late_once_each_working_day():
    subs = [subscription(when=When(digest="daily", on_breach=False, on_due_day=False))]
    candidates = clock_candidates([clock(None, state="overdue"), clock(3, case="si-2"), clock(40, case="si-3",
                                                                                          state="open")], DAY)
    (digest,) = decide("doncaster", subs, candidates, DAY)  # no notice of its own: only the digest
    assert digest.candidate.kind == "digest.daily" and digest.candidate.subject == "2026-12-03"
    assert [i["case"] for i in digest.candidate.facts["items"]] == ["si-1", "si-2"]  # not 40 working days out
    body = render.text(digest, "DSCP", "https://scp.example.org")
    assert "2 things due soon, due or overdue (2026-12-03) need attention." in body
    assert "- Serious incident notified to the national Panel (case si-2) is due on 2026-12-04: 3 working days left:" \
        in body
    assert decide("doncaster", subs, candidates, date(2026, 12, 5)) == []  # a Saturday
    weekly = decide("doncaster", [subscription(when=When(digest="weekly"))], candidates, DAY)
    assert [n.candidate.key for n in weekly if n.candidate.kind == "digest.weekly"] == ["digest:weekly:2026-W49"]


def test_the_lqi_group_is_sent_a_link_to_each_quarters_learning_digest_once_it_has_ended():
    lqi = subscription(topics=("learning",), recipient=Recipient(channel="email", address="lqi@dscp.example.org"))
    (told,) = decide("doncaster", [lqi], [], DAY)
    assert (told.candidate.kind, told.candidate.subject) == ("digest.learning", "2026-Q3")
    body = render.text(told, "DSCP", "https://scp.example.org")
    assert "https://scp.example.org/p/doncaster/digest?period=2026-Q3" in body
    assert "https://scp.example.org/p/doncaster/digest.pdf?period=2026-Q3" in body
    monthly = subscription(topics=("learning",), when=When(learning_digest="month"))
    assert decide("doncaster", [monthly], [], DAY)[0].candidate.subject == "2026-11"
    assert decide("doncaster", [subscription()], [], DAY) == []  # not asked for
