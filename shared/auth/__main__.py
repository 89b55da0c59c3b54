"""Manage partnerships, partner and read keys, readers' accounts and agencies:
`python -m shared.auth add-partnership|list-partnerships|create-key|create-read-key|list-keys|rotate-key|revoke-key`,
`add-reader|update-reader|set-password|list-readers|disable-reader|revoke-sessions|audit`,
`add-agency|list-agencies|remove-agency`, `add-subscription|list-subscriptions|remove-subscription` (notices,
docs/alerts.md), `writes|verify-writes` (the record of every write, docs/security.md).

Reads MONGODB_URL and AUTH_DATABASE from the environment, like the services.
"""

from __future__ import annotations

import argparse
from datetime import timedelta
import asyncio
import json
import sys

from pydantic import ValidationError

from shared.adapters.mongo.keys import KeyStore
from shared.auth.agency_commands import AGENCY_COMMANDS, add_agency_commands
from shared.auth.subscription_commands import SUBSCRIPTION_COMMANDS, add_subscription_commands
from shared.auth.write_commands import WRITE_COMMANDS, add_write_commands
from shared.auth.reader_commands import READER_COMMANDS, add_reader_commands, any_unknown
from shared.adapters.mongo.client import connect
from shared.partnerships import Partnership
from shared.adapters.mongo.partnerships import PartnershipRegistry
from shared.settings import Settings


async def _main(args: argparse.Namespace) -> int:
    settings = Settings()
    client = connect(settings.mongodb_url)
    try:
        store = KeyStore(client[settings.auth_database])
        registry = PartnershipRegistry(client[settings.auth_database])
        if args.command == "add-partnership":
            try:
                partnership = Partnership(code=args.code, name=args.name, area=args.area, year_starts=args.year_starts)
            except ValidationError as exc:
                print(f"not a valid partnership: {exc}", file=sys.stderr)
                return 2
            added = await registry.add(partnership)
            print(f"partnership {added.code}: {added.name} ({added.area}), reporting year from {added.year_starts}")
        elif args.command == "list-partnerships":
            for p in await registry.list():
                print(f"{p.code}\t{p.name}\t{p.area}\t{p.year_starts}")
        elif args.command == "create-key":
            if await any_unknown(registry, args.partnership):
                return 1
            raw, key = await store.create(args.agency, args.event_type, args.label, partnerships=args.partnership,
                                          may_correct=args.may_correct, requests_per_s=args.requests_per_s,
                                          events_per_s=args.events_per_s)
            if args.json:
                print(json.dumps({"key": raw, "key_id": key.key_id, "agency": key.agency, "event_types": key.event_types,
                                  "partnerships": key.partnerships, "may_correct": key.may_correct}))
            else:
                rights = "; may correct other agencies' facts" if key.may_correct else ""
                print(f"key for {key.agency} ({', '.join(key.event_types)}) emitting to {', '.join(key.partnerships)}"
                      f"{rights}; shown once, store it now:\n{raw}")
        elif args.command == "create-read-key":
            if await any_unknown(registry, args.partnership):
                return 1
            raw, key = await store.create_read_key(args.label, partnerships=args.partnership)
            if args.json:
                print(json.dumps({"key": raw, "key_id": key.key_id, "scope": key.scope, "partnerships": key.partnerships}))
            else:
                print(f"read key {key.key_id} reading {', '.join(key.partnerships)}; shown once, store it now:\n{raw}")
        elif args.command in READER_COMMANDS:
            return await READER_COMMANDS[args.command](args, client[settings.auth_database], registry)
        elif args.command in AGENCY_COMMANDS:
            return await AGENCY_COMMANDS[args.command](args, client[settings.auth_database], registry)
        elif args.command in SUBSCRIPTION_COMMANDS:
            return await SUBSCRIPTION_COMMANDS[args.command](args, client[settings.auth_database], registry)
        elif args.command in WRITE_COMMANDS:
            return await WRITE_COMMANDS[args.command](args, client[settings.auth_database], registry)
        elif args.command == "list-keys":
            for key in await store.list():
                state = f"revoked {key.revoked_at:%Y-%m-%d}" if key.revoked_at else \
                    f"active until {key.expires_at:%Y-%m-%d %H:%M} (rotated)" if key.expires_at else "active"
                rights = "read" if key.scope == "read" else "may-correct" if key.may_correct else "-"
                print(f"{key.key_id}\t{key.agency}\t{','.join(key.partnerships)}\t{','.join(key.event_types)}\t{rights}"
                      f"\t{state}\t{key.label}")
        elif args.command == "rotate-key":
            rotated = await store.rotate(args.key_id, timedelta(hours=args.overlap_hours))
            if rotated is None:
                print(f"no active key {args.key_id} to rotate (revoked, or already being rotated)", file=sys.stderr)
                return 1
            raw, key = rotated
            print(f"key {key.key_id} replaces {args.key_id}, which works for {args.overlap_hours:g} more hours; "
                  f"switch the partner's system to the new key, then revoke-key {args.key_id}. "
                  f"Shown once, store it now:\n{raw}")
        elif args.command == "revoke-key":
            if not await store.revoke(args.key_id):
                print(f"no active key {args.key_id}", file=sys.stderr)
                return 1
            print(f"revoked {args.key_id}")
        return 0
    finally:
        await client.close()


def main() -> None:
    parser = argparse.ArgumentParser(prog="python -m shared.auth", description=__doc__.splitlines()[0])
    sub = parser.add_subparsers(dest="command", required=True)
    add = sub.add_parser("add-partnership", help="register a partnership (or update its name, area, year start)")
    add.add_argument("--code", required=True, help="e.g. doncaster: lower case letters, digits and hyphens")
    add.add_argument("--name", required=True, help="e.g. 'Doncaster Safeguarding Children Partnership'")
    add.add_argument("--area", required=True, help="the local authority area, e.g. Doncaster")
    add.add_argument("--year-starts", default="04-01", help="MM-DD, the first day of its reporting year (default 04-01)")
    sub.add_parser("list-partnerships", help="list the partnerships this deployment hosts")
    create = sub.add_parser("create-key", help="make a key for one agency, its partnerships and event types")
    create.add_argument("--agency", required=True, help="the agency's code, e.g. south-yorkshire-police")
    create.add_argument("--partnership", action="append", required=True,
                        help="a partnership the key may emit to, e.g. doncaster; repeat for more")
    create.add_argument("--event-type", action="append", required=True,
                        help="an event type it may emit, or a pattern such as 'training.*'; repeat for more")
    create.add_argument("--label", default="", help="a note, e.g. the system that holds the key")
    create.add_argument("--may-correct", action="store_true",
                        help="the key may correct facts other agencies recorded (for the partnership's administrators)")
    create.add_argument("--requests-per-s", type=int, help="its own limit of requests a second (0: none; default: "
                                                           "the deployment's KEY_REQUESTS_PER_S)")
    create.add_argument("--events-per-s", type=int, help="its own limit of events a second (0: none; default: the "
                                                         "deployment's KEY_EVENTS_PER_S)")
    create.add_argument("--json", action="store_true", help="print the key as JSON")
    sub.add_parser("list-keys", help="list keys (never the secrets)")
    revoke = sub.add_parser("revoke-key", help="revoke a key by its id")
    revoke.add_argument("key_id")
    rotate = sub.add_parser("rotate-key", help="make a key's successor (same agency and rights); the old one keeps "
                                               "working for the overlap, then stops")
    rotate.add_argument("key_id")
    rotate.add_argument("--overlap-hours", type=float, default=24.0, help="how long both work (default 24)")
    read = sub.add_parser("create-read-key", help="make a key a partnership's own reporting tools read figures with")
    read.add_argument("--partnership", action="append", required=True,
                      help="a partnership whose figures it may read; repeat for more")
    read.add_argument("--label", required=True, help="what holds it, e.g. 'Doncaster business intelligence'")
    read.add_argument("--json", action="store_true", help="print the key as JSON")
    add_reader_commands(sub)
    add_agency_commands(sub)
    add_subscription_commands(sub)
    add_write_commands(sub)
    sys.exit(asyncio.run(_main(parser.parse_args())))


if __name__ == "__main__":
    main()
