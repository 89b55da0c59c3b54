"""The record of every write: each batch a domain service accepted, appended to the auth database's `write_log`,
one hash chain per partnership (docs/security.md).

An entry names the key and its agency, the partnership, the service, the request id, when, and each event's
identity (`source`, `id`, `type`) with what became of it (accepted, or duplicate: already there). It carries the
hash of the entry before it and its own hash, the SHA-256 of its canonical JSON (keys sorted, no spaces, the time
as an RFC 3339 string so that the database's millisecond dates cannot change what was hashed). Entry `n` of a
partnership has the id `<partnership>/<n, 12 digits>`: two writers racing for the same `n` cannot both insert it
(the id is unique), so the loser reads the new head and appends after it. No compare-and-set is needed, on MongoDB
or on FerretDB.

The services only insert into it. In production the services' database user is granted `insert` and `find` on
`write_log` and nothing else (docs/security.md), so they cannot rewrite it; and `verify` (the admin CLI's
`verify-writes`) finds any entry changed, removed or inserted after the fact: its hash no longer matches, the next
entry no longer names it, or the numbers skip.
"""

from __future__ import annotations

import hashlib
import json
from datetime import datetime, timezone
from typing import Any

from pymongo import ASCENDING, DESCENDING
from pymongo.asynchronous.database import AsyncDatabase
from pymongo.errors import DuplicateKeyError

WRITE_LOG = "write_log"
WRITE_LOG_INDEXES = {WRITE_LOG: [["partnership", "seq"]]}  # each chain read in order, its head found at once
GENESIS = "0" * 64  # what the first entry of a partnership's chain names as the hash before it
HASHED = ("partnership", "seq", "at", "service", "key_id", "agency", "request_id", "events", "prev")


def digest(entry: dict[str, Any]) -> str:
    body = {k: entry[k] for k in HASHED}
    return hashlib.sha256(json.dumps(body, sort_keys=True, separators=(",", ":"), ensure_ascii=False)
                          .encode()).hexdigest()


class WriteLog:
    def __init__(self, auth_db: AsyncDatabase, attempts: int = 100):
        self.collection = auth_db[WRITE_LOG]
        self.attempts = attempts

    async def append(self, partnership: str, *, service: str, key_id: str, agency: str, request_id: str,
                     events: list[dict[str, str]], at: datetime | None = None) -> dict[str, Any]:
        """Append one accepted batch's entry to the partnership's chain; the entry."""
        moment = (at or datetime.now(timezone.utc)).astimezone(timezone.utc).isoformat()
        for _ in range(self.attempts):
            head = await self.collection.find_one({"partnership": partnership}, sort=[("seq", DESCENDING)])
            seq = head["seq"] + 1 if head else 1
            entry = {"partnership": partnership, "seq": seq, "at": moment, "service": service, "key_id": key_id,
                     "agency": agency, "request_id": request_id, "events": events,
                     "prev": head["hash"] if head else GENESIS}
            entry["hash"] = digest(entry)
            try:
                await self.collection.insert_one({"_id": f"{partnership}/{seq:012d}", **entry})
                return entry
            except DuplicateKeyError:  # another writer took `seq`: append after it
                continue
        raise RuntimeError(f"could not append to the write log of {partnership} in {self.attempts} attempts")

    async def entries(self, partnership: str, limit: int = 200) -> list[dict[str, Any]]:
        return [{k: v for k, v in d.items() if k != "_id"} async for d in
                self.collection.find({"partnership": partnership}).sort("seq", DESCENDING).limit(limit)]

    async def verify(self, partnership: str, latest: int | None = None) -> tuple[int, list[str]]:
        """Walk the partnership's chain from its first entry (or only its `latest` entries, linked to the one before
        them: what a page shows, at a cost that does not grow with the chain): how many entries were checked, and
        what is wrong (nothing: intact)."""
        problems, prev, expected, count = [], GENESIS, 1, 0
        if latest is None:
            found = self.collection.find({"partnership": partnership}).sort("seq", ASCENDING)
        else:
            window = await self.collection.find({"partnership": partnership}).sort("seq", DESCENDING) \
                .limit(latest + 1).to_list()
            window.reverse()
            if len(window) > latest:  # the entry before the window: only what the first one must name
                anchor = window.pop(0)
                prev, expected = anchor.get("hash"), (anchor.get("seq") or 0) + 1
            found = _each(window)
        async for entry in found:
            count += 1
            where = f"entry {entry.get('seq')} ({entry['_id']})"
            if entry.get("seq") != expected:
                problems.append(f"{where}: expected entry {expected} here: an entry is missing or was inserted")
            if entry.get("prev") != prev:
                problems.append(f"{where}: does not name the hash of the entry before it")
            if not all(k in entry for k in HASHED) or entry.get("hash") != digest(entry):
                problems.append(f"{where}: its content does not match its hash: it was changed")
            if entry["_id"] != f"{partnership}/{entry.get('seq', 0):012d}":
                problems.append(f"{where}: its id does not match its number")
            prev, expected = entry.get("hash"), (entry.get("seq") or expected) + 1
        return count, problems


async def _each(entries: list[dict[str, Any]]):
    for entry in entries:
        yield entry
