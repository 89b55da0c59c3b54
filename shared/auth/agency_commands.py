"""The admin CLI's commands for the agency registry (`python -m shared.auth add-agency ...`): the names pages show."""

from __future__ import annotations

import sys

from pydantic import ValidationError

from shared.adapters.mongo.agencies import AgencyRegistry
from shared.agencies import Agency, AgencyKind
from shared.auth.reader_commands import any_unknown


async def add_agency(args, db, registry) -> int:
    if await any_unknown(registry, args.partnership):
        return 1
    try:
        agency = Agency(code=args.code, name=args.name, kind=args.kind, partnerships=sorted(set(args.partnership)))
    except ValidationError as exc:
        print(f"not a valid agency: {exc}", file=sys.stderr)
        return 2
    added = await AgencyRegistry(db).add(agency)
    print(f"agency {added.code}: {added.name}, {added.kind.title}, "
          f"member of {', '.join(added.partnerships) or 'any partnership'}")
    return 0


async def list_agencies(args, db, registry) -> int:
    for agency in await AgencyRegistry(db).list():
        print(f"{agency.code}\t{agency.kind}\t{','.join(agency.partnerships) or '*'}\t{agency.name}")
    return 0


async def remove_agency(args, db, registry) -> int:
    if not await AgencyRegistry(db).remove(args.code):
        print(f"no agency {args.code}", file=sys.stderr)
        return 1
    print(f"removed agency {args.code}: pages show its code from now on")
    return 0


AGENCY_COMMANDS = {"add-agency": add_agency, "list-agencies": list_agencies, "remove-agency": remove_agency}


def add_agency_commands(sub) -> None:
    add = sub.add_parser("add-agency", help="register an agency's display name and kind (or update them)")
    add.add_argument("--code", required=True, help="as in its events' agency, e.g. south-yorkshire-police")
    add.add_argument("--name", required=True, help="shown on the pages, e.g. 'South Yorkshire Police'")
    add.add_argument("--kind", required=True, choices=[str(k) for k in AgencyKind],
                     help=", ".join(f"{k} ({k.title})" if k.title != str(k) else str(k) for k in AgencyKind))
    add.add_argument("--partnership", action="append", default=[],
                     help="a partnership it is a member of; repeat for more; none: any partnership")
    sub.add_parser("list-agencies", help="list the registered agencies")
    remove = sub.add_parser("remove-agency", help="remove an agency from the registry")
    remove.add_argument("code")
