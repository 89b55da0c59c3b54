"""The admin CLI's commands for notices (`python -m shared.auth add-subscription ...`): who is told about what, how
and when (shared.subscriptions, docs/alerts.md)."""

from __future__ import annotations

import json
import sys
from datetime import datetime, timezone

from pydantic import ValidationError

from shared.adapters.mongo.subscriptions import Subscriptions
from shared.auth.reader_commands import any_unknown
from shared.subscriptions import LEARNING, TOPICS, Recipient, Subscription, When, new_id, new_webhook_secret


async def add_subscription(args, db, registry) -> int:
    if await any_unknown(registry, [args.partnership]):
        return 1
    secret = (args.secret or new_webhook_secret()) if args.webhook else None
    try:
        recipient = Recipient(channel="webhook" if args.webhook else "email", address=args.email, url=args.webhook,
                              secret=secret, name=args.name or "")
        subscription = Subscription(
            id=new_id(), partnership=args.partnership, recipient=recipient, topics=tuple(args.topic or TOPICS),
            rules=tuple(args.rule), owners=tuple(args.owner), created_at=datetime.now(timezone.utc),
            when=When(before_working_days=tuple(sorted(set(args.before))), on_due_day=not args.no_due_day,
                      on_breach=not args.no_breach, kpi_off_track=not args.no_kpi_off_track,
                      kpi_missing=not args.no_kpi_missing, digest=args.digest, learning_digest=args.learning_digest))
    except ValidationError as exc:
        print(f"not a valid subscription: {exc}", file=sys.stderr)
        return 2
    await Subscriptions(db).add(subscription)
    if args.json:
        print(json.dumps(subscription.model_dump(mode="json")))
    else:
        print(f"subscription {subscription.id}: {recipient.shown} told of {', '.join(subscription.topics)} in "
              f"{subscription.partnership}" + (f"; webhook secret, shown once, store it now:\n{secret}" if secret else ""))
    return 0


async def list_subscriptions(args, db, registry) -> int:
    for s in await Subscriptions(db).all(args.partnership):
        w = s.when
        when = ",".join([*(f"{n}wd-before" for n in w.before_working_days), *(["due-day"] if w.on_due_day else []),
                         *(["breach"] if w.on_breach else []), *(["kpi-off-track"] if w.kpi_off_track else []),
                         *(["kpi-missing"] if w.kpi_missing else []),
                         *([f"{w.digest}-digest"] if w.digest != "none" else []),
                         *([f"learning-digest-{w.learning_digest}"] if LEARNING in s.topics else [])])
        print(f"{s.id}\t{s.partnership}\t{s.recipient.channel}\t{s.recipient.shown}\t{','.join(s.topics)}\t"
              f"{','.join(s.rules) or '*'}\t{','.join(s.owners) or '*'}\t{when}\t{s.recipient.name}")
    return 0


async def remove_subscription(args, db, registry) -> int:
    if not await Subscriptions(db).remove(args.subscription_id):
        print(f"no subscription {args.subscription_id}", file=sys.stderr)
        return 1
    print(f"removed subscription {args.subscription_id}: notices already decided for it are not sent")
    return 0


SUBSCRIPTION_COMMANDS = {"add-subscription": add_subscription, "list-subscriptions": list_subscriptions,
                         "remove-subscription": remove_subscription}


def add_subscription_commands(sub) -> None:
    add = sub.add_parser("add-subscription", help="tell someone of clocks, actions, KPIs or recommendations")
    add.add_argument("--partnership", required=True)
    to = add.add_mutually_exclusive_group(required=True)
    to.add_argument("--email", help="the recipient's address, e.g. an agency's safeguarding inbox")
    to.add_argument("--webhook", help="a URL to POST signed notices to (Standard Webhooks)")
    add.add_argument("--secret", help="the webhook's signing secret (whsec_...); default: a new one, shown once")
    add.add_argument("--name", help="who the recipient is, e.g. 'Council children's social care'")
    add.add_argument("--topic", action="append", choices=(*TOPICS, LEARNING),
                     help="what they are told of; repeat; default: clocks, actions, kpis, recommendations; "
                          "learning: a link to the LQI learning digest each month or quarter")
    add.add_argument("--rule", action="append", default=[], help="only this statutory clock (e.g. "
                     "serious_incident_notification); repeat; default: every clock")
    add.add_argument("--owner", action="append", default=[], help="only what this agency owns; repeat; default: all")
    add.add_argument("--before", action="append", type=int, default=[], metavar="N",
                     help="also N working days before a due day; repeat (e.g. --before 5 --before 1)")
    add.add_argument("--no-due-day", action="store_true", help="not on the due day")
    add.add_argument("--no-breach", action="store_true", help="not when a clock is breached or a thing overdue")
    add.add_argument("--no-kpi-off-track", action="store_true", help="not when a KPI turns off track")
    add.add_argument("--no-kpi-missing", action="store_true", help="not when a KPI misses a value")
    add.add_argument("--digest", choices=("none", "daily", "weekly"), default="none",
                     help="also one email a working day, or a week, listing everything due soon, due or overdue")
    add.add_argument("--learning-digest", choices=("month", "quarter"), default="quarter",
                     help="with --topic learning: the digest of each month or each quarter")
    add.add_argument("--json", action="store_true", help="print the subscription as JSON (with its secret)")
    listed = sub.add_parser("list-subscriptions", help="list the subscriptions (secrets not shown)")
    listed.add_argument("--partnership")
    remove = sub.add_parser("remove-subscription", help="remove a subscription")
    remove.add_argument("subscription_id")
