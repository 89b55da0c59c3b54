"""The admin CLI's commands for readers' accounts (`python -m shared.auth add-reader ...`) and the audit log."""

from __future__ import annotations

import argparse
import getpass
import json
import sys
from datetime import datetime, timezone

from pydantic import ValidationError

from shared.adapters.mongo.partnerships import PartnershipRegistry
from shared.adapters.mongo.readers import AuditLog, ReaderExists, ReaderStore, SessionStore
from shared.auth.readers import Reader, Role, hash_password, password_problem


def _password(args: argparse.Namespace) -> str | None:
    """The new password: the first line of stdin with --password-stdin, else asked twice at the terminal."""
    if args.password_stdin:
        password = sys.stdin.readline().rstrip("\n")
    else:
        password = getpass.getpass("Password: ")
        if getpass.getpass("Again: ") != password:
            print("the two passwords differ", file=sys.stderr)
            return None
    problem = password_problem(password)
    if problem:
        print(problem, file=sys.stderr)
        return None
    return password


async def any_unknown(registry: PartnershipRegistry, codes: list[str]) -> bool:
    """Whether any of these partnerships is not hosted (and, if so, says which on stderr)."""
    unknown = [code for code in codes if await registry.get(code) is None]
    if unknown:
        print(f"unknown partnership(s) {', '.join(unknown)}: add them first with add-partnership", file=sys.stderr)
    return bool(unknown)


async def add_reader(args, db, registry) -> int:
    if await any_unknown(registry, args.partnership):
        return 1
    try:
        reader = Reader(username=args.username.strip().lower(), name=args.name, role=args.role,
                        partnerships=sorted(set(args.partnership)), created_at=datetime.now(timezone.utc))
    except ValidationError as exc:
        print(f"not a valid account: {exc}", file=sys.stderr)
        return 2
    password = None if args.no_password else _password(args)
    if password is None and not args.no_password:
        return 2
    try:
        await ReaderStore(db).add(reader, hash_password(password) if password else None)
    except ReaderExists:
        print(f"{reader.username} has an account already: change it with update-reader or set-password",
              file=sys.stderr)
        return 1
    how = "; signs in with OpenID Connect only" if args.no_password else ""
    print(f"{reader.username}: {reader.name}, {reader.role.title} of {', '.join(reader.partnerships)}{how}")
    return 0


async def update_reader(args, db, registry) -> int:
    fields = {}
    if args.partnership:
        if await any_unknown(registry, args.partnership):
            return 1
        fields["partnerships"] = sorted(set(args.partnership))
    if args.role:
        fields["role"] = str(Role(args.role))
    if args.name:
        fields["name"] = args.name
    if not fields:
        print("nothing to change: give --role, --partnership or --name", file=sys.stderr)
        return 2
    if not await ReaderStore(db).update(args.username, **fields):
        print(f"no account {args.username}", file=sys.stderr)
        return 1
    print(f"{args.username}: changed {', '.join(fields)}")
    return 0


async def set_password(args, db, registry) -> int:
    store = ReaderStore(db)
    if await store.get(args.username) is None:
        print(f"no account {args.username}", file=sys.stderr)
        return 1
    password = _password(args)
    if password is None:
        return 2
    await store.update(args.username, password_hash=hash_password(password))
    ended = await SessionStore(db).revoke_all(args.username)
    print(f"{args.username}: password changed; {ended} session(s) ended")
    return 0


async def list_readers(args, db, registry) -> int:
    for reader in await ReaderStore(db).list():
        state = f"disabled {reader.disabled_at:%Y-%m-%d}" if reader.disabled_at else "active"
        print(f"{reader.username}\t{reader.role}\t{','.join(reader.partnerships)}\t{state}\t{reader.name}")
    return 0


async def disable_reader(args, db, registry) -> int:
    if not await ReaderStore(db).disable(args.username):
        print(f"no active account {args.username}", file=sys.stderr)
        return 1
    ended = await SessionStore(db).revoke_all(args.username)
    print(f"{args.username}: disabled; {ended} session(s) ended")
    return 0


async def revoke_sessions(args, db, registry) -> int:
    print(f"{args.username}: {await SessionStore(db).revoke_all(args.username)} session(s) ended")
    return 0


async def audit(args, db, registry) -> int:
    for entry in reversed(await AuditLog(db).entries(args.partnership, limit=args.limit)):
        if args.json:
            print(json.dumps(entry))
        else:
            print(f"{entry['at']}\t{entry['who']}\t{entry['role'] or 'read key'}\t{entry['outcome']}\t{entry['what']}")
    return 0


READER_COMMANDS = {"add-reader": add_reader, "update-reader": update_reader, "set-password": set_password,
                   "list-readers": list_readers, "disable-reader": disable_reader,
                   "revoke-sessions": revoke_sessions, "audit": audit}


def add_reader_commands(sub) -> None:
    roles = [str(r) for r in Role]
    add = sub.add_parser("add-reader", help="make a reader's account (asks for its password)")
    add.add_argument("--username", required=True, help="e.g. alice.smith (lower case), or an e-mail address")
    add.add_argument("--name", required=True, help="shown on the pages and in the audit log, e.g. 'Alice Smith'")
    add.add_argument("--role", required=True, choices=roles,
                     help="board (board member), lqi (LQI group member), scrutineer, admin (partnership admin)")
    add.add_argument("--partnership", action="append", required=True,
                     help="a partnership the reader may read; repeat for more")
    add.add_argument("--password-stdin", action="store_true", help="read the password from stdin's first line")
    add.add_argument("--no-password", action="store_true",
                     help="no password: the reader signs in with OpenID Connect (the username is their e-mail)")
    update = sub.add_parser("update-reader", help="change an account's role, partnerships or name")
    update.add_argument("username")
    update.add_argument("--role", choices=roles)
    update.add_argument("--partnership", action="append", help="replaces the account's partnerships; repeat")
    update.add_argument("--name")
    password = sub.add_parser("set-password", help="set an account's password (ends its sessions)")
    password.add_argument("username")
    password.add_argument("--password-stdin", action="store_true", help="read the password from stdin's first line")
    sub.add_parser("list-readers", help="list readers' accounts")
    disable = sub.add_parser("disable-reader", help="disable an account and end its sessions")
    disable.add_argument("username")
    revoke = sub.add_parser("revoke-sessions", help="end every session of an account (it stays able to sign in)")
    revoke.add_argument("username")
    log = sub.add_parser("audit", help="who read what of a partnership, oldest first")
    log.add_argument("--partnership", required=True)
    log.add_argument("--limit", type=int, default=200, help="the latest this many entries")
    log.add_argument("--json", action="store_true", help="one JSON object per line")
