"""Entity documents: one read-model document per thing the figures show (a case, an action, a KPI, a session),
holding every record projected for it and filed under the years it bears on. Pure, apart from `read`.

A figure for a period needs the things that bear on it, each with its whole history, and nothing else, so that a
read costs what the period holds rather than everything the partnership ever recorded. FerretDB finds documents
by an equality on a top-level field (an element of an array counts), not by a range, so each document says
where it is found:

- `records`: every record projected for the thing, each one BSON-encoded (`encode`; one array element, however
  many fields it has) and added once (`$addToSet`): a redelivered event adds nothing. A record keeps its own
  `_id`, the per-event document's id it would have had, so `records_of` gives back exactly those documents.
- `years`: the calendar years (London) its records bear on, as text: from the earliest to the latest of an
  event's moment and of the days it states (`span`), added to by every record.
- `open`: whether the thing still runs (an action not finished, a clock not stopped), as the latest of its
  events says; an open thing bears on every year after its own until it closes.

A read for a period asks for the documents filed under each year, from the period's first on, that the collection
holds anything under (`plan`: the years held are kept on the partnership's read-model version), and the open ones
(`read`): the things with a record or a stated day in those years, the ones still open, and those that closed
after the as-of moment. Its figures then filter by date as before; the documents only bound what is read.
"""

from __future__ import annotations

import asyncio
from collections.abc import Iterable, Mapping
from datetime import date, datetime
from typing import Any

import bson
from bson.codec_options import CodecOptions

from shared.calendar import LONDON
from shared.read.projection import Upsert

RECORDS, YEARS, OPEN = "records", "years", "open"
INDEXES = [["partnership", YEARS], ["partnership", OPEN]]  # the fields an entity collection's reads filter on
CODEC = CodecOptions(tz_aware=True)  # as the service's client reads documents (shared.adapters.mongo.client)


def encode(record: Mapping[str, Any]) -> bytes:
    """One record as BSON (a moment kept to the millisecond, as a document field would be): the same record always
    gives the same bytes."""
    return bson.encode(dict(record))


def decode(raw: bytes) -> dict[str, Any]:
    return bson.decode(raw, CODEC)


def year_of(value: date | datetime | str) -> int:
    """The calendar year of a day, a moment (in London) or an ISO date or moment."""
    if isinstance(value, str):
        value = datetime.fromisoformat(value.replace("Z", "+00:00")) if "T" in value or "t" in value \
            else date.fromisoformat(value)
    if isinstance(value, datetime):
        return value.astimezone(LONDON).year if value.tzinfo else value.year
    return value.year


def span(*values: date | datetime | str | None) -> list[int]:
    """Every calendar year from the earliest to the latest of these days and moments (None left out)."""
    years = [year_of(v) for v in values if v is not None]
    return list(range(min(years), max(years) + 1)) if years else []


def filed(collection: str, partnership: str, key: str, record: Mapping[str, Any], years: Iterable[int],
          open: bool | None = None, opens_if_new: bool = False, latest_only: bool = False) -> Upsert:
    """The write adding `record` to the entity `key` of `partnership`, filed under `years`; `open` when the record
    says whether the thing still runs (None: it does not say), or `opens_if_new` when it opens the thing only if
    nothing was said of it yet (a record that may arrive after the one that closes it). With `latest_only` the
    record replaces the entity's records (a thing read only as it stands now: the last record projected is its
    state)."""
    flags = {OPEN: open} if open is not None else {}
    kept = bson.Binary(encode(record))
    return Upsert(collection, f"{partnership}/{key}",
                  {"partnership": partnership, **flags, **({RECORDS: [kept]} if latest_only else {})},
                  {OPEN: True} if opens_if_new else {},
                  add_to_set={**({} if latest_only else {RECORDS: [kept]}),
                              YEARS: [str(y) for y in sorted(set(years))]})


def records_of(docs: Iterable[Mapping[str, Any]]) -> list[dict[str, Any]]:
    """The records of these entity documents, each once (by its `_id`: a record projected again by a later
    version of the projector stands instead of the earlier one)."""
    found: dict[str, dict[str, Any]] = {}
    for doc in docs:
        for raw in doc.get(RECORDS, ()):
            record = decode(bytes(raw))
            found[record["_id"]] = record
    return list(found.values())


def years_to_read(first: int, held: Iterable[str]) -> list[str]:
    """The years a read for a period from `first` asks for: each the collection has anything filed under, from
    `first` on."""
    return sorted(y for y in set(held) if int(y) >= first)


def plan(first: int | None, held: Mapping[str, Iterable[str]]) -> Mapping[str, list[str]] | None:
    """Per collection, the years a read for a period from `first` asks for (None: no period, every document)."""
    if first is None:
        return None
    return {collection: years_to_read(first, years) for collection, years in held.items()}


async def read(db, collection: str, partnership: str, years: Iterable[str] | Mapping[str, Iterable[str]] | None,
               opens: bool = True) -> list[dict[str, Any]]:
    """The entity documents of `partnership` in `collection` filed under any of `years` (a list, or a `plan` by
    collection), and the open ones when the collection has any (`opens`); None: every one. One query per year, and
    one for the open ones; each document once."""
    if isinstance(years, Mapping):
        years = years.get(collection, [])
    if years is None:
        queries = [{"partnership": partnership}]
    else:
        queries = [{"partnership": partnership, YEARS: y} for y in years] + \
            ([{"partnership": partnership, OPEN: True}] if opens else [])

    async def found(query: dict) -> list[dict]:
        return [doc async for doc in db[collection].find(query)]

    docs: dict[str, dict] = {}
    for batch in await asyncio.gather(*(found(q) for q in queries)):
        for doc in batch:
            docs.setdefault(doc["_id"], doc)
    return list(docs.values())
