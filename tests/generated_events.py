"""Events generated from the published JSON Schemas (hypothesis-jsonschema), for property tests.

`events(type)` draws envelopes of one type as the catalogue publishes them, with `time`s mostly valid, else at
the edges of the accepted years (with offsets up to a day either way) or numbers that pydantic alone would read
as Unix times. `an_accepted(type)` finds one that ingest accepts.
"""

from __future__ import annotations

import json
from datetime import datetime, timedelta

from hypothesis import HealthCheck, Phase, find, settings
from hypothesis import strategies as st
from hypothesis_jsonschema import from_schema

from shared.events.catalogue import CATALOGUE, UnknownEventType, decode, envelope_schema, json_schema
from shared.http.ingest import Incoming, validate


def _offset(minutes: int) -> str:
    sign = "+" if minutes >= 0 else "-"
    return f"{sign}{abs(minutes) // 60:02d}:{abs(minutes) % 60:02d}"


# times written at the edges of the years accepted (1970-2099), with offsets up to a day either way: the class
# the outside tester found (`1970-01-01T00:00:00+23:59` is 1969 in UTC; the event is published in UTC)
EDGES = [datetime(1970, 1, 1), datetime(1969, 12, 31, 23, 59, 59), datetime(2099, 12, 31, 23, 59, 59),
         datetime(2100, 1, 1)]
edge_times = st.builds(
    lambda edge, shift, offset, fraction: (edge + timedelta(seconds=shift)).strftime("%Y-%m-%dT%H:%M:%S")
    + fraction + _offset(offset),
    st.sampled_from(EDGES), st.integers(-2 * 86400, 2 * 86400), st.integers(-(23 * 60 + 59), 23 * 60 + 59),
    st.sampled_from(["", ".5", ".123456", ".123456789"]))
# numbers and numeric strings that pydantic alone would read as Unix times
numeric_times = st.one_of(st.integers(-10**10, 10**10), st.floats(allow_nan=False),
                          st.integers(0, 10**10).map(str), st.sampled_from(["12", "1609459200", "1.5e9", "-1"]))


def _by_pattern(schema):
    """The schema with `format: date` and `date-time` left to their patterns (drawn from the format, dates are of
    any year 1-9999, and nearly none match the years the pattern allows), and each pattern's `$` made `\\Z`: in
    Python's regular expressions `$` also matches before a final newline, which ECMA-262's (and ours) do not."""
    if isinstance(schema, dict):
        return {k: (v[:-1] + r"\Z" if k == "pattern" and isinstance(v, str) and v.endswith("$") else _by_pattern(v))
                for k, v in schema.items() if not (k == "format" and v in ("date", "date-time") and "pattern" in schema)}
    if isinstance(schema, list):
        return [_by_pattern(v) for v in schema]
    return schema


def _schema_of(type_name: str) -> dict:
    """The envelope's published schema with this type's `type` and `data` (dates drawn by their patterns)."""
    data = json_schema(type_name)
    envelope = envelope_schema()
    defs = {**envelope.pop("$defs", {}), **data.pop("$defs", {})}
    for key in ("$schema", "$id"):
        data.pop(key, None)
    properties = {**envelope["properties"], "type": {"const": type_name},
                  "schemaversion": {"const": int(type_name.rsplit(".v", 1)[1])}, "data": data}
    return _by_pattern({**envelope, "properties": properties,
                        "required": sorted({*envelope.get("required", []), "data"}), **({"$defs": defs} if defs else {})})


any_time = st.builds(
    lambda moment, offset, fraction: moment.strftime("%Y-%m-%dT%H:%M:%S") + fraction + _offset(offset),
    st.datetimes(datetime(1970, 1, 2), datetime(2099, 12, 30)), st.integers(-(23 * 60 + 59), 23 * 60 + 59),
    st.sampled_from(["", ".5", ".123456"]))


def events(type_name: str):
    """Events as the published schema describes them; `time` mostly valid, else at the edges or a number."""
    times = st.one_of(any_time, any_time, any_time, edge_times, numeric_times)
    return st.tuples(from_schema(_schema_of(type_name)), times).map(lambda pair: {**pair[0], "time": pair[1]})


def published(item: dict) -> Incoming | None:
    """A decision (shared.events.base.Decision) as a consumer reads it once its service has published it, or None
    when it is not valid: a service publishes decisions, partners never send them, so ingest is not the gate."""
    try:
        return Incoming(*decode(json.dumps(item)))
    except (ValueError, UnknownEventType):  # pydantic's ValidationError is a ValueError
        return None


def an_accepted(type_name: str) -> Incoming:
    """One event of this type that ingest accepts (a decision: that its service could publish), the same every run."""
    domain = type_name.split(".", 1)[0]
    if CATALOGUE[type_name].decided_by_service:
        def ok(item):
            return published(item) is not None
    else:
        def ok(item):
            return not validate([item], domain)[1]
    item = find(events(type_name), ok,
                settings=settings(max_examples=500, database=None, derandomize=True, phases=[Phase.generate],
                                  suppress_health_check=list(HealthCheck)))  # the first found, not the simplest
    return published(item) if CATALOGUE[type_name].decided_by_service else validate([item], domain)[0][0]
