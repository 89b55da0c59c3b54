"""The admin CLI's commands for the record of every write (`python -m shared.auth writes|verify-writes`): each
batch a domain service accepted, and a check that the partnership's hash chain is intact (docs/security.md)."""

from __future__ import annotations

import json
import sys

from shared.adapters.mongo.write_log import WriteLog
from shared.auth.reader_commands import any_unknown


async def writes(args, db, registry) -> int:
    if await any_unknown(registry, [args.partnership]):
        return 1
    for entry in reversed(await WriteLog(db).entries(args.partnership, limit=args.limit)):
        if args.json:
            print(json.dumps(entry))
        else:
            counts = {s: sum(1 for e in entry["events"] if e["status"] == s) for s in ("accepted", "duplicate")}
            print(f"{entry['seq']}\t{entry['at']}\t{entry['service']}\t{entry['agency']}\t{entry['key_id']}\t"
                  f"{entry['request_id']}\t{counts['accepted']} accepted, {counts['duplicate']} duplicates")
    return 0


async def verify_writes(args, db, registry) -> int:
    if await any_unknown(registry, [args.partnership]):
        return 1
    count, problems = await WriteLog(db).verify(args.partnership)
    for problem in problems:
        print(problem, file=sys.stderr)
    if problems:
        print(f"{args.partnership}: the write log's chain is broken ({len(problems)} problems in {count} entries)",
              file=sys.stderr)
        return 1
    print(f"{args.partnership}: {count} entries, the chain is intact")
    return 0


WRITE_COMMANDS = {"writes": writes, "verify-writes": verify_writes}


def add_write_commands(sub) -> None:
    listed = sub.add_parser("writes", help="the batches the services accepted for a partnership, oldest first")
    listed.add_argument("--partnership", required=True)
    listed.add_argument("--limit", type=int, default=200, help="the latest this many (default 200)")
    listed.add_argument("--json", action="store_true", help="one entry per line, as JSON")
    check = sub.add_parser("verify-writes", help="check a partnership's write log: exit 1 if an entry was changed, "
                                                 "removed or inserted")
    check.add_argument("--partnership", required=True)
